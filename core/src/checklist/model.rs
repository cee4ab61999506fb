//! A validated checklist: every reference resolved to an index, every expression compiled.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::builtin;
//!
//! let checklist = builtin::load("first-contact")?;
//! let chain = checklist.language_chain("en");
//! let i = checklist.question_index("debt").ok_or("no such question")?;
//! let debt = &checklist.questions()[i];
//! assert!(!debt.label.get(&chain).is_empty());
//! assert!(checklist.sections()[debt.section].questions.contains(&i));
//!
//! // References were resolved to indices at load: they always point at something.
//! assert!(!debt.mappings.is_empty());
//! for mapping in &debt.mappings {
//!     let indicator = &checklist.indicators()[mapping.indicator];
//!     assert!(indicator.dimension < checklist.dimensions().len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::definition::{Mode, Population, QuestionKind, Review, Source, Strength};
use super::expr::Expr;
use super::signed::ChecklistPublisher;

/// Per-language text with the checklist's fallback chain applied on lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub(crate) BTreeMap<String, String>);

impl Text {
    /// The text in the first language of `chain` that has it. Validation guarantees the default
    /// language (the chain's last entry) is present.
    pub fn get<'a>(&'a self, chain: &[String]) -> &'a str {
        chain
            .iter()
            .find_map(|lang| self.0.get(lang))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The languages this text is written in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// A dimension (group of indicators).
#[derive(Debug, Clone)]
pub struct Dimension {
    /// Author's id, e.g. `D5`.
    pub id: String,
    /// Label.
    pub label: Text,
    /// Help text.
    pub help: Option<Text>,
}

/// An indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Author's id, e.g. `D5.confiscation_documents`.
    pub id: String,
    /// Index into [`Checklist::dimensions`].
    pub dimension: usize,
    /// Strength.
    pub strength: Strength,
    /// Label.
    pub label: Text,
    /// Help text.
    pub help: Option<Text>,
}

/// A section of questions.
#[derive(Debug, Clone)]
pub struct Section {
    /// Author's id.
    pub id: String,
    /// Label.
    pub label: Text,
    /// Skip logic of the whole section.
    pub relevant: Option<Expr>,
    /// Range of indices into [`Checklist::questions`].
    pub questions: std::ops::Range<usize>,
}

/// A choice of a choice question.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Choice id (the stored answer).
    pub id: String,
    /// Label.
    pub label: Text,
}

/// When an answer fires an indicator.
#[derive(Debug, Clone)]
pub enum Trigger {
    /// The (yes/no) question was answered `yes`.
    Yes,
    /// The expression holds.
    When(Expr),
}

/// An answer → indicator mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Index into [`Checklist::indicators`].
    pub indicator: usize,
    /// When it fires.
    pub trigger: Trigger,
}

/// A question or observed sign.
#[derive(Debug, Clone)]
pub struct Question {
    /// Author's id.
    pub id: String,
    /// Index into [`Checklist::sections`].
    pub section: usize,
    /// Answer kind.
    pub kind: QuestionKind,
    /// Asked or observed.
    pub mode: Mode,
    /// Label.
    pub label: Text,
    /// Short hint.
    pub hint: Option<Text>,
    /// Longer help.
    pub help: Option<Text>,
    /// Must be answered when visible.
    pub required: bool,
    /// Own skip logic.
    pub relevant: Option<Expr>,
    /// Choices (choice kinds only).
    pub choices: Vec<Choice>,
    /// Lower bound (number only).
    pub min: Option<f64>,
    /// Upper bound (number only).
    pub max: Option<f64>,
    /// Indicators this question can fire.
    pub mappings: Vec<Mapping>,
}

/// Minimum count of fired indicators of some strengths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// How many.
    pub at_least: u32,
    /// Of which strengths.
    pub of: Vec<Strength>,
}

/// A boolean combination of dimension results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Combination {
    /// This dimension is met.
    Dimension(usize),
    /// All of these.
    All(Vec<Combination>),
    /// Any of these.
    Any(Vec<Combination>),
}

/// A variant of the Delphi rule (e.g. adult, child).
#[derive(Debug, Clone)]
pub struct Variant {
    /// Author's id.
    pub id: String,
    /// Label.
    pub label: Text,
    /// When this variant applies; `None` only for the last.
    pub when: Option<Expr>,
    /// What must hold for the rule to be met.
    pub requires: Combination,
}

/// The assessment rule.
#[derive(Debug, Clone)]
pub enum Rule {
    /// ILO/EC Delphi: per-dimension thresholds, then a combination of dimensions.
    Delphi {
        /// Checked against the primary source.
        reviewed: bool,
        /// A dimension is met when every term of any one alternative holds.
        dimension_met: Vec<Vec<Term>>,
        /// First applicable variant decides.
        variants: Vec<Variant>,
    },
    /// Weighted count of fired indicators against a threshold.
    Score {
        /// Checked against the primary source.
        reviewed: bool,
        /// Weight per strength, indexed by `Strength::index`.
        weights: [u32; 4],
        /// Met when the score reaches this.
        threshold: u32,
    },
}

