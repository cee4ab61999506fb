// Handing over a sealed report from the field app where the phone has a share sheet (the Web
// Share API with files, stubbed here: headless Chromium on Linux has none): the package goes to
// the share sheet as a file, the case becomes sealed only once the share went through, and a
// cancelled share leaves it a draft that can be handed over again. Also: no field the worker
// types into offers the browser's autofill.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, onScreen, question, setUpFromDeployment, startWeb } from './app.mjs';
import { receivingUnit } from './support.mjs';

let web;
let tempDir;
let unit;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-handover-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
  web = await startWeb({ organisation: 'sk.example-ngo', units: [unit.card] });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** A share sheet that records what it was given; the first call is cancelled by the worker. */
function shareSheet() {
  window.__shared = [];
  let calls = 0;
  navigator.canShare = (data) => Array.isArray(data?.files) && data.files.every((f) => f instanceof File);
  navigator.share = async (data) => {
    calls += 1;
    if (calls === 1) throw new DOMException('Share canceled', 'AbortError');
    const file = data.files[0];
    window.__shared.push({ name: file.name, type: file.type, size: file.size, head: new TextDecoder().decode((await file.arrayBuffer()).slice(0, 21)) });
  };
}

test('a sealed report goes to the share sheet as a file, and the case is sealed only after the share', async () => {
  const { page, done } = await web.open(`${web.appOrigin}/`, { beforeLoad: (_, p) => p.addInitScript(shareSheet) });
  await appReady(page);
  await setUpFromDeployment(page, 'tidal-amber-orchard', unit);
  await page.locator('#case-title').fill('Harbour');
  await page.locator('#case-start').click();
  await onScreen(page, 'case');
  await question(page, 'age_group').locator('input[value="adult"]').check();
  await question(page, 'worker_note').locator('textarea').fill('typed by the worker');

  // Nothing the worker types is offered to the browser's autofill.
  const autofill = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=radio]):not([type=checkbox]):not([type=file]), textarea')]
      .filter((field) => field.getAttribute('autocomplete') !== 'off')
      .map((field) => field.id),
  );
  assert.deepEqual(autofill, [], 'fields without autocomplete="off"');

  await page.locator('#seal').click();
  await page.locator('#share:not([hidden])').waitFor();
  // The worker closes the share sheet: not handed over, still a draft.
  await page.locator('#share').click();
  await page.waitForTimeout(200);
  assert.equal(await page.locator('#screen-case').getAttribute('data-status'), 'draft');
  await page.locator('#share').click();
  await page.locator('#screen-case[data-status="sealed"]').waitFor();
  const [shared] = await page.evaluate(() => window.__shared);
  assert.match(shared.name, /^report-[0-9a-f]{32}\.age$/);
  assert.equal(shared.head, 'age-encryption.org/v1', 'the shared file is the age package');
  await done();
});
