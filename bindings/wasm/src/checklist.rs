//! Running indicator checklists in the browser. Views cross to JS as plain objects: the core's
//! serde form, typed in the .d.ts from the same types (tsify); answers come in as JSON-like JS
//! values. The checklist-only module starts sessions from compiled checklists only
//! (`fromCompiled`): the JSON loader, the validator and the expression compiler are the full
//! module's (`compileChecklist`), 60 KB gzipped off the page's first question
//! (docs/benchmarks.md).

#[cfg(any(feature = "full", not(feature = "store")))]
use std::sync::Arc;

#[cfg(feature = "store")]
use indicia_core::checklist::builtin;
use indicia_core::checklist::Checklist;
#[cfg(any(feature = "full", not(feature = "store")))]
use indicia_core::checklist::Session;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{js_error, IntoJsResult};

// The one TypeScript type written here: an answer's JSON shapes by question kind (the core
// carries answers as JSON values; docs/formats/checklist.md, "Answers"). Every record and enum
// comes from the core's own types (tsify, feature `tsify`).
#[wasm_bindgen(typescript_custom_section)]
const TS_ANSWER_VALUE: &str = r#"
export type AnswerValue = "yes" | "no" | "unknown" | "declined" | string | string[] | number;
"#;

/// A view as the plain JS object of its JSON form. Through JSON text and the engine's
/// `JSON.parse` rather than serde-wasm-bindgen's serialiser: the module then carries one
/// serialiser per type, serde_json's, which it needs anyway (docs/benchmarks.md, "wasm package
/// size").
/// An answer value from JS (a string, a number or a list of strings), through JSON text as
/// [`to_js`], so neither module needs serde-wasm-bindgen. `InvalidAnswer` for anything JSON
/// cannot carry; the core checks the shape against the question.
pub(crate) fn answer_from_js(value: &JsValue) -> Result<serde_json::Value, JsValue> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|json| json.as_string())
        .and_then(|json| serde_json::from_str(&json).ok())
        .ok_or_else(|| {
            js_error(
                indicia_core::ErrorKind::InvalidAnswer,
                "the answer is not a string, number or list of strings".into(),
            )
        })
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    // Our views are plain data (strings, numbers, lists, maps): neither step can fail.
    serde_json::to_string(value)
        .ok()
        .and_then(|json| js_sys::JSON::parse(&json).ok())
        .unwrap_or(JsValue::NULL)
}

/// Ids of the checklists built into the library (in this module: those it has pinned, which it
/// runs once provided: `provideBuiltinChecklist`). In the full and the store's modules; the
/// checklist-only module carries no built-in checklist (the page fetches the one it runs,
/// compiled, so its module is not 48 KB gzipped of definitions larger; docs/benchmarks.md) and
/// starts sessions `fromCompiled`.
#[cfg(feature = "store")]
#[wasm_bindgen(js_name = builtinChecklists)]
pub fn builtin_checklists() -> Vec<String> {
    builtin::ids().map(str::to_owned).collect()
}

/// Hands in the definition (JSON text, plain or signed) of a built-in checklist: this module
/// carries only the built-ins' pinned content hashes, not their definitions (48 KB gzipped), so
/// the store's worker provides each (from `checklists/ID.json` beside the app) before a case or
/// a session uses it. Taken only if its content hash is the one pinned for its id; returns that
/// id. Full and store modules. Errors: `UntrustedChecklist` (not the definition shipped),
/// `UnknownChecklist` (no built-in has its id), `InvalidChecklist` (not JSON).
#[cfg(feature = "store")]
#[wasm_bindgen(js_name = provideBuiltinChecklist)]
pub fn provide_builtin_checklist(json: &str) -> Result<String, JsValue> {
    Ok(builtin::provide(json).into_js()?.id)
}

/// `json` (a plain definition) with every translated text cut down to what a session in
/// `language` reads (`checklist::builtin::language_subset`). Full module only: the web build
/// compiles one per language of each built-in checklist (`checklists/ID.LANG.bin`,
/// `compileChecklist`), which the page runs as the built-in checklist itself (their hashes are
/// pinned in the core). Errors:
/// `InvalidChecklist`.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = checklistLanguageSubset)]
pub fn checklist_language_subset(json: &str, language: &str) -> Result<String, JsValue> {
    builtin::language_subset(json, language).into_js()
}

/// Validates a checklist definition; on success describes it in `language`. Full module only:
/// the page's module carries no JSON loader (its checklists arrive compiled: `compileChecklist`).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = validateChecklist, unchecked_return_type = "ChecklistInfo")]
pub fn validate_checklist(json: &str, language: &str) -> Result<JsValue, JsValue> {
    Ok(to_js(&Checklist::from_json(json).into_js()?.info(language)))
}