/// When an outcome applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutcomeWhen {
    /// The rule's result equals this.
    RuleMet(bool),
    /// Score at least.
    MinScore(u32),
    /// Fired indicators at least.
    MinIndicators(u32),
    /// Met dimensions at least.
    MinDimensionsMet(u32),
    /// Any of these indicators (indices into [`Checklist::indicators`]) fired: each is decisive
    /// on its own, whatever the rule says (format v2).
    Decisive(Vec<usize>),
}

/// A referral contact.
#[derive(Debug, Clone)]
pub struct Referral {
    /// Name of the service.
    pub name: Text,
    /// Phone number.
    pub phone: Option<String>,
    /// Web address.
    pub url: Option<String>,
    /// Note.
    pub note: Option<Text>,
}

/// An outcome level with what to do.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Author's id.
    pub id: String,
    /// 0 (nothing to act on) to 3 (urgent).
    pub level: u8,
    /// Condition; `None` only for the last.
    pub when: Option<OutcomeWhen>,
    /// Label.
    pub label: Text,
    /// Recommended actions.
    pub actions: Vec<Text>,
    /// Referral contacts per country code (`*` = any).
    pub referrals: BTreeMap<String, Vec<Referral>>,
}

/// The identity of a checklist, as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ChecklistRef {
    /// Checklist id.
    pub id: String,
    /// Author's version.
    pub version: String,
    /// `sha256:` + hex of the canonical JSON.
    pub hash: String,
    /// Who signed this version (docs/formats/signed-checklist.md), for a definition loaded from
    /// a signed envelope; absent (not `null`) otherwise, so an unsigned reference keeps the
    /// form and the hash it always had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub publisher: Option<ChecklistPublisher>,
}

/// Where a loaded definition comes from, as a deployment judges it
/// (docs/formats/signed-checklist.md, "Trust").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Provenance {
    /// A checklist shipped with Indicia (its id and content hash are a built-in's): part of the
    /// installed, signed code, trusted as the code is.
    BuiltIn,
    /// Signed by a publisher on the deployment's trust list.
    TrustedPublisher,
    /// Signed (the signature verifies) by a publisher the deployment does not list; loaded only
    /// where signatures are not required.
    UntrustedPublisher,
    /// No signature; loaded only where signatures are not required.
    Unsigned,
}

/// A loaded, validated checklist.
#[derive(Debug, Clone)]
pub struct Checklist {
    pub(crate) reference: ChecklistRef,
    pub(crate) provenance: Provenance,
    pub(crate) default_language: String,
    pub(crate) languages: Vec<String>,
    pub(crate) fallbacks: BTreeMap<String, Vec<String>>,
    pub(crate) title: Text,
    pub(crate) description: Option<Text>,
    pub(crate) population: Population,
    pub(crate) source: Source,
    pub(crate) review: Review,
    pub(crate) dimensions: Vec<Dimension>,
    pub(crate) indicators: Vec<Indicator>,
    pub(crate) sections: Vec<Section>,
    pub(crate) questions: Vec<Question>,
    pub(crate) rule: Rule,
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) question_index: HashMap<String, usize>,
    /// The publisher's key id ([`ChecklistPublisher::key_id`]), worked out once where the
    /// signature is checked: the page's wasm module, which runs compiled checklists, then needs no
    /// SHA-256 to describe one (docs/benchmarks.md, "wasm package size: two modules").
    pub(crate) publisher_key_id: Option<String>,
}

impl Checklist {
    /// Id, version and content hash.
    pub fn reference(&self) -> &ChecklistRef {
        &self.reference
    }

    /// Where the definition comes from (built in, a trusted or untrusted publisher, unsigned).
    pub fn provenance(&self) -> Provenance {
        self.provenance
    }

    /// The publisher that signed this version, if it was loaded from a signed envelope.
    pub fn publisher(&self) -> Option<&ChecklistPublisher> {
        self.reference.publisher.as_ref()
    }

    /// Languages offered.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The default language.
    pub fn default_language(&self) -> &str {
        &self.default_language
    }

    /// Title.
    pub fn title(&self) -> &Text {
        &self.title
    }

    /// Description.
    pub fn description(&self) -> Option<&Text> {
        self.description.as_ref()
    }

    /// Population.
    pub fn population(&self) -> Population {
        self.population
    }

    /// Source and licence note.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Review status.
    pub fn review(&self) -> &Review {
        &self.review
    }

    /// Dimensions in order.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// Indicators in order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// Sections in order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// All questions in document order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The assessment rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Outcomes, most serious first.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// Index of a question by id.
    pub fn question_index(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    /// The lookup order for texts in `language`: the language, then without its region, then
    /// the declared fallbacks, then the default. Unknown languages go straight to the default.
    pub fn language_chain(&self, language: &str) -> Vec<String> {
        let requested = language.trim().to_ascii_lowercase().replace('_', "-");
        let mut chain: Vec<String> = Vec::new();
        let push = |lang: &str, chain: &mut Vec<String>| {
            if self.languages.iter().any(|l| l == lang) && !chain.iter().any(|l| l == lang) {
                chain.push(lang.to_owned());
            }
        };
        push(&requested, &mut chain);
        let base = requested.split('-').next().unwrap_or_default().to_owned();
        push(&base, &mut chain);
        for key in [&requested, &base] {
            for fallback in self.fallbacks.get(key.as_str()).into_iter().flatten() {
                push(fallback, &mut chain);
            }
        }
        push(&self.default_language, &mut chain);
        chain
    }
}
