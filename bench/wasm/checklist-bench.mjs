#!/usr/bin/env node
// Checklist engine benchmark through the wasm package under Node (docs/benchmarks.md): the same
// operations as the criterion benchmark (core/benches/checklist.rs) on the same fixture
// (core/benches/fixtures/bench-100.json, written by bench/make-fixture.py), through the JS API
// that the web page uses. Quality bar: one answer change + assessment < 250 µs.
//
//   node bench/wasm/checklist-bench.mjs [--iterations N] [--profile]
//
// INDICIA_WASM_PKG: the package folder (default build/wasm/pkg, built by scripts/build-wasm).
// --profile: also samples the answer+assessment loop with V8's CPU profiler (node:inspector)
// and splits the time between wasm code, wasm-bindgen's JS glue and garbage collection. With a
// package whose wasm keeps its `name` section, wasm time is split further by Rust function.
// No dependencies.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const indicia = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
indicia.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
const { ChecklistSession } = indicia;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
};
const ITERATIONS = option('--iterations', 20000);
const PROFILE = args.includes('--profile');
const TARGET_US = 250;
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 2) {
  console.error('usage: node bench/wasm/checklist-bench.mjs [--iterations N (>= 2)] [--profile]');
  process.exit(2);
}

const fixtures = join(repo, 'core/benches/fixtures');
const FIXTURE = readFileSync(join(fixtures, 'bench-100.json'), 'utf8');
const ANSWERS = readFileSync(join(fixtures, 'bench-100.answers.json'), 'utf8');
const FIRST_CONTACT = readFileSync(join(repo, 'core/checklists/first-contact.json'), 'utf8');
// "no" hides the two recruitment sections; the outcome moves between "refer" and "consult".
const TOGGLED = 'recruited';

function fail(message) {
  console.error(`checklist-bench: ${message}`);
  process.exit(1);
}

/** A session on the fixture with the saved answers, checked to behave as the fixture says. */
function session() {
  const s = ChecklistSession.fromJson(FIXTURE, 'en');
  s.restoreAnswers(ANSWERS);
  const state = (value) => {
    s.answer(TOGGLED, value);
    const a = s.assessment();
    return { visible: s.progress().visible, fired: a.fired.length, outcome: a.outcome.id };
  };
  const yes = state('yes');
  const no = state('no');
  if (yes.outcome !== 'refer' || no.outcome !== 'consult') {
    fail(`unexpected outcomes: ${JSON.stringify({ yes, no })}`);
  }
  if (yes.visible < no.visible + 20 || yes.fired <= no.fired) {
    fail(`toggling ${TOGGLED} changes too little: ${JSON.stringify({ yes, no })}`);
  }
  return { s, yes, no };
}

/** Median, p99 and minimum of per-call times in µs. */
function stats(times) {
  const sorted = Float64Array.from(times).sort();
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { iterations: sorted.length, median: at(0.5), p99: at(0.99), min: sorted[0] };
}

/**
 * Times `fn(i)` per call after a warm-up (an even number of calls, so that alternation by `i`
 * goes on unbroken); returns statistics in µs and the raw times.
 */
function measure(iterations, fn) {
  const warmup = 2 * Math.ceil(Math.max(100, iterations / 10) / 2);
  for (let i = 0; i < warmup; i++) fn(i);
  const times = new Float64Array(iterations);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    fn(i);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const total = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return {
    ...stats(times),
    mean: total / iterations,
    // CPU time of the whole process (V8's helper threads included) per call: unlike wall time,
    // it does not grow when other processes take the CPU away.
    cpu: (cpu.user + cpu.system) / iterations,
    times,
  };
}

const yesNo = (i) => (i % 2 === 0 ? 'yes' : 'no');
const { s: benchSession, yes: stateYes, no: stateNo } = session();
const describe = (st) => `${st.outcome}, ${st.visible} visible, ${st.fired} fired`;
let sink = 0; // keeps results alive so nothing is optimised away