/// Loads a definition, plain or signed (`indicia-signed-checklist/1`), under the deployment's
/// checklist trust (`trustJson`: `{"require_signatures", "publishers": [{"name", "public_key"}]}`,
/// or `null` for none) and returns what a page needs to run and show it: `info` (with its
/// provenance and publisher) and `definition`, the plain definition's JSON text, for
/// `ChecklistSession.fromJson` in the page's checklist-only module (which carries no signature
/// code). Full module only (the app's store worker compiles instead: `compileChecklist`). Errors:
/// `InvalidChecklist`, `BadSignature`, `UntrustedChecklist`, `InvalidArgument` (the trust list).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = loadChecklist, unchecked_return_type = "LoadedChecklist")]
pub fn load_checklist(
    json: &str,
    language: &str,
    trust_json: Option<String>,
) -> Result<JsValue, JsValue> {
    let trust = trust_of(trust_json)?;
    Ok(to_js(
        &Checklist::load_described(json, &trust, language).into_js()?,
    ))
}

/// Loads a definition, plain or signed, under the deployment's checklist trust (`trustJson`, as
/// `loadChecklist`) and returns its compiled form (docs/formats/compiled-checklist.md): what
/// `ChecklistSession.fromCompiled` runs, with the reference and provenance decided here. Full and
/// store modules: the web build compiles the built-ins (`checklists/ID.LANG.bin`), the store's
/// worker any other definition, so the page's module needs neither the JSON loader nor the
/// signature code. Errors: as `loadChecklist`.
#[cfg(feature = "store")]
#[wasm_bindgen(js_name = compileChecklist)]
pub fn compile_checklist(json: &str, trust_json: Option<String>) -> Result<Vec<u8>, JsValue> {
    let trust = trust_of(trust_json)?;
    Ok(Checklist::load(json, &trust).into_js()?.compiled())
}

/// A trust list from its JSON text, or none.
#[cfg(feature = "store")]
fn trust_of(
    trust_json: Option<String>,
) -> Result<indicia_core::checklist::ChecklistTrust, JsValue> {
    match trust_json {
        Some(text) => indicia_core::checklist::ChecklistTrust::from_json(&text).into_js(),
        None => Ok(indicia_core::checklist::ChecklistTrust::default()),
    }
}

/// A checklist being filled in.
#[cfg(any(feature = "full", not(feature = "store")))]
#[wasm_bindgen]
pub struct ChecklistSession {
    inner: Session,
}

#[cfg(any(feature = "full", not(feature = "store")))]
#[wasm_bindgen]
impl ChecklistSession {
    /// Starts a built-in checklist in `language` (full module only), once
    /// provided (`provideBuiltinChecklist`; `UnknownChecklist` before).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromBuiltin)]
    pub fn from_builtin(id: &str, language: &str) -> Result<ChecklistSession, JsValue> {
        let checklist = builtin::load(id).into_js()?;
        Ok(ChecklistSession {
            inner: Session::new(Arc::new(checklist), language),
        })
    }

    /// Starts a checklist from its compiled form (`compileChecklist`; the web build's
    /// `checklists/ID.LANG.bin`) in `language`. Errors: `InvalidChecklist` (not a compiled
    /// checklist, or damaged).
    #[wasm_bindgen(js_name = fromCompiled)]
    pub fn from_compiled(bytes: &[u8], language: &str) -> Result<ChecklistSession, JsValue> {
        let checklist = Checklist::from_compiled(bytes).into_js()?;
        Ok(ChecklistSession {
            inner: Session::new(Arc::new(checklist), language),
        })
    }

    /// Starts a checklist from its JSON definition in `language`. Full module only (the page's
    /// module runs compiled checklists: `fromCompiled`).
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(json: &str, language: &str) -> Result<ChecklistSession, JsValue> {
        let checklist = Checklist::from_json(json).into_js()?;
        Ok(ChecklistSession {
            inner: Session::new(Arc::new(checklist), language),
        })
    }

    /// Starts a checklist from its definition, plain or signed, loaded under the deployment's
    /// checklist trust (`trustJson`, as `loadChecklist`), in `language`. Full module only.
    #[cfg(feature = "full")]
    #[wasm_bindgen(js_name = fromJsonTrusted)]
    pub fn from_json_trusted(
        json: &str,
        language: &str,
        trust_json: Option<String>,
    ) -> Result<ChecklistSession, JsValue> {
        let trust = trust_of(trust_json)?;
        let checklist = Checklist::load(json, &trust).into_js()?;
        Ok(ChecklistSession {
            inner: Session::new(Arc::new(checklist), language),
        })
    }

    /// The checklist, described in the session language.
    #[wasm_bindgen(unchecked_return_type = "ChecklistInfo")]
    pub fn info(&self) -> JsValue {
        to_js(&self.inner.checklist().info(self.inner.language()))
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
        let value = answer_from_js(&value)?;
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
