#!/usr/bin/env node
// The field app in Chromium (docs/benchmarks.md, "The web front end"): what a worker waits for
// and how many bytes the phone loads, on build/web/app served locally (web/serve.mjs), in a
// persistent profile so the second and later loads come from a warm cache (the service worker's
// precache), with the CPU throttled 4× through the DevTools protocol as a cheap phone:
//
//   - navigation → the lock screen drawn (the app shell, the wasm core, the checklist engine);
//   - the PIN submitted → the case list (Argon2id in the worker, the store opened on OPFS);
//   - a case tapped → its first question drawn;
//   - saving one answer in the worker on OPFS, p50 and p99 (round trip from the page);
//   - bytes (gzip -9 of each file) loaded before the lock screen, and of the whole app;
//   - the widget on the example NGO page: navigation of the page → the widget's first question
//     drawn in its frame (the frame loads only the checklist engine before it), and the widget
//     origin's bytes loaded before it.
//
//   node bench/web/app-bench.mjs [--runs N] [--saves N] [--throttle RATE]
//
// Needs scripts/build-web and the CLI (for a unit card): scripts/bench web does both.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

import { receivingUnit } from '../../tests/node/receiver.mjs';
import { startServers } from '../../web/serve.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const appDir = join(repo, 'build/web/app');
const { chromium } = await import(pathToFileURL(join(repo, 'tools/node_modules/playwright-core/index.mjs')).href);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = option('--runs', 7);
const SAVES = option('--saves', 500);
const THROTTLE = option('--throttle', 4);
const PIN = 'tidal-amber-orchard';

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
function report(name, times, unit = 'ms') {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${name}: n=${times.length} p50 ${quantile(sorted, 0.5).toFixed(1)} ${unit}, p99 ${quantile(sorted, 0.99).toFixed(1)} ${unit}, min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)}`);
}
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
/** The URLs `page` requests while `during()` runs, and what `during()` returned. */
async function requestsDuring(page, during) {
  const urls = [];
  const onRequest = (request) => urls.push(request.url());
  page.on('request', onRequest);
  try {
    return { urls, result: await during() };
  } finally {
    page.off('request', onRequest);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'indicia-web-bench-'));
const unit = receivingUnit(join(tmp, 'unit'), 'Bench unit');
const servers = await startServers({ config: { organisation: 'sk.bench', units: [unit.card] } });
const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  viewport: { width: 360, height: 740 },
  isMobile: true,
  hasTouch: true,
  // Only so that the answer-saving loop below can start the store worker from exit.html, whose
  // policy allows no script; the app's own policy adds nothing measurable to the timings.
  bypassCSP: true,
});
const page = context.pages()[0] ?? (await context.newPage());
const mark = (name) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)?.startTime ?? null, name);
const screen = (name) => page.locator(`body[data-screen="${name}"]`).waitFor({ timeout: 120_000 });

try {
  // The first visit: installs the service worker; a store, the unit and one case.
  await page.goto(`${servers.appOrigin}/`);
  await screen('lock');
  await page.locator('#pin').fill(PIN);
  await page.locator('#pin').press('Enter');
  await screen('setup');
  await page.locator('#setup-deployment-list button').click();
  await page.locator('#setup-matches').click();
  await screen('cases');
  await page.locator('#case-title').fill('Bench case');
  await page.locator('#case-start').click();
  await screen('case');
  await page.evaluate(() => navigator.serviceWorker.ready);

  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const toLock = [];
  const toCases = [];
  const toQuestion = [];
  let loadedBeforeLock = [];
  for (let run = 0; run < RUNS; run++) {
    ({ urls: loadedBeforeLock } = await requestsDuring(page, async () => {
      await page.reload();
      await screen('lock');
    }));
    toLock.push(await mark('indicia:screen-lock'));
    await page.locator('#pin').fill(PIN);
    await page.locator('#pin').press('Enter');
    await screen('cases');
    toCases.push((await mark('indicia:screen-cases')) - (await mark('indicia:pin-submitted')));
    await page.locator('#case-list button').first().click();
    await screen('case');
    toQuestion.push((await mark('indicia:first-question')) - (await mark('indicia:open-case')));
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  console.log(`machine: ${(await import('node:os')).cpus()[0].model}; Chromium ${context.browser()?.version() ?? ''}; CPU throttled ${THROTTLE}x, warm cache, ${RUNS} runs`);
  report('navigation -> lock screen drawn', toLock);
  report('PIN submitted -> case list (Argon2id + open on OPFS)', toCases);
  report('case tapped -> first question drawn', toQuestion);

  // Saving answers: the app's own worker code, driven from a page of the origin once the app's
  // worker is gone (the OPFS files are exclusive to one worker). Not throttled.
  await page.goto(`${servers.appOrigin}/exit.html`);
  const saves = await page.evaluate(
    async ({ pin, n }) => {
      const worker = new Worker('/store-worker.js', { type: 'module' });
      let id = 0;
      const call = (op, args = {}) =>
        new Promise((resolve, reject) => {
          const mine = ++id;
          const listen = ({ data }) => {
            if (data.id !== mine) return;
            worker.removeEventListener('message', listen);
            if (data.error) reject(new Error(`${data.error.kind}: ${data.error.message}`));
            else resolve(data.result);
          };
          worker.addEventListener('message', listen);
          worker.postMessage({ id: mine, op, args });
        });
      await call('status');
      await call('unlock', { pin });
      const caseId = await call('createCase', { title: 'bench saves', checklistId: 'first-contact' });
      const ids = ['long_hours', 'documents_held', 'debt', 'free_to_leave', 'threats'];
      const times = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await call('saveAnswer', { caseId, questionId: ids[i % ids.length], value: i % 2 ? 'yes' : 'no' });
        times.push(performance.now() - t);
      }
      worker.terminate();
      return times;
    },
    { pin: PIN, n: SAVES },
  );
  report('save one answer (worker, OPFS, round trip from the page)', saves);

  // Bytes: gzip -9 of each file, as a server with compression would send them.
  const fileOf = (url) => {
    const path = new URL(url).pathname;
    return join(appDir, path === '/' ? 'index.html' : path.slice(1));
  };
  const before = [...new Set(loadedBeforeLock.filter((u) => u.startsWith(servers.appOrigin)).map(fileOf))].filter((f) => statSync(f, { throwIfNoEntry: false }));
  const beforeBytes = before.reduce((sum, f) => sum + gz(f), 0);
  console.log(`loaded before the lock screen: ${before.length} files, ${kb(beforeBytes)} gzipped`);
  for (const f of before.sort((a, b) => gz(b) - gz(a))) console.log(`  ${kb(gz(f)).padStart(9)}  ${relative(appDir, f)}`);
  const all = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else all.push(path);
    }
  };
  walk(appDir);
  const code = all.filter((f) => /\.(html|js|css|wasm|json|webmanifest)$/.test(f));
  const codeBytes = code.reduce((sum, f) => sum + gz(f), 0);
  const strength = code.filter((f) => f.endsWith('vendor/strength.js')).reduce((sum, f) => sum + gz(f), 0);
  console.log(`whole app (html, js, css, wasm, json): ${code.length} files, ${kb(codeBytes)} gzipped; of it the passphrase estimator (loaded only without a passkey) ${kb(strength)}`);

  // The widget: the NGO page (another origin) with the frame, reloaded RUNS times throttled. The
  // frame's service worker is not the app's (a third-party frame's storage is partitioned), and
  // web/serve.mjs sends `Cache-Control: no-cache` with no validators, so every file is fetched
  // again over loopback each time: slower than a deployment with immutable versioned files.
  const widget = await context.newPage();
  const widgetCdp = await context.newCDPSession(widget);
  await widget.goto(`${servers.siteOrigin}/`);
  const frameReady = async () => {
    const frame = widget.frames().find((f) => f.url().startsWith(`${servers.appOrigin}/embed.html`));
    if (!frame) return null;
    return frame.evaluate(() => {
      const [first] = performance.getEntriesByName('indicia:first-question');
      if (!first) return null;
      return {
        at: performance.timeOrigin + first.startTime,
        before: performance.getEntriesByType('resource').filter((r) => r.startTime < first.startTime).map((r) => r.name),
      };
    }).catch(() => null);
  };
  const waitFirstQuestion = async () => {
    for (;;) {
      const found = await frameReady();
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFirstQuestion();
  await widgetCdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const toWidgetQuestion = [];
  let widgetBefore = [];
  for (let run = 0; run < RUNS; run++) {
    const { urls: loader, result: found } = await requestsDuring(widget, async () => {
      await widget.reload();
      return waitFirstQuestion();
    });
    const pageOrigin = await widget.evaluate(() => performance.timeOrigin);
    toWidgetQuestion.push(found.at - pageOrigin);
    // The widget origin's files: the loader the page fetched, then what the frame loaded.
    widgetBefore = [...loader.filter((u) => u.startsWith(`${servers.appOrigin}/widget/`)), `${servers.appOrigin}/embed.html`, ...found.before];
  }
  await widgetCdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  report('widget: NGO page navigation -> first question drawn in the frame', toWidgetQuestion);
  const widgetFiles = [...new Set(widgetBefore.filter((u) => u.startsWith(servers.appOrigin)).map(fileOf))].filter((f) => statSync(f, { throwIfNoEntry: false }));
  const widgetBytes = widgetFiles.reduce((sum, f) => sum + gz(f), 0);
  console.log(`widget: the widget origin's files before the first question: ${widgetFiles.length} files, ${kb(widgetBytes)} gzipped (${widgetBytes} bytes)`);
  for (const f of widgetFiles.sort((a, b) => gz(b) - gz(a))) console.log(`  ${kb(gz(f)).padStart(9)}  ${relative(appDir, f)}`);
} finally {
  await context.close();
  await servers.close();
  rmSync(tmp, { recursive: true, force: true });
}
