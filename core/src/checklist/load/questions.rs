//! One question: texts, relevance, choices, number bounds and indicator mappings.

use std::collections::HashMap;

use super::ids::{choice_id_ok, CHOICE_ID};
use super::indicators::Index;
use super::scope::QuestionTable;
use super::validator::Validator;
use crate::checklist::definition::{QuestionKind, RawChoice, RawMapping, RawQuestion};
use crate::checklist::expr::QuestionType;
use crate::checklist::load_error::{echo, LoadErrorKind};
use crate::checklist::model::{Choice, Mapping, Question, Trigger};

/// The type expressions see for a question (pass 1; the choices are checked in pass 2).
pub(super) fn question_type(q: &RawQuestion) -> QuestionType {
    let ids = || q.choices.iter().flatten().map(|c| c.id.clone()).collect();
    match q.kind {
        QuestionKind::YesNo => QuestionType::YesNo,
        QuestionKind::SingleChoice => QuestionType::SingleChoice { choices: ids() },
        QuestionKind::MultiChoice => QuestionType::MultiChoice { choices: ids() },
        QuestionKind::Number => QuestionType::Number,
        QuestionKind::Date => QuestionType::Date,
        QuestionKind::Text => QuestionType::Text,
        QuestionKind::Attachment => QuestionType::Attachment,
    }
}

impl Validator {
    /// Compiles question number `index` (in the whole document) of section `section`.
    pub(super) fn question(
        &mut self,
        path: &str,
        q: RawQuestion,
        section: usize,
        index: usize,
        table: &QuestionTable,
        indicators: &Index,
    ) -> Question {
        let label = self.text(&format!("{path}.label"), q.label);
        let hint = self.opt_text(&format!("{path}.hint"), q.hint);
        let help = self.opt_text(&format!("{path}.help"), q.help);
        // A question's relevance reads only earlier questions; its own mappings may read itself.
        let relevant = q.relevant.as_deref().and_then(|src| {
            self.expression(&format!("{path}.relevant"), src, &table.before(index))
        });
        let choices = self.choices(path, q.kind, q.choices);
        self.bounds(path, q.kind, q.min, q.max);
        let mappings = self.mappings(path, q.kind, q.indicators, table, index, indicators);
        Question {
            id: q.id,
            section,
            kind: q.kind,
            mode: q.mode,
            label,
            hint,
            help,
            required: q.required,
            relevant,
            choices,
            min: q.min,
            max: q.max,
            mappings,
        }
    }

    /// Choices are required on choice questions and forbidden on every other kind.
    fn choices(
        &mut self,
        path: &str,
        kind: QuestionKind,
        raw: Option<Vec<RawChoice>>,
    ) -> Vec<Choice> {
        let has_choices = matches!(kind, QuestionKind::SingleChoice | QuestionKind::MultiChoice);
        let raw = match (has_choices, raw) {
            (true, None) => {
                self.err(
                    format!("{path}.choices"),
                    LoadErrorKind::Choices("are required for choice questions"),
                );
                return Vec::new();
            }
            (false, Some(_)) => {
                self.err(
                    format!("{path}.choices"),
                    LoadErrorKind::Choices(
                        "are only allowed on single_choice and multi_choice questions",
                    ),
                );
                return Vec::new();
            }
            (_, None) => return Vec::new(),
            (true, Some(raw)) => raw,
        };
        self.count(&format!("{path}.choices"), "choices", raw.len(), 1, 200);
        let mut seen = HashMap::new();
        let mut choices = Vec::new();
        for (c, choice) in raw.into_iter().enumerate() {
            let cpath = format!("{path}.choices[{c}]");
            self.id(
                format!("{cpath}.id"),
                &choice.id,
                choice_id_ok(&choice.id),
                CHOICE_ID,
            );
            self.unique(&mut seen, &choice.id, &format!("{cpath}.id"));
            let label = self.text(&format!("{cpath}.label"), choice.label);
            choices.push(Choice {
                id: choice.id,
                label,
            });
        }
        choices
    }

