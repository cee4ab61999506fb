// The case notebook: the first-contact checklist (checklist.js draws it) with every answer and
// note saved, encrypted, in this browser's Origin Private File System. The store lives in a
// Worker (store-worker.js); this script drives it and the page. Nothing is sent anywhere.
//
// Where the device has a passkey with the WebAuthn PRF extension (a platform authenticator with
// user verification), the store is bound to it: the key that opens the store is derived from the
// PIN and the passkey's PRF output for the store's challenge, which only the authenticator can
// compute, so a copy of the storage plus the PIN opens nothing. WebAuthn runs only on this
// thread: the page asks the worker for the challenge, asks the passkey, and hands the output to
// the worker. Without such a passkey the store is protected by a passphrase alone, and the core
// asks for one that is hard to guess ("WeakPin").

const $ = (id) => document.getElementById(id);
const form = $('checklist');
const status = $('store-status');
const storeError = $('store-error');
const pinInput = $('pin');
const protectionText = $('store-protection');

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

/** Runs `op` in the store worker; `transfer`: buffers handed over (gone from the page). */
function call(op, args = {}, transfer = []) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, args }, transfer);
  });
}

// ---- The passkey (WebAuthn, PRF extension) ----

// The passkey's credential id, kept only as a hint for `allowCredentials` so that the right
// passkey is asked (a wrong one would count as a wrong PIN). It is not secret: without the
// authenticator it opens nothing.
const PASSKEY_HINT = 'indicia.case-notebook.passkey';
const PASSKEY_TIMEOUT_MS = 120_000;
const PASSKEY_NAME = 'Indicia case notebook';

const base64url = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
  decode: (text) => Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0)),
};

function passkeyHint() {
  const hint = localStorage.getItem(PASSKEY_HINT);
  try {
    return hint ? base64url.decode(hint) : null;
  } catch {
    return null;
  }
}

/** Asks the authenticator to drop a passkey no store needs any more, and forgets the hint. */
function retirePasskey(credentialId) {
  if (base64url.encode(credentialId) === localStorage.getItem(PASSKEY_HINT)) localStorage.removeItem(PASSKEY_HINT);
  // Only a courtesy to the password manager, where the browser offers it.
  window.PublicKeyCredential?.signalUnknownCredential?.({ rpId: location.hostname, credentialId: base64url.encode(credentialId) })
    ?.catch(() => {});
}

/** Whether this browser offers a user-verifying platform authenticator and the PRF extension. */
async function passkeyAvailable() {
  try {
    if (!window.isSecureContext || !window.PublicKeyCredential) return false;
    const capabilities = await PublicKeyCredential.getClientCapabilities?.();
    if (capabilities && capabilities['extension:prf'] === false) return false;
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** What the page offers for a new store: { passkey: boolean, reason?: string }. */
let offer = passkeyAvailable().then((passkey) => ({ passkey }));

/** The 32-byte PRF output in a credential's extension results (in its own buffer), or null. */
function prfOutput(credential) {
  const first = credential.getClientExtensionResults().prf?.results?.first;
  if (!first || first.byteLength !== 32) return null;
  const view = ArrayBuffer.isView(first) ? new Uint8Array(first.buffer, first.byteOffset, 32) : new Uint8Array(first);
  const copy = view.slice();
  view.fill(0); // the copy is handed to the worker; no other copy stays in the page
  return copy;
}

function noPrf() {
  return Object.assign(new Error('the passkey gave no PRF output'), { name: 'NoPrfError' });
}

/** The passkey's PRF output for `challenge`, with user verification. `credentialId`: the passkey
 * to ask (any of this site's passkeys if null). */
async function passkeyPrf(credentialId, challenge) {
  const credential = await navigator.credentials.get({
    publicKey: {
      // Nobody checks the assertion; only the PRF output is used.
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      allowCredentials: credentialId ? [{ type: 'public-key', id: credentialId }] : [],
      userVerification: 'required',
      timeout: PASSKEY_TIMEOUT_MS,
      extensions: { prf: { eval: { first: challenge } } },
    },
  });
  const prf = prfOutput(credential);
  if (!prf) throw noPrf();
  return prf;
}

// A passkey made on this page for a store the core then refused (a weak PIN): asked again on the
// next try rather than leaving one unused passkey per try.
let unusedPasskey = null;

/** A passkey for a new store and its PRF output for a fresh challenge from the core:
 * { credentialId, challenge, prf }. */
async function passkeyForNewStore() {
  const challenge = await call('newDeviceChallenge');
  if (unusedPasskey) return { credentialId: unusedPasskey, challenge, prf: await passkeyPrf(unusedPasskey, challenge) };
  const credential = await navigator.credentials.create({
    publicKey: {
      rp: { name: PASSKEY_NAME },
      // A random handle: nothing about the worker or the cases goes to the password manager.
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: PASSKEY_NAME, displayName: PASSKEY_NAME },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
        authenticatorAttachment: 'platform',
      },
      attestation: 'none',
      timeout: PASSKEY_TIMEOUT_MS,
      extensions: { prf: { eval: { first: challenge } } },
    },
  });
  const credentialId = new Uint8Array(credential.rawId);
  let prf = prfOutput(credential);
  if (!prf) {
    // Some authenticators evaluate the PRF only when signing in.
    if (!credential.getClientExtensionResults().prf?.enabled) {
      retirePasskey(credentialId);
      throw noPrf();
    }
    unusedPasskey = credentialId;
    prf = await passkeyPrf(credentialId, challenge);
  }
  unusedPasskey = credentialId;
  return { credentialId, challenge, prf };
}

