//! The C2SP CCTV age test kit through `indicia open` (tests/vectors/age-cctv): every vendored
//! vector exits as core/tests/support/age_kit.rs says (0, or its error kind's exit code) and
//! writes only authentic plaintext (the kit's `payload` hash). Also: an armored package with
//! blank lines before its BEGIN line, as mail and chat clients leave it, opens in `open`,
//! `package verify` and `ingest`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

#[path = "../../core/tests/support/age_kit.rs"]
mod kit;

use std::path::{Path, PathBuf};

use common::indicia;
use indicia_core::{hex, ErrorKind};
use kit::Outcome;
use sha2::{Digest, Sha256};

fn exit_code(kind: &str) -> i32 {
    let kind = ErrorKind::ALL
        .iter()
        .find(|k| k.as_str() == kind)
        .unwrap_or_else(|| panic!("no error kind {kind}"));
    i32::from(kind.exit_code())
}

#[test]
fn every_vendored_vector_exits_through_indicia_open_as_the_kit_expects() {
    let dir = tempfile::tempdir().unwrap();
    let vectors = kit::vectors();
    let mut wrong = Vec::new();
    for vector in &vectors {
        let key = dir.path().join(format!("{}.key", vector.name));
        std::fs::write(&key, kit::identities(vector).join("\n") + "\n").unwrap();
        let file = dir.path().join(format!("{}.age", vector.name));
        std::fs::write(&file, &vector.file).unwrap();
        let out = indicia()
            .args(["open", "-i"])
            .arg(&key)
            .arg(&file)
            .output()
            .unwrap();
        let want = match kit::outcome(&vector.name, &vector.expect) {
            Outcome::Success => 0,
            Outcome::Fails(kind) => exit_code(kind),
        };
        let got = out.status.code().unwrap_or(-1);
        if got != want {
            let stderr = String::from_utf8_lossy(&out.stderr);
            wrong.push(format!(
                "{}: exit {got}, want {want}: {}",
                vector.name,
                stderr.trim()
            ));
            continue;
        }
        // What reached stdout is what `open` released: authentic plaintext only.
        let hash = hex::encode(&Sha256::digest(&out.stdout));
        match &vector.payload {
            Some(payload) if *payload != hash => {
                wrong.push(format!("{}: stdout {hash}, want {payload}", vector.name))
            }
            None if !out.stdout.is_empty() => wrong.push(format!(
                "{}: {} bytes on stdout",
                vector.name,
                out.stdout.len()
            )),
            _ => {}
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        vectors.len(),
        wrong.join("\n")
    );
}

fn package_vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/package-v1")
}

/// The armored valid package vector as pasted from a mail or chat message: blank lines (and a
/// line of spaces) before BEGIN, one after END.
fn pasted_package(dir: &Path) -> PathBuf {
    let armored = std::fs::read(package_vectors().join("valid/armored.age")).unwrap();
    assert!(armored.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
    let path = dir.join("pasted.age");
    std::fs::write(&path, [&b"\n\n  \r\n"[..], &armored, b"\n"].concat()).unwrap();
    path
}

#[test]
fn open_reads_armor_after_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    indicia()
        .args(["open", "-i"])
        .arg(package_vectors().join("unit.key"))
        .arg(pasted_package(dir.path()))
        .assert()
        .success();
}

#[test]
fn package_verify_reads_armor_after_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = indicia()
        .args(["package", "verify", "-i"])
        .arg(package_vectors().join("unit.key"))
        .arg(pasted_package(dir.path()))
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("ok\t"), "{stdout}");
}

#[test]
fn ingest_reads_armor_after_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let pasted = pasted_package(dir.path());
    std::fs::write(dir.path().join("unit.pass"), "unit passphrase 42\n").unwrap();
    let device: serde_json::Value =
        serde_json::from_slice(&std::fs::read(package_vectors().join("device.json")).unwrap())
            .unwrap();
    let unit = |args: &[&str]| {
        let mut cmd = indicia();
        cmd.current_dir(dir.path())
            .env("INDICIA_TEST_KDF", "1")
            .env_remove("INDICIA_DB")
            .args(args)
            .args(["--db", "unit.db", "--passphrase-file", "unit.pass"]);
        cmd
    };
    let key = package_vectors().join("unit.key");
    let key = key.to_str().unwrap();
    unit(&["init", "-i", key, "--name", "Test unit"])
        .assert()
        .success();
    unit(&[
        "trust",
        "add",
        "--device",
        device["public_key"].as_str().unwrap(),
        "--organisation",
        "sk.example-ngo",
    ])
    .assert()
    .success();
    let out = unit(&["ingest", "-i", key, pasted.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("stored\t"), "{stdout}");
}
