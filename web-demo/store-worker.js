// The encrypted case store runs here, in a dedicated Worker: the browser gives SQLite's OPFS
// storage (synchronous access handles) only to workers, and the keys never enter the page's
// thread. The page sends { id, op, args } and gets { id, result } or { id, error: { kind,
// message } } back. All logic is in the wasm core; this file only dispatches. WebAuthn runs only
// on the page's thread, so a passkey's PRF output comes from the page (transferred, then zeroed
// here once the core has copied it).
import init, { CaseStore, installBrowserStorage, unitCardFingerprint } from './pkg/indicia.js';

const STORE_NAME = 'indicia.sqlite';
const CHECKLIST_ID = 'first-contact';

let store = null;

/** The open store, or an error the page can show. */
function opened() {
  if (!store) throw Object.assign(new Error('the store is not open'), { kind: 'StoreLocked' });
  return store;
}

function forget() {
  store?.free();
  store = null;
}

/** The passphrase strength estimator (zxcvbn-ts's score, 0–4) the core's policy calls for a
 * store without a passkey. The core has none in the browser build; it is loaded only when
 * needed (web-demo/vendor/strength.js, bundled by scripts/build-wasm). Without it the core
 * refuses every passphrase. */
async function passphraseStrength() {
  try {
    return (await import('./vendor/strength.js')).strength;
  } catch {
    return undefined; // the core then refuses the passphrase ("WeakPin"): fail closed
  }
}

/** Zeroes a passkey's PRF output once the core has taken its copy. */
function wipe(bytes) {
  if (bytes instanceof Uint8Array) bytes.fill(0);
}

const OPS = {
  // `protection` of an existing store, readable while locked: "passkey" when it was made with a
  // device challenge (unlocking needs the passkey's PRF output), else "passphrase".
  status: () => {
    const exists = CaseStore.existsInBrowser(STORE_NAME);
    if (exists) store ??= CaseStore.openInBrowser(STORE_NAME);
    return {
      exists,
      unlocked: store?.isUnlocked() ?? false,
      protection: exists ? (store.deviceChallenge() ? 'passkey' : 'passphrase') : null,
    };
  },
  // 32 random bytes the page asks the passkey's PRF about when it creates a store.
  newDeviceChallenge: () => CaseStore.newDeviceChallenge(),
  // The store's challenge, for the passkey's PRF at unlock (undefined without a passkey).
  deviceChallenge: () => {
    store ??= CaseStore.openInBrowser(STORE_NAME);
    return store.deviceChallenge();
  },
  // With `challenge` and `prf` (the passkey's PRF output for it) the store is bound to the
  // passkey and a PIN of 6 characters will do; without them the core asks for a passphrase that
  // zxcvbn-ts scores 3 or more ("WeakPin" otherwise).
  create: async ({ pin, challenge, prf }) => {
    forget();
    try {
      const strength = prf ? undefined : await passphraseStrength();
      store = CaseStore.createInBrowser(STORE_NAME, pin, challenge ?? undefined, prf ?? undefined, strength);
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
  setWipeAfter: ({ attempts }) => opened().setWipeAfter(attempts ?? undefined),
  quickDelete: () => {
    const target = store ?? CaseStore.openInBrowser(STORE_NAME);
    store = null;
    target.quickDelete();
  },
  listCases: () => opened().listCases(),
  createCase: ({ title }) => opened().createCase(title, CHECKLIST_ID),
  answers: ({ caseId }) => JSON.stringify(opened().answers(caseId)),
  saveAnswer: ({ caseId, questionId, value }) => opened().saveAnswer(caseId, questionId, value),
  clearAnswer: ({ caseId, questionId }) => opened().clearAnswer(caseId, questionId),
  addNote: ({ caseId, text }) => opened().addNote(caseId, text),
  notes: ({ caseId }) => opened().notes(caseId),
  // With no recipient typed, the case is sealed to every receiving unit the store knows.
  sealCase: ({ caseId, organisation, recipients }) => {
    const to = recipients?.length ? recipients : opened().units().map((u) => u.recipient);
    return opened().sealCase(caseId, organisation, to);
  },
  // Phase two: the page has handed the package to the browser's download.
  confirmSealed: ({ caseId, reportId }) => {
    opened().confirmSealed(caseId, reportId);
  },
  getCase: ({ caseId }) => opened().getCase(caseId),
  deleteCase: ({ caseId }) => opened().deleteCase(caseId, false),
  deviceInfo: () => opened().deviceInfo(),
  // Each with its fingerprint, for the worker to compare with the unit's out of band.
  units: () => opened().units().map((u) => ({ ...u, fingerprint: unitCardFingerprint(u) })),
  addUnit: ({ cardJson }) => opened().addUnit(cardJson),
  removeUnit: ({ keyId }) => opened().removeUnit(keyId),
  importReceipt: ({ receipt }) => opened().importReceipt(receipt),
};

const ready = (async () => {
  await init();
  await installBrowserStorage();
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