/** Why a passkey did not answer, in words. */
function passkeyFailure(err) {
  if (err?.name === 'NotAllowedError') return 'the passkey was not found on this device, or the request was cancelled or timed out';
  if (err?.name === 'NoPrfError') return 'the passkey has no PRF extension, so it cannot derive a key';
  return `${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`;
}

/** Creates the store: bound to a passkey where one can be made, else under a passphrase alone. */
async function createStore(pin) {
  let device = null;
  if ((await offer).passkey) {
    try {
      device = await passkeyForNewStore();
    } catch (err) {
      // No passkey after all: the store falls back to a passphrase (the page says so).
      offer = Promise.resolve({ passkey: false, reason: passkeyFailure(err) });
    }
  }
  if (!device) {
    await call('create', { pin });
    return;
  }
  await call('create', { pin, challenge: device.challenge, prf: device.prf }, [device.prf.buffer]);
  localStorage.setItem(PASSKEY_HINT, base64url.encode(device.credentialId));
  unusedPasskey = null;
}

/** Unlocks the store; a passkey store asks its passkey for the PRF output first. */
async function unlockStore(pin) {
  if (document.body.dataset.protection !== 'passkey') {
    await call('unlock', { pin });
    return;
  }
  const challenge = await call('deviceChallenge');
  let prf;
  try {
    prf = await passkeyPrf(passkeyHint(), challenge);
  } catch (failure) {
    // The core refuses the PIN alone ("DeviceSecretRequired"); say why the passkey did not help.
    try {
      await call('unlock', { pin });
    } catch (err) {
      if (err.kind === 'DeviceSecretRequired') err.message += ` (${passkeyFailure(failure)})`;
      throw err;
    }
    return;
  }
  await call('unlock', { pin, prf }, [prf.buffer]);
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

const PROTECTION_TEXT = {
  passkey: 'Protected by your PIN and this device\'s passkey: the PIN alone cannot open it, not even on a copy of this browser\'s storage.',
  passphrase: 'Protected by your passphrase alone: this device has no passkey the store could be bound to.',
};

/** The protection a store has (or would get), on the body and in a sentence under the status. */
function showProtection(state, protection, newStore) {
  if (protection) document.body.dataset.protection = protection;
  else delete document.body.dataset.protection;
  document.body.dataset.passkeyOffered = String(newStore.passkey);
  const passkey = state === 'none' ? newStore.passkey : protection === 'passkey';
  $('pin-label').textContent = passkey ? 'PIN' : 'Passphrase';
  pinInput.inputMode = passkey ? 'numeric' : 'text';
  protectionText.textContent =
    state === 'none'
      ? newStore.passkey
        ? 'The store will be bound to this device\'s passkey as well (you will be asked for it): a PIN of 6 characters or more is enough.'
        : `No passkey can guard the store here${newStore.reason ? ` (${newStore.reason})` : ''}: choose a passphrase of 8 characters or more that is hard to guess, such as a few unrelated words.`
      : PROTECTION_TEXT[protection];
}

/** Shows what fits the store's state: none (create), locked (unlock) or unlocked (cases). */
async function refresh() {
  const { exists, unlocked, protection } = await call('status');
  const state = unlocked ? 'unlocked' : exists ? 'locked' : 'none';
  // A store erased (quick delete, too many wrong PINs) leaves its passkey without a use.
  const hint = passkeyHint();
  if (state === 'none' && hint) retirePasskey(hint);
  document.body.dataset.store = state;
  showProtection(state, protection, await offer);
  $('create').hidden = state !== 'none';
  $('unlock').hidden = state !== 'locked';
  $('lock').hidden = state !== 'unlocked';
  $('quick-delete').hidden = state === 'none';
  $('pin-form').hidden = state === 'unlocked';
  $('cases').hidden = state !== 'unlocked';
  $('units').hidden = state !== 'unlocked';
  status.textContent = {
    none: `No store on this device yet. Choose a ${(await offer).passkey ? 'PIN' : 'passphrase'} to create one.`,
    locked: protection === 'passkey'
      ? 'The store is locked. Enter the PIN to unlock it; this device\'s passkey is asked too.'
      : 'The store is locked. Enter the passphrase to unlock it.',
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
        el('span', { class: 'fingerprint' }, `fingerprint ${u.fingerprint}`),
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

// Enter in the PIN field or either button: create when there is no store, else unlock. Errors
// (the core's "WeakPin", "WrongPin", "DeviceSecretRequired", …) show in the store panel.
$('pin-form').addEventListener('submit', action(async () => {
  const pin = takePin();
  try {
    if (document.body.dataset.store === 'none') await createStore(pin);
    else await unlockStore(pin);
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
  // The package is in the browser's hands (the download): only now is the case sealed. Had
  // anything failed before, the case would still be a draft and could be sealed again.
  await call('confirmSealed', { caseId: openCase, reportId: sealed.report_id });
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
