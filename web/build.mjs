// Assembles the web front end into build/web/ (scripts/build-web runs this after scripts/build-wasm):
//
//   build/web/app/         the field app and the widget's frame, as served from the widget origin:
//                          web/app + the wasm package (pkg/) + the passphrase strength estimator
//                          and the QR decoder (vendor/) + sw.js, the service worker with its precache list
//   build/web/integrity.txt  Subresource Integrity hashes (sha384) of every file, for a deployment
//                          that pins them (docs/web.md)
//
// Usage: node web/build.mjs WASM_PKG_DIR OUT_DIR
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const [pkgDir, outDir] = process.argv.slice(2);
if (!pkgDir || !outDir) {
  console.error('usage: node web/build.mjs WASM_PKG_DIR OUT_DIR');
  process.exit(2);
}
const repo = fileURLToPath(new URL('../', import.meta.url));
const tools = createRequire(join(repo, 'tools/node_modules/'));
const esbuild = tools('esbuild');
const { injectManifest } = tools('workbox-build');

const app = join(outDir, 'app');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
cpSync(join(repo, 'web/app'), app, { recursive: true });
// The loader NGO pages include, served from the widget's origin beside the frame it loads.
cpSync(join(repo, 'web/widget'), join(app, 'widget'), { recursive: true });

// The widget's frame: the same app, marked as embedded (it then waits for its host page and hands
// sealed packages to it) and without the install manifest (a frame is not installed).
const index = readFileSync(join(app, 'index.html'), 'utf8');
const embed = index
  .replace(/\s*<link rel="manifest"[^>]*>/, '')
  .replace(/\s*<link rel="apple-touch-icon"[^>]*>/, '')
  .replace('<body data-screen="loading">', '<body data-screen="loading" data-mode="embed">');
if (embed === index || !embed.includes('data-mode="embed"')) throw new Error('web/app/index.html: the markers embed.html is made from moved');
writeFileSync(join(app, 'embed.html'), embed);

// The wasm package: only what a browser loads (the .d.ts files are for the npm package).
mkdirSync(join(app, 'pkg'));
for (const file of ['indicia.js', 'indicia_bg.wasm']) cpSync(join(pkgDir, file), join(app, 'pkg', file));

// zxcvbn-ts, the passphrase strength estimator the core's policy calls in the browser: one
// self-contained module the store worker imports only when a store is made without a passkey.
await esbuild.build({
  entryPoints: [join(repo, 'web/src/strength.mjs')],
  bundle: true,
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  nodePaths: [join(repo, 'tools/node_modules')],
  outfile: join(app, 'vendor/strength.js'),
});

// jsQR, the QR decoder that reads a unit card from the camera or a photo (web/src/qr.mjs): one
// module that web/app/js/qr.js imports only when the worker scans a code.
await esbuild.build({
  entryPoints: [join(repo, 'web/src/qr.mjs')],
  bundle: true,
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  nodePaths: [join(repo, 'tools/node_modules')],
  outfile: join(app, 'vendor/qr.js'),
});

// The service worker: Workbox's modules bundled into one classic script, then the precache list
// (every file with a content revision) written in where it says self.__WB_MANIFEST.
const swSource = join(outDir, 'sw.bundle.js');
await esbuild.build({
  entryPoints: [join(repo, 'web/src/sw.js')],
  bundle: true,
  format: 'iife',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  nodePaths: [join(repo, 'tools/node_modules')],
  define: { 'process.env.NODE_ENV': '"production"' },
  outfile: swSource,
});
const { count, size, warnings } = await injectManifest({
  swSrc: swSource,
  swDest: join(app, 'sw.js'),
  globDirectory: app,
  globPatterns: ['**/*.{html,js,css,wasm,webmanifest,json,svg,png}'],
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
