//! age identities, sealing and opening.

use indicia_core::{Armor, Identity};
use secrecy::{ExposeSecret, SecretString};

use crate::IndiciaError;

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
