//! The one error type of the uniffi bindings, generated from the core's list of error kinds
//! (`indicia_core::with_error_kinds!`): a kind added there appears here, in Kotlin, Swift and
//! Python without an edit.

use indicia_core::{Classified, ErrorKind};

macro_rules! indicia_error {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal,)*) => {
        /// The one error type hosts see: Kotlin `IndiciaException.<Kind>`, Python
        /// `IndiciaError.<Kind>`, Swift `IndiciaError.<Kind>`. Variant names are the stable core
        /// error kinds; the message is the exception's message.
        #[derive(Debug, thiserror::Error, uniffi::Error)]
        #[uniffi(flat_error)]
        pub enum IndiciaError {
            $($(#[doc = $doc])* #[error("{0}")] $name(String),)*
        }

        impl IndiciaError {
            pub(crate) fn new(kind: ErrorKind, message: String) -> Self {
                match kind {
                    $(ErrorKind::$name => Self::$name(message),)*
                    // ErrorKind is non-exhaustive, but the arms above come from the same list.
                    _ => Self::StoreFailure(message),
                }
            }
        }
    };
}

indicia_core::with_error_kinds!(indicia_error);

impl From<uniffi::UnexpectedUniFFICallbackError> for IndiciaError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        IndiciaError::StoreFailure(format!("host callback failed: {}", e.reason))
    }
}

/// Every core error converts the same way: its kind picks the variant, its Display the message.
pub(crate) fn host<E: Classified>(e: E) -> IndiciaError {
    IndiciaError::new(e.kind(), e.to_string())
}

/// `From` for each core error type, so `?` converts (a blanket impl over `Classified` would
/// collide with the callback error's).
macro_rules! from_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for IndiciaError {
            fn from(e: $t) -> Self {
                host(e)
            }
        }
    )*};
}

from_core_error!(
    indicia_core::SealError,
    indicia_core::KeyError,
    indicia_core::checklist::LoadErrors,
    indicia_core::checklist::builtin::BuiltinError,
    indicia_core::checklist::AnswerError,
    indicia_core::checklist::ChecklistError,
    indicia_core::store::StoreError,
    indicia_core::package::PackageError,
    indicia_core::correlate::SelectorError,
    indicia_core::receiver::ReceiverError
);
