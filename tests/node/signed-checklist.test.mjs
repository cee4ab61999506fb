// Signed checklist definitions through the wasm packages under Node
// (docs/formats/signed-checklist.md): the full package (as the store's worker's does) checks a definition
// under a deployment's trust and compiles it (docs/formats/compiled-checklist.md), which the
// page's checklist-only package runs with the same content hash, provenance and publisher; the frozen vectors' must-reject files fail with their
// kinds; the store keeps the checklist trust. The checklist-only package carries no signature code.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { strength } from '../../web/src/strength-node.mjs';
import { provideBuiltins } from './builtins.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const checklistDir = process.env.INDICIA_WASM_CHECKLIST_PKG ?? join(repo, 'build/wasm/pkg-checklist');
const full = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
full.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(full);
const only = await import(pathToFileURL(join(checklistDir, 'indicia_checklist.js')).href);
only.initSync({ module: readFileSync(join(checklistDir, 'indicia_checklist_bg.wasm')) });

const vectors = join(repo, 'tests/vectors/signed-checklist-v1');
const expected = JSON.parse(readFileSync(join(vectors, 'expected.json'), 'utf8'));
const trust = readFileSync(join(vectors, 'trust.json'), 'utf8');
const read = (...parts) => readFileSync(join(vectors, ...parts), 'utf8');

function throwsKind(fn, kind, what) {
  assert.throws(fn, (err) => {
    assert.equal(err.kind, kind, `${what}: ${err.message}`);
    return true;
  });
}

test('a signed vector is checked by the full package and run by the checklist-only one', () => {
  for (const [name, want] of Object.entries(expected.valid)) {
    const loaded = full.loadChecklist(read('valid', name), 'en', trust);
    assert.equal(loaded.info.provenance, 'trusted_publisher', name);
    assert.equal(loaded.info.publisher, want.publisher);
    assert.equal(loaded.info.publisher_key_id, want.key_id);
    const source = JSON.parse(readFileSync(join(repo, 'tests/vectors', want.source), 'utf8'));
    assert.equal(loaded.info.review_status, source.review.status);
    const session = only.ChecklistSession.fromCompiled(full.compileChecklist(read('valid', name), trust), 'en');
    assert.deepEqual(session.info(), loaded.info, 'the page runs the definition that was signed, as checked');
    session.free();
    // In the full package a session can start from the signed text itself.
    const signed = full.ChecklistSession.fromJsonTrusted(read('valid', name), 'en', trust);
    assert.equal(signed.assessment().checklist.publisher.name, want.publisher);
    signed.free();
    // Without a trust list the signature is still checked; the publisher is not trusted here.
    assert.equal(full.loadChecklist(read('valid', name), 'en').info.provenance, 'untrusted_publisher');
  }
});

test('each must-reject vector fails with its kind; a built-in is accepted as built in', () => {
  const files = readdirSync(join(vectors, 'reject')).sort();
  assert.deepEqual(files, Object.keys(expected.reject).sort());
  for (const name of files) {
    throwsKind(() => full.loadChecklist(read('reject', name), 'en', trust), expected.reject[name].kind, name);
  }
  const builtin = readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8');
  const loaded = full.loadChecklist(builtin, 'en', trust);
  assert.equal(loaded.info.provenance, 'built_in');
  assert.equal(loaded.info.publisher, null);
  // Compiled by the full module, it is the built-in one on the page too.
  const session = only.ChecklistSession.fromCompiled(full.compileChecklist(builtin), 'en');
  assert.equal(session.info().provenance, 'built_in');
  session.free();
  for (const name of files) {
    throwsKind(() => full.compileChecklist(read('reject', name), trust), expected.reject[name].kind, name);
  }
  throwsKind(() => full.loadChecklist(builtin, 'en', '{"publishers": [{"name": "x", "public_key": "00"}]}'), 'InvalidArgument', 'trust');
  // The checklist-only module runs only compiled checklists: a definition's text, signed or
  // not, is not one.
  throwsKind(() => only.ChecklistSession.fromCompiled(Buffer.from(read('valid/minimal.json')), 'en'), 'InvalidChecklist', 'checklist-only');
});

test('the checklist-only package has no signature checking', () => {
  assert.equal(only.loadChecklist, undefined);
  assert.equal(only.compileChecklist, undefined);
  assert.equal(only.ChecklistSession.fromJsonTrusted, undefined);
  assert.equal(only.ChecklistSession.fromJson, undefined);
});

test('the store keeps the checklist trust, sealed, and refuses a malformed one', () => {
  const store = full.CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  assert.deepEqual(store.checklistTrust(), { require_signatures: false, publishers: [] });
  store.setChecklistTrust(trust);
  assert.deepEqual(store.checklistTrust(), JSON.parse(trust));
  throwsKind(() => store.setChecklistTrust('{"require_signatures": "yes"}'), 'InvalidArgument', 'malformed');
  store.lock();
  throwsKind(() => store.checklistTrust(), 'StoreLocked', 'locked');
  store.free();
});
