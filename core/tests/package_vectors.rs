//! The frozen package vectors (tests/vectors/package-v1/, written by
//! tools/rust/src/bin/make_package_vectors.rs): every valid package opens with the published
//! unit key and gives the recorded ids, hashes and device key; every reject fails with its
//! recorded kind; and the outer layer of every valid package opens with Debian's Go `age`
//! (INDICIA_AGE: another binary).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/go_age.rs"]
mod go_age;

use std::path::{Path, PathBuf};

use indicia_core::package::{open_package_in_memory, DeviceInfo, MAGIC};
use indicia_core::parse_identities;
use secrecy::SecretString;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/package-v1")
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap()
}

fn unit() -> Vec<indicia_core::Identity> {
    let text = std::fs::read_to_string(dir().join("unit.key")).unwrap();
    parse_identities(&SecretString::from(text)).unwrap()
}

#[test]
fn every_valid_vector_opens_with_its_recorded_content() {
    let device: DeviceInfo =
        serde_json::from_slice(&std::fs::read(dir().join("device.json")).unwrap()).unwrap();
    let valid = expected()["valid"].as_object().unwrap().clone();
    assert_eq!(valid.len(), 3);
    for (file, want) in valid {
        let bytes = std::fs::read(dir().join("valid").join(&file)).unwrap();
        let opened =
            open_package_in_memory(&bytes, &unit()).unwrap_or_else(|e| panic!("{file}: {e}"));
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

#[test]
fn every_reject_vector_fails_with_its_recorded_kind() {
    let reject = expected()["reject"].as_object().unwrap().clone();
    assert!(reject.len() >= 14);
    let files: Vec<_> = std::fs::read_dir(dir().join("reject")).unwrap().collect();
    assert_eq!(
        files.len(),
        reject.len(),
        "every reject file has an expected kind"
    );
    for (file, kind) in reject {
        let bytes = std::fs::read(dir().join("reject").join(&file)).unwrap();
        let err = open_package_in_memory(&bytes, &unit())
            .err()
            .unwrap_or_else(|| panic!("{file} opened"));
        assert_eq!(err.kind().as_str(), kind, "{file}: {err}");
    }
}

#[test]
fn the_outer_layer_of_every_valid_vector_opens_with_go_age() {
    go_age::assert_valid_vectors_open(&dir(), "unit.key", MAGIC.as_slice());
}
