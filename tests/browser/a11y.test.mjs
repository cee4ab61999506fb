// Accessibility of the field app on a phone-sized screen: axe-core (WCAG 2.0–2.2 A and AA rules)
// reports no serious or critical violation on any screen a worker passes through, and the flow
// can be done with the keyboard alone (no pointer: Tab, Space, Enter).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, enterPin, onScreen, question, snap, startWeb, violations } from './app.mjs';
import { receivingUnit } from './support.mjs';

let web;
let tempDir;
let unit;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-a11y-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
  web = await startWeb({ organisation: 'sk.example-ngo', units: [unit.card] });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

test('axe-core finds no serious or critical violation on any screen, in light and dark colours', async () => {
  for (const colorScheme of ['light', 'dark']) {
    // axe is injected as a script: the test context lets it past the app's CSP.
    const { page, done } = await web.open(`${web.appOrigin}/`, { contextOptions: { bypassCSP: true, colorScheme } });
    await appReady(page);
    const seen = {};
    await onScreen(page, 'lock');
    seen.lock = await violations(page);
    await enterPin(page, 'tidal-amber-orchard');
    await onScreen(page, 'setup');
    seen.setup = await violations(page);
    await page.locator('#setup-deployment-list button').click();
    await page.locator('#setup-check:not([hidden])').waitFor();
    seen.fingerprint = await violations(page);
    await page.locator('#setup-matches').click();
    await onScreen(page, 'cases');
    seen.cases = await violations(page);
    await page.locator('#case-title').fill('Harbour');
    await page.locator('#case-start').click();
    await onScreen(page, 'case');
    await question(page, 'age_group').locator('input[value="adult"]').check();
    await question(page, 'documents_held').locator('input[value="yes"]').check();
    await question(page, 'debt').locator('input[value="yes"]').check();
    await page.locator('#saved', { hasText: 'Saved' }).waitFor();
    seen.case = await violations(page);
    await page.locator('#seal').click();
    await page.locator('#handover:not([hidden])').waitFor();
    seen.sealed = await violations(page);
    await page.locator('#case-back').click();
    await onScreen(page, 'cases');
    await page.locator('#delete-all').click();
    seen.deleteConfirm = await violations(page);
    for (const [screen, found] of Object.entries(seen)) assert.deepEqual(found, [], `${colorScheme}: ${screen} screen`);
    await done();
  }
});

test('the field flow works with the keyboard alone', async () => {
  const { page, done } = await web.open(`${web.appOrigin}/`);
  await appReady(page);
  const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('value') || document.activeElement?.tagName);
  // The PIN field has focus on arrival.
  assert.equal(await focused(), 'pin');
  await page.keyboard.type('tidal-amber-orchard');
  await page.keyboard.press('Enter');
  await onScreen(page, 'setup');
  /** Presses Tab until the element with `id` has focus (at most 40 times). */
  const tabTo = async (id) => {
    for (let i = 0; i < 40; i++) {
      if ((await focused()) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id} (stuck at ${await focused()})`);
  };
  await page.keyboard.press('Tab');
  const useCard = page.locator('#setup-deployment-list button');
  for (let i = 0; i < 40 && !(await useCard.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('#setup-check:not([hidden])').waitFor();
  assert.equal(await focused(), 'setup-matches', 'focus moves to the fingerprint check');
  await page.keyboard.press('Enter');
  await onScreen(page, 'cases');
  await tabTo('case-title');
  await page.keyboard.type('Harbour');
  await page.keyboard.press('Enter');
  await onScreen(page, 'case');
  // Into the first question's radio group with Tab, then the arrow keys choose within it.
  const first = await question(page, 'age_group').locator('input').first().getAttribute('value');
  await tabTo(first);
  await page.keyboard.press('Space');
  for (let i = 0; i < 6 && (await focused()) !== 'adult'; i++) await page.keyboard.press('ArrowDown');
  await page.locator('#saved', { hasText: 'Saved' }).waitFor();
  assert.equal(await question(page, 'age_group').locator('input[value="adult"]').isChecked(), true);
  // Every focused control shows a focus ring (outline), as WCAG 2.4.7 asks.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await done();
});

test('a right-to-left interface language mirrors the layout, and the choice is kept', async () => {
  // The browser's language picks the interface language on the first visit.
  const { page, done } = await web.open(`${web.appOrigin}/`, { contextOptions: { locale: 'ar' } });
  await appReady(page);
  await onScreen(page, 'lock');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  // Mirrored: the app's name at the right edge, the exit button at the left.
  const name = await page.locator('#app-name').boundingBox();
  const exit = await page.locator('#exit').boundingBox();
  assert.ok(exit.x < name.x, `exit (x=${exit.x}) left of the name (x=${name.x})`);
  assert.ok(exit.x + exit.width < 180, 'the exit button is in the left half');
  assert.equal(await page.locator('#ui-unreviewed').isVisible(), true, 'the unreviewed translation is said');
  await snap(page, 'field-rtl-lock');

  // Chosen by hand, a language stays after a reload.
  await page.locator('#ui-language').selectOption('en');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  await page.reload();
  await appReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await done();
});
