// The encrypted case store through the wasm package under Node (in-memory backend: Node has no
// OPFS). The OPFS backend runs the full conformance suite in Chromium (scripts/test-wasm-store);
// here the JS surface is checked: values in and out, error kinds, lock/unlock, quick delete.
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
const { CaseStore, installBrowserStorage, builtinChecklists } = indicia;

const PIN = 'tidal-amber-orchard';

/** Asserts that `fn` throws an IndiciaError of `kind`. */
function throwsKind(fn, kind) {
  assert.throws(fn, (err) => {
    assert.equal(err.name, 'IndiciaError');
    assert.equal(err.kind, kind, err.message);
    return true;
  });
}

function storeWithCase() {
  const store = CaseStore.createInMemory(PIN, undefined, undefined, strength);
  const id = store.createCase('Case at the harbour', 'first-contact');
  store.saveAnswer(id, 'age_group', 'adult');
  store.saveAnswer(id, 'sector', ['construction', 'agriculture']);
  store.saveAnswer(id, 'worker_note', 'lives above the restaurant ✓');
  store.addNote(id, 'met at the bus station');
  return { store, id };
}

test('a case, its answers and notes round-trip with their JS types', () => {
  const { store, id } = storeWithCase();
  assert.deepEqual(store.answers(id), {
    age_group: 'adult',
    sector: ['construction', 'agriculture'],
    worker_note: 'lives above the restaurant ✓',
  });
  const [summary] = store.listCases();
  assert.equal(summary.id, id);
  assert.equal(summary.title, 'Case at the harbour');
  assert.equal(summary.status, 'draft');
  const record = store.getCase(id);
  assert.equal(record.checklist.id, 'first-contact');
  assert.match(record.checklist.hash, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(store.notes(id).map((n) => n.text), ['met at the bus station']);
  store.clearAnswer(id, 'sector');
  assert.equal('sector' in store.answers(id), false);
});

test('the custody log records every change in a hash chain', () => {
  const { store, id } = storeWithCase();
  const log = store.custodyLog(id);
  assert.deepEqual(log.map((e) => e.event), ['created', 'answer_saved', 'answer_saved', 'answer_saved', 'note_added']);
  log.forEach((e, i) => {
    assert.equal(e.seq, i);
    assert.equal(e.prev, i === 0 ? '0'.repeat(64) : log[i - 1].hash);
  });
  // Details name questions, never content.
  assert.equal(JSON.stringify(log).includes('restaurant'), false);
});

test('lock, wrong PIN, unlock, change PIN', () => {
  const { store, id } = storeWithCase();
  store.lock();
  assert.equal(store.isUnlocked(), false);
  throwsKind(() => store.answers(id), 'StoreLocked');
  throwsKind(() => store.unlock('0000'), 'WrongPin');
  assert.equal(store.failedUnlocks(), 1);
  store.unlock(PIN);
  assert.equal(store.failedUnlocks(), 0);
  assert.equal(store.answers(id).age_group, 'adult');
  throwsKind(() => store.changePin('9999', 'copper kettle moonrise', undefined, undefined, undefined, strength), 'WrongPin');
  store.changePin(PIN, 'copper kettle moonrise', undefined, undefined, undefined, strength);
  store.lock();
  throwsKind(() => store.unlock(PIN), 'WrongPin');
  store.unlock('copper kettle moonrise');
  assert.equal(store.answers(id).age_group, 'adult');
});

test('the third wrong PIN wipes the store when wipe-after is 3', () => {
  const { store } = storeWithCase();
  assert.equal(store.attemptsLeft(), undefined, 'no limit set yet');
  store.setWipeAfter(3);
  store.lock();
  assert.equal(store.attemptsLeft(), 3, 'readable while locked');
  throwsKind(() => store.unlock('1111'), 'WrongPin');
  throwsKind(() => store.unlock('2222'), 'WrongPin');
  assert.equal(store.attemptsLeft(), 1);
  throwsKind(() => store.unlock('3333'), 'StoreWiped');
  throwsKind(() => store.unlock(PIN), 'NoStore');
  throwsKind(() => store.listCases(), 'NoStore');
});

test('quick delete leaves an object that refers to no store', () => {
  const { store } = storeWithCase();
  store.quickDelete();
  throwsKind(() => store.listCases(), 'NoStore');
  throwsKind(() => store.quickDelete(), 'NoStore');
});

test('attachments are stored in chunks and read back checked', () => {
  const { store, id } = storeWithCase();
  const data = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
  const info = store.addAttachment(id, 'photo.jpg', 'image/jpeg', data);
  assert.equal(info.size, data.length);
  assert.equal(info.chunks, 4);
  assert.equal(info.sha256, createHash('sha256').update(data).digest('hex'));
  assert.deepEqual(store.attachments(id).map((a) => a.name), ['photo.jpg']);
  assert.deepEqual(store.readAttachment(id, info.id), data);
});

test('statuses move forward only, and a sealed case cannot be edited', () => {
  const { store, id } = storeWithCase();
  // No host can set a status: sealed comes from sealCase + confirmSealed, acknowledged only from
  // a verified receipt.
  assert.equal(store.setStatus, undefined);
  throwsKind(() => store.markHandedOver(id), 'InvalidState');
  store.addUnit(signedUnitCard('Unit', indicia.generateIdentity().recipient).cardJson);
  const sealed = store.sealCase(id, 'org', []);
  store.confirmSealed(id, sealed.report_id);
  store.markHandedOver(id);
  assert.equal(store.getCase(id).status, 'handed_over');
  throwsKind(() => store.saveAnswer(id, 'age_group', 'child'), 'InvalidState');
  throwsKind(() => store.deleteCase(id, false), 'InvalidState');
  store.deleteCase(id, true);
  throwsKind(() => store.answers(id), 'NotFound');
  assert.deepEqual(store.deletedCaseIds(), [id]);
});

test('hostile arguments get precise errors', () => {
  const { store, id } = storeWithCase();
  throwsKind(() => store.saveAnswer(id, 'age_group', { nested: true }), 'InvalidAnswer');
  throwsKind(() => store.saveAnswer(id, 'age_group', undefined), 'InvalidAnswer');
  throwsKind(() => store.answers('no-such-case'), 'NotFound');
  throwsKind(() => store.createCase('x', 'no-such-checklist'), 'UnknownChecklist');
  // The language the case is run in is kept with it; one the checklist lacks is refused.
  assert.equal(store.getCase(store.createCase('x', 'first-contact', 'el')).language, 'el');
  throwsKind(() => store.createCase('x', 'first-contact', 'xx'), 'InvalidArgument');
  throwsKind(() => store.saveAnswer(id, 'sector', []), 'InvalidAnswer');
  throwsKind(() => store.saveAnswer(id, 'worker_note', '  '), 'InvalidAnswer');
  throwsKind(() => store.createCase('x'.repeat(10_000)), 'InvalidArgument');
  // Nothing refused was kept.
  assert.equal(store.answers(id).age_group, 'adult');
  assert.ok(builtinChecklists().includes('first-contact'));
});

test('browser storage is refused outside a dedicated Worker', async () => {
  await assert.rejects(installBrowserStorage(), (err) => {
    assert.equal(err.kind, 'StoreFailure');
    assert.match(err.message, /dedicated worker/);
    return true;
  });
  throwsKind(() => CaseStore.openInBrowser('indicia.sqlite'), 'StoreFailure');
  throwsKind(() => CaseStore.existsInBrowser('indicia.sqlite'), 'StoreFailure');
});

test('a WebCrypto non-extractable key unlocks the store without the PIN', async () => {
  const { store, id } = storeWithCase();
  const platformKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  assert.equal(platformKey.extractable, false);
  assert.equal(store.platformWrapped(), undefined);
  const dataKey = store.platformDataKey();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, platformKey, dataKey));
  dataKey.fill(0);
  store.setPlatformWrapped(new Uint8Array([...iv, ...sealed]));
  store.lock();
  throwsKind(() => store.platformDataKey(), 'StoreLocked');

  // Unlock: read the wrapped key while locked, unwrap it in WebCrypto, hand the result back.
  const wrapped = store.platformWrapped();
  const unwrapped = new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: wrapped.slice(0, 12) }, platformKey, wrapped.slice(12)),
  );
  store.unlockWithPlatformKey(unwrapped);
  assert.equal(store.answers(id).age_group, 'adult');

  // Another key's output does not open it, and is not counted as a wrong PIN.
  store.lock();
  throwsKind(() => store.unlockWithPlatformKey(new Uint8Array(32).fill(7)), 'StoreFailure');
  throwsKind(() => store.unlockWithPlatformKey(new Uint8Array(5)), 'StoreFailure');
  assert.equal(store.failedUnlocks(), 0);
  store.unlock(PIN); // the PIN still works
  store.removePlatformKey();
  assert.equal(store.platformWrapped(), undefined);
});

