//! Sections, in two passes: first every question's id and type (so an expression anywhere can
//! be typed), then each section with its questions compiled.

use std::collections::HashMap;

use super::ids::{name_id_ok, NAME_ID};
use super::indicators::Index;
use super::questions::question_type;
use super::scope::QuestionTable;
use super::validator::Validator;
use crate::checklist::definition::RawSection;
use crate::checklist::load_error::LoadErrorKind;
use crate::checklist::model::{Question, Section};

/// Most questions in one document.
const MAX_QUESTIONS: usize = 2000;

impl Validator {
    /// Pass 1: section and question ids, and the type of every question.
    pub(super) fn question_table(&mut self, sections: &[RawSection]) -> QuestionTable {
        self.count("$.sections", "sections", sections.len(), 1, 200);
        let mut table = QuestionTable::default();
        let mut seen_questions = HashMap::new();
        let mut seen_sections = HashMap::new();
        for (s, section) in sections.iter().enumerate() {
            let path = format!("$.sections[{s}]");
            self.id(
                format!("{path}.id"),
                &section.id,
                name_id_ok(&section.id),
                NAME_ID,
            );
            self.unique(&mut seen_sections, &section.id, &format!("{path}.id"));
            let questions = &section.questions;
            self.count(
                &format!("{path}.questions"),
                "questions",
                questions.len(),
                1,
                500,
            );
            for (q, question) in questions.iter().enumerate() {
                let qpath = format!("{path}.questions[{q}]");
                self.id(
                    format!("{qpath}.id"),
                    &question.id,
                    name_id_ok(&question.id),
                    NAME_ID,
                );
                self.unique(&mut seen_questions, &question.id, &format!("{qpath}.id"));
                table.push(&question.id, question_type(question));
            }
        }
        if table.len() > MAX_QUESTIONS {
            self.err(
                "$.sections",
                LoadErrorKind::Count {
                    what: "questions in all sections",
                    min: 1,
                    max: MAX_QUESTIONS,
                    found: table.len(),
                },
            );
        }
        table
    }

