// The browser's passphrase strength estimator: zxcvbn-ts (a maintained TypeScript port of
// Dropbox's zxcvbn) with its common and English word lists. The core's passphrase policy
// (core/src/vault/policy.rs) calls it through the wasm binding when a store is made without a
// passkey; the core itself leaves zxcvbn out of the browser build (its lists would double the
// wasm package). web/build.mjs (scripts/build-web) bundles this file with esbuild into
// build/web/app/vendor/strength.js, which the store worker imports only when it needs it; Node
// code (tests/node, bench/wasm) loads it through strength-node.mjs.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
});

/** zxcvbn's score, 0 (guessed within 10^3 tries) to 4 (more than 10^10), of `passphrase`. */
export function strength(passphrase) {
  return zxcvbn.check(passphrase).score;
}
