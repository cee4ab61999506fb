// The field app with a Slovak interface (the phone's language), through a whole case: every
// piece of the app's own text on the way is the Slovak one from web/app/js/strings/sk.js, not the
// English fallback; the checklist's texts are Slovak too; the sealed package reaches the unit.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { appReady, onScreen, question, setUp, snap, startCase, startWeb } from './app.mjs';
import { receivingUnit, repo } from './support.mjs';

const { ENGLISH } = await import(pathToFileURL(join(repo, 'web/app/js/strings.js')).href);
const sk = (await import(pathToFileURL(join(repo, 'web/app/js/strings/sk.js')).href)).default;

let web;
let tempDir;

before(async () => {
  web = await startWeb({ organisation: 'sk.example-ngo' });
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-interface-'));
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

test('a phone set to Slovak gets the whole flow in Slovak, and the unit opens the sealed case', async () => {
  const unit = receivingUnit(join(tempDir, 'unit'), 'Národná jednotka THB');
  const { page, done } = await web.open(`${web.appOrigin}/`, { contextOptions: { locale: 'sk-SK' } });
  await appReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'sk');
  /** The element's text is the Slovak string `key`, which differs from the English one. */
  const slovak = async (selector, key) => {
    assert.notEqual(sk[key], ENGLISH[key], `${key} is translated`);
    assert.equal((await page.locator(selector).textContent()).trim(), sk[key], `${selector} shows ${key}`);
  };
  await onScreen(page, 'lock');
  await slovak('#lock-title', 'lock.createTitle');
  await slovak('#exit', 'app.exit');
  await slovak('#pin-submit', 'lock.create');
  await setUp(page, 'tidal-amber-orchard', unit);
  await slovak('#cases-title', 'cases.title');
  await slovak('#case-start', 'cases.start');
  await slovak('#delete-all', 'cases.deleteAll');
  unit.trustDevice((await page.locator('#device-key').textContent()).trim(), 'sk.example-ngo');

  await startCase(page, 'Prístav', 'sk');
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'documents_held').locator('input[value="yes"]').check();
  await question(page, 'debt').locator('input[value="yes"]').check();
  await page.locator('#saved', { hasText: sk['app.saved'] }).waitFor();
  await slovak('#assessment-title', 'case.assessment');
  await slovak('#seal', 'case.sealButton');
  assert.equal(await question(page, 'debt').locator('label.option', { hasText: sk['answer.yes'] }).count(), 1);
  await snap(page, 'field-slovak-interface');

  await page.locator('#seal').click();
  await page.locator('#handover:not([hidden])').waitFor();
  await slovak('#download', 'case.download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download').click()]);
  await page.locator('#screen-case[data-status="sealed"]').waitFor();
  const file = join(tempDir, download.suggestedFilename());
  await download.saveAs(file);
  const reportId = await page.locator('#handover-text').getAttribute('data-report-id');
  assert.match(unit.ingest(file), new RegExp(reportId));
  await done();
});
