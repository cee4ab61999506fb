//! `indicia package verify` on the frozen package vectors: one line per package, every reject
//! named with its kind, duplicates counted once, exit code of the first failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use std::path::{Path, PathBuf};

use common::indicia;
use serde_json::Value;

fn vectors() -> PathBuf {
    vectors_of(1)
}

/// The package vectors of container version `version` (1 or 2).
fn vectors_of(version: u8) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/vectors/package-v{version}"))
}

fn expected_of(version: u8) -> Value {
    serde_json::from_slice(&std::fs::read(vectors_of(version).join("expected.json")).unwrap())
        .unwrap()
}

#[test]
fn valid_packages_verify_with_one_ok_line_each() {
    for version in [1, 2] {
        valid_packages_of(version);
    }
}

fn valid_packages_of(version: u8) {
    let vectors = || vectors_of(version);
    let expected = || expected_of(version);
    let out = indicia()
        .args(["package", "verify", "-i"])
        .arg(vectors().join("unit.key"))
        .arg(vectors().join("valid"))
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    for (file, want) in expected()["valid"].as_object().unwrap() {
        let line = lines.iter().find(|l| l.contains(file.as_str())).unwrap();
        assert!(line.starts_with("ok\t"), "{line}");
        assert!(line.contains(want["report_id"].as_str().unwrap()));
        assert!(line.contains(want["content_hash"].as_str().unwrap()));
    }
}

#[test]
fn every_reject_gets_a_failed_line_with_its_kind_and_nothing_is_skipped() {
    for version in [1, 2] {
        rejects_of(version);
    }
}

fn rejects_of(version: u8) {
    let vectors = || vectors_of(version);
    let expected = expected_of(version);
    let reject = expected["reject"].as_object().unwrap();
    let out = indicia()
        .args(["package", "verify", "-i"])
        .arg(vectors().join("unit.key"))
        .arg(vectors().join("reject"))
        .arg(vectors().join("valid"))
        .assert()
        .failure();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), reject.len() + 3, "{stdout}");
    for (file, kind) in reject {
        let line = stdout.lines().find(|l| l.contains(file.as_str())).unwrap();
        assert!(
            line.starts_with("FAILED\t")
                && line.contains(&format!("\t{}: ", kind.as_str().unwrap())),
            "{line}"
        );
    }
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains(&format!(
        "3 verified, 0 duplicate(s), {} failed",
        reject.len()
    )));
}

#[test]
fn the_exit_code_is_the_first_failures_kind() {
    for (file, code) in [
        ("signed-by-another-key.age", 21),
        ("wrong-recipient.age", 6),
        ("age-header-cut.age", 8),
        ("non-canonical-manifest.age", 7),
        // Since container v2 exists, a v1 body labelled 2 reads as a malformed v2 header.
        ("container-version-2.age", 7),
    ] {
        indicia()
            .args(["package", "verify", "-i"])
            .arg(vectors().join("unit.key"))
            .arg(vectors().join("reject").join(file))
            .assert()
            .code(code);
    }
    for (file, code) in [
        ("header-signature-bad.age", 21),
        ("trailer-signature-bad.age", 21),
        ("digest-mismatch.age", 7),
        ("count-over-1000.age", 7),
        ("cut-in-digests.age", 8),
        ("container-version-3.age", 9),
    ] {
        indicia()
            .args(["package", "verify", "-i"])
            .arg(vectors_of(2).join("unit.key"))
            .arg(vectors_of(2).join("reject").join(file))
            .assert()
            .code(code);
    }
}

#[test]
fn a_package_given_twice_is_counted_once_and_json_lines_carry_the_manifest() {
    let file = vectors().join("valid/two-attachments.age");
    let out = indicia()
        .args(["package", "verify", "--json", "-i"])
        .arg(vectors().join("unit.key"))
        .arg(&file)
        .arg(&file)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["status"], "ok");
    assert!(lines[1]["status"]
        .as_str()
        .unwrap()
        .starts_with("duplicate (report id"));
    assert_eq!(lines[0]["manifest"]["organisation"], "sk.example-ngo");
    assert_eq!(
        lines[0]["manifest"]["attachments"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
