//! `indicia checklist list | validate | show | run` as an author or a worker runs them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod common;

use common::indicia;
use predicates::prelude::*;

/// An adult case with strong signs in every dimension the adult variant needs.
const ADULT_REFER: &str = r#"{
  "age_group": "adult",
  "long_hours": "yes",
  "low_or_no_pay": "yes",
  "documents_held": "yes",
  "debt": "yes",
  "deceived_about_job": "yes",
  "recruitment_debt_documents": "yes"
}"#;

#[test]
fn list_names_every_builtin() {
    indicia()
        .args(["checklist", "list"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("builtin:first-contact").and(predicate::str::contains(
                "builtin:ilo-ec-delphi-adult-labour",
            )),
        );
}

#[test]
fn validate_prints_id_version_and_content_hash() {
    indicia()
        .args(["checklist", "validate", "builtin:first-contact"])
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"^valid: first-contact \S+ \(sha256:[0-9a-f]{64}\)").unwrap(),
        );
}

#[test]
fn validate_reports_the_json_path_of_a_mistake_and_exits_10() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    let mut json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("../tests/vectors/checklist-v1/valid/minimal.json").unwrap(),
    )
    .unwrap();
    json["sections"][0]["questions"][0]["relevnt"] = "true".into();
    std::fs::write(&path, json.to_string()).unwrap();
    indicia()
        .args(["checklist", "validate"])
        .arg(&path)
        .assert()
        .code(10)
        .stderr(
            predicate::str::contains("[InvalidChecklist]")
                .and(predicate::str::contains("$.sections[0].questions[0]"))
                .and(predicate::str::contains("relevnt")),
        );
}

#[test]
fn unknown_builtin_exits_11() {
    indicia()
        .args(["checklist", "validate", "builtin:nope"])
        .assert()
        .code(11)
        .stderr(predicate::str::contains("[UnknownChecklist]"));
}

#[test]
fn show_uses_the_requested_language() {
    let en = indicia()
        .args(["checklist", "show", "builtin:first-contact", "--lang", "en"])
        .assert()
        .success();
    let sk = indicia()
        .args(["checklist", "show", "builtin:first-contact", "--lang", "sk"])
        .assert()
        .success();
    let (en, sk) = (
        en.get_output().stdout.clone(),
        sk.get_output().stdout.clone(),
    );
    assert_ne!(en, sk);
    assert!(String::from_utf8(sk)
        .unwrap()
        .contains("not been checked by a native speaker"));
}

#[test]
fn run_with_saved_answers_prints_the_outcome_and_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.json");
    std::fs::write(&answers, ADULT_REFER).unwrap();
    indicia()
        .args(["checklist", "run", "builtin:first-contact", "--answers"])
        .arg(&answers)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("(level 3)")
                .and(predicate::str::contains("Rule ("))
                .and(predicate::str::contains(": met")),
        );
}

#[test]
fn run_takes_saved_answers_from_stdin_too() {
    indicia()
        .args([
            "checklist",
            "run",
            "builtin:first-contact",
            "--answers",
            "-",
        ])
        .write_stdin(ADULT_REFER)
        .assert()
        .success()
        .stdout(predicate::str::contains("(level 3)"));
}

#[test]
fn run_json_output_is_the_assessment() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.json");
    std::fs::write(&answers, ADULT_REFER).unwrap();
    let out = indicia()
        .args([
            "checklist",
            "run",
            "builtin:first-contact",
            "--json",
            "--answers",
        ])
        .arg(&answers)
        .assert()
        .success();
    let a: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(a["outcome"]["level"], 3);
    assert_eq!(a["rule"]["met"], true);
    assert_eq!(a["checklist"]["id"], "first-contact");
}

#[test]
fn run_refuses_an_answer_that_does_not_fit_and_exits_12() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.json");
    std::fs::write(&answers, r#"{"age_group": "very old"}"#).unwrap();
    indicia()
        .args(["checklist", "run", "builtin:first-contact", "--answers"])
        .arg(&answers)
        .assert()
        .code(12)
        .stderr(
            predicate::str::contains("age_group").and(predicate::str::contains("very old").not()),
        );
}

#[test]
fn interactive_run_asks_until_done_and_ends_with_the_assessment() {
    // age_group: adult (choice 2); every other item skipped with an empty line.
    let mut input = String::from("2\n");
    input.push_str(&"\n".repeat(40));
    indicia()
        .args(["checklist", "run", "builtin:first-contact", "--lang", "en"])
        .write_stdin(input)
        .assert()
        .success()
        .stderr(predicate::str::contains("[observe — do not ask]"))
        .stdout(predicate::str::contains("(level 0)"));
}

#[test]
fn interactive_run_keeps_asking_a_required_item() {
    // An empty line does not skip the required age question; "q" then stops.
    indicia()
        .args(["checklist", "run", "builtin:first-contact"])
        .write_stdin("\nq\n")
        .assert()
        .success()
        .stderr(
            predicate::str::contains("this one is required").and(predicate::str::contains(
                "Required items not answered: age_group",
            )),
        );
}

#[test]
fn export_then_import_gives_back_the_same_content_hash() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("first-contact.xlsx");
    let json = dir.path().join("first-contact.json");
    indicia()
        .args([
            "checklist",
            "export",
            "builtin:first-contact",
            "--format",
            "xlsform",
            "-o",
        ])
        .arg(&xlsx)
        .assert()
        .success()
        .stdout("");
    indicia()
        .args(["checklist", "import"])
        .arg(&xlsx)
        .arg("-o")
        .arg(&json)
        .assert()
        .success()
        .stderr("");
    let hash = |spec: &str| {
        let out = indicia()
            .args(["checklist", "validate", spec])
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        text.split_whitespace().nth(3).unwrap().to_owned()
    };
    assert_eq!(hash(json.to_str().unwrap()), hash("builtin:first-contact"));
    // Never over an existing file.
    indicia()
        .args([
            "checklist",
            "export",
            "builtin:first-contact",
            "--format",
            "xlsform",
            "-o",
        ])
        .arg(&xlsx)
        .assert()
        .failure();
}

#[test]
fn import_prints_the_definition_and_a_note_for_what_it_passed_over() {
    indicia()
        .args([
            "checklist",
            "import",
            "../tests/vectors/xlsform-v1/valid/ngo-screening.xlsx",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"id\": \"labour-screening-test\"",
        ))
        .stderr(predicate::str::contains(
            "note: survey!A2: \"start\" is form metadata, not a question; passed over",
        ));
}

#[test]
fn import_refuses_a_form_with_its_sheet_row_and_column_and_exits_10() {
    indicia()
        .args([
            "checklist",
            "import",
            "../tests/vectors/xlsform-v1/reject/14-pulldata.xlsx",
        ])
        .assert()
        .code(10)
        .stdout("")
        .stderr(predicate::str::contains(
            "[InvalidChecklist]: survey!G6: relevant uses unsupported function \"pulldata\"",
        ));
}
