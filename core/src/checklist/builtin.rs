//! The checklists shipped with Indicia. Native builds (the CLI, the uniffi bindings) compile
//! their definitions in (feature `embedded-checklists`), so the field app works with no files and
//! no network. The browser's store module leaves them out (48 KB gzipped): its worker fetches them
//! from beside the app and hands them in with [`provide`], which takes a definition only if its
//! content hash is one pinned here. Every build carries that table of ids, versions and content
//! hashes (`builtin_table.rs`, generated from `core/checklists/*.json` and tested against them).
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::builtin;
//! use indicia_core::ErrorKind;
//!
//! assert!(builtin::ids().any(|id| id == "first-contact"));
//! for id in builtin::ids() {
//!     let checklist = builtin::load(id)?;
//!     assert_eq!(checklist.reference().id, id);
//! }
//! let unknown = builtin::load("no-such-checklist").unwrap_err();
//! assert_eq!(unknown.kind(), ErrorKind::UnknownChecklist);
//!
//! // A definition offered as a built-in is taken only as it was shipped.
//! let json = builtin::source("ilo-forced-labour-11").ok_or("built in")?;
//! assert_eq!(builtin::provide(json)?.id, "ilo-forced-labour-11");
//! let altered = json.replacen("\"version\": \"0.1.0\"", "\"version\": \"0.1.1\"", 1);
//! assert_eq!(builtin::provide(&altered).unwrap_err().kind(), ErrorKind::UntrustedChecklist);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde_json::Value;

use super::builtin_table::{BUILTINS, LANGUAGE_SUBSETS};
use super::load_error::{echo, LoadErrors};
use super::model::{Checklist, ChecklistRef, Provenance};

/// `(id, JSON)` of every built-in checklist, in the order of `BUILTINS` (a test holds the two
/// together).
#[cfg(feature = "embedded-checklists")]
const BUILTIN: [(&str, &str); 4] = [
    (
        "first-contact",
        include_str!("../../checklists/first-contact.json"),
    ),
    (
        "ilo-ec-delphi-adult-labour",
        include_str!("../../checklists/ilo-ec-delphi-adult-labour.json"),
    ),
    (
        "ilo-ec-delphi-child-labour",
        include_str!("../../checklists/ilo-ec-delphi-child-labour.json"),
    ),
    (
        "ilo-forced-labour-11",
        include_str!("../../checklists/ilo-forced-labour-11.json"),
    ),
];

/// Without `embedded-checklists`: the definitions [`provide`] accepted, in the order of
/// `BUILTINS` (each set once: a second one for the same id has the same content).
#[cfg(not(feature = "embedded-checklists"))]
static PROVIDED: [std::sync::OnceLock<String>; BUILTINS.len()] =
    [const { std::sync::OnceLock::new() }; BUILTINS.len()];

/// Whether `reference` names a built-in checklist exactly (id and content hash; unsigned).
pub fn is_builtin(reference: &ChecklistRef) -> bool {
    reference.publisher.is_none()
        && BUILTINS
            .iter()
            .any(|(id, _, hash)| *id == reference.id && *hash == reference.hash)
}

/// The content hash of the built-in checklist of which `reference` is a language subset
/// ([`language_subset`] of a built-in, as the web build writes them beside the app), if it is
/// one: a definition loaded from such a file is that built-in checklist, read in one language.
pub(crate) fn subset_of(reference: &ChecklistRef) -> Option<&'static str> {
    if reference.publisher.is_some() {
        return None;
    }
    let (id, _, _) = LANGUAGE_SUBSETS
        .iter()
        .find(|(id, _, hash)| *id == reference.id && *hash == reference.hash)?;
    BUILTINS
        .iter()
        .find(|(builtin, version, _)| builtin == id && *version == reference.version)
        .map(|(_, _, hash)| *hash)
}

/// `json` (a plain definition) with every translated text cut down to the languages a session
/// in `language` reads: `language`, its base language, its fallbacks and the default language
/// (docs/formats/checklist.md, "Text"; a language the checklist lacks gives the default one's).
/// Everything else is kept, `languages` too, so the subset describes itself as the whole
/// checklist does, and a session in `language` shows exactly what the whole one shows.
///
/// The web build writes one per language of each built-in checklist, compiled
/// (`checklists/ID.LANG.bin`, docs/formats/compiled-checklist.md), so that the page fetches one
/// language rather than nine before its first question; their
/// content hashes are pinned beside the built-ins' (`subset_of`), so a subset loads as the
/// built-in checklist itself (its reference, hash included, is the whole definition's).
pub fn language_subset(json: &str, language: &str) -> Result<String, LoadErrors> {
    let checklist = Checklist::from_json(json)?;
    let keep = checklist.language_chain(language);
    let mut value: serde_json::Value =
        super::load::parse_bounded(crate::without_bom(json), super::load::MAX_DOCUMENT_BYTES)
            .map_err(|e| LoadErrors(vec![e]))?;
    retain_languages(&mut value, checklist.languages(), &keep);
    Ok(value.to_string())
}

