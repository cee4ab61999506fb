// The cross-layer check's Chromium side: the wasm core the field app ships (build/web/app/pkg,
// the store's module its store worker runs), loaded in Chromium by a page of the app's origin,
// seals a message to the run's receiver key.
// The native CLI opens it here; tests/python/test_cross_layer.py opens it again in Python, with
// the CLI and with Go age (chromium.age and chromium.txt in INDICIA_CROSS_DIR). The core's sealing
// is called directly: the app itself seals only case reports, to unit cards checked by their
// fingerprint (field-app.test.mjs, whose package tests/python/test_package.py opens).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, startWeb } from './app.mjs';
import { receiverKey, runCli } from './support.mjs';

const crossDir = process.env.INDICIA_CROSS_DIR;
let web;
let tempDir;

before(async () => {
  web = await startWeb();
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-cross-'));
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

test('a message the app\'s wasm core seals in Chromium opens with the native CLI and holds no plaintext', async () => {
  const { keyFile, recipient } = receiverKey(tempDir);
  const marker = randomUUID();
  const message = `Pasaport zadržaný zamestnávateľom — marker ${marker}\nDruhý riadok: ďakujem.`;
  const { page, done } = await web.open(`${web.appOrigin}/`);
  await appReady(page);
  const armored = await page.evaluate(
    async ({ message, recipient }) => {
      const core = await import('/pkg/indicia_store.js');
      await core.default();
      return core.sealArmored(new TextEncoder().encode(message), [recipient]);
    },
    { message, recipient },
  );
  await done();
  assert.match(armored, /^-----BEGIN AGE ENCRYPTED FILE-----\n[A-Za-z0-9+/=\n]+-----END AGE ENCRYPTED FILE-----\n?$/);
  assert.equal(armored.includes(marker), false, 'the sealed text does not carry the marker');

  const sealedFile = join(tempDir, 'chromium.age');
  writeFileSync(sealedFile, armored);
  assert.equal(runCli(['open', '-i', keyFile, sealedFile]), message);
  if (crossDir) {
    writeFileSync(join(crossDir, 'chromium.age'), armored);
    writeFileSync(join(crossDir, 'chromium.txt'), message);
  }
});
