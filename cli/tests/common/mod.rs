//! Helpers shared by the CLI integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn indicia() -> Command {
    Command::cargo_bin("indicia").unwrap()
}

/// Runs `indicia keygen -o DIR/NAME` and returns (identity file path, recipient).
pub fn keygen(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let out = indicia()
        .args(["keygen", "-o"])
        .arg(&path)
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let recipient = stderr
        .trim()
        .strip_prefix("Public key: ")
        .unwrap()
        .to_owned();
    (path, recipient)
}

pub fn seal_file(dir: &Path, plaintext: &[u8], recipients: &[&str]) -> PathBuf {
    let path = dir.join("sealed.age");
    let mut cmd = indicia();
    cmd.arg("seal");
    for r in recipients {
        cmd.args(["-r", r]);
    }
    let out = cmd.write_stdin(plaintext).assert().success();
    std::fs::write(&path, &out.get_output().stdout).unwrap();
    path
}
pub mod unit;
