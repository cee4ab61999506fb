//! Package container v2 (docs/formats/package.md, "Version 2"): what the writer makes, that v1
//! and v2 of one case give one content hash, and every way a v2 container must be refused —
//! each forged part re-signed where the check under test comes after a signature, so the test
//! fails if that check is missing rather than passing on a signature error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::package::{
    open_package_in_memory, read_container, seal_package_in_memory, seal_v1_package_in_memory,
    verify_signed, AttachmentEntry, CaseContent, DeviceKey, Manifest, NoteEntry, PackageError,
    PackageWriter, FORMAT, FORMAT_V1, MAGIC_V2,
};
use indicia_core::{hex, open, Armor, ErrorKind, Identity};
use serde_json::json;
use sha2::{Digest, Sha256};

#[path = "support/package_craft.rs"]
mod craft;
use craft::V2;

fn manifest(key: &DeviceKey, attachments: &[&[u8]], digests: bool) -> Manifest {
    Manifest {
        format: FORMAT.into(),
        report_id: "0123456789abcdef0123456789abcdef".into(),
        sealed_at: 1_795_459_641,
        organisation: "sk.example-ngo".into(),
        reply_to: vec![],
        device: key.info(),
        case: CaseContent {
            case_id: "fedcba9876543210fedcba9876543210".into(),
            title: "Harbour".into(),
            created: 1_795_450_000,
            updated: 1_795_459_000,
            answers: json!({"age_group": "adult"}).as_object().unwrap().clone(),
            notes: vec![NoteEntry {
                text: "met at the bus station".into(),
                created: 1_795_451_000,
            }],
        },
        checklist: None,
        assessment: None,
        attachments: attachments
            .iter()
            .enumerate()
            .map(|(i, c)| AttachmentEntry {
                name: format!("photo-{i}.jpg"),
                mime: "image/jpeg".into(),
                size: c.len() as u64,
                sha256: if digests {
                    hex::encode(&Sha256::digest(c))
                } else {
                    String::new()
                },
            })
            .collect(),
        custody: vec![],
    }
}

/// The manifest bytes a v2 package carries (no digests).
fn signed_bytes(key: &DeviceKey, attachments: &[&[u8]]) -> Vec<u8> {
    manifest(key, attachments, false).canonical_bytes().unwrap()
}

/// Reads a decrypted container to its end: the manifest with its digests, or the first error.
fn read_plain(container: &[u8]) -> Result<Manifest, PackageError> {
    let mut reader = read_container(container)?;
    for _ in 0..reader.manifest().attachments.len() {
        reader.read_attachment(std::io::sink())?;
    }
    reader.finish()
}

fn err(container: &[u8]) -> PackageError {
    read_plain(container).expect_err("refused")
}

#[test]
fn the_writer_seals_v2_with_the_digests_after_the_attachments_and_one_content_hash_with_v1() {
    let key = DeviceKey::generate().unwrap();
    let unit = Identity::generate();
    let photos: [&[u8]; 2] = [b"first photo", &[9u8; 100_000]];
    let to = [unit.recipient()];
    // Digests not given: the writer computes them as the bytes stream (a file is read once).
    let v2 = seal_package_in_memory(
        manifest(&key, &photos, false),
        &key,
        &to,
        Armor::Binary,
        &photos,
    )
    .unwrap();
    let plain = open(&v2, std::slice::from_ref(&unit)).unwrap();
    assert_eq!(&plain[..16], MAGIC_V2.as_slice());
    let opened = open_package_in_memory(&v2, std::slice::from_ref(&unit)).unwrap();
    assert_eq!(opened.manifest.format, FORMAT);
    assert!(!String::from_utf8(opened.manifest_bytes.clone())
        .unwrap()
        .contains("sha256"));
    assert_eq!(opened.manifest, manifest(&key, &photos, true));
    assert_eq!(opened.attachments[1].as_slice(), photos[1]);

    // The same case as a v1 package: the same content hash (a receiver de-duplicates them).
    let mut old = manifest(&key, &photos, true);
    old.format = FORMAT_V1.into();
    let v1 = seal_v1_package_in_memory(old, &key, &to, Armor::Binary, &photos).unwrap();
    let opened_v1 = open_package_in_memory(&v1, std::slice::from_ref(&unit)).unwrap();
    assert_eq!(&open(&v1, &[unit]).unwrap()[..16], b"INDICIA-PACKAGE\x01");
    assert_eq!(opened_v1.content_hash, opened.content_hash);
    assert_eq!(opened_v1.manifest.attachments, opened.manifest.attachments);
}

