// The "Seal a report" page in a real Chromium: what it seals must open with the native CLI, and
// the page must not talk to anything but its own origin.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cli, receiverKey, repo, startSite } from './support.mjs';

const crossDir = process.env.INDICIA_CROSS_DIR;
const screenshot = join(repo, 'build/screenshots/seal-page.png');

let site;
let tempDir;

before(async () => {
  site = await startSite();
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-browser-'));
});

after(async () => {
  await site?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

const openPage = () => site.openPage('/');

/** Fills the form, clicks Seal, and waits for either output or an error. */
async function sealOnPage(page, message, recipients) {
  await page.locator('#message').fill(message);
  await page.locator('#recipients').fill(recipients);
  await page.locator('#seal').click();
  await page.locator('#output:not([hidden]), #error:not([hidden])').first().waitFor();
}

const receiver = () => receiverKey(tempDir);

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
