//! Report packages (docs/formats/package.md): round trips, every way a package must be refused,
//! and an exhaustive single-bit-flip check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::package::{
    open_package, open_package_in_memory, seal_package_in_memory, AttachmentEntry, CaseContent,
    DeviceKey, Manifest, NoteEntry, PackageError, PackageWriter, FORMAT, FORMAT_V1, MAX_TEXT_BYTES,
    MAX_TIME, MAX_TITLE_CHARS,
};
use indicia_core::{hex, seal, Armor, ErrorKind, Identity, Recipient};
use serde_json::json;
use sha2::{Digest, Sha256};

#[path = "support/package_craft.rs"]
mod craft;
use craft::{container, container_signed, sign};

fn entry(name: &str, content: &[u8]) -> AttachmentEntry {
    AttachmentEntry {
        name: name.into(),
        mime: "application/octet-stream".into(),
        size: content.len() as u64,
        sha256: hex::encode(&Sha256::digest(content)),
    }
}

fn manifest(key: &DeviceKey, attachments: &[&[u8]]) -> Manifest {
    let answers = json!({"age_group": "adult", "sector": ["construction"], "hours": 16.5});
    Manifest {
        format: FORMAT.into(),
        report_id: "0123456789abcdef0123456789abcdef".into(),
        sealed_at: 1_795_459_641,
        organisation: "sk.example-ngo".into(),
        reply_to: vec![],
        device: key.info(),
        case: CaseContent {
            case_id: "fedcba9876543210fedcba9876543210".into(),
            title: "Harbour — ünïcode ✓".into(),
            created: 1_795_450_000,
            updated: 1_795_459_000,
            answers: answers.as_object().unwrap().clone(),
            notes: vec![NoteEntry {
                text: "met at the bus station".into(),
                created: 1_795_451_000,
            }],
        },
        checklist: None,
        assessment: Some(json!({"outcome": {"level": 2}})),
        attachments: attachments
            .iter()
            .enumerate()
            .map(|(i, c)| entry(&format!("photo-{i}.jpg"), c))
            .collect(),
        custody: vec![],
    }
}

/// The same manifest as a v1 package carries it (the crafted containers here are v1).
fn v1(mut m: Manifest) -> Manifest {
    m.format = FORMAT_V1.into();
    m
}

fn without_digests(m: &Manifest) -> Manifest {
    let mut m = m.clone();
    for a in &mut m.attachments {
        a.sha256.clear();
    }
    m
}

struct Fixture {
    key: DeviceKey,
    identity: Identity,
    recipient: Recipient,
}

fn fixture() -> Fixture {
    let identity = Identity::generate();
    Fixture {
        key: DeviceKey::generate().unwrap(),
        recipient: identity.recipient(),
        identity,
    }
}

/// Seals an arbitrary inner container (for packages a correct writer would never make).
fn seal_inner(f: &Fixture, inner: &[u8]) -> Vec<u8> {
    seal(inner, std::slice::from_ref(&f.recipient), Armor::Binary).unwrap()
}

fn open_err(f: &Fixture, package: &[u8]) -> PackageError {
    open_package_in_memory(package, std::slice::from_ref(&f.identity)).unwrap_err()
}

#[test]
fn a_package_round_trips_with_its_attachments_and_opens_only_for_its_recipients() {
    let f = fixture();
    let photos: [&[u8]; 2] = [b"first photo bytes", &[7u8; 200_000]];
    let m = manifest(&f.key, &photos);
    let sealed = seal_package_in_memory(
        m.clone(),
        &f.key,
        std::slice::from_ref(&f.recipient),
        Armor::Binary,
        &photos,
    )
    .unwrap();
    let opened = open_package_in_memory(&sealed, std::slice::from_ref(&f.identity)).unwrap();
    assert_eq!(opened.manifest, m);
    // The manifest as signed carries no digests (v2: they are in the trailer); the one read
    // back has them.
    assert_eq!(
        opened.manifest_bytes,
        without_digests(&m).canonical_bytes().unwrap()
    );
    assert_eq!(opened.attachments.len(), 2);
    assert_eq!(opened.attachments[1].as_slice(), photos[1]);
    assert_eq!(opened.content_hash, m.content_hash().unwrap());
    // Nothing readable outside the age layer.
    assert!(!sealed.windows(8).any(|w| w == b"Harbour "));
    let other = Identity::generate();
    assert_eq!(
        open_package_in_memory(&sealed, &[other])
            .unwrap_err()
            .kind(),
        ErrorKind::WrongIdentity
    );
}

