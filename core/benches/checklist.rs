//! Checklist engine benchmarks (docs/benchmarks.md). The quality bar: re-evaluating a
//! 100-question checklist with skip logic and the Delphi rule after one answer changes takes
//! < 50 µs native. The fixture (fixtures/bench-100.json and its saved answers) is written by
//! bench/make-fixture.py and shared with the wasm benchmark (bench/wasm/checklist-bench.mjs).
//!
//! Run: `cargo bench -p indicia-core --bench checklist`. `cargo test -p indicia-core --benches`
//! runs each benchmark once, which also checks that the fixture loads and behaves as described.

// Bench code: a fixture that fails to load or answers that are refused must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use indicia_core::checklist::{Answer, Checklist, Session, YesNo};

const FIXTURE: &str = include_str!("fixtures/bench-100.json");
const ANSWERS: &str = include_str!("fixtures/bench-100.answers.json");
const FIRST_CONTACT: &str = include_str!("../checklists/first-contact.json");

/// The answer the benchmarks toggle: "no" hides the two recruitment sections (30 questions, 23
/// of them shown with the saved answers), and the outcome moves between "refer" and "consult".
const TOGGLED: &str = "recruited";

/// Loads the fixture, restores its saved answers, and checks that toggling `TOGGLED` really
/// changes visibility, the rule and the outcome (otherwise the benchmark measures too little).
fn session() -> Session {
    let checklist = Checklist::from_json(FIXTURE)
        .unwrap_or_else(|e| panic!("bench-100.json does not load: {e}"));
    assert_eq!(checklist.questions().len(), 100);
    assert_eq!(checklist.dimensions().len(), 6);
    assert_eq!(checklist.indicators().len(), 67);
    assert_eq!(checklist.outcomes().len(), 4);
    let relevant = checklist
        .questions()
        .iter()
        .filter(|q| q.relevant.is_some())
        .count();
    assert!(
        (28..=36).contains(&relevant),
        "{relevant} questions with skip logic"
    );

    let mut session = Session::new(Arc::new(checklist), "en");
    let answers: serde_json::Value = serde_json::from_str(ANSWERS).unwrap();
    let count = answers.as_object().map_or(0, serde_json::Map::len);
    assert!((55..=65).contains(&count), "{count} saved answers");
    session.restore_answers(&answers).unwrap();

    let yes = state(&mut session, YesNo::Yes);
    let no = state(&mut session, YesNo::No);
    assert_eq!(yes.2, "refer", "with {TOGGLED} = yes");
    assert_eq!(no.2, "consult", "with {TOGGLED} = no");
    assert!(yes.0 >= no.0 + 20, "visible: {} vs {}", yes.0, no.0);
    assert!(yes.1 > no.1, "fired: {} vs {}", yes.1, no.1);
    session
}

/// (visible questions, fired indicators, outcome id) with `TOGGLED` set to `value`.
fn state(session: &mut Session, value: YesNo) -> (u32, usize, String) {
    session.answer(TOGGLED, Answer::YesNo(value)).unwrap();
    let assessment = session.assessment();
    (
        session.progress().visible,
        assessment.fired.len(),
        assessment.outcome.id,
    )
}

fn toggle(flag: &mut bool) -> Answer {
    *flag = !*flag;
    Answer::YesNo(if *flag { YesNo::Yes } else { YesNo::No })
}

fn benches(c: &mut Criterion) {
    let mut s = session();
    let mut flag = false;
    // The quality bar: one answer changes (visibility is recomputed), then the full assessment
    // (mappings, Delphi rule, outcome, explanation in the session language).
    c.bench_function("answer_change_reassess", |b| {
        b.iter(|| {
            s.answer(TOGGLED, toggle(&mut flag)).unwrap();
            black_box(s.assessment())
        });
    });

    // The answer change alone: validation and the skip-logic pass over all 100 questions.
    let mut s = session();
    c.bench_function("visibility_only", |b| {
        b.iter(|| {
            s.answer(TOGGLED, toggle(&mut flag)).unwrap();
            black_box(s.progress())
        });
    });

    // The assessment alone, answers unchanged (for the breakdown of the first benchmark), in the
    // "yes" state: the larger of the two results.
    let mut s = session();
    s.answer(TOGGLED, Answer::YesNo(YesNo::Yes)).unwrap();
    c.bench_function("assessment_only", |b| {
        b.iter(|| black_box(s.assessment()));
    });

    // Parsing and checking a real built-in definition (9 languages): the cost of opening one.
    c.bench_function("load_builtin_first_contact", |b| {
        b.iter(|| Checklist::from_json(black_box(FIRST_CONTACT)).unwrap());
    });

    // Parsing and checking the 100-question fixture.
    c.bench_function("load_bench_100", |b| {
        b.iter(|| Checklist::from_json(black_box(FIXTURE)).unwrap());
    });
}

criterion_group! {
    name = checklist;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(checklist);
