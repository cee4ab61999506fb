// The first-contact checklist inside a case of the field app, clicked through in Chromium as a
// frontline worker would: the assessment follows every answer, skip logic shows and hides the
// child section (whose answers then stop counting), and a case started in another language shows
// every checklist text in it. Expected texts are read from core/checklists/first-contact.json and
// from the app's own words (web/app/js/strings.js, looked up for the case's language).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { appReady, question, setUp, snap, startCase, startWeb } from './app.mjs';
import { receivingUnit, repo } from './support.mjs';

// The app's words, as the app looks them up (web/app/js/strings.js, Slovak loaded from strings/).
const { loadLanguage, t } = await import(pathToFileURL(join(repo, 'web/app/js/strings.js')).href);
await loadLanguage('sk');
const FIRST_CONTACT = JSON.parse(readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8'));
const QUESTIONS = FIRST_CONTACT.sections.flatMap((s) => s.questions);
const questionDef = (id) => QUESTIONS.find((q) => q.id === id);
const indicatorLabel = (id, lang = 'en') => FIRST_CONTACT.indicators.find((i) => i.id === id).label[lang];
const outcomeDef = (id) => FIRST_CONTACT.outcomes.find((o) => o.id === id);
const outcomeLabel = (id, lang = 'en') => outcomeDef(id).label[lang];
const CHILD_QUESTIONS = ['child_unaccompanied', 'child_unsuitable_work', 'child_sexual_exploitation'];
const YES_NO = ['yes', 'no', 'unknown', 'declined'];

const ADULT_SIGNS = {
  long_hours: 'E.excessive_hours',
  low_or_no_pay: 'E.low_or_no_pay',
  documents_held: 'C.documents_held',
  debt: 'C.debt_bondage',
  deceived_about_job: 'R.deceived_job',
  recruitment_debt_documents: 'R.recruitment_debt_documents',
};

let web;
let tempDir;
let unit;

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-checklist-'));
  unit = receivingUnit(join(tempDir, 'unit'), 'National THB unit');
  web = await startWeb({ organisation: 'sk.example-ngo' });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** A new device, set up, with a case open in `language`. */
async function openCase(language) {
  const opened = await web.open(`${web.appOrigin}/`);
  await appReady(opened.page);
  await setUp(opened.page, 'tidal-amber-orchard', unit);
  await startCase(opened.page, `Case in ${language}`, language);
  return opened;
}

/** Ticks the radio or checkbox carrying answer `value` of question `id`. */
const choose = (page, id, value) => question(page, id).locator(`input[value="${value}"]`).check();

async function outcome(page) {
  const box = page.locator('#outcome');
  return {
    level: Number(await box.getAttribute('data-level')),
    id: await box.getAttribute('data-outcome'),
    label: await box.locator('.outcome-label').textContent(),
    levelText: await box.locator('.level').textContent(),
  };
}

const explanation = (page) => page.locator('#explanation li').allTextContents();
const visibleQuestionIds = (page) => page.locator('#questions [data-question]').evaluateAll((nodes) => nodes.map((n) => n.dataset.question));

/** Every text the checklist form shows, by section and question. */
function shownTexts(page) {
  return page.locator('#questions').evaluate((form) => ({
    sections: [...form.querySelectorAll('[data-section]')].map((s) => [s.dataset.section, s.querySelector('h3').textContent]),
    questions: [...form.querySelectorAll('[data-question]')].map((q) => ({
      id: q.dataset.question,
      label: q.querySelector('.question-label').textContent,
      badges: [...q.querySelectorAll('.badge')].map((b) => b.textContent),
      options: [...q.querySelectorAll('label.option span')].map((s) => s.textContent),
      hint: q.querySelector(':scope > p.hint')?.textContent ?? null,
      help: q.querySelector('details.help p')?.textContent ?? null,
      more: q.querySelector('details.help summary')?.textContent ?? null,
      clear: q.querySelector('button.clear')?.textContent ?? null,
    })),
  }));
}

/** What the form should show for the questions it shows, all in `lang`. */
function expectedTexts(shown, lang) {
  const text = (t9n, what) => {
    assert.ok(t9n[lang], `the checklist has ${what} in ${lang}`);
    return t9n[lang];
  };
  return {
    sections: shown.sections.map(([id]) => [id, text(FIRST_CONTACT.sections.find((s) => s.id === id).label, `section ${id}`)]),
    questions: shown.questions.map(({ id }) => {
      const q = questionDef(id);
      return {
        id,
        label: text(q.label, id),
        badges: [t(q.mode === 'observed' ? 'question.observed' : 'question.asked', lang), ...(q.required ? [t('question.required', lang)] : [])],
        options:
          q.kind === 'yes_no'
            ? YES_NO.map((v) => t(`answer.${v}`, lang))
            : (q.choices ?? []).map((c) => text(c.label, `${id}.${c.id}`)),
        hint: q.hint ? text(q.hint, `${id} hint`) : null,
        help: q.help ? text(q.help, `${id} help`) : null,
        more: q.help ? t('question.more', lang) : null,
        clear: ['yes_no', 'single_choice'].includes(q.kind) ? t('question.clear', lang) : null,
      };
    }),
  };
}

/** Asserts that the form and the assessment show every text in `lang` (and that `lang`'s texts
 * differ from English, so the check can tell them apart). */
async function assertAllIn(page, lang) {
  for (const id of ['questions', 'outcome', 'actions', 'referrals', 'explanation']) {
    assert.equal(await page.locator(`#${id}`).getAttribute('lang'), lang, `#${id} is marked as ${lang}`);
  }
  const shown = await shownTexts(page);
  assert.deepEqual(shown, expectedTexts(shown, lang));
  const english = expectedTexts(shown, 'en');
  for (const [i, q] of shown.questions.entries()) assert.notEqual(q.label, english.questions[i].label, `${q.id} is not in English`);

  const result = await outcome(page);
  assert.equal(result.label, outcomeLabel(result.id, lang));
  assert.equal(result.levelText, t('case.level', lang, { level: result.level }));
  assert.deepEqual(await page.locator('#actions li').allTextContents(), outcomeDef(result.id).actions.map((a) => a[lang]));
  const referrals = outcomeDef(result.id).referrals?.['*'] ?? [];
  assert.deepEqual(await page.locator('#referrals li strong').allTextContents(), referrals.map((r) => r.name[lang]));
}

test('a worker clicks through an adult case to level 3, and the result follows each answer', async () => {
  const { page, done } = await openCase('en');

  // Before any answer: nothing recorded, the required age question is flagged.
  assert.deepEqual(await outcome(page), { level: 0, id: 'none_recorded', label: outcomeLabel('none_recorded'), levelText: 'Level 0' });
  const age = question(page, 'age_group');
  assert.equal(await age.getAttribute('data-required'), 'true');
  assert.equal(await age.getAttribute('data-missing'), 'true');
  assert.equal(await age.locator('.badge-required').isVisible(), true);
  assert.equal(await age.locator('.badge-observed').isVisible(), true, 'age is observed, not asked');
  assert.equal(await question(page, 'debt').locator('.badge-asked').isVisible(), true);
  assert.equal(await question(page, 'debt').locator('input[type="radio"]').count(), 4);
  assert.match(await page.locator('#missing').textContent(), new RegExp(questionDef('age_group').label.en.replace('?', '\\?')));
  assert.equal(await page.locator('#progress-text').getAttribute('data-answered'), '0');

  await choose(page, 'age_group', 'adult');
  assert.equal(await age.getAttribute('data-missing'), 'false');
  assert.equal(await page.locator('#missing').isHidden(), true);
  await choose(page, 'sector', 'construction');
  await choose(page, 'sector', 'agriculture');
  await choose(page, 'injuries', 'no');
  await choose(page, 'threats', 'unknown');

  // The result follows each sign as it is ticked.
  const levels = [];
  for (const id of Object.keys(ADULT_SIGNS)) {
    await choose(page, id, 'yes');
    levels.push((await outcome(page)).level);
  }
  // hours alone: a sign; + pay: E met; … + deception + recruitment debt: E, C and R met.
  assert.deepEqual(levels, [1, 2, 2, 2, 2, 3]);

  const result = await outcome(page);
  assert.deepEqual([result.level, result.id], [3, 'refer']);
  assert.equal(result.label, outcomeLabel('refer'));
  assert.equal(result.levelText, 'Level 3');
  const lines = await explanation(page);
  for (const indicator of Object.values(ADULT_SIGNS)) {
    assert.ok(lines.some((line) => line.includes(indicatorLabel(indicator))), `explanation lists ${indicator}`);
  }
  assert.ok(!lines.some((line) => line.includes(indicatorLabel('C.violence'))), '"no" fires nothing');
  assert.ok((await page.locator('#actions li').count()) > 0);
  assert.equal(await page.locator('#progress-text').getAttribute('data-answered'), '10');
  await page.locator('#assessment').scrollIntoViewIfNeeded();
  await snap(page, 'checklist-level-3');

  // Un-ticking a sign (Clear returns a question to unanswered) lowers the result again.
  await question(page, 'recruitment_debt_documents').locator('button.clear').click();
  assert.equal(await question(page, 'recruitment_debt_documents').locator('input:checked').count(), 0);
  assert.equal((await outcome(page)).level, 2);
  assert.equal(await page.locator('#progress-text').getAttribute('data-answered'), '9');
  await done();
});

test('a case started in Slovak shows every question, answer and assessment text in Slovak', async () => {
  const { page, done } = await openCase('sk');
  // Before any answer: the required question is named in Slovak, and the app says that this
  // translation has not been checked by a native speaker.
  assert.match(await page.locator('#missing').textContent(), new RegExp(questionDef('age_group').label.sk.replace('?', '\\?')));
  assert.equal(await page.locator('#case-review').isVisible(), true);
  assert.match(await page.locator('#case-review').textContent(), /native speaker/);
  await assertAllIn(page, 'sk');

  // The same answers as the adult case in English: the same result, in Slovak.
  await choose(page, 'age_group', 'adult');
  await choose(page, 'sector', 'construction');
  await choose(page, 'sector', 'begging_crime'); // shows earnings_taken too
  for (const id of Object.keys(ADULT_SIGNS)) await choose(page, id, 'yes');
  const result = await outcome(page);
  assert.deepEqual([result.level, result.id], [3, 'refer']);
  assert.notEqual(result.label, outcomeLabel('refer', 'en'));
  await assertAllIn(page, 'sk');
  const lines = await explanation(page);
  for (const indicator of Object.values(ADULT_SIGNS)) {
    assert.ok(lines.some((line) => line.includes(indicatorLabel(indicator, 'sk'))), `sk explanation lists ${indicator}`);
    assert.ok(!lines.some((line) => line.includes(indicatorLabel(indicator, 'en'))), `no English label for ${indicator}`);
  }
  assert.equal(await question(page, 'debt').locator('label.option', { hasText: 'Áno' }).locator('input').isChecked(), true);
  await page.locator('#assessment').scrollIntoViewIfNeeded();
  await snap(page, 'checklist-slovak');

  // A possible child: the child section's texts are Slovak as well.
  await choose(page, 'age_group', 'unsure');
  await question(page, 'child_unaccompanied').waitFor();
  await assertAllIn(page, 'sk');
  assert.deepEqual(
    (await visibleQuestionIds(page)).sort(),
    QUESTIONS.map((q) => q.id).sort(),
    'every question of the checklist was checked',
  );
  await done();
});

test('a possible child shows the child section; hiding it drops its signs from the result', async () => {
  const { page, done } = await openCase('en');
  const childSection = page.locator('[data-section="child"]');
  assert.equal(await childSection.count(), 0, 'hidden before the age is given');
  await choose(page, 'age_group', 'adult');
  assert.equal(await childSection.count(), 0, 'hidden for an adult');

  await choose(page, 'age_group', 'child');
  assert.equal(await childSection.isVisible(), true);
  const order = await visibleQuestionIds(page);
  assert.deepEqual(order.slice(0, 5), ['age_group', 'sector', ...CHILD_QUESTIONS], 'in checklist order');
  for (const id of CHILD_QUESTIONS) {
    assert.equal(await childSection.locator(`[data-question="${id}"]`).isVisible(), true, id);
  }
  assert.equal(
    await question(page, 'child_sexual_exploitation').locator('.question-label').textContent(),
    questionDef('child_sexual_exploitation').label.en,
  );

  await choose(page, 'child_sexual_exploitation', 'yes');
  // One decisive sign (checklist format v2): level 3 at once, and the explanation says why.
  const decisive = await outcome(page);
  assert.deepEqual([decisive.level, decisive.id], [3, 'refer_decisive']);
  assert.equal(decisive.label, outcomeLabel('refer_decisive'));
  assert.ok(
    (await explanation(page)).includes(`Decisive sign: ${indicatorLabel('E.child_sexual_exploitation')}. On its own it calls for the outcome below, whatever the rule says.`),
  );
  await choose(page, 'child_unaccompanied', 'yes');
  await choose(page, 'bad_conditions', 'yes');
  await choose(page, 'unfamiliar_area', 'yes');
  await choose(page, 'afraid_of_authorities', 'yes');
  const child = await outcome(page);
  assert.deepEqual([child.level, child.id], [3, 'refer']);
  const lines = await explanation(page);
  assert.ok(lines.some((line) => line.includes(indicatorLabel('E.child_sexual_exploitation'))));
  assert.ok(lines.some((line) => line.includes(indicatorLabel('V.unaccompanied_child'))));

  // An adult after all: the child section goes, and its answers stop counting.
  await choose(page, 'age_group', 'adult');
  assert.equal(await childSection.count(), 0);
  assert.equal((await outcome(page)).level, 1);
  const adultLines = await explanation(page);
  assert.ok(!adultLines.some((line) => line.includes(indicatorLabel('E.child_sexual_exploitation'))));
  assert.ok(!adultLines.some((line) => line.includes(indicatorLabel('V.unaccompanied_child'))));

  // Not sure of the age: shown again with the answers kept, and counted again.
  await choose(page, 'age_group', 'unsure');
  assert.equal(await question(page, 'child_sexual_exploitation').locator('input[value="yes"]').isChecked(), true);
  assert.equal((await outcome(page)).level, 3);

  // Skip logic on a multi-choice: who takes the earnings is asked only for sex work or begging.
  assert.equal(await question(page, 'earnings_taken').count(), 0);
  await choose(page, 'sector', 'begging_crime');
  assert.equal(await question(page, 'earnings_taken').isVisible(), true);
  await question(page, 'sector').locator('input[value="begging_crime"]').uncheck();
  assert.equal(await question(page, 'earnings_taken').count(), 0);
  await done();
});
