//! `indicia store list | show`: reading a field store with its PIN.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod common;

use common::indicia;
use indicia_core::store::{FileBackend, KdfParams, Protection, Store};
use predicates::prelude::*;
use secrecy::SecretString;

fn make_store(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let path = dir.join("field.db");
    let mut store = Store::create(
        Box::new(FileBackend::new(&path)),
        &SecretString::from("tidal-amber-orchard".to_owned()),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap();
    let case = store.create_case("Clinic visit, Košice", None).unwrap();
    store.save_answer(&case, "debt", &"yes".into()).unwrap();
    store.add_note(&case, "came with a supervisor").unwrap();
    (path, case)
}

#[test]
fn list_with_the_pin_on_stdin_shows_decrypted_titles() {
    let dir = tempfile::tempdir().unwrap();
    let (path, case) = make_store(dir.path());
    indicia()
        .args(["store", "list"])
        .arg(&path)
        .write_stdin("tidal-amber-orchard\n")
        .assert()
        .success()
        .stdout(
            predicate::str::contains(case.as_str())
                .and(predicate::str::contains("draft"))
                .and(predicate::str::contains("Clinic visit, Košice")),
        );
}

#[test]
fn show_prints_answers_notes_and_the_verified_custody_log() {
    let dir = tempfile::tempdir().unwrap();
    let (path, case) = make_store(dir.path());
    let pin_file = dir.path().join("pin");
    std::fs::write(&pin_file, "tidal-amber-orchard").unwrap();
    let out = indicia()
        .args(["store", "show"])
        .arg(&path)
        .arg(&case)
        .arg("--pin-file")
        .arg(&pin_file)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["answers"]["debt"], "yes");
    assert_eq!(v["notes"][0]["text"], "came with a supervisor");
    assert_eq!(v["custody"].as_array().unwrap().len(), 3);
}

#[test]
fn wrong_pin_exits_15_and_unknown_case_exits_18() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = make_store(dir.path());
    indicia()
        .args(["store", "list"])
        .arg(&path)
        .write_stdin("0000\n")
        .assert()
        .code(15)
        .stdout("")
        .stderr(predicate::str::contains("[WrongPin]"));
    indicia()
        .args(["store", "show"])
        .arg(&path)
        .arg("ffff")
        .write_stdin("tidal-amber-orchard\n")
        .assert()
        .code(18);
}

#[test]
fn missing_store_exits_13() {
    let dir = tempfile::tempdir().unwrap();
    indicia()
        .args(["store", "list"])
        .arg(dir.path().join("none.db"))
        .write_stdin("1\n")
        .assert()
        .code(13)
        .stderr(predicate::str::contains("[NoStore]"));
}

#[test]
fn a_weak_pin_is_refused_with_exit_24_and_no_store_is_made() {
    let dir = tempfile::tempdir().unwrap();
    for weak in ["1\n", "1234\n", "password1\n"] {
        let path = dir.path().join("weak.db");
        indicia()
            .args(["store", "create"])
            .arg(&path)
            .write_stdin(weak)
            .assert()
            .code(24)
            .stderr(predicate::str::contains("[WeakPin]"));
        assert!(!path.exists(), "a refused create left {path:?}");
    }
}

#[test]
fn a_row_put_back_to_an_older_copy_makes_list_exit_17_not_show_less() {
    // docs/threat-model.md: restoring one older sealed row (here: the case index, before the
    // second case) used to make `store list` silently drop a case.
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = make_store(dir.path());
    type Row = (Vec<u8>, i64, Vec<u8>, Vec<u8>);
    let rows = |path: &std::path::Path| -> Vec<Row> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT key, version, nonce, value FROM sealed")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let before = rows(&path);
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store
        .unlock(&SecretString::from("tidal-amber-orchard".to_owned()))
        .unwrap();
    store.create_case("second", None).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut put_back = 0;
    for (key, version, nonce, value) in &before {
        let changed: bool = conn
            .query_row(
                "SELECT version != ?2 FROM sealed WHERE key = ?1",
                (key, version),
                |r| r.get(0),
            )
            .unwrap();
        if changed {
            conn.execute(
                "UPDATE sealed SET version = ?2, nonce = ?3, value = ?4 WHERE key = ?1",
                (key, version, nonce, value),
            )
            .unwrap();
            put_back += 1;
            break;
        }
    }
    assert_eq!(put_back, 1);
    drop(conn);
    indicia()
        .args(["store", "list"])
        .arg(&path)
        .write_stdin("tidal-amber-orchard\n")
        .assert()
        .code(17)
        .stdout("")
        .stderr(predicate::str::contains("[StoreTampered]"));
}

