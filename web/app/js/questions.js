// Draws a checklist session (the wasm core's ChecklistSession) as a form and hands each change
// back to it. All logic (skip logic, required items, indicators, the assessment rule, texts in
// each language) lives in the core; this module only draws what the session reports. Each answer
// the session accepts is passed to `onAnswer(questionId, value | null)` (the app saves it in the
// encrypted store at once).
import { el } from './dom.js';
import { t } from './strings.js';

const YES_NO = ['yes', 'no', 'unknown', 'declined'];

function badges(q, lang) {
  const mode =
    q.mode === 'observed'
      ? el('span', { class: 'badge badge-observed' }, t('question.observed', lang))
      : el('span', { class: 'badge badge-asked' }, t('question.asked', lang));
  const required = q.required ? el('span', { class: 'badge badge-required' }, t('question.required', lang)) : null;
  return [mode, required];
}

/** Makes `parent`'s children exactly `children`, moving as few nodes as possible (a moved node
 * loses focus, so the one being answered stays where it is). */
function setChildren(parent, children) {
  const wanted = new Set(children);
  for (const child of [...parent.children]) {
    if (!wanted.has(child)) child.remove();
  }
  children.forEach((child, i) => {
    if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] ?? null);
  });
}

export class QuestionsView {
  /**
   * @param {HTMLFormElement} form where the questions go
   * @param {object} session a ChecklistSession (the view frees it in `close()`)
   * @param {string} lang the checklist language (answer labels, badges)
   * @param {(id: string, value: unknown) => void} onAnswer called with each accepted change
   * @param {(questions, missing, session) => void} onRender called after each redraw (progress,
   *   assessment)
   */
  constructor(form, session, lang, onAnswer, onRender) {
    Object.assign(this, { form, session, lang, onAnswer, onRender });
    this.questionNodes = new Map();
    this.sectionNodes = new Map();
    form.replaceChildren();
    form.lang = lang;
    this.listeners = [
      ['change', (event) => this.answerFrom(event.target)],
      ['click', (event) => this.clearFrom(event)],
      ['submit', (event) => event.preventDefault()],
    ];
    for (const [type, fn] of this.listeners) form.addEventListener(type, fn);
    this.render();
  }

  close() {
    for (const [type, fn] of this.listeners) this.form.removeEventListener(type, fn);
    this.form.replaceChildren();
    this.session.free();
  }

  buildQuestion(q) {
    const lang = this.lang;
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
    const help = q.help ? el('details', { class: 'help' }, el('summary', {}, t('question.more', lang)), el('p', {}, q.help)) : null;
    const error = el('p', { class: 'field-error', role: 'alert', hidden: true });
    const inputs = [];
    let clearButton = null;

    if (['yes_no', 'single_choice', 'multi_choice'].includes(q.kind)) {
      const options =
        q.kind === 'yes_no'
          ? YES_NO.map((value) => [value, t(`answer.${value}`, lang)])
          : q.choices.map((choice) => [choice.id, choice.label]);
      const type = q.kind === 'multi_choice' ? 'checkbox' : 'radio';
      const labels = options.map(([value, text]) => {
        const input = el('input', { type, name: `q-${q.id}`, value, autocomplete: 'off' });
        inputs.push(input);
        return el('label', { class: 'option' }, input, el('span', {}, text));
      });
      if (type === 'radio') {
        // A chosen radio cannot be un-chosen by tapping it; this returns the question to unanswered.
        clearButton = el('button', { type: 'button', class: 'clear', 'data-clear': q.id, hidden: true }, t('question.clear', lang));
      }
      root.append(
        el(
          'fieldset',
          { 'aria-describedby': hint ? hintId : null },
          el('legend', {}, el('span', { class: 'question-label' }, q.label), ' ', ...badges(q, lang)),
          // A radio group says it is required where a screen reader looks for it (a fieldset cannot).
          el('div', { class: `options options-${q.kind}`, role: type === 'radio' ? 'radiogroup' : null, 'aria-required': type === 'radio' && q.required ? 'true' : null }, ...labels, clearButton),
        ),
        hint ?? '',
        help ?? '',
        error,
      );
    } else {
      // autocomplete=off and no name the browser knows: answers never reach form autofill.
      let input;
      if (q.kind === 'text') input = el('textarea', { id: inputId, rows: 3, autocomplete: 'off', spellcheck: 'false' });
      else if (q.kind === 'number') input = el('input', { id: inputId, type: 'number', step: 'any', min: q.min, max: q.max, inputmode: 'decimal', autocomplete: 'off' });
      else if (q.kind === 'date') input = el('input', { id: inputId, type: 'date', autocomplete: 'off' });
      else input = el('input', { id: inputId, type: 'text', disabled: true, placeholder: t('question.attachmentsBelow', lang) });
      if (hint) input.setAttribute('aria-describedby', hintId);
      if (q.required) input.setAttribute('aria-required', 'true');
      inputs.push(input);
      root.append(
        el('label', { for: inputId }, el('span', { class: 'question-label' }, q.label), ' ', ...badges(q, lang)),
        input,
        hint ?? '',
        help ?? '',
        error,
      );
    }
    return { root, inputs, clearButton, error, kind: q.kind };
  }

