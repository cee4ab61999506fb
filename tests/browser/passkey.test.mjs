// The field app's passkey in a real Chromium (web/app/js/passkey.js). With a platform
// authenticator that has the WebAuthn PRF extension (a CDP virtual authenticator here), the store
// is bound to a passkey: a 6-digit PIN is enough, the app asks the passkey at every unlock, and
// the PIN alone opens nothing. Without one, the core asks for a passphrase that is hard to guess
// ("WeakPin"), scored by zxcvbn-ts, which the store worker loads only then; without that
// estimator every passphrase is refused.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, enterPin, onScreen, setUp, snap, startCase, startWeb } from './app.mjs';
import { contains, originStorage, receivingUnit } from './support.mjs';

const HINT = 'indicia.passkey'; // the passkey's credential id, kept by the app as a hint
const ESTIMATOR = '/vendor/strength.js';

let web;
let tempDir;
let unit;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-passkey-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
  // The organisation comes from the deployment, so the app keeps nothing of its own in
  // localStorage: only the passkey hint is left there.
  web = await startWeb({ organisation: 'sk.example-ngo' });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

const PLATFORM_AUTHENTICATOR = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  hasPrf: true,
  automaticPresenceSimulation: true,
};

/** Records the paths the app requests (the page and its store worker; not the service worker's
 * precaching, which fetches every file of the app once). */
function recordRequests(context) {
  const paths = [];
  context.on('request', (request) => {
    if (!request.serviceWorker()) paths.push(new URL(request.url()).pathname);
  });
  return paths;
}

/** Opens the app with a virtual authenticator added before the page loads; `replace()` swaps it
 * for a fresh one that does not hold the passkey. */
async function openWithAuthenticator(options = {}) {
  const authenticator = { cdp: null, id: null };
  const add = async () => {
    ({ authenticatorId: authenticator.id } = await authenticator.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { ...PLATFORM_AUTHENTICATOR, ...options },
    }));
  };
  let requests;
  const opened = await web.open(`${web.appOrigin}/`, {
    beforeLoad: async (context, page) => {
      requests = recordRequests(context);
      authenticator.cdp = await context.newCDPSession(page);
      await authenticator.cdp.send('WebAuthn.enable');
      await add();
    },
  });
  authenticator.credentials = async () =>
    (await authenticator.cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator.id })).credentials;
  authenticator.replace = async () => {
    await authenticator.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: authenticator.id });
    await add();
  };
  await appReady(opened.page);
  return { ...opened, authenticator, requests };
}

async function openWithoutAuthenticator({ beforeLoad } = {}) {
  let requests;
  const opened = await web.open(`${web.appOrigin}/`, {
    beforeLoad: async (context, page) => {
      requests = recordRequests(context);
      await beforeLoad?.(context, page);
    },
  });
  await appReady(opened.page);
  return { ...opened, requests };
}

const body = (page, name) => page.locator('body').getAttribute(`data-${name}`);
const hint = (page) => page.evaluate((key) => localStorage.getItem(key), HINT);
const base64url = (base64) => base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** Reloads the app and waits for its lock screen (a reload ends the worker and forgets the keys). */
async function reloadLocked(page) {
  await page.reload();
  await appReady(page);
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'store'), 'locked');
}

