//! Loading a checklist: JSON → shape check (serde, with paths) → semantic validation and
//! compilation into [`Checklist`]. Never panics and never recurses without a bound on any input.
//!
//! One file per step: `shape` (the document's JSON shape), `hash` (the content hash), then the
//! validation, which collects every mistake: `validator` (the shared checks), `ids` (identifier
//! patterns), `header` (id, version, source), `languages` (languages and translated texts),
//! `indicators` (dimensions and indicators), `scope` (which questions an expression may read),
//! `sections` (the two passes over sections), `questions` (one question: choices, bounds,
//! mappings), `rule` (the Delphi and score rules), `combination` (what a Delphi variant
//! requires) and `outcomes`.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{builtin, Checklist, LoadErrorKind};
//!
//! let json = builtin::source("first-contact").ok_or("not built in")?;
//! let checklist = Checklist::from_json(json)?;
//! assert_eq!(checklist.reference().id, "first-contact");
//! assert!(checklist.reference().hash.starts_with("sha256:"));
//! // The same document always has the same content hash.
//! assert_eq!(Checklist::from_json(json)?.reference(), checklist.reference());
//!
//! // A document of another format is named as such.
//! let errors = Checklist::from_json(r#"{"format": "indicia-checklist/9"}"#).unwrap_err();
//! let first = errors.first().ok_or("no error")?;
//! assert_eq!(first.path, "$.format");
//! assert!(matches!(first.kind, LoadErrorKind::UnsupportedFormat(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod combination;
mod hash;
pub(crate) use hash::content_hash;
mod header;
mod ids;
mod indicators;
mod languages;
mod outcomes;
mod questions;
mod rule;
mod scope;
mod sections;
mod shape;
mod validator;

use serde_json::Value;

use super::definition::RawChecklist;
use super::load_error::{echo, LoadError, LoadErrorKind, LoadErrors};
use super::model::{Checklist, ChecklistRef, Provenance};
use super::strict_json;
use validator::Validator;

/// The format this version writes and reads: v2 adds decisive indicators (an outcome's
/// `decisive_indicators`; docs/formats/checklist.md, "Outcomes").
pub const FORMAT: &str = "indicia-checklist/2";
/// The first format, still read: v2 without decisive indicators.
pub const FORMAT_V1: &str = "indicia-checklist/1";
/// Largest definition accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

impl Checklist {
    /// Loads and validates a definition. On failure returns every mistake found (at least one);
    /// shape errors (wrong JSON type, unknown key) stop at the first. A signed definition
    /// (`indicia-signed-checklist/1`) is refused here: [`Checklist::load`] reads it under a
    /// deployment's trust list (docs/formats/signed-checklist.md).
    pub fn from_json(json: &str) -> Result<Checklist, LoadErrors> {
        let value = parse_bounded(crate::without_bom(json), MAX_DOCUMENT_BYTES)
            .map_err(|e| LoadErrors(vec![e]))?;
        Checklist::from_value(value)
    }

    /// [`Checklist::from_json`] for a document already parsed (by `parse_bounded`): a plain
    /// definition, marked built in when its id and content hash are a built-in checklist's or
    /// those of one of its language subsets (`builtin::language_subset`).
    pub(crate) fn from_value(value: Value) -> Result<Checklist, LoadErrors> {
        let (raw, hash) = parse(value).map_err(|e| LoadErrors(vec![e]))?;
        let mut v = Validator::new();
        match v.checklist(raw, hash) {
            Some(mut c) if v.errors.is_empty() => {
                if super::builtin::is_builtin(&c.reference) {
                    c.provenance = Provenance::BuiltIn;
                } else if let Some(whole) = super::builtin::subset_of(&c.reference) {
                    // One language of a built-in checklist (builtin::language_subset): that
                    // checklist, named as a report names it.
                    c.reference.hash = whole.to_owned();
                    c.provenance = Provenance::BuiltIn;
                }
                Ok(c)
            }
            _ => Err(LoadErrors(v.errors)),
        }
    }
}

/// The size bound, then strict JSON syntax (no duplicate keys; at most 128 levels deep).
pub(crate) fn parse_bounded(json: &str, max: usize) -> Result<Value, LoadError> {
    if json.len() > max {
        return Err(LoadError {
            path: "$".to_owned(),
            kind: LoadErrorKind::TooLarge {
                max,
                found: json.len(),
            },
        });
    }
    // serde_json stops at 128 levels of nesting, so hostile depth is an error, not a crash.
    strict_json::parse(json).map_err(|e| LoadError {
        path: "$".to_owned(),
        kind: LoadErrorKind::Json(e.to_string()),
    })
}

