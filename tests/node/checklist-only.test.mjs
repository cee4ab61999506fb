// The checklist-only wasm package (build/wasm/pkg-checklist, indicia-wasm without its `store`
// feature): what a page loads before its first question. It must offer the checklist exports of
// the full package under the same names and give the same results, and carry none of the store,
// sealing, SQLite or built-in definitions (issue #13's size budget depends on it), nor the JSON
// loader: the page runs a built-in checklist from its compiled form (build/web/app/checklists/
// ID.LANG.bin, docs/formats/compiled-checklist.md), which the full module makes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { provideBuiltins } from './builtins.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const checklistDir = process.env.INDICIA_WASM_CHECKLIST_PKG ?? join(repo, 'build/wasm/pkg-checklist');

const full = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
full.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
provideBuiltins(full);
const wasmBytes = readFileSync(join(checklistDir, 'indicia_checklist_bg.wasm'));
const only = await import(pathToFileURL(join(checklistDir, 'indicia_checklist.js')).href);
only.initSync({ module: wasmBytes });

const CHECKLIST_EXPORTS = ['ChecklistSession'];
/** The built-in checklists' definitions, as the web build copies them beside the app. */
const definition = (id) => readFileSync(join(repo, 'core/checklists', `${id}.json`), 'utf8');
/** A session of built-in `id`: by id in the full package, compiled by it in the checklist-only one. */
const start = (pkg, id, language) =>
  pkg === only ? only.ChecklistSession.fromCompiled(full.compileChecklist(definition(id)), language) : pkg.ChecklistSession.fromBuiltin(id, language);
const SESSION_METHODS = ['answer', 'answersJson', 'assessment', 'clear', 'info', 'missingRequired',
  'progress', 'restoreAnswers', 'setCountry', 'visibleQuestions'];

/** The adult answer set that meets the Delphi rule (as in checklist.test.mjs). */
const ADULT_REFER = {
  age_group: 'adult',
  sector: ['construction'],
  long_hours: 'yes',
  low_or_no_pay: 'yes',
  documents_held: 'yes',
  debt: 'yes',
  deceived_about_job: 'yes',
  recruitment_debt_documents: 'yes',
  injuries: 'no',
  threats: 'unknown',
  dependency: 'declined',
};

/** Runs first-contact through one package: every view a page shows along the way. */
function run(pkg, language, json) {
  const s = json ? pkg.ChecklistSession.fromCompiled(full.compileChecklist(json), language) : start(pkg, 'first-contact', language);
  const first = s.visibleQuestions();
  s.setCountry('SK');
  for (const [id, value] of Object.entries(ADULT_REFER)) s.answer(id, value);
  const result = {
    info: s.info(),
    first,
    visible: s.visibleQuestions(),
    progress: s.progress(),
    missing: s.missingRequired(),
    assessment: s.assessment(),
    answers: s.answersJson(),
  };
  s.free();
  return result;
}

test('the checklist-only package exports the checklist names of the full one, and no store or sealing', () => {
  for (const name of CHECKLIST_EXPORTS) assert.equal(typeof only[name], 'function', name);
  for (const name of ['CaseStore', 'sealReport', 'openReport', 'openReceipt', 'seal', 'open',
    'generateIdentity', 'unitCardFingerprint', 'installBrowserStorage', 'builtinChecklists',
    // The JSON loader, validator and expression compiler: the page runs compiled checklists.
    'validateChecklist', 'compileChecklist',
    // Signature checking (signed checklists) is the store's worker's: no Ed25519 on the page.
    'loadChecklist',
    // The web build's per-language files, and the built-ins handed to the store's module.
    'checklistLanguageSubset', 'provideBuiltinChecklist']) {
    assert.equal(only[name], undefined, `${name} is exported`);
    assert.equal(typeof full[name], 'function', `${name} missing from the full package`);
  }
  const methods = (pkg) => Object.getOwnPropertyNames(pkg.ChecklistSession.prototype)
    .filter((m) => m !== 'constructor' && !m.startsWith('__') && m !== 'free').sort();
  assert.deepEqual(methods(only), SESSION_METHODS);
  assert.deepEqual(methods(only), methods(full));
  const statics = (pkg) => Object.getOwnPropertyNames(pkg.ChecklistSession).filter((m) => m.startsWith('from')).sort();
  assert.deepEqual(statics(only), ['fromCompiled']);
  assert.deepEqual(statics(full), ['fromBuiltin', 'fromCompiled', 'fromJson', 'fromJsonTrusted']);
  const d = readFileSync(join(checklistDir, 'indicia_checklist.d.ts'), 'utf8');
  assert.match(d, /export class ChecklistSession/);
  assert.doesNotMatch(d, /class CaseStore|function sealReport/);
});

test('the module carries no SQLite: none of its entry points is exported', () => {
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasmBytes)).map((e) => e.name);
  assert.ok(exports.includes('checklistsession_answer'));
  assert.deepEqual(exports.filter((n) => /sqlite/i.test(n)), []);
});

test('the module carries no built-in checklist: not one of their texts is in its bytes', () => {
  const bytes = wasmBytes.toString('latin1');
  for (const id of full.builtinChecklists()) {
    // A long text of each definition (its title in its default language), as UTF-8 bytes.
    const title = full.ChecklistSession.fromBuiltin(id, 'en').info().title;
    assert.ok(title.length > 20, id);
    assert.equal(bytes.includes(Buffer.from(title, 'utf8').toString('latin1')), false, `${id}'s title is in the module`);
    assert.ok(readFileSync(join(repo, 'core/checklists', `${id}.json`), 'utf8').includes(title), `${id}: the title is the definition's`);
  }
});

