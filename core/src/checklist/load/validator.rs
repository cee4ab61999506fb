//! The validator: the list of mistakes found so far and the checks every kind of element shares
//! (counts, ids, plain strings, unique ids, expressions). Each kind of element adds its own
//! methods in its own file.

use std::collections::HashMap;

use super::scope::QuestionScope;
use crate::checklist::expr;
use crate::checklist::load_error::{echo, LoadError, LoadErrorKind};

/// Longest plain string or translation, in characters.
pub(super) const MAX_TEXT_CHARS: usize = 4000;

/// Collects every mistake instead of stopping at the first, so an author fixes a file in one go.
pub(super) struct Validator {
    pub(super) errors: Vec<LoadError>,
    /// The document's `languages`, once read: every text is checked against them.
    pub(super) languages: Vec<String>,
    /// The document's `default_language`: every text must have it.
    pub(super) default_language: String,
}

impl Validator {
    pub(super) fn new() -> Validator {
        Validator {
            errors: Vec::new(),
            languages: Vec::new(),
            default_language: String::new(),
        }
    }

    pub(super) fn err(&mut self, path: impl Into<String>, kind: LoadErrorKind) {
        self.errors.push(LoadError {
            path: path.into(),
            kind,
        });
    }

    /// Reports a list length outside `min..=max`.
    pub(super) fn count(
        &mut self,
        path: &str,
        what: &'static str,
        found: usize,
        min: usize,
        max: usize,
    ) {
        if found < min || found > max {
            self.err(
                path,
                LoadErrorKind::Count {
                    what,
                    min,
                    max,
                    found,
                },
            );
        }
    }

    /// Reports `id` as not matching `expected` unless `ok`.
    pub(super) fn id(&mut self, path: String, id: &str, ok: bool, expected: &'static str) {
        if !ok {
            self.err(
                path,
                LoadErrorKind::InvalidId {
                    expected,
                    found: echo(id),
                },
            );
        }
    }

    /// Reports an empty or over-long untranslated string.
    pub(super) fn plain(&mut self, path: String, s: &str) {
        let n = s.chars().count();
        if n == 0 || n > MAX_TEXT_CHARS {
            self.err(
                path,
                LoadErrorKind::TextLength {
                    max: MAX_TEXT_CHARS,
                    found: n,
                },
            );
        }
    }

    /// Registers `id` in `seen`, reporting a duplicate with the first definition's path.
    pub(super) fn unique(&mut self, seen: &mut HashMap<String, String>, id: &str, path: &str) {
        if let Some(first) = seen.get(id) {
            let first = first.clone();
            self.err(
                path,
                LoadErrorKind::DuplicateId {
                    id: echo(id),
                    first,
                },
            );
        } else {
            seen.insert(id.to_owned(), path.to_owned());
        }
    }

    /// Compiles an expression against the questions `scope` allows, reporting why it does not.
    pub(super) fn expression(
        &mut self,
        path: &str,
        source: &str,
        scope: &QuestionScope<'_>,
    ) -> Option<expr::Expr> {
        match expr::compile(source, scope) {
            Ok(e) => Some(e),
            Err(e) => {
                self.err(path, LoadErrorKind::Expression(e));
                None
            }
        }
    }
}

/// Helpers for the unit tests of every part of the loader.
#[cfg(test)]
pub(super) mod testing {
    use super::*;

    /// A validator as it is after the header of a document in `en` (default) and `sk`.
    pub(in crate::checklist::load) fn validator() -> Validator {
        let mut v = Validator::new();
        v.languages = vec!["en".into(), "sk".into()];
        v.default_language = "en".into();
        v
    }

    /// The mistakes found, as (path, kind).
    pub(in crate::checklist::load) fn errors(v: &Validator) -> Vec<(&str, &LoadErrorKind)> {
        v.errors
            .iter()
            .map(|e| (e.path.as_str(), &e.kind))
            .collect()
    }

    /// The top level of a document in `en` with empty lists, for tests of the top-level keys.
    pub(in crate::checklist::load) fn document() -> serde_json::Value {
        serde_json::json!({
            "format": "indicia-checklist/1", "id": "x", "version": "1",
            "default_language": "en", "languages": ["en"], "title": {"en": "T"},
            "population": "any", "source": {"title": "S", "licence_note": "L"},
            "review": {"status": "draft"}, "dimensions": [], "indicators": [], "sections": [],
            "rule": {}, "outcomes": []
        })
    }

    /// A JSON value of a raw definition type, for building test input.
    pub(in crate::checklist::load) fn raw<T: serde::de::DeserializeOwned>(
        value: serde_json::Value,
    ) -> T {
        serde_json::from_value(value).expect("test input has the raw type's shape")
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::checklist::expr::ExprErrorKind;
    use crate::checklist::load::scope::QuestionTable;

    #[test]
    fn counts_outside_the_range_are_reported_inside_are_not() {
        let mut v = validator();
        v.count("$.a", "things", 1, 1, 3);
        v.count("$.b", "things", 3, 1, 3);
        v.count("$.c", "things", 0, 1, 3);
        v.count("$.d", "things", 4, 1, 3);
        let found: Vec<_> = errors(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(found, ["$.c", "$.d"]);
        assert_eq!(
            v.errors[1].kind,
            LoadErrorKind::Count {
                what: "things",
                min: 1,
                max: 3,
                found: 4
            }
        );
    }

    #[test]
    fn a_bad_id_is_echoed_and_cut_to_forty_characters() {
        let mut v = validator();
        let long = "X".repeat(50);
        v.id("$.id".into(), &long, false, "[a-z]");
        v.id("$.ok".into(), "fine", true, "[a-z]");
        assert_eq!(
            errors(&v),
            [(
                "$.id",
                &LoadErrorKind::InvalidId {
                    expected: "[a-z]",
                    found: format!("{}…", "X".repeat(40))
                }
            )]
        );
    }

    #[test]
    fn plain_strings_must_have_one_to_four_thousand_characters() {
        let mut v = validator();
        v.plain("$.empty".into(), "");
        v.plain("$.max".into(), &"é".repeat(MAX_TEXT_CHARS));
        v.plain("$.over".into(), &"a".repeat(MAX_TEXT_CHARS + 1));
        assert_eq!(
            errors(&v),
            [
                (
                    "$.empty",
                    &LoadErrorKind::TextLength {
                        max: 4000,
                        found: 0
                    }
                ),
                (
                    "$.over",
                    &LoadErrorKind::TextLength {
                        max: 4000,
                        found: 4001
                    }
                )
            ]
        );
    }

    #[test]
    fn a_duplicate_id_names_the_first_definition() {
        let mut v = validator();
        let mut seen = HashMap::new();
        v.unique(&mut seen, "a", "$.x[0].id");
        v.unique(&mut seen, "b", "$.x[1].id");
        v.unique(&mut seen, "a", "$.x[2].id");
        assert_eq!(
            errors(&v),
            [(
                "$.x[2].id",
                &LoadErrorKind::DuplicateId {
                    id: "a".into(),
                    first: "$.x[0].id".into()
                }
            )]
        );
    }

    #[test]
    fn an_expression_that_does_not_compile_is_an_expression_error_at_its_path() {
        let table = QuestionTable::default();
        let mut v = validator();
        assert!(v.expression("$.when", "true", &table.before(0)).is_some());
        assert!(v
            .expression("$.when", "${q} = 'yes'", &table.before(0))
            .is_none());
        match errors(&v).as_slice() {
            [("$.when", LoadErrorKind::Expression(e))] => {
                assert!(matches!(e.kind, ExprErrorKind::UnknownQuestion(_)), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
}
