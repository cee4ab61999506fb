// The npm-style wasm package under Node: the same artifact the field app loads, so a broken
// build or binding fails here before anyone opens a browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { cli } from './receiver.mjs';
import { provideBuiltins } from './builtins.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(indicia);
const { generateIdentity, recipientOf, seal, sealArmored, open } = indicia;

const encode = (text) => new TextEncoder().encode(text);
const decode = (bytes) => new TextDecoder().decode(bytes);
const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----';

function keyPair() {
  const pair = generateIdentity();
  return { identity: pair.identity, recipient: pair.recipient };
}

/** Whether `needle` occurs anywhere in `haystack`, both byte arrays. */
function containsBytes(haystack, needle) {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

/** Asserts that `fn` throws the binding's IndiciaError of `kind`. */
function assertThrowsKind(fn, kind) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof Error, 'throws a real Error, so stack traces and instanceof work');
    assert.equal(error.name, 'IndiciaError');
    assert.equal(error.kind, kind, `kind (message: ${error.message})`);
    assert.ok(error.message.length > 0);
    return true;
  });
}

function withTempDir(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'indicia-node-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('generated identity and recipient use the standard age encodings', () => {
  const { identity, recipient } = keyPair();
  // Bech32: the secret key is upper case, the recipient lower case, both 32-byte X25519 keys.
  assert.match(identity, /^AGE-SECRET-KEY-1[023456789ACDEFGHJKLMNPQRSTUVWXYZ]{58}$/);
  assert.match(recipient, /^age1[023456789acdefghjklmnpqrstuvwxyz]{58}$/);
  assert.equal(recipientOf(identity), recipient);
  assert.notEqual(keyPair().identity, identity, 'each call draws a fresh key');
});

for (const [name, size] of [['empty', 0], ['200 KB', 200 * 1024]]) {
  test(`${name} message survives a binary seal/open round trip`, () => {
    const { identity, recipient } = keyPair();
    const plaintext = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 0xff);
    const sealed = seal(plaintext, [recipient]);
    assert.ok(decode(sealed.subarray(0, 22)).startsWith('age-encryption.org/v1\n'));
    assert.deepEqual(open(sealed, identity), plaintext);
  });

  test(`${name} message survives an armored seal/open round trip`, () => {
    const { identity, recipient } = keyPair();
    const plaintext = new Uint8Array(size).map((_, i) => (i * 17 + 3) & 0xff);
    const armored = sealArmored(plaintext, [recipient]);
    assert.ok(armored.startsWith(`${ARMOR_BEGIN}\n`));
    assert.match(armored, /-----END AGE ENCRYPTED FILE-----\n?$/);
    assert.deepEqual(open(encode(armored), identity), plaintext);
  });
}

test('every one of several recipients can open the sealed message', () => {
  const receivers = [keyPair(), keyPair(), keyPair()];
  const plaintext = encode('report for three receivers');
  const sealed = seal(plaintext, receivers.map((r) => r.recipient));
  for (const { identity } of receivers) {
    assert.deepEqual(open(sealed, identity), plaintext);
  }
});

test('an age-keygen identity file with comments opens the message', () => {
  const { identity, recipient } = keyPair();
  const file = `# created: 2024-01-01T00:00:00Z\n# public key: ${recipient}\n${identity}\n`;
  assert.equal(recipientOf(file), recipient);
  const plaintext = encode('opened with a whole identity file');
  assert.deepEqual(open(seal(plaintext, [recipient]), file), plaintext);
});

test('sealed bytes never contain the plaintext', () => {
  const { recipient } = keyPair();
  const plaintext = encode(`passport withheld by employer ${'marker-'.repeat(20)}`);
  assert.ok(!containsBytes(seal(plaintext, [recipient]), plaintext));
  assert.ok(!sealArmored(plaintext, [recipient]).includes('marker-'));
});

test('a malformed recipient is rejected as MalformedRecipient', () => {
  assertThrowsKind(() => seal(encode('m'), ['age1notarecipient']), 'MalformedRecipient');
  // A secret key pasted where the public key belongs must not be accepted either.
  assertThrowsKind(() => seal(encode('m'), [keyPair().identity]), 'MalformedRecipient');
});

