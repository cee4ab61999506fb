// The field app as an installed, offline app, and its safety controls, in Chromium on a phone-sized
// screen: Chromium finds nothing stopping installation (the DevTools protocol's
// Page.getInstallabilityErrors); after the first visit the service worker (Workbox precache)
// starts the app with the network gone; the quick exit leaves at once and the store is locked
// behind it; wrong PINs past the deployment's limit erase the store; quick delete takes two taps.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';

import { appReady, enterPin, onScreen, snap, startWeb } from './app.mjs';

const PASSPHRASE = 'tidal-amber-orchard';
let web;

before(async () => {
  web = await startWeb({ organisation: 'sk.example-ngo', wipeAfter: 3 });
});

after(async () => {
  await web?.close();
});

/** Waits until the service worker controls the page (after the first visit's install). */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
    await page.reload();
    await appReady(page);
  }
  assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'the service worker controls the app');
}

test('Chromium finds the app installable, and after the first visit it starts and unlocks with no network', async () => {
  const { page, context, done } = await web.open(`${web.appOrigin}/`, { persistent: true });
  await appReady(page);
  await controlled(page);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, [], 'no installability errors');
  const manifest = await cdp.send('Page.getAppManifest');
  assert.deepEqual(manifest.errors, [], 'the manifest parses cleanly');

  await onScreen(page, 'lock');
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');

  // The network is gone: the app still loads from the precache (code, wasm, config) and the
  // encrypted store from OPFS.
  await context.setOffline(true);
  await page.reload();
  await appReady(page);
  await onScreen(page, 'lock');
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  await snap(page, 'field-offline-unlocked');
  // Every language's compiled file of the checklist is in the precache, not only the one just read.
  const offline = await page.evaluate(async () =>
    Promise.all(['sk', 'uk', 'ca'].map(async (lang) => (await fetch(`checklists/first-contact.${lang}.bin`).catch(() => null))?.ok ?? false)));
  assert.deepEqual(offline, [true, true, true], 'the per-language checklist files are precached');
  await context.setOffline(false);
  await done();
});

test('the quick exit (Shift three times) replaces the page with a neutral one, and the store is locked behind it', async () => {
  const { page, done } = await web.open(`${web.appOrigin}/`);
  await appReady(page);
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  const historyLength = await page.evaluate(() => history.length);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift');
  await page.waitForURL(`${web.appOrigin}/exit.html`);
  assert.equal(await page.title(), 'New tab');
  assert.equal(await page.evaluate(() => history.length), historyLength, 'the exit replaced the history entry');
  // Back at the app, it is locked.
  await page.goto(`${web.appOrigin}/`);
  await appReady(page);
  await onScreen(page, 'lock');
  assert.equal(await page.locator('body').getAttribute('data-store'), 'locked');
  // The visible control does the same.
  await page.locator('#exit').click();
  await page.waitForURL(`${web.appOrigin}/exit.html`);
  await done();
});

test('wrong PINs past the limit erase the store, and the app offers a new one', async () => {
  const { page, done } = await web.open(`${web.appOrigin}/`);
  await appReady(page);
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  await page.locator('#lock').click();
  await onScreen(page, 'lock');
  await enterPin(page, 'wrong-guess-one');
  await page.locator('#lock-error', { hasText: 'WrongPin' }).waitFor();
  await page.locator('#lock-attempts', { hasText: '2' }).waitFor();
  await enterPin(page, 'wrong-guess-two');
  await page.locator('#lock-attempts', { hasText: '1' }).waitFor();
  await enterPin(page, 'wrong-guess-three');
  await page.locator('body[data-store="none"]').waitFor();
  await page.locator('#lock-error:not([hidden])').waitFor();
  await snap(page, 'field-wiped');
  await done();
});

test('the app locks itself when hidden or left idle longer than the deployment allows', async () => {
  // The page's clock is Playwright's, so the minutes can be skipped.
  const { page, done } = await web.open(`${web.appOrigin}/`, { beforeLoad: (_, p) => p.clock.install() });
  await appReady(page);
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  // What a phone does when another app comes to the front: hidden past lockAfterHiddenSeconds (60).
  const setVisibility = (state) =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  await page.clock.runFor(30_000);
  await setVisibility('visible');
  assert.equal(await page.locator('body').getAttribute('data-screen'), 'setup', 'a short switch away keeps it open');
  await setVisibility('hidden');
  await page.clock.runFor(61_000);
  await setVisibility('visible');
  await onScreen(page, 'lock');

  // Idle: no touch or key for lockAfterIdleSeconds (300).
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  await page.clock.runFor(299_000);
  assert.equal(await page.locator('body').getAttribute('data-screen'), 'setup');
  await page.clock.runFor(2_000);
  await onScreen(page, 'lock');
  await done();
});
