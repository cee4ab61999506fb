// The field app: lock → set-up (the receiving unit's card) → cases → a case (checklist with skip
// logic, assessment, notes, photos) → seal → hand over → receipt → delete. All rules live in the
// wasm core: the checklist session runs on this thread, the encrypted store (keys, SQLite on OPFS,
// sealing) in store-worker.js. This script only draws what they report and passes on what the
// worker does. Nothing is sent anywhere; the deployment's settings come from config.json beside
// this page (docs/web.md).
// The checklist engine alone (no store, no SQLite): the page's part of the wasm core.
import init, { ChecklistSession } from '../pkg/indicia_checklist.js';
import { $, el, languageName, takeFile } from './dom.js';
import { CHECKLIST_ID, connectToHost } from './embed.js';
import { QuestionsView } from './questions.js';
import { StoreClient } from './rpc.js';
import { installSafety } from './safety.js';
import { direction, LANGUAGES, loadLanguage, t, UNREVIEWED } from './strings.js';

/** The deployment's settings (config.json), with these defaults for any it leaves out. */
const DEFAULTS = {
  appName: 'Notes', // neutral: what the home screen, the task switcher and the tab show
  checklist: 'first-contact',
  organisation: '', // the reporting organisation's id as agreed with the unit, e.g. sk.example-ngo
  units: [], // unit cards (indicia-unit/2 objects) the deployment offers at set-up
  wipeAfter: 10, // wrong PINs before the store erases itself
  lockAfterHiddenSeconds: 60, // a camera app in front for longer locks the store
  lockAfterIdleSeconds: 300,
  exitUrl: 'exit.html', // where the quick exit goes (a neutral page; may be another site)
  hostOrigins: [], // the widget: origins of the NGO pages allowed to embed it (and frame-ancestors)
  // Which checklist publishers this deployment trusts: { require_signatures, publishers: [{ name,
  // public_key }] } (docs/formats/signed-checklist.md, "Trust"); null: none listed, none required.
  checklistTrust: null,
};

/** The widget's frame (embed.html, inside an NGO's page) rather than the installed field app. */
const EMBEDDED = document.body.dataset.mode === 'embed';

const ORGANISATION_KEY = 'indicia.organisation';
// The interface language the worker chose (not personal: the same on every case).
const UI_LANGUAGE_KEY = 'indicia.ui-language';

let config = DEFAULTS;
let store = null;
let ui = 'en';
let status = null; // the worker's last `status`
let current = null; // { id, record, view, lang } of the open case
let checklistReady = null; // the languages of the deployment's checklist, once read (listLanguages)
let host = null; // the widget's connection to its host page (embed.js)
// The widget's report begun before the store was opened (startPending): { lang, answers (JSON
// text, kept when its view closes), notes, photos, seal (sealing was asked for), caseId (once
// saved) }. Only in this frame's memory; never written anywhere until the store is unlocked.
let pending = null;
// Passkeys (./passkey.js) and the QR reader (./qr.js): imported after the widget's first question
// (the field app's at once), as nothing before a PIN or set-up needs them (loadLater).
let passkeyModule = null;
let qrModule = null;

// ---------------------------------------------------------------------------------------------
// Checklists

// "id lang" → the compiled checklist the page runs (docs/formats/compiled-checklist.md): bytes
// made by the store's module, which loaded and checked the definition (the web build for the
// built-in files, the store's worker for any other); they carry its reference and provenance.
const definitions = new Map();
// A checklist language as the build names its files (docs/formats/checklist.md: `en`, `pt-br`).
const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})?$/;

/**
 * A session of the built-in checklist `id` in `lang`, from its compiled form beside the app
 * (checklists/ID.LANG.bin, precached: fetchDefinition): the page's module carries no checklist of
 * its own, and no JSON loader either. The store's worker hands the definition (ID.json) to its
 * module, which takes it only as shipped (provideBuiltinChecklist: its content hash is pinned in
 * the core), and uses it for every case of that id, also one begun under an earlier version. The
 * file may be the definition signed by the deployment's publisher
 * (docs/formats/signed-checklist.md): see compileDefinition.
 */
async function checklistSession(id, lang) {
  if (!CHECKLIST_ID.test(id)) throw Object.assign(new Error(`no checklist "${id}"`), { kind: 'UnknownChecklist' });
  const key = `${id} ${lang}`;
  if (!definitions.has(key)) definitions.set(key, await fetchDefinition(id, lang));
  return ChecklistSession.fromCompiled(definitions.get(key), lang);
}

