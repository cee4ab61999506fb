//! Running a checklist in a user interface: answer, clear, see what is visible and missing,
//! and the current assessment. All state is the answers; everything else is derived.
//!
//! # Example
//!
//! ```rust
//! use std::sync::Arc;
//!
//! use indicia_core::checklist::{builtin, Session};
//! use indicia_core::ErrorKind;
//! use serde_json::json;
//!
//! let mut session = Session::new(Arc::new(builtin::load("first-contact")?), "en");
//! assert_eq!(session.missing_required(), ["age_group"]);
//! assert!(!session.is_visible("child_unaccompanied"));
//!
//! // Skip logic: a person who may be a child gets the child questions.
//! session.answer_json("age_group", &json!("unsure"))?;
//! assert!(session.is_visible("child_unaccompanied"));
//! assert!(session.progress().complete);
//!
//! // An answer that does not fit its question is refused and changes nothing.
//! let refused = session.answer_json("debt", &json!("maybe")).unwrap_err();
//! assert_eq!(refused.kind(), ErrorKind::InvalidAnswer);
//! assert_eq!(session.answers_json(), json!({ "age_group": "unsure" }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::answer::{Answer, Date, YesNo};
use super::assess::{assess_with, Assessment, Visibility};
use super::definition::{Mode, QuestionKind};
use super::load_error::echo;
use super::model::{Checklist, Question};

/// Longest free-text answer accepted, in characters.
pub const MAX_TEXT_ANSWER: usize = 10_000;

/// Why an answer was refused. Messages name the question but never repeat the answer: answers
/// are personal data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerError {
    /// No question has this id.
    #[error("no question \"{0}\" in this checklist")]
    UnknownQuestion(String),
    /// The value's type does not fit the question kind.
    #[error("question \"{question}\" takes {expected}")]
    WrongType {
        /// Question id.
        question: String,
        /// What it takes.
        expected: &'static str,
    },
    /// A choice id that the question does not offer.
    #[error("question \"{0}\": the answer is not one of its choices")]
    UnknownChoice(String),
    /// The same choice twice in a multi-choice answer.
    #[error("question \"{0}\": a choice is selected twice")]
    DuplicateChoice(String),
    /// A number outside the question's bounds, or not finite.
    #[error("question \"{question}\": the number is outside {range}")]
    OutOfRange {
        /// Question id.
        question: String,
        /// The allowed range in words.
        range: String,
    },
    /// An empty text or an empty selection: clear the question instead, so that "answered"
    /// always means the worker recorded something.
    #[error("question \"{0}\": the answer is empty (clear the question instead)")]
    Empty(String),
    /// A text answer is too long.
    #[error("question \"{question}\": text longer than {max} characters")]
    TooLong {
        /// Question id.
        question: String,
        /// Limit.
        max: usize,
    },
    /// Saved answers are not a JSON object keyed by question id.
    #[error("answers must be a JSON object from question id to value")]
    NotAnObject,
}

impl AnswerError {
    /// The host-visible classification.
    pub fn kind(&self) -> crate::ErrorKind {
        crate::ErrorKind::InvalidAnswer
    }
}

/// One choice as a UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ChoiceView {
    /// Choice id.
    pub id: String,
    /// Label in the session language.
    pub label: String,
}

/// One visible question as a UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct QuestionView {
    /// Question id.
    pub id: String,
    /// Section id.
    pub section: String,
    /// Section label.
    pub section_label: String,
    /// Answer kind.
    pub kind: QuestionKind,
    /// Asked or observed (observed signs are never to be asked).
    pub mode: Mode,
    /// Label.
    pub label: String,
    /// Hint.
    pub hint: Option<String>,
    /// Help.
    pub help: Option<String>,
    /// Required.
    pub required: bool,
    /// The current answer, in its JSON form.
    #[cfg_attr(feature = "tsify", tsify(type = "AnswerValue | null"))]
    pub answer: Option<Value>,
    /// Choices, for choice kinds.
    pub choices: Vec<ChoiceView>,
    /// Lower bound, for numbers.
    pub min: Option<f64>,
    /// Upper bound, for numbers.
    pub max: Option<f64>,
}

/// How far the checklist is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Progress {
    /// Questions currently shown.
    pub visible: u32,
    /// Of those, answered.
    pub answered: u32,
    /// Required questions shown but not answered.
    pub required_missing: u32,
    /// No required question is missing.
    pub complete: bool,
}

/// A checklist being filled in.
#[derive(Debug, Clone)]
pub struct Session {
    checklist: Arc<Checklist>,
    chain: Vec<String>,
    country: Option<String>,
    answers: Vec<Option<Answer>>,
    visibility: Visibility,
}

