// The browser's passphrase strength estimator (strength.mjs beside this file) for code run by
// Node (tests/node, bench/wasm): bundled in memory by esbuild exactly as web/build.mjs bundles it
// for the store worker, then imported, so Node checks the very estimator the browser loads. Needs
// tools/node_modules (scripts/bootstrap).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const esbuild = createRequire(join(repo, 'tools/node_modules/'))('esbuild');

const { outputFiles } = await esbuild.build({
  entryPoints: [join(repo, 'web/src/strength.mjs')],
  bundle: true,
  format: 'esm',
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
  nodePaths: [join(repo, 'tools/node_modules')],
});

/** zxcvbn-ts's score, 0–4, of a passphrase (what the core's policy asks of the browser). */
export const { strength } = await import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].contents).toString('base64')}`);
