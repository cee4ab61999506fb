//! The one error type of the uniffi bindings.

use indicia_core::ErrorKind;

/// The one error type hosts see: Kotlin `IndiciaException.<Kind>`, Python `IndiciaError.<Kind>`.
/// Variant names are the stable core error kinds; the message is the exception's message.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum IndiciaError {
    /// A recipient string is not an `age1…` recipient.
    #[error("{0}")]
    MalformedRecipient(String),
    /// An identity string or file holds no usable `AGE-SECRET-KEY-1…` identity.
    #[error("{0}")]
    MalformedIdentity(String),
    /// Sealing to an empty recipient list.
    #[error("{0}")]
    NoRecipients(String),
    /// None of the identities can open the file.
    #[error("{0}")]
    WrongIdentity(String),
    /// Not an age file, or altered.
    #[error("{0}")]
    CorruptInput(String),
    /// The file ends early.
    #[error("{0}")]
    TruncatedInput(String),
    /// A passphrase-encrypted or newer-version age file.
    #[error("{0}")]
    UnsupportedInput(String),
    /// A host stream failed.
    #[error("{0}")]
    Io(String),
    /// A checklist definition is malformed; the message lists every mistake with its JSON path.
    #[error("{0}")]
    InvalidChecklist(String),
    /// No built-in checklist has this id.
    #[error("{0}")]
    UnknownChecklist(String),
    /// An answer does not fit its question, or names an unknown question.
    #[error("{0}")]
    InvalidAnswer(String),
    /// There is no store at this place.
    #[error("{0}")]
    NoStore(String),
    /// The store is locked.
    #[error("{0}")]
    StoreLocked(String),
    /// Wrong PIN; the message says how many attempts are left.
    #[error("{0}")]
    WrongPin(String),
    /// A new PIN or passphrase does not meet the core's policy (too short or too weak).
    #[error("{0}")]
    WeakPin(String),
    /// The store was made with a device-bound secret: unlocking needs it as well as the PIN.
    #[error("{0}")]
    DeviceSecretRequired(String),
    /// The store was wiped.
    #[error("{0}")]
    StoreWiped(String),
    /// Stored data fails authentication.
    #[error("{0}")]
    StoreTampered(String),
    /// No such case or note.
    #[error("{0}")]
    NotFound(String),
    /// Not allowed in the current state (e.g. editing a sealed case).
    #[error("{0}")]
    InvalidState(String),
    /// Storage, random generator or platform key failure.
    #[error("{0}")]
    StoreFailure(String),
    /// A signature does not verify (forged or altered package or receipt).
    #[error("{0}")]
    BadSignature(String),
    /// A selector value cannot be normalised; the message never repeats the value.
    #[error("{0}")]
    InvalidSelector(String),
    /// The signature verifies but its key is not trusted here (unknown, revoked, other organisation).
    #[error("{0}")]
    UntrustedSigner(String),
}

impl From<uniffi::UnexpectedUniFFICallbackError> for IndiciaError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        IndiciaError::StoreFailure(format!("host callback failed: {}", e.reason))
    }
}

impl IndiciaError {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Self {
        match kind {
            ErrorKind::MalformedRecipient => Self::MalformedRecipient(message),
            ErrorKind::MalformedIdentity => Self::MalformedIdentity(message),
            ErrorKind::NoRecipients => Self::NoRecipients(message),
            ErrorKind::WrongIdentity => Self::WrongIdentity(message),
            ErrorKind::CorruptInput => Self::CorruptInput(message),
            ErrorKind::TruncatedInput => Self::TruncatedInput(message),
            ErrorKind::UnsupportedInput => Self::UnsupportedInput(message),
            ErrorKind::Io => Self::Io(message),
            ErrorKind::InvalidChecklist => Self::InvalidChecklist(message),
            ErrorKind::UnknownChecklist => Self::UnknownChecklist(message),
            ErrorKind::InvalidAnswer => Self::InvalidAnswer(message),
            ErrorKind::NoStore => Self::NoStore(message),
            ErrorKind::StoreLocked => Self::StoreLocked(message),
            ErrorKind::WrongPin => Self::WrongPin(message),
            ErrorKind::WeakPin => Self::WeakPin(message),
            ErrorKind::DeviceSecretRequired => Self::DeviceSecretRequired(message),
            ErrorKind::StoreWiped => Self::StoreWiped(message),
            ErrorKind::StoreTampered => Self::StoreTampered(message),
            ErrorKind::NotFound => Self::NotFound(message),
            ErrorKind::InvalidState => Self::InvalidState(message),
            ErrorKind::StoreFailure => Self::StoreFailure(message),
            ErrorKind::BadSignature => Self::BadSignature(message),
            ErrorKind::InvalidSelector => Self::InvalidSelector(message),
            ErrorKind::UntrustedSigner => Self::UntrustedSigner(message),
        }
    }
}

/// Every core error converts the same way: its kind picks the variant, its Display the message.
macro_rules! from_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for IndiciaError {
            fn from(e: $t) -> Self {
                Self::new(e.kind(), e.to_string())
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
    indicia_core::store::StoreError,
    indicia_core::package::PackageError,
    indicia_core::correlate::SelectorError
);
