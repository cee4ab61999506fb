//! What a checklist is, in one language: what pickers, the checklist page and bindings show.

use serde::Serialize;

use super::definition::ReviewStatus;
use super::model::{Checklist, Provenance};

/// A checklist described in one language (docs/formats/checklist.md, "Metadata").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ChecklistInfo {
    /// Checklist id.
    pub id: String,
    /// Author's version.
    pub version: String,
    /// `sha256:` + hex of the canonical JSON: a report names the exact checklist it used.
    pub hash: String,
    /// Title in the requested language (or the nearest along the checklist's language chain).
    pub title: String,
    /// Languages the checklist has texts in (BCP 47 tags).
    pub languages: Vec<String>,
    /// How far the content was checked against its sources.
    pub review_status: ReviewStatus,
    /// Languages no native speaker has checked.
    pub unchecked_translations: Vec<String>,
    /// On what terms the content may be reused.
    pub licence_note: String,
    /// Where the definition comes from: built in, a trusted or untrusted publisher, unsigned
    /// (docs/formats/signed-checklist.md).
    pub provenance: Provenance,
    /// The name the publisher signed under, for a signed definition.
    pub publisher: Option<String>,
    /// The publisher's key id (32 hex digits), for a signed definition.
    pub publisher_key_id: Option<String>,
}

impl Checklist {
    /// This checklist described in `language` (a BCP 47 tag; falls back along the checklist's
    /// language chain, so an unknown language gives the default one).
    pub fn info(&self, language: &str) -> ChecklistInfo {
        let chain = self.language_chain(language);
        ChecklistInfo {
            id: self.reference().id.clone(),
            version: self.reference().version.clone(),
            hash: self.reference().hash.clone(),
            title: self.title().get(&chain).to_owned(),
            languages: self.languages().to_vec(),
            review_status: self.review().status,
            unchecked_translations: self.review().unchecked_translations.clone(),
            licence_note: self.source().licence_note.clone(),
            provenance: self.provenance(),
            publisher: self.publisher().map(|p| p.name.clone()),
            publisher_key_id: self.publisher_key_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checklist::builtin;

    #[test]
    fn info_is_in_the_requested_language_and_falls_back_to_the_default() -> Result<(), String> {
        let c = builtin::load("first-contact").map_err(|e| e.to_string())?;
        let default = c.info("zz");
        assert_eq!(default.id, "first-contact");
        assert_eq!(default.hash, c.reference().hash);
        assert!(default.languages.len() > 1, "{:?}", default.languages);
        let other = default
            .languages
            .iter()
            .find(|l| c.info(l).title != default.title)
            .ok_or("no language has its own title")?;
        assert_ne!(c.info(other).title, default.title);
        Ok(())
    }
}
