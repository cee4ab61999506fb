// The widget on an NGO page built with Vite (web/examples/vite, built by web/build.mjs into
// build/web/examples/vite against the npm package @indicia/web and served at /vite/ on the site's
// origin): the bundled loader works exactly like the plain one. The worker creates a store, picks
// the deployment's unit card, answers a case and seals it in the frame; the page's own code gets
// an `indicia-sealed` event whose package the unit (the `indicia` CLI) ingests.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, keepPendingReport, onScreen, question, snap, startWeb, trustDevice } from './app.mjs';
import { receivingUnit } from './support.mjs';

const ORGANISATION = 'ie.example-ngo';
let web;
let tempDir;
let unit;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-widget-vite-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'Human Trafficking Unit');
  web = await startWeb({ organisation: ORGANISATION, units: [unit.card] });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** Runs on the NGO page (not in the frame): records the element's events as the page's code sees
 * them, beside the example's own listeners (main.js), in window.__events. */
function recordEvents(siteOrigin) {
  if (location.origin !== siteOrigin) return;
  window.__events = [];
  document.addEventListener('DOMContentLoaded', () => {
    const report = document.querySelector('indicia-report');
    for (const type of ['indicia-ready', 'indicia-progress', 'indicia-sealed']) {
      report.addEventListener(type, async (event) => {
        const detail = event.detail && { ...event.detail };
        if (detail?.package) {
          detail.packageType = detail.package.type;
          detail.package = [...new Uint8Array(await detail.package.arrayBuffer())];
        }
        window.__events.push({ type, detail });
      });
    }
  });
}

test('the Vite-bundled loader: a report sealed in the frame reaches the page as an indicia-sealed event the unit ingests', async () => {
  const { page, requests, done } = await web.open(`${web.siteOrigin}/vite/`, {
    origins: [web.appOrigin, web.siteOrigin],
    beforeLoad: (_, p) => p.addInitScript(recordEvents, web.siteOrigin),
  });
  const frame = page.frameLocator('indicia-report iframe');
  await appReady(frame);
  await onScreen(frame, 'case');
  await snap(page, 'widget-vite-01-host-page');
  await question(frame, 'age_group').locator('input[value="adult"]').check();
  await question(frame, 'documents_held').locator('input[value="yes"]').check();
  await page.locator('#progress', { hasText: 'answered' }).waitFor();

  await frame.locator('#seal').click();
  await keepPendingReport(frame, 'harbour-lantern-quarry-7', unit);
  // main.js offers the download and confirms delivery; the frame then shows the case sealed.
  await page.locator('#sealed:not([hidden])').waitFor();
  await frame.locator('#screen-case[data-status="sealed"]').waitFor();
  await snap(page, 'widget-vite-02-sealed');

  const events = await page.evaluate(async () => {
    while (!window.__events.some((e) => e.type === 'indicia-sealed')) await new Promise((r) => setTimeout(r, 50));
    return window.__events;
  });
  assert.ok(events.some((e) => e.type === 'indicia-ready'));
  assert.ok(events.some((e) => e.type === 'indicia-progress' && e.detail.answered >= 2 && e.detail.visible >= e.detail.answered));
  const sealed = events.find((e) => e.type === 'indicia-sealed').detail;
  assert.deepEqual(Object.keys(sealed).sort(), ['fileName', 'package', 'packageType', 'reportId']);
  assert.equal(sealed.packageType, 'application/octet-stream');
  await trustDevice(frame, unit, ORGANISATION);
  const file = join(tempDir, sealed.fileName);
  writeFileSync(file, Buffer.from(sealed.package));
  assert.match(unit.ingest(file), /^stored\t/m, 'the unit stores the sealed report');

  // The loader came in the page's own bundle, not from the widget origin.
  assert.ok(requests.some((u) => u.startsWith(`${web.siteOrigin}/vite/assets/`) && u.endsWith('.js')));
  assert.ok(!requests.some((u) => u.includes('/widget/indicia-widget.js')), 'the loader is bundled');
  await done();
});