#[test]
fn the_content_hash_ignores_report_id_time_and_device_but_not_content() {
    let f = fixture();
    let a = manifest(&f.key, &[]);
    let mut b = a.clone();
    b.report_id = "ffffffffffffffffffffffffffffffff".into();
    b.sealed_at += 60;
    b.device = DeviceKey::generate().unwrap().info();
    assert_eq!(a.content_hash().unwrap(), b.content_hash().unwrap());
    let mut c = a.clone();
    c.case.notes[0].text.push('!');
    assert_ne!(a.content_hash().unwrap(), c.content_hash().unwrap());
}

#[test]
fn a_manifest_signed_by_another_key_is_a_bad_signature() {
    let f = fixture();
    let m = manifest(&f.key, &[]);
    let forger = DeviceKey::generate().unwrap();
    let inner = container(&forger, &v1(m).canonical_bytes().unwrap(), &[]);
    let err = open_err(&f, &seal_inner(&f, &inner));
    assert!(matches!(err, PackageError::BadSignature), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::BadSignature);
}

#[test]
fn an_altered_manifest_under_the_original_signature_is_a_bad_signature() {
    let f = fixture();
    let bytes = v1(manifest(&f.key, &[])).canonical_bytes().unwrap();
    let signature = sign(&f.key, &bytes);
    let altered = String::from_utf8(bytes).unwrap().replace("adult", "child");
    let inner = container_signed(altered.as_bytes(), &signature, &[]);
    assert!(matches!(
        open_err(&f, &seal_inner(&f, &inner)),
        PackageError::BadSignature
    ));
}

#[test]
fn a_validly_signed_but_non_canonical_manifest_is_refused() {
    let f = fixture();
    let value: serde_json::Value =
        serde_json::from_slice(&v1(manifest(&f.key, &[])).canonical_bytes().unwrap()).unwrap();
    let pretty = serde_json::to_vec_pretty(&value).unwrap();
    let err = open_err(&f, &seal_inner(&f, &container(&f.key, &pretty, &[])));
    assert!(matches!(err, PackageError::Manifest(_)), "{err:?}");
}

#[test]
fn unknown_fields_and_a_wrong_key_id_are_refused_even_when_signed() {
    let f = fixture();
    let mut value: serde_json::Value =
        serde_json::from_slice(&v1(manifest(&f.key, &[])).canonical_bytes().unwrap()).unwrap();
    value["extra"] = json!(1);
    let bytes = serde_jcs::to_vec(&value).unwrap();
    let err = open_err(&f, &seal_inner(&f, &container(&f.key, &bytes, &[])));
    assert!(matches!(err, PackageError::Manifest(_)), "{err:?}");

    let mut value: serde_json::Value =
        serde_json::from_slice(&v1(manifest(&f.key, &[])).canonical_bytes().unwrap()).unwrap();
    value["device"]["key_id"] = json!("00000000000000000000000000000000");
    let bytes = serde_jcs::to_vec(&value).unwrap();
    let err = open_err(&f, &seal_inner(&f, &container(&f.key, &bytes, &[])));
    assert!(matches!(err, PackageError::Manifest(_)), "{err:?}");
}

