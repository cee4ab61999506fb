// Report packages through the wasm package under Node: a case held by the page and a case from
// the store are sealed, then opened and verified with the unit's identity; forged or altered
// packages and wrong identities get their error kinds.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The browser's passphrase strength estimator (zxcvbn-ts, web/src/strength.mjs): the core's
// policy calls it for a store made without a device secret.
import { strength } from '../../web/src/strength-node.mjs';
import { signedUnitCard } from './unit-card.mjs';
import { provideBuiltins } from './builtins.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(indicia);
const { CaseStore, generateIdentity, openReport, sealReport } = indicia;

function throwsKind(fn, kind, message) {
  assert.throws(fn, (err) => {
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

const unit = generateIdentity();
// What sealing goes to: the unit's signed card, never a bare recipient.
const { card, cardJson, keyId } = signedUnitCard('National THB unit', unit.recipient);
const CARDS = [cardJson];
const photo = new Uint8Array(100_000).map((_, i) => i % 253);
const CASE = {
  organisation: 'es.example-ngo',
  title: 'Web report',
  answers: { age_group: 'adult', long_hours: 'yes', threats: 'yes' },
  notes: ['seen twice at the market'],
  checklist_id: 'first-contact',
};

test('a case held by the page seals and opens with its answers, notes, attachment and assessment', () => {
  const sealed = sealReport(CASE, [{ name: 'photo.jpg', mime: 'image/jpeg', data: photo }], CARDS);
  assert.ok(sealed.package instanceof Uint8Array);
  assert.match(sealed.report_id, /^[0-9a-f]{32}$/);
  const opened = openReport(sealed.package, unit.identity);
  const m = opened.manifest;
  assert.equal(m.report_id, sealed.report_id);
  assert.equal(opened.content_hash, sealed.content_hash);
  assert.equal(m.device.key_id, sealed.device_key_id);
  assert.deepEqual(m.case.answers, CASE.answers);
  assert.equal(m.case.notes[0].text, 'seen twice at the market');
  assert.equal(m.checklist.id, 'first-contact');
  assert.ok(m.assessment.outcome.level >= 1);
  assert.equal(m.attachments[0].sha256, createHash('sha256').update(photo).digest('hex'));
  assert.deepEqual(opened.attachments[0], photo);
  // The sealed bytes hold nothing readable.
  assert.equal(Buffer.from(sealed.package).includes('market'), false);
});

test('a device secret the page keeps signs every package with the same key', () => {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const a = sealReport(CASE, [], CARDS, secret);
  const b = sealReport(CASE, [], CARDS, secret, true);
  assert.equal(a.device_key_id, b.device_key_id);
  assert.notEqual(sealReport(CASE, [], CARDS).device_key_id, a.device_key_id);
  assert.match(new TextDecoder().decode(b.package), /^-----BEGIN AGE ENCRYPTED FILE-----/);
  assert.equal(openReport(b.package, unit.identity).manifest.device.key_id, a.device_key_id);
  throwsKind(() => sealReport(CASE, [], CARDS, new Uint8Array(5)), 'InvalidState');
});

test('a case from the store seals, becomes sealed, and names the store device key', () => {
  const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  const id = store.createCase('Harbour', 'first-contact');
  store.saveAnswer(id, 'age_group', 'adult');
  store.addNote(id, 'met at the bus station');
  store.addUnit(cardJson);
  const sealed = store.sealCase(id, 'sk.example-ngo', [keyId]);
  const opened = openReport(sealed.package, unit.identity);
  assert.equal(opened.manifest.device.key_id, store.deviceInfo().key_id);
  assert.equal(opened.manifest.case.case_id, id);
  // Two phases: the case stays a draft until the page says the package is saved.
  assert.equal(store.getCase(id).status, 'draft');
  assert.equal(store.getCase(id).pending_seal.report_id, sealed.report_id);
  throwsKind(() => store.confirmSealed(id, '0'.repeat(32)), 'InvalidState');
  store.confirmSealed(id, sealed.report_id);
  assert.equal(store.getCase(id).status, 'sealed');
  assert.equal(store.custodyLog(id).at(-1).event, 'report_sealed');
  throwsKind(() => store.sealCase(id, 'sk.example-ngo', []), 'InvalidState');
});

test('bad input to sealing and opening gets precise kinds', () => {
  throwsKind(() => sealReport({ ...CASE, answers: { age_group: 'martian' } }, [], CARDS), 'InvalidAnswer');
  throwsKind(() => sealReport({ ...CASE, checklist_id: 'nope' }, [], CARDS), 'UnknownChecklist');
  throwsKind(() => sealReport({ ...CASE, extra: 1 }, [], CARDS), 'InvalidState');
  throwsKind(() => sealReport(CASE, [{ name: 'x' }], CARDS), 'InvalidState');
  const sealed = sealReport(CASE, [], CARDS).package;
  throwsKind(() => openReport(sealed, generateIdentity().identity), 'WrongIdentity');
  const flipped = sealed.slice();
  flipped[flipped.length - 40] ^= 1;
  throwsKind(() => openReport(flipped, unit.identity), 'CorruptInput');
  throwsKind(() => openReport(indicia.seal(new TextEncoder().encode('hello'), [unit.recipient]), unit.identity), 'CorruptInput');
});

test('a case is sealed only to signed unit cards, never to a recipient typed in', () => {
  // The page's case: no card, a bare recipient, a card altered on the way, an unsigned card.
  throwsKind(() => sealReport(CASE, [], []), 'InvalidState');
  throwsKind(() => sealReport(CASE, [], [unit.recipient]), 'CorruptInput');
  const swapped = JSON.stringify({ ...card, recipient: generateIdentity().recipient });
  throwsKind(() => sealReport(CASE, [], [cardJson, swapped]), 'BadSignature');
  const { signature, ...unsigned } = card;
  throwsKind(() => sealReport(CASE, [], [JSON.stringify({ ...unsigned, format: 'indicia-unit/1' })]), 'UnsupportedInput');

  // The store's case: only units whose cards it holds, by key id; none held, nothing sealed.
  const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  const id = store.createCase('Harbour');
  throwsKind(() => store.sealCase(id, 'org', []), 'InvalidState', /add a unit/);
  store.addUnit(cardJson);
  throwsKind(() => store.sealCase(id, 'org', ['0'.repeat(32)]), 'NotFound');
  throwsKind(() => store.sealCase(id, 'org', [unit.recipient]), 'NotFound');
  const other = generateIdentity();
  const second = signedUnitCard('Second unit', other.recipient);
  store.addUnit(second.cardJson);
  const toSecond = store.sealCase(id, 'org', [second.keyId]);
  assert.equal(openReport(toSecond.package, other.identity).report_id, toSecond.report_id);
  throwsKind(() => openReport(toSecond.package, unit.identity), 'WrongIdentity');
  const toAll = store.sealCase(id, 'org', []).package;
  openReport(toAll, unit.identity);
  openReport(toAll, other.identity);
  assert.equal(store.removeUnit(second.keyId), true);
  throwsKind(() => store.sealCase(id, 'org', [second.keyId]), 'NotFound');
});