/**
 * The compiled checklist `id` for a session in `lang`: where the deployment lists no checklist
 * trust, the file of that one language (checklists/ID.LANG.bin, written by the web build: the
 * texts a session in `lang` reads and nothing else, which the core knows by its pinned hash as the
 * built-in checklist itself), else, or for a language without such a file, the whole definition
 * (checklists/ID.json) compiled by the store's worker (compileDefinition). Only the page runs it;
 * the store seals against the whole definition.
 */
async function fetchDefinition(id, lang) {
  if (!config.checklistTrust && LANGUAGE_TAG.test(lang)) {
    // Offline, a file the build did not write is not in the precache: the fetch fails.
    const response = await fetch(`checklists/${id}.${lang}.bin`).catch(() => null);
    if (response?.ok) return new Uint8Array(await response.arrayBuffer());
  }
  const response = await fetch(`checklists/${id}.json`);
  if (!response.ok) throw Object.assign(new Error(`no checklist "${id}" (${response.status})`), { kind: 'UnknownChecklist' });
  return compileDefinition(await response.text());
}

/**
 * A definition as JSON text (plain or signed) is loaded by the store's worker under the
 * deployment's checklist trust (its module has the JSON loader and the signature code; the page's
 * has neither): a forged one is BadSignature, one the deployment does not accept
 * UntrustedChecklist, and what the page runs is the compiled checklist the worker returns, with
 * its provenance and publisher.
 */
async function compileDefinition(text) {
  startWorker(); // the widget's worker otherwise starts after the first question
  const trust = config.checklistTrust ? JSON.stringify(config.checklistTrust) : null;
  return store.call('compileChecklist', { json: text, trust });
}

/** Where the checklist of `session` comes from and who signed it: the compiled form says. */
function provenance(session) {
  return session.info();
}

// ---------------------------------------------------------------------------------------------
// Screens and errors

function show(screen) {
  for (const section of document.querySelectorAll('.screen')) section.hidden = section.id !== `screen-${screen}`;
  document.body.dataset.screen = screen;
  // User Timing marks: bench/web/app-bench.mjs reads them (they hold no data, only the screen).
  performance.mark(`indicia:screen-${screen}`);
  $('lock').hidden = !['setup', 'cases', 'case'].includes(screen);
  $('app-status').textContent = '';
}

function describe(err) {
  return `${err?.kind ?? err?.name ?? 'Error'}: ${err?.message ?? String(err)}`;
}

function showError(box, err) {
  $(box).textContent = describe(err);
  $(box).hidden = false;
}

function clearErrors() {
  for (const box of document.querySelectorAll('.error')) {
    box.hidden = true;
    box.textContent = '';
  }
}

/** A user action: its errors show in `box`, never as an unhandled rejection. */
function action(box, fn) {
  return async (event) => {
    event?.preventDefault?.();
    clearErrors();
    try {
      await fn(event);
    } catch (err) {
      showError(box, err);
      // A store erased by a wrong PIN, or locked meanwhile, shows the state it is now in.
      if (['StoreWiped', 'StoreLocked'].includes(err?.kind)) await refresh();
    }
  };
}

function applyStrings() {
  document.documentElement.lang = ui;
  document.documentElement.dir = direction(ui);
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t, ui);
  $('ui-unreviewed').hidden = !UNREVIEWED.has(ui);
}

/** The interface language: the worker's choice, else the first of the browser's languages the
 * app has, else English. */
