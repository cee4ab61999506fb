// The store's wasm package (build/wasm/pkg-store, indicia-wasm with `store` but without `full`):
// what the app's store worker loads (web/app/store-worker.js). It must export every name that
// worker imports, with the full package's CaseStore, and keep, seal and compile as the full one
// does; the exports no page of the app calls stay in the full package, whose tests cover them
// (docs/benchmarks.md, "wasm package size: two modules", step 17).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { strength } from '../../web/src/strength-node.mjs';
import { provideBuiltins } from './builtins.mjs';
import { signedUnitCard } from './unit-card.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const storeDir = process.env.INDICIA_WASM_STORE_PKG ?? join(repo, 'build/wasm/pkg-store');

const full = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
full.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(full);
const store = await import(pathToFileURL(join(storeDir, 'indicia_store.js')).href);
store.initSync({ module: readFileSync(join(storeDir, 'indicia_store_bg.wasm')) });
provideBuiltins(store);

/** The names web/app/store-worker.js imports from its wasm package. */
function workerImports() {
  const source = readFileSync(join(repo, 'web/app/store-worker.js'), 'utf8');
  const [, names, from] = source.match(/^import init, \{([^}]*)\} from '([^']+)';$/m) ?? [];
  assert.equal(from, './pkg/indicia_store.js', 'the worker loads the store module');
  // That import is its only way to the wasm package (no second import, no `import * as`).
  assert.equal(source.split('./pkg/').length - 1, 1, 'the worker reaches ./pkg/ only through its import line');
  return names.split(',').map((name) => name.trim());
}

/** Method names of a wasm-bindgen class, statics included. */
const methods = (cls) =>
  [...Object.getOwnPropertyNames(cls.prototype), ...Object.getOwnPropertyNames(cls)]
    .filter((name) => !['constructor', 'length', 'name', 'prototype'].includes(name))
    .sort();

test("the store's package exports what the store worker imports, the whole CaseStore, and none of the full package's extras", () => {
  const imported = workerImports();
  assert.ok(imported.includes('CaseStore') && imported.includes('compileChecklist'), imported.join());
  for (const name of imported) assert.equal(typeof store[name], 'function', `${name} (imported by the worker)`);
  assert.deepEqual(methods(store.CaseStore), methods(full.CaseStore));
  // Sealing a plain message stays: the cross-layer check seals with the core the app ships.
  for (const name of ['seal', 'sealArmored', 'open', 'generateIdentity', 'recipientOf']) {
    assert.equal(typeof store[name], 'function', name);
  }
  for (const name of ['sealReport', 'openReport', 'openReceipt', 'validateChecklist', 'loadChecklist',
    'checklistLanguageSubset', 'ChecklistSession']) {
    assert.equal(store[name], undefined, `${name} is exported by the store's package`);
    assert.equal(typeof full[name], 'function', `${name} missing from the full package`);
  }
});

test("a case kept and sealed by the store's package opens with the full one, answers, note, photo and assessment intact", () => {
  const unit = full.generateIdentity();
  const { cardJson } = signedUnitCard('National THB unit', unit.recipient);
  const cases = store.CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  const id = cases.createCase('Harbour', 'first-contact', 'es');
  const answers = { age_group: 'adult', long_hours: 'yes', documents_held: 'yes', threats: 'unknown' };
  for (const [question, value] of Object.entries(answers)) cases.saveAnswer(id, question, value);
  cases.addNote(id, 'visto dos veces en el mercado');
  const photo = new Uint8Array(70_000).map((_, i) => (i * 7) % 251);
  cases.addAttachment(id, 'photo.jpg', 'image/jpeg', photo);
  cases.addUnit(cardJson);
  const sealed = cases.sealCase(id, 'es.example-ngo', []);
  assert.ok(sealed.package instanceof Uint8Array);
  assert.equal(Buffer.from(sealed.package).includes('mercado'), false, 'no plaintext in the package');

  const opened = full.openReport(sealed.package, unit.identity);
  const m = opened.manifest;
  assert.equal(m.report_id, sealed.report_id);
  assert.equal(opened.content_hash, sealed.content_hash);
  assert.equal(m.case.case_id, id);
  assert.deepEqual(m.case.answers, answers);
  assert.equal(m.case.notes[0].text, 'visto dos veces en el mercado');
  assert.equal(m.device.key_id, cases.deviceInfo().key_id);
  assert.equal(m.attachments[0].sha256, createHash('sha256').update(photo).digest('hex'));
  assert.deepEqual(opened.attachments[0], photo);
  // The same answers in a session of the full package give the assessment the store sealed
  // (in English whatever the case's language: it is written for the unit).
  const session = full.ChecklistSession.fromBuiltin('first-contact', 'en');
  for (const [question, value] of Object.entries(answers)) session.answer(question, value);
  assert.deepEqual(m.assessment, JSON.parse(JSON.stringify(session.assessment())));
  session.free();
  cases.free();
});

test("the store's package compiles a checklist to the same bytes as the full one", () => {
  const json = readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8');
  assert.deepEqual(store.compileChecklist(json), full.compileChecklist(json));
  assert.throws(() => store.compileChecklist('{"id":'), (err) => err.kind === 'InvalidChecklist');
});
