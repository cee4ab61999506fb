//! Durability under SIGKILL (docs/formats/store.md, "Durability"): a writer process saves
//! answers as fast as it can and prints `committed N` after each save returns; it is killed at
//! a random moment, 30 times. Every save it reported must be there afterwards, at most one
//! unreported save may have landed, the custody log must match the saves exactly (answer and
//! log are one transaction), and SQLite must find the file intact.
//!
//! The writer is core/tests/bin/store_crash_writer.rs, a `[[bin]]` of the core (core/Cargo.toml)
//! that cargo builds for this test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
use std::time::Duration;

use indicia_core::store::{FileBackend, KdfParams, Protection, Store};
use secrecy::SecretString;

const ROUNDS: usize = 30;

/// The writer, a binary of this package: cargo builds it before the integration tests.
fn writer_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_store_crash_writer"))
}

fn pin() -> SecretString {
    SecretString::from("tidal-amber-orchard".to_owned())
}

fn random_millis(low: u64, high: u64) -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).unwrap();
    low + u64::from_le_bytes(bytes) % (high - low + 1)
}

/// A running writer process. Each complete `PREFIX N` line it prints sends N on `progress`;
/// `reader` ends with its stdout and panics on any other complete line.
struct Writer {
    child: Child,
    progress: Receiver<u64>,
    reader: JoinHandle<()>,
}

fn spawn_writer(binary: &Path, db: &Path, args: &[&str], prefix: &'static str) -> Writer {
    let mut child = Command::new(binary)
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, progress) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        loop {
            line.clear();
            match stdout.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                // A line cut off by the kill has no newline: it does not count.
                Ok(_) if line.ends_with('\n') => {
                    let n = line
                        .trim_end()
                        .strip_prefix(prefix)
                        .unwrap_or_else(|| panic!("unexpected output {line:?}"));
                    // The test may have stopped listening; the count is then not needed.
                    let _ = send.send(n.parse::<u64>().unwrap());
                }
                Ok(_) => {}
            }
        }
    });
    Writer {
        child,
        progress,
        reader,
    }
}

impl Writer {
    /// Fails the test if the writer already stopped by itself (with its stderr).
    fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            let mut err = String::new();
            self.child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut err)
                .unwrap();
            panic!("the writer stopped by itself ({status}) before it was killed: {err}");
        }
    }

    /// SIGKILL on Unix (no destructors, no flush, no checkpoint); then the last N it reported
    /// and the test has not taken from `progress` yet, once all its output is read.
    fn kill(mut self) -> Option<u64> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.reader.join().unwrap();
        self.progress.try_iter().last()
    }
}

/// Spawns the save writer, kills it after `wait`, returns the last complete `committed N` line's N.
fn run_and_kill(binary: &Path, db: &Path, wait: Duration) -> Option<u64> {
    let mut writer = spawn_writer(binary, db, &[], "committed ");
    std::thread::sleep(wait);
    writer.assert_running();
    writer.kill()
}

#[test]
fn every_committed_save_survives_sigkill_and_the_database_stays_intact() {
    let binary = writer_binary();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.sqlite");
    {
        let mut store = Store::create(
            Box::new(FileBackend::new(&db)),
            &pin(),
            &Protection::passphrase(KdfParams::TESTING),
        )
        .unwrap();
        store.create_case("crash test", None).unwrap();
    }

    let mut saved = 0u64;
    let mut rounds_with_commits = 0;
    for round in 0..ROUNDS {
        let wait = Duration::from_millis(random_millis(20, 200));
        let reported = run_and_kill(&binary, &db, wait);
        if reported.is_some() {
            rounds_with_commits += 1;
        }

        let mut store = Store::open(Box::new(FileBackend::new(&db))).unwrap_or_else(|e| {
            panic!("round {round}: the store does not open after SIGKILL: {e:?}")
        });
        store.unlock(&pin()).unwrap();
        let cases = store.list_cases().unwrap();
        assert_eq!(cases.len(), 1, "round {round}");
        let id = &cases[0].id;
        let now = store
            .answers(id)
            .unwrap()
            .get("counter")
            .map_or(0, |v| v.as_u64().unwrap());
        // Every reported save is there; at most the one in flight at the kill landed unreported.
        let lower = reported.unwrap_or(saved);
        assert!(
            now >= lower,
            "round {round} (killed after {wait:?}): committed {lower} was reported but {now} survived"
        );
        assert!(
            now <= lower + 1,
            "round {round}: {now} saved but only {lower} reported"
        );
        // The answer and its custody entry committed together: one `answer_saved` per save.
        let log = store.custody_log(id).unwrap();
        assert_eq!(
            log.len() as u64,
            1 + now,
            "round {round}: custody log out of step with the saves"
        );
        saved = now;
        drop(store);

        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
    }
    eprintln!("{saved} saves survived {ROUNDS} kills ({rounds_with_commits} rounds committed)");
    assert!(
        rounds_with_commits >= ROUNDS / 3,
        "only {rounds_with_commits} of {ROUNDS} rounds committed anything: the test proved little"
    );
    assert!(
        saved >= ROUNDS as u64,
        "only {saved} saves in {ROUNDS} rounds"
    );
}

