//! The skip-logic expression language alone (docs/formats/checklist.md, "Expressions"):
//! lexer, parser and type checker against a fixed set of questions of every type, then the
//! evaluator on two sets of answers. The input is the expression source (UTF-8).
#![no_main]

use std::sync::LazyLock;

use indicia_core::checklist::expr::{compile, QuestionType, Scope, Unresolved};
use indicia_core::checklist::{Answer, Date, YesNo};
use libfuzzer_sys::fuzz_target;

/// Questions 0..=11 come before the expression; `later` (12) does not. The same ids as the
/// unit tests in core/src/checklist/expr/mod.rs, so the seeds read naturally.
struct FixedScope(Vec<(&'static str, QuestionType)>);

impl Scope for FixedScope {
    fn resolve(&self, id: &str) -> Result<(usize, &QuestionType), Unresolved> {
        match self.0.iter().position(|(q, _)| *q == id) {
            Some(12) => Err(Unresolved::NotEarlier),
            Some(i) => Ok((i, &self.0[i].1)),
            None => Err(Unresolved::Unknown),
        }
    }
}

fn ids(c: &[&str]) -> Vec<String> {
    c.iter().map(|s| (*s).to_owned()).collect()
}

static SCOPE: LazyLock<FixedScope> = LazyLock::new(|| {
    FixedScope(vec![
        ("yn", QuestionType::YesNo),
        (
            "sc",
            QuestionType::SingleChoice {
                choices: ids(&["a", "b", "c"]),
            },
        ),
        (
            "mc",
            QuestionType::MultiChoice {
                choices: ids(&["x", "y", "z"]),
            },
        ),
        ("n", QuestionType::Number),
        ("d", QuestionType::Date),
        ("t", QuestionType::Text),
        ("att", QuestionType::Attachment),
        ("n2", QuestionType::Number),
        ("d2", QuestionType::Date),
        ("t2", QuestionType::Text),
        ("yn2", QuestionType::YesNo),
        (
            "sc2",
            QuestionType::SingleChoice {
                choices: ids(&["a", "b"]),
            },
        ),
        ("later", QuestionType::YesNo),
    ])
});

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
        assert!(i < 12, "reference to question {i} compiled in {source:?}");
    }
    let _ = expr.eval(&|_| None);
    let answers = &*ANSWERS;
    let _ = expr.eval(&|i| answers.get(i).and_then(Option::as_ref));
});
