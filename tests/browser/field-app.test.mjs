// The field app (web/app, built into build/web/app) on a phone-sized screen in Chromium: the whole
// field flow a worker goes through, from an empty device to a case acknowledged by the unit and
// deleted, with the receiving unit driven through the `indicia` CLI; reload and resume; the store
// never holds a title, answer or note in the clear. A screenshot of each step is saved under
// build/screenshots/. The unit holds the run's receiver key, and the package is left in
// INDICIA_CROSS_DIR as chromium-package.age for tests/python/test_package.py, which compares it
// with the packages Python and Kotlin seal for the same answers (ASSESSED_ANSWERS there).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, enterPin, onScreen, question, snap, startWeb } from './app.mjs';
import { contains, originStorage, receiverKey, receivingUnit } from './support.mjs';

// The organisation tests/python/test_package.py expects in the cross-layer package.
const ORGANISATION = 'es.example-ngo';
let web;
let tempDir;

before(async () => {
  web = await startWeb({ organisation: ORGANISATION });
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-field-app-'));
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

test('the whole field flow in Slovak: set-up, a case answered, resumed after a reload, sealed, ingested by the unit, acknowledged and deleted', async () => {
  const unit = receivingUnit(join(tempDir, 'unit'), 'Národná jednotka THB', { identity: receiverKey(tempDir).keyFile });
  const marker = randomUUID().replaceAll('-', '');
  const title = `Prístav ${marker}T`;
  const answer = `Býva nad reštauráciou ${marker}A`;
  const note = `Stretnutie na stanici ${marker}N`;
  const passphrase = 'tidal-amber-orchard';

  const { page, done } = await web.open(`${web.appOrigin}/`);
  await appReady(page);
  // A new device: no passkey in this browser, so the store asks for a passphrase.
  await onScreen(page, 'lock');
  assert.equal(await page.locator('body').getAttribute('data-store'), 'none');
  assert.equal(await page.locator('body').getAttribute('data-protection'), 'passphrase');
  assert.equal(await page.title(), 'Notes', 'a neutral title');
  await snap(page, 'field-01-create');
  await enterPin(page, passphrase);

  // Set-up: the unit's card from a file, checked by the fingerprint the unit reads out.
  await onScreen(page, 'setup');
  await page.locator('#setup-card').setInputFiles({ name: 'unit.json', mimeType: 'application/json', buffer: Buffer.from(unit.cardJson) });
  await page.locator('#setup-fingerprint', { hasText: unit.fingerprint }).waitFor();
  await snap(page, 'field-02-unit-fingerprint');
  await page.locator('#setup-matches').click();
  await onScreen(page, 'cases');
  await snap(page, 'field-03-cases');
  const deviceKey = (await page.locator('#device-key').textContent()).trim();
  assert.match(deviceKey, /^[0-9a-f]{64}$/);
  unit.trustDevice(deviceKey, ORGANISATION);

  // A new case in Slovak.
  await page.locator('#case-title').fill(title);
  await page.locator('#case-language').selectOption('sk');
  await page.locator('#case-start').click();
  await onScreen(page, 'case');
  assert.equal(await page.locator('#questions').getAttribute('lang'), 'sk');
  // The answers every layer gives for the cross-layer comparison (ASSESSED_ANSWERS), and a note.
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'documents_held').locator('input[value="yes"]').check();
  assert.equal(await question(page, 'documents_held').locator('label.option', { hasText: 'Áno' }).count(), 1, 'the answers are labelled in Slovak');
  await question(page, 'debt').locator('input[value="yes"]').check();
  await question(page, 'worker_note').locator('textarea').fill(answer);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#note-text').fill(note);
  await page.locator('#note-add').click();
  await page.locator('#note-list li', { hasText: note }).waitFor();
  await page.locator('#photo-file').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(20_000, 7) });
  await page.locator('#attachment-list li', { hasText: 'passport.jpg' }).waitFor();
  await page.locator('#saved', { hasText: 'Saved' }).waitFor();
  assert.equal(await page.title(), 'Notes', 'the title never shows the case');
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, 'field-04-questions');
  await page.locator('#assessment').scrollIntoViewIfNeeded();
  await snap(page, 'field-05-assessment');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'nothing is wider than the phone');

  // A reload (or a closed tab) locks the store; after unlocking, the case resumes in Slovak
  // with every answer.
  await page.reload();
  await appReady(page);
  await onScreen(page, 'lock');
  await enterPin(page, passphrase);
  await onScreen(page, 'cases');
  await page.locator('#case-list button', { hasText: title }).click();
  await onScreen(page, 'case');
  assert.equal(await page.locator('#questions').getAttribute('lang'), 'sk', 'the case keeps its language');
  assert.equal(await question(page, 'debt').locator('input[value="yes"]').isChecked(), true);
  assert.equal(await question(page, 'worker_note').locator('textarea').inputValue(), answer);
  await page.locator('#note-list li', { hasText: note }).waitFor();
  assert.equal(await page.locator('#progress-text').getAttribute('data-answered'), '4');

  // Seal, then hand over: no share sheet here, so the file is saved.
  await page.locator('#seal').click();
  await page.locator('#handover:not([hidden])').waitFor();
  const reportId = await page.locator('#handover-text').getAttribute('data-report-id');
  assert.match(reportId, /^[0-9a-f]{32}$/);
  await snap(page, 'field-06-sealed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  await page.locator('#screen-case[data-status="sealed"]').waitFor();
  const file = join(tempDir, download.suggestedFilename());
  await download.saveAs(file);
  assert.equal(readFileSync(file).includes(marker), false, 'the package holds nothing readable');
  if (process.env.INDICIA_CROSS_DIR) writeFileSync(join(process.env.INDICIA_CROSS_DIR, 'chromium-package.age'), readFileSync(file));

  // The unit takes it in and answers with a receipt, which the app imports.
  assert.match(unit.ingest(file), new RegExp(reportId));
  const receipt = unit.receipt(reportId, 'received');
  await page.locator('#case-back').click();
  await onScreen(page, 'cases');
  await page.locator('#receipt-file').setInputFiles({ name: 'receipt.age', mimeType: 'application/octet-stream', buffer: Buffer.from(receipt) });
  await page.locator('#receipt-result:not([hidden])').waitFor();
  await page.locator('#case-list li[data-status="acknowledged"]').waitFor();
  await snap(page, 'field-07-acknowledged');

  // An acknowledged case may be deleted: two taps.
  await page.locator('#case-list button', { hasText: title }).click();
  await onScreen(page, 'case');
  await page.locator('#case-delete').click();
  await page.locator('#case-delete-yes').click();
  await onScreen(page, 'cases');
  assert.equal(await page.locator('#case-list li').count(), 0);

  // Everything the origin keeps, read byte by byte from a page of the origin once the worker is
  // gone: no title, answer or note, and no marker, in OPFS, IndexedDB, web storage or caches.
  await page.goto(`${web.appOrigin}/exit.html`);
  const stored = await originStorage(page);
  assert.ok(stored.some((s) => contains(s.bytes, 'SQLite format 3')), 'the database file was read');
  for (const { where, name, bytes } of stored) {
    assert.equal(contains(bytes, marker), false, `${where} ${name} holds case text in the clear`);
  }
  await done();
});
