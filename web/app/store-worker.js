// The encrypted case store runs here, in a dedicated Worker: the browser gives SQLite's OPFS
// storage (synchronous access handles) only to workers, and the keys never enter the page's
// thread. The page sends { id, op, args } and gets { id, result } or { id, error: { kind,
// message } } back. All logic is in the wasm core; this file only dispatches. WebAuthn runs only
// on the page's thread, so a passkey's PRF output comes from the page (transferred, then zeroed
// here once the core has copied it).
import init, { builtinChecklists, CaseStore, compileChecklist, installBrowserStorage, provideBuiltinChecklist, unitCardFingerprint } from './pkg/indicia_store.js';

const STORE_NAME = 'indicia.sqlite';

let store = null;

/** The open store, or an error the page can show. */
function opened() {
  if (!store?.isUnlocked()) throw Object.assign(new Error('the store is locked'), { kind: 'StoreLocked' });
  return store;
}

function forget() {
  store?.free();
  store = null;
}

/** The passphrase strength estimator (zxcvbn-ts's score, 0–4) the core's policy calls for a
 * store without a passkey. The core has none in the browser build; it is loaded only when needed
 * (vendor/strength.js, bundled by web/build.mjs). Without it the core refuses every
 * passphrase ("WeakPin"): fail closed. */
async function passphraseStrength() {
  try {
    return (await import('./vendor/strength.js')).strength;
  } catch {
    return undefined;
  }
}

/** Zeroes a passkey's PRF output once the core has taken its copy. */
function wipe(bytes) {
  if (bytes instanceof Uint8Array) bytes.fill(0);
}

