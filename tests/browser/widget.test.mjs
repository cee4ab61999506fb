// The widget on an NGO's page (web/examples/plain, on its own origin), with a hostile script on
// that page: the worker creates a store, answers, writes a note and seals a report inside the
// widget's frame, while the script tries every way a page's script has to read them (the frame's
// DOM, every message on the page, the MessageChannel the loader opens, the page's storage, the
// keyboard, forged messages to the frame). It gets only counts and the sealed package, which the
// unit opens with the CLI.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, keepPendingReport, onScreen, question, snap, startWeb, trustDevice } from './app.mjs';
import { receivingUnit } from './support.mjs';

const ORGANISATION = 'es.example-ngo';
let web;
let tempDir;
let unit;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-widget-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'Unidad central THB');
  web = await startWeb({ organisation: ORGANISATION, units: [unit.card] });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** Runs on the NGO page only (not in the widget's frame): records everything it can reach in
 * window.__stolen, as a compromised analytics script or plugin would. */
function hostileScript(siteOrigin) {
  if (location.origin !== siteOrigin) return;
  const stolen = [];
  window.__stolen = stolen;
  const keep = (what, value) => {
    try {
      stolen.push([what, typeof value === 'string' ? value : JSON.stringify(value, (_, v) => (v instanceof ArrayBuffer ? `ArrayBuffer(${v.byteLength})` : v))]);
    } catch (err) {
      stolen.push([what, `unserialisable: ${err}`]);
    }
  };
  // Every message posted to the page, and every message on any MessagePort the page creates.
  window.addEventListener('message', (event) => keep('window message', { origin: event.origin, data: event.data }), true);
  const RealChannel = window.MessageChannel;
  window.MessageChannel = class extends RealChannel {
    constructor() {
      super();
      for (const port of [this.port1, this.port2]) port.addEventListener('message', (event) => keep('port message', event.data));
    }
  };
  const realPost = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (...args) {
    keep('port post', args[0]);
    return realPost.apply(this, args);
  };
  // Keys typed anywhere the page can hear.
  for (const type of ['keydown', 'keyup', 'input', 'paste']) document.addEventListener(type, (event) => keep(type, event.key ?? event.data ?? ''), true);
  // A forged connection is sent once the widget's own is made (the loader's indicia-ready): a
  // script that connects before the loader does is, to the frame, the page's widget connection
  // and gets what the page would (counts, ciphertext); forging earlier would only race the
  // loader, and the test would measure the race.
  let widgetConnected = false;
  window.addEventListener('indicia-ready', () => { widgetConnected = true; }, true);
  // Every few hundred ms: the frame's DOM and storage, the page's storage, forged requests.
  const probe = async () => {
    const frame = document.querySelector('iframe');
    if (frame) {
      try {
        keep('contentDocument', frame.contentDocument?.body?.innerText ?? 'null');
      } catch (err) {
        keep('contentDocument blocked', String(err.name));
      }
      try {
        keep('contentWindow.document', frame.contentWindow.document.body.innerText);
      } catch (err) {
        keep('contentWindow blocked', String(err.name));
      }
      try {
        keep('frame localStorage', JSON.stringify(frame.contentWindow.localStorage));
      } catch (err) {
        keep('frame storage blocked', String(err.name));
      }
      // A forged connection asking the frame for anything (it answers only the first connect).
      if (widgetConnected) {
        const channel = new RealChannel();
        channel.port1.onmessage = (event) => keep('forged reply', event.data);
        frame.contentWindow.postMessage({ indicia: 1, type: 'connect', unit: '0'.repeat(32) }, '*', [channel.port2]);
        keep('forged connect sent', 'yes');
      }
    }
    keep('page localStorage', JSON.stringify({ ...localStorage }));
    const opfs = await navigator.storage.getDirectory();
    for await (const [name] of opfs.entries()) keep('page opfs', name);
    keep('page text', document.body.innerText);
  };
  setInterval(probe, 300);
}

test('a hostile script on the NGO page gets only counts and the sealed package, never the PIN, answers, notes or title', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const pin = `lantern-quarry-${marker}P`;
  const answer = `Vive encima del taller ${marker}A`;
  const note = `Nos vimos en la estación ${marker}N`;

  const { page, done } = await web.open(`${web.siteOrigin}/`, {
    origins: [web.appOrigin, web.siteOrigin],
    beforeLoad: (_, p) => p.addInitScript(hostileScript, web.siteOrigin),
  });
  const frame = page.frameLocator('indicia-report iframe');
  await appReady(frame);
  // The widget opens on the report's first question; the store comes when the report is kept.
  await onScreen(frame, 'case');
  await frame.locator('#case-pending:not([hidden])').waitFor();
  await snap(page, 'widget-01-host-page');
  await question(frame, 'age_group').locator('input[value="adult"]').check();
  // The interface in Spanish: the checklist follows, and the answer given is still there.
  await frame.locator('#ui-language').selectOption('es');
  await frame.locator('#case-heading', { hasText: 'Nuevo informe' }).waitFor();
  assert.equal(await frame.locator('#questions').getAttribute('lang'), 'es');
  assert.ok(await question(frame, 'age_group').locator('input[value="adult"]').isChecked(), 'the answer survived the redraw');
  await question(frame, 'documents_held').locator('input[value="yes"]').check();
  await question(frame, 'worker_note').locator('textarea').fill(answer);
  await question(frame, 'worker_note').locator('textarea').blur();
  await frame.locator('#note-text').fill(note);
  await frame.locator('#note-add').click();
  await frame.locator('#note-list li', { hasText: note }).waitFor();
  await page.locator('#progress', { hasText: 'answered' }).waitFor();
  await snap(page, 'widget-02-answered');

  // Sealing asks for the store (a new PIN, the deployment's unit card); the report becomes a case
  // with everything in it, is sealed in the frame and handed to the page as ciphertext.
  await frame.locator('#seal').click();
  await frame.locator('#ui-language').selectOption('en');
  await keepPendingReport(frame, pin, unit);
  await page.locator('#sealed:not([hidden])').waitFor();
  await frame.locator('#screen-case[data-status="sealed"]').waitFor();
  assert.ok(await question(frame, 'documents_held').locator('input[value="yes"]').isChecked());
  await frame.locator('#note-list li', { hasText: note }).waitFor();
  await snap(page, 'widget-03-sealed');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#save').click()]);
  const file = join(tempDir, download.suggestedFilename());
  await download.saveAs(file);
  await trustDevice(frame, unit, ORGANISATION);
  const title = (await frame.locator('#case-list .case-title').textContent()).trim();
  assert.match(title, /^Report of /);
  assert.match(unit.ingest(file), /^stored\t/m, 'the unit stores the sealed report');
  const exported = unit.exportJson();
  assert.ok(exported.includes(answer) && exported.includes(note), 'the unit reads the answer and the note given before the PIN');

  await page.waitForTimeout(700); // one more round of the script's probes
  const stolen = await page.evaluate(() => window.__stolen);
  const everything = JSON.stringify(stolen);
  writeFileSync(join(tempDir, 'stolen.json'), everything);
  for (const [what, secret] of [['PIN', pin], ['answer', answer], ['note', note], ['marker', marker], ['title', title]]) {
    assert.equal(everything.includes(secret), false, `the hostile script read the ${what}`);
  }
  const kinds = new Set(stolen.map(([what]) => what));
  assert.ok(kinds.has('contentWindow blocked') && kinds.has('frame storage blocked'), 'the frame and its storage are out of reach');
  assert.ok(kinds.has('forged connect sent') && !kinds.has('forged reply'), 'the frame ignores a second connection');
  // What it did get: progress counts and the package (an ArrayBuffer), as designed.
  assert.ok(stolen.some(([what, value]) => what === 'port message' && value.includes('"type":"progress"')));
  assert.ok(stolen.some(([what, value]) => what === 'port message' && value.includes('"type":"sealed"')));
  await done();
});

