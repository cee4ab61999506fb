// The encrypted case store runs here, in a dedicated Worker: the browser gives SQLite's OPFS
// storage (synchronous access handles) only to workers, and the keys never enter the page's
// thread. The page sends { id, op, args } and gets { id, result } or { id, error: { kind,
// message } } back. All logic is in the wasm core; this file only dispatches.
import init, { CaseStore, installBrowserStorage } from './pkg/indicia.js';

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

const OPS = {
  status: () => ({
    exists: CaseStore.existsInBrowser(STORE_NAME),
    unlocked: store?.isUnlocked() ?? false,
  }),
  create: ({ pin }) => {
    forget();
    store = CaseStore.createInBrowser(STORE_NAME, pin);
  },
  unlock: ({ pin }) => {
    store ??= CaseStore.openInBrowser(STORE_NAME);
    try {
      store.unlock(pin);
    } catch (err) {
      // After a wipe the object no longer refers to a store.
      if (err.kind === 'StoreWiped') forget();
      throw err;
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
  getCase: ({ caseId }) => opened().getCase(caseId),
  deleteCase: ({ caseId }) => opened().deleteCase(caseId, false),
  deviceInfo: () => opened().deviceInfo(),
  units: () => opened().units(),
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
