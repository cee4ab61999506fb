// The checklist engine through the wasm package under Node: the same artifact the field app
// loads. Expected texts come from core/checklists/first-contact.json itself, so a translation edit
// does not break these tests but a lookup or fallback bug does.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { provideBuiltins } from './builtins.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(indicia);
const { ChecklistSession, builtinChecklists, validateChecklist } = indicia;

const FIRST_CONTACT_JSON = readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8');
const FIRST_CONTACT = JSON.parse(FIRST_CONTACT_JSON);
const LANGUAGES = ['en', 'sk', 'bg', 'es', 'ca', 'el', 'pl', 'it', 'uk'];
const CHILD_QUESTIONS = ['child_unaccompanied', 'child_unsuitable_work', 'child_sexual_exploitation'];

const questionDef = (id) =>
  FIRST_CONTACT.sections.flatMap((s) => s.questions).find((q) => q.id === id);
const indicatorDef = (id) => FIRST_CONTACT.indicators.find((i) => i.id === id);
const outcomeDef = (id) => FIRST_CONTACT.outcomes.find((o) => o.id === id);

/** The adult answer set that meets the Delphi rule: E, C and R dimensions each met. */
const ADULT_REFER = {
  age_group: 'adult',
  sector: ['construction'],
  long_hours: 'yes', // E strong
  low_or_no_pay: 'yes', // E medium
  documents_held: 'yes', // C strong
  debt: 'yes', // C strong
  deceived_about_job: 'yes', // R strong
  recruitment_debt_documents: 'yes', // R medium
  injuries: 'no',
  threats: 'unknown',
  dependency: 'declined',
};

function session(answers = {}, language = 'en') {
  const s = ChecklistSession.fromBuiltin('first-contact', language);
  for (const [id, value] of Object.entries(answers)) s.answer(id, value);
  return s;
}

const visibleIds = (s) => s.visibleQuestions().map((q) => q.id);
const firedIds = (s) => s.assessment().fired.map((f) => f.id).sort();

/** Asserts that `fn` throws the binding's IndiciaError of `kind`; returns its message. */
function throwsKind(fn, kind) {
  let message;
  assert.throws(fn, (error) => {
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'IndiciaError');
    assert.equal(error.kind, kind, `kind (message: ${error.message})`);
    message = error.message;
    return true;
  });
  return message;
}

test('the built-in list names every shipped checklist, and each one loads', () => {
  const ids = builtinChecklists();
  assert.ok(ids.includes('first-contact'));
  assert.deepEqual(
    [...ids].sort(),
    ['first-contact', 'ilo-ec-delphi-adult-labour', 'ilo-ec-delphi-child-labour', 'ilo-forced-labour-11'],
  );
  for (const id of ids) {
    const info = ChecklistSession.fromBuiltin(id, 'en').info();
    assert.equal(info.id, id);
    assert.match(info.hash, /^sha256:[0-9a-f]{64}$/);
  }
  throwsKind(() => ChecklistSession.fromBuiltin('no-such-checklist', 'en'), 'UnknownChecklist');
});

test('first-contact loads in all nine languages with that language\'s texts', () => {
  for (const lang of LANGUAGES) {
    const s = session({ age_group: 'child' }, lang);
    const info = s.info();
    assert.deepEqual(info.languages, LANGUAGES);
    assert.equal(info.title, FIRST_CONTACT.title[lang], `${lang} title`);
    for (const q of s.visibleQuestions()) {
      assert.equal(q.label, questionDef(q.id).label[lang], `${lang} label of ${q.id}`);
    }
    const a = s.assessment();
    assert.equal(a.language, lang);
    assert.equal(a.outcome.label, outcomeDef(a.outcome.id).label[lang], `${lang} outcome label`);
  }
});

