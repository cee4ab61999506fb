// The case notebook's passkey in a real Chromium. With a platform authenticator that has the
// WebAuthn PRF extension (a CDP virtual authenticator here), the store is bound to a passkey: a
// 6-digit PIN is enough, the page asks the passkey at every unlock, and the PIN alone opens
// nothing. Without one, the core asks for a passphrase that is hard to guess ("WeakPin").
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  contains,
  enterPin,
  openNotebook,
  originStorage,
  repo,
  startCase,
  startSite,
  waitStore,
} from './support.mjs';

const screenshot = join(repo, 'build/screenshots/case-page-passkey.png');

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
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

/** A virtual authenticator for the page, added before the page loads: `open()` opens the
 * notebook with it; `replace()` swaps it for a fresh one that does not hold the passkey. */
function virtualAuthenticator(options = {}) {
  const authenticator = { cdp: null, id: null };
  const add = async () => {
    ({ authenticatorId: authenticator.id } = await authenticator.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { ...PLATFORM_AUTHENTICATOR, ...options },
    }));
  };
  authenticator.open = () =>
    openNotebook(site, {
      beforeLoad: async (context, page) => {
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
  return authenticator;
}

/** Records the URLs of every request of the context (the store worker's included). */
function recordRequests(context) {
  const urls = [];
  context.on('request', (request) => urls.push(new URL(request.url()).pathname));
  return urls;
}

const ESTIMATOR = '/vendor/strength.js';

const body = (page, name) => page.evaluate((n) => document.body.dataset[n], name);
const base64url = (base64) => base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

test('a store bound to a passkey opens with a 6-digit PIN and the passkey, and not with the PIN alone', async () => {
  const marker = randomUUID().replaceAll('-', '');
  const title = `Quay case ${marker}T`;
  const note = `Papers kept by the foreman ${marker}N`;
  const pin = '839201';
  const authenticator = virtualAuthenticator();
  const { page, context, done } = await authenticator.open();
  const requests = recordRequests(context);
  await waitStore(page, 'none');
  assert.equal(await body(page, 'passkeyOffered'), 'true');
  await page.locator('#store-protection', { hasText: 'passkey' }).waitFor();
  assert.equal(await page.locator('#pin-label').textContent(), 'PIN');

  // Even with a passkey the core wants 6 characters; the passkey made for the refused try is
  // asked again on the next one rather than a second passkey made.
  await enterPin(page, '4821');
  await page.locator('#store-error', { hasText: 'WeakPin' }).waitFor();
  await waitStore(page, 'none');
  await enterPin(page, pin);
  await waitStore(page, 'unlocked');
  assert.equal(await body(page, 'protection'), 'passkey');
  await page.locator('#store-protection', { hasText: 'the PIN alone cannot open it' }).waitFor();
  assert.equal(requests.includes(ESTIMATOR), false, 'a passkey store needs no passphrase estimator');
  const credentials = await authenticator.credentials();
  assert.equal(credentials.length, 1, 'one passkey, made once');
  assert.equal(credentials[0].isResidentCredential, true, 'a discoverable credential');
  assert.equal(credentials[0].rpId, 'localhost');
  // The page keeps only the credential id, as a hint for which passkey to ask.
  assert.equal(
    await page.evaluate(() => localStorage.getItem('indicia.case-notebook.passkey')),
    base64url(credentials[0].credentialId),
  );

  await startCase(page, title);
  await page.locator('#note-text').fill(note);
  await page.locator('#new-note button').click();
  await page.locator('#note-list li', { hasText: note }).waitFor();

  // After a reload the store is locked; the page says the passkey is asked too. A wrong PIN
  // with the right passkey is a wrong PIN.
  await page.reload();
  await page.locator('body[data-store-ready="true"]').waitFor();
  await waitStore(page, 'locked');
  assert.equal(await body(page, 'protection'), 'passkey');
  await page.locator('#store-status', { hasText: 'passkey' }).waitFor();
  await enterPin(page, '000000');
  await page.locator('#store-error', { hasText: 'WrongPin' }).waitFor();
  await waitStore(page, 'locked');

  // The PIN: the page gets the PRF output from the passkey itself and the store opens.
  await enterPin(page, pin);
  await waitStore(page, 'unlocked');
  assert.equal(await page.locator('#store-error').isHidden(), true);
  await page.locator('#case-list button', { hasText: title }).click();
  await page.locator('#note-list li', { hasText: note }).waitFor();
  mkdirSync(join(repo, 'build/screenshots'), { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: screenshot }); // the store panel and the case list

  // Locked again, and the passkey is gone (another device, or a removed passkey): the same PIN
  // is refused by the core ("DeviceSecretRequired") and the store stays locked.
  await page.locator('#lock').click();
  await waitStore(page, 'locked');
  await authenticator.replace();
  await enterPin(page, pin);
  const refusal = page.locator('#store-error', { hasText: 'DeviceSecretRequired' });
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /passkey/);
  await waitStore(page, 'locked');
  assert.equal(await page.locator('#cases').isHidden(), true, 'no case list while locked');
  assert.equal(await page.locator('#note-list li').count(), 0);

  // The origin's storage holds neither the cases nor the PIN; outside OPFS only the hint.
  await page.goto(new URL('/checklist.html', page.url()).href);
  const stored = await originStorage(page);
  assert.ok(stored.some((s) => contains(s.bytes, 'SQLite format 3')), 'the database file was read');
  for (const { where, name, bytes } of stored) {
    for (const [what, secret] of [['title', title], ['note', note], ['marker', marker], ['PIN', pin]]) {
      assert.equal(contains(bytes, secret), false, `${where} ${name} holds the ${what} in the clear`);
    }
  }
  assert.deepEqual(
    stored.filter((s) => s.where !== 'opfs').map((s) => `${s.where} ${s.name}`),
    ['localStorage indicia.case-notebook.passkey'],
  );
  await done();
});

test('quick delete of a passkey store retires its passkey', async () => {
  const authenticator = virtualAuthenticator();
  const { page, done } = await authenticator.open();
  await waitStore(page, 'none');
  await enterPin(page, '570314');
  await waitStore(page, 'unlocked');
  assert.equal(await body(page, 'protection'), 'passkey');
  assert.notEqual(await page.evaluate(() => localStorage.getItem('indicia.case-notebook.passkey')), null);

  await page.locator('#quick-delete').click();
  await waitStore(page, 'none');
  assert.equal(await body(page, 'protection'), undefined);
  assert.equal(await page.evaluate(() => localStorage.getItem('indicia.case-notebook.passkey')), null);
  // The page tells the authenticator the passkey is no longer known (signalUnknownCredential).
  for (let i = 0; (await authenticator.credentials()).length > 0; i++) {
    assert.ok(i < 50, 'the passkey of the deleted store is still on the authenticator');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A new store gets a new passkey and opens as before.
  await enterPin(page, '264913');
  await waitStore(page, 'unlocked');
  assert.equal(await body(page, 'protection'), 'passkey');
  await done();
});

test('a passkey without PRF cannot guard the store: the page falls back to a passphrase', async () => {
  const authenticator = virtualAuthenticator({ hasPrf: false });
  const { page, done } = await authenticator.open();
  await waitStore(page, 'none');
  assert.equal(await body(page, 'passkeyOffered'), 'true');
  // The passkey is made but gives no PRF output: the short PIN is then refused by the core.
  await enterPin(page, '839201');
  await page.locator('#store-error', { hasText: 'WeakPin' }).waitFor();
  await waitStore(page, 'none');
  assert.equal(await body(page, 'passkeyOffered'), 'false');
  await page.locator('#store-protection', { hasText: 'no PRF' }).waitFor();
  assert.equal(await page.locator('#pin-label').textContent(), 'Passphrase');

  await enterPin(page, 'kettle-window-sparrow');
  await waitStore(page, 'unlocked');
  assert.equal(await body(page, 'protection'), 'passphrase');
  assert.equal(await page.evaluate(() => localStorage.length), 0, 'no passkey hint');
  await done();
});

test('without a passkey a 4-digit PIN is refused (WeakPin) and no store is made; a passphrase works', async () => {
  const { page, context, done } = await openNotebook(site);
  const requests = recordRequests(context);
  await waitStore(page, 'none');
  assert.equal(await body(page, 'passkeyOffered'), 'false');
  await page.locator('#store-protection', { hasText: 'passphrase' }).waitFor();
  assert.equal(await page.locator('#pin-label').textContent(), 'Passphrase');

  await enterPin(page, '1234');
  await page.locator('#store-error', { hasText: 'WeakPin' }).waitFor();
  assert.match(await page.locator('#store-error').textContent(), /too short/);
  await waitStore(page, 'none');
  await page.reload();
  await page.locator('body[data-store-ready="true"]').waitFor();
  await waitStore(page, 'none'); // nothing was made

  // Long enough but easy to guess: refused as well.
  await enterPin(page, 'password1234');
  await page.locator('#store-error', { hasText: 'too easy to guess' }).waitFor();
  await waitStore(page, 'none');

  await enterPin(page, 'kettle-window-sparrow');
  await waitStore(page, 'unlocked');
  assert.equal(await body(page, 'protection'), 'passphrase');
  await page.locator('#store-protection', { hasText: 'passphrase alone' }).waitFor();
  assert.equal(await page.locator('#store-error').isHidden(), true);
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  // The core has no strength estimator in the browser build: the worker loaded zxcvbn-ts's.
  assert.ok(requests.includes(ESTIMATOR), 'the worker loaded the strength estimator');
  await done();
});

test('without the strength estimator every passphrase is refused: the core fails closed', async () => {
  const { page, context, done } = await openNotebook(site);
  await context.route(`**${ESTIMATOR}`, (route) => route.fulfill({ status: 404, body: '' }));
  await waitStore(page, 'none');
  await enterPin(page, 'kettle-window-sparrow');
  await page.locator('#store-error', { hasText: 'WeakPin' }).waitFor();
  assert.match(await page.locator('#store-error').textContent(), /no strength estimator/);
  await waitStore(page, 'none');
  await done();
});
