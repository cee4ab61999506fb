// The case notebook page in a real Chromium: the encrypted store runs in a Worker on OPFS. A case
// started and answered on the page is back after a reload and an unlock, and then everything the
// origin stored (OPFS, IndexedDB, localStorage, sessionStorage, Cache Storage) is read byte by
// byte: none of the answers, notes or the title is in it.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  cli,
  contains,
  enterPin,
  openNotebook as openNotebookOn,
  originStorage,
  question,
  receiverKey,
  receivingUnit,
  startSite,
  waitStore,
} from './support.mjs';

let site;
let tempDir;

before(async () => {
  site = await startSite();
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-case-page-'));
});

after(async () => {
  await site?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

const openNotebook = () => openNotebookOn(site);

test('a case is back after a reload and an unlock, and the origin stores none of it in the clear', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const title = `Harbour case ${marker}T`;
  const answer = `Lives above the restaurant ${marker}A`;
  const note = `Met at the bus station ${marker}N`;
  const pin = 'tidal-amber-orchard';

  const { page, done } = await openNotebook();
  await waitStore(page, 'none');
  await enterPin(page, pin);
  await waitStore(page, 'unlocked');
  // No passkey in this browser: the store is under the passphrase alone, and the page says so.
  assert.equal(await page.evaluate(() => document.body.dataset.protection), 'passphrase');

  await page.locator('#case-title').fill(title);
  await page.locator('#new-case button').click();
  await page.locator('#case:not([hidden])').waitFor();
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'long_hours').locator('input[value="yes"]').check();
  await question(page, 'sector').locator('input[value="construction"]').check();
  await question(page, 'worker_note').locator('textarea').fill(answer);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#note-text').fill(note);
  await page.locator('#new-note button').click();
  await page.locator('#note-list li', { hasText: note }).waitFor();
  await page.locator('#saved', { hasText: 'All answers saved.' }).waitFor();

  // A reload ends the worker and forgets the keys: the store is locked, and a wrong PIN is refused.
  await page.reload();
  await page.locator('body[data-store-ready="true"]').waitFor();
  await waitStore(page, 'locked');
  assert.equal(await page.locator('#cases').isHidden(), true, 'no case list while locked');
  await enterPin(page, '0000');
  await page.locator('#store-error', { hasText: 'WrongPin' }).waitFor();
  await waitStore(page, 'locked');

  await enterPin(page, pin);
  await waitStore(page, 'unlocked');
  await page.locator('#case-list button', { hasText: title }).click();
  await page.locator('#note-list li', { hasText: note }).waitFor();
  assert.equal(await question(page, 'age_group').locator('input[value="adult"]').isChecked(), true);
  assert.equal(await question(page, 'long_hours').locator('input[value="yes"]').isChecked(), true);
  assert.equal(await question(page, 'sector').locator('input[value="construction"]').isChecked(), true);
  assert.equal(await question(page, 'worker_note').locator('textarea').inputValue(), answer);
  // The restored answers drive the assessment as before: the strong indicator counts.
  assert.equal(await page.locator('#progress-text').getAttribute('data-answered'), '4');

  // Leaving the page ends the worker, which releases the OPFS files; a page of the same origin
  // then reads everything stored.
  await page.goto(new URL('/checklist.html', page.url()).href);
  const stored = await originStorage(page);
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
  assert.deepEqual(stored.filter((s) => s.where !== 'opfs'), [], 'nothing outside OPFS');
  await done();
});

