//! Writes the receipt test vectors in tests/vectors/receipt-v1/ (run once per format change;
//! the files are then frozen and checked by core/tests/receipt_vectors.rs):
//!
//!     cargo tool make_receipt_vectors -- tests/vectors/receipt-v1
//!
//! The device's reply identity and the unit's signing key are test-only keys published with the
//! vectors.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a generator run by hand

use std::path::Path;

use ed25519_dalek::Signer;
use indicia_core::package::{
    receipt_container, DeviceKey, Receipt, ReceiptStatus, UnitCard, RECEIPT_FORMAT, RECEIPT_MAGIC,
    RECEIPT_SIGNATURE_CONTEXT, UNIT_CARD_FORMAT_V1,
};
use indicia_core::{seal, Armor, Identity};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn receipt(
    key: &DeviceKey,
    receipt_id: &str,
    status: ReceiptStatus,
    note: Option<&str>,
) -> Receipt {
    Receipt {
        format: RECEIPT_FORMAT.into(),
        receipt_id: receipt_id.into(),
        report_id: "0123456789abcdef0123456789abcdef".into(),
        content_hash: "5f".repeat(32),
        case_id: "fedcba9876543210fedcba9876543210".into(),
        status,
        note: note.map(str::to_owned),
        issued_at: 1_795_500_000,
        unit_name: "National THB unit — test vector ✓".into(),
        unit: key.info(),
    }
}

/// A container around arbitrary receipt bytes, signed by `key` as a second implementation would.
fn container_of(key: &DeviceKey, bytes: &[u8], version: u8, rest: &[u8]) -> Vec<u8> {
    let signature = ed25519_dalek::SigningKey::from_bytes(&key.secret())
        .sign(&[RECEIPT_SIGNATURE_CONTEXT, bytes].concat())
        .to_bytes();
    let mut magic = *RECEIPT_MAGIC;
    magic[15] = version;
    [
        &magic[..],
        &(bytes.len() as u32).to_be_bytes(),
        bytes,
        &signature,
        rest,
    ]
    .concat()
}

