//! wasm-bindgen wrapper of indicia-core. Every function converts, calls the core, and maps the
//! error; no logic lives here.

use indicia_core::{Armor, ErrorKind, Identity};
use secrecy::{ExposeSecret, SecretString};
use wasm_bindgen::prelude::*;

/// A JS `Error` named `IndiciaError` whose `kind` property is the stable core error kind
/// (`"MalformedRecipient"`, `"WrongIdentity"`, `"CorruptInput"`, …).
fn js_error(kind: ErrorKind, message: String) -> JsValue {
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

trait IntoJsResult<T> {
    fn into_js(self) -> Result<T, JsValue>;
}

impl<T> IntoJsResult<T> for Result<T, indicia_core::SealError> {
    fn into_js(self) -> Result<T, JsValue> {
        self.map_err(|e| js_error(e.kind(), e.to_string()))
    }
}

impl<T> IntoJsResult<T> for Result<T, indicia_core::KeyError> {
    fn into_js(self) -> Result<T, JsValue> {
        self.map_err(|e| js_error(e.kind(), e.to_string()))
    }
}

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