/// Cuts every translated text in `value` (an object whose keys are all declared languages and
/// whose values are all strings) down to the languages in `keep`.
fn retain_languages(value: &mut serde_json::Value, declared: &[String], keep: &[String]) {
    match value {
        serde_json::Value::Object(map) => {
            let text = !map.is_empty()
                && map
                    .iter()
                    .all(|(key, v)| v.is_string() && declared.contains(key));
            if text {
                map.retain(|key, _| keep.contains(key));
            } else {
                map.values_mut()
                    .for_each(|v| retain_languages(v, declared, keep));
            }
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|v| retain_languages(v, declared, keep)),
        _ => {}
    }
}

/// Ids of the built-in checklists.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(id, _, _)| *id)
}

/// The JSON source of a built-in checklist: compiled in, or (without `embedded-checklists`) as
/// [`provide`] accepted it; `None` for an unknown id or one not provided.
pub fn source(id: &str) -> Option<&'static str> {
    let i = BUILTINS.iter().position(|(builtin, _, _)| *builtin == id)?;
    #[cfg(feature = "embedded-checklists")]
    return Some(BUILTIN[i].1);
    #[cfg(not(feature = "embedded-checklists"))]
    return PROVIDED[i].get().map(String::as_str);
}

/// Offers `json` as the definition of a built-in checklist: a plain definition, or one signed by
/// a deployment's publisher (`indicia-signed-checklist/1`; its signature is not needed, the
/// content is what is pinned). Taken only if its content hash is that of the built-in checklist
/// of its id (`builtin_table.rs`); returns that checklist's reference. A build without the
/// feature `embedded-checklists` (the browser's store module) has a built-in checklist only once
/// it was provided: [`load`] and [`source`] then give it. With the feature this checks only.
///
/// Errors: `InvalidChecklist` (not JSON, too large), `UnknownChecklist` (no built-in has its id),
/// `UntrustedChecklist` (its content is not the built-in one's).
pub fn provide(json: &str) -> Result<ChecklistRef, BuiltinError> {
    let max = super::signed::MAX_SIGNED_BYTES;
    let mut value = super::load::parse_bounded(crate::without_bom(json), max)
        .map_err(|e| LoadErrors(vec![e]))?;
    if value.get("format").and_then(Value::as_str) == Some(super::signed::SIGNED_FORMAT) {
        value = value
            .get_mut("definition")
            .map(Value::take)
            .unwrap_or_default();
    }
    let id = value.get("id").and_then(Value::as_str).unwrap_or_default();
    let Some(i) = BUILTINS.iter().position(|(builtin, _, _)| *builtin == id) else {
        return Err(BuiltinError::Unknown(echo(id)));
    };
    let (id, version, hash) = BUILTINS[i];
    if super::load::content_hash(&value).ok().as_deref() != Some(hash) {
        return Err(BuiltinError::Altered(id.to_owned()));
    }
    #[cfg(not(feature = "embedded-checklists"))]
    PROVIDED[i].get_or_init(|| value.to_string());
    Ok(ChecklistRef {
        id: id.to_owned(),
        version: version.to_owned(),
        hash: hash.to_owned(),
        publisher: None,
    })
}

/// Why a built-in checklist could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuiltinError {
    /// No built-in checklist has this id.
    #[error("no built-in checklist \"{0}\"")]
    Unknown(String),
    /// A build without compiled-in definitions was not given this one ([`provide`]).
    #[error("built-in checklist \"{0}\" was not provided")]
    NotProvided(String),
    /// A definition offered as this built-in checklist ([`provide`]) is not the one shipped:
    /// its content hash differs from the pinned one.
    #[error("the definition offered as built-in checklist \"{0}\" is not the one shipped")]
    Altered(String),
    /// The shipped data does not load (built-ins are tested to load: this is a broken build), or
    /// a definition offered as one is not JSON.
    #[error(transparent)]
    Invalid(#[from] LoadErrors),
}

impl BuiltinError {
    /// The host-visible classification.
    pub fn kind(&self) -> crate::ErrorKind {
        match self {
            BuiltinError::Unknown(_) | BuiltinError::NotProvided(_) => {
                crate::ErrorKind::UnknownChecklist
            }
            BuiltinError::Altered(_) => crate::ErrorKind::UntrustedChecklist,
            BuiltinError::Invalid(e) => e.kind(),
        }
    }
}