fn main() {
    let dir = std::env::args().nth(1).expect("output directory");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("valid")).unwrap();
    std::fs::create_dir_all(dir.join("reject")).unwrap();
    let reply = Identity::generate();
    std::fs::write(
        dir.join("reply.key"),
        format!("{}\n", reply.to_secret_string().expose_secret()),
    )
    .unwrap();
    let to = [reply.recipient()];
    let unit = DeviceKey::from_secret(&Sha256::digest(b"indicia receipt-v1 test unit")).unwrap();
    // The vectors were frozen with an unsigned v1 card (before tests/vectors/unit-card-v2/).
    let card = UnitCard {
        format: UNIT_CARD_FORMAT_V1.into(),
        name: "National THB unit — test vector ✓".into(),
        recipient: Identity::generate().recipient().to_string(),
        signing_key: unit.info(),
        signature: None,
    };
    std::fs::write(dir.join("unit.json"), format!("{}\n", card.to_json())).unwrap();

    let mut expected = json!({"valid": {}, "reject": {}});
    let valid = [
        (
            "received.age",
            receipt(&unit, &"a1".repeat(16), ReceiptStatus::Received, None),
            Armor::Binary,
        ),
        (
            "referred-with-note.age",
            receipt(
                &unit,
                &"a2".repeat(16),
                ReceiptStatus::Referred,
                Some("Passed to the labour inspectorate; thank you."),
            ),
            Armor::Ascii,
        ),
        (
            "closed.age",
            receipt(&unit, &"a3".repeat(16), ReceiptStatus::Closed, None),
            Armor::Binary,
        ),
    ];
    for (file, r, armor) in &valid {
        let sealed = seal(&receipt_container(r, &unit).unwrap(), &to, *armor).unwrap();
        std::fs::write(dir.join("valid").join(file), sealed).unwrap();
        expected["valid"][file] = json!({
            "receipt_id": r.receipt_id, "report_id": r.report_id, "status": r.status.as_str(),
            "note": r.note, "unit_key_id": r.unit.key_id,
        });
    }

    let good = receipt(&unit, &"b1".repeat(16), ReceiptStatus::Investigating, None);
    let good_bytes = serde_jcs::to_vec(&good).unwrap();
    let good_container = receipt_container(&good, &unit).unwrap();
    let forger = DeviceKey::from_secret(&Sha256::digest(b"indicia receipt-v1 forger")).unwrap();
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut v = serde_json::to_value(&good).unwrap();
        edit(&mut v);
        serde_jcs::to_vec(&v).unwrap()
    };
    let mut altered = good_container.clone();
    let at = 20
        + good_bytes
            .windows(13)
            .position(|w| w == b"investigating")
            .unwrap();
    altered[at..at + 6].copy_from_slice(b"closed");
    let altered = [&altered[..at + 6], &altered[at + 13..]].concat();
    let mut non_canonical = serde_json::to_vec_pretty(&good).unwrap();
    non_canonical.push(b'\n');
    let long_note = with(&|v| v["note"] = json!("x".repeat(4001)));
    let bad_key_id = with(&|v| v["unit"]["key_id"] = json!("00".repeat(16)));
    let rejects: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "wrong-recipient.age",
            seal(
                &good_container,
                &[Identity::generate().recipient()],
                Armor::Binary,
            )
            .unwrap(),
            "WrongIdentity",
        ),
        (
            "signed-by-another-key.age",
            seal(
                &container_of(&forger, &good_bytes, 1, b""),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "BadSignature",
        ),
        // The status changed after signing (length field adjusted, so only the signature tells).
        (
            "status-altered-after-signing.age",
            {
                let mut c = altered.clone();
                let len = (good_bytes.len() - 7) as u32;
                c[16..20].copy_from_slice(&len.to_be_bytes());
                seal(&c, &to, Armor::Binary).unwrap()
            },
            "BadSignature",
        ),
        (
            "non-canonical.age",
            seal(
                &container_of(&unit, &non_canonical, 1, b""),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "CorruptInput",
        ),
        (
            "unknown-field.age",
            seal(
                &container_of(&unit, &with(&|v| v["priority"] = json!("high")), 1, b""),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "CorruptInput",
        ),
        (
            "unknown-status.age",
            seal(
                &container_of(&unit, &with(&|v| v["status"] = json!("arrested")), 1, b""),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "CorruptInput",
        ),
        (
            "note-too-long.age",
            seal(&container_of(&unit, &long_note, 1, b""), &to, Armor::Binary).unwrap(),
            "CorruptInput",
        ),
        (
            "key-id-mismatch.age",
            seal(
                &container_of(&unit, &bad_key_id, 1, b""),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "CorruptInput",
        ),
        (
            "format-2.age",
            seal(
                &container_of(
                    &unit,
                    &with(&|v| v["format"] = json!("indicia-receipt/2")),
                    1,
                    b"",
                ),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "UnsupportedInput",
        ),
        (
            "container-version-2.age",
            seal(
                &container_of(&unit, &good_bytes, 2, b""),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "UnsupportedInput",
        ),
        (
            "trailing-data.age",
            seal(
                &container_of(&unit, &good_bytes, 1, b"\0"),
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "CorruptInput",
        ),
        (
            "signature-cut.age",
            seal(
                &good_container[..good_container.len() - 1],
                &to,
                Armor::Binary,
            )
            .unwrap(),
            "TruncatedInput",
        ),
        (
            "a-package-not-a-receipt.age",
            seal(b"INDICIA-PACKAGE\x01\0\0\0\x02{}", &to, Armor::Binary).unwrap(),
            "CorruptInput",
        ),
        (
            "age-payload-cut.age",
            {
                let s = seal(&good_container, &to, Armor::Binary).unwrap();
                s[..s.len() - 10].to_vec()
            },
            "CorruptInput",
        ),
    ];
    for (file, bytes, kind) in rejects {
        std::fs::write(dir.join("reject").join(file), bytes).unwrap();
        expected["reject"][file] = json!(kind);
    }
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&expected).unwrap() + "\n",
    )
    .unwrap();
}
