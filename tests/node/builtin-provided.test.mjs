// The full wasm package without compiled-in checklist definitions (the core's
// `embedded-checklists` feature is off in the browser's store module): it knows the built-ins by
// their pinned id, version and content hash, and runs one only once its definition is handed in
// (provideBuiltinChecklist, as store-worker.js does with checklists/ID.json). This file runs in a
// process of its own, so nothing is provided before its first test.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { strength } from '../../web/src/strength-node.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
const { CaseStore, ChecklistSession, provideBuiltinChecklist, validateChecklist } = indicia;

const definition = (id) => readFileSync(join(repo, 'core/checklists', `${id}.json`), 'utf8');

function failure(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('no error');
}

test('the module carries no built-in definition: not one of their texts is in its bytes', () => {
  const bytes = readFileSync(join(pkgDir, 'indicia_bg.wasm')).toString('latin1');
  for (const id of indicia.builtinChecklists()) {
    const title = Buffer.from(JSON.parse(definition(id)).title.en, 'utf8').toString('latin1');
    assert.equal(bytes.includes(title), false, `${id}'s title is in the module`);
  }
});

test('a built-in is unknown until provided; an altered definition is refused and changes nothing', () => {
  const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  const before = failure(() => ChecklistSession.fromBuiltin('first-contact', 'en'));
  assert.equal(before.kind, 'UnknownChecklist');
  assert.match(before.message, /not provided/);
  assert.equal(failure(() => store.createCase('x', 'first-contact')).kind, 'UnknownChecklist');

  // One text changed, or a signed envelope around a changed definition: not the one shipped.
  const doc = JSON.parse(definition('first-contact'));
  doc.sections[0].questions[0].label.en = 'Is the person free to leave?';
  assert.equal(failure(() => provideBuiltinChecklist(JSON.stringify(doc))).kind, 'UntrustedChecklist');
  const envelope = { format: 'indicia-signed-checklist/1', definition: doc };
  assert.equal(failure(() => provideBuiltinChecklist(JSON.stringify(envelope))).kind, 'UntrustedChecklist');
  // A definition of another id, and something that is not JSON.
  assert.equal(failure(() => provideBuiltinChecklist(JSON.stringify({ ...doc, id: 'my-checklist' }))).kind, 'UnknownChecklist');
  assert.equal(failure(() => provideBuiltinChecklist('{"id": ')).kind, 'InvalidChecklist');
  assert.equal(failure(() => ChecklistSession.fromBuiltin('first-contact', 'en')).kind, 'UnknownChecklist');

  // The file as shipped: now the store and sessions have it, as built in.
  assert.equal(provideBuiltinChecklist(definition('first-contact')), 'first-contact');
  const info = ChecklistSession.fromBuiltin('first-contact', 'sk').info();
  assert.equal(info.provenance, 'built_in');
  assert.equal(info.hash, validateChecklist(definition('first-contact'), 'en').hash);
  const caseId = store.createCase('x', 'first-contact', 'sk');
  assert.equal(store.getCase(caseId).checklist.hash, info.hash);
  // Still refused after: the provided one stays.
  assert.equal(failure(() => provideBuiltinChecklist(JSON.stringify(doc))).kind, 'UntrustedChecklist');
  assert.equal(ChecklistSession.fromBuiltin('first-contact', 'en').info().hash, info.hash);
  // Another built-in is still unknown until it is provided too.
  assert.equal(failure(() => ChecklistSession.fromBuiltin('ilo-forced-labour-11', 'en')).kind, 'UnknownChecklist');
});

test('the same definition signed by a deployment\'s publisher is taken as the built-in', () => {
  // The signature is not what is pinned: the content is (its hash is the built-in's).
  const envelope = { format: 'indicia-signed-checklist/1', definition: JSON.parse(definition('ilo-forced-labour-11')) };
  assert.equal(provideBuiltinChecklist(JSON.stringify(envelope)), 'ilo-forced-labour-11');
  assert.equal(ChecklistSession.fromBuiltin('ilo-forced-labour-11', 'en').info().provenance, 'built_in');
});
