//! uniffi wrapper of indicia-core for Kotlin, Swift and Python. Every function converts, calls
//! the core, and maps the error; no logic lives here. uniffi turns a Rust panic into a host
//! exception, but the core is written not to panic on any input.

use indicia_core::{Armor, ErrorKind, Identity};
use secrecy::{ExposeSecret, SecretString};

uniffi::setup_scaffolding!();

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
}

impl IndiciaError {
    fn new(kind: ErrorKind, message: String) -> Self {
        match kind {
            ErrorKind::MalformedRecipient => Self::MalformedRecipient(message),
            ErrorKind::MalformedIdentity => Self::MalformedIdentity(message),
            ErrorKind::NoRecipients => Self::NoRecipients(message),
            ErrorKind::WrongIdentity => Self::WrongIdentity(message),
            ErrorKind::CorruptInput => Self::CorruptInput(message),
            ErrorKind::TruncatedInput => Self::TruncatedInput(message),
            ErrorKind::UnsupportedInput => Self::UnsupportedInput(message),
            ErrorKind::Io => Self::Io(message),
        }
    }
}

impl From<indicia_core::SealError> for IndiciaError {
    fn from(e: indicia_core::SealError) -> Self {
        Self::new(e.kind(), e.to_string())
    }
}

impl From<indicia_core::KeyError> for IndiciaError {
    fn from(e: indicia_core::KeyError) -> Self {
        Self::new(e.kind(), e.to_string())
    }
}

/// A freshly generated age identity (secret) and its recipient (public).
#[derive(uniffi::Record)]
pub struct KeyPair {
    /// The secret `AGE-SECRET-KEY-1…` string. Store it in the platform keystore.
    pub identity: String,
    /// The public `age1…` recipient string.
    pub recipient: String,
}

/// Generates an age X25519 identity with the OS CSPRNG.
#[uniffi::export]
pub fn generate_identity() -> KeyPair {
    let identity = Identity::generate();
    KeyPair {
        identity: identity.to_secret_string().expose_secret().to_owned(),
        recipient: identity.recipient().to_string(),
    }
}

/// The `age1…` recipient of an identity string (or identity file text; its first identity).
#[uniffi::export]
pub fn recipient_of(identity: String) -> Result<String, IndiciaError> {
    let identities = indicia_core::parse_identities(&SecretString::from(identity))?;
    Ok(identities
        .first()
        .map(|i| i.recipient().to_string())
        .unwrap_or_default())
}

/// Seals bytes to one or more `age1…` recipients; returns a binary age file.
#[uniffi::export]
pub fn seal(plaintext: Vec<u8>, recipients: Vec<String>) -> Result<Vec<u8>, IndiciaError> {
    let recipients = indicia_core::parse_recipients(&recipients)?;
    Ok(indicia_core::seal(&plaintext, &recipients, Armor::Binary)?)
}

/// Seals bytes to one or more recipients; returns an ASCII-armored age file.
#[uniffi::export]
pub fn seal_armored(plaintext: Vec<u8>, recipients: Vec<String>) -> Result<String, IndiciaError> {
    let recipients = indicia_core::parse_recipients(&recipients)?;
    let sealed = indicia_core::seal(&plaintext, &recipients, Armor::Ascii)?;
    Ok(String::from_utf8_lossy(&sealed).into_owned())
}

/// Opens a binary or armored age file with an identity string or identity file text.
#[uniffi::export]
pub fn open(ciphertext: Vec<u8>, identity: String) -> Result<Vec<u8>, IndiciaError> {
    let identities = indicia_core::parse_identities(&SecretString::from(identity))?;
    Ok(indicia_core::open(&ciphertext, &identities)?.to_vec())
}
