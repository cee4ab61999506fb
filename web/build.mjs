// Assembles the web front end into build/web/ (scripts/build-web runs this after scripts/build-wasm):
//
//   build/web/app/         the field app and the widget's frame, as served from the widget origin:
//                          web/app + two wasm modules (pkg/: the checklist-only one the page
//                          loads, the store's one the store worker loads) + the passphrase strength
//                          estimator and the QR decoder (vendor/) + sw.js, the service worker with
//                          its precache list
//   build/web/integrity.txt  Subresource Integrity hashes (sha384) of every file, for a deployment
//                          that pins them (docs/web.md)
//   build/web/npm/         the npm package @indicia/web: the loader with its TypeScript types
//                          (@indicia/web/widget), the app above under app/, integrity.txt, and a
//                          README made from docs/web.md's parts for an NGO web team
//   build/web/examples/vite/  web/examples/vite built by Vite against that package, as an NGO
//                          site with a bundler would (web/serve.mjs serves it at /vite/)
//
// Usage: node web/build.mjs WASM_PKG_DIR OUT_DIR
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error('usage: node web/build.mjs WASM_PKG_DIR OUT_DIR');
  process.exit(2);
}
const repo = fileURLToPath(new URL('../', import.meta.url));
const tools = createRequire(join(repo, 'tools/node_modules/'));
const esbuild = tools('esbuild');
const { injectManifest } = tools('workbox-build');

/** Bundles `entry` (a path in the repository) with what it imports from tools/node_modules into
 * one minified ES module at `outfile`; `options` override esbuild's (a classic script: iife). */
const bundle = (entry, outfile, options = {}) =>
  esbuild.build({
    entryPoints: [join(repo, entry)],
    bundle: true,
    format: 'esm',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    nodePaths: [join(repo, 'tools/node_modules')],
    outfile,
    ...options,
  });

const app = join(outDir, 'app');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
cpSync(join(repo, 'web/app'), app, { recursive: true });
// The loader NGO pages include, served from the widget's origin beside the frame it loads (its
// .d.ts is for the npm package only).
mkdirSync(join(app, 'widget'));
cpSync(join(repo, 'web/widget/indicia-widget.js'), join(app, 'widget/indicia-widget.js'));

// The widget's frame: the same app, marked as embedded (it then waits for its host page and hands
// sealed packages to it) and without the install manifest (a frame is not installed).
const index = readFileSync(join(app, 'index.html'), 'utf8');
const embed = index
  .replace(/\s*<link rel="manifest"[^>]*>/, '')
  .replace(/\s*<link rel="apple-touch-icon"[^>]*>/, '')
  .replace('<body data-screen="loading">', '<body data-screen="loading" data-mode="embed">');
if (embed === index || !embed.includes('data-mode="embed"')) throw new Error('web/app/index.html: the markers embed.html is made from moved');
writeFileSync(join(app, 'embed.html'), embed);

// The wasm modules: only what a browser loads (the .d.ts files are for the npm package).
// The page loads only the checklist-only module (build/wasm/pkg-checklist, beside the full
// package); the store, sealing and SQLite are in the store's module (build/wasm/pkg-store), which
// only the store worker loads. The full package is used here, at build time, and not shipped.
mkdirSync(join(app, 'pkg'));
for (const [dir, name] of [['pkg-store', 'indicia_store'], ['pkg-checklist', 'indicia_checklist']]) {
  for (const file of [`${name}.js`, `${name}_bg.wasm`]) cpSync(join(pkgDir, '..', dir, file), join(app, 'pkg', file));
}

// The built-in checklists. As JSON (checklists/ID.json) for the store's worker, which hands each to
// its module (provideBuiltinChecklist: taken only if its content hash is the pinned one), and
// compiled for the page: one file per language (checklists/ID.LANG.bin,
// docs/formats/compiled-checklist.md), the definition with only the texts a session in that
// language reads (the core's builtin::language_subset), loaded and checked here by the full
// module (compileChecklist) and known by its pinned hash as the built-in checklist itself. The
// page's module runs only compiled checklists: it carries neither the JSON loader nor the
// validator nor the expression compiler (docs/benchmarks.md, "wasm package size: two modules").
const full = await import(pathToFileURL(join(pkgDir, 'indicia.js')).href);
full.initSync({ module: readFileSync(join(pkgDir, 'indicia_bg.wasm')) });
mkdirSync(join(app, 'checklists'));
for (const name of readdirSync(join(repo, 'core/checklists')).filter((n) => n.endsWith('.json'))) {
  cpSync(join(repo, 'core/checklists', name), join(app, 'checklists', name));
  const json = readFileSync(join(repo, 'core/checklists', name), 'utf8');
  const { id, languages } = JSON.parse(json);
  for (const language of languages) {
    const subset = languages.length < 2 ? json : full.checklistLanguageSubset(json, language);
    writeFileSync(join(app, 'checklists', `${id}.${language}.bin`), full.compileChecklist(subset));
  }
}

// zxcvbn-ts, the passphrase strength estimator the core's policy calls in the browser: one
// self-contained module the store worker imports only when a store is made without a passkey.
await bundle('web/src/strength.mjs', join(app, 'vendor/strength.js'));

// jsQR, the QR decoder that reads a unit card from the camera or a photo (web/src/qr.mjs): one
// module that web/app/js/qr.js imports only when the worker scans a code.
await bundle('web/src/qr.mjs', join(app, 'vendor/qr.js'));