impl Session {
    /// Starts an empty session in `language` (falls back along the checklist's chain).
    pub fn new(checklist: Arc<Checklist>, language: &str) -> Session {
        let chain = checklist.language_chain(language);
        let answers = vec![None; checklist.questions.len()];
        let visibility = Visibility::compute(&checklist, &answers);
        Session {
            checklist,
            chain,
            country: None,
            answers,
            visibility,
        }
    }

    /// The checklist.
    pub fn checklist(&self) -> &Arc<Checklist> {
        &self.checklist
    }

    /// The language texts are shown in.
    pub fn language(&self) -> &str {
        self.chain.first().map(String::as_str).unwrap_or_default()
    }

    /// Limits referrals in the assessment to this country (ISO 3166-1 alpha-2) and `*`.
    pub fn set_country(&mut self, country: Option<&str>) {
        self.country = country.map(|c| c.trim().to_ascii_uppercase());
    }

    fn index(&self, id: &str) -> Result<usize, AnswerError> {
        self.checklist
            .question_index(id)
            .ok_or_else(|| AnswerError::UnknownQuestion(echo(id)))
    }

    /// The question `id` and its index.
    fn question(&self, id: &str) -> Result<(usize, &Question), AnswerError> {
        let i = self.index(id)?;
        let question = self
            .checklist
            .questions
            .get(i)
            .ok_or_else(|| AnswerError::UnknownQuestion(echo(id)))?;
        Ok((i, question))
    }

    /// Records an answer after checking it fits the question.
    pub fn answer(&mut self, id: &str, answer: Answer) -> Result<(), AnswerError> {
        let (i, question) = self.question(id)?;
        validate(question, &answer)?;
        if let Some(slot) = self.answers.get_mut(i) {
            *slot = Some(answer);
        }
        self.refresh();
        Ok(())
    }

    /// Records an answer given in its JSON form (docs/formats/checklist.md, "Answers").
    pub fn answer_json(&mut self, id: &str, value: &Value) -> Result<(), AnswerError> {
        let (_, question) = self.question(id)?;
        let answer = from_json(question, value)?;
        self.answer(id, answer)
    }

    /// Removes an answer.
    pub fn clear(&mut self, id: &str) -> Result<(), AnswerError> {
        let i = self.index(id)?;
        if let Some(slot) = self.answers.get_mut(i) {
            *slot = None;
        }
        self.refresh();
        Ok(())
    }

    fn refresh(&mut self) {
        self.visibility = Visibility::compute(&self.checklist, &self.answers);
    }

    /// Whether a question is currently shown.
    pub fn is_visible(&self, id: &str) -> bool {
        self.checklist
            .question_index(id)
            .and_then(|i| self.visibility.questions.get(i).copied())
            .unwrap_or(false)
    }

    /// The visible questions in order, with their current answers.
    pub fn visible_questions(&self) -> Vec<QuestionView> {
        let chain = &self.chain;
        self.checklist
            .questions
            .iter()
            .enumerate()
            .filter(|(i, _)| self.visibility.questions.get(*i).copied().unwrap_or(false))
            .map(|(i, q)| {
                let section = self.checklist.sections.get(q.section);
                QuestionView {
                    id: q.id.clone(),
                    section: section.map(|s| s.id.clone()).unwrap_or_default(),
                    section_label: section
                        .map(|s| s.label.get(chain).to_owned())
                        .unwrap_or_default(),
                    kind: q.kind,
                    mode: q.mode,
                    label: q.label.get(chain).to_owned(),
                    hint: q.hint.as_ref().map(|t| t.get(chain).to_owned()),
                    help: q.help.as_ref().map(|t| t.get(chain).to_owned()),
                    required: q.required,
                    answer: self.answers.get(i).and_then(Option::as_ref).map(to_json),
                    choices: q
                        .choices
                        .iter()
                        .map(|c| ChoiceView {
                            id: c.id.clone(),
                            label: c.label.get(chain).to_owned(),
                        })
                        .collect(),
                    min: q.min,
                    max: q.max,
                }
            })
            .collect()
    }

    /// Ids of visible required questions without an answer, in order.
    pub fn missing_required(&self) -> Vec<String> {
        self.checklist
            .questions
            .iter()
            .enumerate()
            .filter(|(i, q)| {
                q.required
                    && self.visibility.questions.get(*i).copied().unwrap_or(false)
                    && self.answers.get(*i).is_some_and(Option::is_none)
            })
            .map(|(_, q)| q.id.clone())
            .collect()
    }

