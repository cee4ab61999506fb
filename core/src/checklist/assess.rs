//! Assessment: a pure, deterministic function of (checklist, answers, language). Hidden
//! questions are treated as unanswered everywhere: in skip logic, in mappings and in the rule.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{assess, builtin, Answer, YesNo};
//!
//! let checklist = builtin::load("first-contact")?;
//! let debt = checklist.question_index("debt").ok_or("no such question")?;
//! let mut answers = vec![None; checklist.questions().len()];
//! answers[debt] = Some(Answer::YesNo(YesNo::Yes));
//!
//! let chain = checklist.language_chain("en");
//! let assessment = assess(&checklist, &answers, &chain, None);
//! assert_eq!(assessment.fired.len(), 1);
//! assert_eq!(assessment.fired[0].questions, ["debt"]);
//! assert!(!assessment.explanation.is_empty());
//! // Pure and deterministic: the same answers always give the same assessment.
//! assert_eq!(assessment, assess(&checklist, &answers, &chain, None));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;

use super::answer::{Answer, YesNo};
use super::definition::Strength;
use super::model::{Checklist, ChecklistRef, Combination, OutcomeWhen, Rule, Trigger};
use super::phrases::{phrases, Phrases};

/// Which sections and questions are shown for the given answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visibility {
    /// Per section.
    pub sections: Vec<bool>,
    /// Per question, in document order.
    pub questions: Vec<bool>,
}

impl Visibility {
    /// Computes visibility in document order. Expressions read only earlier questions (checked
    /// at load), so one pass suffices and a hidden question's answer is never seen.
    pub fn compute(checklist: &Checklist, answers: &[Option<Answer>]) -> Visibility {
        let mut sections = vec![false; checklist.sections.len()];
        let mut questions = vec![false; checklist.questions.len()];
        for (s, section) in checklist.sections.iter().enumerate() {
            let shown = section
                .relevant
                .as_ref()
                .is_none_or(|e| e.eval(&|i| visible_answer(&questions, answers, i)));
            sections[s] = shown;
            for q in section.questions.clone() {
                let relevant = checklist
                    .questions
                    .get(q)
                    .and_then(|question| question.relevant.as_ref());
                let visible = shown
                    && relevant.is_none_or(|e| e.eval(&|i| visible_answer(&questions, answers, i)));
                if let Some(slot) = questions.get_mut(q) {
                    *slot = visible;
                }
            }
        }
        Visibility {
            sections,
            questions,
        }
    }

    /// The answer of question `i` if it is visible.
    pub fn answer<'a>(&self, answers: &'a [Option<Answer>], i: usize) -> Option<&'a Answer> {
        visible_answer(&self.questions, answers, i)
    }
}

fn visible_answer<'a>(
    visible: &[bool],
    answers: &'a [Option<Answer>],
    i: usize,
) -> Option<&'a Answer> {
    if visible.get(i).copied().unwrap_or(false) {
        answers.get(i).and_then(Option::as_ref)
    } else {
        None
    }
}

/// An indicator that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct FiredIndicator {
    /// Indicator id.
    pub id: String,
    /// Its dimension's id.
    pub dimension: String,
    /// Its strength.
    pub strength: Strength,
    /// Label in the session language.
    pub label: String,
    /// Ids of the questions whose answers fired it.
    pub questions: Vec<String>,
}

/// Fired-indicator counts by strength.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct StrengthCounts {
    /// Strong.
    pub strong: u32,
    /// Medium.
    pub medium: u32,
    /// Weak.
    pub weak: u32,
    /// Unweighted.
    pub none: u32,
}

impl StrengthCounts {
    fn add(&mut self, s: Strength) {
        match s {
            Strength::Strong => self.strong += 1,
            Strength::Medium => self.medium += 1,
            Strength::Weak => self.weak += 1,
            Strength::None => self.none += 1,
        }
    }

    fn of(&self, s: Strength) -> u32 {
        match s {
            Strength::Strong => self.strong,
            Strength::Medium => self.medium,
            Strength::Weak => self.weak,
            Strength::None => self.none,
        }
    }
}

/// One dimension's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct DimensionResult {
    /// Dimension id.
    pub id: String,
    /// Label in the session language.
    pub label: String,
    /// Delphi: whether the dimension's threshold is met. `None` for score rules.
    pub met: Option<bool>,
    /// Fired indicators by strength.
    pub counts: StrengthCounts,
    /// Ids of the fired indicators in this dimension.
    pub indicators: Vec<String>,
}