test('the widget draws its first question from the checklist module alone: no store, no SQLite, no worker before it', async () => {
  const { page, requests, done } = await web.open(`${web.siteOrigin}/`, { origins: [web.appOrigin, web.siteOrigin] });
  const frame = page.frameLocator('indicia-report iframe');
  await appReady(frame);
  await onScreen(frame, 'case');
  const handle = await page.locator('indicia-report iframe').elementHandle();
  const loaded = await (await handle.contentFrame()).evaluate(() => {
    const [first] = performance.getEntriesByName('indicia:first-question');
    return performance.getEntriesByType('resource').map((r) => ({ name: new URL(r.name).pathname, before: r.startTime < first.startTime }));
  });
  const before = loaded.filter((r) => r.before).map((r) => r.name);
  assert.ok(before.some((name) => name.endsWith('/pkg/indicia_checklist_bg.wasm')), `the checklist module: ${before}`);
  // The compiled checklist in the report's language only (checklists/ID.LANG.bin), not all nine.
  assert.ok(before.some((name) => /\/checklists\/first-contact\.[a-z]{2}\.bin$/.test(name)), `one language's checklist: ${before}`);
  assert.ok(!before.some((name) => name.endsWith('/checklists/first-contact.json')), `the whole definition loaded before the first question: ${before}`);
  for (const late of ['/store-worker.js', '/pkg/indicia_store_bg.wasm', '/pkg/indicia_store.js', '/vendor/strength.js', '/js/passkey.js', '/js/qr.js', '/vendor/qr.js']) {
    assert.ok(!before.some((name) => name.endsWith(late)), `${late} loaded before the first question`);
  }
  // …and the worker is started after it, so that the store is ready when the report is kept.
  await frame.locator('body[data-ready="true"]').waitFor();
  assert.ok(requests.some((u) => u.endsWith('/store-worker.js')));
  await done();
});

test('a locked widget keeps the report begun before the PIN behind the lock screen, then saves it as a case', async () => {
  const { page, done } = await web.open(`${web.siteOrigin}/`, { origins: [web.appOrigin, web.siteOrigin] });
  const frame = page.frameLocator('indicia-report iframe');
  await appReady(frame);
  await onScreen(frame, 'case');
  await question(frame, 'age_group').locator('input[value="child"]').check();
  await frame.locator('#note-text').fill('Seen twice at the bus stop');
  await frame.locator('#note-add').click();
  await frame.locator('#note-list li').waitFor();
  await frame.locator('#lock').click();
  await onScreen(frame, 'lock');
  // Nothing of the report on screen while locked.
  assert.equal(await frame.locator('#questions [data-question]').count(), 0);
  assert.equal(await frame.locator('#note-list li').count(), 0);
  await keepPendingReport(frame, 'ember-willow-cascade-4', unit);
  assert.ok(await question(frame, 'age_group').locator('input[value="child"]').isChecked());
  await frame.locator('#note-list li', { hasText: 'Seen twice at the bus stop' }).waitFor();
  await frame.locator('#screen-case[data-status="draft"]').waitFor();
  // A saved draft: it is in the case list and opens again with its answers.
  await frame.locator('#case-back').click();
  await onScreen(frame, 'cases');
  assert.equal(await frame.locator('#case-list li[data-status="draft"]').count(), 1);
  await frame.locator('#case-list button[data-case]').click();
  await onScreen(frame, 'case');
  assert.ok(await question(frame, 'age_group').locator('input[value="child"]').isChecked());
  await done();
});
