// The checklist-only wasm package (build/wasm/pkg-checklist, indicia-wasm without its `store`
// feature): what a page loads before its first question. It must offer the checklist exports of
// the full package under the same names and give the same results, and carry none of the store,
// sealing or SQLite (issue #13's size budget depends on it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const checklistDir = process.env.INDICIA_WASM_CHECKLIST_PKG ?? join(repo, 'build/wasm/pkg-checklist');

const full = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
full.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
const wasmBytes = readFileSync(join(checklistDir, 'indicia_checklist_bg.wasm'));
const only = await import(pathToFileURL(join(checklistDir, 'indicia_checklist.js')).href);
only.initSync({ module: wasmBytes });

const CHECKLIST_EXPORTS = ['ChecklistSession', 'builtinChecklists', 'validateChecklist'];
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
function run(pkg, language) {
  const s = pkg.ChecklistSession.fromBuiltin('first-contact', language);
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
    'generateIdentity', 'unitCardFingerprint', 'installBrowserStorage']) {
    assert.equal(only[name], undefined, `${name} is exported`);
    assert.equal(typeof full[name], 'function', `${name} missing from the full package`);
  }
  const methods = (pkg) => Object.getOwnPropertyNames(pkg.ChecklistSession.prototype)
    .filter((m) => m !== 'constructor' && !m.startsWith('__') && m !== 'free').sort();
  assert.deepEqual(methods(only), SESSION_METHODS);
  assert.deepEqual(methods(only), methods(full));
  const d = readFileSync(join(checklistDir, 'indicia_checklist.d.ts'), 'utf8');
  assert.match(d, /export class ChecklistSession/);
  assert.doesNotMatch(d, /class CaseStore|function sealReport/);
});

test('the module carries no SQLite: none of its entry points is exported', () => {
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasmBytes)).map((e) => e.name);
  assert.ok(exports.includes('checklistsession_answer'));
  assert.deepEqual(exports.filter((n) => /sqlite/i.test(n)), []);
});

test('first-contact gives the same views and assessment as through the full package', () => {
  assert.deepEqual(only.builtinChecklists(), full.builtinChecklists());
  for (const language of ['en', 'uk']) {
    const a = run(only, language);
    assert.deepEqual(a, run(full, language), language);
    assert.equal(a.assessment.outcome.level, 3, 'the Delphi adult set is level 3');
    assert.ok(a.visible.length > a.first.length - 3);
    assert.deepEqual(JSON.parse(a.answers).age_group, 'adult');
  }
});

test('every built-in checklist loads, and answers saved by one package restore in the other', () => {
  for (const id of only.builtinChecklists()) {
    const s = only.ChecklistSession.fromBuiltin(id, 'en');
    assert.equal(s.info().id, id);
    s.free();
  }
  const saved = full.ChecklistSession.fromBuiltin('first-contact', 'en');
  for (const [id, value] of Object.entries(ADULT_REFER)) saved.answer(id, value);
  const restored = only.ChecklistSession.fromBuiltin('first-contact', 'en');
  restored.restoreAnswers(saved.answersJson());
  assert.deepEqual(restored.assessment(), saved.assessment());
});

test('errors keep their kind: an unknown checklist, a refused answer, a broken definition', () => {
  const kindOf = (fn) => {
    try {
      fn();
    } catch (error) {
      assert.equal(error.name, 'IndiciaError');
      return error.kind;
    }
    return 'no error';
  };
  assert.equal(kindOf(() => only.ChecklistSession.fromBuiltin('no-such-checklist', 'en')), 'UnknownChecklist');
  const s = only.ChecklistSession.fromBuiltin('first-contact', 'en');
  assert.equal(kindOf(() => s.answer('age_group', 'not-a-choice')), 'InvalidAnswer');
  assert.equal(kindOf(() => only.validateChecklist('{"format": 1}', 'en')), 'InvalidChecklist');
});
