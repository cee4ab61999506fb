//! Report packages in the browser (docs/formats/package.md): what the store's module needs
//! around `CaseStore.sealCase` and unit cards. Sealing without a store and opening packages
//! and receipts are in `standalone` (full module only).

use indicia_core::package::{SealedPackage, SealedReport, UnitCard};
use indicia_core::ErrorKind;
use js_sys::{Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::checklist::to_js;
use crate::error::{js_error, IntoJsResult};

// Records with bytes cross as `to_js` (JSON text and `JSON.parse`) with their byte fields taken
// out first and set as `Uint8Array`s after: the module then needs no serde-wasm-bindgen, whose
// (de)serialisers cost ~45 KB (docs/benchmarks.md, "wasm package size: two modules", step 11).

/// Sets `object[key] = value` on an object `to_js` made (a plain object: cannot fail).
pub(crate) fn set(object: &JsValue, key: &str, value: &JsValue) {
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
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

pub(crate) fn invalid(message: &str) -> JsValue {
    js_error(ErrorKind::InvalidState, message.into())
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
