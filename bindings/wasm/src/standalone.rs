//! Packages and receipts outside a store (docs/formats/package.md, receipt.md): sealing a case
//! the page holds, opening a package or a receipt with a unit's identity text. Full module only
//! (feature `full`): no page of the app calls these, so the store's module the app ships leaves
//! them out (docs/benchmarks.md, "wasm package size: two modules", step 17).

use indicia_core::package::{
    open_package_in_memory, open_receipt as core_open_receipt, seal_standalone, AttachmentInput,
    DeviceKey, OpenedReport, StandaloneAttachment, StandaloneCase,
};
use indicia_core::{parse_identities, Armor};
use js_sys::{Array, Reflect, Uint8Array};
use secrecy::SecretString;
use wasm_bindgen::prelude::*;

use crate::checklist::to_js;
use crate::error::IntoJsResult;
use crate::package::{from_js, invalid, sealed_to_js, set};

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

/// Seals a case held by the page (no store) into a report package for the receiving units of
/// `unitCards`: each the JSON text of a unit's signed card (`indicia unit-card`), checked and its
/// signature verified; the package goes to the recipients on them, never to a bare recipient.
/// With `deviceSecret` (32 bytes the page keeps) the package is signed by that device key;
/// without it, by a fresh key used once (the receiver then sees a signer it does not know).
/// `InvalidState` with no card; a card that does not read: `CorruptInput`, `BadSignature`, or
/// `UnsupportedInput` (unsigned v1).
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
#[wasm_bindgen(js_name = openReceipt, unchecked_return_type = "Receipt")]
pub fn open_receipt(receipt: &[u8], identities: String) -> Result<JsValue, JsValue> {
    let identities = parse_identities(&SecretString::from(identities)).into_js()?;
    let receipt = core_open_receipt(receipt, &identities).into_js()?;
    Ok(to_js(&receipt))
}
