//! Running indicator checklists from Kotlin, Swift and Python. The records are the core's own
//! (`ChecklistInfo`, `QuestionView`, `Progress`, `Assessment`, namespace `indicia_core`); the
//! session object wraps the core session behind a mutex because uniffi objects are shared
//! across threads.

use std::sync::{Arc, Mutex, MutexGuard};

use indicia_core::checklist::{
    builtin, Assessment, Checklist, ChecklistInfo, ChecklistTrust, LoadedChecklist, Progress,
    QuestionView, Session,
};

use crate::IndiciaError;

/// An answer as the host gives it. Which variant a question takes follows its kind.
#[derive(uniffi::Enum)]
pub enum AnswerValue {
    /// `yes_no`.
    YesNo {
        /// "yes", "no", "unknown" or "declined".
        value: String,
    },
    /// `single_choice`.
    Choice {
        /// The choice id.
        id: String,
    },
    /// `multi_choice`.
    Choices {
        /// The selected choice ids.
        ids: Vec<String>,
    },
    /// `number`.
    Number {
        /// Finite, within the question's bounds, at most 2^53 in magnitude.
        value: f64,
    },
    /// `date`.
    Date {
        /// "YYYY-MM-DD".
        value: String,
    },
    /// `text`.
    Text {
        /// Free text (personal data).
        value: String,
    },
    /// `attachment`.
    Attachment {
        /// An attachment id from the store.
        id: String,
    },
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

/// Ids of the checklists built into the library.
#[uniffi::export]
pub fn builtin_checklists() -> Vec<String> {
    builtin::ids().map(str::to_owned).collect()
}

/// Validates a checklist definition; on success describes it in `language`.
#[uniffi::export]
pub fn validate_checklist(json: String, language: String) -> Result<ChecklistInfo, IndiciaError> {
    Ok(Checklist::from_json(&json)?.info(&language))
}

/// Loads a checklist definition, plain or signed (`indicia-signed-checklist/1`), as a
/// deployment with checklist trust `trust` does; on success describes it in `language`, with its
/// provenance and publisher, and gives the plain definition's JSON text. Errors:
/// `InvalidChecklist`, `BadSignature`, `UntrustedChecklist`.
#[uniffi::export]
pub fn load_checklist(
    json: String,
    language: String,
    trust: ChecklistTrust,
) -> Result<LoadedChecklist, IndiciaError> {
    Ok(Checklist::load_described(&json, &trust, &language)?)
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

    /// Starts a checklist from its definition, plain or signed, loaded under the deployment's
    /// checklist trust (as [`load_checklist`]), in `language`.
    #[uniffi::constructor]
    pub fn from_json_trusted(
        json: String,
        language: String,
        trust: ChecklistTrust,
    ) -> Result<Arc<Self>, IndiciaError> {
        Ok(Self::wrap(Checklist::load(&json, &trust)?, &language))
    }

    /// The checklist, described in the session language.
    pub fn info(&self) -> ChecklistInfo {
        let session = self.session();
        session.checklist().info(session.language())
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
    pub fn visible_questions(&self) -> Vec<QuestionView> {
        self.session().visible_questions()
    }

    /// Visible required questions without an answer.
    pub fn missing_required(&self) -> Vec<String> {
        self.session().missing_required()
    }

    /// Progress over the visible questions.
    pub fn progress(&self) -> Progress {
        self.session().progress()
    }

    /// The assessment of the current answers.
    pub fn assessment(&self) -> Assessment {
        self.session().assessment()
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