/// Which assessment rule a checklist uses (docs/formats/checklist.md, "Rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The ILO/EC Delphi rule: dimensions met by counts of strong, medium and weak indicators.
    Delphi,
    /// A weighted sum of fired indicators against a threshold.
    Score,
}

/// The rule's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RuleResult {
    /// `delphi` or `score`.
    pub kind: RuleKind,
    /// Whether the rule's data has been checked against its source.
    pub reviewed: bool,
    /// Delphi: the variant that applied.
    pub variant: Option<String>,
    /// Delphi: the variant's label.
    pub variant_label: Option<String>,
    /// Whether the rule is met.
    pub met: bool,
    /// Score rule: the weighted sum; Delphi: the number of fired indicators.
    pub score: u32,
    /// Score rule: the threshold.
    pub threshold: Option<u32>,
}

/// A referral contact, resolved to the session language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ReferralView {
    /// Country code or `*`.
    pub country: String,
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Web address.
    pub url: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// The outcome that applies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct OutcomeResult {
    /// Outcome id.
    pub id: String,
    /// 0–3.
    pub level: u8,
    /// Label.
    pub label: String,
    /// Recommended actions.
    pub actions: Vec<String>,
    /// Referral contacts for the country (and `*`), or all when no country is set.
    pub referrals: Vec<ReferralView>,
}

/// The full assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Assessment {
    /// The checklist assessed.
    pub checklist: ChecklistRef,
    /// The language the texts are in (first of the chain).
    pub language: String,
    /// Fired indicators in checklist order.
    pub fired: Vec<FiredIndicator>,
    /// Per dimension, in checklist order.
    pub dimensions: Vec<DimensionResult>,
    /// The rule.
    pub rule: RuleResult,
    /// The outcome.
    pub outcome: OutcomeResult,
    /// Lines a worker can read, in the session language.
    pub explanation: Vec<String>,
}

/// Assesses `answers` (indexed like `checklist.questions()`) in the language chain `chain`.
/// `country` filters referrals (ISO 3166-1 alpha-2); `None` lists all.
pub fn assess(
    checklist: &Checklist,
    answers: &[Option<Answer>],
    chain: &[String],
    country: Option<&str>,
) -> Assessment {
    let visibility = Visibility::compute(checklist, answers);
    assess_with(checklist, answers, &visibility, chain, country)
}

