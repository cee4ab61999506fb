//! A receiving unit's identity file protected by a passphrase: `indicia keygen --passphrase`
//! writes an armored age file (as `age -p` does), and every command that reads identities opens
//! it with the passphrase from a file or stdin; a wrong one is WrongPin (exit 15).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::indicia;

#[test]
fn a_protected_identity_opens_packages_and_files_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("unit.key");
    let pass = dir.path().join("pass");
    std::fs::write(&pass, "a long unit passphrase\n").unwrap();
    let out = indicia()
        .args(["keygen", "--passphrase", "--passphrase-file"])
        .arg(&pass)
        .arg("-o")
        .arg(&key)
        .assert()
        .success();
    let recipient = String::from_utf8(out.get_output().stderr.clone())
        .unwrap()
        .trim()
        .strip_prefix("Public key: ")
        .unwrap()
        .to_owned();
    let stored = std::fs::read(&key).unwrap();
    assert!(stored.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!stored.windows(16).any(|w| w == b"AGE-SECRET-KEY-1"));

    let sealed = dir.path().join("report.age");
    indicia()
        .args(["seal", "-r", &recipient, "-o"])
        .arg(&sealed)
        .write_stdin("report text")
        .assert()
        .success();
    // Passphrase from a file, then from stdin.
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg("--passphrase-file")
        .arg(&pass)
        .arg(&sealed)
        .assert()
        .success()
        .stdout("report text");
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .write_stdin("a long unit passphrase\n")
        .assert()
        .success()
        .stdout("report text");
    let out = indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .write_stdin("not the passphrase\n")
        .assert()
        .code(15);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("error[WrongPin]: wrong passphrase"),
        "{stderr}"
    );
    assert!(!stderr.contains("not the passphrase"));
}

#[test]
fn a_short_passphrase_is_refused_and_no_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("unit.key");
    indicia()
        .args(["keygen", "--passphrase", "-o"])
        .arg(&key)
        .write_stdin("short\n")
        .assert()
        .code(1);
    assert!(!key.exists());
}
