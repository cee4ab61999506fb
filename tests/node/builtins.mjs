// The full wasm package carries no built-in checklist definition (the core without its
// `embedded-checklists` feature: 48 KB gzipped less in the store's module), only their pinned
// content hashes. As the store's worker does with the files beside the app, the tests hand each
// in from core/checklists (builtin-provided.test.mjs tests the hand-over itself).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Provides every built-in checklist's definition to the full package `pkg` (initialised). */
export function provideBuiltins(pkg) {
  for (const id of pkg.builtinChecklists()) {
    pkg.provideBuiltinChecklist(readFileSync(join(repo, 'core/checklists', `${id}.json`), 'utf8'));
  }
}