test('sealing to no recipients is rejected as NoRecipients', () => {
  assertThrowsKind(() => seal(encode('m'), []), 'NoRecipients');
  assertThrowsKind(() => sealArmored(encode('m'), []), 'NoRecipients');
});

test('a malformed identity is rejected as MalformedIdentity', () => {
  const sealed = seal(encode('m'), [keyPair().recipient]);
  assertThrowsKind(() => open(sealed, 'AGE-SECRET-KEY-1NOTAKEY'), 'MalformedIdentity');
  assertThrowsKind(() => recipientOf('not an identity'), 'MalformedIdentity');
});

test('the wrong identity is rejected as WrongIdentity', () => {
  const sealed = seal(encode('m'), [keyPair().recipient]);
  assertThrowsKind(() => open(sealed, keyPair().identity), 'WrongIdentity');
});

test('a flipped payload byte is rejected as CorruptInput', () => {
  const { identity, recipient } = keyPair();
  const sealed = seal(encode('the payload'), [recipient]);
  sealed[sealed.length - 1] ^= 0x01;
  assertThrowsKind(() => open(sealed, identity), 'CorruptInput');
});

test('a file cut inside its header is rejected as TruncatedInput', () => {
  const { identity, recipient } = keyPair();
  const sealed = seal(encode('m'), [recipient]);
  const headerEnd = Buffer.from(sealed).indexOf('\n---');
  assert.ok(headerEnd > 0);
  assertThrowsKind(() => open(sealed.subarray(0, headerEnd / 2), identity), 'TruncatedInput');
});

test('input that is not an age file is rejected as CorruptInput', () => {
  assertThrowsKind(() => open(encode('this is not an age file\n'), keyPair().identity), 'CorruptInput');
});

test('an age file of a newer format version is rejected as UnsupportedInput', () => {
  const { identity, recipient } = keyPair();
  const sealed = Buffer.from(seal(encode('m'), [recipient]));
  sealed.write('v2', sealed.indexOf('/v1') + 1, 'latin1');
  assertThrowsKind(() => open(sealed, identity), 'UnsupportedInput');
});

test('a message sealed here opens with the independent age client', () => {
  const { identity, recipient } = keyPair();
  const message = 'Pasaport zadržaný zamestnávateľom — opened by /usr/bin/age';
  withTempDir((dir) => {
    const idFile = join(dir, 'receiver.key');
    writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
    for (const [name, sealed] of [
      ['binary.age', seal(encode(message), [recipient])],
      ['armored.age', sealArmored(encode(message), [recipient])],
    ]) {
      writeFileSync(join(dir, name), sealed);
      const opened = execFileSync('/usr/bin/age', ['-d', '-i', idFile, join(dir, name)]);
      assert.equal(opened.toString('utf8'), message, name);
    }
  });
});

test('a message sealed here to a key made by the native CLI opens with the CLI', () => {
  const message = `Pasaport zadržaný zamestnávateľom — opened by indicia open\nDruhý riadok: ďakujem.`;
  withTempDir((dir) => {
    const keyFile = join(dir, 'receiver.key');
    execFileSync(cli, ['keygen', '-o', keyFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    const recipient = readFileSync(keyFile, 'utf8').match(/^# public key: (age1\S+)$/m)?.[1];
    assert.ok(recipient, 'indicia keygen names the public key');
    for (const [name, sealed] of [
      ['binary.age', seal(encode(message), [recipient])],
      ['armored.age', sealArmored(encode(message), [recipient])],
    ]) {
      writeFileSync(join(dir, name), sealed);
      const opened = execFileSync(cli, ['open', '-i', keyFile, join(dir, name)]);
      assert.equal(opened.toString('utf8'), message, name);
    }
  });
});

test('package.json describes an ES module with typings declaring the API', () => {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(manifest.type, 'module');
  assert.ok(manifest.types, 'types field');
  const dts = readFileSync(join(pkgDir, manifest.types), 'utf8');
  for (const name of ['seal', 'sealArmored', 'open', 'generateIdentity', 'recipientOf']) {
    assert.match(dts, new RegExp(`export function ${name}\\(`), name);
  }
  for (const file of manifest.files ?? []) {
    assert.doesNotThrow(() => readFileSync(join(pkgDir, file)), `listed file ${file} exists`);
  }
});