const results = [];
const run = (name, iterations, fn) => {
  const r = measure(iterations, fn);
  results.push({ name, ...r });
  return r;
};

// The quality bar. Calls alternate between two states whose results differ in size, so the
// overall median falls between two clusters; each direction is also reported on its own.
const quality = run('answer_change_reassess', ITERATIONS, (i) => {
  benchSession.answer(TOGGLED, yesNo(i));
  sink += benchSession.assessment().fired.length;
});
const directions = [
  { name: '  of which: no -> yes', parity: 0, note: describe(stateYes) },
  { name: '  of which: yes -> no', parity: 1, note: describe(stateNo) },
].map((d) => ({ ...d, ...stats(quality.times.filter((_, i) => i % 2 === d.parity)) }));
results.push(...directions);
run('visibility_only', ITERATIONS, (i) => {
  benchSession.answer(TOGGLED, yesNo(i));
});
// In the "yes" state: the larger of the two results.
benchSession.answer(TOGGLED, 'yes');
run('assessment_only', ITERATIONS, () => {
  sink += benchSession.assessment().fired.length;
});
const loads = Math.max(50, Math.floor(ITERATIONS / 100));
run('load_builtin_first_contact', loads, () => {
  ChecklistSession.fromJson(FIRST_CONTACT, 'en').free();
});
run('load_bench_100', loads, () => {
  ChecklistSession.fromJson(FIXTURE, 'en').free();
});

