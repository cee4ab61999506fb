// Shared by the browser tests (not a test file itself): the repository's root, a receiving unit
// driven through the native CLI (tests/node/receiver.mjs) and the run's receiver key, and a reader
// of everything an origin stores. The app itself is served and opened by app.mjs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cli, receivingUnit, runCli } from '../node/receiver.mjs';

export const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The native CLI's path, a receiving unit driven through it, and one CLI call (its stdout as text). */
export { cli, receivingUnit, runCli };

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
