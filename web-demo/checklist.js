// The first-contact checklist in the browser. All logic (skip logic, indicators, the Delphi rule,
// outcomes, texts in each language) lives in the wasm core; this script only draws what the
// session reports and hands each change back to it. Answers are never sent. On its own page they
// are not stored either; the case page (case.js) listens for `indicia:answer` events on the form
// to save each answer in the encrypted store, and sends `indicia:restore` to load a case's.
import init, { ChecklistSession } from './pkg/indicia.js';

const CHECKLIST_ID = 'first-contact';
const FALLBACK_LANGUAGE = 'en';
const YES_NO = ['yes', 'no', 'unknown', 'declined'];

// The four yes/no answers are the only words the page draws itself in the checklist language
// (everything else comes from the checklist). Like the checklist's own translations, these have
// not been checked by native speakers.
const YES_NO_LABELS = {
  en: ['Yes', 'No', "Don't know", 'Declined to answer'],
  sk: ['Áno', 'Nie', 'Neviem', 'Odmietol/a odpovedať'],
  bg: ['Да', 'Не', 'Не знам', 'Отказва да отговори'],
  es: ['Sí', 'No', 'No se sabe', 'Prefiere no responder'],
  ca: ['Sí', 'No', 'No se sap', 'Prefereix no respondre'],
  el: ['Ναι', 'Όχι', 'Δεν γνωρίζω', 'Αρνείται να απαντήσει'],
  pl: ['Tak', 'Nie', 'Nie wiadomo', 'Odmowa odpowiedzi'],
  it: ['Sì', 'No', 'Non so', 'Preferisce non rispondere'],
  uk: ['Так', 'Ні', 'Невідомо', 'Відмовляється відповідати'],
};

const $ = (id) => document.getElementById(id);
const form = $('checklist');
const languageSelect = $('language');
const status = $('status');
const errorBox = $('error');
const panel = $('assessment');

let session = null;
let language = FALLBACK_LANGUAGE;
/** Question id → { root, inputs, clearButton, error }: built once per language, then reused so
 * that focus and typed text survive re-rendering. */
let questionNodes = new Map();
/** Section id → { root, body }. */
let sectionNodes = new Map();

/** Creates an element with attributes and children (strings become text nodes). */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function describe(err) {
  // IndiciaError carries a stable `kind`; anything else is a bug worth showing as-is.
  return `${err?.kind ?? err?.name ?? 'Error'}: ${err?.message ?? String(err)}`;
}

function showPageError(err) {
  errorBox.textContent = describe(err);
  errorBox.hidden = false;
}

function languageName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** The language asked for with ?lang=, if the checklist offers it (sk-SK → sk), else English. */
function requestedLanguage(offered) {
  const asked = (new URLSearchParams(window.location.search).get('lang') ?? '').toLowerCase();
  for (const candidate of [asked, asked.split('-')[0]]) {
    if (offered.includes(candidate)) return candidate;
  }
  return offered.includes(FALLBACK_LANGUAGE) ? FALLBACK_LANGUAGE : offered[0];
}

// ---------------------------------------------------------------------------------------------
// Building question nodes

function optionInput(q, type, value, text) {
  const input = el('input', { type, name: `q-${q.id}`, value });
  return { input, label: el('label', { class: 'option' }, input, ` ${text}`) };
}

function badges(q) {
  const mode =
    q.mode === 'observed'
      ? el('span', { class: 'badge badge-observed', title: 'A sign to notice; do not ask about it' }, 'observe')
      : el('span', { class: 'badge badge-asked', title: 'A question you may ask' }, 'ask');
  const required = q.required ? el('span', { class: 'badge badge-required' }, 'required') : null;
  return [mode, required];
}

