// The browser's passphrase strength estimator: zxcvbn-ts (a maintained TypeScript port of
// Dropbox's zxcvbn) with its common lists (the most used passwords, diceware words, common names
// and keyboard patterns). Its English lists (Wikipedia words, English names) are left out: they
// are 614 KB of the estimator's 851 KB gzipped, scored no sample passphrase differently
// (docs/benchmarks.md, "The web front end"), and the app's workers mostly write in other
// languages. The core's passphrase policy (core/src/vault/policy.rs) calls it through the wasm binding when a store is made without a
// passkey; the core itself leaves zxcvbn out of the browser build (its lists would double the
// wasm package). web/build.mjs (scripts/build-web) bundles this file with esbuild into
// build/web/app/vendor/strength.js, which the store worker imports only when it needs it; Node
// code (tests/node, bench/wasm) loads it through strength-node.mjs.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

const zxcvbn = new ZxcvbnFactory({
  dictionary: common.dictionary,
  graphs: common.adjacencyGraphs,
});

/** zxcvbn's score, 0 (guessed within 10^3 tries) to 4 (more than 10^10), of `passphrase`. */
export function strength(passphrase) {
  return zxcvbn.check(passphrase).score;
}