/// Loads a built-in checklist by id.
pub fn load(id: &str) -> Result<Checklist, BuiltinError> {
    let json = source(id).ok_or_else(|| match ids().any(|builtin| builtin == id) {
        true => BuiltinError::NotProvided(echo(id)),
        false => BuiltinError::Unknown(echo(id)),
    })?;
    let mut checklist = Checklist::from_json(json)?;
    checklist.provenance = Provenance::BuiltIn;
    Ok(checklist)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::checklist::Session;

    /// The table core/src/checklist/builtin_table.rs should hold for core/checklists/*.json.
    fn generated_table() -> Result<String, String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/checklists");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".json"))
            .collect();
        names.sort();
        let (mut builtins, mut subsets) = (String::new(), String::new());
        let (mut builtin_count, mut subset_count) = (0, 0);
        let entry = |a: &str, b: &str, c: &str| {
            format!("    (\n        \"{a}\",\n        \"{b}\",\n        \"{c}\",\n    ),\n")
        };
        for name in names {
            let json =
                std::fs::read_to_string(format!("{dir}/{name}")).map_err(|e| e.to_string())?;
            let checklist = Checklist::from_json(&json).map_err(|e| format!("{name}: {e}"))?;
            let r = checklist.reference();
            assert_eq!(
                format!("{}.json", r.id),
                name,
                "a built-in's file is named by its id"
            );
            builtins += &entry(&r.id, &r.version, &r.hash);
            builtin_count += 1;
            if checklist.languages().len() > 1 {
                for language in checklist.languages() {
                    let subset = language_subset(&json, language).map_err(|e| e.to_string())?;
                    let value = serde_json::from_str(&subset).map_err(|e| e.to_string())?;
                    let hash = crate::checklist::load::content_hash(&value)?;
                    subsets += &entry(&r.id, language, &hash);
                    subset_count += 1;
                }
            }
        }
        Ok(format!(
            "// Generated from core/checklists/*.json by the test `builtin::tests::the_table_is_that_of_the_shipped_files`:\n\
             // INDICIA_UPDATE_BUILTIN_TABLE=1 cargo test -p indicia-core --lib builtin:: rewrites it. Do not edit.\n\
             \n\
             /// `(id, version, content hash)` of every built-in checklist, in the order a picker shows them.\n\
             pub(super) const BUILTINS: [(&str, &str, &str); {builtin_count}] = [\n{builtins}];\n\
             \n\
             /// `(id, language, content hash)` of the language subsets (`builtin::language_subset`) of every\n\
             /// built-in checklist with more than one language.\n\
             pub(super) const LANGUAGE_SUBSETS: [(&str, &str, &str); {subset_count}] = [\n{subsets}];\n"
        ))
    }

    #[test]
    fn the_table_is_that_of_the_shipped_files() -> Result<(), String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/checklist/builtin_table.rs"
        );
        let wanted = generated_table()?;
        if std::env::var_os("INDICIA_UPDATE_BUILTIN_TABLE").is_some() {
            std::fs::write(path, &wanted).map_err(|e| e.to_string())?;
        }
        let table = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        assert!(
            table == wanted,
            "builtin_table.rs is not that of core/checklists/*.json: run \
             INDICIA_UPDATE_BUILTIN_TABLE=1 cargo test -p indicia-core --lib builtin::"
        );
        Ok(())
    }

    #[cfg(feature = "embedded-checklists")]
    #[test]
    fn every_built_in_loads_as_built_in() -> Result<(), BuiltinError> {
        assert_eq!(BUILTIN.len(), BUILTINS.len());
        for ((id, json), (table_id, version, hash)) in BUILTIN.iter().zip(BUILTINS) {
            assert_eq!(*id, table_id);
            let loaded = Checklist::from_json(json)?;
            assert_eq!(
                (
                    loaded.reference().version.as_str(),
                    loaded.reference().hash.as_str()
                ),
                (version, hash)
            );
            assert_eq!(loaded.provenance(), Provenance::BuiltIn, "{id}");
            assert_eq!(load(id)?.provenance(), Provenance::BuiltIn);
        }
        Ok(())
    }

    #[test]
    fn a_changed_built_in_is_not_built_in() -> Result<(), String> {
        let json = source("ilo-forced-labour-11").ok_or("built in")?;
        let mut doc: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        doc["version"] = "9.9.9".into();
        let changed = Checklist::from_json(&doc.to_string()).map_err(|e| e.to_string())?;
        assert_eq!(changed.provenance(), Provenance::Unsigned);
        Ok(())
    }

    /// Answers every yes/no question "yes" and every choice question its first choice, so that
    /// indicators fire and the assessment names its outcome, actions and referrals.
    fn answer_much(session: &mut Session) {
        let questions = session.checklist().questions().to_vec();
        for q in questions {
            if session
                .answer_json(&q.id, &serde_json::json!("yes"))
                .is_err()
            {
                if let Some(choice) = q.choices.first() {
                    let _ = session.answer_json(&q.id, &serde_json::json!(choice.id));
                    let _ = session.answer_json(&q.id, &serde_json::json!([choice.id]));
                }
            }
        }
    }

    fn shown(session: &Session) -> Result<serde_json::Value, String> {
        serde_json::to_value((
            session.checklist().info(session.language()),
            session.visible_questions(),
            session.progress(),
            session.assessment(),
        ))
        .map_err(|e| e.to_string())
    }

    #[test]
    fn a_language_subset_shows_what_the_whole_checklist_shows_and_loads_as_built_in(
    ) -> Result<(), String> {
        let json = source("first-contact").ok_or("built in")?;
        let whole = Arc::new(Checklist::from_json(json).map_err(|e| e.to_string())?);
        assert!(whole.languages().len() > 2);
        for language in whole.languages() {
            let subset_json = language_subset(json, language).map_err(|e| e.to_string())?;
            assert!(
                subset_json.len() < json.len() / 2,
                "{language}: {}",
                subset_json.len()
            );
            let subset = Arc::new(Checklist::from_json(&subset_json).map_err(|e| e.to_string())?);
            assert_eq!(subset.reference(), whole.reference(), "{language}");
            assert_eq!(subset.provenance(), Provenance::BuiltIn, "{language}");
            let chain = whole.language_chain(language);
            assert!(subset
                .title()
                .languages()
                .all(|l| chain.iter().any(|c| c == l)));
            let (mut a, mut b) = (
                Session::new(whole.clone(), language),
                Session::new(subset.clone(), language),
            );
            assert_eq!(shown(&a)?, shown(&b)?, "{language}");
            answer_much(&mut a);
            answer_much(&mut b);
            assert!(!a.assessment().fired.is_empty(), "{language}");
            assert_eq!(shown(&a)?, shown(&b)?, "{language}");
        }
        Ok(())
    }

    #[test]
    fn an_altered_subset_is_not_built_in() -> Result<(), String> {
        let json = source("first-contact").ok_or("built in")?;
        let subset = language_subset(json, "sk").map_err(|e| e.to_string())?;
        let mut doc: serde_json::Value =
            serde_json::from_str(&subset).map_err(|e| e.to_string())?;
        doc["title"]["sk"] = "Iný názov".into();
        let altered = Checklist::from_json(&doc.to_string()).map_err(|e| e.to_string())?;
        assert_eq!(altered.provenance(), Provenance::Unsigned);
        assert_ne!(altered.reference().hash, whole_hash("first-contact"));
        Ok(())
    }

    #[test]
    fn provide_takes_a_built_in_only_as_shipped() -> Result<(), String> {
        use crate::ErrorKind;
        for (id, _, hash) in BUILTINS {
            let json = source(id).ok_or("built in")?;
            assert_eq!(provide(json).map_err(|e| e.to_string())?.hash, hash);
            // Signed by a deployment's publisher: the content is what is pinned.
            let signed =
                format!(r#"{{"format": "indicia-signed-checklist/1", "definition": {json}}}"#);
            assert_eq!(provide(&signed).map_err(|e| e.to_string())?.id, id);
        }
        let json = source("first-contact").ok_or("built in")?;
        let mut doc: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        doc["outcomes"][0]["level"] = 2.into();
        let kind = |json: &str| provide(json).err().map(|e| e.kind());
        assert_eq!(kind(&doc.to_string()), Some(ErrorKind::UntrustedChecklist));
        let signed = format!(r#"{{"format": "indicia-signed-checklist/1", "definition": {doc}}}"#);
        assert_eq!(kind(&signed), Some(ErrorKind::UntrustedChecklist));
        // A language subset is not the definition the store seals against.
        let subset = language_subset(json, "en").map_err(|e| e.to_string())?;
        assert_eq!(kind(&subset), Some(ErrorKind::UntrustedChecklist));
        doc["id"] = "my-checklist".into();
        assert_eq!(kind(&doc.to_string()), Some(ErrorKind::UnknownChecklist));
        assert_eq!(kind("{\"id\": "), Some(ErrorKind::InvalidChecklist));
        Ok(())
    }

    fn whole_hash(id: &str) -> &'static str {
        BUILTINS
            .iter()
            .find(|(i, _, _)| *i == id)
            .map_or("", |(_, _, hash)| *hash)
    }
}