#[test]
fn attachments_that_differ_from_the_manifest_are_refused() {
    let f = fixture();
    let content: &[u8] = b"the real photo";
    let bytes = v1(manifest(&f.key, &[content])).canonical_bytes().unwrap();
    // Same length, other bytes.
    let err = open_err(
        &f,
        &seal_inner(&f, &container(&f.key, &bytes, b"the fake photo")),
    );
    assert!(
        matches!(
            err,
            PackageError::AttachmentMismatch {
                index: 0,
                what: "sha256"
            }
        ),
        "{err:?}"
    );
    // Cut short, and with bytes after the end.
    let err = open_err(
        &f,
        &seal_inner(&f, &container(&f.key, &bytes, &content[..5])),
    );
    assert!(matches!(err, PackageError::Truncated(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::TruncatedInput);
    let longer = [content, b"!"].concat();
    let err = open_err(&f, &seal_inner(&f, &container(&f.key, &bytes, &longer)));
    assert!(matches!(err, PackageError::TrailingData), "{err:?}");
}

#[test]
fn other_age_files_and_other_versions_are_not_packages() {
    let f = fixture();
    assert!(matches!(
        open_err(&f, &seal_inner(&f, b"just a sealed text")),
        PackageError::NotAPackage
    ));
    assert!(matches!(
        open_err(&f, &seal_inner(&f, b"")),
        PackageError::NotAPackage
    ));
    let mut inner = container(
        &f.key,
        &v1(manifest(&f.key, &[])).canonical_bytes().unwrap(),
        &[],
    );
    inner[15] = 3;
    let err = open_err(&f, &seal_inner(&f, &inner));
    assert!(matches!(err, PackageError::Unsupported(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::UnsupportedInput);
    // A container cut inside the manifest.
    let inner = container(
        &f.key,
        &v1(manifest(&f.key, &[])).canonical_bytes().unwrap(),
        &[],
    );
    let err = open_err(&f, &seal_inner(&f, &inner[..40]));
    assert!(
        matches!(err, PackageError::Truncated("manifest")),
        "{err:?}"
    );
}

#[test]
fn the_writer_refuses_attachments_that_do_not_match_and_a_foreign_device() {
    let f = fixture();
    let content: &[u8] = b"photo";
    let recipients = std::slice::from_ref(&f.recipient);
    let m = manifest(&f.key, &[content]);
    let err = seal_package_in_memory(m.clone(), &f.key, recipients, Armor::Binary, &[b"other"])
        .unwrap_err();
    assert!(
        matches!(err, PackageError::AttachmentMismatch { .. }),
        "{err:?}"
    );
    let err = seal_package_in_memory(m.clone(), &f.key, recipients, Armor::Binary, &[b"photo!"])
        .unwrap_err();
    assert!(
        matches!(err, PackageError::AttachmentMismatch { what: "size", .. }),
        "{err:?}"
    );
    let err =
        seal_package_in_memory(m.clone(), &f.key, recipients, Armor::Binary, &[]).unwrap_err();
    assert!(matches!(err, PackageError::InvalidInput(_)), "{err:?}");
    let other = DeviceKey::generate().unwrap();
    let err = PackageWriter::new(m, &other, recipients, Armor::Binary, Vec::new())
        .err()
        .unwrap();
    assert!(matches!(err, PackageError::InvalidInput(_)), "{err:?}");
}

#[test]
fn attachments_stream_out_one_by_one() {
    let f = fixture();
    let photos: [&[u8]; 2] = [&[1u8; 70_000], &[2u8; 10]];
    let sealed = seal_package_in_memory(
        manifest(&f.key, &photos),
        &f.key,
        std::slice::from_ref(&f.recipient),
        Armor::Ascii,
        &photos,
    )
    .unwrap();
    let mut reader = open_package(&sealed[..], std::slice::from_ref(&f.identity)).unwrap();
    let mut first = Vec::new();
    let entry = reader.read_attachment(&mut first).unwrap();
    assert_eq!(entry.size, 70_000);
    assert_eq!(first, photos[0]);
    // The rest is checked by finish.
    reader.finish().unwrap();
}

#[test]
fn every_single_bit_flip_of_a_small_package_is_detected() {
    let f = fixture();
    let photo: &[u8] = b"tiny";
    let sealed = seal_package_in_memory(
        manifest(&f.key, &[photo]),
        &f.key,
        std::slice::from_ref(&f.recipient),
        Armor::Binary,
        &[photo],
    )
    .unwrap();
    let identities = std::slice::from_ref(&f.identity);
    open_package_in_memory(&sealed, identities).unwrap();
    let mut undetected = Vec::new();
    for bit in 0..sealed.len() * 8 {
        let mut flipped = sealed.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        if open_package_in_memory(&flipped, identities).is_ok() {
            undetected.push(bit);
        }
    }
    assert!(
        undetected.is_empty(),
        "undetected flips at bits {undetected:?}"
    );
}

#[test]
fn a_standalone_case_is_checked_against_its_checklist_and_carries_the_assessment() {
    use indicia_core::package::{seal_standalone, StandaloneAttachment, StandaloneCase, UnitCard};
    let f = fixture();
    let case: StandaloneCase = serde_json::from_value(json!({
        "organisation": "es.example-ngo",
        "title": "Web report",
        "answers": {"age_group": "adult", "long_hours": "yes", "threats": "yes"},
        "notes": ["seen twice at the market"],
        "checklist_id": "first-contact",
        "reply_to": [f.recipient.to_string()],
    }))
    .unwrap();
    let photo = StandaloneAttachment {
        name: "p.jpg",
        mime: "image/jpeg",
        data: b"jpeg bytes",
    };
    // The unit's signed card (JSON text), never a bare recipient.
    let unit_key = DeviceKey::generate().unwrap();
    let card = UnitCard::signed("Unit", &f.recipient.to_string(), &unit_key).unwrap();
    let recipients = &[card.to_json()];
    let (sealed, report) =
        seal_standalone(&case, &[photo], &f.key, recipients, Armor::Binary).unwrap();
    let opened = open_package_in_memory(&sealed, std::slice::from_ref(&f.identity)).unwrap();
    assert_eq!(opened.manifest.report_id, report.report_id);
    assert_eq!(
        opened.manifest.checklist.as_ref().unwrap().id,
        "first-contact"
    );
    assert!(opened.manifest.assessment.is_some());
    assert_eq!(
        opened.manifest.case.notes[0].text,
        "seen twice at the market"
    );
    assert_eq!(opened.attachments[0].as_slice(), b"jpeg bytes");

    let mut wrong = case.clone();
    wrong.answers.insert("age_group".into(), json!("martian"));
    let err = seal_standalone(&wrong, &[], &f.key, recipients, Armor::Binary).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidAnswer);
    // Without a checklist too: canonical JSON would round it (RFC 8785 numbers are doubles).
    let mut huge = case.clone();
    huge.checklist_id = None;
    huge.answers
        .insert("hours".into(), json!(9_007_199_254_740_993_u64));
    let err = seal_standalone(&huge, &[], &f.key, recipients, Armor::Binary).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidAnswer);
    let mut unknown = case.clone();
    unknown.checklist_id = Some("no-such-checklist".into());
    let err = seal_standalone(&unknown, &[], &f.key, recipients, Armor::Binary).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownChecklist);
    assert!(serde_json::from_value::<StandaloneCase>(
        json!({"organisation": "o", "title": "t", "extra": 1})
    )
    .is_err());
}

#[test]
fn a_standalone_case_is_sealed_only_to_signed_unit_cards() {
    use indicia_core::package::{seal_standalone, StandaloneCase, UnitCard};
    let f = fixture();
    let case = StandaloneCase {
        organisation: "o".into(),
        title: "t".into(),
        ..StandaloneCase::default()
    };
    let seal = |cards: &[String]| seal_standalone(&case, &[], &f.key, cards, Armor::Binary);
    // No card: nothing to seal to.
    assert_eq!(seal(&[]).unwrap_err().kind(), ErrorKind::InvalidState);
    // A bare age recipient where a card belongs is not a card.
    let err = seal(&[f.recipient.to_string()]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CorruptInput);
    // A card whose recipient was swapped after the unit signed it.
    let unit_key = DeviceKey::generate().unwrap();
    let card = UnitCard::signed("Unit", &f.recipient.to_string(), &unit_key).unwrap();
    let mut swapped = card.clone();
    swapped.recipient = Identity::generate().recipient().to_string();
    let err = seal(&[card.to_json(), swapped.to_json()]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
    // An unsigned (v1) card.
    let mut unsigned = card.clone();
    unsigned.format = "indicia-unit/1".into();
    unsigned.signature = None;
    let err = seal(&[unsigned.to_json()]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedInput);
    // The card as signed: the package opens with the unit's identity.
    let (sealed, _) = seal(&[card.to_json()]).unwrap();
    assert!(open_package_in_memory(&sealed, std::slice::from_ref(&f.identity)).is_ok());
}

#[test]
fn a_time_outside_1970_to_9999_is_refused_so_no_receiver_output_has_to_print_it() {
    let key = DeviceKey::generate().unwrap();
    assert!(manifest(&key, &[]).check().is_ok());
    type Edit = fn(&mut Manifest, i64);
    let edits: [(&str, Edit); 4] = [
        ("sealed_at", |m, t| m.sealed_at = t),
        ("case.created", |m, t| m.case.created = t),
        ("case.updated", |m, t| m.case.updated = t),
        ("a note's created", |m, t| m.case.notes[0].created = t),
    ];
    for (field, edit) in edits {
        for (time, ok) in [
            (0, true),
            (MAX_TIME, true),
            (MAX_TIME + 1, false),
            (-1, false),
        ] {
            let mut m = manifest(&key, &[]);
            edit(&mut m, time);
            match m.check() {
                Ok(()) => assert!(ok, "{field} = {time} was accepted"),
                Err(e) => {
                    assert!(!ok, "{field} = {time} was refused: {e}");
                    assert_eq!(e.kind(), ErrorKind::CorruptInput, "{field}");
                }
            }
        }
    }
}

#[test]
fn a_title_note_or_answer_longer_than_a_package_may_carry_is_refused() {
    let key = DeviceKey::generate().unwrap();
    let mut at_limit = manifest(&key, &[]);
    at_limit.case.title = "é".repeat(MAX_TITLE_CHARS);
    at_limit.case.notes[0].text = "n".repeat(MAX_TEXT_BYTES);
    at_limit
        .case
        .answers
        .insert("story".into(), json!("s".repeat(MAX_TEXT_BYTES)));
    assert!(at_limit.check().is_ok());
    let over: [fn(&mut Manifest); 4] = [
        |m| m.case.title.push('x'),
        |m| m.case.notes[0].text.push('x'),
        |m| {
            m.case
                .answers
                .insert("story".into(), json!("s".repeat(MAX_TEXT_BYTES + 1)));
        },
        |m| {
            m.case
                .answers
                .insert("list".into(), json!(["s".repeat(MAX_TEXT_BYTES + 1)]));
        },
    ];
    for (i, edit) in over.into_iter().enumerate() {
        let mut m = at_limit.clone();
        edit(&mut m);
        assert_eq!(
            m.check().unwrap_err().kind(),
            ErrorKind::CorruptInput,
            "edit {i}"
        );
    }
}

/// A manifest naming a checklist signed by a publisher (format v2).
fn signed_checklist_manifest(key: &DeviceKey) -> Manifest {
    use indicia_core::checklist::{
        builtin, sign as sign_checklist, Checklist, ChecklistTrust, PublisherKey,
    };
    let publisher = PublisherKey::from_secret(&[9; 32]);
    let definition = builtin::source("ilo-forced-labour-11").unwrap();
    let envelope = sign_checklist(
        definition,
        "Example referral body",
        &publisher,
        1_764_590_400,
    )
    .unwrap();
    let checklist = Checklist::load(&envelope, &ChecklistTrust::default()).unwrap();
    let mut m = manifest(key, &[]);
    m.checklist = Some(checklist.reference().clone());
    m.format = indicia_core::package::FORMAT.into();
    m
}

#[test]
fn a_signed_checklists_publisher_travels_in_a_v2_manifest_and_is_checked_by_the_reader() {
    let f = fixture();
    let m = signed_checklist_manifest(&f.key);
    assert_eq!(m.format, indicia_core::package::FORMAT);
    let package = seal_package_in_memory(
        m.clone(),
        &f.key,
        std::slice::from_ref(&f.recipient),
        Armor::Binary,
        &[],
    )
    .unwrap();
    let opened = open_package_in_memory(&package, std::slice::from_ref(&f.identity)).unwrap();
    let reference = opened.manifest.checklist.clone().unwrap();
    let publisher = reference.publisher.clone().unwrap();
    assert_eq!(publisher.name, "Example referral body");
    assert_eq!(
        reference.hash,
        indicia_core::checklist::builtin::load("ilo-forced-labour-11")
            .unwrap()
            .reference()
            .hash
    );
    // The signer is part of what the report says: the content hash covers it.
    let mut unsigned = m.clone();
    unsigned.checklist.as_mut().unwrap().publisher = None;
    assert_ne!(m.content_hash().unwrap(), unsigned.content_hash().unwrap());

    // A device claiming a publisher signature that does not verify (another version here) is
    // refused, though the device signed the manifest.
    let mut forged: serde_json::Value =
        serde_json::from_slice(&m.canonical_bytes().unwrap()).unwrap();
    forged["checklist"]["version"] = json!("9.9");
    let bytes = serde_jcs::to_vec(&forged).unwrap();
    let err = open_err(
        &f,
        &seal_inner(&f, &craft::V2::new(&f.key, &bytes, &[]).bytes()),
    );
    assert!(
        matches!(err, PackageError::BadChecklistSignature),
        "{err:?}"
    );
    assert_eq!(err.kind(), ErrorKind::BadSignature);

    // A v1 manifest (in its v1 container) cannot name a publisher.
    let mut v1: serde_json::Value = serde_json::from_slice(&m.canonical_bytes().unwrap()).unwrap();
    v1["format"] = json!(indicia_core::package::FORMAT_V1);
    let err = open_err(
        &f,
        &seal_inner(
            &f,
            &container(&f.key, &serde_jcs::to_vec(&v1).unwrap(), &[]),
        ),
    );
    assert!(matches!(err, PackageError::Manifest(_)), "{err:?}");
    // The writer checks the same before it signs anything.
    let mut bad = m;
    bad.checklist.as_mut().unwrap().version = "9.9".into();
    assert!(seal_package_in_memory(
        bad,
        &f.key,
        std::slice::from_ref(&f.recipient),
        Armor::Binary,
        &[]
    )
    .is_err());
}

#[test]
fn a_manifest_without_a_publisher_leaves_the_key_out() {
    // `publisher` is left out, not null: a manifest whose checklist has none has the bytes it had
    // before publishers existed (the frozen v1 vectors re-encode to themselves).
    let f = fixture();
    let mut m = manifest(&f.key, &[]);
    m.checklist = Some(
        indicia_core::checklist::builtin::load("first-contact")
            .unwrap()
            .reference()
            .clone(),
    );
    let text = String::from_utf8(m.canonical_bytes().unwrap()).unwrap();
    assert!(!text.contains("publisher"), "{text}");
    assert!(text.contains("\"format\":\"indicia-package/2\""));
}
