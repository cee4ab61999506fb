// The field app's encrypted store and its cases' life in Chromium, beyond the whole flow of
// field-app.test.mjs: what the origin keeps (only ciphertext in OPFS), quick delete (two taps,
// nothing left), a sealed case (its package as the unit verifies it; no second sealing, no
// deletion before a receipt) and receipts (imported once; other bytes refused), and removing the
// receiving unit. The unit is driven through the `indicia` CLI.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, enterPin, onScreen, question, setUp, snap, startCase, startWeb } from './app.mjs';
import { contains, originStorage, receivingUnit, runCli } from './support.mjs';

const ORGANISATION = 'es.example-ngo';
const PASSPHRASE = 'lantern-quarry-willow';
let web;
let tempDir;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-field-store-'));
  web = await startWeb({ organisation: ORGANISATION });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

let units = 0;
const newUnit = () => receivingUnit(join(tempDir, `unit-${++units}`), 'National THB unit');

/** A new device, set up with `unit`, on the case list. */
async function openSetUp(unit) {
  const opened = await web.open(`${web.appOrigin}/`);
  await appReady(opened.page);
  await setUp(opened.page, PASSPHRASE, unit);
  return opened;
}

/** Answers the open case as every layer does for the cross-layer comparison
 * (tests/python/test_package.py, ASSESSED_ANSWERS), with `note` as the worker's note. */
async function answerAssessed(page, note) {
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'documents_held').locator('input[value="yes"]').check();
  await question(page, 'debt').locator('input[value="yes"]').check();
  await question(page, 'worker_note').locator('textarea').fill(note);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#saved', { hasText: 'Saved' }).waitFor();
}

/** Seals the open case and saves the package (no share sheet here): returns its report id and
 * file once the case is sealed. */