test('a store bound to a passkey opens with a 6-digit PIN and the passkey, and not with the PIN alone', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const title = `Quay case ${marker}T`;
  const note = `Papers kept by the foreman ${marker}N`;
  const pin = '839201';
  const { page, authenticator, requests, done } = await openWithAuthenticator();
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'store'), 'none');
  assert.equal(await body(page, 'protection'), 'passkey', 'the app offers the passkey');
  assert.match(await page.locator('#lock-text').textContent(), /passkey/);
  assert.equal(await page.locator('#pin-label').textContent(), 'PIN');
  assert.equal(await page.locator('#pin').getAttribute('inputmode'), 'numeric');

  // Even with a passkey the core wants 6 characters; the passkey made for the refused try is
  // asked again on the next one rather than a second passkey made.
  await enterPin(page, '4821');
  await page.locator('#lock-error', { hasText: 'WeakPin' }).waitFor();
  assert.equal(await body(page, 'store'), 'none', 'no store was made');
  await setUp(page, pin, unit);
  assert.equal(requests.includes(ESTIMATOR), false, 'a passkey store needs no passphrase estimator');
  const credentials = await authenticator.credentials();
  assert.equal(credentials.length, 1, 'one passkey, made once');
  assert.equal(credentials[0].isResidentCredential, true, 'a discoverable credential');
  assert.equal(credentials[0].rpId, 'localhost');
  // The app keeps only the credential id, as a hint for which passkey to ask.
  assert.equal(await hint(page), base64url(credentials[0].credentialId));

  await startCase(page, title);
  await page.locator('#note-text').fill(note);
  await page.locator('#note-add').click();
  await page.locator('#note-list li', { hasText: note }).waitFor();

  // After a reload the store is locked and says it is bound to the passkey. A wrong PIN with
  // the right passkey is a wrong PIN.
  await reloadLocked(page);
  assert.equal(await body(page, 'protection'), 'passkey', 'the store reports its passkey protection');
  assert.match(await page.locator('#lock-text').textContent(), /passkey is asked too/);
  await enterPin(page, '000000');
  await page.locator('#lock-error', { hasText: 'WrongPin' }).waitFor();
  await onScreen(page, 'lock');

  // The PIN: the app gets the PRF output from the passkey itself and the store opens.
  await enterPin(page, pin);
  await onScreen(page, 'cases');
  await page.locator('#case-list button', { hasText: title }).click();
  await onScreen(page, 'case');
  await page.locator('#note-list li', { hasText: note }).waitFor();

  // Locked again, and the passkey is gone (another device, or a removed passkey): the same PIN
  // is refused by the core ("DeviceSecretRequired") and the store stays locked.
  await page.locator('#lock').click();
  await onScreen(page, 'lock');
  await authenticator.replace();
  await enterPin(page, pin);
  const refusal = page.locator('#lock-error', { hasText: 'DeviceSecretRequired' });
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /passkey/, 'the refusal says the passkey did not answer');
  await snap(page, 'passkey-refused');
  await onScreen(page, 'lock');
  assert.equal(await page.locator('#screen-cases').isHidden(), true, 'no case list while locked');
  assert.equal(await page.getByText(title).isVisible(), false, 'no title while locked');
  assert.equal(await page.locator('#note-list li').count(), 0, 'the open case was closed');

  // The origin's storage holds neither the case nor the PIN; localStorage only the hint.
  await page.goto(`${web.appOrigin}/exit.html`);
  const stored = await originStorage(page);
  assert.ok(stored.some((s) => contains(s.bytes, 'SQLite format 3')), 'the database file was read');
  for (const { where, name, bytes } of stored) {
    for (const [what, secret] of [['title', title], ['note', note], ['marker', marker], ['PIN', pin]]) {
      assert.equal(contains(bytes, secret), false, `${where} ${name} holds the ${what} in the clear`);
    }
  }
  assert.deepEqual(stored.filter((s) => s.where === 'localStorage').map((s) => s.name), [HINT]);
  await done();
});

test('quick delete of a passkey store retires its passkey', async () => {
  const { page, authenticator, done } = await openWithAuthenticator();
  await setUp(page, '570314', unit);
  const first = await hint(page);
  assert.notEqual(first, null);

  // Quick delete: two taps, on the case list.
  await page.locator('#delete-all').click();
  await page.locator('#delete-all-yes').click();
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'store'), 'none');
  assert.equal(await hint(page), null, 'the hint is forgotten');
  // The app tells the authenticator the passkey is no longer known (signalUnknownCredential).
  for (let i = 0; (await authenticator.credentials()).length > 0; i++) {
    assert.ok(i < 50, 'the passkey of the deleted store is still on the authenticator');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // A new store gets a new passkey and opens as before.
  assert.equal(await body(page, 'protection'), 'passkey');
  await setUp(page, '264913', unit);
  assert.equal((await authenticator.credentials()).length, 1);
  assert.notEqual(await hint(page), first, 'a new passkey');
  await reloadLocked(page);
  assert.equal(await body(page, 'protection'), 'passkey');
  await enterPin(page, '264913');
  await onScreen(page, 'cases');
  await done();
});