test('quick delete destroys the store: the page offers a new one and OPFS keeps no case data', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const { page, done } = await openNotebook();
  await waitStore(page, 'none'); // each test has a fresh browser context
  await enterPin(page, 'copper kettle moonrise');
  await waitStore(page, 'unlocked');
  await page.locator('#case-title').fill(`Case ${marker}`);
  await page.locator('#new-case button').click();
  await page.locator('#case:not([hidden])').waitFor();
  await page.locator('#note-text').fill(`note ${marker}`);
  await page.locator('#new-note button').click();
  await page.locator('#note-list li').first().waitFor();

  await page.locator('#quick-delete').click();
  await waitStore(page, 'none');
  assert.equal(await page.locator('#case').isHidden(), true);

  await page.reload();
  await page.locator('body[data-store-ready="true"]').waitFor();
  await waitStore(page, 'none');
  await page.goto(new URL('/checklist.html', page.url()).href);
  const stored = await originStorage(page);
  for (const { where, name, bytes } of stored) {
    assert.equal(contains(bytes, marker), false, `${where} ${name} still holds the case`);
  }
  // The pool's files are truncated to their headers: no database pages are left.
  const largest = Math.max(0, ...stored.map((s) => s.bytes.length));
  assert.ok(largest <= 4096, `a file of ${largest} bytes is left after quick delete`);
  await done();
});

test('a case sealed on the page downloads a package that the CLI verifies, and the case is sealed', async () => {
  const { keyFile, recipient } = receiverKey(tempDir);
  const marker = randomUUID().replaceAll('-', '');
  const { page, done } = await openNotebook();
  await waitStore(page, 'none');
  await enterPin(page, 'lantern quarry willow');
  await waitStore(page, 'unlocked');
  await page.locator('#case-title').fill(`Market case ${marker}`);
  await page.locator('#new-case button').click();
  await page.locator('#case:not([hidden])').waitFor();
  // The answers tests/python/test_package.py (ASSESSED_ANSWERS) compares across layers.
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'documents_held').locator('input[value="yes"]').check();
  await question(page, 'debt').locator('input[value="yes"]').check();
  await question(page, 'worker_note').locator('textarea').fill(`note ${marker}`);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#saved', { hasText: 'All answers saved.' }).waitFor();

  await page.locator('#seal-recipients').fill(recipient);
  await page.locator('#seal-organisation').fill('es.example-ngo');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#seal-form button').click(),
  ]);
  await page.locator('#seal-result:not([hidden])').waitFor();
  const reportId = await page.locator('#seal-result').getAttribute('data-report-id');
  assert.match(reportId, /^[0-9a-f]{32}$/);
  assert.equal(await page.locator('#case').getAttribute('data-status'), 'sealed');
  const file = join(tempDir, download.suggestedFilename());
  await download.saveAs(file);
  assert.equal(readFileSync(file).includes(marker), false, 'the package holds nothing readable');

  const out = execFileSync(cli, ['package', 'verify', '--json', '-i', keyFile, file]).toString();
  const line = JSON.parse(out.trim());
  assert.equal(line.status, 'ok');
  assert.equal(line.manifest.report_id, reportId);
  assert.equal(line.manifest.organisation, 'es.example-ngo');
  assert.equal(line.manifest.case.answers.worker_note, `note ${marker}`);
  assert.equal(line.manifest.checklist.id, 'first-contact');
  assert.deepEqual(line.manifest.assessment.fired.map((f) => f.id), ['C.documents_held', 'C.debt_bondage']);
  if (process.env.INDICIA_CROSS_DIR) writeFileSync(join(process.env.INDICIA_CROSS_DIR, 'chromium-package.age'), readFileSync(file));

  // A sealed case refuses a second sealing, and the page says why.
  await page.locator('#seal-form button').click();
  await page.locator('#store-error', { hasText: 'InvalidState' }).waitFor();
  await done();
});

