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

/// A core error: a stable kind and a message without personal data.
pub(crate) trait CoreError: std::fmt::Display {
    fn kind(&self) -> ErrorKind;
}

pub(crate) trait IntoJsResult<T> {
    fn into_js(self) -> Result<T, JsValue>;
}

/// Every core error converts the same way: its kind becomes `error.kind`, its Display the message.
impl<T, E: CoreError> IntoJsResult<T> for Result<T, E> {
    fn into_js(self) -> Result<T, JsValue> {
        self.map_err(|e| js_error(e.kind(), e.to_string()))
    }
}

macro_rules! core_errors {
    ($($t:ty),*) => {$(
        impl CoreError for $t {
            fn kind(&self) -> ErrorKind {
                <$t>::kind(self)
            }
        }
    )*};
}

core_errors!(
    indicia_core::SealError,
    indicia_core::KeyError,
    indicia_core::checklist::LoadErrors,
    indicia_core::checklist::AnswerError,
    indicia_core::checklist::builtin::BuiltinError,
    indicia_core::store::StoreError,
    indicia_core::package::PackageError
);
