#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
//! The format-v2 vectors in tests/vectors/checklist-v2: `valid/decisive.json` loads and its
//! decisive sign alone gives its outcome; every `reject/*.json` is rejected with the first error
//! `reject/expected.json` names (its JSON path and a message substring), and expected.json lists
//! exactly the files on disk.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use indicia_core::checklist::{Answer, Checklist, Session, YesNo};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/checklist-v2")
}

fn read(relative: &str) -> String {
    let path = dir().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_valid_v2_definition_loads_and_its_decisive_sign_alone_gives_level_3() {
    let checklist = Arc::new(Checklist::from_json(&read("valid/decisive.json")).unwrap());
    let mut s = Session::new(checklist, "en");
    // The work section shows once the age is given.
    s.answer("age", Answer::Number(30.0)).unwrap();
    s.answer("documents_taken", Answer::YesNo(YesNo::Yes))
        .unwrap();
    let a = s.assessment();
    assert!(!a.rule.met);
    assert_eq!(
        (a.outcome.id.as_str(), a.outcome.level),
        ("refer_decisive", 3)
    );
    assert!(a
        .explanation
        .iter()
        .any(|l| l.starts_with("Decisive sign: ") && l.contains(&a.fired[0].label)));
    // Without the sign, the outcomes below it apply as in v1.
    s.answer("documents_taken", Answer::YesNo(YesNo::No))
        .unwrap();
    assert_eq!(s.assessment().outcome.id, "none");
}

#[test]
fn every_v2_reject_case_fails_with_its_expected_first_error() {
    let expected: Value = serde_json::from_str(&read("reject/expected.json")).unwrap();
    let cases = expected["cases"].as_array().expect("`cases` is an array");
    let mut listed = BTreeSet::new();
    for case in cases {
        let field = |key: &str| {
            case[key]
                .as_str()
                .unwrap_or_else(|| panic!("{case}: no {key}"))
        };
        let file = field("file");
        listed.insert(file.to_owned());
        let errors = match Checklist::from_json(&read(&format!("reject/{file}"))) {
            Ok(_) => panic!("{file}: loaded, but must be rejected"),
            Err(errors) => errors,
        };
        let first = errors.first().expect("at least one error");
        let message = first.kind.to_string();
        assert!(
            first.path == field("path") && message.contains(field("message")),
            "{file}: expected {} … {}, found {} : {message}",
            field("path"),
            field("message"),
            first.path
        );
        assert!(
            !message.contains('\n') && message.chars().count() <= 300,
            "{file}: {message}"
        );
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir().join("reject"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json") && name != "expected.json")
        .collect();
    assert_eq!(listed, on_disk, "expected.json and the reject files differ");
}