/// Re-keying under SIGKILL (docs/formats/store.md, "Re-key"): a writer re-keys a store of 40
/// cases and a 1 MiB attachment over and over, alternating two passphrases, and is killed at a
/// random moment, 30 times. Each time the store must open with the passphrase of the last
/// re-key it reported or of the one in flight — never neither — and every case, answer, note,
/// custody log and the attachment must be intact.
#[test]
fn a_rekey_killed_at_any_moment_leaves_the_old_key_or_the_new_and_loses_nothing() {
    let binary = writer_binary();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.sqlite");
    let pins = ["tidal-amber-orchard", "copper kettle moonrise"];
    let content: Vec<u8> = (0..1024 * 1024u32).map(|b| (b % 251) as u8).collect();
    {
        let mut store = Store::create(
            Box::new(FileBackend::new(&db)),
            &SecretString::from(pins[0].to_owned()),
            &Protection::passphrase(KdfParams::TESTING),
        )
        .unwrap();
        for i in 0..40 {
            let id = store.create_case(&format!("case {i}"), None).unwrap();
            store
                .save_answer(&id, "age_group", &serde_json::json!("adult"))
                .unwrap();
            store.add_note(&id, &format!("note {i}")).unwrap();
            if i == 0 {
                store
                    .add_attachment(&id, "photo.jpg", "image/jpeg", &content[..])
                    .unwrap();
            }
        }
    }
    // How long one re-key takes here (it depends on the machine and its load): the kills are
    // spread over three re-keys' time from the moment the writer is ready.
    let rekeyer = || spawn_writer(&binary, &db, &["--rekey"], "rekeyed ");
    let per_rekey = {
        let writer = rekeyer();
        let ready = writer
            .progress
            .recv_timeout(Duration::from_secs(120))
            .unwrap();
        assert_eq!(ready, 0);
        let start = std::time::Instant::now();
        while writer
            .progress
            .recv_timeout(Duration::from_secs(120))
            .unwrap()
            < 3
        {}
        writer.kill();
        start.elapsed() / 3
    };
    let mut completed = 0u64;
    let mut rounds_with_rekeys = 0;
    for round in 0..ROUNDS {
        let writer = rekeyer();
        assert_eq!(
            writer
                .progress
                .recv_timeout(Duration::from_secs(120))
                .unwrap(),
            0,
            "round {round}"
        );
        let wait = per_rekey.mul_f64(random_millis(0, 3000) as f64 / 1000.0);
        std::thread::sleep(wait);
        let reported = writer.kill().filter(|&n| n > 0);
        if reported.is_some() {
            rounds_with_rekeys += 1;
        }
        let mut store = Store::open(Box::new(FileBackend::new(&db)))
            .unwrap_or_else(|e| panic!("round {round}: no open after SIGKILL: {e:?}"));
        // Each run starts from whichever passphrase is current; what it reports counts from
        // there, so only the parity is checked: the key is the old one or the new one.
        let opened: Vec<usize> = (0..2)
            .filter(|&i| {
                store
                    .unlock(&SecretString::from(pins[i].to_owned()))
                    .is_ok()
            })
            .collect();
        assert_eq!(
            opened.len(),
            1,
            "round {round}: exactly one passphrase opens"
        );
        completed += reported.unwrap_or(0);
        let cases = store.list_cases().unwrap();
        assert_eq!(cases.len(), 40, "round {round}");
        for case in &cases {
            assert_eq!(
                store.answers(&case.id).unwrap(),
                serde_json::json!({"age_group": "adult"}),
                "round {round}"
            );
            assert_eq!(store.notes(&case.id).unwrap().len(), 1);
            store.custody_log(&case.id).unwrap();
            for a in store.attachments(&case.id).unwrap() {
                let mut read = Vec::new();
                store.read_attachment(&case.id, &a.id, &mut read).unwrap();
                assert!(read == content, "round {round}: the attachment changed");
            }
        }
        drop(store);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "round {round}");
    }
    eprintln!(
        "{completed} re-keys reported over {ROUNDS} kills ({rounds_with_rekeys} rounds re-keyed)"
    );
    assert!(
        rounds_with_rekeys >= ROUNDS / 3,
        "only {rounds_with_rekeys} of {ROUNDS} rounds re-keyed: the test proved little"
    );
}