#[test]
fn the_writer_gives_the_digests_it_computed_and_refuses_a_file_whose_size_changed() {
    let key = DeviceKey::generate().unwrap();
    let to = [Identity::generate().recipient()];
    let photo: &[u8] = b"a photo of eleven";
    let mut writer = PackageWriter::new(
        manifest(&key, &[photo], false),
        &key,
        &to,
        Armor::Binary,
        Vec::new(),
    )
    .unwrap();
    writer.write_attachment(photo).unwrap();
    let (_, sealed) = writer.finish_with_manifest().unwrap();
    assert_eq!(sealed, manifest(&key, &[photo], true));
    assert!(sealed.content_hash().is_ok());
    // A v2 manifest whose digests are not known yet has no content hash.
    assert!(manifest(&key, &[photo], false).content_hash().is_err());

    // The file grew, or shrank, after its size was taken.
    for content in [&b"a photo of eleven!"[..], &b"a photo"[..]] {
        let mut writer = PackageWriter::new(
            manifest(&key, &[photo], false),
            &key,
            &to,
            Armor::Binary,
            Vec::new(),
        )
        .unwrap();
        let e = writer.write_attachment(content).unwrap_err();
        assert!(
            matches!(e, PackageError::AttachmentMismatch { what: "size", .. }),
            "{e:?}"
        );
    }
    // A digest given and not matching is still refused.
    let mut wrong = manifest(&key, &[photo], true);
    wrong.attachments[0].sha256 = "00".repeat(32);
    let e = seal_package_in_memory(wrong, &key, &to, Armor::Binary, &[photo]).unwrap_err();
    assert!(
        matches!(e, PackageError::AttachmentMismatch { what: "sha256", .. }),
        "{e:?}"
    );
    // A v1 manifest is not written as v2.
    let mut old = manifest(&key, &[photo], true);
    old.format = FORMAT_V1.into();
    let e = seal_package_in_memory(old, &key, &to, Armor::Binary, &[photo]).unwrap_err();
    assert!(matches!(e, PackageError::InvalidInput(_)), "{e:?}");
}

#[test]
fn a_valid_forged_container_reads_so_the_rejects_below_test_one_change_each() {
    let key = DeviceKey::generate().unwrap();
    let photos: [&[u8]; 2] = [b"one", b"two"];
    let v2 = V2::new(&key, &signed_bytes(&key, &photos), &photos);
    assert_eq!(
        read_plain(&v2.bytes()).unwrap(),
        manifest(&key, &photos, true)
    );
}

#[test]
fn signatures_that_do_not_verify_are_refused() {
    let key = DeviceKey::generate().unwrap();
    let forger = DeviceKey::generate().unwrap();
    let photos: [&[u8]; 1] = [b"photo"];
    let bytes = signed_bytes(&key, &photos);

    // The header signature by another key than the header names.
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.sign_header(&forger);
    assert!(matches!(err(&v2.bytes()), PackageError::BadSignature));
    // The manifest changed after the header was signed.
    let mut v2 = V2::new(&key, &bytes, &photos);
    let altered = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("adult", "child");
    v2.manifest = altered.into_bytes();
    assert!(matches!(err(&v2.bytes()), PackageError::BadSignature));
    // Bytes that are no JSON at all behind a bad header signature: the signature is checked
    // first (no JSON is parsed for an unsigned manifest).
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.manifest = vec![b'['; bytes.len()];
    assert!(matches!(err(&v2.bytes()), PackageError::BadSignature));
    // The trailer signature by another key, or over other digests.
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.sign_trailer(&forger);
    let e = err(&v2.bytes());
    assert!(matches!(e, PackageError::BadSignature), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::BadSignature);
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.digests[0][0] ^= 1;
    v2.body = b"phot0".to_vec();
    assert!(matches!(err(&v2.bytes()), PackageError::BadSignature));
}

