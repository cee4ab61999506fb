//! Languages and translations: the declared `languages`, the default, the fallback chains, the
//! unchecked translations, and every translated text.

use std::collections::HashMap;

use super::ids::language_ok;
use super::validator::Validator;
use crate::checklist::definition::{RawChecklist, RawText};
use crate::checklist::load_error::{echo, LoadErrorKind};
use crate::checklist::model::Text;

impl Validator {
    /// Checks the language list and remembers it (and the default) for every text after it.
    pub(super) fn languages(&mut self, raw: &RawChecklist) {
        self.count("$.languages", "languages", raw.languages.len(), 1, 64);
        let mut seen = HashMap::new();
        for (i, lang) in raw.languages.iter().enumerate() {
            let path = format!("$.languages[{i}]");
            if !language_ok(lang) {
                self.err(&path, LoadErrorKind::InvalidLanguage(echo(lang)));
            }
            self.unique(&mut seen, lang, &path);
        }
        self.languages = raw.languages.clone();
        self.default_language = raw.default_language.clone();
        if !self.languages.contains(&raw.default_language) {
            self.err(
                "$.default_language",
                LoadErrorKind::UndeclaredLanguage(echo(&raw.default_language)),
            );
        }
        for (lang, chain) in &raw.fallbacks {
            self.fallback(lang, chain);
        }
        for (i, lang) in raw.review.unchecked_translations.iter().enumerate() {
            self.declared(format!("$.review.unchecked_translations[{i}]"), lang);
        }
    }

    fn fallback(&mut self, lang: &str, chain: &[String]) {
        let path = format!("$.fallbacks.{lang}");
        if !language_ok(lang) {
            self.err(&path, LoadErrorKind::InvalidLanguage(echo(lang)));
        } else {
            self.declared(path.clone(), lang);
        }
        for (i, target) in chain.iter().enumerate() {
            self.declared(format!("{path}[{i}]"), target);
        }
    }

    fn declared(&mut self, path: String, lang: &str) {
        if !self.languages.iter().any(|l| l == lang) {
            self.err(path, LoadErrorKind::UndeclaredLanguage(echo(lang)));
        }
    }

    /// A translated text: it has the default language, only declared languages, and every
    /// translation is a plain string of acceptable length.
    pub(super) fn text(&mut self, path: &str, raw: RawText) -> Text {
        if !raw.contains_key(&self.default_language) {
            self.err(
                path,
                LoadErrorKind::MissingDefaultLanguage(self.default_language.clone()),
            );
        }
        for (lang, s) in &raw {
            self.declared(format!("{path}.{lang}"), lang);
            self.plain(format!("{path}.{lang}"), s);
        }
        Text(raw)
    }

    pub(super) fn opt_text(&mut self, path: &str, raw: Option<RawText>) -> Option<Text> {
        raw.map(|t| self.text(path, t))
    }
}

#[cfg(test)]
mod tests {
    use super::super::validator::testing::*;
    use super::*;
    use crate::checklist::load_error::LoadErrorKind as K;
    use serde_json::json;

    fn check(changes: serde_json::Value) -> Validator {
        let mut doc = document();
        for (key, value) in changes.as_object().expect("changes are an object") {
            doc[key] = value.clone();
        }
        let mut v = Validator::new();
        v.languages(&raw(doc));
        v
    }

    #[test]
    fn declared_languages_and_a_declared_default_pass() {
        let v = check(json!({"languages": ["en", "pt-br"], "fallbacks": {"pt-br": ["en"]}}));
        assert_eq!(errors(&v), []);
        assert_eq!(v.languages, ["en", "pt-br"]);
        assert_eq!(v.default_language, "en");
    }

    #[test]
    fn no_languages_or_more_than_sixty_four_is_a_count_error() {
        let v = check(json!({"languages": []}));
        assert!(matches!(
            errors(&v)[0],
            (
                "$.languages",
                K::Count {
                    what: "languages",
                    found: 0,
                    ..
                }
            )
        ));
    }

    #[test]
    fn a_malformed_or_repeated_language_is_reported_at_its_index() {
        let v = check(json!({"languages": ["en", "EN", "en"]}));
        assert_eq!(
            errors(&v),
            [
                ("$.languages[1]", &K::InvalidLanguage("EN".into())),
                (
                    "$.languages[2]",
                    &K::DuplicateId {
                        id: "en".into(),
                        first: "$.languages[0]".into()
                    }
                )
            ]
        );
    }

    #[test]
    fn a_default_outside_the_languages_is_undeclared() {
        let v = check(json!({"default_language": "sk"}));
        assert_eq!(
            errors(&v),
            [("$.default_language", &K::UndeclaredLanguage("sk".into()))]
        );
    }

    #[test]
    fn fallback_keys_and_targets_must_be_declared_languages() {
        let v = check(json!({"fallbacks": {"EN": [], "sk": ["en", "cs"]}}));
        assert_eq!(
            errors(&v),
            [
                ("$.fallbacks.EN", &K::InvalidLanguage("EN".into())),
                ("$.fallbacks.sk", &K::UndeclaredLanguage("sk".into())),
                ("$.fallbacks.sk[1]", &K::UndeclaredLanguage("cs".into()))
            ]
        );
    }

    #[test]
    fn unchecked_translations_must_be_declared_languages() {
        let v =
            check(json!({"review": {"status": "draft", "unchecked_translations": ["en", "de"]}}));
        assert_eq!(
            errors(&v),
            [(
                "$.review.unchecked_translations[1]",
                &K::UndeclaredLanguage("de".into())
            )]
        );
    }

    #[test]
    fn a_text_needs_the_default_language() {
        let mut v = validator();
        let text = v.text("$.title", raw(json!({"sk": "Názov"})));
        assert_eq!(
            errors(&v),
            [("$.title", &K::MissingDefaultLanguage("en".into()))]
        );
        assert_eq!(text.get(&["sk".into()]), "Názov");
    }

    #[test]
    fn a_translation_in_an_undeclared_language_is_reported_at_its_key() {
        let mut v = validator();
        v.text("$.title", raw(json!({"en": "Title", "de": "Titel"})));
        assert_eq!(
            errors(&v),
            [("$.title.de", &K::UndeclaredLanguage("de".into()))]
        );
    }

    #[test]
    fn an_empty_translation_is_a_text_length_error() {
        let mut v = validator();
        v.opt_text("$.help", Some(raw(json!({"en": "Help", "sk": ""}))));
        assert_eq!(
            errors(&v),
            [(
                "$.help.sk",
                &K::TextLength {
                    max: 4000,
                    found: 0
                }
            )]
        );
        assert!(v.opt_text("$.help", None).is_none());
    }
}
