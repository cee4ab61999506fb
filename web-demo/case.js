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
  $('units').hidden = state !== 'unlocked';
  status.textContent = {
    none: 'No store on this device yet. Choose a PIN to create one.',
    locked: 'The store is locked. Enter the PIN to unlock it.',
    unlocked: 'Unlocked. Answers and notes are saved, encrypted, as you go.',
  }[state];
  if (state !== 'unlocked') {
    closeCase();
    $('receipt-result').hidden = true;
  } else {
    await renderCases();
    await renderUnits();
  }
}

const STATUS_TEXT = {
  draft: 'draft',
  sealed: 'sealed, no receipt yet',
  handed_over: 'handed over, no receipt yet',
  acknowledged: 'acknowledged',
};

/** The case list: each case with its status, the unit's latest receipt status, and a delete
 * button where the store allows deletion (drafts, and cases a unit acknowledged). */
async function renderCases() {
  const cases = await call('listCases');
  $('case-list').replaceChildren(
    ...cases.map((c) =>
      el(
        'li',
        { 'data-case-item': c.id, 'data-status': c.status, 'data-receipt-status': c.receipt_status },
        el('button', { type: 'button', 'data-case': c.id, class: openCase === c.id ? 'current' : null }, c.title),
        el('span', { class: 'case-status' }, STATUS_TEXT[c.status] + (c.receipt_status ? ` — unit: ${c.receipt_status}` : '')),
        c.deletable ? el('button', { type: 'button', class: 'danger', 'data-delete': c.id }, 'Delete') : '',
      ),
    ),
  );
}

/** The receiving units the store believes, and this device's signing key for their trust list. */
async function renderUnits() {
  const [units, device] = await Promise.all([call('units'), call('deviceInfo')]);
  $('unit-list').replaceChildren(
    ...units.map((u) =>
      el(
        'li',
        { 'data-unit': u.signing_key.key_id },
        el('span', {}, u.name),
        el('span', { class: 'key-id' }, `key ${u.signing_key.key_id}`),
        el('button', { type: 'button', 'data-remove-unit': u.signing_key.key_id }, 'Remove'),
      ),
    ),
  );
  $('device-key').textContent = device.public_key;
  $('device-key').dataset.keyId = device.key_id;
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
  const remove = event?.target.closest('button[data-delete]');
  if (remove) {
    const caseId = remove.dataset.delete;
    if (!confirm('Delete this case and everything in it from this device?')) return;
    await call('deleteCase', { caseId });
    if (openCase === caseId) closeCase();
    await renderCases();
    return;
  }
  const button = event?.target.closest('button[data-case]');
  if (button) await showCase(button.dataset.case);
}));

/** The file chosen in `input`, which is then emptied so the same file can be chosen again. */
function takeFile(input) {
  const file = input.files?.[0];
  input.value = '';
  return file;
}

$('unit-file').addEventListener('change', action(async () => {
  const file = takeFile($('unit-file'));
  if (!file) return;
  await call('addUnit', { cardJson: await file.text() });
  await renderUnits();
}));
$('unit-list').addEventListener('click', action(async (event) => {
  const button = event?.target.closest('button[data-remove-unit]');
  if (!button) return;
  await call('removeUnit', { keyId: button.dataset.removeUnit });
  await renderUnits();
}));
$('receipt-file').addEventListener('change', action(async () => {
  const file = takeFile($('receipt-file'));
  if (!file) return;
  const result = $('receipt-result');
  result.hidden = true;
  const imported = await call('importReceipt', { receipt: new Uint8Array(await file.arrayBuffer()) });
  result.textContent = imported.new
    ? `Receipt from ${imported.unit_name}: ${imported.status}${imported.note ? ` (“${imported.note}”)` : ''}. The case is ${imported.case_status} and can be deleted.`
    : `This receipt from ${imported.unit_name} was already imported; nothing changed.`;
  result.dataset.caseId = imported.case_id;
  result.dataset.new = String(imported.new);
  result.hidden = false;
  await renderCases();
  if (openCase === imported.case_id) $('case').dataset.status = imported.case_status;
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
