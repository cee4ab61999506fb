// The "Seal a report" page in a real Chromium: what it seals must open with the native CLI, and
// the page must not talk to anything but its own origin.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const { chromium } = await import(
  pathToFileURL(join(repo, 'tools/node_modules/playwright-core/index.mjs')).href
);

const siteDir = join(repo, 'web-demo');
// Lets the page be tested against the very package the Node tests load.
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(siteDir, 'pkg');
const cli =
  process.env.INDICIA_CLI ??
  join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/indicia/target'), 'debug/indicia');
const crossDir = process.env.INDICIA_CROSS_DIR;
const screenshot = join(repo, 'build/screenshots/seal-page.png');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Maps a URL path to a file under the site (or the package for /pkg/), or null if outside. */
function fileFor(urlPath) {
  const path = normalize(decodeURIComponent(urlPath.split('?')[0]));
  const [root, rest] = path.startsWith('/pkg/')
    ? [pkgDir, path.slice('/pkg/'.length)]
    : [siteDir, path === '/' ? 'index.html' : path.slice(1)];
  const file = join(root, rest);
  return file.startsWith(root + sep) ? file : null;
}

let server;
let origin;
let browser;
let tempDir;

before(async () => {
  server = createServer((req, res) => {
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
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
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
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-browser-'));
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/**
 * Opens the page in a fresh context, recording every request and every page error, and waits
 * until the wasm core is loaded. Call `done()` at the end to check what was recorded.
 */
async function openPage() {
  const context = await browser.newContext();
  const requests = [];
  const problems = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // CSP violations and failed loads surface only as console errors.
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  await page.goto(`${origin}/`);
  await page.locator('body[data-ready="true"], #error:not([hidden])').first().waitFor();
  assert.equal(
    await page.evaluate(() => document.body.dataset.ready),
    'true',
    `wasm core failed to load: ${await page.locator('#error').textContent()}`,
  );
  const done = async () => {
    await context.close();
    assert.ok(requests.length > 0);
    const foreign = requests.filter((url) => new URL(url).origin !== origin);
    assert.deepEqual(foreign, [], 'every request stays on the page origin');
    assert.deepEqual(problems, []);
  };
  return { page, done };
}

/** Fills the form, clicks Seal, and waits for either output or an error. */
async function sealOnPage(page, message, recipients) {
  await page.locator('#message').fill(message);
  await page.locator('#recipients').fill(recipients);
  await page.locator('#seal').click();
  await page.locator('#output:not([hidden]), #error:not([hidden])').first().waitFor();
}

/** The receiver's identity file and its age1… recipient, from the cross-test dir or the CLI. */
function receiver() {
  const dir = crossDir ?? tempDir;
  const keyFile = join(dir, 'receiver.key');
  if (!existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(cli, ['keygen', '-o', keyFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  const recipient = readFileSync(keyFile, 'utf8').match(/^# public key: (age1\S+)$/m)?.[1];
  assert.ok(recipient, `${keyFile} names its public key`);
  return { keyFile, recipient };
}

test('a report sealed on the page opens with the native CLI and holds no plaintext', async () => {
  const { keyFile, recipient } = receiver();
  const marker = randomUUID();
  const message = `Pasaport zadržaný zamestnávateľom — marker ${marker}\nDruhý riadok: ďakujem.`;
  const { page, done } = await openPage();

  await sealOnPage(page, message, `${recipient}\n`);
  const error = page.locator('#error');
  assert.equal(await error.isHidden(), true, await error.textContent());
  const armored = await page.locator('#sealed').textContent();
  assert.match(armored, /^-----BEGIN AGE ENCRYPTED FILE-----\n[A-Za-z0-9+/=\n]+-----END AGE ENCRYPTED FILE-----\n?$/);
  assert.ok(!armored.includes(marker), 'sealed text does not carry the marker');
  assert.match(await page.locator('#download').getAttribute('href'), /^blob:/);
  mkdirSync(join(repo, 'build/screenshots'), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  await done();

  const sealedFile = join(tempDir, 'chromium.age');
  writeFileSync(sealedFile, armored);
  const opened = execFileSync(cli, ['open', '-i', keyFile, sealedFile]);
  assert.ok(opened.equals(Buffer.from(message, 'utf8')), `CLI opened: ${opened}`);

  if (crossDir) {
    writeFileSync(join(crossDir, 'chromium.age'), armored);
    writeFileSync(join(crossDir, 'chromium.txt'), message);
  }
});

test('a malformed recipient shows a MalformedRecipient error and clears earlier output', async () => {
  const { page, done } = await openPage();
  await sealOnPage(page, 'an earlier report', receiver().recipient);
  assert.match(await page.locator('#sealed').textContent(), /BEGIN AGE ENCRYPTED FILE/);

  await sealOnPage(page, 'a message that must not be sealed', 'age1-not-a-recipient');
  assert.match(await page.locator('#error').textContent(), /^MalformedRecipient: \S/);
  assert.equal(await page.locator('#sealed').textContent(), '');
  assert.equal(await page.locator('#output').isHidden(), true);
  assert.equal(await page.locator('#download').getAttribute('href'), null);
  await done();
});
