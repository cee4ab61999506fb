//! Combinations of dimensions: what a Delphi variant requires.

use serde_json::Value;

use super::indicators::Index;
use super::validator::Validator;
use crate::checklist::load_error::{echo, LoadErrorKind};
use crate::checklist::model::Combination;

/// Deepest nesting of `all`/`any` in a variant's `requires`.
const MAX_COMBINATION_DEPTH: usize = 16;

/// Most parts of one `all` or `any`.
const MAX_PARTS: usize = 64;

impl Validator {
    /// A dimension id, `{"all": [...]}` or `{"any": [...]}`, nested at most
    /// [`MAX_COMBINATION_DEPTH`] levels.
    pub(super) fn combination(
        &mut self,
        path: &str,
        value: &Value,
        dimensions: &Index,
        depth: usize,
    ) -> Option<Combination> {
        if depth > MAX_COMBINATION_DEPTH {
            self.err(
                path,
                LoadErrorKind::CombinationTooDeep(MAX_COMBINATION_DEPTH),
            );
            return None;
        }
        let malformed = |v: &mut Validator| {
            v.err(path, LoadErrorKind::Combination(echo(&value.to_string())));
            None
        };
        let (key, items) = match value {
            Value::String(id) => {
                let Some(&d) = dimensions.get(id) else {
                    self.err(path, LoadErrorKind::UnknownDimension(echo(id)));
                    return None;
                };
                return Some(Combination::Dimension(d));
            }
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((key, Value::Array(items)))
                    if (key == "all" || key == "any") && (1..=MAX_PARTS).contains(&items.len()) =>
                {
                    (key, items)
                }
                _ => return malformed(self),
            },
            _ => return malformed(self),
        };
        let parts: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                self.combination(&format!("{path}.{key}[{i}]"), item, dimensions, depth + 1)
            })
            .collect::<Option<_>>()?;
        Some(if key == "all" {
            Combination::All(parts)
        } else {
            Combination::Any(parts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::load_error::LoadErrorKind as K;
    use serde_json::json;

    const PATH: &str = "$.rule.variants[0].requires";

    fn check(value: Value) -> (Validator, Option<Combination>) {
        let dimensions = Index::from([("D1".into(), 0), ("D2".into(), 1)]);
        let mut v = validator();
        let compiled = v.combination(PATH, &value, &dimensions, 0);
        (v, compiled)
    }

    fn only_error(v: &Validator) -> (&str, &LoadErrorKind) {
        match errors(v)[..] {
            [e] => e,
            ref other => panic!("expected one error, got {other:?}"),
        }
    }

    #[test]
    fn dimension_ids_nest_in_all_and_any() {
        let (v, c) = check(json!({"all": ["D2", {"any": ["D1", "D2"]}]}));
        assert_eq!(errors(&v), []);
        assert_eq!(
            c,
            Some(Combination::All(vec![
                Combination::Dimension(1),
                Combination::Any(vec![Combination::Dimension(0), Combination::Dimension(1)])
            ]))
        );
    }

    #[test]
    fn an_unknown_dimension_is_reported_at_its_place() {
        let (v, c) = check(json!({"any": ["D1", "D9"]}));
        assert_eq!(
            only_error(&v),
            (
                &*format!("{PATH}.any[1]"),
                &K::UnknownDimension("D9".into())
            )
        );
        assert_eq!(c, None);
    }

    #[test]
    fn malformed_combinations_are_echoed() {
        for bad in [
            json!(3),
            json!({"all": []}),
            json!({"none": ["D1"]}),
            json!({"all": ["D1"], "any": ["D2"]}),
            json!({"all": "D1"}),
            json!({"any": vec!["D1"; MAX_PARTS + 1]}),
        ] {
            let (v, c) = check(bad.clone());
            assert_eq!(
                only_error(&v),
                (PATH, &K::Combination(echo(&bad.to_string()))),
                "{bad}"
            );
            assert_eq!(c, None);
        }
        let (v, _) = check(json!({"any": vec!["D1"; MAX_PARTS]}));
        assert_eq!(errors(&v), []);
    }

    #[test]
    fn combinations_nest_sixteen_levels_deep_and_no_deeper() {
        let nest =
            |levels: usize| (0..levels).fold(json!("D1"), |inner, _| json!({"all": [inner]}));
        let (v, _) = check(nest(MAX_COMBINATION_DEPTH));
        assert_eq!(errors(&v), []);
        let (v, c) = check(nest(MAX_COMBINATION_DEPTH + 1));
        let (path, kind) = only_error(&v);
        assert_eq!(kind, &K::CombinationTooDeep(16));
        assert_eq!(path, format!("{PATH}{}", ".all[0]".repeat(17)));
        assert_eq!(c, None);
    }
}
