//! The question set expressions are tested against: one of every type, plus a question that
//! comes after the expression. Shared by the unit tests (`tests.rs`) and the fuzz target
//! (fuzz/fuzz_targets/expression.rs, through the `fuzzing` feature), so seeds and tests read the
//! same ids. Not part of the API.

use super::{QuestionType, Scope, Unresolved};

/// Index of `yn`, a yes/no question.
pub const YN: usize = 0;
/// Index of `sc`, single choice of `a`, `b`, `c`.
pub const SC: usize = 1;
/// Index of `mc`, multi choice of `x`, `y`, `z`.
pub const MC: usize = 2;
/// Index of `n`, a number.
pub const N: usize = 3;
/// Index of `d`, a date.
pub const D: usize = 4;
/// Index of `t`, a text.
pub const T: usize = 5;
/// Index of `att`, an attachment.
pub const ATT: usize = 6;
/// Index of `n2`, a second number.
pub const N2: usize = 7;
/// Index of `d2`, a second date.
pub const D2: usize = 8;
/// Index of `t2`, a second text.
pub const T2: usize = 9;
/// Index of `later`: it exists but does not come before the expression.
pub const LATER: usize = 12;
/// How many questions the set has (`later` included).
pub const QUESTIONS: usize = 13;

/// Questions `0..LATER` are earlier than the expression; `later` is not.
pub struct FixtureScope(Vec<(&'static str, QuestionType)>);

/// The question set: `yn`, `sc`, `mc`, `n`, `d`, `t`, `att`, `n2`, `d2`, `t2`, `yn2`, `sc2`
/// (single choice of `a`, `b`), then `later`.
pub fn scope() -> FixtureScope {
    let choices = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    FixtureScope(vec![
        ("yn", QuestionType::YesNo),
        (
            "sc",
            QuestionType::SingleChoice {
                choices: choices(&["a", "b", "c"]),
            },
        ),
        (
            "mc",
            QuestionType::MultiChoice {
                choices: choices(&["x", "y", "z"]),
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
                choices: choices(&["a", "b"]),
            },
        ),
        ("later", QuestionType::YesNo),
    ])
}

impl Scope for FixtureScope {
    fn resolve(&self, id: &str) -> Result<(usize, &QuestionType), Unresolved> {
        match self.0.iter().position(|(q, _)| *q == id) {
            Some(LATER) => Err(Unresolved::NotEarlier),
            Some(i) => self
                .0
                .get(i)
                .map(|(_, t)| (i, t))
                .ok_or(Unresolved::Unknown),
            None => Err(Unresolved::Unknown),
        }
    }
}
