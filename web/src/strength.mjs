// The browser's passphrase strength estimator: zxcvbn-ts (a maintained TypeScript port of
// Dropbox's zxcvbn) with its common and English word lists. The core's passphrase policy
// (core/src/vault/policy.rs) calls it through the wasm binding when a store is made without a
// passkey; the core itself leaves zxcvbn out of the browser build (its lists would double the
// wasm package). scripts/build-wasm bundles this file with esbuild into web-demo/vendor/strength.js,
// which the store worker imports only when it needs it.
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