const OPS = {
  // Readable while locked: whether a store exists, whether it is unlocked, its protection
  // ("passkey" when made with a device challenge, else "passphrase"), the failed unlocks so far and
  // the wrong PINs left before the store erases itself (undefined: no limit), as the store keeps them.
  status: () => {
    const exists = CaseStore.existsInBrowser(STORE_NAME);
    if (exists) store ??= CaseStore.openInBrowser(STORE_NAME);
    return {
      exists,
      unlocked: store?.isUnlocked() ?? false,
      protection: exists ? (store.deviceChallenge() ? 'passkey' : 'passphrase') : null,
      failedUnlocks: exists ? store.failedUnlocks() : 0,
      attemptsLeft: exists ? store.attemptsLeft() : undefined,
    };
  },
  // 32 random bytes the page asks the passkey's PRF about when it creates a store.
  newDeviceChallenge: () => CaseStore.newDeviceChallenge(),
  // The store's challenge, for the passkey's PRF at unlock (undefined without a passkey).
  deviceChallenge: () => {
    store ??= CaseStore.openInBrowser(STORE_NAME);
    return store.deviceChallenge();
  },
  // With `challenge` and `prf` (the passkey's PRF output for it) the store is bound to the passkey
  // and a PIN of 6 characters will do; without them the core asks for a passphrase zxcvbn-ts
  // scores 3 or more ("WeakPin" otherwise). `wipeAfter`: wrong PINs before the store erases itself.
  create: async ({ pin, challenge, prf, wipeAfter }) => {
    forget();
    try {
      const strength = prf ? undefined : await passphraseStrength();
      store = CaseStore.createInBrowser(STORE_NAME, pin, challenge ?? undefined, prf ?? undefined, strength);
      try {
        if (wipeAfter) store.setWipeAfter(wipeAfter);
      } catch (error) {
        // A store without its wrong-PIN limit is not the one asked for: none rather than that.
        store.quickDelete();
        store = null;
        throw error;
      }
    } finally {
      wipe(prf);
    }
  },
  // `prf`: the passkey's PRF output for deviceChallenge(). A passkey store refuses the PIN alone
  // ("DeviceSecretRequired").
  unlock: ({ pin, prf }) => {
    store ??= CaseStore.openInBrowser(STORE_NAME);
    try {
      if (prf) store.unlockWithDevice(pin, prf);
      else store.unlock(pin);
    } catch (err) {
      // After a wipe the object no longer refers to a store.
      if (err.kind === 'StoreWiped') forget();
      throw err;
    } finally {
      wipe(prf);
    }
  },
  lock: () => forget(),
  // A checklist definition (plain or signed, JSON text) loaded and checked under the
  // deployment's checklist trust (JSON text, or null), compiled for the page's module
  // (docs/formats/compiled-checklist.md; ChecklistSession.fromCompiled). Here rather than on the
  // page: this module carries the JSON loader and the signature code, the page's checklist module
  // neither. Needs no store.
  compileChecklist: ({ json, trust }) => compileChecklist(json, trust ?? undefined),
  quickDelete: () => {
    const target = store ?? (CaseStore.existsInBrowser(STORE_NAME) ? CaseStore.openInBrowser(STORE_NAME) : null);
    store = null;
    target?.quickDelete();
  },
  listCases: () => opened().listCases(),
  createCase: ({ title, checklistId, language }) => opened().createCase(title, checklistId, language),
  getCase: ({ caseId }) => opened().getCase(caseId),
  answers: ({ caseId }) => JSON.stringify(opened().answers(caseId)),
  saveAnswer: ({ caseId, questionId, value }) => opened().saveAnswer(caseId, questionId, value),
  clearAnswer: ({ caseId, questionId }) => opened().clearAnswer(caseId, questionId),
  addNote: ({ caseId, text }) => opened().addNote(caseId, text),
  notes: ({ caseId }) => opened().notes(caseId),
  addAttachment: ({ caseId, name, mime, data }) => opened().addAttachment(caseId, name, mime, data),
  attachments: ({ caseId }) => opened().attachments(caseId),
  // Sealed to every receiving unit the store holds (their signed cards were checked when added;
  // InvalidState when there is none); the app has no way to type in a recipient.
  sealCase: ({ caseId, organisation }) => opened().sealCase(caseId, organisation, []),
  // Phase two: the page has handed the package to the share sheet or the browser's download.
  confirmSealed: ({ caseId, reportId }) => opened().confirmSealed(caseId, reportId),
  deleteCase: ({ caseId }) => opened().deleteCase(caseId, false),
  // Each with its fingerprint, for the worker to compare with the unit's out of band.
  units: () => opened().units().map((u) => ({ ...u, fingerprint: unitCardFingerprint(u) })),
  addUnit: ({ cardJson }) => {
    const card = opened().addUnit(cardJson);
    return { ...card, fingerprint: unitCardFingerprint(card) };
  },
  // This device's signing key (public): the unit adds it to its trust list.
  deviceInfo: () => opened().deviceInfo(),
  removeUnit: ({ keyId }) => opened().removeUnit(keyId),
  importReceipt: ({ receipt }) => opened().importReceipt(receipt),
};

/**
 * Hands the built-in checklists' definitions to the core: this module carries only their pinned
 * content hashes (48 KB gzipped less), so it reads them from beside the app (checklists/ID.json,
 * precached, the files the page runs). The core takes one only if its hash is the pinned one: an
 * altered file is refused, and the store then knows no checklist of that id (a new case on it or
 * sealing one is UnknownChecklist) rather than running another definition under its name.
 */
async function provideBuiltins() {
  await Promise.all(
    builtinChecklists().map(async (id) => {
      try {
        const response = await fetch(new URL(`checklists/${id}.json`, self.location.href));
        if (response.ok) provideBuiltinChecklist(await response.text());
      } catch {
        // Refused or unreadable: that checklist stays unknown to the store (above).
      }
    }),
  );
}

const ready = (async () => {
  await init();
  await Promise.all([installBrowserStorage(), provideBuiltins()]);
})();

// Messages are handled one at a time, in order, so a save is never overtaken by a later read.
let queue = Promise.resolve();
self.addEventListener('message', ({ data: { id, op, args } }) => {
  queue = queue.then(async () => {
    try {
      await ready;
      if (!Object.hasOwn(OPS, op)) throw Object.assign(new Error(`unknown operation ${op}`), { kind: 'InvalidState' });
      self.postMessage({ id, result: await OPS[op](args ?? {}) });
    } catch (err) {
      // Core errors carry a kind and a message without personal data; pass only those.
      self.postMessage({ id, error: { kind: err?.kind ?? 'StoreFailure', message: String(err?.message ?? err) } });
    }
  });
});
