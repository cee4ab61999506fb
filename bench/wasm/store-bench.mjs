#!/usr/bin/env node
// The encrypted store through the wasm package under Node (docs/benchmarks.md, "Encrypted store
// in wasm"): unlock with the browser's Argon2id parameters, and saving one answer, on the wasm
// in-memory VFS (Node has no OPFS; OPFS adds the browser's storage writes on top).
//
//   node bench/wasm/store-bench.mjs [--saves N]
//
// INDICIA_WASM_PKG: the package folder (default build/wasm/pkg). No dependencies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The browser's passphrase strength estimator (zxcvbn-ts, web/src/strength.mjs): the core's
// policy calls it for a store made without a device secret.
import { strength } from '../../web/src/strength-node.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
const { CaseStore } = indicia;

const args = process.argv.slice(2);
const i = args.indexOf('--saves');
const SAVES = i >= 0 ? Number(args[i + 1]) : 5000;
if (!Number.isInteger(SAVES) || SAVES < 100) {
  console.error('usage: node bench/wasm/store-bench.mjs [--saves N (>= 100)]');
  process.exit(2);
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const ms = (x) => `${x.toFixed(3)} ms`;

function report(name, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${name}: n=${times.length} p50 ${ms(quantile(sorted, 0.5))} p99 ${ms(quantile(sorted, 0.99))} max ${ms(sorted.at(-1))} mean ${ms(mean)}`);
}

const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
const unlocks = [];
for (let n = 0; n < 10; n++) {
  store.lock();
  const t = performance.now();
  store.unlock('tidal-amber-orchard');
  unlocks.push(performance.now() - t);
}
report('unlock (KdfParams::BROWSER, 19 MiB, 2 passes)', unlocks);

// Ten draft cases, saved round-robin; 100 questions each with answer shapes as in the native
// bench (yes/no, a multi-choice list, a number).
const cases = Array.from({ length: 10 }, (_, n) => store.createCase(`case ${n}`));
const value = (q, round) =>
  q % 4 < 2 ? ((q + round) % 2 ? 'no' : 'yes') : q % 4 === 2 ? (round % 2 ? ['employer'] : ['family', 'online']) : 16 + ((q + round) % 40);
const saves = [];
for (let n = 0; n < SAVES; n++) {
  const q = Math.floor(n / cases.length) % 100;
  const round = Math.floor(n / (cases.length * 100));
  const t = performance.now();
  store.saveAnswer(cases[n % cases.length], `q${String(q).padStart(3, '0')}`, value(q, round));
  saves.push(performance.now() - t);
}
report(`saveAnswer (in-memory VFS, ${SAVES} saves over 10 cases)`, saves.slice(Math.min(500, SAVES / 10)));
const t = performance.now();
const listed = store.listCases();
console.log(`listCases (${listed.length} cases): ${ms(performance.now() - t)}`);