  /** Shows the session's answer in the inputs (unless the field holds a refused entry). */
  sync(node, q) {
    const answer = q.answer;
    for (const input of node.inputs) {
      if (input.type === 'radio') input.checked = answer !== null && input.value === answer;
      else if (input.type === 'checkbox') input.checked = Array.isArray(answer) && answer.includes(input.value);
      else if (node.error.hidden && document.activeElement !== input) input.value = answer === null ? '' : String(answer);
    }
    if (node.clearButton) node.clearButton.hidden = answer === null;
    node.root.dataset.answered = answer === null ? 'false' : 'true';
  }

  render() {
    const questions = this.session.visibleQuestions();
    const missing = new Set(this.session.missingRequired());
    const sections = [];
    for (const q of questions) {
      let section = sections.at(-1);
      if (section?.id !== q.section) {
        section = { id: q.section, label: q.section_label, nodes: [] };
        sections.push(section);
      }
      let node = this.questionNodes.get(q.id);
      if (!node) {
        node = this.buildQuestion(q);
        this.questionNodes.set(q.id, node);
      }
      this.sync(node, q);
      node.root.dataset.missing = missing.has(q.id) ? 'true' : 'false';
      section.nodes.push(node.root);
    }
    setChildren(
      this.form,
      sections.map((section) => {
        let node = this.sectionNodes.get(section.id);
        if (!node) {
          const body = el('div', { class: 'section-questions' });
          node = { root: el('section', { class: 'checklist-section', 'data-section': section.id }, el('h3', {}, section.label), body), body };
          this.sectionNodes.set(section.id, node);
        }
        setChildren(node.body, section.nodes);
        return node.root;
      }),
    );
    this.onRender(questions, missing, this.session);
  }

  /** What a question's inputs hold now, or null for "no answer". */
  static currentValue(node, target) {
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

  answerFrom(target) {
    const root = target.closest('[data-question]');
    if (!root) return;
    const id = root.dataset.question;
    const node = this.questionNodes.get(id);
    node.error.hidden = true;
    node.error.textContent = '';
    const value = QuestionsView.currentValue(node, target);
    try {
      if (value === null) this.session.clear(id);
      else if (typeof value === 'number' && Number.isNaN(value)) throw Object.assign(new Error('not a number'), { kind: 'InvalidAnswer' });
      else this.session.answer(id, value);
      this.onAnswer(id, value);
    } catch (err) {
      // What the field shows is not a valid answer, so no answer is kept for it.
      this.session.clear(id);
      this.onAnswer(id, null);
      node.error.textContent = t('question.invalid', this.lang, { reason: err?.message ?? String(err) });
      node.error.hidden = false;
    }
    this.render();
  }

  clearFrom(event) {
    const button = event.target.closest('button[data-clear]');
    if (!button) return;
    const id = button.dataset.clear;
    this.session.clear(id);
    this.onAnswer(id, null);
    this.render();
    this.questionNodes.get(id)?.inputs[0]?.focus();
  }
}
