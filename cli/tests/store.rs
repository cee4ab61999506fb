//! `indicia store list | show`: reading a field store with its PIN.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod common;

use common::indicia;
use indicia_core::store::{FileBackend, KdfParams, Store};
use predicates::prelude::*;
use secrecy::SecretString;

fn make_store(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let path = dir.join("field.db");
    let mut store = Store::create(
        Box::new(FileBackend::new(&path)),
        &SecretString::from("2468".to_owned()),
        KdfParams::TESTING,
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
        .write_stdin("2468\n")
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
    std::fs::write(&pin_file, "2468").unwrap();
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
        .write_stdin("2468\n")
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
