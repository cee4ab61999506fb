//! The checklists shipped with Indicia, compiled into the library so the field app and the web
//! widget work with no files and no network.
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::load_error::{echo, LoadErrors};
use super::model::{Checklist, ChecklistRef, Provenance};

/// `(id, JSON)` of every built-in checklist, in the order a picker shows them.
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

/// `(id, content hash)` of every built-in checklist: a definition loaded from JSON with one of
/// these is the built-in itself (the page's checklist module carries no definition, only this
/// table). A test holds it to the shipped files.
const BUILTIN_HASHES: [(&str, &str); 4] = [
    (
        "first-contact",
        "sha256:81eb36d25bc495913b47faf8b38d295b92005b775193ef032ec2b9cc5827a50f",
    ),
    (
        "ilo-ec-delphi-adult-labour",
        "sha256:b87717d25685c98d38383d1ff16764a5144e5d3f59c9f0452008f07bbc2a1567",
    ),
    (
        "ilo-ec-delphi-child-labour",
        "sha256:6b070d6a0d3bc0e38384920a7ceaa8394ae5e2b9d8d1c3a33d24c965d3db9597",
    ),
    (
        "ilo-forced-labour-11",
        "sha256:5550cc6c6545b6510d80628dabbd3a099a9c2906970fe6d0fc10dfad5f39b86b",
    ),
];

/// Whether `reference` names a built-in checklist exactly (id and content hash; unsigned).
pub fn is_builtin(reference: &ChecklistRef) -> bool {
    reference.publisher.is_none()
        && BUILTIN_HASHES
            .iter()
            .any(|(id, hash)| *id == reference.id && *hash == reference.hash)
}

/// Ids of the built-in checklists.
pub fn ids() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(id, _)| *id)
}

/// The JSON source of a built-in checklist.
pub fn source(id: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, json)| *json)
}

/// Why a built-in checklist could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuiltinError {
    /// No built-in checklist has this id.
    #[error("no built-in checklist \"{0}\"")]
    Unknown(String),
    /// The shipped data does not load (built-ins are tested to load: this is a broken build).
    #[error(transparent)]
    Invalid(#[from] LoadErrors),
}

impl BuiltinError {
    /// The host-visible classification.
    pub fn kind(&self) -> crate::ErrorKind {
        match self {
            BuiltinError::Unknown(_) => crate::ErrorKind::UnknownChecklist,
            BuiltinError::Invalid(e) => e.kind(),
        }
    }
}

/// Loads a built-in checklist by id.
pub fn load(id: &str) -> Result<Checklist, BuiltinError> {
    let json = source(id).ok_or_else(|| BuiltinError::Unknown(echo(id)))?;
    let mut checklist = Checklist::from_json(json)?;
    checklist.provenance = Provenance::BuiltIn;
    Ok(checklist)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_table_names_every_built_in_checklist_as_shipped() -> Result<(), BuiltinError> {
        assert_eq!(BUILTIN.len(), BUILTIN_HASHES.len());
        for ((id, json), (hash_id, hash)) in BUILTIN.iter().zip(BUILTIN_HASHES) {
            assert_eq!(*id, hash_id);
            let loaded = Checklist::from_json(json)?;
            assert_eq!(
                loaded.reference().hash,
                hash,
                "update BUILTIN_HASHES for {id}"
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
}
