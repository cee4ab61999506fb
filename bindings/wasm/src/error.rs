//! Errors as JS values.

use indicia_core::{Classified, ErrorKind};
use wasm_bindgen::JsValue;

/// A JS `Error` named `IndiciaError` whose `kind` property is the stable core error kind
/// (`"MalformedRecipient"`, `"WrongIdentity"`, `"InvalidChecklist"`, …).
pub(crate) fn js_error(kind: ErrorKind, message: String) -> JsValue {
    let error = js_sys::Error::new(&message);
    error.set_name("IndiciaError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(
        &error,
        &JsValue::from_str("kind"),
        &JsValue::from_str(kind.as_str()),
    );
    error.into()
}

pub(crate) trait IntoJsResult<T> {
    fn into_js(self) -> Result<T, JsValue>;
}

/// Every core error converts the same way: its kind becomes `error.kind`, its Display the message.
impl<T, E: Classified> IntoJsResult<T> for Result<T, E> {
    fn into_js(self) -> Result<T, JsValue> {
        self.map_err(|e| js_error(e.kind(), e.to_string()))
    }
}

macro_rules! error_kind_union {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal,)*) => {
        /// `ErrorKindName`, the union of every kind's name, and the shape of a thrown error, from
        /// the core's one list (`indicia_core::with_error_kinds!`).
        #[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
        const TS_ERROR_KINDS: &str = concat!(
            "/** The stable kind of an `IndiciaError` (docs/cli.md lists them with exit codes). */\n",
            "export type ErrorKindName =",
            $(" | \"", stringify!($name), "\"",)*
            ";\n",
            "/** What every function here throws: an `Error` named `IndiciaError`. */\n",
            "export interface IndiciaError extends Error { name: \"IndiciaError\"; kind: ErrorKindName }\n",
        );
    };
}

indicia_core::with_error_kinds!(error_kind_union);