pub(crate) fn assess_with(
    checklist: &Checklist,
    answers: &[Option<Answer>],
    visibility: &Visibility,
    chain: &[String],
    country: Option<&str>,
) -> Assessment {
    let words = phrases(chain);
    let value = |i: usize| visibility.answer(answers, i);

    // Which indicators fired, and through which questions.
    let mut fired_by: Vec<Vec<usize>> = vec![Vec::new(); checklist.indicators.len()];
    for (q, question) in checklist.questions.iter().enumerate() {
        if value(q).is_none() {
            continue;
        }
        for mapping in &question.mappings {
            let fires = match &mapping.trigger {
                Trigger::Yes => matches!(value(q), Some(Answer::YesNo(YesNo::Yes))),
                Trigger::When(e) => e.eval(&value),
            };
            if fires {
                if let Some(list) = fired_by.get_mut(mapping.indicator) {
                    list.push(q);
                }
            }
        }
    }

    let mut counts = vec![StrengthCounts::default(); checklist.dimensions.len()];
    let mut per_dimension: Vec<Vec<usize>> = vec![Vec::new(); checklist.dimensions.len()];
    let mut fired = Vec::new();
    for (i, questions) in fired_by.iter().enumerate() {
        let Some(indicator) = checklist.indicators.get(i) else {
            continue;
        };
        if questions.is_empty() {
            continue;
        }
        if let (Some(c), Some(list)) = (
            counts.get_mut(indicator.dimension),
            per_dimension.get_mut(indicator.dimension),
        ) {
            c.add(indicator.strength);
            list.push(i);
        }
        fired.push(FiredIndicator {
            id: indicator.id.clone(),
            dimension: checklist
                .dimensions
                .get(indicator.dimension)
                .map(|d| d.id.clone())
                .unwrap_or_default(),
            strength: indicator.strength,
            label: indicator.label.get(chain).to_owned(),
            questions: questions
                .iter()
                .filter_map(|&q| checklist.questions.get(q))
                .map(|q| q.id.clone())
                .collect(),
        });
    }
    let total_fired = u32::try_from(fired.len()).unwrap_or(u32::MAX);

    let (met_dims, rule) = match &checklist.rule {
        Rule::Delphi {
            reviewed,
            dimension_met,
            variants,
        } => {
            let met: Vec<bool> = counts
                .iter()
                .map(|c| {
                    dimension_met.iter().any(|alternative| {
                        alternative
                            .iter()
                            .all(|t| t.of.iter().map(|s| c.of(*s)).sum::<u32>() >= t.at_least)
                    })
                })
                .collect();
            let variant = variants
                .iter()
                .find(|v| v.when.as_ref().is_none_or(|e| e.eval(&value)));
            let rule_met = variant.is_some_and(|v| combination_holds(&v.requires, &met));
            let result = RuleResult {
                kind: RuleKind::Delphi,
                reviewed: *reviewed,
                variant: variant.map(|v| v.id.clone()),
                variant_label: variant.map(|v| v.label.get(chain).to_owned()),
                met: rule_met,
                score: total_fired,
                threshold: None,
            };
            (Some(met), result)
        }
        Rule::Score {
            reviewed,
            weights,
            threshold,
        } => {
            let score = fired_by
                .iter()
                .enumerate()
                .filter(|(_, qs)| !qs.is_empty())
                .filter_map(|(i, _)| checklist.indicators.get(i))
                .map(|ind| weights.get(ind.strength.index()).copied().unwrap_or(0))
                .fold(0u32, u32::saturating_add);
            let result = RuleResult {
                kind: RuleKind::Score,
                reviewed: *reviewed,
                variant: None,
                variant_label: None,
                met: score >= *threshold,
                score,
                threshold: Some(*threshold),
            };
            (None, result)
        }
    };

    let dimensions: Vec<DimensionResult> = checklist
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, dim)| DimensionResult {
            id: dim.id.clone(),
            label: dim.label.get(chain).to_owned(),
            met: met_dims.as_ref().and_then(|m| m.get(d).copied()),
            counts: counts.get(d).copied().unwrap_or_default(),
            indicators: per_dimension
                .get(d)
                .into_iter()
                .flatten()
                .filter_map(|&i| checklist.indicators.get(i))
                .map(|ind| ind.id.clone())
                .collect(),
        })
        .collect();
    let dimensions_met = u32::try_from(dimensions.iter().filter(|d| d.met == Some(true)).count())
        .unwrap_or(u32::MAX);

    let has_fired = |i: &usize| fired_by.get(*i).is_some_and(|qs| !qs.is_empty());
    let chosen = checklist.outcomes.iter().find(|o| match &o.when {
        None => true,
        Some(OutcomeWhen::RuleMet(m)) => rule.met == *m,
        Some(OutcomeWhen::MinScore(n)) => rule.score >= *n,
        Some(OutcomeWhen::MinIndicators(n)) => total_fired >= *n,
        Some(OutcomeWhen::MinDimensionsMet(n)) => dimensions_met >= *n,
        Some(OutcomeWhen::Decisive(list)) => list.iter().any(has_fired),
    });
    // The decisive signs that chose the outcome, for the explanation: in checklist order.
    let decisive: Vec<String> = match chosen.and_then(|o| o.when.as_ref()) {
        Some(OutcomeWhen::Decisive(list)) => {
            // Indicator order by walking the indicators rather than sorting the list (no sorting
            // code in the page's wasm module for it).
            (0..checklist.indicators.len())
                .filter(|i| list.contains(i) && has_fired(i))
                .filter_map(|i| checklist.indicators.get(i))
                .map(|ind| ind.label.get(chain).to_owned())
                .collect()
        }
        _ => Vec::new(),
    };
    let outcome = chosen
        .map(|o| OutcomeResult {
            id: o.id.clone(),
            level: o.level,
            label: o.label.get(chain).to_owned(),
            actions: o.actions.iter().map(|a| a.get(chain).to_owned()).collect(),
            referrals: o
                .referrals
                .iter()
                .filter(|(c, _)| {
                    country.is_none_or(|want| c.as_str() == "*" || c.eq_ignore_ascii_case(want))
                })
                .flat_map(|(c, list)| {
                    list.iter().map(move |r| ReferralView {
                        country: c.clone(),
                        name: r.name.get(chain).to_owned(),
                        phone: r.phone.clone(),
                        url: r.url.clone(),
                        note: r.note.as_ref().map(|n| n.get(chain).to_owned()),
                    })
                })
                .collect(),
        })
        // Validation guarantees a last outcome without condition.
        .unwrap_or_else(|| OutcomeResult {
            id: String::new(),
            level: 0,
            label: String::new(),
            actions: Vec::new(),
            referrals: Vec::new(),
        });

    let explanation = explain(
        checklist,
        &Explained {
            dimensions: &dimensions,
            fired: &fired,
            rule: &rule,
            decisive: &decisive,
            outcome: &outcome,
        },
        chain,
        words,
    );
    Assessment {
        checklist: checklist.reference.clone(),
        language: chain.first().cloned().unwrap_or_default(),
        fired,
        dimensions,
        rule,
        outcome,
        explanation,
    }
}

