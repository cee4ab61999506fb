//! Writes the package test vectors in tests/vectors/package-v1/ (run once per format change;
//! the files are then frozen and checked by core/tests/package_vectors.rs):
//!
//!     cargo tool make_package_vectors -- tests/vectors/package-v1
//!
//! The unit identity and the device key are test-only keys published with the vectors.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a generator run by hand

// Shared with core/tests/package.rs, so the vectors and the tests forge packages alike.
#[path = "../../../../core/tests/support/package_craft.rs"]
mod craft;

use std::collections::BTreeMap;
use std::path::Path;

use indicia_core::package::{
    seal_package_in_memory, AttachmentEntry, CaseContent, DeviceKey, Manifest, NoteEntry, FORMAT,
};
use indicia_core::{hex, seal, Armor, Identity};
use secrecy::ExposeSecret;
use serde_json::json;
use sha2::{Digest, Sha256};

fn manifest(key: &DeviceKey, report_id: &str, attachments: &[(&str, &[u8])]) -> Manifest {
    Manifest {
        format: FORMAT.into(),
        report_id: report_id.into(),
        sealed_at: 1_795_459_641,
        organisation: "sk.example-ngo".into(),
        reply_to: vec![],
        device: key.info(),
        case: CaseContent {
            case_id: "fedcba9876543210fedcba9876543210".into(),
            title: "Harbour — test vector ✓".into(),
            created: 1_795_450_000,
            updated: 1_795_459_000,
            answers: json!({"age_group": "adult", "sector": ["construction"], "long_hours": "yes", "hours": 16.5})
                .as_object()
                .unwrap()
                .clone(),
            notes: vec![NoteEntry {
                text: "met at the bus station".into(),
                created: 1_795_451_000,
            }],
        },
        checklist: None,
        assessment: None,
        attachments: attachments
            .iter()
            .map(|(name, content)| AttachmentEntry {
                name: (*name).into(),
                mime: "image/jpeg".into(),
                size: content.len() as u64,
                sha256: hex::encode(&Sha256::digest(content)),
            })
            .collect(),
        custody: vec![],
    }
}

/// File name, report id, encoding, attachments (name, content).
type ValidCase<'a> = (&'a str, &'a str, Armor, Vec<(&'a str, &'a [u8])>);

fn main() {
    let dir = std::env::args().nth(1).expect("output directory");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("valid")).unwrap();
    std::fs::create_dir_all(dir.join("reject")).unwrap();
    let unit = Identity::generate();
    std::fs::write(
        dir.join("unit.key"),
        format!("{}\n", unit.to_secret_string().expose_secret()),
    )
    .unwrap();
    let recipients = [unit.recipient()];
    let device =
        DeviceKey::from_secret(&Sha256::digest(b"indicia package-v1 test device")).unwrap();
    std::fs::write(
        dir.join("device.json"),
        serde_json::to_string_pretty(&device.info()).unwrap() + "\n",
    )
    .unwrap();

    let photo: Vec<u8> = (0..70_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let small: &[u8] = b"second attachment";
    let mut valid = BTreeMap::new();
    let cases: [ValidCase; 3] = [
        (
            "two-attachments.age",
            "00000000000000000000000000000001",
            Armor::Binary,
            vec![("photo.jpg", &photo), ("note.jpg", small)],
        ),
        (
            "armored.age",
            "00000000000000000000000000000002",
            Armor::Ascii,
            vec![("note.jpg", small)],
        ),
        (
            "no-attachments.age",
            "00000000000000000000000000000003",
            Armor::Binary,
            vec![],
        ),
    ];
    for (file, report_id, armor, attachments) in cases {
        let m = manifest(&device, report_id, &attachments);
        let contents: Vec<&[u8]> = attachments.iter().map(|(_, c)| *c).collect();
        let sealed =
            seal_package_in_memory(m.clone(), &device, &recipients, armor, &contents).unwrap();
        std::fs::write(dir.join("valid").join(file), sealed).unwrap();
        valid.insert(
            file,
            json!({
                "report_id": report_id,
                "content_hash": m.content_hash().unwrap(),
                "device_key_id": m.device.key_id,
                "attachments": m.attachments.iter().map(|a| a.sha256.clone()).collect::<Vec<_>>(),
            }),
        );
    }

    let base = manifest(
        &device,
        "00000000000000000000000000000009",
        &[("note.jpg", small)],
    );
    let bytes = base.canonical_bytes().unwrap();
    let forger = DeviceKey::from_secret(&Sha256::digest(b"indicia package-v1 forger")).unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    value["extra"] = json!(true);
    let unknown_field = serde_jcs::to_vec(&value).unwrap();
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(&bytes).unwrap())
            .unwrap();
    let altered = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("adult", "child");
    let good = craft::container(&device, &bytes, small);
    let mut v2 = good.clone();
    v2[15] = 2;
    let seal_inner = |inner: &[u8]| seal(inner, &recipients, Armor::Binary).unwrap();
    let full = seal_inner(&good);
    let rejects: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "wrong-recipient.age",
            seal(&good, &[Identity::generate().recipient()], Armor::Binary).unwrap(),
            "WrongIdentity",
        ),
        (
            "signed-by-another-key.age",
            seal_inner(&craft::container(&forger, &bytes, small)),
            "BadSignature",
        ),
        (
            "manifest-altered-after-signing.age",
            seal_inner(&craft::container_signed(
                altered.as_bytes(),
                &craft::sign(&device, &bytes),
                small,
            )),
            "BadSignature",
        ),
        (
            "non-canonical-manifest.age",
            seal_inner(&craft::container(&device, &pretty, small)),
            "CorruptInput",
        ),
        (
            "unknown-manifest-field.age",
            seal_inner(&craft::container(&device, &unknown_field, small)),
            "CorruptInput",
        ),
        (
            "attachment-altered.age",
            seal_inner(&craft::container(&device, &bytes, b"second attachmenT")),
            "CorruptInput",
        ),
        (
            "attachment-cut.age",
            seal_inner(&craft::container(&device, &bytes, &small[..5])),
            "TruncatedInput",
        ),
        (
            "trailing-data.age",
            seal_inner(&craft::container(&device, &bytes, b"second attachment!")),
            "CorruptInput",
        ),
        (
            "not-a-package.age",
            seal_inner(b"a plain age file, not a package"),
            "CorruptInput",
        ),
        (
            "container-version-2.age",
            seal_inner(&v2),
            "UnsupportedInput",
        ),
        (
            "manifest-cut.age",
            seal_inner(&good[..60]),
            "TruncatedInput",
        ),
        // age cannot tell a cut inside a chunk from an altered chunk.
        (
            "age-payload-cut.age",
            full[..full.len() - 20].to_vec(),
            "CorruptInput",
        ),
        ("age-header-cut.age", full[..40].to_vec(), "TruncatedInput"),
        (
            "age-payload-flipped.age",
            {
                let mut f = full.clone();
                let n = f.len() - 30;
                f[n] ^= 1;
                f
            },
            "CorruptInput",
        ),
    ];
    let mut reject = BTreeMap::new();
    for (file, bytes, kind) in rejects {
        std::fs::write(dir.join("reject").join(file), bytes).unwrap();
        reject.insert(file, kind);
    }
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&json!({"valid": valid, "reject": reject})).unwrap() + "\n",
    )
    .unwrap();
}
