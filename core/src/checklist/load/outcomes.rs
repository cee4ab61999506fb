//! Outcomes: most serious first, each with one condition (the last with none), actions and
//! referrals by country.

use std::collections::{BTreeMap, HashMap};

use super::ids::{country_ok, name_id_ok, NAME_ID};
use super::indicators::Index;
use super::validator::Validator;
use crate::checklist::definition::{RawOutcome, RawOutcomeWhen, RawReferral};
use crate::checklist::load_error::{echo, LoadErrorKind};
use crate::checklist::model::{Outcome, OutcomeWhen, Referral};

/// Highest outcome level (the most serious).
const MAX_LEVEL: u8 = 3;

impl Validator {
    /// `indicators`: the indicator ids' indices (decisive indicators name them); `v1`: the
    /// document is format v1, which has no decisive indicators.
    pub(super) fn outcomes(
        &mut self,
        raw: Vec<RawOutcome>,
        indicators: &Index,
        v1: bool,
    ) -> Vec<Outcome> {
        self.count("$.outcomes", "outcomes", raw.len(), 1, 16);
        let last = raw.len().saturating_sub(1);
        let mut previous_level = u8::MAX;
        let mut seen = HashMap::new();
        let mut outcomes = Vec::new();
        for (i, o) in raw.into_iter().enumerate() {
            let path = format!("$.outcomes[{i}]");
            self.id(format!("{path}.id"), &o.id, name_id_ok(&o.id), NAME_ID);
            self.unique(&mut seen, &o.id, &format!("{path}.id"));
            self.level(&path, o.level, previous_level);
            previous_level = o.level;
            let when = self.outcome_when(&path, o.when, i == last, indicators, v1);
            let label = self.text(&format!("{path}.label"), o.label);
            let actions_path = format!("{path}.actions");
            self.count(&actions_path, "actions", o.actions.len(), 0, 20);
            let actions = o
                .actions
                .into_iter()
                .enumerate()
                .map(|(a, t)| self.text(&format!("{actions_path}[{a}]"), t))
                .collect();
            let referrals = self.referrals(&path, o.referrals);
            outcomes.push(Outcome {
                id: o.id,
                level: o.level,
                when,
                label,
                actions,
                referrals,
            });
        }
        outcomes
    }

    /// Levels run from 0 to 3 and never go up down the list.
    fn level(&mut self, path: &str, level: u8, previous: u8) {
        if level > MAX_LEVEL {
            self.err(format!("{path}.level"), LoadErrorKind::Level(level));
        } else if level > previous {
            self.err(
                format!("{path}.level"),
                LoadErrorKind::LevelOrder {
                    previous,
                    found: level,
                },
            );
        }
    }

    /// Every outcome but the last has exactly one condition; the last has none, so some
    /// outcome always applies.
    fn outcome_when(
        &mut self,
        path: &str,
        raw: Option<RawOutcomeWhen>,
        last: bool,
        indicators: &Index,
        v1: bool,
    ) -> Option<OutcomeWhen> {
        let when_path = format!("{path}.when");
        match (raw, last) {
            (Some(_), true) => {
                self.err(
                    when_path,
                    LoadErrorKind::Order(
                        "the last outcome must have no `when`: it applies when no other does",
                    ),
                );
                None
            }
            (None, false) => {
                self.err(
                    when_path,
                    LoadErrorKind::Order("every outcome but the last needs a `when`"),
                );
                None
            }
            (None, true) => None,
            (Some(w), false) => {
                let decisive = w
                    .decisive_indicators
                    .map(|ids| self.decisive(&when_path, ids, indicators, v1));
                let set = [
                    w.rule_met.map(OutcomeWhen::RuleMet),
                    w.min_score.map(OutcomeWhen::MinScore),
                    w.min_indicators.map(OutcomeWhen::MinIndicators),
                    w.min_dimensions_met.map(OutcomeWhen::MinDimensionsMet),
                    decisive.map(OutcomeWhen::Decisive),
                ];
                let mut given: Vec<OutcomeWhen> = set.into_iter().flatten().collect();
                if given.len() != 1 {
                    self.err(when_path, LoadErrorKind::OutcomeCondition(given.len()));
                }
                (!given.is_empty()).then(|| given.swap_remove(0))
            }
        }
    }

