// The first-contact checklist page in a real Chromium, clicked through as a frontline worker
// would: the result must follow every answer, skip logic must show and hide the child section,
// the language picker must switch every text, and the page must not talk to anything but its own
// origin. Expected texts are read from core/checklists/first-contact.json.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const { chromium } = await import(
  pathToFileURL(join(repo, 'tools/node_modules/playwright-core/index.mjs')).href
);

const siteDir = join(repo, 'web-demo');
// Lets the page be tested against the very package the Node tests load.
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(siteDir, 'pkg');
const screenshot = join(repo, 'build/screenshots/checklist-page.png');

const FIRST_CONTACT = JSON.parse(readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8'));
const questionDef = (id) => FIRST_CONTACT.sections.flatMap((s) => s.questions).find((q) => q.id === id);
const indicatorLabel = (id, lang = 'en') => FIRST_CONTACT.indicators.find((i) => i.id === id).label[lang];
const outcomeLabel = (id, lang = 'en') => FIRST_CONTACT.outcomes.find((o) => o.id === id).label[lang];
const CHILD_QUESTIONS = ['child_unaccompanied', 'child_unsuitable_work', 'child_sexual_exploitation'];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Maps a URL path to a file under the site (or the package for /pkg/), or null if outside. */
function fileFor(urlPath) {
  const path = normalize(decodeURIComponent(urlPath));
  const [root, rest] = path.startsWith('/pkg/')
    ? [pkgDir, path.slice('/pkg/'.length)]
    : [siteDir, path === '/' ? 'index.html' : path.slice(1)];
  const file = join(root, rest);
  return file.startsWith(root + sep) ? file : null;
}

let server;
let origin;
let browser;

before(async () => {
  server = createServer((req, res) => {
    const urlPath = new URL(req.url, 'http://x').pathname;
    // Chromium asks for a favicon on its own; a 404 would show up as a console error.
    if (urlPath === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = fileFor(urlPath);
    if (!file || !existsSync(file) || !MIME[extname(file)]) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)], 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve) ?? resolve());
});

/** Waits until the page's wasm core is loaded (body[data-ready]) or its error box shows. */
async function waitReady(page) {
  await page.locator('body[data-ready="true"], #error:not([hidden])').first().waitFor();
  assert.equal(
    await page.evaluate(() => document.body.dataset.ready),
    'true',
    `wasm core failed to load: ${await page.locator('#error').textContent()}`,
  );
}

/**
 * Opens `path` in a fresh context, recording every request and every page error, and waits until
 * the page is ready. Call `done()` at the end to check what was recorded.
 */
async function openPage(path = '/checklist.html') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  const problems = [];
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // CSP violations and failed loads surface only as console errors.
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  await page.goto(`${origin}${path}`);
  await waitReady(page);
  const done = async () => {
    await context.close();
    assert.ok(requests.some((url) => url.endsWith('/pkg/indicia_bg.wasm')), 'the wasm core was loaded');
    const foreign = requests.filter((url) => new URL(url).origin !== origin);
    assert.deepEqual(foreign, [], 'every request stays on the page origin');
    assert.deepEqual(problems, []);
  };
  return { page, done };
}

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
