//! The skip-logic expression language alone (docs/formats/checklist.md, "Expressions"):
//! lexer, parser and type checker against a fixed set of questions of every type, then the
//! evaluator on two sets of answers. The input is the expression source (UTF-8).
#![no_main]

use std::sync::LazyLock;

use indicia_core::checklist::expr::compile;
use indicia_core::checklist::expr::fixture::{self, FixtureScope, LATER};
use indicia_core::checklist::{Answer, Date, YesNo};
use libfuzzer_sys::fuzz_target;

/// The unit tests' question set (core/src/checklist/expr/fixture.rs), so the seeds read the same.
static SCOPE: LazyLock<FixtureScope> = LazyLock::new(fixture::scope);

fn ids(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| (*s).to_owned()).collect()
}

/// Every question answered (except `later`), with values that make comparisons go both ways.
static ANSWERS: LazyLock<Vec<Option<Answer>>> = LazyLock::new(|| {
    let date = |y, m, d| Date::new(y, m, d).map(Answer::Date);
    vec![
        Some(Answer::YesNo(YesNo::Yes)),
        Some(Answer::Choice("b".to_owned())),
        Some(Answer::Choices(ids(&["x", "z"]))),
        Some(Answer::Number(3.5)),
        date(2024, 2, 29),
        Some(Answer::Text("it's".to_owned())),
        Some(Answer::Attachment("att-1".to_owned())),
        Some(Answer::Number(-7.0)),
        date(1999, 12, 31),
        Some(Answer::Text(String::new())),
        Some(Answer::YesNo(YesNo::Declined)),
        Some(Answer::Choice("a".to_owned())),
        None,
    ]
});

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let expr = match compile(source, &*SCOPE) {
        Ok(expr) => expr,
        Err(e) => {
            // Positions are 1-based and inside the source.
            assert!(
                e.line >= 1 && e.column >= 1,
                "position {}:{} for {source:?}",
                e.line,
                e.column
            );
            let _ = e.to_string();
            return;
        }
    };
    for &i in expr.references() {
        assert!(i < LATER, "reference to question {i} compiled in {source:?}");
    }
    let _ = expr.eval(&|_| None);
    let answers = &*ANSWERS;
    let _ = expr.eval(&|i| answers.get(i).and_then(Option::as_ref));
});
