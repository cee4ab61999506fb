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
use super::model::Checklist;

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
    Ok(Checklist::from_json(json)?)
}
