//! Errors as JS values.

use indicia_core::ErrorKind;
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
macro_rules! into_js_for_core_errors {
    ($($t:ty),*) => {$(
        impl<T> IntoJsResult<T> for Result<T, $t> {
            fn into_js(self) -> Result<T, JsValue> {
                self.map_err(|e| js_error(e.kind(), e.to_string()))
            }
        }
    )*};
}

into_js_for_core_errors!(
    indicia_core::SealError,
    indicia_core::KeyError,
    indicia_core::checklist::LoadErrors,
    indicia_core::checklist::AnswerError,
    indicia_core::checklist::builtin::BuiltinError,
    indicia_core::store::StoreError,
    indicia_core::package::PackageError
);
