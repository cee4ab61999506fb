#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
//! The checklist-definition corpora in tests/vectors/checklist-v1 and checklist-v2: their valid
//! definitions load, and every `reject/*.json` (each a valid definition with one author mistake)
//! is rejected with the first error that `reject/expected.json` names: its exact JSON path and a
//! message substring that identifies the specific mistake. Messages must stay single short lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use indicia_core::checklist::{Answer, Checklist, LoadErrors, Session, YesNo};
use serde_json::Value;

/// Format v1's corpus (everything an author can get wrong) and v2's (decisive indicators).
const V1: &str = "checklist-v1";
const V2: &str = "checklist-v2";

/// The loader's documented size limit (docs/formats/checklist.md; `load::MAX_DOCUMENT_BYTES`).
const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// Longest acceptable Display of one error.
const MAX_MESSAGE_CHARS: usize = 300;

fn dir(corpus: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/vectors/{corpus}"))
}

fn read(corpus: &str, relative: &str) -> String {
    let path = dir(corpus).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One row of expected.json: a committed `file` or a `generated` case.
struct Case {
    corpus: &'static str,
    name: String,
    file: Option<String>,
    path: String,
    message: String,
}

fn cases(corpus: &'static str) -> Vec<Case> {
    let expected: Value = serde_json::from_str(&read(corpus, "reject/expected.json")).unwrap();
    let rows = expected["cases"]
        .as_array()
        .expect("expected.json: `cases` is an array");
    rows.iter()
        .map(|row| {
            let field = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_owned);
            let file = field("file");
            let name = file
                .clone()
                .or_else(|| field("generated").map(|g| format!("generated:{g}")))
                .unwrap_or_else(|| {
                    panic!("expected.json: a case has neither `file` nor `generated`: {row}")
                });
            Case {
                corpus,
                path: field("path").unwrap_or_else(|| panic!("{name}: no `path`")),
                message: field("message").unwrap_or_else(|| panic!("{name}: no `message`")),
                name,
                file,
            }
        })
        .collect()
}

fn reject_files(corpus: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir(corpus).join("reject"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json") && name != "expected.json")
        .collect()
}

/// The minimal definition padded with trailing whitespace to one byte over the limit: valid in
/// every respect but size.
fn too_large_document() -> String {
    let mut json = read(V1, "valid/minimal.json");
    let pad = MAX_DOCUMENT_BYTES + 1 - json.len();
    json.push_str(&" ".repeat(pad));
    json
}

/// The document a case is about.
fn document(case: &Case) -> String {
    match (&case.file, case.name.as_str()) {
        (Some(file), _) => read(case.corpus, &format!("reject/{file}")),
        (None, "generated:too-large") => too_large_document(),
        (None, other) => panic!("unknown generated case {other}"),
    }
}

fn load_errors(case: &Case) -> LoadErrors {
    match Checklist::from_json(&document(case)) {
        Ok(_) => panic!("{}: loaded, but must be rejected", case.name),
        Err(errors) => errors,
    }
}

/// Compares the first error with the expectation; `None` when it matches.
fn mismatch(case: &Case, errors: &LoadErrors) -> Option<String> {
    let Some(first) = errors.first() else {
        return Some(format!("{}: rejected with an empty error list", case.name));
    };
    let message = first.kind.to_string();
    if first.path == case.path && message.contains(&case.message) {
        return None;
    }
    Some(format!(
        "{}:\n    expected {} … {}\n    found    {} : {}",
        case.name, case.path, case.message, first.path, message
    ))
}

#[test]
fn minimal_definition_loads() {
    if let Err(errors) = Checklist::from_json(&read(V1, "valid/minimal.json")) {
        panic!("valid/minimal.json must load:\n{errors}");
    }
}

#[test]
fn the_v2_definition_loads_and_its_decisive_sign_alone_gives_level_3() {
    let checklist = Arc::new(Checklist::from_json(&read(V2, "valid/decisive.json")).unwrap());
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
fn every_reject_case_fails_with_its_expected_first_error() {
    let failures: Vec<String> = [cases(V1), cases(V2)]
        .iter()
        .flatten()
        .filter_map(|case| mismatch(case, &load_errors(case)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} case(s) did not give the expected first error:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn expected_json_lists_exactly_the_reject_files_and_each_case_is_distinct() {
    for corpus in [V1, V2] {
        let listed: BTreeSet<String> = cases(corpus)
            .iter()
            .filter_map(|c| c.file.clone())
            .collect();
        let on_disk = reject_files(corpus);
        let unlisted: Vec<_> = on_disk.difference(&listed).collect();
        let missing: Vec<_> = listed.difference(&on_disk).collect();
        assert!(
            unlisted.is_empty(),
            "{corpus}: reject files not in expected.json: {unlisted:?}"
        );
        assert!(
            missing.is_empty(),
            "{corpus}: expected.json names files that do not exist: {missing:?}"
        );
    }

    let cases = cases(V1);

    let mut names = BTreeSet::new();
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for case in &cases {
        assert!(
            names.insert(case.name.as_str()),
            "{} is listed twice",
            case.name
        );
        assert!(
            !case.message.is_empty(),
            "{}: empty message substring",
            case.name
        );
        if let Some(other) = seen.insert(
            (case.path.as_str(), case.message.as_str()),
            case.name.as_str(),
        ) {
            panic!(
                "{} and {other} expect the same (path, message): each mistake needs its own error",
                case.name
            );
        }
    }
    assert!(
        cases.len() >= 35,
        "the corpus has only {} cases",
        cases.len()
    );
}

#[test]
fn oversized_document_is_rejected_before_parsing() {
    let document = too_large_document();
    assert_eq!(document.len(), MAX_DOCUMENT_BYTES + 1);
    // Just under the limit, the same padding is harmless.
    let mut fits = read(V1, "valid/minimal.json");
    fits.push_str(&" ".repeat(MAX_DOCUMENT_BYTES - fits.len()));
    if let Err(errors) = Checklist::from_json(&fits) {
        panic!("a document of exactly {MAX_DOCUMENT_BYTES} bytes must load:\n{errors}");
    }
    let case = cases(V1)
        .into_iter()
        .find(|c| c.name == "generated:too-large")
        .expect("expected.json lists the generated too-large case");
    let errors = load_errors(&case);
    assert_eq!(errors.0.len(), 1, "{errors}");
    if let Some(m) = mismatch(&case, &errors) {
        panic!("{m}");
    }
}

#[test]
fn every_error_displays_as_one_short_line() {
    for case in [cases(V1), cases(V2)].into_iter().flatten() {
        for error in load_errors(&case).0 {
            let shown = error.to_string();
            assert!(
                !shown.contains(['\n', '\r']),
                "{}: multi-line error: {shown:?}",
                case.name
            );
            let chars = shown.chars().count();
            assert!(
                chars <= MAX_MESSAGE_CHARS,
                "{}: {chars}-character error: {shown}",
                case.name
            );
        }
    }
}

/// Notepad and PowerShell save UTF-8 with a byte-order mark: such a checklist loads, with the
/// same content hash as without it.
#[test]
fn a_checklist_saved_with_a_byte_order_mark_loads_with_the_same_hash() {
    let json = include_str!("../checklists/first-contact.json");
    let plain = indicia_core::checklist::Checklist::from_json(json).unwrap();
    let marked = indicia_core::checklist::Checklist::from_json(&format!("\u{feff}{json}")).unwrap();
    assert_eq!(marked.reference(), plain.reference());
}
