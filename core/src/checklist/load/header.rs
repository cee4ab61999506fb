//! The document's identity and source: `id`, `version`, `source`.

use super::ids::{checklist_id_ok, CHECKLIST_ID};
use super::validator::Validator;
use crate::checklist::definition::{RawChecklist, Source};
use crate::checklist::load_error::LoadErrorKind;

/// Longest `version`, in characters.
const MAX_VERSION_CHARS: usize = 32;

impl Validator {
    /// Checks `id` and `version` (`format` was checked before the shape).
    pub(super) fn header(&mut self, raw: &RawChecklist) {
        self.id(
            "$.id".into(),
            &raw.id,
            checklist_id_ok(&raw.id),
            CHECKLIST_ID,
        );
        let version_chars = raw.version.chars().count();
        if version_chars == 0 || version_chars > MAX_VERSION_CHARS {
            self.err(
                "$.version",
                LoadErrorKind::TextLength {
                    max: MAX_VERSION_CHARS,
                    found: version_chars,
                },
            );
        }
    }

    /// The source's title and licence note are shown untranslated, so they are plain strings.
    pub(super) fn source(&mut self, source: &Source) {
        self.plain("$.source.title".into(), &source.title);
        self.plain("$.source.licence_note".into(), &source.licence_note);
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use serde_json::json;

    fn checklist(id: &str, version: &str) -> RawChecklist {
        let mut doc = document();
        doc["id"] = id.into();
        doc["version"] = version.into();
        raw(doc)
    }

    #[test]
    fn a_valid_id_and_version_pass() {
        let mut v = validator();
        v.header(&checklist("first-contact", &"1".repeat(32)));
        assert_eq!(errors(&v), []);
    }

    #[test]
    fn an_id_against_its_pattern_is_an_invalid_id() {
        let mut v = validator();
        v.header(&checklist("First Contact", "1.0"));
        assert_eq!(
            errors(&v),
            [(
                "$.id",
                &LoadErrorKind::InvalidId {
                    expected: CHECKLIST_ID,
                    found: "First Contact".into()
                }
            )]
        );
    }

    #[test]
    fn an_empty_or_over_long_version_is_a_text_length_error() {
        for (version, found) in [("", 0), (&*"é".repeat(33), 33)] {
            let mut v = validator();
            v.header(&checklist("x", version));
            assert_eq!(
                errors(&v),
                [("$.version", &LoadErrorKind::TextLength { max: 32, found })]
            );
        }
    }

    #[test]
    fn an_empty_source_title_or_licence_note_is_reported() {
        let mut v = validator();
        v.source(&raw(json!({"title": "", "licence_note": ""})));
        let paths: Vec<_> = errors(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["$.source.title", "$.source.licence_note"]);
    }
}
