//! Interop with Debian's Go `age`, a client nobody on this team wrote: files sealed by `indicia`
//! open with `age -d`, and files from `age -r` open with `indicia open`. Needs `age` on PATH
//! (scripts/bootstrap installs it); set INDICIA_AGE to use another binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{indicia, keygen, seal_file};

fn age() -> Command {
    let path = std::env::var_os("INDICIA_AGE")
        .map(PathBuf::from)
        .unwrap_or_else(|| "age".into());
    let probe = Command::new(&path).arg("--version").output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "the age interop tests need Debian's `age` on PATH: run scripts/bootstrap"
    );
    Command::new(path)
}

/// `age -d -i KEY SEALED`, asserting success; returns the plaintext.
fn go_age_open(key: &Path, sealed: &Path) -> Vec<u8> {
    let out = age()
        .args(["-d", "-i"])
        .arg(key)
        .arg(sealed)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "age -d failed: {stderr}");
    out.stdout
}

#[test]
fn indicia_sealed_file_opens_with_go_age() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let sealed = seal_file(
        dir.path(),
        "Pasaport zadržaný — dlh".as_bytes(),
        &[&recipient],
    );
    assert_eq!(
        go_age_open(&key, &sealed),
        "Pasaport zadržaný — dlh".as_bytes()
    );
}

#[test]
fn indicia_armored_file_opens_with_go_age() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let out = indicia()
        .args(["seal", "-a", "-r", &recipient])
        .write_stdin("armored")
        .output()
        .unwrap();
    let sealed = dir.path().join("s.age");
    std::fs::write(&sealed, &out.stdout).unwrap();
    assert_eq!(go_age_open(&key, &sealed), b"armored");
}

#[test]
fn go_age_sealed_files_open_with_indicia() {
    let dir = tempfile::tempdir().unwrap();
    let (key, recipient) = keygen(dir.path(), "unit.key");
    let input = dir.path().join("in.txt");
    let payload: Vec<u8> = (0..150_000u32).map(|i| (i * 7 % 256) as u8).collect();
    std::fs::write(&input, &payload).unwrap();
    for armor in [false, true] {
        let sealed = dir.path().join(format!("go-{armor}.age"));
        let mut cmd = age();
        cmd.args(["-r", &recipient, "-o"]).arg(&sealed);
        if armor {
            cmd.arg("-a");
        }
        let status = cmd.arg(&input).status().unwrap();
        assert!(status.success());
        let out = indicia()
            .args(["open", "-i"])
            .arg(&key)
            .arg(&sealed)
            .assert()
            .success();
        assert_eq!(out.get_output().stdout, payload, "armor={armor}");
    }
}

#[test]
fn identity_from_age_keygen_opens_indicia_files() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("go.key");
    let status = Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&key).unwrap();
    let recipient = text
        .lines()
        .find_map(|l| l.strip_prefix("# public key: "))
        .unwrap()
        .to_owned();
    let sealed = seal_file(dir.path(), b"from go keys", &[&recipient]);
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .assert()
        .success()
        .stdout("from go keys");
}