function buildQuestion(q) {
  const inputId = `q-${q.id}-input`;
  const hintId = `q-${q.id}-hint`;
  const root = el('div', {
    class: 'question',
    'data-question': q.id,
    'data-kind': q.kind,
    'data-mode': q.mode,
    'data-required': q.required ? 'true' : 'false',
  });
  const hint = q.hint ? el('p', { class: 'hint', id: hintId }, q.hint) : null;
  const help = q.help ? el('details', { class: 'help' }, el('summary', {}, 'More'), el('p', {}, q.help)) : null;
  const error = el('p', { class: 'field-error', role: 'alert', hidden: true });
  const inputs = [];
  let clearButton = null;

  if (['yes_no', 'single_choice', 'multi_choice'].includes(q.kind)) {
    const options =
      q.kind === 'yes_no'
        ? YES_NO.map((value, i) => [value, (YES_NO_LABELS[language] ?? YES_NO_LABELS.en)[i]])
        : q.choices.map((choice) => [choice.id, choice.label]);
    const type = q.kind === 'multi_choice' ? 'checkbox' : 'radio';
    const labels = options.map(([value, text]) => {
      const { input, label } = optionInput(q, type, value, text);
      inputs.push(input);
      return label;
    });
    if (type === 'radio') {
      // A chosen radio cannot be un-chosen by clicking it; this returns the question to unanswered.
      clearButton = el('button', { type: 'button', class: 'clear', 'data-clear': q.id, hidden: true }, 'Clear');
    }
    const fieldset = el(
      'fieldset',
      { 'aria-describedby': hint ? hintId : null, 'aria-required': q.required ? 'true' : null },
      el('legend', {}, el('span', { class: 'question-label' }, q.label), ' ', ...badges(q)),
      el('div', { class: `options options-${q.kind}` }, ...labels, clearButton),
    );
    root.append(fieldset, hint ?? '', help ?? '', error);
  } else {
    let input;
    if (q.kind === 'text') {
      input = el('textarea', { id: inputId, name: `q-${q.id}`, rows: 3 });
    } else if (q.kind === 'number') {
      input = el('input', { id: inputId, name: `q-${q.id}`, type: 'number', step: 'any', min: q.min, max: q.max });
    } else if (q.kind === 'date') {
      input = el('input', { id: inputId, name: `q-${q.id}`, type: 'date' });
    } else {
      // Attachments need storage this demo page does not have.
      input = el('input', { id: inputId, name: `q-${q.id}`, type: 'text', disabled: true, placeholder: 'Attachments are not supported on this page' });
    }
    if (hint) input.setAttribute('aria-describedby', hintId);
    if (q.required) input.setAttribute('aria-required', 'true');
    inputs.push(input);
    root.append(
      el('label', { for: inputId }, el('span', { class: 'question-label' }, q.label), ' ', ...badges(q)),
      input,
      hint ?? '',
      help ?? '',
      error,
    );
  }
  return { root, inputs, clearButton, error, kind: q.kind };
}

function buildSection(id, label) {
  const body = el('div', { class: 'section-questions' });
  const root = el('section', { class: 'checklist-section', 'data-section': id }, el('h2', {}, label), body);
  return { root, body };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Makes `parent`'s children exactly `children`, moving as few nodes as possible (a moved node
 * loses focus, so the one being answered is left where it is). */
function setChildren(parent, children) {
  const wanted = new Set(children);
  for (const child of [...parent.children]) {
    if (!wanted.has(child)) child.remove();
  }
  children.forEach((child, i) => {
    if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] ?? null);
  });
}

/** Shows the session's answer in the inputs (unless the field holds a refused entry). */
function syncQuestion(node, q) {
  const answer = q.answer;
  for (const input of node.inputs) {
    if (input.type === 'radio') {
      input.checked = answer !== null && input.value === answer;
    } else if (input.type === 'checkbox') {
      input.checked = Array.isArray(answer) && answer.includes(input.value);
    } else if (node.error.hidden && document.activeElement !== input) {
      input.value = answer === null ? '' : String(answer);
    }
  }
  if (node.clearButton) node.clearButton.hidden = answer === null;
  node.root.dataset.answered = answer === null ? 'false' : 'true';
}

function render() {
  const questions = session.visibleQuestions();
  const missing = new Set(session.missingRequired());
  const sections = [];
  for (const q of questions) {
    let section = sections.at(-1);
    if (section?.id !== q.section) {
      section = { id: q.section, label: q.section_label, nodes: [] };
      sections.push(section);
    }
    let node = questionNodes.get(q.id);
    if (!node) {
      node = buildQuestion(q);
      questionNodes.set(q.id, node);
    }
    syncQuestion(node, q);
    node.root.dataset.missing = missing.has(q.id) ? 'true' : 'false';
    section.nodes.push(node.root);
  }
  setChildren(
    form,
    sections.map((section) => {
      let node = sectionNodes.get(section.id);
      if (!node) {
        node = buildSection(section.id, section.label);
        sectionNodes.set(section.id, node);
      }
      setChildren(node.body, section.nodes);
      return node.root;
    }),
  );
  renderAssessment(questions, missing);
}

function renderAssessment(questions, missing) {
  const progress = session.progress();
  const progressText = $('progress-text');
  progressText.textContent = `${progress.answered} of ${progress.visible} questions answered`;
  Object.assign(progressText.dataset, {
    answered: progress.answered,
    visible: progress.visible,
    complete: progress.complete,
  });
  $('progress').max = Math.max(progress.visible, 1);
  $('progress').value = progress.answered;

  const missingBox = $('missing');
  const labels = questions.filter((q) => missing.has(q.id)).map((q) => q.label);
  missingBox.textContent = labels.length ? `Still required: ${labels.join(' · ')}` : '';
  missingBox.hidden = labels.length === 0;

  const a = session.assessment();
  const outcome = $('outcome');
  outcome.dataset.level = a.outcome.level;
  outcome.dataset.outcome = a.outcome.id;
  outcome.replaceChildren(
    el('span', { class: 'level' }, `Level ${a.outcome.level}`),
    ' ',
    el('span', { class: 'outcome-label' }, a.outcome.label),
  );

  const rule = a.rule.variant_label ?? (a.rule.kind === 'score' ? `Score ${a.rule.score}` : '');
  $('rule').textContent = `${rule}${rule ? ': ' : ''}${a.rule.met ? 'rule met' : 'rule not met'}`;
  $('actions').replaceChildren(...a.outcome.actions.map((action) => el('li', {}, action)));

  const referrals = a.outcome.referrals.map((r) =>
    el(
      'li',
      {},
      el('strong', {}, r.name),
      r.phone ? el('span', {}, ' ', el('a', { href: `tel:${r.phone}` }, r.phone)) : null,
      r.url ? el('span', {}, ' ', el('a', { href: r.url, rel: 'noopener noreferrer' }, r.url)) : null,
      r.note ? el('span', { class: 'hint' }, ` — ${r.note}`) : null,
    ),
  );
  $('referrals').replaceChildren(...referrals);
  $('referrals').hidden = referrals.length === 0;

  $('explanation').replaceChildren(...a.explanation.map((line) => el('li', {}, line)));
}

