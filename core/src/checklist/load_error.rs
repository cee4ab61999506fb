//! Errors an author can make in a checklist definition. Each names the JSON path, what was
//! expected and what was found. Definitions are author data, not personal data, so echoing
//! (truncated) values is safe and helps.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{builtin, Checklist, LoadErrorKind};
//! use indicia_core::ErrorKind;
//!
//! // A built-in checklist with one author mistake: skip logic that names no question.
//! let json = builtin::source("first-contact").ok_or("not built in")?;
//! let mut doc: serde_json::Value = serde_json::from_str(json)?;
//! doc["sections"][0]["questions"][0]["relevant"] = "${nowhere} = 'yes'".into();
//!
//! let errors = Checklist::from_json(&doc.to_string()).unwrap_err();
//! assert_eq!(errors.kind(), ErrorKind::InvalidChecklist);
//! let first = errors.first().ok_or("no error")?;
//! assert_eq!(first.path, "$.sections[0].questions[0].relevant");
//! assert!(matches!(first.kind, LoadErrorKind::Expression(_)));
//! assert!(first.to_string().contains("nowhere"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use super::expr::ExprError;

/// At most this many characters of an offending value are echoed.
const ECHO_LIMIT: usize = 40;

/// Shortens an echoed value so hostile input cannot flood a message.
pub(crate) fn echo(value: &str) -> String {
    let mut out: String = value.chars().take(ECHO_LIMIT).collect();
    if value.chars().count() > ECHO_LIMIT {
        out.push('…');
    }
    out
}

/// One mistake in a checklist definition.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct LoadError {
    /// JSON path of the offending value, e.g. `$.sections[1].questions[0].relevant`.
    pub path: String,
    /// What is wrong.
    pub kind: LoadErrorKind,
}

/// What is wrong, with expected and found where they apply.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The document is bigger than the loader accepts.
    #[error("document too large: expected at most {max} bytes, found {found}")]
    TooLarge {
        /// Limit.
        max: usize,
        /// Size.
        found: usize,
    },
    /// Not JSON, or JSON of the wrong shape (message from the JSON parser, with its position).
    #[error("{0}")]
    Json(String),
    /// The `format` value is not one this version reads.
    #[error("unsupported format: expected \"indicia-checklist/2\" or \"indicia-checklist/1\", found \"{0}\"")]
    UnsupportedFormat(String),
    /// A signed definition (`indicia-signed-checklist/1`) where a plain one is read: it is
    /// loaded under a deployment's trust list (`Checklist::load`).
    #[error("a signed checklist (indicia-signed-checklist/1): load it with a trust list (docs/formats/signed-checklist.md)")]
    SignedDefinition,
    /// A signed definition's envelope is malformed (publisher, key, time or signature).
    #[error("{0}")]
    Envelope(&'static str),
    /// A key the document's format version does not have.
    #[error("{0} needs \"format\": \"indicia-checklist/2\"")]
    NeedsFormatV2(&'static str),
    /// An identifier does not match its pattern.
    #[error("invalid id: expected {expected}, found \"{found}\"")]
    InvalidId {
        /// Pattern in words.
        expected: &'static str,
        /// The id.
        found: String,
    },
    /// An identifier is used twice.
    #[error("duplicate id \"{id}\": first defined at {first}")]
    DuplicateId {
        /// The id.
        id: String,
        /// Path of the first definition.
        first: String,
    },
    /// A language code is malformed.
    #[error("invalid language code: expected lower-case ISO 639-1 like \"sk\" or \"pt-br\", found \"{0}\"")]
    InvalidLanguage(String),
    /// A language is used but not listed in `languages`.
    #[error("language \"{0}\" is not in `languages`")]
    UndeclaredLanguage(String),
    /// A text lacks the default language.
    #[error("text has no \"{0}\" version (the default language)")]
    MissingDefaultLanguage(String),
    /// A string is empty or too long.
    #[error("text length: expected 1 to {max} characters, found {found}")]
    TextLength {
        /// Limit.
        max: usize,
        /// Length.
        found: usize,
    },
    /// A list is empty or too long.
    #[error("{what}: expected {min} to {max} entries, found {found}")]
    Count {
        /// What is counted.
        what: &'static str,
        /// Minimum.
        min: usize,
        /// Maximum.
        max: usize,
        /// Found.
        found: usize,
    },
    /// A reference to a dimension that does not exist.
    #[error("unknown dimension \"{0}\"")]
    UnknownDimension(String),
    /// A reference to an indicator that does not exist.
    #[error("unknown indicator \"{0}\"")]
    UnknownIndicator(String),
    /// `choices` on a question kind that has none, or missing where needed.
    #[error("`choices` {0}")]
    Choices(&'static str),
    /// `min`/`max` misuse.
    #[error("{0}")]
    Bounds(&'static str),
    /// A mapping on a non-yes/no question without `when`.
    #[error("a mapping on a {0} question needs a `when` expression (only yes_no questions default to 'yes')")]
    WhenRequired(&'static str),
    /// An expression does not compile.
    #[error("expression: {0}")]
    Expression(ExprError),
    /// A Delphi term is malformed.
    #[error("{0}")]
    Term(&'static str),
    /// A combination is malformed.
    #[error(
        "combination: expected a dimension id, {{\"all\": [...]}} or {{\"any\": [...]}}, found {0}"
    )]
    Combination(String),
    /// A combination nests too deeply.
    #[error("combination nested deeper than {0} levels")]
    CombinationTooDeep(usize),
    /// A `when` is where it must not be, or missing where it must be.
    #[error("{0}")]
    Order(&'static str),
    /// An outcome condition is malformed.
    #[error("outcome `when`: expected exactly one of rule_met, min_score, min_indicators, min_dimensions_met, decisive_indicators, found {0}")]
    OutcomeCondition(usize),
    /// Outcome levels go up down the list.
    #[error("level {found} is above the previous outcome's level {previous}: outcomes go from most to least serious")]
    LevelOrder {
        /// Previous level.
        previous: u8,
        /// This level.
        found: u8,
    },
    /// Level out of range.
    #[error("level: expected 0 to 3, found {0}")]
    Level(u8),
    /// A number is out of range.
    #[error("{what}: expected {expected}, found {found}")]
    Range {
        /// What.
        what: &'static str,
        /// Expected range in words.
        expected: &'static str,
        /// Found.
        found: String,
    },
    /// A country code is malformed.
    #[error(
        "referral country: expected an ISO 3166-1 alpha-2 code like \"SK\" or \"*\", found \"{0}\""
    )]
    InvalidCountry(String),
}

/// All mistakes found in one definition (at least one).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl LoadErrors {
    /// The host-visible classification.
    pub fn kind(&self) -> crate::ErrorKind {
        crate::ErrorKind::InvalidChecklist
    }

    /// The first mistake.
    pub fn first(&self) -> Option<&LoadError> {
        self.0.first()
    }
}

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}
