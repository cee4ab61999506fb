// Shared by the web front end's browser tests (not a test file itself): serves build/web on two
// origins (the widget origin and an example NGO site, web/serve.mjs), drives Debian's Chromium
// with playwright-core on a phone-sized touch screen, records every request and every page error,
// and saves a screenshot of each step under build/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { startServers } from '../../web/serve.mjs';
import { repo } from './support.mjs';

const { chromium } = await import(pathToFileURL(join(repo, 'tools/node_modules/playwright-core/index.mjs')).href);

export const screenshots = join(repo, 'build/screenshots');

/** A phone: 360 px wide (the smallest screen), touch, a mobile user agent. */
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * Starts the servers (with `config` merged over the app's config.json) and Chromium (with `args`
 * added to its command line, e.g. a fake camera). Returns
 * { appOrigin, siteOrigin, browser, open(path, options), close() }.
 */
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};

export async function startWeb(config = {}, { args = [] } = {}) {
  const servers = await startServers({ config });
  const browser = await chromium.launch({ ...LAUNCH, args: [...LAUNCH.args, ...args] });
  mkdirSync(screenshots, { recursive: true });

  /**
   * Opens `url` in a fresh phone-sized context, recording requests and errors. `origins`: the
   * origins requests may go to (default: the widget origin only). Returns { page, context,
   * requests, done } where `done()` closes the context and checks that no request left those
   * origins and no error was reported.
   */
  async function open(url, { origins = [servers.appOrigin], contextOptions = {}, beforeLoad, persistent = false } = {}) {
    // A persistent profile where incognito would not do (Chromium installs no app from incognito).
    const profile = persistent ? mkdtempSync(join(tmpdir(), 'indicia-chromium-')) : null;
    const context = persistent
      ? await chromium.launchPersistentContext(profile, { ...LAUNCH, ...PHONE, ...contextOptions })
      : await browser.newContext({ ...PHONE, ...contextOptions });
    const requests = [];
    const problems = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = persistent ? context.pages()[0] ?? (await context.newPage()) : await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // CSP violations and failed loads surface only as console errors.
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
    await beforeLoad?.(context, page);
    await page.goto(url);
    const done = async () => {
      await context.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
      const foreign = requests.filter((u) => !origins.includes(new URL(u).origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
      assert.deepEqual(foreign, [], 'every request stays on the allowed origins');
      assert.deepEqual(problems, []);
    };
    return { page, context, requests, problems, done };
  }

  async function close() {
    await browser.close();
    await servers.close();
  }
  return { ...servers, browser, open, close };
}

const AXE = join(repo, 'tools/node_modules/axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page as it is now, as readable lines (the
 * page's context needs `bypassCSP: true`: axe is injected as a script). */
export async function violations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

/** Waits until the app (a page or the widget frame) has loaded its core and shown a screen. */
export async function appReady(scope) {
  await scope.locator('body[data-ready]').waitFor();
  const ready = await scope.locator('body').getAttribute('data-ready');
  assert.equal(ready, 'true', `the app failed to load: ${await scope.locator('#app-status').textContent()}`);
}

/** Waits for the app's screen `name` (lock, setup, cases, case). */
export async function onScreen(scope, name) {
  await scope.locator(`body[data-screen="${name}"]`).waitFor();
}

/** Saves a screenshot of the page as build/screenshots/NAME.png. */
export async function snap(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
}

/** Types a PIN or passphrase and submits it. */
export async function enterPin(scope, pin) {
  await scope.locator('#pin').fill(pin);
  await scope.locator('#pin').press('Enter');
}

/** A checklist question. */
export const question = (scope, id) => scope.locator(`[data-question="${id}"]`);

/** From a new device to the case list: creates the store with `pin`, imports the card of `unit`
 * (tests/node/receiver.mjs), checks its fingerprint and confirms it. */
export async function setUp(page, pin, unit) {
  await onScreen(page, 'lock');
  await enterPin(page, pin);
  await onScreen(page, 'setup');
  await page.locator('#setup-card').setInputFiles({ name: 'unit.json', mimeType: 'application/json', buffer: Buffer.from(unit.cardJson) });
  await page.locator('#setup-fingerprint', { hasText: unit.fingerprint }).waitFor();
  await page.locator('#setup-matches').click();
  await onScreen(page, 'cases');
}

/** Set-up with the deployment's unit card (config.json `units`, never the host page's): the PIN,
 * the card, its fingerprint checked against the one the unit printed; then, with `organisation`,
 * the unit trusts the device's key for it. `scope`: the page or the widget's frame. */
export async function setUpFromDeployment(scope, pin, unit, organisation) {
  await onScreen(scope, 'lock');
  await enterPin(scope, pin);
  await takeDeploymentCard(scope, unit);
  await onScreen(scope, 'cases');
  if (organisation) await trustShownDevice(scope, unit, organisation);
}

/** On the set-up screen: the deployment's unit card, its fingerprint checked against the one
 * the unit printed, confirmed. */
async function takeDeploymentCard(scope, unit) {
  await onScreen(scope, 'setup');
  await scope.locator('#setup-deployment-list button').click();
  await scope.locator('#setup-fingerprint', { hasText: unit.fingerprint }).waitFor();
  await scope.locator('#setup-matches').click();
}

/** On the case list: the unit trusts the device key shown there for `organisation`. */
async function trustShownDevice(scope, unit, organisation) {
  unit.trustDevice((await scope.locator('#device-key').textContent()).trim(), organisation);
}

/** The widget's report begun before the store (its pending state) into the store: after the
 * worker pressed Seal or Cases, creates the store with `pin`, takes the deployment's unit card and
 * confirms its fingerprint; the app then saves the report as a case and opens it. */
export async function keepPendingReport(scope, pin, unit) {
  await onScreen(scope, 'lock');
  await scope.locator('#lock-text', { hasText: 'as soon as the store is open' }).waitFor();
  await enterPin(scope, pin);
  await takeDeploymentCard(scope, unit);
  await onScreen(scope, 'case');
}

/** From an open case to the case list, where the unit reads the device's key and trusts it for
 * `organisation`'s reports. */
export async function trustDevice(scope, unit, organisation) {
  await scope.locator('#case-back').click();
  await onScreen(scope, 'cases');
  await trustShownDevice(scope, unit, organisation);
}

/** Starts a case called `title` with the checklist in `language` and waits until it is open. */
export async function startCase(page, title, language = 'en') {
  await onScreen(page, 'cases');
  await page.locator('#case-title').fill(title);
  await page.locator('#case-language').selectOption(language);
  await page.locator('#case-start').click();
  await onScreen(page, 'case');
}
