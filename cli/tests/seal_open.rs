//! `indicia keygen`, `seal` and `open` as a user runs them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{indicia, keygen, seal_file};
use predicates::prelude::*;

#[test]
fn keygen_to_stdout_writes_an_age_keygen_style_identity_file() {
    let out = indicia().arg("keygen").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("# created: "));
    assert!(lines[1].starts_with("# public key: age1"));
    assert!(lines[2].starts_with("AGE-SECRET-KEY-1"));
    assert_eq!(lines.len(), 3);
}

#[test]
fn keygen_file_is_private_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (path, recipient) = keygen(dir.path(), "unit.key");
    assert!(recipient.starts_with("age1"));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let before = std::fs::read(&path).unwrap();
    indicia()
        .args(["keygen", "-o"])
        .arg(&path)
        .assert()
        .failure()
        .code(1);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "existing identity was changed"
    );
}

#[test]
fn seal_then_open_round_trips_through_stdin_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let sealed = seal_file(
        dir.path(),
        "dluh, který se nezmenšuje".as_bytes(),
        &[&recipient],
    );
    let opened = indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .assert()
        .success();
    assert_eq!(
        opened.get_output().stdout,
        "dluh, který se nezmenšuje".as_bytes()
    );
}

#[test]
fn every_recipient_given_can_open() {
    let dir = tempfile::tempdir().unwrap();
    let (key_a, ra) = keygen(dir.path(), "a.key");
    let (key_b, rb) = keygen(dir.path(), "b.key");
    let sealed = seal_file(dir.path(), b"for both units", &[&ra, &rb]);
    for key in [key_a, key_b] {
        indicia()
            .args(["open", "-i"])
            .arg(&key)
            .arg(&sealed)
            .assert()
            .success()
            .stdout("for both units");
    }
}

#[test]
fn armored_seal_to_file_opens_to_file() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let input = dir.path().join("report.txt");
    std::fs::write(&input, b"armored").unwrap();
    let sealed = dir.path().join("report.age");
    indicia()
        .args(["seal", "--armor", "-r", &recipient, "-o"])
        .arg(&sealed)
        .arg(&input)
        .assert()
        .success()
        .stdout("");
    assert!(std::fs::read_to_string(&sealed)
        .unwrap()
        .starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
    let opened = dir.path().join("opened.txt");
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg("-o")
        .arg(&opened)
        .arg(&sealed)
        .assert()
        .success();
    assert_eq!(std::fs::read(&opened).unwrap(), b"armored");
}

#[test]
fn malformed_recipient_exits_3_and_names_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let (_, recipient) = keygen(dir.path(), "unit.key");
    indicia()
        .args(["seal", "-r", &recipient, "-r", "age1typo"])
        .write_stdin("x")
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            predicate::str::contains("[MalformedRecipient]")
                .and(predicate::str::contains("recipient 2")),
        );
}

#[test]
fn malformed_identity_file_exits_4_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_, recipient) = keygen(dir.path(), "unit.key");
    let sealed = seal_file(dir.path(), b"x", &[&recipient]);
    let bad = dir.path().join("bad.key");
    std::fs::write(&bad, "# a comment\nAGE-SECRET-KEY-1BROKENSECRET\n").unwrap();
    indicia()
        .args(["open", "-i"])
        .arg(&bad)
        .arg(&sealed)
        .assert()
        .code(4)
        .stderr(
            predicate::str::contains("line 2").and(predicate::str::contains("BROKENSECRET").not()),
        );
}

#[test]
fn wrong_identity_exits_6() {
    let dir = tempfile::tempdir().unwrap();
    let (_, recipient) = keygen(dir.path(), "unit.key");
    let (other, _) = keygen(dir.path(), "other.key");
    let sealed = seal_file(dir.path(), b"x", &[&recipient]);
    indicia()
        .args(["open", "-i"])
        .arg(&other)
        .arg(&sealed)
        .assert()
        .code(6)
        .stdout("")
        .stderr(predicate::str::contains("[WrongIdentity]"));
}

#[test]
fn corrupt_input_exits_7_and_leaves_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let sealed = seal_file(dir.path(), b"confidential", &[&recipient]);
    let mut bytes = std::fs::read(&sealed).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    std::fs::write(&sealed, &bytes).unwrap();
    let out = dir.path().join("out.txt");
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg("-o")
        .arg(&out)
        .arg(&sealed)
        .assert()
        .code(7)
        .stderr(predicate::str::contains("[CorruptInput]"));
    assert!(!out.exists(), "a partial plaintext file was left behind");
}

#[test]
fn truncated_input_exits_8() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let sealed = seal_file(dir.path(), b"x", &[&recipient]);
    let bytes = std::fs::read(&sealed).unwrap();
    std::fs::write(&sealed, &bytes[..40]).unwrap();
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .assert()
        .code(8)
        .stderr(predicate::str::contains("[TruncatedInput]"));
}

#[test]
fn missing_input_file_is_a_plain_io_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (_, recipient) = keygen(dir.path(), "unit.key");
    indicia()
        .args(["seal", "-r", &recipient])
        .arg(dir.path().join("absent.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot open"));
}

#[test]
fn seal_without_recipient_is_a_usage_error() {
    indicia().arg("seal").write_stdin("x").assert().code(2);
}
