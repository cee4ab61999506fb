//! The checklist document as written by authors (docs/formats/checklist.md), before validation.
//! Unknown keys are rejected so that a typo never silently drops skip logic.
//!
//! # Example
//!
//! The public types here are the enums a loaded checklist exposes, with their JSON spelling:
//!
//! ```rust
//! use indicia_core::checklist::{builtin, Mode, QuestionKind, Strength};
//!
//! let checklist = builtin::load("first-contact")?;
//! let age = checklist.question_index("age_group").ok_or("no such question")?;
//! assert_eq!(checklist.questions()[age].kind, QuestionKind::SingleChoice);
//! assert_eq!(QuestionKind::SingleChoice.as_str(), "single_choice");
//!
//! assert_eq!(serde_json::from_str::<Strength>("\"strong\"")?, Strength::Strong);
//! assert_eq!(serde_json::to_string(&Mode::Observed)?, "\"observed\"");
//! // Strengths order strongest first.
//! assert!(Strength::Strong < Strength::Weak);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Per-language text as written: language code → string.
pub type RawText = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChecklist {
    /// Checked on the parsed JSON before the shape (load/mod.rs); then only v1 or v2.
    pub format: String,
    pub id: String,
    pub version: String,
    pub default_language: String,
    pub languages: Vec<String>,
    #[serde(default)]
    pub fallbacks: BTreeMap<String, Vec<String>>,
    pub title: RawText,
    #[serde(default)]
    pub description: Option<RawText>,
    pub population: Population,
    pub source: Source,
    pub review: Review,
    pub dimensions: Vec<RawDimension>,
    pub indicators: Vec<RawIndicator>,
    pub sections: Vec<RawSection>,
    /// Read by kind in the validator: serde's tagged enums lose the error path inside them.
    pub rule: serde_json::Value,
    pub outcomes: Vec<RawOutcome>,
}

/// Who a checklist is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Population {
    /// Adults (18 and over).
    Adult,
    /// Children (under 18).
    Child,
    /// Either; the rule's variants decide.
    Any,
}

/// Where the content comes from and on what terms it may be reused.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Title of the source document.
    pub title: String,
    /// Publisher, if named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Year of publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Document reference (e.g. `WCMS_105023`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Where the source can be found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Reuse terms, as far as known.
    pub licence_note: String,
}

/// How far the content was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum ReviewStatus {
    /// Not checked against the primary source.
    Unreviewed,
    /// Being checked.
    Draft,
    /// Checked by a domain expert.
    Reviewed,
}

/// Review state of a checklist.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Review status of the content.
    pub status: ReviewStatus,
    /// Free-text note for authors and users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Languages whose translations no native speaker has checked.
    #[serde(default)]
    pub unchecked_translations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDimension {
    pub id: String,
    pub label: RawText,
    #[serde(default)]
    pub help: Option<RawText>,
}

/// How much weight an indicator carries (ILO/EC Delphi strengths; `None` for unweighted sets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Strength {
    /// Strong indicator.
    Strong,
    /// Medium indicator.
    Medium,
    /// Weak indicator.
    Weak,
    /// Unweighted set.
    None,
}

impl Strength {
    /// All strengths, strongest first.
    pub const ALL: [Strength; 4] = [
        Strength::Strong,
        Strength::Medium,
        Strength::Weak,
        Strength::None,
    ];

    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Medium => "medium",
            Strength::Weak => "weak",
            Strength::None => "none",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Strength::Strong => 0,
            Strength::Medium => 1,
            Strength::Weak => 2,
            Strength::None => 3,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawIndicator {
    pub id: String,
    pub dimension: String,
    pub strength: Strength,
    pub label: RawText,
    #[serde(default)]
    pub help: Option<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: String,
    pub label: RawText,
    #[serde(default)]
    pub relevant: Option<String>,
    pub questions: Vec<RawQuestion>,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum QuestionKind {
    /// yes / no / unknown / declined.
    YesNo,
    /// One of the choices.
    SingleChoice,
    /// Any subset of the choices.
    MultiChoice,
    /// A number within optional bounds.
    Number,
    /// A calendar date.
    Date,
    /// Free text.
    Text,
    /// A reference to an attachment (photo, document) held by the store.
    Attachment,
}

impl QuestionKind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::YesNo => "yes_no",
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultiChoice => "multi_choice",
            QuestionKind::Number => "number",
            QuestionKind::Date => "date",
            QuestionKind::Text => "text",
            QuestionKind::Attachment => "attachment",
        }
    }
}

/// Whether the worker asks the person, or notes a sign without asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Mode {
    /// A question to put to the person.
    Asked,
    /// A sign to observe; never to be asked directly.
    Observed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQuestion {
    pub id: String,
    pub kind: QuestionKind,
    pub mode: Mode,
    pub label: RawText,
    #[serde(default)]
    pub hint: Option<RawText>,
    #[serde(default)]
    pub help: Option<RawText>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub relevant: Option<String>,
    #[serde(default)]
    pub choices: Option<Vec<RawChoice>>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub indicators: Vec<RawMapping>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChoice {
    pub id: String,
    pub label: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMapping {
    pub indicator: String,
    #[serde(default)]
    pub when: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDelphi {
    #[allow(dead_code)] // the tag, already matched
    pub kind: String,
    pub reviewed: bool,
    pub dimension_met: Vec<Vec<RawTerm>>,
    pub variants: Vec<RawVariant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTerm {
    pub at_least: u32,
    pub of: Vec<Strength>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVariant {
    pub id: String,
    pub label: RawText,
    #[serde(default)]
    pub when: Option<String>,
    /// Parsed by hand: a recursive combination needs its own depth limit and precise errors.
    pub requires: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawScore {
    #[allow(dead_code)] // the tag, already matched
    pub kind: String,
    pub reviewed: bool,
    pub weights: RawWeights,
    pub threshold: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawWeights {
    pub strong: u32,
    pub medium: u32,
    pub weak: u32,
    pub none: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutcome {
    pub id: String,
    pub level: u8,
    #[serde(default)]
    pub when: Option<RawOutcomeWhen>,
    pub label: RawText,
    #[serde(default)]
    pub actions: Vec<RawText>,
    #[serde(default)]
    pub referrals: BTreeMap<String, Vec<RawReferral>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOutcomeWhen {
    #[serde(default)]
    pub rule_met: Option<bool>,
    #[serde(default)]
    pub min_score: Option<u32>,
    #[serde(default)]
    pub min_indicators: Option<u32>,
    #[serde(default)]
    pub min_dimensions_met: Option<u32>,
    #[serde(default)]
    pub decisive_indicators: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReferral {
    pub name: RawText,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub note: Option<RawText>,
}
