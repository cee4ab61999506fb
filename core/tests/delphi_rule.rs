//! Table tests of the ILO/EC Delphi rule as data: every dimension threshold case with its near
//! misses, and the adult and child combinations (docs/formats/checklist.md, "Rule").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use indicia_core::checklist::{Answer, Checklist, Session, YesNo};
use serde_json::{json, Value};

const DIMENSIONS: [&str; 6] = ["D1", "D2", "D3", "D4", "D5", "D6"];
const STRENGTHS: [&str; 3] = ["strong", "medium", "weak"];
const PER_STRENGTH: usize = 3;

fn text(s: &str) -> Value {
    json!({ "en": s })
}

/// Six dimensions, each with three strong, three medium and three weak indicators, one yes/no
/// question per indicator, and the Delphi rule with an adult and a child variant.
fn fixture() -> Arc<Checklist> {
    let mut indicators = Vec::new();
    let mut sections = vec![json!({
        "id": "context", "label": text("Context"),
        "questions": [{ "id": "age_group", "kind": "single_choice", "mode": "asked", "label": text("Age"),
            "choices": [{ "id": "adult", "label": text("Adult") }, { "id": "child", "label": text("Child") }] }]
    })];
    for d in DIMENSIONS {
        let mut questions = Vec::new();
        for s in STRENGTHS {
            for n in 0..PER_STRENGTH {
                let id = format!("{d}.{s}{n}");
                indicators
                    .push(json!({ "id": id, "dimension": d, "strength": s, "label": text(&id) }));
                questions.push(
                    json!({ "id": question_id(d, s, n), "kind": "yes_no", "mode": "observed",
                    "label": text(&id), "indicators": [{ "indicator": id }] }),
                );
            }
        }
        sections.push(json!({ "id": d.to_lowercase(), "label": text(d), "questions": questions }));
    }
    let definition = json!({
        "format": "indicia-checklist/1", "id": "delphi-table", "version": "1", "default_language": "en",
        "languages": ["en"], "title": text("Delphi table"), "population": "any",
        "source": { "title": "test", "licence_note": "test" }, "review": { "status": "unreviewed" },
        "dimensions": DIMENSIONS.iter().map(|d| json!({ "id": d, "label": text(&format!("Dimension {d}")) })).collect::<Vec<_>>(),
        "indicators": indicators,
        "sections": sections,
        "rule": { "kind": "delphi", "reviewed": false,
            "dimension_met": [
                [{ "at_least": 2, "of": ["strong"] }],
                [{ "at_least": 1, "of": ["strong"] }, { "at_least": 1, "of": ["medium", "weak"] }],
                [{ "at_least": 3, "of": ["medium"] }],
                [{ "at_least": 2, "of": ["medium"] }, { "at_least": 1, "of": ["weak"] }]],
            "variants": [
                { "id": "child", "label": text("child"), "when": "${age_group} = 'child'",
                  "requires": { "all": [{ "any": ["D1", "D2", "D3"] }, "D4"] } },
                { "id": "adult", "label": text("adult"),
                  "requires": { "all": [{ "any": ["D1", "D2", "D3"] }, "D4", { "any": ["D5", "D6"] }] } }] },
        "outcomes": [
            { "id": "refer", "level": 3, "when": { "rule_met": true }, "label": text("Indicators of possible trafficking — refer") },
            { "id": "none", "level": 0, "label": text("No rule met") }]
    });
    Arc::new(Checklist::from_json(&definition.to_string()).unwrap())
}

fn question_id(d: &str, s: &str, n: usize) -> String {
    format!("{}_{s}{n}", d.to_lowercase())
}

/// A session with `strong`, `medium`, `weak` indicators answered yes in dimension `d`.
fn answer_dimension(session: &mut Session, d: &str, strong: usize, medium: usize, weak: usize) {
    for (s, count) in STRENGTHS.iter().zip([strong, medium, weak]) {
        for n in 0..count {
            session
                .answer(&question_id(d, s, n), Answer::YesNo(YesNo::Yes))
                .unwrap();
        }
    }
}