// The service worker: Workbox's modules bundled into one classic script, then the precache list
// (every file with a content revision) written in where it says self.__WB_MANIFEST.
const swSource = join(outDir, 'sw.bundle.js');
await bundle('web/src/sw.js', swSource, { format: 'iife', define: { 'process.env.NODE_ENV': '"production"' } });
const { count, size, warnings } = await injectManifest({
  swSrc: swSource,
  swDest: join(app, 'sw.js'),
  globDirectory: app,
  globPatterns: ['**/*.{html,js,css,wasm,webmanifest,json,bin,svg,png}'],
  globIgnores: ['sw.js'],
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
});
rmSync(swSource);
if (warnings.length) throw new Error(`workbox: ${warnings.join('; ')}`);

// Subresource Integrity: what a deployment pins (an NGO page embedding the widget loader, a
// reviewer comparing a served file with the release).
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(app);
const lines = files.map((path) => `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}  ${relative(app, path)}`);
writeFileSync(join(outDir, 'integrity.txt'), `${lines.join('\n')}\n`);
console.log(`web: ${files.length} files in ${app}; ${count} precached (${size} bytes); SRI hashes in ${join(outDir, 'integrity.txt')}`);

// The npm package @indicia/web (docs/web.md, "The npm package"). Its version is the workspace's.
const version = readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/\[workspace\.package\][^[]*?^version = "([^"]+)"/m)?.[1];
if (!version) throw new Error('Cargo.toml: no [workspace.package] version');
const npm = join(outDir, 'npm');
mkdirSync(join(npm, 'widget'), { recursive: true });
for (const file of ['indicia-widget.js', 'indicia-widget.d.ts']) cpSync(join(repo, 'web/widget', file), join(npm, 'widget', file));
cpSync(app, join(npm, 'app'), { recursive: true });
cpSync(join(outDir, 'integrity.txt'), join(npm, 'integrity.txt'));
const widgetEntry = { types: './widget/indicia-widget.d.ts', default: './widget/indicia-widget.js' };
const manifest = {
  name: '@indicia/web',
  version,
  description: 'Indicia web front end: the <indicia-report> widget loader (ES module, TypeScript types) and the app files its own origin serves (frame, field app, store worker, wasm core).',
  type: 'module',
  exports: {
    '.': widgetEntry,
    './widget': widgetEntry,
    './app/*': './app/*',
    './integrity.txt': './integrity.txt',
    './package.json': './package.json',
  },
  types: './widget/indicia-widget.d.ts',
  // Importing the loader defines the custom element: a bundler must keep it.
  sideEffects: ['./widget/indicia-widget.js'],
  files: ['widget/indicia-widget.js', 'widget/indicia-widget.d.ts', 'app/', 'integrity.txt'],
  keywords: ['indicia', 'widget', 'custom-element', 'wasm', 'anti-trafficking'],
  repository: readFileSync(join(repo, 'Cargo.toml'), 'utf8').match(/^repository = "([^"]+)"/m)?.[1],
};
writeFileSync(join(npm, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// Its README: an introduction (web/npm/README.md) and, from docs/web.md, the settings and the part
// for an NGO web team, so the two cannot drift apart. Links into the repository become plain text.
const docs = readFileSync(join(repo, 'docs/web.md'), 'utf8');
const section = (heading) => {
  const start = docs.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/web.md: no section "${heading}"`);
  const end = docs.indexOf('\n## ', start + 1);
  return docs.slice(start + 1, end < 0 ? undefined : end).trim();
};
const readme = readFileSync(join(repo, 'web/npm/README.md'), 'utf8').replaceAll('%VERSION%', version);
const parts = [section('## For an NGO web team: deploy the widget'), section('## Settings (`config.json`)')]
  .join('\n\n')
  .replace(/\[([^\]]+)\]\((?!https?:)[^)]+\)/g, '$1');
const marker = '<!-- docs/web.md: the NGO part is copied here by web/build.mjs -->';
if (!readme.includes(marker)) throw new Error(`web/npm/README.md: the line ${marker} is missing`);
writeFileSync(join(npm, 'README.md'), `${readme.replace(marker, parts).trimEnd()}\n`);
console.log(`npm: @indicia/web ${version} in ${npm}`);

// The Vite example, built as an NGO site with a bundler builds it: `@indicia/web` installed from
// build/web/npm (npm links a file: dependency, as here) and Vite from tools/ (offline). The widget
// origin comes from VITE_INDICIA_ORIGIN at build time; left unset, the page keeps the placeholder
// %WIDGET_ORIGIN%, which web/serve.mjs fills in at serve time like the plain example's.
const viteSrc = join(outDir, 'examples/vite-src');
const viteOut = join(outDir, 'examples/vite');
cpSync(join(repo, 'web/examples/vite'), viteSrc, { recursive: true, filter: (src) => !src.includes('node_modules') });
mkdirSync(join(viteSrc, 'node_modules/@indicia'), { recursive: true });
symlinkSync(npm, join(viteSrc, 'node_modules/@indicia/web'), 'dir');
symlinkSync(join(repo, 'tools/node_modules/vite'), join(viteSrc, 'node_modules/vite'), 'dir');
const vite = spawnSync(process.execPath, [join(viteSrc, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', viteOut, '--emptyOutDir', '--logLevel', 'warn'], {
  cwd: viteSrc,
  env: { ...process.env, VITE_INDICIA_ORIGIN: process.env.VITE_INDICIA_ORIGIN ?? '%WIDGET_ORIGIN%' },
  stdio: 'inherit',
});
if (vite.status !== 0) throw new Error(`vite build of web/examples/vite failed (${vite.status ?? vite.signal})`);
rmSync(viteSrc, { recursive: true, force: true });
console.log(`vite: web/examples/vite built into ${viteOut}`);