test('Slovak labels differ from English for questions, choices, sections, indicators and outcomes', () => {
  const en = session(ADULT_REFER, 'en');
  const sk = session(ADULT_REFER, 'sk');
  const [enQs, skQs] = [en.visibleQuestions(), sk.visibleQuestions()];
  assert.deepEqual(skQs.map((q) => q.id), enQs.map((q) => q.id), 'same questions in both languages');
  enQs.forEach((enQ, i) => {
    const skQ = skQs[i];
    assert.notEqual(skQ.label, enQ.label, `label of ${enQ.id}`);
    assert.notEqual(skQ.section_label, enQ.section_label, `section of ${enQ.id}`);
    enQ.choices.forEach((c, j) => assert.notEqual(skQ.choices[j].label, c.label, `choice ${c.id}`));
  });
  assert.equal(skQs[0].label, 'Vyzerá osoba na menej ako 18 rokov?');
  const [enA, skA] = [en.assessment(), sk.assessment()];
  assert.equal(skA.outcome.id, enA.outcome.id);
  assert.equal(skA.outcome.label, outcomeDef('refer').label.sk);
  assert.notEqual(skA.outcome.label, enA.outcome.label);
  skA.fired.forEach((f, i) => assert.notEqual(f.label, enA.fired[i].label, f.id));
  assert.notDeepEqual(skA.explanation, enA.explanation);
  // A region suffix falls back to the language; an unknown language to the default.
  assert.equal(session({}, 'sk-SK').info().title, FIRST_CONTACT.title.sk);
  assert.equal(session({}, 'xx').info().title, FIRST_CONTACT.title.en);
});

test('skip logic: the child section is hidden for an adult and shown for child or unsure', () => {
  const s = session();
  const none = visibleIds(s);
  for (const id of CHILD_QUESTIONS) assert.ok(!none.includes(id), `${id} hidden before age is given`);

  s.answer('age_group', 'adult');
  const adult = visibleIds(s);
  for (const id of CHILD_QUESTIONS) assert.ok(!adult.includes(id), `${id} hidden for an adult`);

  for (const age of ['child', 'unsure']) {
    s.answer('age_group', age);
    const shown = visibleIds(s);
    // In document order: right after the "about" section.
    assert.deepEqual(shown.slice(0, 5), ['age_group', 'sector', ...CHILD_QUESTIONS], age);
    assert.equal(shown.length, adult.length + CHILD_QUESTIONS.length);
    assert.equal(s.visibleQuestions()[2].section, 'child');
  }

  s.clear('age_group');
  assert.deepEqual(visibleIds(s), none);
});

test('skip logic on a multi-choice: earnings_taken only for sex work or begging/crime', () => {
  const s = session({ age_group: 'adult' });
  assert.ok(!visibleIds(s).includes('earnings_taken'));
  s.answer('sector', ['agriculture', 'hospitality']);
  assert.ok(!visibleIds(s).includes('earnings_taken'));
  s.answer('sector', ['agriculture', 'begging_crime']);
  assert.ok(visibleIds(s).includes('earnings_taken'));
  s.answer('sector', ['sex_work']);
  assert.ok(visibleIds(s).includes('earnings_taken'));
});

test('answers to hidden questions are kept but count nowhere', () => {
  const childSigns = { child_unaccompanied: 'yes', child_unsuitable_work: 'yes', child_sexual_exploitation: 'yes' };
  const s = session({ age_group: 'child', bad_conditions: 'yes', ...childSigns });
  assert.deepEqual(firedIds(s), [
    'E.bad_conditions', 'E.child_sexual_exploitation', 'E.child_unsuitable_work', 'V.unaccompanied_child',
  ]);
  assert.equal(s.progress().answered, 5);

  s.answer('age_group', 'adult');
  assert.deepEqual(firedIds(s), ['E.bad_conditions'], 'hidden child answers fire nothing');
  const a = s.assessment();
  assert.equal(a.rule.variant, 'adult');
  assert.equal(a.outcome.id, 'stay_alert');
  assert.ok(!a.explanation.some((line) => line.includes(indicatorDef('E.child_sexual_exploitation').label.en)));
  assert.deepEqual(s.progress(), { visible: visibleIds(s).length, answered: 2, required_missing: 0, complete: true });
  for (const [id, value] of Object.entries(childSigns)) {
    assert.equal(JSON.parse(s.answersJson())[id], value, `${id} is kept while hidden`);
  }

  s.answer('age_group', 'unsure');
  assert.equal(firedIds(s).length, 4, 'un-hiding counts them again');
  assert.equal(s.assessment().rule.variant, 'child');
});

