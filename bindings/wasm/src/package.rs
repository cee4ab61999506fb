//! Report packages in the browser (docs/formats/package.md): sealing a case held by the page
//! or by the store, and opening a package with a unit's identity.

#[cfg(feature = "full")]
use indicia_core::package::{
    open_package_in_memory, open_receipt as core_open_receipt, seal_standalone, AttachmentInput,
    DeviceKey, OpenedReport, StandaloneAttachment, StandaloneCase,
};
use indicia_core::package::{SealedPackage, SealedReport, UnitCard};
use indicia_core::ErrorKind;
#[cfg(feature = "full")]
use indicia_core::{parse_identities, Armor};
#[cfg(feature = "full")]
use js_sys::Array;
use js_sys::{Reflect, Uint8Array};
#[cfg(feature = "full")]
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::checklist::to_js;
use crate::error::{js_error, IntoJsResult};

// Records with bytes cross as `to_js` (JSON text and `JSON.parse`) with their byte fields taken
// out first and set as `Uint8Array`s after: the module then needs no serde-wasm-bindgen, whose
// (de)serialisers cost ~45 KB (docs/benchmarks.md, "wasm package size: two modules", step 11).

/// Sets `object[key] = value` on an object `to_js` made (a plain object: cannot fail).
fn set(object: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

pub(crate) fn sealed_to_js(package: Vec<u8>, report: SealedReport) -> JsValue {
    let mut sealed = SealedPackage::new(package, report);
    let package = std::mem::take(&mut sealed.package);
    let object = to_js(&sealed);
    set(&object, "package", &Uint8Array::from(&package[..]));
    object
}

/// A record from a JS object through `JSON.stringify` and serde_json: unknown fields are
/// refused, as the core's types say, not dropped.
fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

#[cfg(feature = "full")]
/// `{ name, mime, data: Uint8Array }` objects (the .d.ts's `AttachmentInput[]`).
fn attachment_inputs(attachments: &JsValue) -> Option<Vec<AttachmentInput>> {
    let text = |item: &JsValue, key: &str| {
        Reflect::get(item, &JsValue::from_str(key))
            .ok()?
            .as_string()
    };
    attachments
        .clone()
        .dyn_into::<Array>()
        .ok()?
        .iter()
        .map(|item| {
            let data = Reflect::get(&item, &JsValue::from_str("data")).ok()?;
            Some(AttachmentInput {
                name: text(&item, "name")?,
                mime: text(&item, "mime")?,
                data: data.dyn_into::<Uint8Array>().ok()?.to_vec(),
            })
        })
        .collect()
}

fn invalid(message: &str) -> JsValue {
    js_error(ErrorKind::InvalidState, message.into())
}

/// Seals a case held by the page (no store) into a report package for the receiving units of
/// `unitCards`: each the JSON text of a unit's signed card (`indicia unit-card`), checked and its
/// signature verified; the package goes to the recipients on them, never to a bare recipient.
/// With `deviceSecret` (32 bytes the page keeps) the package is signed by that device key;
/// without it, by a fresh key used once (the receiver then sees a signer it does not know).
/// `InvalidState` with no card; a card that does not read: `CorruptInput`, `BadSignature`, or
/// `UnsupportedInput` (unsigned v1).
///
/// Full module only (not in the store's module the app ships).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = sealReport, unchecked_return_type = "SealedPackage")]
pub fn seal_report(
    #[wasm_bindgen(unchecked_param_type = "StandaloneCase")] case: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AttachmentInput[]")] attachments: JsValue,
    unit_cards: Vec<String>,
    device_secret: Option<Vec<u8>>,
    armored: Option<bool>,
) -> Result<JsValue, JsValue> {
    // An unknown field (a typo such as `checklistId`) is refused, not dropped.
    let case: StandaloneCase = from_js(&case)
        .ok_or_else(|| invalid("the case is not a StandaloneCase object (see the .d.ts)"))?;
    let attachments: Vec<AttachmentInput> = if attachments.is_undefined() || attachments.is_null() {
        Vec::new()
    } else {
        attachment_inputs(&attachments)
            .ok_or_else(|| invalid("attachments are { name, mime, data: Uint8Array } objects"))?
    };
    let key = match device_secret {
        Some(secret) => {
            DeviceKey::from_secret(&secret).ok_or_else(|| invalid("a device secret is 32 bytes"))?
        }
        None => DeviceKey::generate().into_js()?,
    };
    let inputs: Vec<StandaloneAttachment<'_>> = attachments
        .iter()
        .map(AttachmentInput::as_standalone)
        .collect();
    let armor = Armor::ascii_if(armored.unwrap_or(false));
    let (package, report) = seal_standalone(&case, &inputs, &key, &unit_cards, armor).into_js()?;
    Ok(sealed_to_js(package, report))
}

/// Opens and verifies a report package (binary or armored) with a unit's identity text.
///
/// Full module only (not in the store's module the app ships).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = openReport, unchecked_return_type = "OpenedReport")]
pub fn open_report(package: &[u8], identities: String) -> Result<JsValue, JsValue> {
    let identities = parse_identities(&SecretString::from(identities)).into_js()?;
    let opened = open_package_in_memory(package, &identities).into_js()?;
    let mut report: OpenedReport = opened.try_into().into_js()?;
    let manifest_bytes = std::mem::take(&mut report.manifest_bytes);
    let attachments = std::mem::take(&mut report.attachments);
    let object = to_js(&report);
    set(
        &object,
        "manifest_bytes",
        &Uint8Array::from(&manifest_bytes[..]),
    );
    let list: Array = attachments
        .iter()
        .map(|a| Uint8Array::from(&a[..]))
        .collect();
    set(&object, "attachments", &list);
    Ok(object)
}

/// Decrypts a receipt (binary or armored) with identity text and verifies the signature of the
/// unit key it names. Whether that unit is one to believe is the caller's decision
/// (`CaseStore.importReceipt` checks it against the units the store knows).
///
/// Full module only (not in the store's module the app ships).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = openReceipt, unchecked_return_type = "Receipt")]
pub fn open_receipt(receipt: &[u8], identities: String) -> Result<JsValue, JsValue> {
    let identities = parse_identities(&SecretString::from(identities)).into_js()?;
    let receipt = core_open_receipt(receipt, &identities).into_js()?;
    Ok(to_js(&receipt))
}

/// A unit card's fingerprint (docs/formats/receipt.md): four groups of five digits from its
/// signing key and recipient. Show it when a card is added (`CaseStore.addUnit` returns the card)
/// and ask the worker to compare it with the one the unit reads out over another channel.
#[wasm_bindgen(js_name = unitCardFingerprint)]
pub fn unit_card_fingerprint(
    #[wasm_bindgen(unchecked_param_type = "UnitCard")] card: JsValue,
) -> Result<String, JsValue> {
    // As sealReport: unknown fields are refused, not dropped.
    let card: UnitCard = from_js(&card)
        .ok_or_else(|| invalid("the card is not a UnitCard object (see the .d.ts)"))?;
    card.fingerprint().into_js()
}