#[test]
fn rekey_puts_the_store_under_the_new_pin() {
    let dir = tempfile::tempdir().unwrap();
    let (path, case) = make_store(dir.path());
    let new_pin = dir.path().join("new.pin");
    std::fs::write(&new_pin, "copper kettle moonrise\n").unwrap();
    indicia()
        .args(["store", "rekey"])
        .arg(&path)
        .arg("--new-pin-file")
        .arg(&new_pin)
        .write_stdin("tidal-amber-orchard\n")
        .env("INDICIA_TEST_KDF", "1")
        .assert()
        .success();
    indicia()
        .args(["store", "list"])
        .arg(&path)
        .write_stdin("tidal-amber-orchard\n")
        .assert()
        .code(15);
    indicia()
        .args(["store", "list"])
        .arg(&path)
        .write_stdin("copper kettle moonrise\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(case.as_str()));
    // A weak new PIN is refused and the store stays as it was.
    std::fs::write(&new_pin, "1234\n").unwrap();
    indicia()
        .args(["store", "rekey"])
        .arg(&path)
        .arg("--new-pin-file")
        .arg(&new_pin)
        .write_stdin("copper kettle moonrise\n")
        .assert()
        .code(24);
}

/// Runs `indicia store new-case STORE ARGS…` in `dir`.
fn new_case(dir: &std::path::Path, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = indicia();
    cmd.current_dir(dir)
        .args(["store", "new-case", "field.db"])
        .args(args);
    cmd
}

#[test]
fn a_case_title_and_notes_come_from_files_or_stdin_never_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    make_store(dir.path());
    let d = dir.path();
    std::fs::write(d.join("pin"), "tidal-amber-orchard\n").unwrap();
    std::fs::write(d.join("a.note"), "came with a supervisor\n").unwrap();
    std::fs::write(d.join("b.note"), "\u{feff}called from +421 905 123 456\r\n").unwrap();

    // The command-line forms are gone: a title or note given there is a usage error (exit 2)
    // and nothing is stored.
    for args in [
        &["--title", "Clinic visit", "--pin-file", "pin"][..],
        &[
            "--title-file",
            "a.note",
            "--note",
            "met twice",
            "--pin-file",
            "pin",
        ][..],
    ] {
        new_case(d, args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("unexpected argument"));
    }

    // The title from stdin, notes from files, in order.
    let out = new_case(
        d,
        &[
            "--title-file",
            "-",
            "--note-file",
            "a.note",
            "--note-file",
            "b.note",
            "--pin-file",
            "pin",
        ],
    )
    .write_stdin("Clinic visit, Košice\n")
    .assert()
    .success();
    let case = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let out = indicia()
        .current_dir(d)
        .args([
            "store",
            "show",
            "field.db",
            case.trim(),
            "--pin-file",
            "pin",
        ])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["case"]["title"], "Clinic visit, Košice");
    assert_eq!(v["notes"][0]["text"], "came with a supervisor");
    assert_eq!(v["notes"][1]["text"], "called from +421 905 123 456");

    // Stdin gives one thing: with the PIN on stdin, a title or note from stdin is refused
    // before anything is read or stored.
    std::fs::write(d.join("title"), "Bus stop").unwrap();
    for args in [
        &["--title-file", "-"][..],
        &["--title-file", "title", "--note-file", "-"][..],
    ] {
        new_case(d, args)
            .write_stdin("tidal-amber-orchard\nBus stop\n")
            .assert()
            .code(26)
            .stderr(predicate::str::contains(
                "stdin can give only one of these: the PIN (no --pin-file), --",
            ));
    }
    let list = indicia()
        .current_dir(d)
        .args(["store", "list", "field.db", "--pin-file", "pin"])
        .assert()
        .success();
    let list = String::from_utf8(list.get_output().stdout.clone()).unwrap();
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(!list.contains("Bus stop"));
}

/// The key derivation parameters in a store's PIN slot (docs/formats/store.md, "Key slots").
fn slot_memory_kib(path: &std::path::Path) -> u64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    let slot: Vec<u8> = conn
        .query_row("SELECT slot FROM keyslots WHERE kind = 'pin'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let slot: serde_json::Value = serde_json::from_slice(&slot).unwrap();
    slot["kdf"]["memory_kib"].as_u64().unwrap()
}

#[test]
fn indicia_test_kdf_is_honoured_only_by_a_build_with_the_test_kdf_feature() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let out = indicia()
        .args(["store", "create"])
        .arg(&path)
        .env("INDICIA_TEST_KDF", "1")
        .write_stdin("tidal-amber-orchard\n")
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    if cfg!(feature = "test-kdf") {
        assert!(stderr.contains("cheap test key derivation"), "{stderr}");
        assert_eq!(
            slot_memory_kib(&path),
            u64::from(KdfParams::TESTING.memory_kib)
        );
    } else {
        assert!(stderr.contains("INDICIA_TEST_KDF=1 is ignored"), "{stderr}");
        assert_eq!(
            slot_memory_kib(&path),
            u64::from(KdfParams::MOBILE.memory_kib)
        );
    }
}