#[test]
fn attachments_that_differ_from_the_signed_digests_or_sizes_are_refused() {
    let key = DeviceKey::generate().unwrap();
    let photos: [&[u8]; 2] = [b"photo", b"second"];
    let bytes = signed_bytes(&key, &photos);
    // Other bytes of the same size, the trailer signed over the real digests.
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.body = b"photoSECOND".to_vec();
    let e = err(&v2.bytes());
    assert!(
        matches!(
            e,
            PackageError::AttachmentMismatch {
                index: 1,
                what: "sha256"
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.kind(), ErrorKind::CorruptInput);
    // The header's sizes are not the manifest's (both signed).
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.header = V2::header_of(&key.info().public_key, bytes.len() as u32, 2, &[4, 7]);
    v2.sign(&key);
    let e = err(&v2.bytes());
    assert!(matches!(e, PackageError::Header(_)), "{e:?}");
    // The header counts another number of attachments than the manifest lists.
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.header = V2::header_of(&key.info().public_key, bytes.len() as u32, 1, &[5]);
    v2.sign(&key);
    assert!(matches!(err(&v2.bytes()), PackageError::Header(_)));
}

#[test]
fn limits_in_the_header_are_refused_before_anything_is_read_for_them() {
    let key = DeviceKey::generate().unwrap();
    let bytes = signed_bytes(&key, &[]);
    let public = key.info().public_key;
    // More than 1,000 attachments: refused on the count, before its sizes are read (there are
    // none here: the error is not TruncatedInput).
    let header = V2::header_of(&public, bytes.len() as u32, 1001, &[]);
    let e = err(&header);
    assert!(matches!(e, PackageError::Header(_)), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::CorruptInput);
    for len in [0, 16 * 1024 * 1024 + 1, u32::MAX] {
        let e = err(&V2::header_of(&public, len, 0, &[]));
        assert!(matches!(e, PackageError::Header(_)), "{len}: {e:?}");
    }
    // 1,000 attachments and a 16 MiB manifest are within the limits: these read on to the end
    // of the input.
    let e = err(&V2::header_of(&public, 16 * 1024 * 1024, 1000, &[0; 1000]));
    assert!(matches!(e, PackageError::Truncated(_)), "{e:?}");
}

#[test]
fn a_manifest_that_does_not_fit_its_header_or_its_version_is_refused_though_signed() {
    let key = DeviceKey::generate().unwrap();
    let photos: [&[u8]; 1] = [b"photo"];
    // Digests in a v2 manifest.
    let with = manifest(&key, &photos, true).canonical_bytes().unwrap();
    let e = err(&V2::new(&key, &with, &photos).bytes());
    assert!(matches!(e, PackageError::Manifest(_)), "{e:?}");
    // A v1 manifest in a v2 container.
    let mut old = manifest(&key, &photos, false);
    old.format = FORMAT_V1.into();
    let e = err(&V2::new(&key, &old.canonical_bytes().unwrap(), &photos).bytes());
    assert!(matches!(e, PackageError::Manifest(_)), "{e:?}");
    // The manifest names another device than the header (both signatures by the header's key).
    let other = DeviceKey::generate().unwrap();
    let theirs = signed_bytes(&other, &photos);
    let mut v2 = V2::new(&key, &theirs, &photos);
    v2.header = V2::header_of(&key.info().public_key, theirs.len() as u32, 1, &[5]);
    v2.sign(&key);
    let e = err(&v2.bytes());
    assert!(matches!(e, PackageError::Header(_)), "{e:?}");
    // Not canonical.
    let pretty = serde_json::to_vec_pretty(
        &serde_json::from_slice::<serde_json::Value>(&signed_bytes(&key, &photos)).unwrap(),
    )
    .unwrap();
    let e = err(&V2::new(&key, &pretty, &photos).bytes());
    assert!(matches!(e, PackageError::Manifest(_)), "{e:?}");
}

#[test]
fn a_container_cut_in_any_part_is_truncated_and_one_with_more_is_trailing_data() {
    let key = DeviceKey::generate().unwrap();
    let photos: [&[u8]; 2] = [b"photo", b"second"];
    let v2 = V2::new(&key, &signed_bytes(&key, &photos), &photos);
    let whole = v2.bytes();
    let mut cut_at = vec![17, 50, 60];
    // Inside every part, and at every part's end but the last.
    let mut start = 0;
    for end in v2.ends() {
        cut_at.push((start + end) / 2);
        cut_at.push(end - 1);
        if end < whole.len() {
            cut_at.push(end);
        }
        start = end;
    }
    for at in cut_at {
        let e = err(&whole[..at]);
        assert_eq!(e.kind(), ErrorKind::TruncatedInput, "cut at {at}: {e:?}");
    }
    let mut v2 = v2;
    v2.after = b"!".to_vec();
    assert!(matches!(err(&v2.bytes()), PackageError::TrailingData));
}

#[test]
fn nothing_read_is_final_before_the_trailer_and_what_was_kept_verifies_again() {
    let key = DeviceKey::generate().unwrap();
    let photos: [&[u8]; 2] = [b"photo", b"second"];
    let bytes = signed_bytes(&key, &photos);
    // The attachments stream out whole; only finish, at the trailer, finds the forgery.
    let mut v2 = V2::new(&key, &bytes, &photos);
    v2.body = b"PHOTOsecond".to_vec();
    let container = v2.bytes();
    let mut reader = read_container(&container[..]).unwrap();
    let mut first = Vec::new();
    reader.read_attachment(&mut first).unwrap();
    assert_eq!(first, b"PHOTO");
    assert!(reader.finish().is_err());

    // What a receiver keeps re-verifies, and any change to it does not.
    let v2 = V2::new(&key, &bytes, &photos);
    let container = v2.bytes();
    let (manifest, signed) = read_container(&container[..])
        .unwrap()
        .finish_signed()
        .unwrap();
    assert_eq!(signed.version(), 2);
    assert_eq!(verify_signed(&signed).unwrap(), manifest);
    let mut changed = signed.clone();
    changed.digests[1][3] ^= 1;
    assert!(matches!(
        verify_signed(&changed),
        Err(PackageError::BadSignature)
    ));
    let mut changed = signed.clone();
    changed.manifest[10] ^= 1;
    assert!(verify_signed(&changed).is_err());
    let mut changed = signed.clone();
    changed.header.push(0);
    assert!(verify_signed(&changed).is_err());
    let mut changed = signed;
    changed.digests.pop();
    assert!(verify_signed(&changed).is_err());
}