function preferredLanguage(hostLanguage) {
  const wanted = [localStorage.getItem(UI_LANGUAGE_KEY), hostLanguage, ...navigator.languages];
  for (const tag of wanted) {
    const base = tag?.toLowerCase().split('-')[0];
    if (base && LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

async function setLanguage(lang) {
  await loadLanguage(lang);
  ui = lang;
  $('ui-language').value = lang;
  applyStrings();
}

async function changeLanguage() {
  const lang = $('ui-language').value;
  localStorage.setItem(UI_LANGUAGE_KEY, lang);
  await setLanguage(lang);
  // Redraw what is on screen in the new language (an open case keeps its checklist language).
  if (current?.pending) await startPending();
  else if (current) await openCase(current.id);
  else await refresh();
}

/** Shows what fits the store's state: create or unlock, set-up, or the case list. */
async function refresh() {
  status = await store.call('status');
  if (!status.unlocked) return showLock();
  const units = await store.call('units');
  if (units.length === 0 || !organisation()) return showSetup();
  if (pending) return commitPending();
  return showCases();
}

// ---------------------------------------------------------------------------------------------
// Lock

async function showLock() {
  closeCase();
  // Nothing decrypted stays in the page while locked, not even hidden.
  for (const id of ['case-list', 'unit-list', 'device-key', 'receipt-result']) $(id).replaceChildren();
  const exists = status.exists;
  const passkeys = await passkeyModule;
  const newStore = await passkeys.offer;
  if (!exists) {
    const hint = passkeys.passkeyHint();
    if (hint) passkeys.retirePasskey(hint); // a store erased (quick delete, wrong PINs) leaves its passkey unused
  }
  const passkey = exists ? status.protection === 'passkey' : newStore.passkey;
  document.body.dataset.store = exists ? 'locked' : 'none';
  document.body.dataset.protection = passkey ? 'passkey' : 'passphrase';
  $('lock-title').textContent = t(exists ? 'lock.title' : 'lock.createTitle', ui);
  $('lock-text').textContent = exists
    ? t(passkey ? 'lock.locked.passkey' : 'lock.locked.passphrase', ui)
    : t(passkey ? 'lock.none.passkey' : 'lock.none.passphrase', ui, { reason: newStore.reason ? ` (${newStore.reason})` : '' });
  if (pending) $('lock-text').textContent += ` ${t('lock.pending', ui)}`;
  $('pin-label').textContent = t(passkey ? 'lock.pin' : 'lock.passphrase', ui);
  $('pin').inputMode = passkey ? 'numeric' : 'text';
  $('pin-submit').textContent = t(exists ? 'lock.unlock' : 'lock.create', ui);
  // From the store, not the configuration: a store made under another setting keeps its own limit.
  const left = status.attemptsLeft;
  $('lock-attempts').textContent = left === undefined ? '' : t('lock.attemptsLeft', ui, { left });
  $('lock-attempts').hidden = !exists || left === undefined || status.failedUnlocks === 0;
  show('lock');
  $('pin').focus();
}

/** The PIN from the field, which is emptied at once so it does not linger in the page. */
function takePin() {
  const pin = $('pin').value;
  $('pin').value = '';
  return pin;
}

async function submitPin() {
  performance.mark('indicia:pin-submitted');
  const pin = takePin();
  const existed = status.exists;
  const { createStore, unlockStore } = await passkeyModule;
  try {
    if (!existed) {
      await createStore((op, args, transfer) => store.call(op, { ...args, wipeAfter: config.wipeAfter }, transfer), pin);
    } else {
      await unlockStore(store.call.bind(store), pin, status.protection);
    }
  } catch (err) {
    if (err?.kind === 'StoreWiped') {
      await refresh();
      $('lock-error').textContent = t('lock.wiped', ui);
      $('lock-error').hidden = false;
      return;
    }
    await refresh();
    throw err;
  }
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// Set-up: the receiving unit's card, checked by its fingerprint

function organisation() {
  return config.organisation || localStorage.getItem(ORGANISATION_KEY) || '';
}

let pendingUnit = null; // a card added but whose fingerprint the worker has not yet confirmed

async function showSetup() {
  closeCase();
  $('setup-check').hidden = true;
  pendingUnit = null;
  const wanted = host?.options.unit;
  const offered = (config.units ?? []).filter((card) => !wanted || card.signing_key?.key_id === wanted);
  $('setup-deployment').hidden = offered.length === 0;
  $('setup-deployment-list').replaceChildren(
    ...offered.map((card, i) =>
      el('li', {}, el('span', {}, card.name ?? ''), ' ', el('button', { type: 'button', 'data-deployment-card': i }, t('setup.use', ui))),
    ),
  );
  show('setup');
}

async function addUnit(cardJson) {
  pendingUnit = await store.call('addUnit', { cardJson });
  $('setup-unit-name').textContent = pendingUnit.name;
  $('setup-fingerprint').textContent = pendingUnit.fingerprint;
  $('setup-check').hidden = false;
  $('setup-organisation-field').hidden = Boolean(organisation());
  $('setup-matches').focus();
}

async function confirmUnit(matches) {
  if (!pendingUnit) return;
  if (matches && !organisation()) {
    // The organisation's id as agreed with the unit: not personal, and in every report.
    const id = $('setup-organisation').value.trim();
    if (!id) {
      $('setup-organisation').focus();
      throw Object.assign(new Error(t('setup.organisationMissing', ui)), { kind: 'InvalidArgument' });
    }
    localStorage.setItem(ORGANISATION_KEY, id);
  }
  const unit = pendingUnit;
  pendingUnit = null;
  $('setup-check').hidden = true;
  if (!matches) {
    await store.call('removeUnit', { keyId: unit.signing_key.key_id });
    $('app-status').textContent = t('setup.removed', ui);
    return;
  }
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// Cases

async function showCases() {
  closeCase();
  await checklistReady; // the new-case form's language list
  const [cases, units, device] = await Promise.all([store.call('listCases'), store.call('units'), store.call('deviceInfo')]);
  $('device-key').textContent = device.public_key;
  $('case-list').replaceChildren(
    ...cases.map((c) =>
      el(
        'li',
        { 'data-case-item': c.id, 'data-status': c.status, 'data-receipt-status': c.receipt_status },
        el('button', { type: 'button', 'data-case': c.id, class: 'case-open' }, el('span', { class: 'case-title' }, c.title), el('span', { class: 'case-status' }, t(`status.${c.status}`, ui))),
      ),
    ),
  );
  $('cases-empty').hidden = cases.length > 0;
  $('unit-list').replaceChildren(
    ...units.map((u) =>
      el(
        'li',
        { 'data-unit': u.signing_key.key_id },
        el('span', {}, u.name),
        el('code', { class: 'fingerprint' }, u.fingerprint),
        el('button', { type: 'button', 'data-remove-unit': u.signing_key.key_id }, t('setup.differs', ui)),
      ),
    ),
  );
  $('delete-all-confirm').hidden = true;
  $('delete-all').hidden = false;
  show('cases');
}

async function startCase() {
  const title = $('case-title').value.trim();
  if (!title) return;
  const language = $('case-language').value;
  const caseId = await store.call('createCase', { title, checklistId: config.checklist, language });
  $('case-title').value = '';
  await openCase(caseId);
}

async function importReceipt() {
  const file = takeFile($('receipt-file'));
  if (!file) return;
  const imported = await store.call('importReceipt', { receipt: new Uint8Array(await file.arrayBuffer()) });
  const result = $('receipt-result');
  result.textContent = imported.new ? t('receipt.new', ui, { unit: imported.unit_name, status: imported.status }) : t('receipt.again', ui);
  Object.assign(result.dataset, { caseId: imported.case_id, new: String(imported.new) });
  await showCases();
  result.hidden = false;
}

async function deleteEverything() {
  closeCase();
  await store.call('quickDelete');
  localStorage.removeItem(ORGANISATION_KEY);
  await refresh();
}

// ---------------------------------------------------------------------------------------------
// A case

function closeCase() {
  if (!current) return;
  // The pending report's answers outlive its view (a lock, a language change): as JSON text.
  if (current.pending && current.view) pending.answers = current.view.session.answersJson();
  current.view?.close();
  if (current.downloadUrl) URL.revokeObjectURL(current.downloadUrl);
  current = null;
  for (const id of ['note-list', 'attachment-list', 'outcome', 'actions', 'referrals', 'explanation']) $(id).replaceChildren();
  $('case-heading').textContent = '';
  $('case-provenance').hidden = true;
  $('handover').hidden = true;
}

async function openCase(caseId) {
  performance.mark('indicia:open-case');
  closeCase();
  const record = await store.call('getCase', { caseId });
  const lang = record.language ?? 'en';
  await loadLanguage(lang); // the answer labels of yes/no questions in the checklist's language
  current = { id: caseId, record, lang, checklistId: record.checklist?.id };
  const session = record.checklist ? await checklistSession(record.checklist.id, lang) : null;
  session?.restoreAnswers(await store.call('answers', { caseId }));
  await showCase(record.title, session);
}

/** Draws the case in `current`: `session` (a ChecklistSession in `current.lang`, or null for a
 * case without a checklist), its notes and photos, and what its status allows. */
async function showCase(heading, session) {
  const { lang } = current;
  $('case-heading').textContent = heading;
  $('case-heading').lang = ui;
  // The checklist's own texts are in the case's language; the headings around them in the app's.
  for (const id of ['questions', 'missing', 'outcome', 'actions', 'referrals', 'explanation']) {
    $(id).lang = lang;
    $(id).dir = direction(lang);
  }
  if (session) {
    const info = provenance(session);
    const line = $('case-provenance');
    line.textContent = `${t(`checklist.provenance.${info.provenance}`, ui, { publisher: info.publisher ?? '', key: info.publisher_key_id ?? '' })} ${t('checklist.review', ui, { status: t(`checklist.status.${info.review_status}`, ui) })}`;
    Object.assign(line.dataset, { provenance: info.provenance, publisher: info.publisher ?? '', reviewStatus: info.review_status });
    line.hidden = false;
    const review = [];
    if (info.review_status !== 'reviewed') review.push(t('case.unreviewedChecklist', ui, { status: info.review_status }));
    if (info.unchecked_translations.includes(lang)) review.push(t('case.uncheckedTranslation', ui));
    $('case-review').textContent = review.join(' ');
    $('case-review').hidden = review.length === 0;
    current.view = new QuestionsView($('questions'), session, lang, saveAnswer, renderAssessment);
    performance.mark('indicia:first-question');
  }
  await Promise.all([renderNotes(), renderAttachments()]);
  renderCaseState();
  show('case');
  // Focus for screen readers; the view from the top, or the sticky bar would hide the way back.
  $('main').focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

/**
 * The widget starts with the questions, before the store exists or is unlocked (issue #13: the
 * first question needs only the checklist engine; the store's module loads in the worker after).
 * The answers, notes and photos of this report stay in the frame's memory until the worker
 * unlocks the store (to seal, or to open the case list); `commitPending` then writes them into a
 * new case. Exit drops them with the page; a lock keeps them behind the lock screen.
 */
async function startPending() {
  closeCase();
  const wanted = [host?.options.language, ui, 'en'].filter(Boolean).map((tag) => tag.toLowerCase());
  // One parse of the definition in the usual case: the session in the first wanted language
  // also gives the checklist's languages (a definition is ~200 KB of JSON to check on a phone).
  let session = await checklistSession(config.checklist, wanted[0]);
  const languages = session.info().languages;
  fillLanguages(languages);
  const lang = wanted.find((tag) => languages.includes(tag)) ?? wanted.map((tag) => tag.split('-')[0]).find((tag) => languages.includes(tag)) ?? languages[0];
  if (lang !== wanted[0]) {
    session.free();
    session = await checklistSession(config.checklist, lang);
  }
  await loadLanguage(lang);
  pending ??= { answers: null, notes: [], photos: [], seal: false, caseId: null };
  pending.lang = lang;
  current = { id: null, record: { status: 'draft' }, lang, pending: true, checklistId: config.checklist };
  if (pending.answers) session.restoreAnswers(pending.answers);
  await showCase(t('case.newReport', ui), session);
}

/** The pending report into a new case, once the store is unlocked and set up; then opens it and,
 * if sealing was asked for, seals it. Each part leaves `pending` only once written, so a failure
 * (storage full) loses nothing and a retry does not write anything twice. */
async function commitPending() {
  const report = pending;
  if (!report.caseId) {
    const date = new Date().toLocaleString(ui, { dateStyle: 'medium', timeStyle: 'short' });
    const title = t('case.reportTitle', ui, { date });
    report.caseId = await store.call('createCase', { title, checklistId: config.checklist, language: report.lang });
  }
  const { caseId } = report;
  for (const [questionId, value] of Object.entries(JSON.parse(report.answers ?? '{}'))) {
    await store.call('saveAnswer', { caseId, questionId, value });
  }
  report.answers = null;
  while (report.notes.length) {
    await store.call('addNote', { caseId, text: report.notes[0] });
    report.notes.shift();
  }
  while (report.photos.length) {
    const { name, mime, data } = report.photos[0];
    const copy = data.slice(); // moved to the worker; the original stays until it is written
    await store.call('addAttachment', { caseId, name, mime, data: copy }, [copy.buffer]);
    report.photos.shift();
  }
  pending = null;
  await openCase(caseId);
  if (report.seal) await seal();
}

/** Each answer the checklist accepted is saved at once; a failed save shows, never silently. */
function saveAnswer(questionId, value) {
  if (current.pending) return; // kept by the session until the store is unlocked
  const caseId = current.id;
  $('saved').textContent = '';
  const op = value === null ? store.call('clearAnswer', { caseId, questionId }) : store.call('saveAnswer', { caseId, questionId, value });
  op.then(
    () => {
      if (current?.id === caseId) $('saved').textContent = t('app.saved', ui);
    },
    (err) => showError('case-error', err),
  );
}

function renderAssessment(questions, missing, session) {
  const lang = current.lang;
  const progress = session.progress();
  $('progress-text').textContent = t('case.progress', ui, progress);
  Object.assign($('progress-text').dataset, { answered: progress.answered, visible: progress.visible, complete: progress.complete });
  $('progress').max = Math.max(progress.visible, 1);
  $('progress').value = progress.answered;
  host?.send({ type: 'progress', answered: progress.answered, visible: progress.visible });
  const labels = questions.filter((q) => missing.has(q.id)).map((q) => q.label);
  $('missing').textContent = labels.length ? t('case.missing', ui, { list: labels.join(' · ') }) : '';
  $('missing').hidden = labels.length === 0;

  const a = session.assessment();
  const outcome = $('outcome');
  Object.assign(outcome.dataset, { level: a.outcome.level, outcome: a.outcome.id });
  outcome.replaceChildren(el('span', { class: 'level' }, t('case.level', lang, { level: a.outcome.level })), ' ', el('span', { class: 'outcome-label' }, a.outcome.label));
  const rule = a.rule.variant_label ?? (a.rule.kind === 'score' ? `${a.rule.score}` : '');
  $('rule').textContent = `${rule}${rule ? ': ' : ''}${t(a.rule.met ? 'case.ruleMet' : 'case.ruleNotMet', ui)}`;
  $('actions').replaceChildren(...a.outcome.actions.map((line) => el('li', {}, line)));
  $('referrals').replaceChildren(
    ...a.outcome.referrals.map((r) =>
      el(
        'li',
        {},
        el('strong', {}, r.name),
        r.phone ? el('span', {}, ' ', el('a', { href: `tel:${r.phone}` }, r.phone)) : null,
        r.note ? el('span', { class: 'hint' }, ` — ${r.note}`) : null,
      ),
    ),
  );
  $('referrals-title').hidden = a.outcome.referrals.length === 0;
  $('explanation').replaceChildren(...a.explanation.map((line) => el('li', {}, line)));
}

async function renderNotes() {
  const notes = current.pending ? pending.notes.map((text) => ({ text })) : await store.call('notes', { caseId: current.id });
  $('note-list').replaceChildren(...notes.map((n) => el('li', { class: 'note' }, n.text)));
}

async function renderAttachments() {
  const files = current.pending
    ? pending.photos.map(({ name, data }, i) => ({ id: `pending-${i}`, name, size: data.byteLength }))
    : await store.call('attachments', { caseId: current.id });
  $('attachment-list').replaceChildren(...files.map((f) => el('li', { 'data-attachment': f.id }, `${f.name} · ${Math.ceil(f.size / 1024)} KB`)));
}

/** What the case's status allows: a draft is edited and sealed; a sealed case is read-only and
 * handed over; an acknowledged one (or a draft) may be deleted. */
function renderCaseState() {
  const { status: state } = current.record;
  const editable = state === 'draft';
  $('screen-case').dataset.status = state;
  for (const input of $('questions').elements) input.disabled = !editable;
  for (const id of ['note-text', 'note-add', 'photo-file', 'seal']) $(id).disabled = !editable;
  $('photo-label').classList.toggle('disabled', !editable);
  $('seal').hidden = !editable;
  $('case-delete').hidden = current.pending || !(state === 'draft' || state === 'acknowledged');
  $('case-delete-yes').hidden = true;
  $('case-pending').hidden = !current.pending;
}

async function addNote() {
  const text = $('note-text').value.trim();
  if (!text) return;
  if (current.pending) pending.notes.push(text);
  else await store.call('addNote', { caseId: current.id, text });
  $('note-text').value = '';
  await renderNotes();
}

async function addPhoto() {
  const file = takeFile($('photo-file'));
  if (!file) return;
  // Read straight into the worker: the bytes are sealed there and the page keeps no copy.
  const data = new Uint8Array(await file.arrayBuffer());
  const photo = { name: file.name || 'photo.jpg', mime: file.type || 'application/octet-stream', data };
  if (current.pending) pending.photos.push(photo); // into the store with the rest (commitPending)
  else await store.call('addAttachment', { caseId: current.id, ...photo }, [data.buffer]);
  await renderAttachments();
}

async function seal() {
  if (current.pending) {
    // The report is sealed from the store, by the device's key: unlock (or create) it first.
    pending.seal = true;
    closeCase();
    return refresh();
  }
  const sealed = await store.call('sealCase', { caseId: current.id, organisation: organisation() });
  const fileName = `report-${sealed.report_id}.age`;
  current.sealed = { reportId: sealed.report_id };
  $('handover-text').dataset.reportId = sealed.report_id;
  $('handover').hidden = false;
  $('seal').hidden = true;
  if (host) {
    // The widget hands the ciphertext to the page, which stores, uploads or shares it and then
    // says so (`delivered`): only then is the case sealed.
    $('share').hidden = true;
    $('download').hidden = true;
    $('handover-text').textContent = t('case.handedToPage', ui, { report: sealed.report_id });
    const bytes = sealed.package;
    host.send({ type: 'sealed', reportId: sealed.report_id, fileName, package: bytes.buffer }, [bytes.buffer]);
    return;
  }
  const file = new File([sealed.package], fileName, { type: 'application/octet-stream' });
  current.sealed.file = file;
  const canShare = navigator.canShare?.({ files: [file] }) ?? false;
  $('share').hidden = !canShare;
  const link = $('download');
  if (current.downloadUrl) URL.revokeObjectURL(current.downloadUrl);
  current.downloadUrl = URL.createObjectURL(file);
  link.href = current.downloadUrl;
  link.download = file.name;
  link.hidden = false;
  $('handover-text').textContent = t('case.handedOver', ui, { report: sealed.report_id });
  (canShare ? $('share') : link).focus();
}

/** Phase two of sealing: the package is in the share sheet's or the download's hands, so only now
 * does the case become sealed (had anything failed before, it would still be a draft). */
async function handedOver(delivered) {
  const { reportId } = current?.sealed ?? {};
  if (!reportId || (delivered !== undefined && delivered !== reportId)) return;
  if (current.record.status === 'draft') await store.call('confirmSealed', { caseId: current.id, reportId });
  current.record = await store.call('getCase', { caseId: current.id });
  $('handover-text').textContent = t('case.sealedFinal', ui, { report: reportId });
  renderCaseState();
}

async function share() {
  try {
    await navigator.share({ files: [current.sealed.file] });
  } catch (err) {
    if (err?.name === 'AbortError') return; // the worker closed the share sheet: not handed over
    throw err;
  }
  await handedOver();
}

async function deleteCase() {
  await store.call('deleteCase', { caseId: current.id });
  await showCases();
}

// ---------------------------------------------------------------------------------------------
// Start

async function loadConfig() {
  try {
    const response = await fetch('config.json', { cache: 'no-cache' });
    if (response.ok) return { ...DEFAULTS, ...(await response.json()) };
  } catch {
    // No deployment settings: the defaults hold.
  }
  return DEFAULTS;
}

function wire() {
  $('pin-form').addEventListener('submit', action('lock-error', submitPin));
  $('setup-card').addEventListener('change', action('setup-error', async () => {
    const file = takeFile($('setup-card'));
    if (file) await addUnit(await file.text());
  }));
  $('setup-deployment-list').addEventListener('click', action('setup-error', async (event) => {
    const button = event.target.closest('button[data-deployment-card]');
    if (button) await addUnit(JSON.stringify(config.units[Number(button.dataset.deploymentCard)]));
  }));
  $('setup-matches').addEventListener('click', action('setup-error', () => confirmUnit(true)));
  $('setup-differs').addEventListener('click', action('setup-error', () => confirmUnit(false)));
  $('new-case').addEventListener('submit', action('cases-error', startCase));
  $('case-list').addEventListener('click', action('cases-error', async (event) => {
    const button = event.target.closest('button[data-case]');
    if (button) await openCase(button.dataset.case);
  }));
  $('receipt-file').addEventListener('change', action('cases-error', importReceipt));
  $('add-unit').addEventListener('click', action('cases-error', showSetup));
  $('unit-list').addEventListener('click', action('cases-error', async (event) => {
    const button = event.target.closest('button[data-remove-unit]');
    if (!button) return;
    await store.call('removeUnit', { keyId: button.dataset.removeUnit });
    await refresh();
  }));
  // Quick delete: two taps, the second on a button that appears in place of the first.
  $('delete-all').addEventListener('click', () => {
    $('delete-all').hidden = true;
    $('delete-all-confirm').hidden = false;
    $('delete-all-yes').focus();
  });
  $('delete-all-no').addEventListener('click', () => {
    $('delete-all-confirm').hidden = true;
    $('delete-all').hidden = false;
    $('delete-all').focus();
  });
  $('delete-all-yes').addEventListener('click', action('cases-error', deleteEverything));
  // From a pending report, the case list is behind the lock screen (and keeps the report).
  $('case-back').addEventListener('click', action('case-error', () => (current?.pending ? (closeCase(), refresh()) : showCases())));
  $('new-note').addEventListener('submit', action('case-error', addNote));
  $('photo-file').addEventListener('change', action('case-error', addPhoto));
  $('seal').addEventListener('click', action('case-error', seal));
  $('share').addEventListener('click', action('case-error', share));
  // The download has begun when the link is followed; the case is sealed from then on.
  $('download').addEventListener('click', () => setTimeout(() => action('case-error', () => handedOver())(), 0));
  $('case-delete').addEventListener('click', () => {
    $('case-delete').hidden = true;
    $('case-delete-yes').hidden = false;
    $('case-delete-yes').focus();
  });
  $('case-delete-yes').addEventListener('click', action('case-error', deleteCase));
  $('lock').addEventListener('click', action('app-error', lockNow));
  $('ui-language').addEventListener('change', action('app-error', changeLanguage));
}

/** Reads the deployment's checklist for its languages: the new-case form's list. */
async function listLanguages() {
  const session = await checklistSession(config.checklist, 'en');
  const languages = session.info().languages;
  session.free();
  fillLanguages(languages);
}

/** The new-case form's checklist languages. */
function fillLanguages(languages) {
  $('case-language').replaceChildren(...languages.map((code) => el('option', { value: code }, languageName(code))));
  if (host?.options.language && languages.includes(host.options.language)) $('case-language').value = host.options.language;
}

/** Starts importing the passkey and QR modules (once). */
function loadLater() {
  passkeyModule ??= import('./passkey.js').then((m) => {
    m.setPasskeyName(config.appName);
    return m;
  });
  qrModule ??= import('./qr.js').then((m) => {
    m.installQr({ read: addUnit, act: (fn) => action('setup-error', fn) });
    return m;
  });
}

function startWorker() {
  if (store) return;
  store = new StoreClient(new URL('../store-worker.js', import.meta.url));
  store.onFailure = (err) => showError('app-error', err);
}

async function lockNow() {
  if (!store) return; // the first instant of the widget, before its worker started
  closeCase();
  await store.call('lock');
  host?.send({ type: 'locked' });
  await refresh();
}

try {
  config = await loadConfig();
  $('app-name').textContent = config.appName;
  document.title = config.appName; // the only title the app ever shows
  $('ui-language').replaceChildren(...LANGUAGES.map((code) => el('option', { value: code }, languageName(code))));
  await setLanguage(preferredLanguage());
  // The field app's worker starts at once: the lock screen needs it to say whether a store
  // exists. The widget's waits for its first question (below).
  if (!EMBEDDED) {
    startWorker();
    loadLater();
  }
  installSafety({
    exitUrl: config.exitUrl,
    lockAfterHiddenSeconds: config.lockAfterHiddenSeconds,
    lockAfterIdleSeconds: config.lockAfterIdleSeconds,
    // Leaving: the worker holding the keys is ended outright; the screen is cleared first.
    exit: () => {
      qrModule?.then((m) => m.stopScan());
      store?.worker.terminate();
      host?.send({ type: 'exit' });
    },
    lock: () => {
      if (status?.unlocked || current?.pending) action('app-error', lockNow)();
    },
  });
  await init();
  wire();
  if (EMBEDDED) {
    $('app-status').textContent = t('app.waitingForPage', ui);
    host = await connectToHost(config.hostOrigins ?? []);
    if (host.options.checklist) config = { ...config, checklist: host.options.checklist };
    host.onDelivered((reportId) => action('case-error', () => handedOver(reportId))());
    host.send({ type: 'ready' });
    if (host.options.language && !localStorage.getItem(UI_LANGUAGE_KEY)) await setLanguage(preferredLanguage(host.options.language));
  } else if ('serviceWorker' in navigator) {
    // Precaches the whole app (sw.js, Workbox) so that it starts with no network from now on.
    navigator.serviceWorker.register('sw.js', { scope: './' }).catch((err) => showError('app-error', err));
  }
  if (EMBEDDED) {
    await startPending(); // it also fills the new-case form's languages
    checklistReady = Promise.resolve();
    // The store's worker (and its module, with SQLite and age) only once the first question is
    // on screen: it is needed only when the report is saved or sealed.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    startWorker();
    loadLater();
    status = await store.call('status');
  } else {
    // The lock screen does not wait for the checklist (nor share the thread with its parsing);
    // the case list does (showCases).
    await refresh();
    checklistReady = listLanguages();
    checklistReady.catch(() => {}); // its failure shows where it is awaited, not as an unhandled rejection
  }
  document.body.dataset.ready = 'true';
} catch (err) {
  $('app-status').textContent = t('app.failed', ui, { reason: describe(err) });
  document.body.dataset.ready = 'false';
}