    /// Counts over the visible questions only.
    pub fn progress(&self) -> Progress {
        let count = |f: &dyn Fn(usize) -> bool| {
            u32::try_from((0..self.answers.len()).filter(|&i| f(i)).count()).unwrap_or(u32::MAX)
        };
        let visible = |i: usize| self.visibility.questions.get(i).copied().unwrap_or(false);
        let answered = |i: usize| self.answers.get(i).is_some_and(Option::is_some);
        let required = |i: usize| self.checklist.questions.get(i).is_some_and(|q| q.required);
        let required_missing = count(&|i| visible(i) && required(i) && !answered(i));
        Progress {
            visible: count(&|i| visible(i)),
            answered: count(&|i| visible(i) && answered(i)),
            required_missing,
            complete: required_missing == 0,
        }
    }

    /// The assessment of the current answers (hidden answers do not count).
    pub fn assessment(&self) -> Assessment {
        assess_with(
            &self.checklist,
            &self.answers,
            &self.visibility,
            &self.chain,
            self.country.as_deref(),
        )
    }

    /// All recorded answers, hidden ones included (the worker may un-hide them), as JSON.
    pub fn answers_json(&self) -> Value {
        // Inserted one by one: collecting would sort the pairs first (BTreeMap's bulk build), and
        // that sort is 3 KB of the page's wasm module.
        let mut map = Map::new();
        for (q, a) in self.checklist.questions.iter().zip(&self.answers) {
            if let Some(a) = a {
                map.insert(q.id.clone(), to_json(a));
            }
        }
        Value::Object(map)
    }

    /// Replaces all answers with saved ones. Nothing changes if any one is refused.
    pub fn restore_answers(&mut self, saved: &Value) -> Result<(), AnswerError> {
        let map = saved.as_object().ok_or(AnswerError::NotAnObject)?;
        let mut answers = vec![None; self.checklist.questions.len()];
        for (id, value) in map {
            let (i, question) = self.question(id)?;
            let answer = from_json(question, value)?;
            validate(question, &answer)?;
            if let Some(slot) = answers.get_mut(i) {
                *slot = Some(answer);
            }
        }
        self.answers = answers;
        self.refresh();
        Ok(())
    }

    /// The raw answers, indexed like the checklist's questions.
    pub fn answers(&self) -> &[Option<Answer>] {
        &self.answers
    }
}

fn expected(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::YesNo => "\"yes\", \"no\", \"unknown\" or \"declined\"",
        QuestionKind::SingleChoice => "one choice id",
        QuestionKind::MultiChoice => "a list of choice ids",
        QuestionKind::Number => "a number",
        QuestionKind::Date => "a date \"YYYY-MM-DD\"",
        QuestionKind::Text => "text",
        QuestionKind::Attachment => "an attachment id",
    }
}

fn validate(q: &Question, answer: &Answer) -> Result<(), AnswerError> {
    let wrong = || AnswerError::WrongType {
        question: q.id.clone(),
        expected: expected(q.kind),
    };
    let is_choice = |id: &String| q.choices.iter().any(|c| &c.id == id);
    match (q.kind, answer) {
        (QuestionKind::YesNo, Answer::YesNo(_)) | (QuestionKind::Date, Answer::Date(_)) => Ok(()),
        (QuestionKind::SingleChoice, Answer::Choice(c)) => is_choice(c)
            .then_some(())
            .ok_or_else(|| AnswerError::UnknownChoice(q.id.clone())),
        (QuestionKind::MultiChoice, Answer::Choices(cs)) => {
            if cs.is_empty() {
                return Err(AnswerError::Empty(q.id.clone()));
            }
            if !cs.iter().all(is_choice) {
                return Err(AnswerError::UnknownChoice(q.id.clone()));
            }
            // Every id is one of the choices, so a list longer than the choices repeats one;
            // otherwise (a question has a few dozen choices at most) each is compared with those
            // before it. No sort: the page's wasm module then carries no sorting code for it.
            let repeated = cs.len() > q.choices.len()
                || cs
                    .iter()
                    .enumerate()
                    .any(|(i, c)| cs.iter().take(i).any(|earlier| earlier == c));
            (!repeated)
                .then_some(())
                .ok_or_else(|| AnswerError::DuplicateChoice(q.id.clone()))
        }
        (QuestionKind::Number, Answer::Number(n)) => {
            let in_range =
                n.is_finite() && q.min.is_none_or(|m| *n >= m) && q.max.is_none_or(|m| *n <= m);
            in_range
                .then_some(())
                .ok_or_else(|| AnswerError::OutOfRange {
                    question: q.id.clone(),
                    range: format!(
                        "{} to {}",
                        q.min.map_or("-∞".into(), bound),
                        q.max.map_or("∞".into(), bound)
                    ),
                })
        }
        (QuestionKind::Text, Answer::Text(t))
        | (QuestionKind::Attachment, Answer::Attachment(t)) => {
            let max = if q.kind == QuestionKind::Text {
                MAX_TEXT_ANSWER
            } else {
                256
            };
            if t.chars().count() > max {
                return Err(AnswerError::TooLong {
                    question: q.id.clone(),
                    max,
                });
            }
            if t.trim().is_empty() {
                return Err(AnswerError::Empty(q.id.clone()));
            }
            Ok(())
        }
        _ => Err(wrong()),
    }
}

