// The first-contact checklist page in a real Chromium, clicked through as a frontline worker
// would: the result must follow every answer, skip logic must show and hide the child section,
// the language picker must switch every text, and the page must not talk to anything but its own
// origin. Expected texts are read from core/checklists/first-contact.json.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repo, startSite, waitReady } from './support.mjs';

const screenshot = join(repo, 'build/screenshots/checklist-page.png');

const FIRST_CONTACT = JSON.parse(readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8'));
const questionDef = (id) => FIRST_CONTACT.sections.flatMap((s) => s.questions).find((q) => q.id === id);
const indicatorLabel = (id, lang = 'en') => FIRST_CONTACT.indicators.find((i) => i.id === id).label[lang];
const outcomeLabel = (id, lang = 'en') => FIRST_CONTACT.outcomes.find((o) => o.id === id).label[lang];
const CHILD_QUESTIONS = ['child_unaccompanied', 'child_unsuitable_work', 'child_sexual_exploitation'];

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

const openPage = (path = '/checklist.html') => site.openPage(path, { viewport: { width: 1280, height: 900 } });

const question = (page, id) => page.locator(`[data-question="${id}"]`);
/** Ticks the radio or checkbox carrying answer `value` of question `id`. */
const choose = (page, id, value) => question(page, id).locator(`input[value="${value}"]`).check();

async function outcome(page) {
  const box = page.locator('#outcome');
  return {
    level: Number(await box.getAttribute('data-level')),
    id: await box.getAttribute('data-outcome'),
    label: await box.locator('.outcome-label').textContent(),
    text: await box.textContent(),
  };
}

const explanation = (page) => page.locator('#explanation li').allTextContents();
const visibleQuestionIds = (page) =>
  page.locator('#checklist [data-question]').evaluateAll((nodes) => nodes.map((n) => n.dataset.question));

const ADULT_SIGNS = {
  long_hours: 'E.excessive_hours',
  low_or_no_pay: 'E.low_or_no_pay',
  documents_held: 'C.documents_held',
  debt: 'C.debt_bondage',
  deceived_about_job: 'R.deceived_job',
  recruitment_debt_documents: 'R.recruitment_debt_documents',
};

test('a worker clicks through an adult case to level 3; Slovak switches every text', async () => {
  const { page, done } = await openPage('/checklist.html');
  assert.equal(await page.locator('#language').inputValue(), 'en');
  assert.equal(await page.locator('#title').textContent(), FIRST_CONTACT.title.en);

  // Before any answer: nothing recorded, the required age question is flagged.
  assert.deepEqual(await outcome(page), {
    level: 0, id: 'none_recorded', label: outcomeLabel('none_recorded'), text: `Level 0 ${outcomeLabel('none_recorded')}`,
  });
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
  assert.match(result.text, /Level 3/);
  const lines = await explanation(page);
  for (const indicator of Object.values(ADULT_SIGNS)) {
    assert.ok(lines.some((line) => line.includes(indicatorLabel(indicator))), `explanation lists ${indicator}`);
  }
  assert.ok(!lines.some((line) => line.includes(indicatorLabel('C.violence'))), '"no" fires nothing');
  assert.ok((await page.locator('#actions li').count()) > 0);
  assert.equal(await page.locator('#progress-text').getAttribute('data-answered'), '10');
  mkdirSync(join(repo, 'build/screenshots'), { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0)); // the result panel is sticky
  await page.screenshot({ path: screenshot, fullPage: true });

  // Slovak: same answers, every text from the checklist's Slovak translation.
  await page.locator('#language').selectOption('sk');
  const slovak = await outcome(page);
  assert.deepEqual([slovak.level, slovak.id], [3, 'refer']);
  assert.equal(slovak.label, outcomeLabel('refer', 'sk'));
  assert.notEqual(slovak.label, result.label);
  assert.equal(await page.locator('#title').textContent(), FIRST_CONTACT.title.sk);
  assert.equal(await age.locator('.question-label').textContent(), questionDef('age_group').label.sk);
  assert.equal(await question(page, 'debt').locator('label.option').first().textContent(), ' Áno');
  assert.equal(await age.locator('input[value="adult"]').isChecked(), true, 'answers survive the switch');
  assert.equal(await question(page, 'debt').locator('input[value="yes"]').isChecked(), true);
  const slovakLines = await explanation(page);
  for (const indicator of Object.values(ADULT_SIGNS)) {
    assert.ok(slovakLines.some((line) => line.includes(indicatorLabel(indicator, 'sk'))), `sk explanation lists ${indicator}`);
  }
  assert.match(await page.locator('#review').textContent(), /native speaker/);
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'sk', 'a reload keeps the language');

  // Un-ticking a sign (Clear returns a question to unanswered) lowers the result again.
  await question(page, 'recruitment_debt_documents').locator('button.clear').click();
  assert.equal(await question(page, 'recruitment_debt_documents').locator('input:checked').count(), 0);
  assert.equal((await outcome(page)).level, 2);
  await done();
});

test('a possible child shows the child section; hiding it drops its signs from the result', async () => {
  // ?lang= picks the starting language.
  const { page, done } = await openPage('/checklist.html?lang=sk');
  assert.equal(await page.locator('#language').inputValue(), 'sk');
  assert.equal((await outcome(page)).label, outcomeLabel('none_recorded', 'sk'));
  await page.locator('#language').selectOption('en');

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

test('the two pages link to each other', async () => {
  const { page, done } = await openPage('/');
  await page.locator('nav.pages a[href="checklist.html"]').click();
  await waitReady(page);
  assert.equal(new URL(page.url()).pathname, '/checklist.html');
  assert.equal(await page.locator('#outcome').getAttribute('data-level'), '0');
  await page.locator('nav.pages a[href="index.html"]').click();
  await waitReady(page);
  assert.equal(new URL(page.url()).pathname, '/index.html');
  assert.equal(await page.locator('#seal').isEnabled(), true);
  await done();
});