test('a passkey without PRF cannot guard the store: the app falls back to a passphrase', async () => {
  const { page, authenticator, done } = await openWithAuthenticator({ hasPrf: false });
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'protection'), 'passkey', 'a passkey is offered at first');
  // The passkey is made but gives no PRF output: the app drops it, and the short PIN is then
  // refused by the core as a passphrase.
  await enterPin(page, '839201');
  await page.locator('#lock-error', { hasText: 'WeakPin' }).waitFor();
  assert.equal(await body(page, 'store'), 'none');
  assert.equal(await body(page, 'protection'), 'passphrase');
  assert.match(await page.locator('#lock-text').textContent(), /no PRF/, 'the app says why');
  assert.equal(await page.locator('#pin-label').textContent(), 'Passphrase');
  assert.equal(await page.locator('#pin').getAttribute('inputmode'), 'text');
  for (let i = 0; (await authenticator.credentials()).length > 0; i++) {
    assert.ok(i < 50, 'the passkey without PRF is left on the authenticator');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  await setUp(page, 'kettle-window-sparrow', unit);
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'no passkey hint');
  await reloadLocked(page);
  assert.equal(await body(page, 'protection'), 'passphrase', 'the store is under the passphrase alone');
  await done();
});

test('without a passkey a 4-digit PIN is refused (WeakPin) and no store is made; a passphrase works', async () => {
  const { page, requests, done } = await openWithoutAuthenticator();
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'store'), 'none');
  assert.equal(await body(page, 'protection'), 'passphrase');
  assert.equal(await page.locator('#pin-label').textContent(), 'Passphrase');

  await enterPin(page, '1234');
  await page.locator('#lock-error', { hasText: 'WeakPin' }).waitFor();
  assert.match(await page.locator('#lock-error').textContent(), /too short/);
  assert.equal(await body(page, 'store'), 'none');
  await page.reload();
  await appReady(page);
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'store'), 'none', 'nothing was made');

  // Long enough but easy to guess: refused as well.
  await enterPin(page, 'password1234');
  await page.locator('#lock-error', { hasText: 'too easy to guess' }).waitFor();
  assert.equal(await body(page, 'store'), 'none');

  await setUp(page, 'kettle-window-sparrow', unit);
  assert.equal(await page.locator('#lock-error').isHidden(), true);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  // The core has no strength estimator in the browser build: the worker loaded zxcvbn-ts's.
  assert.ok(requests.includes(ESTIMATOR), 'the store worker loaded the strength estimator');
  await reloadLocked(page);
  assert.equal(await body(page, 'protection'), 'passphrase');
  await done();
});

test('without the strength estimator every passphrase is refused: the core fails closed', async () => {
  const { page, done } = await openWithoutAuthenticator({
    beforeLoad: (context) => context.route(`**${ESTIMATOR}`, (route) => route.fulfill({ status: 404, body: '' })),
  });
  await onScreen(page, 'lock');
  await enterPin(page, 'kettle-window-sparrow');
  await page.locator('#lock-error', { hasText: 'WeakPin' }).waitFor();
  assert.match(await page.locator('#lock-error').textContent(), /no strength estimator/);
  assert.equal(await body(page, 'store'), 'none');
  await page.reload();
  await appReady(page);
  await onScreen(page, 'lock');
  assert.equal(await body(page, 'store'), 'none', 'nothing was made');
  await done();
});
