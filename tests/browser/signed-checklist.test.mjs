// Signed checklists in the field app (docs/formats/signed-checklist.md, docs/web.md
// `checklistTrust`), in Chromium: a deployment that requires signed checklists runs its built-in
// checklist, shown as built into the app with its review status; the same definition signed by
// the deployment's publisher is checked by the store's worker and shown with the publisher's name;
// a definition altered after signing never reaches the questions (BadSignature on screen).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, enterPin, onScreen, setUp, snap, startCase, startWeb } from './app.mjs';
import { receivingUnit, repo, runCli } from './support.mjs';

const PUBLISHER = 'National Referral Mechanism (test)';
const FIRST_CONTACT = join(repo, 'core/checklists/first-contact.json');

let web;
let tempDir;
let unit;
let signed;
let forged;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-signed-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
  const key = join(tempDir, 'publisher.key');
  runCli(['checklist', 'keygen', '-o', key]);
  const publicKey = readFileSync(key, 'utf8').match(/^# public key: ([0-9a-f]{64})$/m)[1];
  const out = join(tempDir, 'first-contact.signed.json');
  runCli(['checklist', 'sign', FIRST_CONTACT, '--key', key, '--publisher', PUBLISHER, '-o', out]);
  signed = readFileSync(out, 'utf8');
  const envelope = JSON.parse(signed);
  envelope.definition.outcomes[0].level = 2; // altered after signing
  forged = JSON.stringify(envelope);
  writeFileSync(join(tempDir, 'forged.json'), forged);
  web = await startWeb({
    organisation: 'sk.example-ngo',
    checklistTrust: { require_signatures: true, publishers: [{ name: PUBLISHER, public_key: publicKey }] },
  });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** The app with its checklist file served as `body` (the deployment's own file), or as built. */
async function openApp(body) {
  const beforeLoad = body
    ? (context) => context.route('**/checklists/first-contact.json', (route) => route.fulfill({ body, contentType: 'application/json' }))
    : undefined;
  const opened = await web.open(`${web.appOrigin}/`, { beforeLoad });
  await appReady(opened.page);
  return opened;
}

async function provenanceLine(page) {
  const line = page.locator('#case-provenance');
  await line.waitFor();
  return {
    provenance: await line.getAttribute('data-provenance'),
    publisher: await line.getAttribute('data-publisher'),
    review: await line.getAttribute('data-review-status'),
    text: await line.textContent(),
  };
}

test('the built-in checklist runs where signatures are required, shown as built in with its review status', async () => {
  const { page, done } = await openApp();
  await setUp(page, 'tidal-amber-orchard', unit);
  await startCase(page, 'Built in');
  const line = await provenanceLine(page);
  assert.equal(line.provenance, 'built_in');
  assert.equal(line.publisher, '');
  assert.equal(line.review, 'unreviewed');
  assert.match(line.text, /built into this app.*Review: not yet reviewed/);
  await done();
});

test('the definition signed by the deployment’s publisher is shown with the publisher and review status', async () => {
  const { page, done } = await openApp(signed);
  await setUp(page, 'tidal-amber-orchard', unit);
  await startCase(page, 'Signed');
  const line = await provenanceLine(page);
  assert.equal(line.provenance, 'trusted_publisher');
  assert.equal(line.publisher, PUBLISHER);
  assert.equal(line.review, 'unreviewed');
  assert.ok(line.text.includes(`published by ${PUBLISHER}`), line.text);
  assert.match(line.text, /signature was checked.*Review: not yet reviewed/);
  // The questions are the signed definition's.
  assert.ok((await page.locator('#questions [data-question]').count()) > 0);
  await snap(page, 'signed-checklist-case');
  await done();
});

test('a definition altered after signing never reaches the questions', async () => {
  const { page, done } = await openApp(forged);
  await onScreen(page, 'lock');
  await enterPin(page, 'tidal-amber-orchard');
  await onScreen(page, 'setup');
  await page.locator('#setup-card').setInputFiles({ name: 'unit.json', mimeType: 'application/json', buffer: Buffer.from(unit.cardJson) });
  await page.locator('#setup-fingerprint', { hasText: unit.fingerprint }).waitFor();
  await page.locator('#setup-matches').click();
  const error = page.locator('#setup-error');
  await error.waitFor();
  assert.match(await error.textContent(), /^BadSignature: /);
  assert.notEqual(await page.locator('body').getAttribute('data-screen'), 'case');
  await done();
});