test('an adult answer set meeting the Delphi rule is level 3, explained by its fired indicators', () => {
  const s = session(ADULT_REFER);
  const a = s.assessment();
  assert.equal(a.outcome.id, 'refer');
  assert.equal(a.outcome.level, 3);
  assert.equal(a.outcome.label, outcomeDef('refer').label.en);
  assert.ok(a.outcome.actions.length > 0);
  assert.equal(a.rule.kind, 'delphi');
  assert.equal(a.rule.variant, 'adult');
  assert.equal(a.rule.met, true);
  assert.deepEqual(
    a.dimensions.map((d) => [d.id, d.met]),
    [['R', true], ['E', true], ['C', true], ['V', false]],
  );
  assert.deepEqual(firedIds(s), [
    'C.debt_bondage', 'C.documents_held', 'E.excessive_hours', 'E.low_or_no_pay',
    'R.deceived_job', 'R.recruitment_debt_documents',
  ]);
  // Every fired indicator is named in the explanation, on its dimension's line.
  for (const fired of a.fired) {
    const dimension = a.dimensions.find((d) => d.id === fired.dimension);
    const line = a.explanation.find((l) => l.startsWith(`${dimension.label}:`));
    assert.ok(line?.includes(fired.label), `${fired.id} on "${line}"`);
    assert.ok(line.includes(`(${fired.strength})`));
    assert.equal(fired.label, indicatorDef(fired.id).label.en);
  }
  assert.ok(a.explanation.some((l) => l.includes(': met') && l.includes(a.rule.variant_label)));
  assert.ok(a.explanation.some((l) => l.includes(a.outcome.label)));
  assert.deepEqual(s.progress(), { visible: 17, answered: 11, required_missing: 0, complete: true });
});

test('each outcome level is reached by its own answer set', () => {
  const cases = [
    // No answers but the required age: nothing fired.
    [{ age_group: 'adult', long_hours: 'no', debt: 'unknown' }, 'none_recorded', 0],
    // One sign: an indicator, no dimension met.
    [{ age_group: 'adult', someone_speaks_for: 'yes' }, 'stay_alert', 1],
    // One strong sign per dimension meets none of them (the Delphi alternatives need two signs).
    [{ age_group: 'adult', documents_held: 'yes', long_hours: 'yes', deceived_about_job: 'yes' }, 'stay_alert', 1],
    // Two strong control signs meet C, but an adult also needs E and R or V.
    [{ age_group: 'adult', documents_held: 'yes', debt: 'yes', long_hours: 'yes', deceived_about_job: 'yes' }, 'seek_advice', 2],
    // The adult set in full.
    [ADULT_REFER, 'refer', 3],
    // A possible child needs exploitative conditions plus any one of R, C or V.
    [{ age_group: 'unsure', child_sexual_exploitation: 'yes', bad_conditions: 'yes', child_unaccompanied: 'yes',
      unfamiliar_area: 'yes', afraid_of_authorities: 'yes' }, 'refer', 3],
    // A decisive sign alone (format v2): a child showing signs of sexual exploitation is level 3
    // whatever the rule says, and the explanation says why.
    [{ age_group: 'child', child_sexual_exploitation: 'yes' }, 'refer_decisive', 3],
    [{ age_group: 'adult', movement_controlled: 'yes' }, 'refer_decisive', 3],
    // The same signs for an adult: the child signs are hidden, V alone is not enough.
    [{ age_group: 'adult', child_sexual_exploitation: 'yes', bad_conditions: 'yes', child_unaccompanied: 'yes',
      unfamiliar_area: 'yes', afraid_of_authorities: 'yes' }, 'stay_alert', 1],
  ];
  for (const [answers, id, level] of cases) {
    const { outcome } = session(answers).assessment();
    assert.deepEqual([outcome.id, outcome.level], [id, level], JSON.stringify(answers));
  }
});