    /// `decisive_indicators`: 1 to 20 distinct indicator ids, in a v2 document.
    fn decisive(
        &mut self,
        when_path: &str,
        ids: Vec<String>,
        indicators: &Index,
        v1: bool,
    ) -> Vec<usize> {
        let path = format!("{when_path}.decisive_indicators");
        if v1 {
            self.err(&path, LoadErrorKind::NeedsFormatV2("decisive_indicators"));
        }
        self.count(&path, "decisive indicators", ids.len(), 1, 20);
        let mut seen = HashMap::new();
        let mut found = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let item = format!("{path}[{i}]");
            self.unique(&mut seen, id, &item);
            match indicators.get(id) {
                Some(&index) => found.push(index),
                None => self.err(item, LoadErrorKind::UnknownIndicator(echo(id))),
            }
        }
        found
    }

    /// Referrals by ISO country code (`*` for any country), 1 to 20 per country.
    fn referrals(
        &mut self,
        path: &str,
        raw: BTreeMap<String, Vec<RawReferral>>,
    ) -> BTreeMap<String, Vec<Referral>> {
        let mut referrals = BTreeMap::new();
        for (country, list) in raw {
            let rpath = format!("{path}.referrals.{country}");
            if !country_ok(&country) {
                self.err(&rpath, LoadErrorKind::InvalidCountry(echo(&country)));
            }
            self.count(&rpath, "referrals", list.len(), 1, 20);
            let compiled: Vec<Referral> = list
                .into_iter()
                .enumerate()
                .map(|(r, referral)| self.referral(&format!("{rpath}[{r}]"), referral))
                .collect();
            referrals.insert(country, compiled);
        }
        referrals
    }

    fn referral(&mut self, path: &str, raw: RawReferral) -> Referral {
        let name = self.text(&format!("{path}.name"), raw.name);
        let note = self.opt_text(&format!("{path}.note"), raw.note);
        for (field, value) in [("phone", &raw.phone), ("url", &raw.url)] {
            if let Some(v) = value {
                self.plain(format!("{path}.{field}"), v);
            }
        }
        Referral {
            name,
            phone: raw.phone,
            url: raw.url,
            note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::load_error::LoadErrorKind as K;
    use serde_json::{json, Value};

    fn outcome(id: &str, level: u8, when: Option<Value>) -> Value {
        let mut o = json!({"id": id, "level": level, "label": {"en": "O"}});
        if let Some(when) = when {
            o["when"] = when;
        }
        o
    }

    /// Two indicators, `I.a` (index 0) and `I.b` (index 1).
    fn indicators() -> Index {
        Index::from([("I.a".into(), 0), ("I.b".into(), 1)])
    }

    fn check(outcomes: Value) -> (Validator, Vec<Outcome>) {
        check_format(outcomes, false)
    }

    fn check_format(outcomes: Value, v1: bool) -> (Validator, Vec<Outcome>) {
        let mut v = validator();
        let compiled = v.outcomes(raw(outcomes), &indicators(), v1);
        (v, compiled)
    }

    #[test]
    fn decisive_indicators_compile_to_their_indices() {
        let (v, outcomes) = check(json!([
            outcome(
                "now",
                3,
                Some(json!({"decisive_indicators": ["I.b", "I.a"]}))
            ),
            outcome("none", 0, None)
        ]));
        assert_eq!(errors(&v), []);
        assert_eq!(outcomes[0].when, Some(OutcomeWhen::Decisive(vec![1, 0])));
    }

    #[test]
    fn decisive_indicators_need_format_v2() {
        let (v, _) = check_format(
            json!([
                outcome("now", 3, Some(json!({"decisive_indicators": ["I.a"]}))),
                outcome("none", 0, None)
            ]),
            true,
        );
        assert_eq!(
            errors(&v),
            [(
                "$.outcomes[0].when.decisive_indicators",
                &K::NeedsFormatV2("decisive_indicators")
            )]
        );
    }

    #[test]
    fn decisive_indicators_must_be_known_distinct_and_one_to_twenty() {
        let (v, _) = check(json!([
            outcome(
                "a",
                3,
                Some(json!({"decisive_indicators": ["I.a", "I.zz", "I.a"]}))
            ),
            outcome("b", 2, Some(json!({"decisive_indicators": []}))),
            outcome("none", 0, None)
        ]));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.outcomes[0].when.decisive_indicators[1]",
                    &K::UnknownIndicator("I.zz".into())
                ),
                (
                    "$.outcomes[0].when.decisive_indicators[2]",
                    &K::DuplicateId {
                        id: "I.a".into(),
                        first: "$.outcomes[0].when.decisive_indicators[0]".into()
                    }
                ),
                (
                    "$.outcomes[1].when.decisive_indicators",
                    &K::Count {
                        what: "decisive indicators",
                        min: 1,
                        max: 20,
                        found: 0
                    }
                )
            ]
        );
    }

    #[test]
    fn decisive_indicators_with_another_condition_is_two_conditions() {
        let (v, _) = check(json!([
            outcome(
                "a",
                3,
                Some(json!({"decisive_indicators": ["I.a"], "rule_met": true}))
            ),
            outcome("none", 0, None)
        ]));
        assert_eq!(
            errors(&v),
            [("$.outcomes[0].when", &K::OutcomeCondition(2))]
        );
    }

    #[test]
    fn outcomes_compile_with_their_conditions() {
        let (v, outcomes) = check(json!([
            outcome("high", 3, Some(json!({"rule_met": true}))),
            outcome("some", 2, Some(json!({"min_indicators": 2}))),
            outcome("none", 0, None)
        ]));
        assert_eq!(errors(&v), []);
        assert_eq!(outcomes[0].when, Some(OutcomeWhen::RuleMet(true)));
        assert_eq!(outcomes[1].when, Some(OutcomeWhen::MinIndicators(2)));
        assert_eq!(outcomes[2].when, None);
    }

    #[test]
    fn no_outcomes_or_more_than_sixteen_is_a_count_error() {
        let (v, _) = check(json!([]));
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.outcomes",
                K::Count {
                    what: "outcomes",
                    found: 0,
                    ..
                }
            )]
        ));
    }

    #[test]
    fn outcome_ids_are_checked_and_unique() {
        let (v, _) = check(json!([
            outcome("A", 1, Some(json!({"rule_met": true}))),
            outcome("b", 1, Some(json!({"rule_met": false}))),
            outcome("b", 0, None)
        ]));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.outcomes[0].id",
                    &K::InvalidId {
                        expected: NAME_ID,
                        found: "A".into()
                    }
                ),
                (
                    "$.outcomes[2].id",
                    &K::DuplicateId {
                        id: "b".into(),
                        first: "$.outcomes[1].id".into()
                    }
                )
            ]
        );
    }

    #[test]
    fn a_level_above_three_is_out_of_range() {
        let (v, _) = check(json!([outcome("a", 4, None)]));
        assert_eq!(errors(&v), [("$.outcomes[0].level", &K::Level(4))]);
    }

    #[test]
    fn levels_must_not_go_up_down_the_list() {
        let (v, _) = check(json!([
            outcome("a", 1, Some(json!({"rule_met": true}))),
            outcome("b", 1, Some(json!({"rule_met": false}))),
            outcome("c", 2, None)
        ]));
        assert_eq!(
            errors(&v),
            [(
                "$.outcomes[2].level",
                &K::LevelOrder {
                    previous: 1,
                    found: 2
                }
            )]
        );
    }

    #[test]
    fn only_the_last_outcome_goes_without_when() {
        let (v, _) = check(json!([
            outcome("a", 1, None),
            outcome("b", 0, Some(json!({"rule_met": true})))
        ]));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.outcomes[0].when",
                    &K::Order("every outcome but the last needs a `when`")
                ),
                (
                    "$.outcomes[1].when",
                    &K::Order(
                        "the last outcome must have no `when`: it applies when no other does"
                    )
                )
            ]
        );
    }

    #[test]
    fn a_when_must_give_exactly_one_condition() {
        for (when, given) in [
            (json!({}), 0),
            (json!({"min_score": 3, "rule_met": true}), 2),
        ] {
            let (v, _) = check(json!([outcome("a", 1, Some(when)), outcome("b", 0, None)]));
            assert_eq!(
                errors(&v),
                [("$.outcomes[0].when", &K::OutcomeCondition(given))]
            );
        }
    }

    #[test]
    fn actions_are_counted_and_checked_texts() {
        let mut o = outcome("a", 0, None);
        o["actions"] = json!([{"en": "Call"}, {"en": ""}]);
        let (v, outcomes) = check(json!([o]));
        assert_eq!(
            errors(&v),
            [(
                "$.outcomes[0].actions[1].en",
                &K::TextLength {
                    max: 4000,
                    found: 0
                }
            )]
        );
        assert_eq!(outcomes[0].actions.len(), 2);
        let mut o = outcome("a", 0, None);
        o["actions"] = json!(vec![json!({"en": "Call"}); 21]);
        let (v, _) = check(json!([o]));
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.outcomes[0].actions",
                K::Count {
                    what: "actions",
                    max: 20,
                    found: 21,
                    ..
                }
            )]
        ));
    }

    #[test]
    fn referral_countries_are_upper_case_codes_or_a_star() {
        let mut o = outcome("a", 0, None);
        o["referrals"] = json!({"*": [{"name": {"en": "Hotline"}}], "SK": [{"name": {"en": "Police"}, "phone": "158"}], "sk": [{"name": {"en": "X"}}]});
        let (v, outcomes) = check(json!([o]));
        assert_eq!(
            errors(&v),
            [(
                "$.outcomes[0].referrals.sk",
                &K::InvalidCountry("sk".into())
            )]
        );
        assert_eq!(outcomes[0].referrals["SK"][0].phone.as_deref(), Some("158"));
    }

    #[test]
    fn a_country_without_referrals_is_a_count_error() {
        let mut o = outcome("a", 0, None);
        o["referrals"] = json!({"SK": []});
        let (v, _) = check(json!([o]));
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.outcomes[0].referrals.SK",
                K::Count {
                    what: "referrals",
                    min: 1,
                    ..
                }
            )]
        ));
    }

    #[test]
    fn referral_texts_phone_and_url_are_checked() {
        let mut o = outcome("a", 0, None);
        o["referrals"] = json!({"SK": [{"name": {"sk": "Polícia"}, "phone": "", "url": "", "note": {"en": ""}}]});
        let (v, _) = check(json!([o]));
        let paths: Vec<_> = errors(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "$.outcomes[0].referrals.SK[0].name",
                "$.outcomes[0].referrals.SK[0].note.en",
                "$.outcomes[0].referrals.SK[0].phone",
                "$.outcomes[0].referrals.SK[0].url"
            ]
        );
    }
}