async function seal(page) {
  await page.locator('#seal').click();
  await page.locator('#handover:not([hidden])').waitFor();
  const reportId = await page.locator('#handover-text').getAttribute('data-report-id');
  assert.match(reportId, /^[0-9a-f]{32}$/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  await page.locator('#screen-case[data-status="sealed"]').waitFor();
  const file = join(tempDir, `${randomUUID()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return { reportId, file };
}

/** Leaves the app for a page of the same origin (the worker ends and releases the OPFS files)
 * and reads everything the origin stores. */
async function storedByOrigin(page) {
  await page.goto(`${web.appOrigin}/exit.html`);
  return originStorage(page);
}

test('the origin keeps a case only encrypted in OPFS: no title, answer or note anywhere, nothing outside OPFS but the app code cache', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const title = `Harbour case ${marker}T`;
  const answer = `Lives above the restaurant ${marker}A`;
  const note = `Met at the bus station ${marker}N`;
  const { page, done } = await openSetUp(newUnit());
  await startCase(page, title);
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'sector').locator('input[value="construction"]').check();
  await question(page, 'worker_note').locator('textarea').fill(answer);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#note-text').fill(note);
  await page.locator('#note-add').click();
  await page.locator('#note-list li', { hasText: note }).waitFor();
  await page.locator('#saved', { hasText: 'Saved' }).waitFor();

  const stored = await storedByOrigin(page);
  const opfsBytes = stored.filter((s) => s.where === 'opfs').reduce((n, s) => n + s.bytes.length, 0);
  assert.ok(opfsBytes > 16384, `the store is in OPFS (${opfsBytes} bytes found)`);
  // The scan reads the database itself, not just some wrapper: SQLite's file header is there.
  assert.ok(stored.some((s) => contains(s.bytes, 'SQLite format 3')), 'the database file was read');
  for (const { where, name, bytes } of stored) {
    for (const [what, secret] of [['title', title], ['answer', answer], ['note', note], ['marker', marker]]) {
      assert.equal(contains(bytes, secret), false, `${where} ${name} holds the ${what} in the clear`);
    }
    assert.equal(contains(bytes, 'construction'), false, `${where} ${name} holds an answer value in the clear`);
  }
  // Outside OPFS only the service worker's precache of the app's own files (by name here; its
  // contents are the built app).
  const outside = stored.filter((s) => s.where !== 'opfs');
  assert.deepEqual(outside.filter((s) => s.where !== 'cache'), [], 'nothing in web storage or IndexedDB');
  for (const { name } of outside) assert.match(name, /^workbox-precache/, `cache ${name}`);
  await done();
});

test('quick delete takes two taps, destroys the store and leaves no case data in OPFS (files truncated)', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const { page, done } = await openSetUp(newUnit());
  await startCase(page, `Case ${marker}`);
  await question(page, 'worker_note').locator('textarea').fill(`answer ${marker}`);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#note-text').fill(`note ${marker}`);
  await page.locator('#note-add').click();
  await page.locator('#note-list li').first().waitFor();
  await page.locator('#case-back').click();
  await onScreen(page, 'cases');

  // The first tap only asks; Cancel keeps everything.
  await page.locator('#delete-all').click();
  await page.locator('#delete-all-yes').waitFor();
  assert.equal(await page.locator('#delete-all').isHidden(), true);
  await snap(page, 'store-quick-delete-confirm');
  await page.locator('#delete-all-no').click();
  assert.equal(await page.locator('#delete-all-confirm').isHidden(), true);
  assert.equal(await page.locator('#case-list li').count(), 1, 'cancel keeps the case');

  await page.locator('#delete-all').click();
  await page.locator('#delete-all-yes').click();
  await onScreen(page, 'lock');
  assert.equal(await page.locator('body').getAttribute('data-store'), 'none', 'the app offers a new store');
  await page.reload();
  await appReady(page);
  await onScreen(page, 'lock');
  assert.equal(await page.locator('body').getAttribute('data-store'), 'none', 'still none after a reload');

  const stored = await storedByOrigin(page);
  for (const { where, name, bytes } of stored) {
    assert.equal(contains(bytes, marker), false, `${where} ${name} still holds the case`);
  }
  // The pool's files are truncated to their headers: no database pages are left.
  const largest = Math.max(0, ...stored.map((s) => s.bytes.length));
  assert.ok(largest <= 4096, `a file of ${largest} bytes is left after quick delete`);
  await done();
});

test('a sealed case is read-only, refuses a second sealing and is kept until a receipt; its package verifies at the unit', async () => {
  const unit = newUnit();
  const marker = randomUUID().replaceAll('-', '');
  const { page, done } = await openSetUp(unit);
  await startCase(page, `Market case ${marker}`);
  await answerAssessed(page, `note ${marker}`);
  assert.equal(await page.locator('#case-delete').isVisible(), true, 'a draft can be deleted');
  const { reportId, file } = await seal(page);
  assert.equal(readFileSync(file).includes(marker), false, 'the package holds nothing readable');

  // The package as the unit reads it: the case, the organisation, the checklist and its assessment.
  const line = JSON.parse(runCli(['package', 'verify', '--json', '-i', unit.keyFile, file]).trim());
  assert.equal(line.status, 'ok');
  assert.equal(line.manifest.report_id, reportId);
  assert.equal(line.manifest.organisation, ORGANISATION);
  assert.equal(line.manifest.case.answers.worker_note, `note ${marker}`);
  assert.equal(line.manifest.checklist.id, 'first-contact');
  assert.deepEqual(line.manifest.assessment.fired.map((f) => f.id), ['C.documents_held', 'C.debt_bondage']);

  // Sealed: nothing can be edited, sealed again or deleted (no receipt yet).
  const readOnly = async () => {
    assert.equal(await page.locator('#seal').isHidden(), true, 'no seal button');
    assert.equal(await page.locator('#case-delete').isHidden(), true, 'a sealed case without a receipt is kept');
    assert.equal(await question(page, 'debt').locator('input[value="no"]').isDisabled(), true);
    assert.equal(await page.locator('#note-add').isDisabled(), true);
  };
  await readOnly();
  // Even with the button forced back, the core refuses a second sealing and the app says why.
  await page.evaluate(() => Object.assign(document.getElementById('seal'), { hidden: false, disabled: false }));
  await page.locator('#seal').click();
  await page.locator('#case-error', { hasText: 'InvalidState: a case cannot go from sealed to edited' }).waitFor();
  assert.equal(await page.locator('#screen-case').getAttribute('data-status'), 'sealed');

  // After a reload and an unlock the case is still sealed and read-only.
  await page.reload();
  await appReady(page);
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'cases');
  await page.locator('#case-list li[data-status="sealed"] button').click();
  await onScreen(page, 'case');
  await readOnly();
  await done();
});

test('a receipt is imported once (again changes nothing), other bytes are refused, and the unit can be removed', async () => {
  const unit = newUnit();
  const { page, done } = await openSetUp(unit);
  unit.trustDevice((await page.locator('#device-key').textContent()).trim(), ORGANISATION);
  await startCase(page, 'Workshop case');
  await answerAssessed(page, 'note');
  const { reportId, file } = await seal(page);
  unit.ingest(file);
  const listed = unit.list().split('\n').find((l) => l.startsWith(reportId));
  assert.ok(listed?.includes(ORGANISATION), `the unit lists report ${reportId} from the organisation`);
  const receipt = { name: 'receipt.age', mimeType: 'application/octet-stream', buffer: Buffer.from(unit.receipt(reportId, 'received')) };

  await page.locator('#case-back').click();
  await onScreen(page, 'cases');
  const item = page.locator('#case-list li');
  const caseId = await item.getAttribute('data-case-item');
  await page.locator('#receipt-file').setInputFiles(receipt);
  await page.locator('#receipt-result[data-new="true"]:not([hidden])', { hasText: 'National THB unit' }).waitFor();
  assert.equal(await page.locator('#receipt-result').getAttribute('data-case-id'), caseId);
  await page.locator(`#case-list li[data-case-item="${caseId}"][data-status="acknowledged"][data-receipt-status="received"]`).waitFor();

  // The same receipt again changes nothing; bytes that are no receipt are refused with their kind.
  await page.locator('#receipt-file').setInputFiles(receipt);
  await page.locator('#receipt-result[data-new="false"]:not([hidden])').waitFor();
  await page.locator('#receipt-file').setInputFiles({ name: 'x.age', mimeType: 'application/octet-stream', buffer: Buffer.from('not a receipt') });
  await page.locator('#cases-error', { hasText: 'CorruptInput' }).waitFor();
  assert.equal(await item.getAttribute('data-status'), 'acknowledged');

  // Removing the unit (its card does not match after all) leaves the store without one: the app
  // asks for a card again before anything else.
  await page.locator(`#unit-list button[data-remove-unit="${unit.card.signing_key.key_id}"]`).click();
  await onScreen(page, 'setup');
  await page.locator('#setup-card').setInputFiles({ name: 'unit.json', mimeType: 'application/json', buffer: Buffer.from(unit.cardJson) });
  await page.locator('#setup-matches').click();
  await onScreen(page, 'cases');
  assert.equal(await page.locator('#unit-list li').count(), 1);
  await done();
});