test('the core refuses a weak passphrase, and any passphrase without a strength estimator', () => {
  for (const weak of ['1', '1234', '123456', 'password1']) {
    throwsKind(() => CaseStore.createInMemory(weak, undefined, undefined, strength), 'WeakPin');
  }
  // The browser build of the core has no estimator of its own: it fails closed.
  throwsKind(() => CaseStore.createInMemory(PIN), 'WeakPin');
  // An estimator that misbehaves refuses too.
  throwsKind(() => CaseStore.createInMemory(PIN, undefined, undefined, () => 'strong'), 'WeakPin');
  throwsKind(() => CaseStore.createInMemory(PIN, undefined, undefined, () => { throw new Error('x'); }), 'WeakPin');
});

test('a store made with a passkey PRF secret opens only with the PIN and that secret', () => {
  const challenge = CaseStore.newDeviceChallenge();
  assert.equal(challenge.length, 32);
  // Stands in for the passkey's PRF output for this challenge.
  const prf = new Uint8Array(createHash('sha256').update(challenge).update('authenticator').digest());
  throwsKind(() => CaseStore.createInMemory('12345', challenge, prf), 'WeakPin');
  const store = CaseStore.createInMemory('839201', challenge, prf);
  const id = store.createCase('device-bound', 'first-contact');
  store.lock();
  assert.deepEqual([...store.deviceChallenge()], [...challenge]);
  throwsKind(() => store.unlock('839201'), 'DeviceSecretRequired');
  throwsKind(() => store.unlockWithDevice('839201', new Uint8Array(32)), 'WrongPin');
  throwsKind(() => store.unlockWithDevice('839201', new Uint8Array(31)), 'InvalidArgument');
  store.unlockWithDevice('839201', prf);
  assert.equal(store.listCases()[0].id, id);
  // Re-key onto the passphrase alone (a new data key; the passkey no longer needed).
  store.rekey('839201', 'copper kettle moonrise', prf, undefined, undefined, strength);
  store.lock();
  assert.equal(store.deviceChallenge(), undefined);
  store.unlock('copper kettle moonrise');
  assert.equal(store.listCases()[0].id, id);
});
