//! Writes the package test vectors (run once per format change; the files are then frozen and
//! checked by core/tests/package_vectors.rs):
//!
//!     cargo tool make_package_vectors -- tests/vectors/package-v2
//!     cargo tool make_package_vectors -- tests/vectors/package-v1   (container v1, as frozen)
//!
//! The directory's name says the version. The unit identity and the device key are test-only
//! keys published with the vectors; both versions use the same device key and the same cases,
//! so a v2 valid vector has the content hash of the v1 vector of the same name.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a generator run by hand

// Shared with core/tests/package.rs, so the vectors and the tests forge packages alike.
#[path = "../../../../core/tests/support/package_craft.rs"]
mod craft;

use std::collections::BTreeMap;
use std::path::Path;

use indicia_core::package::{
    seal_package_in_memory, seal_v1_package_in_memory, AttachmentEntry, CaseContent, DeviceKey,
    Manifest, NoteEntry, FORMAT, FORMAT_V1,
};
use indicia_core::{hex, seal, Armor, Identity, Recipient};
use secrecy::ExposeSecret;
use serde_json::json;
use sha2::{Digest, Sha256};

fn manifest(key: &DeviceKey, report_id: &str, attachments: &[(&str, &[u8])]) -> Manifest {
    Manifest {
        format: FORMAT_V1.into(),
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

/// The same manifest as a v2 package carries it: format 2, no digests.
fn v2(mut m: Manifest) -> Manifest {
    m.format = FORMAT.into();
    for a in &mut m.attachments {
        a.sha256.clear();
    }
    m
}

/// The second attachment of the valid cases, and the one the forged containers carry.
const SMALL: &[u8] = b"second attachment";

/// The first valid case's photo: 70,000 bytes of a fixed pattern.
fn photo() -> Vec<u8> {
    (0..70_000u32).map(|i| (i * 31 % 251) as u8).collect()
}

/// `valid/` and `reject/` in `dir`, a new unit key (`unit.key`) and the fixed test device
/// (`device.json`), for both versions' vectors.
fn set_up(dir: &Path) -> ([Recipient; 1], DeviceKey) {
    std::fs::create_dir_all(dir.join("valid")).unwrap();
    std::fs::create_dir_all(dir.join("reject")).unwrap();
    let unit = Identity::generate();
    std::fs::write(
        dir.join("unit.key"),
        format!("{}\n", unit.to_secret_string().expose_secret()),
    )
    .unwrap();
    let device =
        DeviceKey::from_secret(&Sha256::digest(b"indicia package-v1 test device")).unwrap();
    std::fs::write(
        dir.join("device.json"),
        serde_json::to_string_pretty(&device.info()).unwrap() + "\n",
    )
    .unwrap();
    ([unit.recipient()], device)
}

/// The valid packages: file, report id, armor and attachments, the same in both versions.
fn valid_cases(photo: &[u8]) -> [ValidCase<'_>; 3] {
    [
        (
            "two-attachments.age",
            "00000000000000000000000000000001",
            Armor::Binary,
            vec![("photo.jpg", photo), ("note.jpg", SMALL)],
        ),
        (
            "armored.age",
            "00000000000000000000000000000002",
            Armor::Ascii,
            vec![("note.jpg", SMALL)],
        ),
        (
            "no-attachments.age",
            "00000000000000000000000000000003",
            Armor::Binary,
            vec![],
        ),
    ]
}

fn main() {
    let dir = std::env::args().nth(1).expect("output directory");
    let dir = Path::new(&dir);
    if !dir.ends_with("package-v1") {
        return make_v2(dir);
    }
    let (recipients, device) = set_up(dir);
    let photo = photo();
    let small: &[u8] = SMALL;
    let mut valid = BTreeMap::new();
    let cases = valid_cases(&photo);
    for (file, report_id, armor, attachments) in cases {
        let m = manifest(&device, report_id, &attachments);
        let contents: Vec<&[u8]> = attachments.iter().map(|(_, c)| *c).collect();
        let sealed =
            seal_v1_package_in_memory(m.clone(), &device, &recipients, armor, &contents).unwrap();
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

/// The v2 vectors: the v1 cases sealed as v2, and every way a v2 container is refused.
fn make_v2(dir: &Path) {
    std::fs::create_dir_all(dir.join("untrusted")).unwrap();
    // The v1 vectors' device and cases: the same cases give the same content hashes.
    let (recipients, device) = set_up(dir);
    let photo = photo();
    let small: &[u8] = SMALL;
    let mut valid = BTreeMap::new();
    let cases = valid_cases(&photo);
    for (file, report_id, armor, attachments) in cases {
        let m = manifest(&device, report_id, &attachments);
        let contents: Vec<&[u8]> = attachments.iter().map(|(_, c)| *c).collect();
        // Sealed without the digests: the writer computes them as the bytes stream.
        let sealed =
            seal_package_in_memory(v2(m.clone()), &device, &recipients, armor, &contents).unwrap();
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

    let base = v2(manifest(
        &device,
        "00000000000000000000000000000009",
        &[("note.jpg", small)],
    ));
    let bytes = base.canonical_bytes().unwrap();
    let forger = DeviceKey::from_secret(&Sha256::digest(b"indicia package-v1 forger")).unwrap();
    let good = craft::V2::new(&device, &bytes, &[small]);
    let public = device.info().public_key;
    let len = bytes.len() as u32;
    let seal_inner = |inner: &[u8]| seal(inner, &recipients, Armor::Binary).unwrap();
    let forged = |change: &dyn Fn(&mut craft::V2)| {
        let mut v = craft::V2::new(&device, &bytes, &[small]);
        change(&mut v);
        seal_inner(&v.bytes())
    };
    let mut with_digests = manifest(
        &device,
        "00000000000000000000000000000009",
        &[("note.jpg", small)],
    );
    with_digests.format = FORMAT.into();
    let with_digests = serde_jcs::to_vec(&serde_json::to_value(&with_digests).unwrap()).unwrap();
    let pretty =
        serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(&bytes).unwrap())
            .unwrap();
    let altered = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("adult", "child")
        .into_bytes();
    let whole = good.bytes();
    let ends = good.ends();
    let full = seal_inner(&whole);
    let mut v3 = whole.clone();
    v3[15] = 3;
    let rejects: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "wrong-recipient.age",
            seal(&whole, &[Identity::generate().recipient()], Armor::Binary).unwrap(),
            "WrongIdentity",
        ),
        (
            "header-signature-bad.age",
            forged(&|v| v.sign_header(&forger)),
            "BadSignature",
        ),
        (
            "manifest-altered-after-signing.age",
            forged(&|v| v.manifest = altered.clone()),
            "BadSignature",
        ),
        (
            "trailer-signature-bad.age",
            forged(&|v| v.sign_trailer(&forger)),
            "BadSignature",
        ),
        (
            "digest-mismatch.age",
            forged(&|v| v.body = b"second attachmenT".to_vec()),
            "CorruptInput",
        ),
        (
            "size-mismatch.age",
            forged(&|v| {
                v.header = craft::V2::header_of(&public, len, 1, &[16]);
                v.body.pop();
                v.sign(&device);
            }),
            "CorruptInput",
        ),
        (
            "count-over-1000.age",
            seal_inner(&craft::V2::header_of(&public, len, 1001, &[0; 1001])),
            "CorruptInput",
        ),
        (
            "manifest-length-zero.age",
            seal_inner(&craft::V2::header_of(&public, 0, 0, &[])),
            "CorruptInput",
        ),
        (
            "manifest-length-over-16mib.age",
            seal_inner(&craft::V2::header_of(&public, 16 * 1024 * 1024 + 1, 0, &[])),
            "CorruptInput",
        ),
        (
            "manifest-with-digests.age",
            seal_inner(&craft::V2::new(&device, &with_digests, &[small]).bytes()),
            "CorruptInput",
        ),
        (
            "non-canonical-manifest.age",
            seal_inner(&craft::V2::new(&device, &pretty, &[small]).bytes()),
            "CorruptInput",
        ),
        (
            "trailing-data.age",
            forged(&|v| v.after = b"!".to_vec()),
            "CorruptInput",
        ),
        (
            "cut-in-header.age",
            seal_inner(&whole[..40]),
            "TruncatedInput",
        ),
        (
            "cut-in-header-signature.age",
            seal_inner(&whole[..ends[1] - 10]),
            "TruncatedInput",
        ),
        (
            "cut-in-manifest.age",
            seal_inner(&whole[..ends[2] - 10]),
            "TruncatedInput",
        ),
        (
            "cut-in-attachments.age",
            seal_inner(&whole[..ends[3] - 5]),
            "TruncatedInput",
        ),
        (
            "cut-before-trailer.age",
            seal_inner(&whole[..ends[3]]),
            "TruncatedInput",
        ),
        (
            "cut-in-digests.age",
            seal_inner(&whole[..ends[4] - 10]),
            "TruncatedInput",
        ),
        (
            "cut-in-trailer-signature.age",
            seal_inner(&whole[..ends[5] - 10]),
            "TruncatedInput",
        ),
        (
            "container-version-3.age",
            seal_inner(&v3),
            "UnsupportedInput",
        ),
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
    // Valid in form, signed by a key not on the unit's trust list (which holds device.json's):
    // refused at ingest before the manifest is read.
    let mut by_forger = base.clone();
    by_forger.device = forger.info();
    let untrusted =
        seal_package_in_memory(by_forger, &forger, &recipients, Armor::Binary, &[small]).unwrap();
    std::fs::write(dir.join("untrusted").join("untrusted-key.age"), untrusted).unwrap();
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&json!({
            "valid": valid,
            "reject": reject,
            "untrusted": {"untrusted-key.age": "UntrustedSigner"},
        }))
        .unwrap()
            + "\n",
    )
    .unwrap();
}