test('invalid answers are refused with kind InvalidAnswer and change nothing', () => {
  const s = session({ age_group: 'adult', debt: 'yes', sector: ['construction'] });
  const before = s.answersJson();
  const cases = [
    ['unknown question', () => s.answer('no_such_question', 'yes'), /no_such_question/],
    ['number for yes_no', () => s.answer('debt', 3), /debt/],
    ['free word for yes_no', () => s.answer('debt', 'maybe'), /debt/],
    ['null for yes_no', () => s.answer('debt', null), /debt/],
    ['list for single_choice', () => s.answer('age_group', ['adult']), /age_group/],
    ['unknown single choice', () => s.answer('age_group', 'teenager'), /age_group/],
    ['string for multi_choice', () => s.answer('sector', 'agriculture'), /sector/],
    ['unknown multi choice', () => s.answer('sector', ['agriculture', 'mining']), /sector/],
    ['duplicate multi choice', () => s.answer('sector', ['agriculture', 'agriculture']), /sector/],
    ['number for text', () => s.answer('worker_note', 5), /worker_note/],
    ['clear unknown question', () => s.clear('no_such_question'), /no_such_question/],
  ];
  for (const [name, fn, pattern] of cases) {
    assert.match(throwsKind(fn, 'InvalidAnswer'), pattern, name);
  }
  assert.equal(s.answersJson(), before);
});

test('a broken checklist definition is InvalidChecklist, naming the JSON path of a mistake in its content', () => {
  const sectionIndex = FIRST_CONTACT.sections.findIndex((sec) => sec.questions.some((q) => q.id === 'injuries'));
  const questionIndex = FIRST_CONTACT.sections[sectionIndex].questions.findIndex((q) => q.id === 'injuries');
  const path = `$.sections[${sectionIndex}].questions[${questionIndex}]`;

  const unknownReference = structuredClone(FIRST_CONTACT);
  unknownReference.sections[sectionIndex].questions[questionIndex].relevant = "${no_such_question} = 'yes'";
  const typo = structuredClone(FIRST_CONTACT);
  typo.sections[sectionIndex].questions[questionIndex].relevnt = 'true';
  const badStrength = structuredClone(FIRST_CONTACT);
  badStrength.indicators[3].strength = 'huge';

  // A mistake of shape (an unknown key, a value of the wrong kind) is named by serde's message,
  // at the document: the browser's modules leave out the core's `json-paths` (16 KB gzipped), so
  // the path below `$` is the CLI's (`indicia checklist validate`).
  for (const [doc, expected] of [
    [unknownReference, `${path}.relevant`],
    [typo, 'unknown field `relevnt`'],
    [badStrength, 'unknown variant `huge`'],
  ]) {
    const json = JSON.stringify(doc);
    assert.ok(throwsKind(() => validateChecklist(json, 'en'), 'InvalidChecklist').includes(expected), expected);
    assert.ok(throwsKind(() => ChecklistSession.fromJson(json, 'en'), 'InvalidChecklist').includes(expected));
  }
  throwsKind(() => validateChecklist('{"format": "indicia-checklist/1",', 'en'), 'InvalidChecklist');
  // The unbroken document is fine, and hashes like the built-in.
  const info = validateChecklist(FIRST_CONTACT_JSON, 'sk');
  assert.equal(info.title, FIRST_CONTACT.title.sk);
  assert.equal(info.hash, ChecklistSession.fromBuiltin('first-contact', 'en').info().hash);
});

test('restoreAnswers(answersJson()) gives the same assessment, in any language', () => {
  const original = session({ ...ADULT_REFER, worker_note: 'Met at the bus station, 7 a.m.', child_unaccompanied: 'yes' });
  const saved = original.answersJson();
  assert.deepEqual(JSON.parse(saved).sector, ['construction']);

  const restored = ChecklistSession.fromBuiltin('first-contact', 'en');
  restored.restoreAnswers(saved);
  assert.deepEqual(restored.assessment(), original.assessment());
  assert.deepEqual(restored.visibleQuestions(), original.visibleQuestions());
  assert.equal(restored.answersJson(), saved);

  const slovak = ChecklistSession.fromBuiltin('first-contact', 'sk');
  slovak.restoreAnswers(saved);
  assert.deepEqual(firedIds(slovak), firedIds(original));
  assert.equal(slovak.assessment().outcome.label, outcomeDef('refer').label.sk);

  // A refused restore changes nothing.
  throwsKind(() => restored.restoreAnswers('{"debt": "maybe", "long_hours": "no"}'), 'InvalidAnswer');
  throwsKind(() => restored.restoreAnswers('not json'), 'InvalidAnswer');
  assert.equal(restored.answersJson(), saved);
});