fn dimension_met(strong: usize, medium: usize, weak: usize) -> bool {
    let mut session = Session::new(fixture(), "en");
    answer_dimension(&mut session, "D4", strong, medium, weak);
    let assessment = session.assessment();
    let d4 = assessment.dimensions.iter().find(|d| d.id == "D4").unwrap();
    d4.met.unwrap()
}

#[test]
fn dimension_threshold_cases_and_their_near_misses() {
    // (strong, medium, weak) → met
    let table = [
        ((2, 0, 0), true),  // (a) 2 strong
        ((1, 0, 0), false), //     near miss: 1 strong alone
        ((1, 1, 0), true),  // (b) 1 strong + 1 medium
        ((1, 0, 1), true),  // (b) 1 strong + 1 weak
        ((0, 3, 0), true),  // (c) 3 medium
        ((0, 2, 0), false), //     near miss: 2 medium
        ((0, 2, 1), true),  // (d) 2 medium + 1 weak
        ((0, 1, 1), false), //     near miss: 1 medium + 1 weak
        ((0, 1, 2), false), //     near miss: 1 medium + 2 weak (not a listed case)
        ((0, 0, 3), false), //     near miss: weak indicators alone never suffice
        ((0, 0, 0), false),
    ];
    for ((s, m, w), expected) in table {
        assert_eq!(
            dimension_met(s, m, w),
            expected,
            "{s} strong, {m} medium, {w} weak"
        );
    }
}

fn rule(age: Option<&str>, dims: &[&str]) -> (bool, Option<String>) {
    let mut session = Session::new(fixture(), "en");
    if let Some(age) = age {
        session
            .answer("age_group", Answer::Choice(age.into()))
            .unwrap();
    }
    for d in dims {
        answer_dimension(&mut session, d, 2, 0, 0);
    }
    let a = session.assessment();
    (a.rule.met, a.rule.variant)
}

#[test]
fn adult_combination_needs_recruitment_exploitation_and_coercion() {
    assert_eq!(
        rule(Some("adult"), &["D1", "D4", "D5"]),
        (true, Some("adult".into()))
    );
    assert!(rule(Some("adult"), &["D3", "D4", "D6"]).0);
    assert!(
        !rule(Some("adult"), &["D4", "D5", "D6"]).0,
        "no recruitment dimension"
    );
    assert!(
        !rule(Some("adult"), &["D1", "D2", "D5"]).0,
        "no exploitation"
    );
    assert!(
        !rule(Some("adult"), &["D1", "D4"]).0,
        "no coercion or abuse at destination"
    );
    assert_eq!(
        rule(None, &["D1", "D4", "D5"]),
        (true, Some("adult".into())),
        "unanswered age takes the adult variant"
    );
}

#[test]
fn child_combination_does_not_need_means_at_destination() {
    assert_eq!(
        rule(Some("child"), &["D1", "D4"]),
        (true, Some("child".into()))
    );
    assert!(rule(Some("child"), &["D2", "D4"]).0);
    assert!(
        !rule(Some("child"), &["D4", "D5"]).0,
        "no recruitment dimension"
    );
    assert!(!rule(Some("child"), &["D1", "D5"]).0, "no exploitation");
}

#[test]
fn met_rule_selects_the_referral_outcome_and_explains_it() {
    let mut session = Session::new(fixture(), "en");
    answer_dimension(&mut session, "D1", 1, 1, 0);
    answer_dimension(&mut session, "D4", 2, 0, 0);
    answer_dimension(&mut session, "D5", 0, 2, 1);
    let a = session.assessment();
    assert_eq!(a.outcome.id, "refer");
    assert_eq!(a.outcome.level, 3);
    let text = a.explanation.join("\n");
    assert!(
        text.contains("Dimension D4: met — D4.strong0 (strong) + D4.strong1 (strong)"),
        "{text}"
    );
    assert!(
        text.contains(
            "Dimension D5: met — D5.medium0 (medium) + D5.medium1 (medium) + D5.weak0 (weak)"
        ),
        "{text}"
    );
    assert!(text.contains("Dimension D2: no indicators"), "{text}");
    assert!(text.contains("Rule (adult): met"), "{text}");
    assert!(
        text.contains("not yet been checked"),
        "unreviewed rule must be flagged: {text}"
    );
}
