// Receipts through the wasm package under Node: a case sealed by the in-memory store is ingested
// by a receiving unit (the native CLI, tests/node/receiver.mjs), which issues receipts; the store
// imports them only from a unit it was given the card of, only for a report it sealed, once.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { receivingUnit } from './receiver.mjs';

// The browser's passphrase strength estimator (zxcvbn-ts, web/src/strength.mjs): the core's
// policy calls it for a store made without a device secret.
import { strength } from '../../web/src/strength-node.mjs';
import { provideBuiltins } from './builtins.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(indicia);
const { CaseStore, generateIdentity, openReceipt, seal, unitCardFingerprint } = indicia;

const ORG = 'es.example-ngo';
const tempDir = mkdtempSync(join(tmpdir(), 'indicia-receipt-node-'));
after(() => rmSync(tempDir, { recursive: true, force: true }));

// One unit for the whole file: its database keeps every report ingested here.
let unit;
before(() => {
  unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
});
let files = 0;

/** The field names the package's typings declare for a flat `export interface NAME { … }`. */
function declaredFields(name) {
  const dts = readFileSync(join(pkgDir, 'indicia.d.ts'), 'utf8');
  const body = dts.match(new RegExp(`export interface ${name} \\{([^}]*)\\}`))?.[1];
  assert.ok(body, `indicia.d.ts declares ${name}`);
  return [...body.replace(/\/\*\*[\s\S]*?\*\//g, '').matchAll(/(\w+)\??:/g)].map((m) => m[1]).sort();
}

/** Asserts that a value has exactly the fields its TypeScript interface declares. */
function matchesTypings(value, name) {
  assert.deepEqual(Object.keys(value).sort(), declaredFields(name), `${name} as returned vs. as declared`);
}

function throwsKind(fn, kind, message) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'IndiciaError');
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** A store with a draft case, sealed to the unit whose card it was given (with `replyTo` added
 * to its reply_to), and the package ingested by the unit after trusting the store's device key. */
function sealedAndIngested({ replyTo } = {}) {
  const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  const caseId = store.createCase('Harbour case', 'first-contact');
  store.saveAnswer(caseId, 'age_group', 'adult');
  store.addUnit(unit.cardJson);
  const sealed = store.sealCase(caseId, ORG, [unit.card.signing_key.key_id], replyTo);
  store.confirmSealed(caseId, sealed.report_id);
  const file = join(tempDir, `report-${++files}.age`);
  writeFileSync(file, sealed.package);
  unit.trustDevice(store.deviceInfo().public_key, ORG);
  unit.ingest(file);
  return { store, caseId, sealed };
}

test('the unit card, added to the store, makes the unit\'s receipt acknowledge the case', () => {
  const { store, caseId, sealed } = sealedAndIngested();
  const listed = unit.list().split('\n').find((line) => line.startsWith(sealed.report_id));
  assert.ok(listed?.includes(ORG), 'the unit lists the ingested report with its organisation');
  const receipt = unit.receipt(sealed.report_id, 'received');

  // Once the unit's card is removed from the device, its receipt is refused and the case stays
  // as it was.
  assert.equal(store.removeUnit(unit.card.signing_key.key_id), true);
  assert.deepEqual(store.units(), []);
  throwsKind(() => store.importReceipt(receipt), 'UntrustedSigner');
  let [summary] = store.listCases();
  assert.equal(summary.status, 'sealed');
  assert.equal(summary.deletable, false);
  assert.equal(summary.receipt_status, null);
  throwsKind(() => store.deleteCase(caseId, false), 'InvalidState');

  const card = store.addUnit(unit.cardJson);
  matchesTypings(card, 'UnitCard');
  assert.equal(card.name, 'National THB unit');
  assert.deepEqual(store.units(), [unit.card]);

  const imported = store.importReceipt(receipt);
  matchesTypings(imported, 'ImportedReceipt');
  assert.deepEqual(imported, {
    case_id: caseId,
    report_id: sealed.report_id,
    status: 'received',
    note: null,
    unit_name: 'National THB unit',
    new: true,
    case_status: 'acknowledged',
  });
  [summary] = store.listCases();
  matchesTypings(summary, 'CaseSummary');
  assert.equal(summary.status, 'acknowledged');
  assert.equal(summary.deletable, true);
  assert.equal(summary.receipt_status, 'received');
  const record = store.getCase(caseId);
  assert.equal(record.report_id, sealed.report_id);
  assert.equal(record.content_hash, sealed.content_hash);
  assert.equal(record.receipts.length, 1);
  matchesTypings(record.receipts[0], 'ReceiptEntry');
  assert.equal(record.receipts[0].unit_key_id, unit.card.signing_key.key_id);
  assert.deepEqual(store.custodyLog(caseId).slice(-2).map((e) => e.event), ['status_changed', 'receipt_imported']);

  // The same receipt again changes nothing.
  const again = store.importReceipt(receipt);
  assert.equal(again.new, false);
  assert.equal(again.case_status, 'acknowledged');
  assert.equal(store.getCase(caseId).receipts.length, 1);

  // A later receipt moves the receipt status on; the case is then deleted without force.
  assert.equal(store.importReceipt(unit.receipt(sealed.report_id, 'investigating')).new, true);
  [summary] = store.listCases();
  assert.equal(summary.receipt_status, 'investigating');
  assert.equal(store.getCase(caseId).receipts.length, 2);
  store.deleteCase(caseId);
  assert.deepEqual(store.listCases(), []);
});

test('a page holding an identity named in reply_to reads the receipt with openReceipt', () => {
  const office = generateIdentity();
  const { sealed, caseId } = sealedAndIngested({ replyTo: [office.recipient] });
  const receipt = openReceipt(unit.receipt(sealed.report_id, 'referred'), office.identity);
  matchesTypings(receipt, 'Receipt');
  assert.equal(receipt.format, 'indicia-receipt/1');
  assert.equal(receipt.report_id, sealed.report_id);
  assert.equal(receipt.content_hash, sealed.content_hash);
  assert.equal(receipt.case_id, caseId);
  assert.equal(receipt.status, 'referred');
  assert.equal(receipt.unit_name, 'National THB unit');
  assert.deepEqual(receipt.unit, unit.card.signing_key);
  assert.match(receipt.receipt_id, /^[0-9a-f]{32}$/);
  throwsKind(() => openReceipt(unit.receipt(sealed.report_id), generateIdentity().identity), 'WrongIdentity');
  throwsKind(() => openReceipt(new Uint8Array(3), 'not an identity'), 'MalformedIdentity');
});

test('receipts for another store\'s report, foreign units and damaged bytes get precise kinds', () => {
  const { store, sealed } = sealedAndIngested();
  store.addUnit(unit.cardJson);
  const receipt = unit.receipt(sealed.report_id);

  // Another store names this one's reply recipient: the receipt for its report decrypts here,
  // verifies, comes from a known unit, but names no case of this store.
  const other = sealedAndIngested({ replyTo: [store.replyRecipient()] });
  throwsKind(() => store.importReceipt(unit.receipt(other.sealed.report_id)), 'InvalidState', /does not match/);
  // That store's own receipt is not encrypted to this one at all.
  const otherReceipt = unit.receipt(other.sealed.report_id);
  other.store.addUnit(unit.cardJson);
  assert.equal(other.store.importReceipt(otherReceipt).new, true);

  // A second unit whose card this device no longer holds: its receipt (for a report it
  // ingested) is refused here.
  const stranger = receivingUnit(join(tempDir, 'stranger'), 'National THB unit');
  const file = join(tempDir, 'to-stranger.age');
  const strangerCase = store.createCase('For the other unit');
  store.addUnit(stranger.cardJson);
  const toStranger = store.sealCase(strangerCase, ORG, [stranger.card.signing_key.key_id]);
  assert.equal(store.removeUnit(stranger.card.signing_key.key_id), true);
  store.confirmSealed(strangerCase, toStranger.report_id);
  writeFileSync(file, toStranger.package);
  stranger.trustDevice(store.deviceInfo().public_key, ORG);
  stranger.ingest(file);
  const strangerReport = store.getCase(strangerCase).report_id;
  throwsKind(() => store.importReceipt(stranger.receipt(strangerReport)), 'UntrustedSigner');

  // Bytes that are no receipt.
  throwsKind(() => store.importReceipt(new Uint8Array([1, 2, 3, 4, 5])), 'CorruptInput');
  throwsKind(() => store.importReceipt(new Uint8Array()), 'TruncatedInput');
  throwsKind(() => store.importReceipt(sealed.package), 'WrongIdentity');
  throwsKind(() => store.importReceipt(seal(new TextEncoder().encode('hello'), [store.replyRecipient()])), 'CorruptInput');
  throwsKind(() => store.importReceipt(receipt.slice(0, 40)), 'TruncatedInput');
  throwsKind(() => store.importReceipt(receipt.slice(0, receipt.length - 20)), 'CorruptInput');
  const altered = receipt.slice();
  altered[altered.length - 5] ^= 1;
  throwsKind(() => store.importReceipt(altered), 'CorruptInput');

  // None of these changed the case; the real receipt still imports.
  assert.equal(store.listCases().find((c) => c.id !== strangerCase).status, 'sealed');
  assert.equal(store.importReceipt(receipt).new, true);
});

const cardVectors = join(repo, 'tests/vectors/unit-card-v2');
const cardVector = (path) => readFileSync(join(cardVectors, path), 'utf8');

test('unit cards are checked, replaced by signing key and removed by key id', () => {
  const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  throwsKind(() => store.addUnit('{'), 'CorruptInput');
  throwsKind(() => store.addUnit(JSON.stringify({ ...unit.card, extra: 1 })), 'CorruptInput');
  throwsKind(() => store.addUnit(JSON.stringify({ ...unit.card, format: 'indicia-unit/3' })), 'UnsupportedInput');
  throwsKind(() => store.addUnit(JSON.stringify({ ...unit.card, recipient: 'age1nope' })), 'CorruptInput');
  const wrongId = { ...unit.card, signing_key: { ...unit.card.signing_key, key_id: '0'.repeat(32) } };
  throwsKind(() => store.addUnit(JSON.stringify(wrongId)), 'CorruptInput');
  // Signed cards: one altered on the way, or an old unsigned one, is refused.
  throwsKind(() => store.addUnit(JSON.stringify({ ...unit.card, name: 'Renamed unit' })), 'BadSignature');
  const { signature, ...unsigned } = unit.card;
  assert.match(signature, /^[0-9a-f]{128}$/);
  throwsKind(() => store.addUnit(JSON.stringify({ ...unsigned, format: 'indicia-unit/1' })), 'UnsupportedInput');
  assert.deepEqual(store.units(), []);

  // The unit renamed itself and signed a new card: it replaces the first (same key).
  store.addUnit(cardVector('valid/card.json'));
  store.addUnit(cardVector('valid/renamed.json'));
  assert.deepEqual(store.units().map((u) => u.name), ['National THB unit, renamed']);
  const vectorKey = JSON.parse(cardVector('valid/card.json')).signing_key.key_id;
  store.addUnit(unit.cardJson);
  assert.equal(store.removeUnit('f'.repeat(32)), false);
  assert.equal(store.removeUnit(unit.card.signing_key.key_id), true);
  assert.equal(store.removeUnit(vectorKey), true);
  assert.deepEqual(store.units(), []);

  // The reply recipient is stable and goes into reply_to by itself.
  const reply = store.replyRecipient();
  assert.match(reply, /^age1[0-9a-z]+$/);
  assert.equal(store.replyRecipient(), reply);
  store.lock();
  throwsKind(() => store.replyRecipient(), 'StoreLocked');
  throwsKind(() => store.units(), 'StoreLocked');
  throwsKind(() => store.importReceipt(new Uint8Array([1])), 'StoreLocked');
});

test('a unit card\'s fingerprint is the one its vector records, for the card added and listed', () => {
  const expected = JSON.parse(cardVector('expected.json')).valid;
  const store = CaseStore.createInMemory('tidal-amber-orchard', undefined, undefined, strength);
  const card = store.addUnit(cardVector('valid/card.json'));
  assert.equal(unitCardFingerprint(card), expected['card.json'].fingerprint);
  assert.equal(unitCardFingerprint(store.units()[0]), expected['card.json'].fingerprint);
  assert.equal(unitCardFingerprint(JSON.parse(cardVector('valid/renamed.json'))), expected['renamed.json'].fingerprint);
  // A card from the unit's CLI: what `indicia unit-card` shows is what the device computes.
  assert.match(unitCardFingerprint(unit.card), /^\d{5} \d{5} \d{5} \d{5}$/);
  assert.equal(unitCardFingerprint(unit.card), unit.fingerprint);
  throwsKind(() => unitCardFingerprint({ ...unit.card, extra: 1 }), 'InvalidState');
});
