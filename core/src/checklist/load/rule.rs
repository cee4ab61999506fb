//! The assessment rule: Delphi (dimensions met by counts of indicators per strength, then a
//! combination of dimensions per variant) or a weighted score.

use std::collections::HashMap;

use serde_json::Value;

use super::ids::{name_id_ok, NAME_ID};
use super::indicators::Index;
use super::scope::QuestionScope;
use super::shape::shaped;
use super::validator::Validator;
use crate::checklist::definition::{RawDelphi, RawScore, RawTerm, RawVariant};
use crate::checklist::load_error::{echo, LoadErrorKind};
use crate::checklist::model::{Rule, Term, Variant};

impl Validator {
    /// Reads the rule by its `kind`; the other keys are shaped only once the kind is known.
    pub(super) fn rule(
        &mut self,
        raw: Value,
        dimensions: &Index,
        scope: &QuestionScope<'_>,
    ) -> Option<Rule> {
        let kind = raw.get("kind").cloned().unwrap_or(Value::Null);
        match kind.as_str() {
            Some("delphi") => {
                let delphi = self.shaped(&raw)?;
                self.delphi(delphi, dimensions, scope)
            }
            Some("score") => {
                let score = self.shaped(&raw)?;
                Some(self.score(score))
            }
            _ => {
                let found = kind
                    .as_str()
                    .map_or_else(|| kind.to_string(), str::to_owned);
                self.err(
                    "$.rule.kind",
                    LoadErrorKind::Json(format!(
                        "unknown variant `{}`, expected `delphi` or `score`",
                        echo(&found)
                    )),
                );
                None
            }
        }
    }

    fn shaped<T: serde::de::DeserializeOwned>(&mut self, raw: &Value) -> Option<T> {
        shaped(raw, "$.rule").map_err(|e| self.errors.push(e)).ok()
    }

    fn delphi(
        &mut self,
        raw: RawDelphi,
        dimensions: &Index,
        scope: &QuestionScope<'_>,
    ) -> Option<Rule> {
        let met = raw.dimension_met;
        self.count("$.rule.dimension_met", "alternatives", met.len(), 1, 16);
        let alternatives = met
            .into_iter()
            .enumerate()
            .map(|(a, terms)| self.alternative(&format!("$.rule.dimension_met[{a}]"), terms))
            .collect();
        let variants = raw.variants;
        self.count("$.rule.variants", "variants", variants.len(), 1, 16);
        let last = variants.len().saturating_sub(1);
        let mut seen = HashMap::new();
        let mut compiled = Vec::new();
        for (i, variant) in variants.into_iter().enumerate() {
            let vpath = format!("$.rule.variants[{i}]");
            let variant = self.variant(&vpath, variant, i == last, &mut seen, dimensions, scope);
            compiled.extend(variant);
        }
        Some(Rule::Delphi {
            reviewed: raw.reviewed,
            dimension_met: alternatives,
            variants: compiled,
        })
    }

    /// One way a dimension can be met: all its terms hold.
    fn alternative(&mut self, path: &str, raw: Vec<RawTerm>) -> Vec<Term> {
        self.count(path, "terms", raw.len(), 1, 8);
        let mut terms = Vec::new();
        for (t, term) in raw.into_iter().enumerate() {
            let tpath = format!("{path}[{t}]");
            if term.at_least == 0 || term.at_least > 1000 {
                self.err(
                    format!("{tpath}.at_least"),
                    LoadErrorKind::Range {
                        what: "at_least",
                        expected: "1 to 1000",
                        found: term.at_least.to_string(),
                    },
                );
            }
            self.count(&format!("{tpath}.of"), "strengths", term.of.len(), 1, 4);
            let mut of = term.of.clone();
            of.sort();
            of.dedup();
            if of.len() != term.of.len() {
                self.err(
                    format!("{tpath}.of"),
                    LoadErrorKind::Term("a strength is listed twice"),
                );
            }
            terms.push(Term {
                at_least: term.at_least,
                of,
            });
        }
        // Terms of one alternative count disjoint indicators only if their strengths are
        // disjoint; overlapping terms would double-count.
        let mut all: Vec<_> = terms.iter().flat_map(|t| t.of.iter().copied()).collect();
        let n = all.len();
        all.sort();
        all.dedup();
        if all.len() != n {
            self.err(
                path,
                LoadErrorKind::Term("terms of one alternative must name different strengths"),
            );
        }
        terms
    }

