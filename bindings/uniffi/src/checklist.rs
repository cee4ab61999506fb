//! Running indicator checklists from Kotlin, Swift and Python. Records mirror the core's views
//! field by field; the session object wraps the core session behind a mutex because uniffi
//! objects are shared across threads.

use std::sync::{Arc, Mutex, MutexGuard};

use indicia_core::checklist::{self, assess, builtin, session, Checklist, Session};

use crate::IndiciaError;

/// An answer as the host gives it. Which variant a question takes follows its kind.
#[derive(uniffi::Enum)]
pub enum AnswerValue {
    /// `yes_no`: "yes", "no", "unknown" or "declined".
    YesNo { value: String },
    /// `single_choice`: a choice id.
    Choice { id: String },
    /// `multi_choice`: choice ids.
    Choices { ids: Vec<String> },
    /// `number`.
    Number { value: f64 },
    /// `date`: "YYYY-MM-DD".
    Date { value: String },
    /// `text`.
    Text { value: String },
    /// `attachment`: an attachment id.
    Attachment { id: String },
}

impl AnswerValue {
    fn into_json(self) -> serde_json::Value {
        match self {
            AnswerValue::YesNo { value }
            | AnswerValue::Date { value }
            | AnswerValue::Text { value } => value.into(),
            AnswerValue::Choice { id } | AnswerValue::Attachment { id } => id.into(),
            AnswerValue::Choices { ids } => ids.into(),
            AnswerValue::Number { value } => value.into(),
        }
    }
}

/// What a checklist is, for pickers and reports.
#[derive(uniffi::Record)]
pub struct ChecklistInfo {
    pub id: String,
    pub version: String,
    /// `sha256:` content hash: a report names the exact checklist it used.
    pub hash: String,
    pub title: String,
    pub languages: Vec<String>,
    /// "unreviewed", "draft" or "reviewed".
    pub review_status: String,
    /// Languages no native speaker has checked.
    pub unchecked_translations: Vec<String>,
    pub licence_note: String,
}

fn info(c: &Checklist, language: &str) -> ChecklistInfo {
    let chain = c.language_chain(language);
    let status = serde_json::to_value(c.review().status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned));
    ChecklistInfo {
        id: c.reference().id.clone(),
        version: c.reference().version.clone(),
        hash: c.reference().hash.clone(),
        title: c.title().get(&chain).to_owned(),
        languages: c.languages().to_vec(),
        review_status: status.unwrap_or_default(),
        unchecked_translations: c.review().unchecked_translations.clone(),
        licence_note: c.source().licence_note.clone(),
    }
}

/// A choice.
#[derive(uniffi::Record)]
pub struct ChoiceInfo {
    pub id: String,
    pub label: String,
}

