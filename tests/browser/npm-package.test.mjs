// The npm package @indicia/web as web/build.mjs assembles it (build/web/npm): its exports resolve,
// the widget's hand-written TypeScript declarations type-check the way an NGO page uses them (and
// catch a misspelt event detail), `npm pack` would publish exactly the loader, its types, the
// built app and the SRI list, and the Vite example was built from it. No browser is needed here;
// widget-vite.test.mjs runs the example in Chromium.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { repo } from './support.mjs';

const web = join(repo, 'build/web');
const npm = join(web, 'npm');
const tsc = join(repo, 'tools/node_modules/typescript/bin/tsc');
let project; // a directory with node_modules/@indicia/web linked to the package, as npm installs a file: dependency

before(() => {
  assert.ok(existsSync(join(npm, 'package.json')), `${npm} is built (scripts/build-web)`);
  project = mkdtempSync(join(tmpdir(), 'indicia-npm-'));
  mkdirSync(join(project, 'node_modules/@indicia'), { recursive: true });
  symlinkSync(npm, join(project, 'node_modules/@indicia/web'), 'dir');
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

const filesUnder = (dir) => {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
};

function typecheck(source, name) {
  const file = join(project, name);
  copyFileSync(source, file);
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'bundler', '--lib', 'es2022,dom,dom.iterable', file];
  return spawnSync(process.execPath, [tsc, ...args], { cwd: project, encoding: 'utf8' });
}

test('package.json: @indicia/web at the workspace version, ES module, exports with types, the loader kept as a side effect', () => {
  const manifest = JSON.parse(readFileSync(join(npm, 'package.json'), 'utf8'));
  const workspace = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/\[workspace\.package\][^[]*?^version = "([^"]+)"/m)[1];
  assert.equal(manifest.name, '@indicia/web');
  assert.equal(manifest.version, workspace);
  assert.equal(manifest.type, 'module');
  assert.deepEqual(manifest.exports['./widget'], { types: './widget/indicia-widget.d.ts', default: './widget/indicia-widget.js' });
  assert.deepEqual(manifest.sideEffects, ['./widget/indicia-widget.js']);
  // Node resolves the subpaths an NGO uses, through the exports map.
  const require = createRequire(join(project, 'page.js'));
  assert.equal(require.resolve('@indicia/web/widget'), join(npm, 'widget/indicia-widget.js'));
  assert.equal(require.resolve('@indicia/web/app/embed.html'), join(npm, 'app/embed.html'));
  assert.equal(require.resolve('@indicia/web/app/pkg/indicia_store_bg.wasm'), join(npm, 'app/pkg/indicia_store_bg.wasm'));
  assert.throws(() => require.resolve('@indicia/web/widget/indicia-widget.d.ts'), /ERR_PACKAGE_PATH_NOT_EXPORTED|not defined by "exports"/);
});

test('the widget declarations type-check an NGO page in TypeScript, and reject a misspelt detail', () => {
  const good = typecheck(join(repo, 'tests/browser/types/widget-usage.ts'), 'usage.ts');
  assert.equal(good.status, 0, good.stdout + good.stderr);

  const misspelt = join(project, 'misspelt.src.ts');
  writeFileSync(
    misspelt,
    "import '@indicia/web/widget';\n" +
      "document.querySelector('indicia-report')?.addEventListener('indicia-sealed', (e) => console.log(e.detail.pakage));\n",
  );
  const bad = typecheck(misspelt, 'misspelt.ts');
  assert.notEqual(bad.status, 0, 'a misspelt detail must not type-check');
  assert.match(bad.stdout, /Property 'pakage' does not exist on type 'IndiciaSealedDetail'/);
});

test('npm pack publishes the loader, its types, the built app and integrity.txt, and nothing else', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: npm, encoding: 'utf8' }));
  const files = packed.files.map((f) => f.path).sort();
  const expected = [
    'README.md',
    'integrity.txt',
    'package.json',
    'widget/indicia-widget.d.ts',
    'widget/indicia-widget.js',
    ...filesUnder(join(web, 'app')).map((f) => `app/${f}`),
  ].sort();
  assert.deepEqual(files, expected);
  for (const must of ['app/embed.html', 'app/index.html', 'app/store-worker.js', 'app/pkg/indicia_store.js', 'app/pkg/indicia_store_bg.wasm', 'app/pkg/indicia_checklist.js', 'app/pkg/indicia_checklist_bg.wasm', 'app/vendor/strength.js', 'app/sw.js', 'app/manifest.webmanifest', 'app/config.json', 'app/widget/indicia-widget.js']) {
    assert.ok(files.includes(must), `the package has ${must}`);
  }
  assert.deepEqual(files.filter((f) => /\.map$|(^|\/)tests?\/|\.test\.|node_modules/.test(f)), [], 'no source maps, tests or node_modules');
  // The app ships the store's module; the full one (with the exports no page calls) stays out.
  assert.deepEqual(files.filter((f) => /^app\/pkg\/indicia(_bg\.wasm|\.js)$/.test(f)), [], 'the full wasm module is not shipped');
  assert.deepEqual(files.filter((f) => f.endsWith('.d.ts')), ['widget/indicia-widget.d.ts'], 'no .d.ts of internal modules');
  // The README is for npm users: the NGO part of docs/web.md, nothing about this repository's tests.
  const readme = readFileSync(join(npm, 'README.md'), 'utf8');
  assert.match(readme, /## For an NGO web team: deploy the widget/);
  assert.match(readme, /### With a bundler \(Vite\)/);
  assert.doesNotMatch(readme, /What the tests verify|<!--/);
  console.log(`# @indicia/web ${packed.version}: ${packed.entryCount} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
  assert.ok(packed.size < 4_000_000, `packed size ${packed.size}`);
});

test('the loader is the one the widget origin serves, and integrity.txt pins it', () => {
  const loader = readFileSync(join(npm, 'widget/indicia-widget.js'));
  assert.deepEqual(loader, readFileSync(join(npm, 'app/widget/indicia-widget.js')));
  assert.deepEqual(loader, readFileSync(join(repo, 'web/widget/indicia-widget.js')));
  const sri = `sha384-${createHash('sha384').update(loader).digest('base64')}`;
  assert.ok(readFileSync(join(npm, 'integrity.txt'), 'utf8').includes(`${sri}  widget/indicia-widget.js\n`));
});

test('the Vite example pins the tools’ Vite and was built from the package: the loader bundled, the widget origin left to fill in', () => {
  const example = JSON.parse(readFileSync(join(repo, 'web/examples/vite/package.json'), 'utf8'));
  const tools = JSON.parse(readFileSync(join(repo, 'tools/package.json'), 'utf8'));
  assert.equal(example.devDependencies.vite, tools.dependencies.vite);
  assert.match(example.devDependencies.vite, /^\d+\.\d+\.\d+$/, 'an exact version');
  assert.equal(example.dependencies['@indicia/web'], 'file:../../../build/web/npm');

  const built = join(web, 'examples/vite');
  const html = readFileSync(join(built, 'index.html'), 'utf8');
  assert.match(html, /src="%WIDGET_ORIGIN%\/embed\.html"/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script (the site CSP allows none)');
  const scripts = readdirSync(join(built, 'assets')).filter((f) => f.endsWith('.js'));
  assert.equal(scripts.length, 1);
  const bundle = readFileSync(join(built, 'assets', scripts[0]), 'utf8');
  assert.match(bundle, /customElements\.define\("indicia-report"/, 'the loader is in the bundle');
  assert.doesNotMatch(bundle, /@indicia\/web/, 'no import left unresolved');
});
