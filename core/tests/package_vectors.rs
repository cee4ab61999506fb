//! The frozen package vectors (tests/vectors/package-v1/ and package-v2/, written by
//! tools/rust/src/bin/make_package_vectors.rs): every valid package opens with the published
//! unit key and gives the recorded ids, hashes and device key; every reject fails with its
//! recorded kind; the outer layer of every valid package opens with Debian's Go `age`
//! (INDICIA_AGE: another binary); and a receiver trusting the vectors' device takes in v1 and
//! v2 alike, counts the same case sealed in both as one, and refuses the untrusted v2 package.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/go_age.rs"]
mod go_age;

use std::path::{Path, PathBuf};

use indicia_core::package::{open_package_in_memory, DeviceInfo, MAGIC, MAGIC_V2};
use indicia_core::parse_identities;
use indicia_core::receiver::{Duplicate, Receiver, TrustKind};
use indicia_core::store::{KdfParams, MemoryBackend, Protection};
use indicia_core::ErrorKind;
use secrecy::SecretString;
use serde_json::Value;

fn dir(version: u8) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/vectors/package-v{version}"))
}

fn expected(version: u8) -> Value {
    serde_json::from_slice(&std::fs::read(dir(version).join("expected.json")).unwrap()).unwrap()
}

fn unit(version: u8) -> Vec<indicia_core::Identity> {
    let text = std::fs::read_to_string(dir(version).join("unit.key")).unwrap();
    parse_identities(&SecretString::from(text)).unwrap()
}

fn device(version: u8) -> DeviceInfo {
    serde_json::from_slice(&std::fs::read(dir(version).join("device.json")).unwrap()).unwrap()
}

fn valid_vectors_open(version: u8) {
    let device = device(version);
    let valid = expected(version)["valid"].as_object().unwrap().clone();
    assert_eq!(valid.len(), 3);
    for (file, want) in valid {
        let bytes = std::fs::read(dir(version).join("valid").join(&file)).unwrap();
        let opened = open_package_in_memory(&bytes, &unit(version))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(opened.manifest.report_id, want["report_id"], "{file}");
        assert_eq!(opened.content_hash, want["content_hash"], "{file}");
        assert_eq!(opened.manifest.device, device, "{file}");
        let digests: Vec<&str> = opened
            .manifest
            .attachments
            .iter()
            .map(|a| a.sha256.as_str())
            .collect();
        assert_eq!(Value::from(digests), want["attachments"], "{file}");
    }
}

fn reject_vectors_fail(version: u8, at_least: usize) {
    let reject = expected(version)["reject"].as_object().unwrap().clone();
    assert!(reject.len() >= at_least);
    let files: Vec<_> = std::fs::read_dir(dir(version).join("reject"))
        .unwrap()
        .collect();
    assert_eq!(
        files.len(),
        reject.len(),
        "every reject file has an expected kind"
    );
    for (file, kind) in reject {
        let bytes = std::fs::read(dir(version).join("reject").join(&file)).unwrap();
        let err = open_package_in_memory(&bytes, &unit(version))
            .err()
            .unwrap_or_else(|| panic!("{file} opened"));
        assert_eq!(err.kind().as_str(), kind, "{file}: {err}");
    }
}

#[test]
fn every_valid_vector_opens_with_its_recorded_content() {
    valid_vectors_open(1);
}

#[test]
fn every_reject_vector_fails_with_its_recorded_kind() {
    reject_vectors_fail(1, 14);
}

#[test]
fn the_outer_layer_of_every_valid_vector_opens_with_go_age() {
    go_age::assert_valid_vectors_open(&dir(1), "unit.key", MAGIC.as_slice());
}

#[test]
fn every_valid_v2_vector_opens_with_its_recorded_content() {
    valid_vectors_open(2);
}

#[test]
fn every_reject_v2_vector_fails_with_its_recorded_kind() {
    reject_vectors_fail(2, 21);
}

#[test]
fn the_outer_layer_of_every_valid_v2_vector_opens_with_go_age() {
    go_age::assert_valid_vectors_open(&dir(2), "unit.key", MAGIC_V2.as_slice());
}

#[test]
fn the_same_case_as_v1_and_v2_has_one_content_hash() {
    let (v1, v2) = (expected(1)["valid"].clone(), expected(2)["valid"].clone());
    for (file, want) in v2.as_object().unwrap() {
        assert_eq!(want["content_hash"], v1[file]["content_hash"], "{file}");
        assert_eq!(want["attachments"], v1[file]["attachments"], "{file}");
    }
}

/// A receiver whose trust list holds the vectors' device (for `sk.example-ngo`).
fn receiver() -> Receiver {
    let identity = indicia_core::Identity::generate();
    let mut receiver = Receiver::create(
        Box::new(MemoryBackend::new().unwrap()),
        &SecretString::from("correct horse battery staple"),
        &Protection::passphrase(KdfParams::TESTING),
        "Vector unit",
        &identity.recipient().to_string(),
    )
    .unwrap();
    receiver
        .trust_add(
            TrustKind::Device,
            &device(2).public_key,
            "sk.example-ngo",
            None,
        )
        .unwrap();
    receiver
}

#[test]
fn a_receiver_takes_in_v1_and_v2_counts_one_case_once_and_refuses_the_untrusted_key() {
    let mut receiver = receiver();
    let identities = [unit(1), unit(2)].concat();
    let read = |version: u8, part: &str, file: &str| {
        std::fs::read(dir(version).join(part).join(file)).unwrap()
    };
    let first = receiver
        .ingest(
            &read(1, "valid", "two-attachments.age")[..],
            &identities,
            "v1",
        )
        .unwrap();
    assert!(first.duplicate.is_none());
    // The same case (same report id) sealed as v2: a duplicate of the v1 report.
    let again = receiver
        .ingest(
            &read(2, "valid", "two-attachments.age")[..],
            &identities,
            "v2",
        )
        .unwrap();
    assert_eq!(again.content_hash, first.content_hash);
    assert!(
        matches!(again.duplicate, Some(Duplicate::ReportId(_))),
        "{again:?}"
    );
    // A v2 report new to the unit is stored, and re-verifies from what the unit kept.
    let new = receiver
        .ingest(&read(2, "valid", "armored.age")[..], &identities, "v2")
        .unwrap();
    assert!(new.duplicate.is_none());
    let check = receiver.verify_report(&new.report_id).unwrap();
    assert_eq!(check.attachments, 1);
    assert_eq!(
        receiver
            .report(&new.report_id)
            .unwrap()
            .manifest
            .attachments[0]
            .sha256,
        expected(2)["valid"]["armored.age"]["attachments"][0]
    );
    let err = receiver
        .ingest(
            &read(2, "untrusted", "untrusted-key.age")[..],
            &identities,
            "x",
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UntrustedSigner, "{err}");
    assert_eq!(
        expected(2)["untrusted"]["untrusted-key.age"],
        "UntrustedSigner"
    );
    assert_eq!(receiver.report_ids().unwrap().len(), 2);
}