    /// Pass 2: labels, section relevance and the questions, with expressions compiled against
    /// pass 1. A section's `relevant` may read only questions of earlier sections.
    pub(super) fn sections(
        &mut self,
        raw: Vec<RawSection>,
        table: &QuestionTable,
        indicators: &Index,
    ) -> (Vec<Section>, Vec<Question>) {
        let mut sections = Vec::new();
        let mut questions = Vec::new();
        for (s, section) in raw.into_iter().enumerate() {
            let path = format!("$.sections[{s}]");
            let first = questions.len();
            let label = self.text(&format!("{path}.label"), section.label);
            let relevant = section.relevant.as_deref().and_then(|src| {
                self.expression(&format!("{path}.relevant"), src, &table.before(first))
            });
            for (q, question) in section.questions.into_iter().enumerate() {
                let qpath = format!("{path}.questions[{q}]");
                let at = questions.len();
                questions.push(self.question(&qpath, question, s, at, table, indicators));
            }
            sections.push(Section {
                id: section.id,
                label,
                relevant,
                questions: first..questions.len(),
            });
        }
        (sections, questions)
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::expr::{ExprErrorKind, QuestionType};
    use crate::checklist::load_error::LoadErrorKind as K;
    use serde_json::{json, Value};

    fn question(id: &str) -> Value {
        json!({"id": id, "kind": "yes_no", "mode": "asked", "label": {"en": "Q?"}})
    }

    fn section(id: &str, questions: &[Value]) -> Value {
        json!({"id": id, "label": {"en": "S"}, "questions": questions})
    }

    fn table_of(sections: Value) -> (Validator, QuestionTable) {
        let mut v = validator();
        let raw: Vec<RawSection> = raw(sections);
        let table = v.question_table(&raw);
        (v, table)
    }

    #[test]
    fn pass_one_types_every_question_in_document_order() {
        let (v, table) = table_of(json!([
            section("a", &[question("q1")]),
            section(
                "b",
                &[
                    question("q2"),
                    json!({"id": "n", "kind": "number", "mode": "asked", "label": {"en": "N"}})
                ]
            )
        ]));
        assert_eq!(errors(&v), []);
        assert_eq!(table.types[2], QuestionType::Number);
        assert_eq!(table.index.get("q2"), Some(&1));
    }

    #[test]
    fn no_sections_and_empty_sections_are_count_errors() {
        let (v, _) = table_of(json!([]));
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.sections",
                K::Count {
                    what: "sections",
                    ..
                }
            )]
        ));
        let (v, _) = table_of(json!([section("a", &[])]));
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.sections[0].questions",
                K::Count {
                    what: "questions",
                    min: 1,
                    max: 500,
                    found: 0
                }
            )]
        ));
    }

    #[test]
    fn section_and_question_ids_are_checked_and_unique_across_sections() {
        let (v, _) = table_of(json!([
            section("a", &[question("q")]),
            section("a", &[question("Q"), question("q")])
        ]));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.sections[1].id",
                    &K::DuplicateId {
                        id: "a".into(),
                        first: "$.sections[0].id".into()
                    }
                ),
                (
                    "$.sections[1].questions[0].id",
                    &K::InvalidId {
                        expected: NAME_ID,
                        found: "Q".into()
                    }
                ),
                (
                    "$.sections[1].questions[1].id",
                    &K::DuplicateId {
                        id: "q".into(),
                        first: "$.sections[0].questions[0].id".into()
                    }
                )
            ]
        );
    }

    #[test]
    fn more_than_two_thousand_questions_in_all_is_a_count_error() {
        let many = |s: usize| {
            (0..500)
                .map(|q| question(&format!("q{s}_{q}")))
                .collect::<Vec<_>>()
        };
        let sections: Vec<_> = (0..5)
            .map(|s| section(&format!("s{s}"), &many(s)))
            .collect();
        let (v, table) = table_of(json!(sections));
        assert_eq!(table.len(), 2500);
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.sections",
                K::Count {
                    what: "questions in all sections",
                    max: 2000,
                    found: 2500,
                    ..
                }
            )]
        ));
    }

    fn compile(sections: Value) -> (Validator, Vec<Section>, Vec<Question>) {
        let (mut v, table) = table_of(sections.clone());
        let (s, q) = v.sections(raw(sections), &table, &Index::new());
        (v, s, q)
    }

    #[test]
    fn sections_own_consecutive_ranges_of_questions() {
        let (v, sections, questions) = compile(json!([
            section("a", &[question("q1"), question("q2")]),
            section("b", &[question("q3")])
        ]));
        assert_eq!(errors(&v), []);
        assert_eq!(sections[1].questions, 2..3);
        assert_eq!((questions[2].id.as_str(), questions[2].section), ("q3", 1));
    }

    #[test]
    fn a_section_may_be_relevant_on_questions_of_earlier_sections_only() {
        let mut second = section("b", &[question("q2")]);
        second["relevant"] = "${q1} = 'yes'".into();
        let (v, sections, _) = compile(json!([section("a", &[question("q1")]), second]));
        assert_eq!(errors(&v), []);
        assert!(sections[1].relevant.is_some());

        let mut own = section("a", &[question("q1")]);
        own["relevant"] = "${q1} = 'yes'".into();
        let (v, _, _) = compile(json!([own]));
        match errors(&v)[..] {
            [("$.sections[0].relevant", K::Expression(ref e))] => {
                assert_eq!(e.kind, ExprErrorKind::NotEarlier("q1".into()));
            }
            ref other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_section_label_is_a_checked_text() {
        let mut s = section("a", &[question("q")]);
        s["label"] = json!({"en": ""});
        let (v, _, _) = compile(json!([s]));
        assert_eq!(
            errors(&v),
            [(
                "$.sections[0].label.en",
                &K::TextLength {
                    max: 4000,
                    found: 0
                }
            )]
        );
    }
}
