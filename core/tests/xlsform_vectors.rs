#![cfg(feature = "xlsform")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
//! The XLSForm import corpus in tests/vectors/xlsform-v1: the valid form imports with its
//! notices, and every hostile or unsupported workbook in `reject/` is refused with the location
//! and message that `reject/expected.json` names, as one short line, never a panic.

use std::collections::BTreeMap;
use std::path::PathBuf;

use indicia_core::checklist::xlsform::{self, limits, XlsFormError};
use indicia_core::checklist::{Answer, Session};
use indicia_core::ErrorKind;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/xlsform-v1")
}

fn location(e: &XlsFormError) -> String {
    match e {
        XlsFormError::Form(f) => f.location(),
        _ => String::new(),
    }
}

#[test]
fn every_rejected_workbook_is_refused_with_its_located_error() {
    let expected: BTreeMap<String, BTreeMap<String, String>> =
        serde_json::from_str(&std::fs::read_to_string(dir().join("reject/expected.json")).unwrap())
            .unwrap();
    let mut files: Vec<String> = std::fs::read_dir(dir().join("reject"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    files.sort();
    assert_eq!(
        files,
        expected.keys().cloned().collect::<Vec<_>>(),
        "expected.json lists every file"
    );
    for (name, want) in &expected {
        let bytes = std::fs::read(dir().join("reject").join(name)).unwrap();
        let err = xlsform::import(&bytes)
            .err()
            .unwrap_or_else(|| panic!("{name} was imported"));
        assert_eq!(err.kind(), ErrorKind::InvalidChecklist, "{name}");
        assert_eq!(location(&err), want["location"], "{name}: {err}");
        let text = err.to_string();
        assert!(text.contains(&want["message"]), "{name}: {text}");
        assert!(
            !text.contains('\n') && text.chars().count() <= 300,
            "{name}: one short line: {text}"
        );
        if !want["location"].is_empty() {
            assert!(
                text.starts_with(&format!("{}: ", want["location"])),
                "{name}: {text}"
            );
        }
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_opened() {
    let big = vec![b'P'; limits::MAX_FILE_BYTES + 1];
    let err = xlsform::import(&big).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the file is {} bytes; at most {} are read",
            big.len(),
            limits::MAX_FILE_BYTES
        )
    );
}

#[test]
fn the_ngo_form_imports_with_a_notice_for_each_thing_passed_over() {
    let bytes = std::fs::read(dir().join("valid/ngo-screening.xlsx")).unwrap();
    let imported = xlsform::import(&bytes).unwrap();
    assert_eq!(
        imported.notices,
        [
            "read_me: a sheet Indicia does not read; passed over",
            "settings!G2: instance_name is for ODK servers; passed over",
            "survey!I1: column \"appearance\" only changes the layout in ODK; passed over",
            "survey!A2: \"start\" is form metadata, not a question; passed over",
            "survey!A3: \"end\" is form metadata, not a question; passed over",
            "survey!A6: integer is read as a number question; Indicia does not require a whole number",
        ]
    );
    let c = imported.checklist;
    assert_eq!(c.reference().id, "labour-screening-test");
    assert_eq!(c.languages(), ["en", "fr"]);
    let doc: serde_json::Value = serde_json::from_str(&imported.json).unwrap();
    assert_eq!(doc["format"], "indicia-checklist/2");
    let work = &doc["sections"][1];
    // ODK's `${q} != ''` is Indicia's answered(); not() keeps its parentheses.
    assert_eq!(
        work["relevant"],
        "${age_group} != 'child' or answered(${hours})"
    );
    assert_eq!(
        work["questions"][3]["relevant"],
        "not (${documents} = 'no')"
    );
    let hours = &doc["sections"][0]["questions"][1];
    assert_eq!(
        (hours["min"].clone(), hours["max"].clone()),
        (0.into(), 24.into())
    );
    // `.` in an indicator's condition is the question itself.
    assert_eq!(hours["indicators"][0]["when"], "${hours} > 12");
    // A yes_no list of yes and no only is a choice question, not Indicia's yes_no.
    assert_eq!(doc["sections"][1]["questions"][0]["kind"], "single_choice");
    assert_eq!(doc["sections"][0]["questions"][0]["mode"], "observed");

    // And it runs: the translated mappings fire.
    let mut session = Session::new(std::sync::Arc::new(c), "fr");
    session
        .answer("age_group", Answer::Choice("adult".into()))
        .unwrap();
    session.answer("hours", Answer::Number(14.0)).unwrap();
    session
        .answer("documents", Answer::Choice("yes".into()))
        .unwrap();
    let fired: Vec<String> = session
        .assessment()
        .fired
        .iter()
        .map(|f| f.id.clone())
        .collect();
    assert_eq!(fired, ["W.hours", "C.documents"]);
}

#[test]
fn truncated_and_flipped_workbooks_are_refused_without_a_panic() {
    // A cheap sweep beside the fuzz target (fuzz/fuzz_targets/xlsform.rs): every prefix length
    // in coarse steps, and single bytes flipped through the file.
    let bytes = std::fs::read(dir().join("valid/ngo-screening.xlsx")).unwrap();
    for len in (0..bytes.len()).step_by(97) {
        assert!(xlsform::import(&bytes[..len]).is_err());
    }
    for at in (0..bytes.len()).step_by(61) {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x5a;
        let _ = xlsform::import(&flipped);
    }
}
