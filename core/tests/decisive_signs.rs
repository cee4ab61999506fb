//! Decisive signs (checklist format v2, docs/formats/checklist.md "Outcomes"): in the built-in
//! `first-contact`, each sign the sources call for immediate referral on gives the level-3
//! outcome on its own, in every language of the checklist, and the explanation says which sign
//! decided it. Before format v2 a child showing signs of sexual exploitation reached level 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use indicia_core::checklist::{builtin, Answer, Checklist, Session, YesNo};

/// (age group, the one question answered yes, the indicator it fires).
const DECISIVE: [(&str, &str, &str); 3] = [
    (
        "child",
        "child_sexual_exploitation",
        "E.child_sexual_exploitation",
    ),
    ("child", "child_unaccompanied", "V.unaccompanied_child"),
    ("adult", "movement_controlled", "C.movement_controlled"),
];

fn checklist() -> Arc<Checklist> {
    Arc::new(builtin::load("first-contact").unwrap())
}

#[test]
fn each_decisive_sign_alone_gives_level_3_in_every_language_with_its_reason() {
    let checklist = checklist();
    assert_eq!(checklist.reference().version, "0.2.0");
    for language in checklist.languages() {
        let mut base = Session::new(checklist.clone(), language);
        base.answer("age_group", Answer::Choice("adult".into()))
            .unwrap();
        let explanation_without = base.assessment().explanation;
        for (age, question, indicator) in DECISIVE {
            let mut s = Session::new(checklist.clone(), language);
            s.answer("age_group", Answer::Choice(age.into())).unwrap();
            s.answer(question, Answer::YesNo(YesNo::Yes)).unwrap();
            let a = s.assessment();
            assert_eq!(a.fired.len(), 1, "{language} {question}: one sign only");
            assert_eq!(a.fired[0].id, indicator);
            assert!(
                !a.rule.met,
                "{language} {question}: the rule alone is not met"
            );
            assert_eq!(
                (a.outcome.id.as_str(), a.outcome.level),
                ("refer_decisive", 3),
                "{language} {question}"
            );
            assert!(!a.outcome.actions.is_empty());
            // The line before "Outcome: …" names the sign, in the session's language.
            let label = &a.fired[0].label;
            let n = a.explanation.len();
            let line = a
                .explanation
                .iter()
                .find(|l| l.contains(label.as_str()) && !explanation_without.contains(l))
                .unwrap_or_else(|| panic!("{language} {question}: no line names the sign"));
            assert!(a.explanation[..n - 1].iter().any(|l| l == line));
            assert!(
                a.explanation
                    .iter()
                    .all(|l| !l.starts_with("Decisive sign"))
                    || language == "en",
                "{language}: the decisive line is translated"
            );
        }
    }
}

#[test]
fn a_decisive_sign_never_lowers_what_the_rule_gives_and_other_signs_alone_are_not_decisive() {
    let checklist = checklist();
    // The Delphi adult set that meets the rule, plus a decisive sign: the rule's outcome (also
    // level 3) is listed first and stays, without a decisive line.
    let mut s = Session::new(checklist.clone(), "en");
    for (q, a) in [
        ("age_group", Answer::Choice("adult".into())),
        ("long_hours", Answer::YesNo(YesNo::Yes)),
        ("low_or_no_pay", Answer::YesNo(YesNo::Yes)),
        ("documents_held", Answer::YesNo(YesNo::Yes)),
        ("debt", Answer::YesNo(YesNo::Yes)),
        ("deceived_about_job", Answer::YesNo(YesNo::Yes)),
        ("recruitment_debt_documents", Answer::YesNo(YesNo::Yes)),
        ("movement_controlled", Answer::YesNo(YesNo::Yes)),
    ] {
        s.answer(q, a).unwrap();
    }
    let a = s.assessment();
    assert!(a.rule.met);
    assert_eq!((a.outcome.id.as_str(), a.outcome.level), ("refer", 3));
    assert!(a
        .explanation
        .iter()
        .all(|l| !l.starts_with("Decisive sign")));

    // A strong sign that is not decisive (documents held) alone stays below level 3.
    let mut s = Session::new(checklist, "en");
    s.answer("age_group", Answer::Choice("adult".into()))
        .unwrap();
    s.answer("documents_held", Answer::YesNo(YesNo::Yes))
        .unwrap();
    let a = s.assessment();
    assert!(a.outcome.level < 3, "{}", a.outcome.id);
}

#[test]
fn the_english_reason_reads_as_written_in_the_spec() {
    let mut s = Session::new(checklist(), "en");
    s.answer("age_group", Answer::Choice("child".into()))
        .unwrap();
    s.answer("child_sexual_exploitation", Answer::YesNo(YesNo::Yes))
        .unwrap();
    let a = s.assessment();
    let n = a.explanation.len();
    assert_eq!(
        a.explanation[n - 3..n - 1],
        [
            "Decisive sign: Signs of sexual exploitation of a child. On its own it calls for the outcome below, whatever the rule says.".to_owned(),
            format!("Outcome: {}", a.outcome.label),
        ]
    );
}
