//! Sealing a case from the store into a report package: what goes in, what the case becomes,
//! and the device key the store keeps.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::checklist::builtin;
use indicia_core::package::open_package_in_memory;
use indicia_core::store::{CaseStatus, KdfParams, MemoryBackend, Protection, Store};
use indicia_core::{Armor, ErrorKind, Identity};
use secrecy::SecretString;
use serde_json::json;

#[path = "support/sealing.rs"]
mod sealing;
use sealing::add_unit;

fn pin() -> SecretString {
    SecretString::from("tidal-amber-orchard".to_owned())
}

fn store() -> Store {
    Store::create(
        Box::new(MemoryBackend::new().unwrap()),
        &pin(),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap()
}

#[test]
fn a_sealed_case_carries_its_answers_notes_attachments_assessment_and_custody() {
    let mut store = store();
    let checklist = builtin::load("first-contact").unwrap().reference().clone();
    let id = store
        .create_case("Harbour", Some(checklist.clone()))
        .unwrap();
    for (q, v) in [
        ("age_group", json!("adult")),
        ("long_hours", json!("yes")),
        ("documents_held", json!("yes")),
        ("threats", json!("yes")),
        ("worker_note", json!("lives above the restaurant")),
    ] {
        store.save_answer(&id, q, &v).unwrap();
    }
    store.add_note(&id, "met at the bus station").unwrap();
    let photo = vec![9u8; 100_000];
    store
        .add_attachment(&id, "photo.jpg", "image/jpeg", &photo[..])
        .unwrap();
    let identity = Identity::generate();
    let key_id = add_unit(&mut store, &identity);
    let (sealed, report) = store
        .seal_case(
            &id,
            "sk.example-ngo",
            &[Identity::generate().recipient().to_string()],
            &[key_id],
            Armor::Binary,
            Vec::new(),
        )
        .unwrap();

    let opened = open_package_in_memory(&sealed, &[identity]).unwrap();
    let m = &opened.manifest;
    assert_eq!(m.report_id, report.report_id);
    assert_eq!(opened.content_hash, report.content_hash);
    assert_eq!(m.organisation, "sk.example-ngo");
    assert_eq!(m.case.case_id, id);
    assert_eq!(m.case.title, "Harbour");
    assert_eq!(
        m.case.answers["worker_note"],
        json!("lives above the restaurant")
    );
    assert_eq!(m.case.notes[0].text, "met at the bus station");
    assert_eq!(m.checklist.as_ref(), Some(&checklist));
    assert_eq!(opened.attachments[0].as_slice(), &photo[..]);
    assert_eq!(m.attachments[0].name, "photo.jpg");
    let assessment = m
        .assessment
        .as_ref()
        .expect("assessment of a built-in checklist");
    assert!(assessment["outcome"]["level"].as_u64().unwrap() >= 1);
    assert_eq!(m.device, store.device_info().unwrap());
    assert_eq!(report.device_key_id, m.device.key_id);
    // The custody log up to sealing travels; the case then records the sealing.
    assert_eq!(m.custody.first().unwrap().event, "created");
    // Two phases: the package is made (the case stays a draft with it pending) …
    let record = store.case(&id).unwrap();
    assert_eq!(record.status, CaseStatus::Draft);
    assert_eq!(record.pending_seal.unwrap().report_id, report.report_id);
    // … and the host confirms it is stored: only then is the case sealed.
    store.confirm_sealed(&id, &report.report_id).unwrap();
    let record = store.case(&id).unwrap();
    assert_eq!(record.status, CaseStatus::Sealed);
    assert_eq!(record.pending_seal, None);
    assert_eq!(record.report_id.as_deref(), Some(report.report_id.as_str()));
    let log = store.custody_log(&id).unwrap();
    assert_eq!(log.last().unwrap().event, "report_sealed");
    assert_eq!(log.last().unwrap().detail, report.report_id);
    // A sealed case is not sealed again, and cannot be edited.
    let err = store
        .seal_case(&id, "sk.example-ngo", &[], &[], Armor::Binary, Vec::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
}

#[test]
fn a_failed_seal_leaves_the_case_a_draft() {
    let mut store = store();
    let id = store.create_case("x", None).unwrap();
    let identity = Identity::generate();
    add_unit(&mut store, &identity);
    let err = store
        .seal_case(&id, "  ", &[], &[], Armor::Binary, Vec::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
    assert_eq!(store.case(&id).unwrap().status, CaseStatus::Draft);
    // Without a built-in checklist there is no assessment, but the package is complete.
    let (sealed, _) = store
        .seal_case(&id, "org", &[], &[], Armor::Ascii, Vec::new())
        .unwrap();
    let opened = open_package_in_memory(&sealed, &[identity]).unwrap();
    assert!(opened.manifest.assessment.is_none());
}

#[test]
fn a_case_is_sealed_only_to_the_units_whose_cards_the_store_holds() {
    let mut store = store();
    let id = store.create_case("x", None).unwrap();
    // No unit added: nothing to seal to, and nothing a host could type in instead.
    let err = store
        .seal_case(&id, "org", &[], &[], Armor::Binary, Vec::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidState);
    assert!(err.to_string().contains("add a unit"), "{err}");
    let (a, b) = (Identity::generate(), Identity::generate());
    let (id_a, id_b) = (add_unit(&mut store, &a), add_unit(&mut store, &b));
    // A key id of no added unit, or an age recipient where a key id belongs: NotFound.
    for unknown in [
        "00000000000000000000000000000000".to_owned(),
        a.recipient().to_string(),
    ] {
        let err = store
            .seal_case(&id, "org", &[], &[unknown], Armor::Binary, Vec::new())
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
    }
    let err = store
        .seal_case(
            &id,
            "org",
            &[],
            &[id_a.clone(), "f".repeat(32)],
            Armor::Binary,
            Vec::new(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(store.case(&id).unwrap().pending_seal, None);
    // One unit named: only it can open the package.
    let (sealed, _) = store
        .seal_case(
            &id,
            "org",
            &[],
            std::slice::from_ref(&id_b),
            Armor::Binary,
            Vec::new(),
        )
        .unwrap();
    assert!(open_package_in_memory(&sealed, std::slice::from_ref(&b)).is_ok());
    let err = open_package_in_memory(&sealed, std::slice::from_ref(&a)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WrongIdentity);
    // None named: every unit the store holds.
    let (sealed, _) = store
        .seal_case(&id, "org", &[], &[], Armor::Binary, Vec::new())
        .unwrap();
    assert!(open_package_in_memory(&sealed, std::slice::from_ref(&a)).is_ok());
    assert!(open_package_in_memory(&sealed, &[b]).is_ok());
    // A removed unit is sealed to no more.
    assert!(store.remove_unit(&id_b).unwrap());
    let err = store
        .seal_case(&id, "org", &[], &[id_b], Armor::Binary, Vec::new())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let (sealed, _) = store
        .seal_case(&id, "org", &[], &[id_a], Armor::Binary, Vec::new())
        .unwrap();
    assert!(open_package_in_memory(&sealed, &[a]).is_ok());
}

#[test]
fn the_device_key_is_kept_sealed_in_the_store_and_goes_with_it() {
    let mut store = store();
    let first = store.device_info().unwrap();
    store.lock();
    assert_eq!(
        store.device_info().unwrap_err().kind(),
        ErrorKind::StoreLocked
    );
    store.unlock(&pin()).unwrap();
    assert_eq!(store.device_info().unwrap(), first);
    let mut other = self::store();
    assert_ne!(other.device_info().unwrap(), first);
}

/// What every binding's `createCase(title, checklistId)` calls: the case is tied to the built-in
/// checklist's reference (so it is assessed when sealed), and an unknown id starts nothing.
#[test]
fn start_case_ties_the_case_to_a_builtin_checklist_or_refuses_an_unknown_one() {
    let mut store = store();
    let id = store
        .start_case("Harbour", Some("first-contact"), None)
        .unwrap();
    let reference = builtin::load("first-contact").unwrap().reference().clone();
    assert_eq!(store.case(&id).unwrap().checklist, Some(reference));
    let plain = store.start_case("notes only", None, None).unwrap();
    assert_eq!(store.case(&plain).unwrap().checklist, None);

    let err = store
        .start_case("t", Some("no-such-checklist"), None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownChecklist);
    assert!(err.to_string().contains("no-such-checklist"));
}

/// The case keeps the language the worker chose (the app reopens it in that language), and
/// only a language the checklist offers is taken; a refused one starts no case.
#[test]
fn start_case_keeps_the_checklist_language_and_refuses_one_the_checklist_lacks() {
    let mut store = store();
    let id = store
        .start_case("Harbour", Some("first-contact"), Some("sk"))
        .unwrap();
    assert_eq!(store.case(&id).unwrap().language.as_deref(), Some("sk"));
    let plain = store
        .start_case("Dock", Some("first-contact"), None)
        .unwrap();
    assert_eq!(store.case(&plain).unwrap().language, None);
    for (checklist, language) in [(Some("first-contact"), "xx"), (None, "sk")] {
        let err = store
            .start_case("t", checklist, Some(language))
            .unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidArgument,
            "{checklist:?} {language}"
        );
    }
    assert_eq!(store.list_cases().unwrap().len(), 2);
    assert_eq!(store.list_cases().unwrap().len(), 2);
}

/// Canonical JSON writes numbers as IEEE 754 doubles: 2^53 + 1 would be sealed as 2^53, so the
/// receiver would read another answer than the worker gave. It is refused when saved instead.
#[test]
fn an_answer_beyond_two_to_the_53_is_refused_when_saved_and_nothing_changes() {
    let mut store = store();
    let id = store.start_case("Harbour", None, None).unwrap();
    store
        .save_answer(&id, "hours", &serde_json::json!(9_007_199_254_740_992_u64))
        .unwrap();
    for too_big in [
        serde_json::json!(9_007_199_254_740_993_u64),
        serde_json::json!(-9_007_199_254_740_993_i64),
        serde_json::json!(1e300),
    ] {
        let err = store.save_answer(&id, "hours", &too_big).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidAnswer, "{too_big}");
    }
    assert_eq!(
        store.answers(&id).unwrap()["hours"],
        serde_json::json!(9_007_199_254_740_992_u64)
    );
}