/// A visible question.
#[derive(uniffi::Record)]
pub struct QuestionInfo {
    pub id: String,
    pub section: String,
    pub section_label: String,
    /// yes_no, single_choice, multi_choice, number, date, text, attachment.
    pub kind: String,
    /// True for signs the worker observes and must never ask about.
    pub observed: bool,
    pub label: String,
    pub hint: Option<String>,
    pub help: Option<String>,
    pub required: bool,
    /// The current answer in its JSON form, if any.
    pub answer_json: Option<String>,
    pub choices: Vec<ChoiceInfo>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl From<session::QuestionView> for QuestionInfo {
    fn from(q: session::QuestionView) -> Self {
        QuestionInfo {
            id: q.id,
            section: q.section,
            section_label: q.section_label,
            kind: q.kind.as_str().to_owned(),
            observed: q.mode == checklist::Mode::Observed,
            label: q.label,
            hint: q.hint,
            help: q.help,
            required: q.required,
            answer_json: q.answer.map(|a| a.to_string()),
            choices: q
                .choices
                .into_iter()
                .map(|c| ChoiceInfo {
                    id: c.id,
                    label: c.label,
                })
                .collect(),
            min: q.min,
            max: q.max,
        }
    }
}

/// Progress over the visible questions.
#[derive(uniffi::Record)]
pub struct ProgressInfo {
    pub visible: u32,
    pub answered: u32,
    pub required_missing: u32,
    pub complete: bool,
}

/// A fired indicator.
#[derive(uniffi::Record)]
pub struct FiredIndicatorInfo {
    pub id: String,
    pub dimension: String,
    /// strong, medium, weak or none.
    pub strength: String,
    pub label: String,
    pub questions: Vec<String>,
}

/// A dimension's result.
#[derive(uniffi::Record)]
pub struct DimensionInfo {
    pub id: String,
    pub label: String,
    /// Delphi rules only.
    pub met: Option<bool>,
    pub strong: u32,
    pub medium: u32,
    pub weak: u32,
    pub unweighted: u32,
    pub indicators: Vec<String>,
}

/// A referral contact.
#[derive(uniffi::Record)]
pub struct ReferralInfo {
    pub country: String,
    pub name: String,
    pub phone: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// The assessment of the current answers.
#[derive(uniffi::Record)]
pub struct AssessmentInfo {
    pub checklist_id: String,
    pub checklist_version: String,
    pub checklist_hash: String,
    pub language: String,
    pub fired: Vec<FiredIndicatorInfo>,
    pub dimensions: Vec<DimensionInfo>,
    /// "delphi" or "score".
    pub rule_kind: String,
    pub rule_reviewed: bool,
    pub rule_variant: Option<String>,
    pub rule_met: bool,
    pub score: u32,
    pub outcome_id: String,
    /// 0 (nothing to act on) to 3 (urgent).
    pub outcome_level: u8,
    pub outcome_label: String,
    pub actions: Vec<String>,
    pub referrals: Vec<ReferralInfo>,
    /// Lines a worker can read, in the session language.
    pub explanation: Vec<String>,
}

impl From<assess::Assessment> for AssessmentInfo {
    fn from(a: assess::Assessment) -> Self {
        AssessmentInfo {
            checklist_id: a.checklist.id,
            checklist_version: a.checklist.version,
            checklist_hash: a.checklist.hash,
            language: a.language,
            fired: a
                .fired
                .into_iter()
                .map(|f| FiredIndicatorInfo {
                    id: f.id,
                    dimension: f.dimension,
                    strength: f.strength.as_str().to_owned(),
                    label: f.label,
                    questions: f.questions,
                })
                .collect(),
            dimensions: a
                .dimensions
                .into_iter()
                .map(|d| DimensionInfo {
                    id: d.id,
                    label: d.label,
                    met: d.met,
                    strong: d.counts.strong,
                    medium: d.counts.medium,
                    weak: d.counts.weak,
                    unweighted: d.counts.none,
                    indicators: d.indicators,
                })
                .collect(),
            rule_kind: a.rule.kind.to_owned(),
            rule_reviewed: a.rule.reviewed,
            rule_variant: a.rule.variant,
            rule_met: a.rule.met,
            score: a.rule.score,
            outcome_id: a.outcome.id,
            outcome_level: a.outcome.level,
            outcome_label: a.outcome.label,
            actions: a.outcome.actions,
            referrals: a
                .outcome
                .referrals
                .into_iter()
                .map(|r| ReferralInfo {
                    country: r.country,
                    name: r.name,
                    phone: r.phone,
                    url: r.url,
                    note: r.note,
                })
                .collect(),
            explanation: a.explanation,
        }
    }
}

/// Ids of the checklists built into the library.
#[uniffi::export]
pub fn builtin_checklists() -> Vec<String> {
    builtin::ids().map(str::to_owned).collect()
}

/// Validates a checklist definition; on success describes it in `language`.
#[uniffi::export]
pub fn validate_checklist(json: String, language: String) -> Result<ChecklistInfo, IndiciaError> {
    Ok(info(&Checklist::from_json(&json)?, &language))
}

/// A checklist being filled in.
#[derive(uniffi::Object)]
pub struct ChecklistSession {
    inner: Mutex<Session>,
}

impl ChecklistSession {
    fn session(&self) -> MutexGuard<'_, Session> {
        // A poisoned lock only means another call panicked mid-way; the answers are still whole.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wrap(checklist: Checklist, language: &str) -> Arc<Self> {
        Arc::new(ChecklistSession {
            inner: Mutex::new(Session::new(Arc::new(checklist), language)),
        })
    }
}

#[uniffi::export]
impl ChecklistSession {
    /// Starts a built-in checklist in `language`.
    #[uniffi::constructor]
    pub fn from_builtin(id: String, language: String) -> Result<Arc<Self>, IndiciaError> {
        Ok(Self::wrap(builtin::load(&id)?, &language))
    }

    /// Starts a checklist from its JSON definition in `language`.
    #[uniffi::constructor]
    pub fn from_json(json: String, language: String) -> Result<Arc<Self>, IndiciaError> {
        Ok(Self::wrap(Checklist::from_json(&json)?, &language))
    }

    /// The checklist, described in the session language.
    pub fn info(&self) -> ChecklistInfo {
        let session = self.session();
        info(session.checklist(), session.language())
    }

    /// Limits referrals to a country (ISO 3166-1 alpha-2), or lists all with `None`.
    pub fn set_country(&self, country: Option<String>) {
        self.session().set_country(country.as_deref());
    }

    /// Records an answer.
    pub fn answer(&self, question_id: String, value: AnswerValue) -> Result<(), IndiciaError> {
        Ok(self
            .session()
            .answer_json(&question_id, &value.into_json())?)
    }

    /// Removes an answer.
    pub fn clear(&self, question_id: String) -> Result<(), IndiciaError> {
        Ok(self.session().clear(&question_id)?)
    }

    /// Visible questions in order.
    pub fn visible_questions(&self) -> Vec<QuestionInfo> {
        self.session()
            .visible_questions()
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Visible required questions without an answer.
    pub fn missing_required(&self) -> Vec<String> {
        self.session().missing_required()
    }

    /// Progress over the visible questions.
    pub fn progress(&self) -> ProgressInfo {
        let p = self.session().progress();
        ProgressInfo {
            visible: p.visible,
            answered: p.answered,
            required_missing: p.required_missing,
            complete: p.complete,
        }
    }

    /// The assessment of the current answers.
    pub fn assessment(&self) -> AssessmentInfo {
        self.session().assessment().into()
    }

    /// All answers (hidden ones too) as a JSON object, for saving a draft.
    pub fn answers_json(&self) -> String {
        self.session().answers_json().to_string()
    }

    /// Restores answers saved with `answers_json`; nothing changes if any is refused.
    pub fn restore_answers(&self, json: String) -> Result<(), IndiciaError> {
        let value: serde_json::Value = serde_json::from_str(&json)
            .map_err(|_| IndiciaError::InvalidAnswer("saved answers are not valid JSON".into()))?;
        Ok(self.session().restore_answers(&value)?)
    }
}
