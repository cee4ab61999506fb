// The case notebook: the first-contact checklist (checklist.js draws it) with every answer and
// note saved, encrypted, in this browser's Origin Private File System. The store lives in a
// Worker (store-worker.js); this script drives it and the page. Nothing is sent anywhere.

const $ = (id) => document.getElementById(id);
const form = $('checklist');
const status = $('store-status');
const storeError = $('store-error');
const pinInput = $('pin');

const worker = new Worker(new URL('./store-worker.js', import.meta.url), { type: 'module' });
const pending = new Map();
let nextId = 1;

worker.addEventListener('message', ({ data: { id, result, error } }) => {
  const call = pending.get(id);
  pending.delete(id);
  if (error) call?.reject(Object.assign(new Error(error.message), { kind: error.kind }));
  else call?.resolve(result);
});
worker.addEventListener('error', (event) => showError({ kind: 'StoreFailure', message: event.message ?? 'the store worker failed' }));

/** Runs `op` in the store worker. */
function call(op, args = {}) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, args });
  });
}

let openCase = null;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children);
  return node;
}

function showError(err) {
  storeError.textContent = `${err?.kind ?? 'Error'}: ${err?.message ?? String(err)}`;
  storeError.hidden = false;
}

function clearError() {
  storeError.hidden = true;
  storeError.textContent = '';
}

/** Runs a user action: errors show in the store panel, never as an unhandled rejection. */
function action(fn) {
  return async (event) => {
    event?.preventDefault();
    clearError();
    try {
      await fn(event);
    } catch (err) {
      showError(err);
    }
  };
}

/** Shows what fits the store's state: none (create), locked (unlock) or unlocked (cases). */
async function refresh() {
  const { exists, unlocked } = await call('status');
  const state = unlocked ? 'unlocked' : exists ? 'locked' : 'none';
  document.body.dataset.store = state;
  $('create').hidden = state !== 'none';
  $('unlock').hidden = state !== 'locked';
  $('lock').hidden = state !== 'unlocked';
  $('quick-delete').hidden = state === 'none';
  $('pin-form').hidden = state === 'unlocked';
  $('cases').hidden = state !== 'unlocked';
  status.textContent = {
    none: 'No store on this device yet. Choose a PIN to create one.',
    locked: 'The store is locked. Enter the PIN to unlock it.',
    unlocked: 'Unlocked. Answers and notes are saved, encrypted, as you go.',
  }[state];
  if (state !== 'unlocked') closeCase();
  else await renderCases();
}

async function renderCases() {
  const cases = await call('listCases');
  $('case-list').replaceChildren(
    ...cases.map((c) =>
      el('li', {}, el('button', { type: 'button', 'data-case': c.id, class: openCase === c.id ? 'current' : null }, c.title)),
    ),
  );
}

/** Resolves once checklist.js has loaded the engine and drawn the checklist. */
const checklistReady = new Promise((resolve) => {
  if (document.body.dataset.ready === 'true') return resolve();
  new MutationObserver((_, observer) => {
    if (document.body.dataset.ready === 'true') {
      observer.disconnect();
      resolve();
    }
  }).observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
});

async function showCase(caseId) {
  await checklistReady;
  const answers = await call('answers', { caseId });
  openCase = caseId;
  form.dispatchEvent(new CustomEvent('indicia:restore', { detail: answers }));
  await renderNotes();
  $('case').hidden = false;
  $('case').dataset.case = caseId;
  $('case').dataset.status = (await call('getCase', { caseId })).status;
  $('seal-result').hidden = true;
  $('seal-download').hidden = true;
  await renderCases();
}

function closeCase() {
  openCase = null;
  $('case').hidden = true;
  delete $('case').dataset.case;
  $('note-list').replaceChildren();
}

async function renderNotes() {
  const notes = await call('notes', { caseId: openCase });
  $('note-list').replaceChildren(...notes.map((n) => el('li', {}, n.text)));
}

/** The PIN from the field, which is then emptied so it does not linger in the page. */
function takePin() {
  const pin = pinInput.value;
  pinInput.value = '';
  return pin;
}

// Enter in the PIN field or either button: create when there is no store, else unlock.
$('pin-form').addEventListener('submit', action(async () => {
  const pin = takePin();
  try {
    if (document.body.dataset.store === 'none') {
      if (pin.length < 4) throw { kind: 'InvalidState', message: 'choose a PIN of at least 4 characters' };
      await call('create', { pin });
    } else {
      await call('unlock', { pin });
    }
  } finally {
    // A wrong PIN may have wiped the store (wipe-after-N): show the state as it now is.
    await refresh();
  }
}));
$('lock').addEventListener('click', action(async () => {
  await call('lock');
  await refresh();
}));
$('quick-delete').addEventListener('click', action(async () => {
  await call('quickDelete');
  await refresh();
}));
$('new-case').addEventListener('submit', action(async () => {
  const title = $('case-title').value.trim();
  if (!title) throw { kind: 'InvalidState', message: 'give the case a title' };
  const caseId = await call('createCase', { title });
  $('case-title').value = '';
  await showCase(caseId);
}));
$('case-list').addEventListener('click', action(async (event) => {
  const button = event?.target.closest('button[data-case]');
  if (button) await showCase(button.dataset.case);
}));
$('new-note').addEventListener('submit', action(async () => {
  const text = $('note-text').value.trim();
  if (!text || !openCase) return;
  await call('addNote', { caseId: openCase, text });
  $('note-text').value = '';
  await renderNotes();
}));

$('seal-form').addEventListener('submit', action(async () => {
  if (!openCase) return;
  const recipients = $('seal-recipients').value.split(/\s+/).filter(Boolean);
  const sealed = await call('sealCase', {
    caseId: openCase,
    organisation: $('seal-organisation').value.trim(),
    recipients,
  });
  const link = $('seal-download');
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(new Blob([sealed.package], { type: 'application/octet-stream' }));
  link.download = `report-${sealed.report_id}.age`;
  link.hidden = false;
  link.click();
  const result = $('seal-result');
  result.textContent = `Sealed as report ${sealed.report_id}. Send the file to the receiving unit by any channel.`;
  result.dataset.reportId = sealed.report_id;
  result.hidden = false;
  $('case').dataset.status = (await call('getCase', { caseId: openCase })).status;
  await renderCases();
}));

// Each answer the checklist accepted is saved at once; a failed save is shown, never dropped
// silently.
form.addEventListener('indicia:answer', ({ detail: { id, value } }) => {
  if (!openCase) return;
  const caseId = openCase;
  const op = value === null ? call('clearAnswer', { caseId, questionId: id }) : call('saveAnswer', { caseId, questionId: id, value });
  op.then(
    () => ($('saved').textContent = 'All answers saved.'),
    (err) => showError(err),
  );
});

try {
  await refresh();
  document.body.dataset.storeReady = 'true';
} catch (err) {
  showError(err);
  status.textContent = 'Encrypted storage is not available in this browser.';
  document.body.dataset.storeReady = 'false';
}