fn combination_holds(c: &Combination, met: &[bool]) -> bool {
    match c {
        Combination::Dimension(d) => met.get(*d).copied().unwrap_or(false),
        Combination::All(parts) => parts.iter().all(|p| combination_holds(p, met)),
        Combination::Any(parts) => parts.iter().any(|p| combination_holds(p, met)),
    }
}

fn render_combination(
    c: &Combination,
    checklist: &Checklist,
    chain: &[String],
    words: &Phrases,
    nested: bool,
) -> String {
    match c {
        Combination::Dimension(d) => checklist
            .dimensions
            .get(*d)
            .map(|dim| dim.label.get(chain).to_owned())
            .unwrap_or_default(),
        Combination::All(parts) | Combination::Any(parts) => {
            let joiner = if matches!(c, Combination::All(_)) {
                words.and
            } else {
                words.or
            };
            let inner: Vec<String> = parts
                .iter()
                .map(|p| render_combination(p, checklist, chain, words, true))
                .collect();
            let joined = inner.join(&format!(" {joiner} "));
            if nested && parts.len() > 1 {
                format!("({joined})")
            } else {
                joined
            }
        }
    }
}

/// What an explanation is written from: the assessment's parts, and the labels of the decisive
/// signs that chose the outcome (empty when a rule or count chose it).
struct Explained<'a> {
    dimensions: &'a [DimensionResult],
    fired: &'a [FiredIndicator],
    rule: &'a RuleResult,
    decisive: &'a [String],
    outcome: &'a OutcomeResult,
}

fn explain(
    checklist: &Checklist,
    parts: &Explained<'_>,
    chain: &[String],
    words: &Phrases,
) -> Vec<String> {
    let Explained {
        dimensions,
        fired,
        rule,
        decisive,
        outcome,
    } = *parts;
    let mut lines = Vec::new();
    for dim in dimensions {
        let listed: Vec<String> = fired
            .iter()
            .filter(|f| f.dimension == dim.id)
            .map(|f| format!("{} ({})", f.label, words.strengths[f.strength.index()]))
            .collect();
        let status = match dim.met {
            Some(true) => words.met,
            Some(false) if listed.is_empty() => words.no_indicators,
            Some(false) => words.not_met,
            None if listed.is_empty() => continue,
            None => "",
        };
        let line = match (status.is_empty(), listed.is_empty()) {
            (true, _) => format!("{}: {}", dim.label, listed.join(" + ")),
            (false, true) => format!("{}: {status}", dim.label),
            (false, false) => format!("{}: {status} — {}", dim.label, listed.join(" + ")),
        };
        lines.push(line);
    }
    let status = if rule.met { words.met } else { words.not_met };
    match &checklist.rule {
        Rule::Delphi { variants, .. } => {
            let variant = variants
                .iter()
                .find(|v| Some(&v.id) == rule.variant.as_ref());
            let requires = variant
                .map(|v| render_combination(&v.requires, checklist, chain, words, false))
                .unwrap_or_default();
            lines.push(
                words
                    .rule_line
                    .replace(
                        "{variant}",
                        rule.variant_label.as_deref().unwrap_or_default(),
                    )
                    .replace("{status}", status)
                    .replace("{requires}", &requires),
            );
        }
        Rule::Score { threshold, .. } => lines.push(
            words
                .score_line
                .replace("{score}", &rule.score.to_string())
                .replace("{threshold}", &threshold.to_string())
                .replace("{status}", status),
        ),
    }
    if !decisive.is_empty() {
        lines.push(
            words
                .decisive_line
                .replace("{signs}", &decisive.join(" + ")),
        );
    }
    lines.push(words.outcome_line.replace("{outcome}", &outcome.label));
    if !rule.reviewed {
        lines.push(words.unreviewed.to_owned());
    }
    lines
}
