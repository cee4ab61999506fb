//! The signed checklist vectors (tests/vectors/signed-checklist-v1, docs/formats/signed-checklist.md):
//! each valid envelope loads under the vectors' trust list with its publisher, and its content
//! hash is the unsigned definition's; each must-reject file is refused with its error kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};

use indicia_core::checklist::{Checklist, ChecklistTrust, Provenance};
use indicia_core::ErrorKind;
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/signed-checklist-v1")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn expected() -> Value {
    serde_json::from_str(&read(&dir().join("expected.json"))).expect("expected.json is JSON")
}

fn trust() -> ChecklistTrust {
    ChecklistTrust::from_json(&read(&dir().join("trust.json"))).expect("trust.json reads")
}

#[test]
fn every_valid_envelope_loads_with_its_publisher_and_the_unsigned_definitions_hash() {
    let valid = expected()["valid"].as_object().cloned().expect("valid");
    assert_eq!(valid.len(), 2);
    for (file, want) in valid {
        let checklist = Checklist::load(&read(&dir().join("valid").join(&file)), &trust())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            checklist.provenance(),
            Provenance::TrustedPublisher,
            "{file}"
        );
        let publisher = checklist.publisher().expect("a publisher");
        assert_eq!(publisher.name, want["publisher"], "{file}");
        assert_eq!(publisher.key_id(), want["key_id"], "{file}");
        assert_eq!(publisher.signed_at, want["signed_at"], "{file}");
        let source = want["source"].as_str().expect("source");
        let plain =
            Checklist::from_json(&read(&dir().join("..").join(source))).expect("source loads");
        assert_eq!(checklist.reference().hash, plain.reference().hash, "{file}");
        let r = checklist.reference();
        publisher
            .verify(&r.id, &r.version, &r.hash)
            .expect("the signature travels on its own");
        // Without a trust list the same file loads, its publisher marked as not trusted here.
        let open = Checklist::load(
            &read(&dir().join("valid").join(&file)),
            &ChecklistTrust::default(),
        )
        .expect("loads");
        assert_eq!(open.provenance(), Provenance::UntrustedPublisher);
    }
}

#[test]
fn every_must_reject_file_is_refused_with_its_kind() {
    let reject = expected()["reject"].as_object().cloned().expect("reject");
    let files: Vec<String> = std::fs::read_dir(dir().join("reject"))
        .expect("reject dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        files.len(),
        reject.len(),
        "every file is listed in expected.json"
    );
    for (file, want) in reject {
        let err = Checklist::load(&read(&dir().join("reject").join(&file)), &trust())
            .err()
            .unwrap_or_else(|| panic!("{file} loaded"));
        assert_eq!(err.kind().as_str(), want["kind"], "{file}: {err}");
        assert!(!err.to_string().contains('\n') || err.kind() == ErrorKind::InvalidChecklist);
    }
}

#[test]
fn an_envelope_over_the_size_bound_is_refused_before_it_is_parsed() {
    // Not a file: 4 MiB of padding would weigh on the repository. A valid envelope followed by
    // whitespace past the bound is refused as too large, not read.
    let valid = read(&dir().join("valid/minimal.json"));
    let padded = valid.clone()
        + &" ".repeat(indicia_core::checklist::signed::MAX_SIGNED_BYTES + 1 - valid.len());
    let err = Checklist::load(&padded, &trust()).expect_err("too large");
    assert_eq!(err.kind(), ErrorKind::InvalidChecklist);
    assert!(err.to_string().contains("too large"), "{err}");
    // One byte less loads.
    let fits = valid.clone()
        + &" ".repeat(indicia_core::checklist::signed::MAX_SIGNED_BYTES - valid.len());
    assert!(Checklist::load(&fits, &trust()).is_ok());
}