    /// `min`/`max` only on number questions, and not crossed.
    fn bounds(&mut self, path: &str, kind: QuestionKind, min: Option<f64>, max: Option<f64>) {
        if kind != QuestionKind::Number && (min.is_some() || max.is_some()) {
            let key = if min.is_some() { "min" } else { "max" };
            self.err(
                format!("{path}.{key}"),
                LoadErrorKind::Bounds("`min`/`max` are only allowed on number questions"),
            );
        }
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                self.err(
                    format!("{path}.max"),
                    LoadErrorKind::Bounds("`max` must not be below `min`"),
                );
            }
        }
    }

    /// Indicator mappings: a known indicator, and a `when` (which may read the question itself)
    /// unless the question is yes/no, where `yes` is the default trigger.
    fn mappings(
        &mut self,
        path: &str,
        kind: QuestionKind,
        raw: Vec<RawMapping>,
        table: &QuestionTable,
        index: usize,
        indicators: &Index,
    ) -> Vec<Mapping> {
        let own = table.before(index + 1);
        let mut mappings = Vec::new();
        let what = "indicator mappings";
        self.count(&format!("{path}.indicators"), what, raw.len(), 0, 50);
        for (m, mapping) in raw.into_iter().enumerate() {
            let mpath = format!("{path}.indicators[{m}]");
            let indicator = indicators.get(&mapping.indicator).copied();
            if indicator.is_none() {
                self.err(
                    format!("{mpath}.indicator"),
                    LoadErrorKind::UnknownIndicator(echo(&mapping.indicator)),
                );
            }
            let trigger = match (mapping.when, kind) {
                (Some(src), _) => self
                    .expression(&format!("{mpath}.when"), &src, &own)
                    .map(Trigger::When),
                (None, QuestionKind::YesNo) => Some(Trigger::Yes),
                (None, kind) => {
                    self.err(
                        format!("{mpath}.when"),
                        LoadErrorKind::WhenRequired(kind.as_str()),
                    );
                    None
                }
            };
            if let (Some(indicator), Some(trigger)) = (indicator, trigger) {
                mappings.push(Mapping { indicator, trigger });
            }
        }
        mappings
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::expr::ExprErrorKind;
    use crate::checklist::load_error::LoadErrorKind as K;
    use serde_json::{json, Value};

    const PATH: &str = "$.sections[0].questions[1]";

    /// Compiles `question` as the second of two (the first is yes/no `before`), with one
    /// indicator `ind`.
    fn compile(question: Value) -> (Validator, Question) {
        let raw_question: RawQuestion = raw(question);
        let mut table = QuestionTable::default();
        table.push("before", QuestionType::YesNo);
        table.push(&raw_question.id, question_type(&raw_question));
        let indicators = Index::from([("ind".into(), 0)]);
        let mut v = validator();
        let q = v.question(PATH, raw_question, 0, 1, &table, &indicators);
        (v, q)
    }

    fn question(kind: &str, extra: Value) -> Value {
        let mut q = json!({"id": "q", "kind": kind, "mode": "asked", "label": {"en": "Q?"}});
        for (key, value) in extra.as_object().expect("extra keys are an object") {
            q[key] = value.clone();
        }
        q
    }

    fn only_error(v: &Validator) -> (String, LoadErrorKind) {
        match &v.errors[..] {
            [e] => (e.path.clone(), e.kind.clone()),
            other => panic!("expected one error, got {other:?}"),
        }
    }

    #[test]
    fn question_types_carry_the_choice_ids() {
        let q: RawQuestion = raw(question(
            "multi_choice",
            json!({"choices": [{"id": "a", "label": {"en": "A"}}]}),
        ));
        assert_eq!(
            question_type(&q),
            QuestionType::MultiChoice {
                choices: vec!["a".into()]
            }
        );
    }

    #[test]
    fn a_valid_question_compiles_with_its_texts_and_relevance() {
        let (v, q) = compile(question(
            "yes_no",
            json!({"hint": {"en": "H"}, "relevant": "${before} = 'yes'", "required": true}),
        ));
        assert_eq!(errors(&v), []);
        assert!(q.relevant.is_some() && q.required && q.hint.is_some());
    }

    #[test]
    fn relevance_on_the_question_itself_is_not_earlier() {
        let (v, _) = compile(question("yes_no", json!({"relevant": "${q} = 'yes'"})));
        match only_error(&v) {
            (p, K::Expression(e)) if p == format!("{PATH}.relevant") => {
                assert_eq!(e.kind, ExprErrorKind::NotEarlier("q".into()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_choice_question_without_choices_is_rejected() {
        let (v, _) = compile(question("single_choice", json!({})));
        assert_eq!(
            only_error(&v),
            (
                format!("{PATH}.choices"),
                K::Choices("are required for choice questions")
            )
        );
    }

    #[test]
    fn choices_on_another_kind_are_rejected() {
        let (v, q) = compile(question(
            "text",
            json!({"choices": [{"id": "a", "label": {"en": "A"}}]}),
        ));
        assert_eq!(
            only_error(&v),
            (
                format!("{PATH}.choices"),
                K::Choices("are only allowed on single_choice and multi_choice questions")
            )
        );
        assert!(q.choices.is_empty());
    }

    #[test]
    fn an_empty_choice_list_is_a_count_error() {
        let (v, _) = compile(question("multi_choice", json!({"choices": []})));
        assert!(matches!(
            only_error(&v),
            (
                _,
                K::Count {
                    what: "choices",
                    min: 1,
                    max: 200,
                    found: 0
                }
            )
        ));
    }

    #[test]
    fn choice_ids_are_checked_and_unique() {
        let choice = |id: &str| json!({"id": id, "label": {"en": "C"}});
        let (v, q) = compile(question(
            "single_choice",
            json!({"choices": [choice("a"), choice("B"), choice("a")]}),
        ));
        assert_eq!(
            errors(&v),
            [
                (
                    &*format!("{PATH}.choices[1].id"),
                    &K::InvalidId {
                        expected: CHOICE_ID,
                        found: "B".into()
                    }
                ),
                (
                    &*format!("{PATH}.choices[2].id"),
                    &K::DuplicateId {
                        id: "a".into(),
                        first: format!("{PATH}.choices[0].id")
                    }
                )
            ]
        );
        assert_eq!(q.choices.len(), 3);
    }

    #[test]
    fn bounds_on_a_question_that_is_not_a_number_are_rejected() {
        let (v, _) = compile(question("text", json!({"max": 3})));
        assert_eq!(
            only_error(&v),
            (
                format!("{PATH}.max"),
                K::Bounds("`min`/`max` are only allowed on number questions")
            )
        );
        let (v, _) = compile(question("date", json!({"min": 1, "max": 3})));
        assert_eq!(only_error(&v).0, format!("{PATH}.min"));
    }

    #[test]
    fn crossed_bounds_are_rejected_at_max() {
        let (v, _) = compile(question("number", json!({"min": 5, "max": 4.5})));
        assert_eq!(
            only_error(&v),
            (
                format!("{PATH}.max"),
                K::Bounds("`max` must not be below `min`")
            )
        );
        let (v, q) = compile(question("number", json!({"min": 5, "max": 5})));
        assert_eq!(errors(&v), []);
        assert_eq!((q.min, q.max), (Some(5.0), Some(5.0)));
    }

    #[test]
    fn a_yes_no_mapping_without_when_triggers_on_yes() {
        let (v, q) = compile(question(
            "yes_no",
            json!({"indicators": [{"indicator": "ind"}]}),
        ));
        assert_eq!(errors(&v), []);
        assert!(matches!(
            q.mappings[..],
            [Mapping {
                indicator: 0,
                trigger: Trigger::Yes
            }]
        ));
    }

    #[test]
    fn a_mapping_may_read_its_own_question() {
        let (v, q) = compile(question(
            "number",
            json!({"indicators": [{"indicator": "ind", "when": "${q} > 3"}]}),
        ));
        assert_eq!(errors(&v), []);
        assert!(matches!(
            q.mappings[..],
            [Mapping {
                trigger: Trigger::When(_),
                ..
            }]
        ));
    }

    #[test]
    fn a_mapping_on_another_kind_needs_a_when() {
        let (v, q) = compile(question(
            "number",
            json!({"indicators": [{"indicator": "ind"}]}),
        ));
        assert_eq!(
            only_error(&v),
            (
                format!("{PATH}.indicators[0].when"),
                K::WhenRequired("number")
            )
        );
        assert!(q.mappings.is_empty());
    }

    #[test]
    fn a_mapping_to_an_unknown_indicator_is_rejected() {
        let (v, q) = compile(question(
            "yes_no",
            json!({"indicators": [{"indicator": "nope"}]}),
        ));
        assert_eq!(
            only_error(&v),
            (
                format!("{PATH}.indicators[0].indicator"),
                K::UnknownIndicator("nope".into())
            )
        );
        assert!(q.mappings.is_empty());
    }

    #[test]
    fn more_than_fifty_mappings_is_a_count_error() {
        let many: Vec<_> = (0..51).map(|_| json!({"indicator": "ind"})).collect();
        let (v, _) = compile(question("yes_no", json!({"indicators": many})));
        assert!(matches!(
            only_error(&v),
            (
                _,
                K::Count {
                    what: "indicator mappings",
                    max: 50,
                    found: 51,
                    ..
                }
            )
        ));
    }
}
