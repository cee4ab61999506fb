// The wasm package's .d.ts is generated (tsify from the core's types, wasm-bindgen for the
// operations): it must compile, and a typical app (types/usage.ts) must type-check against it.
// A record that lost a field or an enum that lost a value fails here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = process.env.INDICIA_WASM_PKG ?? join(repo, 'build/wasm/pkg');
const tsc = join(repo, 'tools/node_modules/typescript/bin/tsc');

function typecheck(usage) {
  const dir = mkdtempSync(join(tmpdir(), 'indicia-dts-'));
  try {
    copyFileSync(join(pkgDir, 'indicia.d.ts'), join(dir, 'indicia.d.ts'));
    copyFileSync(usage, join(dir, 'usage.ts'));
    const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022',
      '--moduleResolution', 'bundler', '--lib', 'esnext,dom', join(dir, 'usage.ts')];
    return spawnSync(process.execPath, [tsc, ...args], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the generated .d.ts and a typical app using its records and enums type-check', () => {
  const result = typecheck(join(repo, 'tests/node/types/usage.ts'));
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('the type check catches a misuse (a status the core does not have)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'indicia-misuse-'));
  try {
    const bad = join(dir, 'bad.ts');
    writeFileSync(bad, "import type { CaseStatus } from './indicia.js';\nconst s: CaseStatus = 'archived';\nconsole.log(s);\n");
    const result = typecheck(bad);
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /'"archived"' is not assignable to type 'CaseStatus'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