function renderInfo() {
  const info = session.info();
  $('title').textContent = info.title;
  document.title = `${info.title} — Indicia`;
  const notes = [];
  if (info.review_status !== 'reviewed') {
    notes.push(`Checklist status: ${info.review_status}. It needs review by anti-trafficking practitioners before real use.`);
  }
  if (info.unchecked_translations.includes(language)) {
    notes.push(`The ${languageName(language)} translation has not been checked by a native speaker.`);
  }
  $('review').textContent = notes.join(' ');
  $('review').hidden = notes.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Answering

function showFieldError(node, err) {
  node.error.textContent = describe(err);
  node.error.hidden = false;
}

/** What a question's inputs hold now, or null for "no answer". */
function currentValue(node, target) {
  switch (node.kind) {
    case 'yes_no':
    case 'single_choice':
      return target.checked ? target.value : null;
    case 'multi_choice': {
      const ids = node.inputs.filter((input) => input.checked).map((input) => input.value);
      return ids.length ? ids : null;
    }
    case 'number':
      return target.value === '' && !target.validity.badInput ? null : target.valueAsNumber;
    default:
      return target.value.trim() === '' ? null : target.value;
  }
}

function answerFrom(target) {
  const root = target.closest('[data-question]');
  if (!root) return;
  const id = root.dataset.question;
  const node = questionNodes.get(id);
  node.error.hidden = true;
  node.error.textContent = '';
  const value = currentValue(node, target);
  try {
    if (value === null) {
      session.clear(id);
    } else if (typeof value === 'number' && Number.isNaN(value)) {
      throw Object.assign(new Error('not a number'), { kind: 'InvalidAnswer' });
    } else {
      session.answer(id, value);
    }
    announce(id, value);
  } catch (err) {
    // What the field shows is not a valid answer, so no answer is kept for it.
    try {
      session.clear(id);
    } catch {
      // The question id came from the session itself; clearing cannot fail for it.
    }
    announce(id, null);
    showFieldError(node, err);
  }
  render();
}

/** Tells listeners (the case page) that the session's answer to `id` is now `value` (null:
 * none). Only answers the session accepted are announced. */
function announce(id, value) {
  form.dispatchEvent(new CustomEvent('indicia:answer', { detail: { id, value } }));
}

// The case page hands over a case's saved answers (a JSON object text; "{}" for a new case).
form.addEventListener('indicia:restore', (event) => {
  try {
    const next = ChecklistSession.fromBuiltin(CHECKLIST_ID, language);
    next.restoreAnswers(event.detail);
    session?.free();
    session = next;
    questionNodes = new Map();
    sectionNodes = new Map();
    form.replaceChildren();
    render();
  } catch (err) {
    showPageError(err);
  }
});

form.addEventListener('change', (event) => answerFrom(event.target));
form.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-clear]');
  if (!button) return;
  const id = button.dataset.clear;
  session.clear(id);
  announce(id, null);
  render();
  questionNodes.get(id)?.inputs[0]?.focus();
});
form.addEventListener('submit', (event) => event.preventDefault());

/** Starts (or restarts) the session in `lang`, keeping every answer given so far. */
function startSession(lang) {
  const saved = session?.answersJson();
  const next = ChecklistSession.fromBuiltin(CHECKLIST_ID, lang);
  if (saved) next.restoreAnswers(saved);
  session?.free();
  session = next;
  language = lang;
  questionNodes = new Map();
  sectionNodes = new Map();
  form.replaceChildren();
  form.lang = lang;
  panel.lang = lang;
  $('title').lang = lang;
  renderInfo();
  render();
}

languageSelect.addEventListener('change', () => {
  try {
    startSession(languageSelect.value);
    const url = new URL(window.location.href);
    url.searchParams.set('lang', language);
    window.history.replaceState(null, '', url);
  } catch (err) {
    showPageError(err);
  }
});

try {
  await init();
  session = ChecklistSession.fromBuiltin(CHECKLIST_ID, FALLBACK_LANGUAGE);
  const offered = session.info().languages;
  languageSelect.replaceChildren(...offered.map((code) => el('option', { value: code }, languageName(code))));
  const lang = requestedLanguage(offered);
  languageSelect.value = lang;
  startSession(lang);
  languageSelect.disabled = false;
  panel.hidden = false;
  status.textContent = 'Ready. The result updates with every answer.';
  document.body.dataset.ready = 'true';
} catch (err) {
  showPageError(err);
  status.textContent = 'The checklist engine failed to load.';
}
