// Shared by the browser tests (not a test file itself): serves web-demo/ on 127.0.0.1, drives
// Debian's Chromium with playwright-core, and opens pages that record every request and error so
// each test can check that nothing left the page's origin.
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
  const origin = `http://127.0.0.1:${server.address().port}`;
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
   * until the wasm core is loaded. Call `done()` at the end to check what was recorded.
   */
  async function openPage(path = '/', contextOptions = {}) {
    const context = await browser.newContext(contextOptions);
    const requests = [];
    const problems = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
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
    return { page, done };
  }

  async function close() {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }

  return { origin, openPage, close };
}