test('the receiving unit ingests a case sealed on the page, and the page imports its receipt', async () => {
  const unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
  const marker = randomUUID().replaceAll('-', '');
  const title = `Workshop case ${marker}`;
  const { page, done } = await openNotebook();
  await waitStore(page, 'none');
  await enterPin(page, 'orchard lantern quarry');
  await waitStore(page, 'unlocked');

  // The unit's card is added from a file; the device's key is shown for the unit's trust list.
  await page.locator('#unit-file').setInputFiles({
    name: 'unit.json',
    mimeType: 'application/json',
    buffer: Buffer.from(unit.cardJson),
  });
  await page.locator(`#unit-list li[data-unit="${unit.card.signing_key.key_id}"]`, { hasText: 'National THB unit' }).waitFor();
  // The fingerprint shown is the one `indicia unit-card` printed at the unit.
  await page.locator(`#unit-list li[data-unit="${unit.card.signing_key.key_id}"] .fingerprint`, { hasText: unit.fingerprint }).waitFor();
  const deviceKey = (await page.locator('#device-key').textContent()).trim();
  assert.match(deviceKey, /^[0-9a-f]{64}$/);

  await page.locator('#case-title').fill(title);
  await page.locator('#new-case button').click();
  await page.locator('#case:not([hidden])').waitFor();
  const caseId = await page.locator('#case').getAttribute('data-case');
  // The answers tests/python/test_package.py (ASSESSED_ANSWERS) compares across layers.
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'documents_held').locator('input[value="yes"]').check();
  await question(page, 'debt').locator('input[value="yes"]').check();
  await question(page, 'worker_note').locator('textarea').fill(`note ${marker}`);
  await question(page, 'worker_note').locator('textarea').blur();
  await page.locator('#saved', { hasText: 'All answers saved.' }).waitFor();
  const itemSelector = `#case-list li[data-case-item="${caseId}"]`;
  const item = page.locator(itemSelector);
  assert.equal(await item.locator('button[data-delete]').count(), 1, 'a draft can be deleted');

  // No key typed: the case is sealed to the unit added above.
  await page.locator('#seal-organisation').fill('es.example-ngo');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#seal-form button').click()]);
  await page.locator('#seal-result:not([hidden])').waitFor();
  const reportId = await page.locator('#seal-result').getAttribute('data-report-id');
  await page.locator(`${itemSelector}[data-status="sealed"]`).waitFor();
  assert.equal(await item.locator('button[data-delete]').count(), 0, 'a sealed case without a receipt is kept');
  const file = join(tempDir, `unit-${download.suggestedFilename()}`);
  await download.saveAs(file);

  // The unit trusts the device key the page showed, ingests the package and lists the report.
  unit.trustDevice(deviceKey, 'es.example-ngo');
  unit.ingest(file);
  const listed = unit.list().split('\n').find((line) => line.startsWith(reportId));
  assert.ok(listed?.includes('es.example-ngo'), `the unit lists report ${reportId} from the organisation`);

  // Its receipt, imported on the page, acknowledges the case, which may then be deleted.
  const receiptFile = join(tempDir, 'receipt.age');
  writeFileSync(receiptFile, unit.receipt(reportId, 'received'));
  await page.locator('#receipt-file').setInputFiles(receiptFile);
  await page.locator('#receipt-result[data-new="true"]', { hasText: 'National THB unit' }).waitFor();
  assert.equal(await page.locator('#receipt-result').getAttribute('data-case-id'), caseId);
  await page.locator(`${itemSelector}[data-status="acknowledged"][data-receipt-status="received"]`).waitFor();
  assert.equal(await page.locator('#case').getAttribute('data-status'), 'acknowledged');

  // The same receipt again changes nothing; bytes that are no receipt are refused with their kind.
  await page.locator('#receipt-file').setInputFiles(receiptFile);
  await page.locator('#receipt-result[data-new="false"]').waitFor();
  await page.locator('#receipt-file').setInputFiles({ name: 'x.age', mimeType: 'application/octet-stream', buffer: Buffer.from('not a receipt') });
  await page.locator('#store-error', { hasText: 'CorruptInput' }).waitFor();

  page.once('dialog', (dialog) => dialog.accept());
  await item.locator('button[data-delete]').click();
  await item.waitFor({ state: 'detached' });
  assert.equal(await page.locator('#case').isHidden(), true);

  // Removing the unit leaves the store without it.
  await page.locator(`#unit-list button[data-remove-unit="${unit.card.signing_key.key_id}"]`).click();
  await page.locator('#unit-list li').waitFor({ state: 'detached' });
  await done();
});