/// The steps that stop at the first mistake after the syntax: format, shape, then the hash of
/// what was parsed.
fn parse(value: Value) -> Result<(RawChecklist, String), LoadError> {
    let fail = |path: &str, kind| LoadError {
        path: path.to_owned(),
        kind,
    };
    // Checked before the shape so that a document of another format is named as such rather
    // than as a list of unknown keys.
    if let Some(format) = value.get("format") {
        if format.as_str() == Some(super::signed::SIGNED_FORMAT) {
            return Err(fail("$.format", LoadErrorKind::SignedDefinition));
        }
        if format.as_str() != Some(FORMAT) && format.as_str() != Some(FORMAT_V1) {
            let found = format
                .as_str()
                .map_or_else(|| format.to_string(), str::to_owned);
            return Err(fail(
                "$.format",
                LoadErrorKind::UnsupportedFormat(echo(&found)),
            ));
        }
    }
    shape::check_objects(&value)?;
    let hash = content_hash(&value).map_err(|e| fail("$", LoadErrorKind::Json(e)))?;
    let raw: RawChecklist = shape::shaped(&value, "$")?;
    Ok((raw, hash))
}

impl Validator {
    /// Validates and compiles the whole definition, in document order so that errors are listed
    /// the way an author reads the file.
    fn checklist(&mut self, raw: RawChecklist, hash: String) -> Option<Checklist> {
        self.header(&raw);
        self.languages(&raw);
        self.source(&raw.source);
        let title = self.text("$.title", raw.title);
        let description = self.opt_text("$.description", raw.description);
        let (dimensions, dimension_index) = self.dimensions(raw.dimensions);
        let (indicators, indicator_index) = self.indicators(raw.indicators, &dimension_index);
        let table = self.question_table(&raw.sections);
        let (sections, questions) = self.sections(raw.sections, &table, &indicator_index);
        let rule = self.rule(raw.rule, &dimension_index, &table.before(table.len()));
        let outcomes = self.outcomes(raw.outcomes, &indicator_index, raw.format == FORMAT_V1);
        Some(Checklist {
            reference: ChecklistRef {
                id: raw.id,
                version: raw.version,
                hash,
                publisher: None,
            },
            provenance: Provenance::Unsigned,
            default_language: raw.default_language,
            languages: raw.languages,
            fallbacks: raw.fallbacks,
            title,
            description,
            population: raw.population,
            source: raw.source,
            review: raw.review,
            dimensions,
            indicators,
            sections,
            questions,
            rule: rule?,
            outcomes,
            question_index: table.into_index(),
            publisher_key_id: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = include_str!("../../../../tests/vectors/checklist-v1/valid/minimal.json");

    fn minimal() -> Value {
        serde_json::from_str(MINIMAL).expect("the minimal vector is JSON")
    }

    fn errors(value: &Value) -> Vec<LoadError> {
        match Checklist::from_json(&value.to_string()) {
            Ok(_) => panic!("should not load"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn the_minimal_vector_loads_with_its_content_hash() {
        let c = Checklist::from_json(MINIMAL).expect("loads");
        let hash = hash::content_hash(&minimal()).expect("hashes");
        assert_eq!(c.reference().hash, hash);
        assert_eq!(c.question_index("later"), None);
        assert_eq!(c.question_index(&c.questions()[0].id), Some(0));
    }

    #[test]
    fn a_document_over_the_limit_is_too_large_before_it_is_parsed() {
        let json = " ".repeat(MAX_DOCUMENT_BYTES + 1);
        let e = Checklist::from_json(&json).expect_err("too large");
        assert_eq!(
            e.0,
            vec![LoadError {
                path: "$".into(),
                kind: LoadErrorKind::TooLarge {
                    max: MAX_DOCUMENT_BYTES,
                    found: MAX_DOCUMENT_BYTES + 1
                }
            }]
        );
    }

    #[test]
    fn a_syntax_error_is_one_json_error_at_the_root() {
        let e = Checklist::from_json("{\"format\": ").expect_err("not JSON");
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].path, "$");
        assert!(matches!(e.0[0].kind, LoadErrorKind::Json(_)));
    }

    #[test]
    fn another_format_is_named_before_any_shape_error() {
        let mut value = minimal();
        value["format"] = "indicia-checklist/3".into();
        value["unknown"] = true.into();
        let e = errors(&value);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "$.format");
        assert_eq!(
            e[0].kind,
            LoadErrorKind::UnsupportedFormat("indicia-checklist/3".into())
        );
    }

    #[test]
    fn formats_v1_and_v2_both_load() {
        for format in [FORMAT_V1, FORMAT] {
            let mut value = minimal();
            value["format"] = format.into();
            assert!(Checklist::from_json(&value.to_string()).is_ok(), "{format}");
        }
    }

    #[test]
    fn a_format_that_is_not_a_string_is_echoed_as_json() {
        let mut value = minimal();
        value["format"] = 1.into();
        assert_eq!(
            errors(&value)[0].kind,
            LoadErrorKind::UnsupportedFormat("1".into())
        );
    }

    #[test]
    fn semantic_errors_are_all_collected() {
        let mut value = minimal();
        value["id"] = "Bad Id".into();
        value["version"] = "".into();
        let paths: Vec<String> = errors(&value).into_iter().map(|e| e.path).collect();
        assert_eq!(paths, ["$.id", "$.version"]);
    }

    #[test]
    fn a_shape_error_stops_at_the_first() {
        let mut value = minimal();
        value["unknown"] = true.into();
        value["id"] = "Bad Id".into();
        let e = errors(&value);
        assert_eq!(e.len(), 1);
        assert!(matches!(e[0].kind, LoadErrorKind::Json(ref m) if m.contains("unknown")));
    }
}
