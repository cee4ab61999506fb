//! Writes the unit card test vectors in tests/vectors/unit-card-v2/ (run once per format
//! change; the files are then frozen and checked by core/tests/unit_card_vectors.rs):
//!
//!     cargo tool make_unit_card_vectors -- tests/vectors/unit-card-v2
//!
//! The unit's signing key and the forger's are test-only keys published with the vectors. Ed25519
//! signing is deterministic, so a re-run writes the same files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a generator run by hand

use std::path::Path;

use indicia_core::package::{DeviceKey, UnitCard, UNIT_CARD_FORMAT_V1};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn key(label: &str) -> DeviceKey {
    DeviceKey::from_secret(&Sha256::digest(label.as_bytes())).unwrap()
}

fn write(path: &Path, card: &Value) {
    std::fs::write(
        path,
        format!("{}\n", serde_json::to_string_pretty(card).unwrap()),
    )
    .unwrap();
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: make_unit_card_vectors DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("valid")).unwrap();
    std::fs::create_dir_all(dir.join("reject")).unwrap();

    let unit = key("indicia unit-card-v2 test unit");
    let forger = key("indicia unit-card-v2 test forger");
    // Throw-away recipients: nothing is ever sealed to them.
    let recipient = "age13d8s9808jzcwj9r76nqey9qu9wc7aurycljae0c7esfw87g3gvsqxu3dfa";
    let other_recipient = "age1eg5mkqgcpc5mu3v9d0pdlt7wzgwahpmjkxuygzm6y26gec6ntq0s5qpsyt";
    let card = UnitCard::signed("National THB unit — test vector ✓", recipient, &unit).unwrap();
    let value = serde_json::to_value(&card).unwrap();
    write(&dir.join("valid/card.json"), &value);
    // The same unit after renaming itself: signed by the same key, so a device replaces the
    // first card with it, and the fingerprint (key and recipient) stays the same.
    let renamed = UnitCard::signed("National THB unit, renamed", recipient, &unit).unwrap();
    write(
        &dir.join("valid/renamed.json"),
        &serde_json::to_value(&renamed).unwrap(),
    );

    let mut rejects = serde_json::Map::new();
    let mut reject = |name: &str, card: Value, kind: &str| {
        write(&dir.join("reject").join(name), &card);
        rejects.insert(name.into(), json!(kind));
    };
    let mut altered = value.clone();
    altered["name"] = json!("National THB unit — renamed");
    reject("altered-name.json", altered, "BadSignature");
    let mut altered = value.clone();
    altered["recipient"] = json!(other_recipient);
    reject("altered-recipient.json", altered, "BadSignature");
    // The forger signs a card with the unit's name and the forger's recipient, and names the
    // unit's key on it.
    let mut forged =
        serde_json::to_value(UnitCard::signed(&card.name, other_recipient, &forger).unwrap())
            .unwrap();
    forged["signing_key"] = value["signing_key"].clone();
    reject("other-key.json", forged, "BadSignature");
    let mut missing = value.clone();
    missing.as_object_mut().unwrap().remove("signature");
    reject("missing-signature.json", missing, "CorruptInput");
    let mut v1 = value.clone();
    v1.as_object_mut().unwrap().remove("signature");
    v1["format"] = json!(UNIT_CARD_FORMAT_V1);
    reject("unsigned-v1.json", v1, "UnsupportedInput");
    let mut v3 = value.clone();
    v3["format"] = json!("indicia-unit/3");
    reject("format-v3.json", v3, "UnsupportedInput");
    let mut short = value.clone();
    short["signature"] = json!(card.signature.as_ref().unwrap()[..126].to_owned());
    reject("short-signature.json", short, "CorruptInput");

    let expected = json!({
        "valid": {
            "card.json": { "name": card.name, "fingerprint": card.fingerprint().unwrap() },
            "renamed.json": { "name": renamed.name, "fingerprint": renamed.fingerprint().unwrap() },
        },
        "reject": rejects,
    });
    write(&dir.join("expected.json"), &expected);
}
