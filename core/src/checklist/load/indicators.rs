//! Dimensions and the indicators that belong to them.

use std::collections::HashMap;

use super::ids::{dimension_id_ok, indicator_id_ok, DIMENSION_ID, INDICATOR_ID};
use super::validator::Validator;
use crate::checklist::definition::{RawDimension, RawIndicator};
use crate::checklist::load_error::{echo, LoadErrorKind};
use crate::checklist::model::{Dimension, Indicator};

/// Index by id; with a duplicated id the last definition wins (the duplicate is an error anyway).
pub(super) type Index = HashMap<String, usize>;

impl Validator {
    pub(super) fn dimensions(&mut self, raw: Vec<RawDimension>) -> (Vec<Dimension>, Index) {
        self.count("$.dimensions", "dimensions", raw.len(), 1, 64);
        let mut index = Index::new();
        let mut seen = HashMap::new();
        let mut dimensions = Vec::new();
        for (i, d) in raw.into_iter().enumerate() {
            let path = format!("$.dimensions[{i}]");
            self.id(
                format!("{path}.id"),
                &d.id,
                dimension_id_ok(&d.id),
                DIMENSION_ID,
            );
            self.unique(&mut seen, &d.id, &format!("{path}.id"));
            index.insert(d.id.clone(), i);
            let label = self.text(&format!("{path}.label"), d.label);
            let help = self.opt_text(&format!("{path}.help"), d.help);
            dimensions.push(Dimension {
                id: d.id,
                label,
                help,
            });
        }
        (dimensions, index)
    }

    pub(super) fn indicators(
        &mut self,
        raw: Vec<RawIndicator>,
        dimensions: &Index,
    ) -> (Vec<Indicator>, Index) {
        self.count("$.indicators", "indicators", raw.len(), 1, 1000);
        let mut index = Index::new();
        let mut seen = HashMap::new();
        let mut indicators = Vec::new();
        for (i, ind) in raw.into_iter().enumerate() {
            let path = format!("$.indicators[{i}]");
            self.id(
                format!("{path}.id"),
                &ind.id,
                indicator_id_ok(&ind.id),
                INDICATOR_ID,
            );
            self.unique(&mut seen, &ind.id, &format!("{path}.id"));
            let dimension = match dimensions.get(&ind.dimension) {
                Some(&d) => d,
                None => {
                    self.err(
                        format!("{path}.dimension"),
                        LoadErrorKind::UnknownDimension(echo(&ind.dimension)),
                    );
                    0
                }
            };
            index.insert(ind.id.clone(), i);
            let label = self.text(&format!("{path}.label"), ind.label);
            let help = self.opt_text(&format!("{path}.help"), ind.help);
            indicators.push(Indicator {
                id: ind.id,
                dimension,
                strength: ind.strength,
                label,
                help,
            });
        }
        (indicators, index)
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::definition::Strength;
    use crate::checklist::load_error::LoadErrorKind as K;
    use serde_json::json;

    fn dimension(id: &str) -> serde_json::Value {
        json!({"id": id, "label": {"en": "Dimension"}})
    }

    fn indicator(id: &str, dimension: &str) -> serde_json::Value {
        json!({"id": id, "dimension": dimension, "strength": "strong", "label": {"en": "I"}})
    }

    #[test]
    fn dimensions_are_indexed_by_id_in_order() {
        let mut v = validator();
        let (dims, index) = v.dimensions(raw(json!([dimension("D1"), dimension("d.2")])));
        assert_eq!(errors(&v), []);
        assert_eq!(dims[1].id, "d.2");
        assert_eq!(index.get("d.2"), Some(&1));
    }

    #[test]
    fn no_dimensions_is_a_count_error() {
        let mut v = validator();
        v.dimensions(Vec::new());
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.dimensions",
                K::Count {
                    what: "dimensions",
                    min: 1,
                    max: 64,
                    found: 0
                }
            )]
        ));
    }

    #[test]
    fn a_bad_or_repeated_dimension_id_is_reported() {
        let mut v = validator();
        v.dimensions(raw(json!([
            dimension("D1"),
            dimension("-x"),
            dimension("D1")
        ])));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.dimensions[1].id",
                    &K::InvalidId {
                        expected: DIMENSION_ID,
                        found: "-x".into()
                    }
                ),
                (
                    "$.dimensions[2].id",
                    &K::DuplicateId {
                        id: "D1".into(),
                        first: "$.dimensions[0].id".into()
                    }
                )
            ]
        );
    }

    #[test]
    fn a_dimension_label_is_a_checked_text() {
        let mut v = validator();
        v.dimensions(raw(
            json!([{"id": "D1", "label": {"sk": "x"}, "help": {"en": ""}}]),
        ));
        let paths: Vec<_> = errors(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["$.dimensions[0].label", "$.dimensions[0].help.en"]);
    }

    #[test]
    fn indicators_point_at_their_dimension_by_index() {
        let mut v = validator();
        let dims = Index::from([("D1".into(), 0), ("D2".into(), 1)]);
        let (inds, index) = v.indicators(
            raw(json!([indicator("a", "D2"), indicator("B.1", "D1")])),
            &dims,
        );
        assert_eq!(errors(&v), []);
        assert_eq!((inds[0].dimension, inds[0].strength), (1, Strength::Strong));
        assert_eq!(index.get("B.1"), Some(&1));
    }

    #[test]
    fn an_indicator_of_an_unknown_dimension_is_reported() {
        let mut v = validator();
        let dims = Index::from([("D1".into(), 0)]);
        v.indicators(raw(json!([indicator("a", "D9")])), &dims);
        assert_eq!(
            errors(&v),
            [(
                "$.indicators[0].dimension",
                &K::UnknownDimension("D9".into())
            )]
        );
    }

    #[test]
    fn a_bad_or_repeated_indicator_id_is_reported() {
        let mut v = validator();
        let dims = Index::from([("D1".into(), 0)]);
        v.indicators(
            raw(json!([
                indicator("a b", "D1"),
                indicator("x", "D1"),
                indicator("x", "D1")
            ])),
            &dims,
        );
        assert_eq!(
            errors(&v),
            [
                (
                    "$.indicators[0].id",
                    &K::InvalidId {
                        expected: INDICATOR_ID,
                        found: "a b".into()
                    }
                ),
                (
                    "$.indicators[2].id",
                    &K::DuplicateId {
                        id: "x".into(),
                        first: "$.indicators[1].id".into()
                    }
                )
            ]
        );
    }

    #[test]
    fn more_than_a_thousand_indicators_is_a_count_error() {
        let mut v = validator();
        let dims = Index::from([("D1".into(), 0)]);
        let many: Vec<_> = (0..1001)
            .map(|i| indicator(&format!("i{i}"), "D1"))
            .collect();
        v.indicators(raw(json!(many)), &dims);
        assert!(matches!(
            errors(&v)[..],
            [(
                "$.indicators",
                K::Count {
                    max: 1000,
                    found: 1001,
                    ..
                }
            )]
        ));
    }
}
