// The web app's interface text (web/app/js/strings.js and its per-language modules in strings/).
// English is the source; every other language must say the same things: the same keys in the same
// order, the same {placeholders}, nothing left empty or as its key. A key missing in a module
// would silently show English, so the modules are imported directly as well as through
// loadLanguage.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const stringsJs = join(repo, 'web/app/js/strings.js');
const stringsDir = join(repo, 'web/app/js/strings');

const strings = await import(pathToFileURL(stringsJs).href);
const { ENGLISH: en, LANGUAGES, UNREVIEWED, direction, loadLanguage, t } = strings;
const EN_KEYS = Object.keys(en);
const OTHERS = LANGUAGES.filter((lang) => lang !== 'en');

const moduleFiles = readdirSync(stringsDir).filter((f) => f.endsWith('.js'));
const MODULES = Object.fromEntries(
  await Promise.all(
    moduleFiles.map(async (f) => [f.slice(0, -3), (await import(pathToFileURL(join(stringsDir, f)).href)).default]),
  ),
);
// The languages whose module exists: a missing one fails its own test, not every other one.
const TRANSLATED = OTHERS.filter((lang) => Object.hasOwn(MODULES, lang));

/** The names of the {placeholders} in a text, sorted (repeats kept). */
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the English table strings.js exports is the one t() serves', () => {
  assert.ok(EN_KEYS.length > 50, `English has ${EN_KEYS.length} keys`);
  for (const key of EN_KEYS) {
    if (placeholders(en[key]).length === 0) assert.equal(t(key, 'en'), en[key], key);
  }
});

test('every language in LANGUAGES except English has a module, and no module is for another', () => {
  assert.equal(LANGUAGES[0], 'en');
  assert.equal(new Set(LANGUAGES).size, LANGUAGES.length, 'LANGUAGES has no repeats');
  assert.deepEqual(Object.keys(MODULES).sort(), [...OTHERS].sort());
  for (const lang of OTHERS) {
    assert.equal(typeof MODULES[lang], 'object', `${lang}.js exports a default object`);
  }
});

test('each language module has every English key: nothing falls back to English', () => {
  for (const lang of TRANSLATED) {
    const missing = EN_KEYS.filter((key) => !Object.hasOwn(MODULES[lang], key));
    assert.deepEqual(missing, [], `${lang} lacks keys`);
  }
});

test('no language module has a key English does not have', () => {
  for (const lang of TRANSLATED) {
    const unknown = Object.keys(MODULES[lang]).filter((key) => !Object.hasOwn(en, key));
    assert.deepEqual(unknown, [], `${lang} has unknown keys`);
  }
});

test('each language module lists its keys in the order of the English table', () => {
  for (const lang of TRANSLATED) {
    assert.deepEqual(Object.keys(MODULES[lang]), EN_KEYS, `${lang} key order`);
  }
});

test('each translation has exactly the {placeholders} of the English text', () => {
  for (const lang of TRANSLATED) {
    for (const [key, text] of Object.entries(MODULES[lang])) {
      if (!Object.hasOwn(en, key)) continue;
      assert.deepEqual(placeholders(text), placeholders(en[key]), `${lang} ${key}: ${text}`);
    }
  }
});

test('no text, in any language, is empty or its own key', () => {
  for (const [lang, table] of [['en', en], ...Object.entries(MODULES)]) {
    for (const [key, text] of Object.entries(table)) {
      assert.equal(typeof text, 'string', `${lang} ${key}`);
      assert.notEqual(text.trim(), '', `${lang} ${key} is empty`);
      assert.notEqual(text, key, `${lang} ${key} is its key`);
    }
  }
});

test('loadLanguage makes t() serve each language its own text, with placeholders filled', async () => {
  for (const lang of TRANSLATED) {
    await loadLanguage(lang);
    for (const key of EN_KEYS) {
      const vars = Object.fromEntries(placeholders(en[key]).map((name) => [name, `<${name}>`]));
      const expected = MODULES[lang][key].replace(/\{(\w+)\}/g, (_, name) => `<${name}>`);
      assert.equal(t(key, lang, vars), expected, `${lang} ${key}`);
    }
  }
  assert.equal(t('app.lock', 'xx'), en['app.lock'], 'an unknown language falls back to English');
});

test('Arabic is written right to left and every other interface language left to right', () => {
  assert.equal(direction('ar'), 'rtl');
  assert.equal(direction('ar-EG'), 'rtl');
  for (const lang of LANGUAGES.filter((l) => l !== 'ar')) assert.equal(direction(lang), 'ltr', lang);
});

test('UNREVIEWED names every non-English language, and not English', () => {
  assert.deepEqual([...UNREVIEWED].sort(), [...OTHERS].sort());
  assert.ok(!UNREVIEWED.has('en'));
});
