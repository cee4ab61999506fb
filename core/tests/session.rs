//! The session API a user interface drives: answers are checked against their questions, skip
//! logic updates what is shown and required, and refused answers change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use indicia_core::checklist::{builtin, Answer, AnswerError, Session, YesNo};
use serde_json::json;

fn first_contact(lang: &str) -> Session {
    Session::new(Arc::new(builtin::load("first-contact").unwrap()), lang)
}

#[test]
fn skip_logic_shows_the_child_section_only_for_possible_children() {
    let mut s = first_contact("en");
    assert!(!s.is_visible("child_unaccompanied"));
    s.answer("age_group", Answer::Choice("unsure".into()))
        .unwrap();
    assert!(s.is_visible("child_unaccompanied"));
    s.answer("age_group", Answer::Choice("adult".into()))
        .unwrap();
    assert!(!s.is_visible("child_unaccompanied"));
}

#[test]
fn progress_and_required_follow_visibility() {
    let mut s = first_contact("en");
    assert_eq!(s.missing_required(), vec!["age_group".to_owned()]);
    assert!(!s.progress().complete);
    let before = s.progress().visible;
    s.answer("age_group", Answer::Choice("child".into()))
        .unwrap();
    let p = s.progress();
    assert!(p.complete && p.answered == 1 && p.visible > before);
    // An answer to a question that is then hidden is kept but no longer counted.
    s.answer("child_unaccompanied", Answer::YesNo(YesNo::Yes))
        .unwrap();
    assert_eq!(s.progress().answered, 2);
    s.answer("age_group", Answer::Choice("adult".into()))
        .unwrap();
    assert_eq!(s.progress().answered, 1);
    assert!(s.assessment().fired.is_empty());
    assert_eq!(s.answers_json()["child_unaccompanied"], "yes");
}

#[test]
fn answers_that_do_not_fit_are_refused_without_echoing_them() {
    let mut s = first_contact("en");
    let cases = [
        ("nope", json!("yes"), "no question"),
        (
            "age_group",
            json!("elderly-secret"),
            "not one of its choices",
        ),
        ("age_group", json!(3), "takes one choice id"),
        ("debt", json!("maybe"), "takes \"yes\""),
        (
            "sector",
            json!(["agriculture", "agriculture"]),
            "selected twice",
        ),
        ("sector", json!([]), "empty"),
        ("worker_note", json!("   "), "empty"),
    ];
    for (id, value, message) in cases {
        let err = s.answer_json(id, &value).unwrap_err();
        assert!(err.to_string().contains(message), "{id} {value}: {err}");
        assert!(!err.to_string().contains("elderly-secret"));
    }
    assert!(
        s.answers_json().as_object().unwrap().is_empty(),
        "a refused answer was stored"
    );
}

#[test]
fn overlong_text_is_refused() {
    let mut s = first_contact("en");
    let long = "x".repeat(10_001);
    assert!(matches!(
        s.answer("worker_note", Answer::Text(long)),
        Err(AnswerError::TooLong { .. })
    ));
}

#[test]
fn clear_removes_an_answer_and_its_indicator() {
    let mut s = first_contact("en");
    s.answer("debt", Answer::YesNo(YesNo::Yes)).unwrap();
    assert_eq!(s.assessment().fired.len(), 1);
    s.clear("debt").unwrap();
    assert!(s.assessment().fired.is_empty());
    assert!(matches!(
        s.clear("nope"),
        Err(AnswerError::UnknownQuestion(_))
    ));
}

#[test]
fn restore_is_all_or_nothing() {
    let mut s = first_contact("en");
    s.answer("debt", Answer::YesNo(YesNo::Yes)).unwrap();
    let err = s.restore_answers(&json!({ "long_hours": "yes", "age_group": "bogus" }));
    assert!(err.is_err());
    assert_eq!(s.answers_json(), json!({ "debt": "yes" }));
    assert!(matches!(
        s.restore_answers(&json!(["debt"])),
        Err(AnswerError::NotAnObject)
    ));
}

#[test]
fn language_falls_back_along_the_chain() {
    let sk = first_contact("sk-SK");
    assert_eq!(sk.language(), "sk");
    let unknown = first_contact("xx");
    assert_eq!(unknown.language(), "en");
    let en = first_contact("en");
    assert_ne!(
        sk.visible_questions()[0].label,
        en.visible_questions()[0].label
    );
}

#[test]
fn country_limits_referrals_to_that_country_and_international_ones() {
    let mut s = first_contact("en");
    s.answer("debt", Answer::YesNo(YesNo::Yes)).unwrap();
    s.set_country(Some("sk"));
    let a = s.assessment();
    assert!(a
        .outcome
        .referrals
        .iter()
        .all(|r| r.country == "*" || r.country == "SK"));
}
