//! Running indicator checklists in the browser. Views cross to JS as plain objects (their shape
//! is the core's serde form, typed in the .d.ts below); answers come in as JSON-like JS values.

use std::sync::Arc;

use indicia_core::checklist::{builtin, Checklist, Session};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{js_error, IntoJsResult};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export type AnswerValue = "yes" | "no" | "unknown" | "declined" | string | string[] | number;
export interface ChoiceView { id: string; label: string }
export interface QuestionView {
  id: string; section: string; section_label: string;
  kind: "yes_no" | "single_choice" | "multi_choice" | "number" | "date" | "text" | "attachment";
  mode: "asked" | "observed"; label: string; hint: string | null; help: string | null;
  required: boolean; answer: AnswerValue | null; choices: ChoiceView[]; min: number | null; max: number | null;
}
export interface Progress { visible: number; answered: number; required_missing: number; complete: boolean }
export interface FiredIndicator { id: string; dimension: string; strength: "strong" | "medium" | "weak" | "none"; label: string; questions: string[] }
export interface DimensionResult {
  id: string; label: string; met: boolean | null;
  counts: { strong: number; medium: number; weak: number; none: number }; indicators: string[];
}
export interface Assessment {
  checklist: { id: string; version: string; hash: string }; language: string;
  fired: FiredIndicator[]; dimensions: DimensionResult[];
  rule: { kind: "delphi" | "score"; reviewed: boolean; variant: string | null; variant_label: string | null; met: boolean; score: number; threshold: number | null };
  outcome: { id: string; level: number; label: string; actions: string[];
    referrals: { country: string; name: string; phone: string | null; url: string | null; note: string | null }[] };
  explanation: string[];
}
export interface ChecklistInfo {
  id: string; version: string; hash: string; title: string; languages: string[];
  review_status: "unreviewed" | "draft" | "reviewed"; unchecked_translations: string[]; licence_note: string;
}
"#;

pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    // Our views are plain data (strings, numbers, lists, maps): serialisation cannot fail.
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

#[derive(Serialize)]
struct Info<'a> {
    id: &'a str,
    version: &'a str,
    hash: &'a str,
    title: &'a str,
    languages: &'a [String],
    review_status: indicia_core::checklist::ReviewStatus,
    unchecked_translations: &'a [String],
    licence_note: &'a str,
}

fn info(c: &Checklist, language: &str) -> JsValue {
    let chain = c.language_chain(language);
    to_js(&Info {
        id: &c.reference().id,
        version: &c.reference().version,
        hash: &c.reference().hash,
        title: c.title().get(&chain),
        languages: c.languages(),
        review_status: c.review().status,
        unchecked_translations: &c.review().unchecked_translations,
        licence_note: &c.source().licence_note,
    })
}

/// Ids of the checklists built into the library.
#[wasm_bindgen(js_name = builtinChecklists)]
pub fn builtin_checklists() -> Vec<String> {
    builtin::ids().map(str::to_owned).collect()
}

/// Validates a checklist definition; on success describes it in `language`.
#[wasm_bindgen(js_name = validateChecklist, unchecked_return_type = "ChecklistInfo")]
pub fn validate_checklist(json: &str, language: &str) -> Result<JsValue, JsValue> {
    let checklist = Checklist::from_json(json).into_js()?;
    Ok(info(&checklist, language))
}

/// A checklist being filled in.
#[wasm_bindgen]
pub struct ChecklistSession {
    inner: Session,
}

#[wasm_bindgen]
impl ChecklistSession {
    /// Starts a built-in checklist in `language`.
    #[wasm_bindgen(js_name = fromBuiltin)]
    pub fn from_builtin(id: &str, language: &str) -> Result<ChecklistSession, JsValue> {
        let checklist = builtin::load(id).into_js()?;
        Ok(ChecklistSession {
            inner: Session::new(Arc::new(checklist), language),
        })
    }

    /// Starts a checklist from its JSON definition in `language`.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(json: &str, language: &str) -> Result<ChecklistSession, JsValue> {
        let checklist = Checklist::from_json(json).into_js()?;
        Ok(ChecklistSession {
            inner: Session::new(Arc::new(checklist), language),
        })
    }

    /// The checklist, described in the session language.
    #[wasm_bindgen(unchecked_return_type = "ChecklistInfo")]
    pub fn info(&self) -> JsValue {
        info(self.inner.checklist(), self.inner.language())
    }

    /// Limits referrals to a country (ISO 3166-1 alpha-2), or lists all with `undefined`.
    #[wasm_bindgen(js_name = setCountry)]
    pub fn set_country(&mut self, country: Option<String>) {
        self.inner.set_country(country.as_deref());
    }

    /// Records an answer: "yes"/"no"/"unknown"/"declined", a choice id, a list of choice ids, a
    /// number, "YYYY-MM-DD", text or an attachment id, by the question's kind.
    pub fn answer(
        &mut self,
        question_id: &str,
        #[wasm_bindgen(unchecked_param_type = "AnswerValue")] value: JsValue,
    ) -> Result<(), JsValue> {
        let value: serde_json::Value = serde_wasm_bindgen::from_value(value).map_err(|_| {
            js_error(
                indicia_core::ErrorKind::InvalidAnswer,
                "the answer is not a string, number or list of strings".into(),
            )
        })?;
        self.inner.answer_json(question_id, &value).into_js()
    }

    /// Removes an answer.
    pub fn clear(&mut self, question_id: &str) -> Result<(), JsValue> {
        self.inner.clear(question_id).into_js()
    }

    /// Visible questions in order, with their answers.
    #[wasm_bindgen(js_name = visibleQuestions, unchecked_return_type = "QuestionView[]")]
    pub fn visible_questions(&self) -> JsValue {
        to_js(&self.inner.visible_questions())
    }

    /// Visible required questions without an answer.
    #[wasm_bindgen(js_name = missingRequired)]
    pub fn missing_required(&self) -> Vec<String> {
        self.inner.missing_required()
    }

    /// Progress over the visible questions.
    #[wasm_bindgen(unchecked_return_type = "Progress")]
    pub fn progress(&self) -> JsValue {
        to_js(&self.inner.progress())
    }

    /// The assessment of the current answers.
    #[wasm_bindgen(unchecked_return_type = "Assessment")]
    pub fn assessment(&self) -> JsValue {
        to_js(&self.inner.assessment())
    }

    /// All answers (hidden ones too) as a JSON string, for saving a draft.
    #[wasm_bindgen(js_name = answersJson)]
    pub fn answers_json(&self) -> String {
        self.inner.answers_json().to_string()
    }

    /// Restores answers saved with `answersJson`; nothing changes if any is refused.
    #[wasm_bindgen(js_name = restoreAnswers)]
    pub fn restore_answers(&mut self, json: &str) -> Result<(), JsValue> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|_| {
            js_error(
                indicia_core::ErrorKind::InvalidAnswer,
                "saved answers are not valid JSON".into(),
            )
        })?;
        self.inner.restore_answers(&value).into_js()
    }
}