const fmt = (us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
console.log(`wasm package: ${pkgDir}`);
console.log(
  `node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} ` +
    `on ${os.cpus().length} CPUs; wall times per call after warm-up, and process CPU time per call\n`,
);
console.log(
  `${'benchmark'.padEnd(28)}${'iterations'.padStart(11)}${'median'.padStart(12)}` +
    `${'p99'.padStart(12)}${'mean'.padStart(12)}${'min'.padStart(12)}${'CPU/call'.padStart(12)}`,
);
const cell = (us) => (us === undefined ? '' : fmt(us)).padStart(12);
for (const r of results) {
  console.log(
    `${r.name.padEnd(28)}${String(r.iterations).padStart(11)}${cell(r.median)}${cell(r.p99)}` +
      `${cell(r.mean)}${cell(r.min)}${cell(r.cpu)}${r.note ? `  (${r.note})` : ''}`,
  );
}
// Judged on the slower direction's median; p99 is reported, not judged (GC pauses and other
// processes on the machine dominate it).
const worst = Math.max(...directions.map((d) => d.median));
const verdict = worst < TARGET_US ? 'PASS' : 'FAIL';
console.log(
  `\nanswer_change_reassess: median ${fmt(quality.median)} (slower direction ${fmt(worst)}), ` +
    `mean ${fmt(quality.mean)}, p99 ${fmt(quality.p99)}; target < ${TARGET_US} µs: ${verdict}`,
);

if (PROFILE) await profile();
if (sink < 0) console.log(sink);

/**
 * Samples the answer+assessment loop with V8's profiler and attributes every sample to one
 * bucket by its stack: garbage collection; JS glue that wasm calls (serde-wasm-bindgen and
 * wasm-bindgen building JS objects and strings, with the V8 built-ins they call); the JS
 * wrappers around the exported methods; and wasm code, split by Rust function when the wasm
 * has a `name` section.
 */
async function profile() {
  const { Session } = await import('node:inspector/promises');
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 50 });
  await inspector.post('Profiler.start');
  const started = process.hrtime.bigint();
  let i = 0;
  while (process.hrtime.bigint() - started < 3_000_000_000n) {
    benchSession.answer(TOGGLED, yesNo(i++));
    sink += benchSession.assessment().fired.length;
  }
  const { profile: p } = await inspector.post('Profiler.stop');
  inspector.disconnect();

  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => n.callFrame.functionName;
  const inWasm = (n) => n.callFrame.url.startsWith('wasm://');
  const trampoline = (n) => /^(wasm-to-js|js-to-wasm)/.test(name(n));
  const isWasm = (n) => inWasm(n) && !trampoline(n);
  const isGlue = (n) => n.callFrame.url.endsWith('/indicia.js') || (inWasm(n) && trampoline(n));
  const named = p.nodes.some((n) => isWasm(n) && !/^\$?func\d+$|^wasm-function\[/.test(name(n)));
  const buckets = new Map();
  const add = (bucket, us) => buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);

  const classify = (leafId) => {
    const leaf = nodes.get(leafId);
    if (name(leaf) === '(garbage collector)') return 'garbage collection';
    if (['(program)', '(idle)', '(root)'].includes(name(leaf))) return 'V8 other';
    const stack = [];
    for (let id = leafId; id !== undefined; id = parent.get(id)) stack.push(nodes.get(id));
    const first = stack.findIndex((n) => isWasm(n) || isGlue(n));
    if (first < 0) return 'benchmark loop';
    if (!isWasm(stack[first])) {
      return stack.slice(first).some(isWasm)
        ? 'JS glue called from wasm (creating JS strings/objects, V8 built-ins)'
        : 'JS wrappers of the exported methods';
    }
    if (!named) return 'wasm code (Rust evaluation + serialisation; no name section to split)';
    const wasmNames = stack.filter(isWasm).map(name);
    const any = (re) => wasmNames.some((f) => re.test(f));
    if (any(/serde_wasm_bindgen.*ser::|static_str_to_js|ObjectExt/)) {
      return 'wasm: serialising the result (serde-wasm-bindgen, Rust side)';
    }
    if (any(/serde_wasm_bindgen.*de::|from_value/)) return 'wasm: reading the JS answer value';
    if (any(/checklist::assess::/)) return 'wasm: Rust assessment (indicia_core::checklist::assess)';
    if (any(/Visibility|session::Session>::answer|answer_json/)) {
      return 'wasm: Rust answer + visibility (indicia_core::checklist::session)';
    }
    if (any(/drop_in_place/)) return 'wasm: freeing the Rust assessment';
    if (any(/^checklistsession_answer/)) {
      return 'wasm: Rust answer + visibility (indicia_core::checklist::session)';
    }
    // With opt-level "z" and LTO, much of both is inlined into the exported method's shim:
    // attribute by the innermost named function instead.
    const inner = wasmNames.slice(0, -1).join(' ');
    if (/js_sys|wasm_bindgen|JsValue/.test(inner)) {
      return 'wasm: serialising the result (serde-wasm-bindgen, Rust side)';
    }
    if (/dlmalloc|alloc::|raw_vec|__rdl_|memcpy|memmove/.test(wasmNames[0] ?? '')) {
      return 'wasm: allocator, inlined callers (assessment or serialisation)';
    }
    return 'wasm: Rust assessment (indicia_core::checklist::assess)';
  };
  let total = 0;
  p.samples.forEach((id, k) => {
    const us = p.timeDeltas[k] ?? 0;
    total += us;
    add(classify(id), us);
  });
  const calls = i;
  console.log(`\nprofile of answer + assessment (${calls} calls, ${(total / 1000).toFixed(0)} ms sampled):`);
  for (const [bucket, us] of [...buckets].sort((a, b) => b[1] - a[1])) {
    const share = ((100 * us) / total).toFixed(1).padStart(5);
    console.log(`  ${share}%  ${fmt(us / calls).padStart(9)}/call  ${bucket}`);
  }
  console.log('  (sampling adds overhead: shares matter more than the per-call figures)');
  if (!named) {
    console.log('  (to split wasm time by Rust function, use a package whose wasm keeps its name');
    console.log('   section: see docs/benchmarks.md, "Profiling the wasm build")');
  }
}
