// A receiving unit driven through the native CLI (not a test file itself; the Node and Chromium
// tests share it): its identity, its encrypted receiver database, its card, the trust list,
// ingesting packages and issuing receipts. A missing CLI is a failure, not a skip.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The native CLI (scripts/test sets INDICIA_CLI; by hand, the shared cargo target dir). */
export const cli =
  process.env.INDICIA_CLI ??
  join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/indicia/target'), 'debug/indicia');

/** Runs the CLI; returns stdout as text. A failure throws with the CLI's stderr in the message. */
export function runCli(args) {
  try {
    return execFileSync(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (err) {
    throw new Error(`indicia ${args.join(' ')} failed (${err.status}): ${err.stderr ?? err.message}`);
  }
}

/**
 * Sets up a receiving unit called `name` in `dir` (created if needed): `indicia keygen` (or the
 * identity file `identity`, copied in), then `indicia init`. Returns its recipient, its card (JSON
 * text and parsed) and fingerprint, and the operations the tests need, each one CLI call on the
 * unit's database.
 */
export function receivingUnit(dir, name, { identity } = {}) {
  assert.ok(existsSync(cli), `the CLI is built (${cli}); set INDICIA_CLI or run scripts/build-native`);
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'unit.key');
  const db = join(dir, 'receiver.db');
  const passFile = join(dir, 'passphrase');
  writeFileSync(passFile, 'correct horse battery staple\n', { mode: 0o600 });
  if (identity) writeFileSync(keyFile, readFileSync(identity), { mode: 0o600 });
  else runCli(['keygen', '-o', keyFile]);
  const recipient = readFileSync(keyFile, 'utf8').match(/^# public key: (age1\S+)$/m)?.[1];
  assert.ok(recipient, `${keyFile} names its public key`);
  const withDb = (args) => runCli([...args, '--db', db, '--passphrase-file', passFile]);
  withDb(['init', '-i', keyFile, '--name', name]);
  // The card on stdout; the fingerprint the unit reads out, on stderr.
  const printed = spawnSync(cli, ['unit-card', '--db', db, '--passphrase-file', passFile]);
  assert.equal(printed.status, 0, `indicia unit-card failed: ${printed.stderr}`);
  const cardJson = printed.stdout.toString().trim();
  const fingerprint = printed.stderr.toString().match(/card fingerprint (\d{5} \d{5} \d{5} \d{5})/)?.[1];
  assert.ok(fingerprint, `indicia unit-card shows a fingerprint: ${printed.stderr}`);
  let n = 0;
  return {
    keyFile,
    db,
    recipient,
    cardJson,
    card: JSON.parse(cardJson),
    /** The card's fingerprint as `indicia unit-card` shows it. */
    fingerprint,
    /** Trusts a device's Ed25519 public key (64 hex) for `organisation`. */
    trustDevice: (publicKey, organisation) =>
      withDb(['trust', 'add', '--device', publicKey, '--organisation', organisation]),
    /** Ingests package files; returns the CLI's output. */
    ingest: (...files) => withDb(['ingest', '-i', keyFile, ...files]),
    /** The unit's report list as the CLI prints it. */
    list: () => withDb(['list']),
    /** Every received report, decrypted, as the CLI's JSON export (text). */
    exportJson: () => withDb(['export', '--format', 'json']),
    /** Issues a receipt for `reportId` with `status`; returns the receipt's bytes. */
    receipt: (reportId, status = 'received') => {
      const out = join(dir, `receipt-${++n}.age`);
      withDb(['receipt', reportId, '--status', status, '-o', out]);
      return new Uint8Array(readFileSync(out));
    },
  };
}