    /// A variant, or `None` if its `requires` does not compile.
    fn variant(
        &mut self,
        path: &str,
        raw: RawVariant,
        last: bool,
        seen: &mut HashMap<String, String>,
        dimensions: &Index,
        scope: &QuestionScope<'_>,
    ) -> Option<Variant> {
        self.id(format!("{path}.id"), &raw.id, name_id_ok(&raw.id), NAME_ID);
        self.unique(seen, &raw.id, &format!("{path}.id"));
        let label = self.text(&format!("{path}.label"), raw.label);
        let when_path = format!("{path}.when");
        let when = match (raw.when, last) {
            (Some(_), true) => {
                self.err(
                    when_path,
                    LoadErrorKind::Order(
                        "the last variant must have no `when`: it applies when no other does",
                    ),
                );
                None
            }
            (None, false) => {
                self.err(
                    when_path,
                    LoadErrorKind::Order("every variant but the last needs a `when`"),
                );
                None
            }
            (Some(src), false) => self.expression(&when_path, &src, scope),
            (None, true) => None,
        };
        let requires_path = format!("{path}.requires");
        let requires = self.combination(&requires_path, &raw.requires, dimensions, 0)?;
        Some(Variant {
            id: raw.id,
            label,
            when,
            requires,
        })
    }

