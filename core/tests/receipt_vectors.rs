//! The frozen receipt vectors (tests/vectors/receipt-v1/, written by
//! tools/rust/src/bin/make_receipt_vectors.rs): every valid receipt opens with the published reply
//! identity and gives the recorded fields and unit key; every reject fails with its recorded
//! kind; the outer layer of every valid receipt opens with Debian's Go `age` (INDICIA_AGE: another
//! binary).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/go_age.rs"]
mod go_age;

use std::path::{Path, PathBuf};

use indicia_core::package::{open_receipt, UnitCard, RECEIPT_MAGIC};
use indicia_core::parse_identities;
use secrecy::SecretString;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/receipt-v1")
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(dir().join("expected.json")).unwrap()).unwrap()
}

fn reply() -> Vec<indicia_core::Identity> {
    let text = std::fs::read_to_string(dir().join("reply.key")).unwrap();
    parse_identities(&SecretString::from(text)).unwrap()
}

#[test]
fn every_valid_receipt_opens_with_its_recorded_content() {
    // The frozen card is v1 (unsigned): read as a store reads the cards it already holds, since
    // UnitCard::parse imports only signed cards.
    let card: UnitCard =
        serde_json::from_str(&std::fs::read_to_string(dir().join("unit.json")).unwrap()).unwrap();
    assert_eq!(card.format, indicia_core::package::UNIT_CARD_FORMAT_V1);
    let valid = expected()["valid"].as_object().unwrap().clone();
    assert_eq!(valid.len(), 3);
    for (file, want) in valid {
        let bytes = std::fs::read(dir().join("valid").join(&file)).unwrap();
        let receipt = open_receipt(&bytes, &reply()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(receipt.receipt_id, want["receipt_id"], "{file}");
        assert_eq!(receipt.report_id, want["report_id"], "{file}");
        assert_eq!(receipt.status.as_str(), want["status"], "{file}");
        assert_eq!(receipt.note.as_deref(), want["note"].as_str(), "{file}");
        assert_eq!(receipt.unit, card.signing_key, "{file}");
    }
}

#[test]
fn every_reject_vector_fails_with_its_recorded_kind() {
    let reject = expected()["reject"].as_object().unwrap().clone();
    assert!(reject.len() >= 14);
    let files = std::fs::read_dir(dir().join("reject")).unwrap().count();
    assert_eq!(
        files,
        reject.len(),
        "every reject file has an expected kind"
    );
    for (file, kind) in reject {
        let bytes = std::fs::read(dir().join("reject").join(&file)).unwrap();
        let err = open_receipt(&bytes, &reply())
            .err()
            .unwrap_or_else(|| panic!("{file} opened"));
        assert_eq!(err.kind().as_str(), kind, "{file}: {err}");
    }
}

#[test]
fn the_outer_layer_of_every_valid_receipt_opens_with_go_age() {
    go_age::assert_valid_vectors_open(&dir(), "reply.key", RECEIPT_MAGIC.as_slice());
}
