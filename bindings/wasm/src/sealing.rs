//! age identities, sealing and opening.

use indicia_core::{Armor, Identity};
use secrecy::{ExposeSecret, SecretString};
use wasm_bindgen::prelude::*;

use crate::error::IntoJsResult;

/// A freshly generated age identity and its recipient.
#[wasm_bindgen]
pub struct KeyPair {
    identity: String,
    recipient: String,
}

#[wasm_bindgen]
impl KeyPair {
    /// The secret `AGE-SECRET-KEY-1…` string.
    #[wasm_bindgen(getter)]
    pub fn identity(&self) -> String {
        self.identity.clone()
    }

    /// The public `age1…` recipient string.
    #[wasm_bindgen(getter)]
    pub fn recipient(&self) -> String {
        self.recipient.clone()
    }
}

/// Generates an age X25519 identity with the browser's CSPRNG.
#[wasm_bindgen(js_name = generateIdentity)]
pub fn generate_identity() -> KeyPair {
    let identity = Identity::generate();
    KeyPair {
        identity: identity.to_secret_string().expose_secret().to_owned(),
        recipient: identity.recipient().to_string(),
    }
}

/// The `age1…` recipient of an identity string (or identity file text; its first identity).
#[wasm_bindgen(js_name = recipientOf)]
pub fn recipient_of(identity: String) -> Result<String, JsValue> {
    let identities = indicia_core::parse_identities(&SecretString::from(identity)).into_js()?;
    // parse_identities never returns an empty list.
    Ok(identities
        .first()
        .map(|i| i.recipient().to_string())
        .unwrap_or_default())
}

/// Seals bytes to one or more `age1…` recipients; returns a binary age file.
#[wasm_bindgen]
pub fn seal(plaintext: &[u8], recipients: Vec<String>) -> Result<Vec<u8>, JsValue> {
    let recipients = indicia_core::parse_recipients(&recipients).into_js()?;
    indicia_core::seal(plaintext, &recipients, Armor::Binary).into_js()
}

/// Seals bytes to one or more recipients; returns an ASCII-armored age file.
#[wasm_bindgen(js_name = sealArmored)]
pub fn seal_armored(plaintext: &[u8], recipients: Vec<String>) -> Result<String, JsValue> {
    let recipients = indicia_core::parse_recipients(&recipients).into_js()?;
    let sealed = indicia_core::seal(plaintext, &recipients, Armor::Ascii).into_js()?;
    // Armored output is ASCII by construction.
    Ok(String::from_utf8_lossy(&sealed).into_owned())
}

/// Opens a binary or armored age file with an identity string or identity file text.
#[wasm_bindgen]
pub fn open(ciphertext: &[u8], identity: String) -> Result<Vec<u8>, JsValue> {
    let identities = indicia_core::parse_identities(&SecretString::from(identity)).into_js()?;
    let plaintext = indicia_core::open(ciphertext, &identities).into_js()?;
    Ok(plaintext.to_vec())
}
