//! Writes the signed checklist test vectors in tests/vectors/signed-checklist-v1/ (run once per
//! format change; the files are then frozen and checked by core/tests/signed_checklist_vectors.rs):
//!
//!     cargo tool make_signed_checklist_vectors -- tests/vectors/signed-checklist-v1
//!
//! The publisher's key and the other publisher's are test-only keys published with the vectors
//! (each secret is SHA-256 of its label). Ed25519 signing is deterministic, so a re-run writes the
//! same files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a generator run by hand

use std::path::Path;

use indicia_core::checklist::{sign, PublisherKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const SIGNED_AT: i64 = 1_764_590_400; // 2025-12-01T12:00:00Z

fn key(label: &str) -> PublisherKey {
    PublisherKey::from_secret(&Sha256::digest(label.as_bytes()).into())
}

fn write(path: &Path, value: &Value) {
    std::fs::write(
        path,
        format!("{}\n", serde_json::to_string_pretty(value).unwrap()),
    )
    .unwrap();
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: make_signed_checklist_vectors DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("valid")).unwrap();
    std::fs::create_dir_all(dir.join("reject")).unwrap();
    let vectors = dir.join("..");
    let read = |p: &str| std::fs::read_to_string(vectors.join(p)).unwrap();

    let publisher = key("indicia signed-checklist-v1 test publisher");
    let other = key("indicia signed-checklist-v1 other publisher");
    let name = "Example referral body — test vector ✓";
    write(
        &dir.join("trust.json"),
        &json!({
            "require_signatures": true,
            "publishers": [{"name": name, "public_key": publisher.public_key()}],
        }),
    );

    let mut valid = serde_json::Map::new();
    let mut signed = |file: &str, source: &str| -> Value {
        let text = sign(&read(source), name, &publisher, SIGNED_AT).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        write(&dir.join("valid").join(file), &value);
        valid.insert(
            file.into(),
            json!({"source": source, "publisher": name, "key_id": publisher.key_id(), "signed_at": SIGNED_AT}),
        );
        value
    };
    let minimal = signed("minimal.json", "checklist-v1/valid/minimal.json");
    signed("decisive.json", "checklist-v2/valid/decisive.json");

    let mut rejects = serde_json::Map::new();
    let mut reject = |file: &str, value: Value, kind: &str, what: &str| {
        write(&dir.join("reject").join(file), &value);
        rejects.insert(file.into(), json!({"kind": kind, "what": what}));
    };
    let mut flipped = minimal.clone();
    let signature = flipped["signature"].as_str().unwrap().to_owned();
    let first = if signature.starts_with('0') { "1" } else { "0" };
    flipped["signature"] = json!(format!("{first}{}", &signature[1..]));
    reject(
        "01-bad-signature.json",
        flipped,
        "BadSignature",
        "one digit of the signature changed",
    );
    let mut wrong_key = minimal.clone();
    wrong_key["publisher"]["public_key"] = json!(other.public_key());
    reject(
        "02-wrong-key.json",
        wrong_key,
        "BadSignature",
        "the envelope names another key than the one that signed",
    );
    let mut altered = minimal.clone();
    altered["definition"]["outcomes"][0]["level"] = json!(1);
    reject(
        "03-altered-definition.json",
        altered,
        "BadSignature",
        "an outcome level changed after signing",
    );
    let mut renamed = minimal.clone();
    renamed["publisher"]["name"] = json!("Another referral body");
    reject(
        "04-renamed-publisher.json",
        renamed,
        "BadSignature",
        "the publisher name changed after signing",
    );
    let mut format = minimal.clone();
    format["format"] = json!("indicia-signed-checklist/2");
    reject(
        "05-unknown-format.json",
        format,
        "InvalidChecklist",
        "a format this version does not read",
    );
    let by_other: Value = serde_json::from_str(
        &sign(
            &read("checklist-v1/valid/minimal.json"),
            "Unlisted NGO",
            &other,
            SIGNED_AT,
        )
        .unwrap(),
    )
    .unwrap();
    reject(
        "06-untrusted-publisher.json",
        by_other,
        "UntrustedChecklist",
        "a sound signature by a publisher trust.json does not list",
    );
    let unsigned: Value = serde_json::from_str(&read("checklist-v1/valid/minimal.json")).unwrap();
    reject(
        "07-unsigned.json",
        unsigned,
        "UntrustedChecklist",
        "no signature, where trust.json requires one",
    );
    let mut extra = minimal.clone();
    extra["comment"] = json!("not in the format");
    reject(
        "08-unknown-field.json",
        extra,
        "InvalidChecklist",
        "a key the envelope does not have",
    );
    let mut short = minimal;
    short["signature"] = json!("00");
    reject(
        "09-short-signature.json",
        short,
        "InvalidChecklist",
        "a signature that is not 128 hex digits",
    );

    write(
        &dir.join("expected.json"),
        &json!({"trust": "trust.json", "valid": valid, "reject": rejects}),
    );
}
