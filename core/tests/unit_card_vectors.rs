//! The frozen unit card vectors (tests/vectors/unit-card-v2/, written by
//! tools/rust/src/bin/make_unit_card_vectors.rs): the valid cards parse, their signatures verify
//! and their fingerprints are the recorded ones (the same for both: one unit, renamed); every
//! reject fails with its recorded kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};

use indicia_core::package::UnitCard;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/unit-card-v2")
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap()
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_valid_cards_parse_and_have_their_recorded_fingerprints() {
    let valid = expected()["valid"].as_object().unwrap().clone();
    assert_eq!(valid.len(), 2);
    for (file, want) in valid {
        let card = UnitCard::parse(&read(dir().join("valid").join(&file)))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(card.format, "indicia-unit/2", "{file}");
        assert_eq!(card.name, want["name"], "{file}");
        assert_eq!(card.fingerprint().unwrap(), want["fingerprint"], "{file}");
    }
}

#[test]
fn every_reject_vector_fails_with_its_recorded_kind() {
    let reject = expected()["reject"].as_object().unwrap().clone();
    assert!(reject.len() >= 7);
    let files = std::fs::read_dir(dir().join("reject")).unwrap().count();
    assert_eq!(
        files,
        reject.len(),
        "every reject file has an expected kind"
    );
    for (file, kind) in reject {
        let err = UnitCard::parse(&read(dir().join("reject").join(&file)))
            .err()
            .unwrap_or_else(|| panic!("{file} parsed"));
        assert_eq!(err.kind().as_str(), kind, "{file}: {err}");
    }
}

#[test]
fn the_fingerprint_follows_the_spec_step_by_step() {
    // docs/formats/receipt.md, "Fingerprint": recomputed here from the written steps, so the
    // code and the spec cannot drift apart.
    use sha2::{Digest, Sha256};
    let card = UnitCard::parse(&read(dir().join("valid/card.json"))).unwrap();
    let key = indicia_core::hex::decode::<32>(&card.signing_key.public_key).unwrap();
    let mut input = b"indicia-unit fingerprint\0".to_vec();
    input.extend_from_slice(&key);
    input.extend_from_slice(card.recipient.as_bytes());
    let digest = Sha256::digest(&input);
    let groups: Vec<String> = (0..4)
        .map(|i| {
            let mut n = 0u64;
            for b in &digest[5 * i..5 * i + 5] {
                n = n * 256 + u64::from(*b);
            }
            format!("{:05}", n % 100_000)
        })
        .collect();
    assert_eq!(card.fingerprint().unwrap(), groups.join(" "));
}