test('first-contact gives the same views and assessment as through the full package', () => {
  for (const language of ['en', 'uk']) {
    const a = run(only, language);
    assert.deepEqual(a, run(full, language), language);
    assert.equal(a.assessment.outcome.level, 3, 'the Delphi adult set is level 3');
    assert.ok(a.visible.length > a.first.length - 3);
    assert.deepEqual(JSON.parse(a.answers).age_group, 'adult');
  }
});

test("one language's file of first-contact (checklists/ID.LANG.bin, as the web build writes it) runs as the built-in checklist", () => {
  const whole = definition('first-contact');
  const hash = full.ChecklistSession.fromBuiltin('first-contact', 'en').info().hash;
  for (const language of ['en', 'uk', 'ca']) {
    const subset = full.checklistLanguageSubset(whole, language);
    assert.ok(subset.length < whole.length / 2, `${language}: ${subset.length} of ${whole.length} bytes`);
    const a = run(only, language, subset);
    assert.deepEqual(a, run(only, language), language);
    assert.equal(a.info.hash, hash, 'named by the whole definition\'s hash, as a report names it');
    assert.equal(a.info.provenance, 'built_in');
    assert.equal(a.info.languages.length, 9, 'it still lists every language of the checklist');
  }
  // An altered one is a definition of its own: not built in, and not named by the built-in's hash.
  const doc = JSON.parse(full.checklistLanguageSubset(whole, 'sk'));
  doc.sections[0].questions[0].label.sk = 'Iná otázka';
  const altered = only.ChecklistSession.fromCompiled(full.compileChecklist(JSON.stringify(doc)), 'sk').info();
  assert.equal(altered.provenance, 'unsigned');
  assert.notEqual(altered.hash, hash);
});

test('every built-in checklist loads, and answers saved by one package restore in the other', () => {
  for (const id of full.builtinChecklists()) {
    const s = start(only, id, 'en');
    const reference = full.ChecklistSession.fromBuiltin(id, 'en');
    assert.equal(s.info().id, id);
    assert.equal(s.info().hash, reference.info().hash, `${id}: the checklist the page runs is the definition the store's module runs`);
    s.free();
    reference.free();
  }
  const saved = full.ChecklistSession.fromBuiltin('first-contact', 'en');
  for (const [id, value] of Object.entries(ADULT_REFER)) saved.answer(id, value);
  const restored = start(only, 'first-contact', 'en');
  restored.restoreAnswers(saved.answersJson());
  assert.deepEqual(restored.assessment(), saved.assessment());
});

test('errors keep their kind: an unknown checklist, a refused answer, a broken or damaged checklist', () => {
  const kindOf = (fn) => {
    try {
      fn();
    } catch (error) {
      assert.equal(error.name, 'IndiciaError');
      return error.kind;
    }
    return 'no error';
  };
  assert.equal(kindOf(() => full.ChecklistSession.fromBuiltin('no-such-checklist', 'en')), 'UnknownChecklist');
  const s = start(only, 'first-contact', 'en');
  assert.equal(kindOf(() => s.answer('age_group', 'not-a-choice')), 'InvalidAnswer');
  assert.equal(kindOf(() => full.compileChecklist('{"format": 1}')), 'InvalidChecklist');
  // A compiled checklist cut short, with a byte too many, or not one at all: an error, not a trap.
  const bytes = full.compileChecklist(definition('first-contact'));
  assert.equal(kindOf(() => only.ChecklistSession.fromCompiled(bytes.subarray(0, bytes.length - 1), 'en')), 'InvalidChecklist');
  assert.equal(kindOf(() => only.ChecklistSession.fromCompiled(Uint8Array.of(...bytes, 0), 'en')), 'InvalidChecklist');
  assert.equal(kindOf(() => only.ChecklistSession.fromCompiled(new Uint8Array(0), 'en')), 'InvalidChecklist');
  assert.match(String((() => { try { only.ChecklistSession.fromCompiled(new Uint8Array(0), 'en'); } catch (e) { return e.message; } })()), /not a valid compiled checklist/);
  // The module still works after them.
  assert.equal(only.ChecklistSession.fromCompiled(bytes, 'en').info().id, 'first-contact');
});

test('a shape error: the full module gives serde\'s message at the document, without the JSON path', () => {
  // first-contact with one question's `required` written as a string. Neither module builds the
  // core with `json-paths` (the path is the CLI's: `indicia checklist validate`).
  const doc = JSON.parse(definition('first-contact'));
  doc.sections[0].questions[1].required = 'yes';
  const json = JSON.stringify(doc);
  const messageOf = (pkg) => {
    try {
      pkg.validateChecklist(json, 'en');
    } catch (error) {
      assert.equal(error.kind, 'InvalidChecklist');
      return error.message;
    }
    assert.fail('the definition was accepted');
  };
  const full_ = messageOf(full);
  assert.match(full_, /invalid type: string "yes", expected a boolean/);
  assert.doesNotMatch(full_, /sections\[0\]/, 'neither module carries the JSON-path code');
});