/// Reads an answer in its JSON form for question `q`.
pub fn from_json(q: &Question, value: &Value) -> Result<Answer, AnswerError> {
    let wrong = || AnswerError::WrongType {
        question: q.id.clone(),
        expected: expected(q.kind),
    };
    let text = || value.as_str().map(str::to_owned).ok_or_else(wrong);
    Ok(match q.kind {
        QuestionKind::YesNo => Answer::YesNo(
            value
                .as_str()
                .and_then(|s| s.parse::<YesNo>().ok())
                .ok_or_else(wrong)?,
        ),
        QuestionKind::SingleChoice => Answer::Choice(text()?),
        QuestionKind::MultiChoice => Answer::Choices(
            value
                .as_array()
                .ok_or_else(wrong)?
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or_else(wrong))
                .collect::<Result<_, _>>()?,
        ),
        QuestionKind::Number => match value {
            Value::Number(n) if super::answer::is_exact_number(n) => {
                Answer::Number(n.as_f64().ok_or_else(wrong)?)
            }
            _ => return Err(wrong()),
        },
        QuestionKind::Date => Answer::Date(
            value
                .as_str()
                .and_then(|s| s.parse::<Date>().ok())
                .ok_or_else(wrong)?,
        ),
        QuestionKind::Text => Answer::Text(text()?),
        QuestionKind::Attachment => Answer::Attachment(text()?),
    })
}

/// The JSON form of an answer.
pub fn to_json(answer: &Answer) -> Value {
    match answer {
        Answer::YesNo(v) => Value::from(v.as_str()),
        Answer::Choice(c) | Answer::Text(c) | Answer::Attachment(c) => Value::from(c.as_str()),
        Answer::Choices(cs) => Value::from(cs.clone()),
        Answer::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        Answer::Date(d) => Value::from(d.to_string()),
    }
}

/// A question's bound as an error message shows it: a whole number as one (`24`, `-1`), any other
/// in JSON's shortest form (`2.5`), written by serde_json's number formatter, which the views
/// already carry, rather than `f64`'s `Display` (4 KB of the page's wasm module). Bounds are
/// finite (checked at load).
fn bound(m: f64) -> String {
    const EXACT: f64 = super::answer::MAX_EXACT_NUMBER as f64;
    if m.fract() == 0.0 && m.abs() <= EXACT {
        // Whole and within ±2^53: the conversion is exact.
        (m as i64).to_string()
    } else {
        serde_json::Number::from_f64(m).map_or_else(|| "?".to_owned(), |n| n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::{AnswerError, Session};
    use crate::checklist::{builtin, Answer};

    #[test]
    fn a_choice_given_twice_is_refused_and_distinct_choices_are_not() {
        let mut s = Session::new(
            Arc::new(builtin::load("first-contact").expect("built in")),
            "en",
        );
        let choices = |ids: &[&str]| Answer::Choices(ids.iter().map(|&c| c.to_owned()).collect());
        let twice = AnswerError::DuplicateChoice("sector".into());
        assert_eq!(
            s.answer(
                "sector",
                choices(&["construction", "other", "construction"])
            ),
            Err(twice.clone())
        );
        // Longer than the question's seven choices: one must repeat.
        let long = ["other"; 8];
        assert_eq!(s.answer("sector", choices(&long)), Err(twice));
        assert_eq!(
            s.answer("sector", choices(&["construction", "agriculture", "other"])),
            Ok(())
        );
    }

    #[test]
    fn bounds_in_messages_are_written_as_json_numbers() {
        assert_eq!(super::bound(24.0), "24");
        assert_eq!(super::bound(-1.0), "-1");
        assert_eq!(super::bound(0.0), "0");
        assert_eq!(super::bound(2.5), "2.5");
        assert_eq!(super::bound(-0.125), "-0.125");
        assert_eq!(super::bound(9_007_199_254_740_992.0), "9007199254740992");
    }
}