    fn score(&mut self, raw: RawScore) -> Rule {
        let w = raw.weights;
        let weights = [w.strong, w.medium, w.weak, w.none];
        for (name, weight) in ["strong", "medium", "weak", "none"].iter().zip(weights) {
            if weight > 1000 {
                self.err(
                    format!("$.rule.weights.{name}"),
                    LoadErrorKind::Range {
                        what: "weight",
                        expected: "0 to 1000",
                        found: weight.to_string(),
                    },
                );
            }
        }
        if raw.threshold == 0 || raw.threshold > 1_000_000 {
            self.err(
                "$.rule.threshold",
                LoadErrorKind::Range {
                    what: "threshold",
                    expected: "1 to 1000000",
                    found: raw.threshold.to_string(),
                },
            );
        }
        Rule::Score {
            reviewed: raw.reviewed,
            weights,
            threshold: raw.threshold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scope::QuestionTable;
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::definition::Strength;
    use crate::checklist::expr::{ExprErrorKind, QuestionType};
    use crate::checklist::load_error::LoadErrorKind as K;
    use crate::checklist::model::Combination;
    use serde_json::json;

    fn check(rule: Value) -> (Validator, Option<Rule>) {
        let mut table = QuestionTable::default();
        table.push("adult", QuestionType::YesNo);
        let dimensions = Index::from([("D1".into(), 0), ("D2".into(), 1)]);
        let mut v = validator();
        let compiled = v.rule(rule, &dimensions, &table.before(1));
        (v, compiled)
    }

    fn delphi(dimension_met: Value, variants: Value) -> Value {
        json!({"kind": "delphi", "reviewed": true, "dimension_met": dimension_met, "variants": variants})
    }

    fn term(at_least: u32, of: &[&str]) -> Value {
        json!({"at_least": at_least, "of": of})
    }

    fn variant(id: &str, when: Option<&str>, requires: Value) -> Value {
        let mut v = json!({"id": id, "label": {"en": "V"}, "requires": requires});
        if let Some(when) = when {
            v["when"] = when.into();
        }
        v
    }

    fn one_variant(requires: Value) -> Value {
        delphi(
            json!([[term(1, &["strong"])]]),
            json!([variant("all", None, requires)]),
        )
    }

    fn only_error(v: &Validator) -> (&str, &LoadErrorKind) {
        match errors(v)[..] {
            [e] => e,
            ref other => panic!("expected one error, got {other:?}"),
        }
    }

    #[test]
    fn a_delphi_rule_compiles_terms_variants_and_combinations() {
        let (v, rule) = check(delphi(
            json!([
                [term(1, &["strong"])],
                [term(2, &["weak", "medium"]), term(1, &["none"])]
            ]),
            json!([
                variant(
                    "adult",
                    Some("${adult} = 'yes'"),
                    json!({"all": ["D1", {"any": ["D1", "D2"]}]})
                ),
                variant("child", None, json!("D2"))
            ]),
        ));
        assert_eq!(errors(&v), []);
        let Some(Rule::Delphi {
            reviewed,
            dimension_met,
            variants,
        }) = rule
        else {
            panic!("a Delphi rule")
        };
        assert!(reviewed);
        assert_eq!(dimension_met[1][0].of, [Strength::Medium, Strength::Weak]);
        assert!(variants[0].when.is_some() && variants[1].when.is_none());
        assert_eq!(
            variants[0].requires,
            Combination::All(vec![
                Combination::Dimension(0),
                Combination::Any(vec![Combination::Dimension(0), Combination::Dimension(1)])
            ])
        );
    }

    #[test]
    fn an_unknown_or_missing_kind_is_named() {
        let (v, rule) = check(json!({"kind": "vote"}));
        assert!(rule.is_none());
        assert_eq!(
            only_error(&v),
            (
                "$.rule.kind",
                &K::Json("unknown variant `vote`, expected `delphi` or `score`".into())
            )
        );
        let (v, _) = check(json!({}));
        assert_eq!(
            only_error(&v).1,
            &K::Json("unknown variant `null`, expected `delphi` or `score`".into())
        );
    }

    #[test]
    fn a_rule_of_the_wrong_shape_for_its_kind_is_a_shape_error_below_rule() {
        let (v, rule) =
            check(json!({"kind": "score", "reviewed": true, "weights": {}, "threshold": 1}));
        assert!(rule.is_none());
        match only_error(&v) {
            (path, K::Json(message)) => {
                assert_eq!(path, "$.rule.weights");
                assert!(message.contains("missing field `strong`"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn alternatives_and_terms_are_counted() {
        let (v, _) = check(delphi(
            json!([]),
            json!([variant("all", None, json!("D1"))]),
        ));
        assert!(matches!(
            only_error(&v),
            (
                "$.rule.dimension_met",
                K::Count {
                    what: "alternatives",
                    found: 0,
                    ..
                }
            )
        ));
        let (v, _) = check(delphi(
            json!([[]]),
            json!([variant("all", None, json!("D1"))]),
        ));
        assert!(matches!(
            only_error(&v),
            (
                "$.rule.dimension_met[0]",
                K::Count {
                    what: "terms",
                    found: 0,
                    ..
                }
            )
        ));
        let (v, _) = check(delphi(
            json!([[term(1, &[])]]),
            json!([variant("all", None, json!("D1"))]),
        ));
        assert!(matches!(
            only_error(&v),
            (
                "$.rule.dimension_met[0][0].of",
                K::Count {
                    what: "strengths",
                    found: 0,
                    ..
                }
            )
        ));
    }

    #[test]
    fn at_least_must_be_one_to_a_thousand() {
        for (at_least, bad) in [(0, true), (1, false), (1000, false), (1001, true)] {
            let (v, _) = check(delphi(
                json!([[term(at_least, &["strong"])]]),
                json!([variant("all", None, json!("D1"))]),
            ));
            if bad {
                assert_eq!(
                    only_error(&v),
                    (
                        "$.rule.dimension_met[0][0].at_least",
                        &K::Range {
                            what: "at_least",
                            expected: "1 to 1000",
                            found: at_least.to_string()
                        }
                    )
                );
            } else {
                assert_eq!(errors(&v), [], "{at_least}");
            }
        }
    }

    #[test]
    fn a_strength_listed_twice_in_a_term_is_rejected() {
        let (v, _) = check(delphi(
            json!([[term(1, &["weak", "weak"])]]),
            json!([variant("all", None, json!("D1"))]),
        ));
        assert_eq!(
            only_error(&v),
            (
                "$.rule.dimension_met[0][0].of",
                &K::Term("a strength is listed twice")
            )
        );
    }

    #[test]
    fn terms_of_one_alternative_must_not_share_a_strength() {
        let (v, _) = check(delphi(
            json!([[term(1, &["weak", "strong"]), term(2, &["weak"])]]),
            json!([variant("all", None, json!("D1"))]),
        ));
        assert_eq!(
            only_error(&v),
            (
                "$.rule.dimension_met[0]",
                &K::Term("terms of one alternative must name different strengths")
            )
        );
    }

    #[test]
    fn no_variants_is_a_count_error() {
        let (v, _) = check(delphi(json!([[term(1, &["strong"])]]), json!([])));
        assert!(matches!(
            only_error(&v),
            (
                "$.rule.variants",
                K::Count {
                    what: "variants",
                    found: 0,
                    ..
                }
            )
        ));
    }

    #[test]
    fn only_the_last_variant_goes_without_when() {
        let (v, _) = check(delphi(
            json!([[term(1, &["strong"])]]),
            json!([
                variant("a", None, json!("D1")),
                variant("b", Some("true"), json!("D1"))
            ]),
        ));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.rule.variants[0].when",
                    &K::Order("every variant but the last needs a `when`")
                ),
                (
                    "$.rule.variants[1].when",
                    &K::Order(
                        "the last variant must have no `when`: it applies when no other does"
                    )
                )
            ]
        );
    }

    #[test]
    fn variant_ids_are_checked_and_unique() {
        let (v, _) = check(delphi(
            json!([[term(1, &["strong"])]]),
            json!([
                variant("A", Some("true"), json!("D1")),
                variant("x", Some("true"), json!("D1")),
                variant("x", None, json!("D1"))
            ]),
        ));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.rule.variants[0].id",
                    &K::InvalidId {
                        expected: NAME_ID,
                        found: "A".into()
                    }
                ),
                (
                    "$.rule.variants[2].id",
                    &K::DuplicateId {
                        id: "x".into(),
                        first: "$.rule.variants[1].id".into()
                    }
                )
            ]
        );
    }

    #[test]
    fn a_variant_when_is_compiled_against_all_questions() {
        let (v, _) = check(delphi(
            json!([[term(1, &["strong"])]]),
            json!([
                variant("a", Some("${nope} = 'yes'"), json!("D1")),
                variant("b", None, json!("D1"))
            ]),
        ));
        match only_error(&v) {
            ("$.rule.variants[0].when", K::Expression(e)) => {
                assert_eq!(e.kind, ExprErrorKind::UnknownQuestion("nope".into()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_variant_whose_requires_does_not_compile_is_dropped() {
        let (v, rule) = check(one_variant(json!({"any": ["D1", "D9"]})));
        assert_eq!(
            only_error(&v),
            (
                "$.rule.variants[0].requires.any[1]",
                &K::UnknownDimension("D9".into())
            )
        );
        assert!(matches!(rule, Some(Rule::Delphi { ref variants, .. }) if variants.is_empty()));
    }

    #[test]
    fn a_score_rule_keeps_its_weights_in_strength_order() {
        let (v, rule) = check(
            json!({"kind": "score", "reviewed": false, "weights": {"strong": 5, "medium": 3, "weak": 1, "none": 0}, "threshold": 6}),
        );
        assert_eq!(errors(&v), []);
        assert!(matches!(
            rule,
            Some(Rule::Score {
                reviewed: false,
                weights: [5, 3, 1, 0],
                threshold: 6
            })
        ));
    }

    #[test]
    fn score_weights_and_threshold_are_range_checked() {
        let (v, _) = check(
            json!({"kind": "score", "reviewed": true, "weights": {"strong": 1001, "medium": 1000, "weak": 0, "none": 0}, "threshold": 0}),
        );
        assert_eq!(
            errors(&v),
            [
                (
                    "$.rule.weights.strong",
                    &K::Range {
                        what: "weight",
                        expected: "0 to 1000",
                        found: "1001".into()
                    }
                ),
                (
                    "$.rule.threshold",
                    &K::Range {
                        what: "threshold",
                        expected: "1 to 1000000",
                        found: "0".into()
                    }
                )
            ]
        );
        let (v, _) = check(
            json!({"kind": "score", "reviewed": true, "weights": {"strong": 1, "medium": 1, "weak": 0, "none": 0}, "threshold": 1_000_001}),
        );
        assert!(matches!(
            only_error(&v),
            ("$.rule.threshold", K::Range { .. })
        ));
    }
}
