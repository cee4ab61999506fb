// Shared by the browser tests (not a test file itself): serves web-demo/ on 127.0.0.1, drives
// Debian's Chromium with playwright-core, and opens pages that record every request and error so
// each test can check that nothing left the page's origin. Pages are opened as
// http://localhost:PORT: WebAuthn (the case notebook's passkey) needs a domain as its RP ID, and
// an IP address is not one; Chromium resolves localhost to the loopback address itself and
// treats it as a secure context.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { cli, receivingUnit } from '../node/receiver.mjs';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
const { chromium } = await import(
  pathToFileURL(join(repo, 'tools/node_modules/playwright-core/index.mjs')).href
);

/** The native CLI the tests hand page output to, and a receiving unit driven through it. */
export { cli, receivingUnit };

/** The receiver's identity file and its age1… recipient: the run's key in INDICIA_CROSS_DIR, or
 * one made with the CLI in `fallbackDir`. */
export function receiverKey(fallbackDir) {
  const dir = process.env.INDICIA_CROSS_DIR ?? fallbackDir;
  const keyFile = join(dir, 'receiver.key');
  if (!existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(cli, ['keygen', '-o', keyFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const recipient = readFileSync(keyFile, 'utf8').match(/^# public key: (age1\S+)$/m)?.[1];
  assert.ok(recipient, `${keyFile} names its public key`);
  return { keyFile, recipient };
}

const siteDir = join(repo, 'web-demo');
// Lets the pages be tested against the very package the Node tests load.
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(siteDir, 'pkg');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Maps a URL path to a file under the site (or the package for /pkg/), or null if outside. */
function fileFor(urlPath) {
  const path = normalize(decodeURIComponent(urlPath));
  const [root, rest] = path.startsWith('/pkg/')
    ? [pkgDir, path.slice('/pkg/'.length)]
    : [siteDir, path === '/' ? 'index.html' : path.slice(1)];
  const file = join(root, rest);
  return file.startsWith(root + sep) ? file : null;
}

/** Waits until the page's wasm core is loaded (body[data-ready]) or its error box shows. */
export async function waitReady(page) {
  await page.locator('body[data-ready="true"], #error:not([hidden])').first().waitFor();
  assert.equal(
    await page.evaluate(() => document.body.dataset.ready),
    'true',
    `wasm core failed to load: ${await page.locator('#error').textContent()}`,
  );
}

/** Starts the static server and Chromium; returns `openPage(path)` and `close()`. */
export async function startSite() {
  const server = createServer((req, res) => {
    const urlPath = new URL(req.url, 'http://x').pathname;
    // Chromium asks for a favicon on its own; a 404 would show up as a console error.
    if (urlPath === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = fileFor(urlPath);
    if (!file || !existsSync(file) || !MIME[extname(file)]) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)], 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

  /**
   * Opens `path` in a fresh context, recording every request and every page error, and waits
   * until the wasm core is loaded. `beforeLoad(context, page)` runs before the page is loaded
   * (a virtual authenticator, say). Call `done()` at the end to check what was recorded.
   */
  async function openPage(path = '/', contextOptions = {}, { beforeLoad } = {}) {
    const context = await browser.newContext(contextOptions);
    const requests = [];
    const problems = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    await beforeLoad?.(context, page);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // CSP violations and failed loads surface only as console errors.
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
    await page.goto(`${origin}${path}`);
    await waitReady(page);
    const done = async () => {
      await context.close();
      assert.ok(requests.some((url) => url.endsWith('/pkg/indicia_bg.wasm')), 'the wasm core was loaded');
      const foreign = requests.filter((url) => new URL(url).origin !== origin);
      assert.deepEqual(foreign, [], 'every request stays on the page origin');
      assert.deepEqual(problems, []);
    };
    return { page, context, done };
  }

  async function close() {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }

  return { origin, openPage, close };
}

// ---- The case notebook (case.html) ----

/** Opens the notebook and waits until the store worker has reported its state. */
export async function openNotebook(site, options = {}) {
  const opened = await site.openPage('/case.html', {}, options);
  await opened.page.locator('body[data-store-ready]').waitFor();
  assert.equal(
    await opened.page.evaluate(() => document.body.dataset.storeReady),
    'true',
    `store failed to open: ${await opened.page.locator('#store-error').textContent()}`,
  );
  return opened;
}

/** Waits until the notebook shows the store `state`: none, locked or unlocked. */
export async function waitStore(page, state) {
  await page.locator(`body[data-store="${state}"]`).waitFor();
}

/** Types a PIN or passphrase and presses Enter (create or unlock, whichever is offered). */
export async function enterPin(page, pin) {
  await page.locator('#pin').fill(pin);
  await page.locator('#pin').press('Enter');
}

/** A checklist question on the page. */
export const question = (page, id) => page.locator(`[data-question="${id}"]`);

/** Starts a case with `title` on an unlocked notebook and waits until it is open. */
export async function startCase(page, title) {
  await page.locator('#case-title').fill(title);
  await page.locator('#new-case button').click();
  await page.locator('#case:not([hidden])').waitFor();
}

/** Every byte the origin keeps, read from a page of the origin once no worker holds OPFS files:
 * returns [{ where, name, bytes: number[] }]. */
export async function originStorage(page) {
  return page.evaluate(async () => {
    const found = [];
    const text = (s) => Array.from(new TextEncoder().encode(s));
    async function walk(dir, path) {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'directory') {
          await walk(handle, `${path}${name}/`);
          continue;
        }
        // A closing worker may still hold the file's access handle for a moment.
        for (let attempt = 0; ; attempt++) {
          try {
            const file = await handle.getFile();
            found.push({ where: 'opfs', name: path + name, bytes: Array.from(new Uint8Array(await file.arrayBuffer())) });
            break;
          } catch (err) {
            if (attempt > 50) throw err;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
    }
    await walk(await navigator.storage.getDirectory(), '/');
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const storeName of db.objectStoreNames) {
        const values = await new Promise((resolve, reject) => {
          const request = db.transaction(storeName).objectStore(storeName).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        found.push({ where: 'indexeddb', name: `${name}/${storeName}`, bytes: text(JSON.stringify(values)) });
      }
      db.close();
    }
    for (const [where, storage] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        found.push({ where, name: key, bytes: text(key + storage.getItem(key)) });
      }
    }
    for (const cacheName of await caches.keys()) {
      found.push({ where: 'cache', name: cacheName, bytes: text(cacheName) });
    }
    return found;
  });
}

/** Whether `bytes` hold the UTF-8 of `needle`. */
export function contains(bytes, needle) {
  return Buffer.from(bytes).includes(Buffer.from(needle, 'utf8'));
}
