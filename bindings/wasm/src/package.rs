//! Report packages in the browser (docs/formats/package.md): sealing a case held by the page
//! or by the store, and opening a package with a unit's identity.

use indicia_core::package::{
    open_package_in_memory, open_receipt as core_open_receipt, seal_standalone, DeviceKey,
    SealedReport, StandaloneAttachment, StandaloneCase,
};
use indicia_core::{parse_identities, parse_recipients, Armor, ErrorKind};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::error::{js_error, IntoJsResult};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
export interface StandaloneCase {
  organisation: string; title: string; answers?: Record<string, AnswerValue>; notes?: string[];
  checklist_id?: string; reply_to?: string[];
}
export interface AttachmentInput { name: string; mime: string; data: Uint8Array }
export interface SealedPackage {
  package: Uint8Array; report_id: string; content_hash: string; device_key_id: string;
}
export interface DeviceInfo { public_key: string; key_id: string }
export interface OpenedReport {
  manifest: any; manifest_bytes: Uint8Array; attachments: Uint8Array[]; content_hash: string;
}
/** A receipt as the unit signed it (docs/formats/receipt.md). */
export interface Receipt {
  format: "indicia-receipt/1"; receipt_id: string; report_id: string; content_hash: string;
  case_id: string; status: ReceiptStatus; note: string | null; issued_at: number;
  unit_name: string; unit: DeviceInfo;
}
"#;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentInput {
    name: String,
    mime: String,
    #[serde(with = "serde_bytes_compat")]
    data: Vec<u8>,
}

/// `Uint8Array` in and out through serde-wasm-bindgen, which maps byte buffers to `Vec<u8>` as
/// sequences of numbers otherwise.
mod serde_bytes_compat {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        serde_bytes::ByteBuf::deserialize(d).map(|b| b.into_vec())
    }
}

#[derive(Serialize)]
struct Sealed<'a> {
    #[serde(with = "serde_bytes")]
    package: &'a [u8],
    report_id: &'a str,
    content_hash: &'a str,
    device_key_id: &'a str,
}

/// Like `to_js`, with byte buffers as `Uint8Array`s.
fn to_js_with_bytes<T: Serialize>(value: &T) -> JsValue {
    let serializer =
        serde_wasm_bindgen::Serializer::json_compatible().serialize_bytes_as_arrays(false);
    // Plain data: serialisation cannot fail.
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

pub(crate) fn sealed_to_js(package: &[u8], report: &SealedReport) -> JsValue {
    to_js_with_bytes(&Sealed {
        package,
        report_id: &report.report_id,
        content_hash: &report.content_hash,
        device_key_id: &report.device_key_id,
    })
}

fn invalid(message: &str) -> JsValue {
    js_error(ErrorKind::InvalidState, message.into())
}

/// Seals a case held by the page (no store) into a report package for `recipients`. With
/// `deviceSecret` (32 bytes the page keeps) the package is signed by that device key; without
/// it, by a fresh key used once (the receiver then sees a signer it does not know).
#[wasm_bindgen(js_name = sealReport, unchecked_return_type = "SealedPackage")]
pub fn seal_report(
    #[wasm_bindgen(unchecked_param_type = "StandaloneCase")] case: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AttachmentInput[]")] attachments: JsValue,
    recipients: Vec<String>,
    device_secret: Option<Vec<u8>>,
    armored: Option<bool>,
) -> Result<JsValue, JsValue> {
    // Through a JSON value: serde-wasm-bindgen reads only the fields a struct names, and an
    // unknown field (a typo such as `checklistId`) must be refused, not dropped.
    let case: StandaloneCase = serde_wasm_bindgen::from_value::<serde_json::Value>(case)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .ok_or_else(|| invalid("the case is not a StandaloneCase object (see the .d.ts)"))?;
    let attachments: Vec<AttachmentInput> = if attachments.is_undefined() || attachments.is_null() {
        Vec::new()
    } else {
        serde_wasm_bindgen::from_value(attachments)
            .map_err(|_| invalid("attachments are { name, mime, data: Uint8Array } objects"))?
    };
    let recipients = parse_recipients(&recipients).into_js()?;
    let key = match device_secret {
        Some(secret) => {
            DeviceKey::from_secret(&secret).ok_or_else(|| invalid("a device secret is 32 bytes"))?
        }
        None => DeviceKey::generate().into_js()?,
    };
    let inputs: Vec<StandaloneAttachment<'_>> = attachments
        .iter()
        .map(|a| StandaloneAttachment {
            name: &a.name,
            mime: &a.mime,
            data: &a.data,
        })
        .collect();
    let armor = Armor::ascii_if(armored.unwrap_or(false));
    let (package, report) = seal_standalone(&case, &inputs, &key, &recipients, armor).into_js()?;
    Ok(sealed_to_js(&package, &report))
}

#[derive(Serialize)]
struct Opened<'a> {
    manifest: &'a indicia_core::package::Manifest,
    #[serde(with = "serde_bytes")]
    manifest_bytes: &'a [u8],
    attachments: Vec<&'a serde_bytes::Bytes>,
    content_hash: &'a str,
}

/// Opens and verifies a report package (binary or armored) with a unit's identity text.
#[wasm_bindgen(js_name = openReport, unchecked_return_type = "OpenedReport")]
pub fn open_report(package: &[u8], identities: String) -> Result<JsValue, JsValue> {
    let identities = parse_identities(&SecretString::from(identities)).into_js()?;
    let opened = open_package_in_memory(package, &identities).into_js()?;
    Ok(to_js_with_bytes(&Opened {
        manifest: &opened.manifest,
        manifest_bytes: &opened.manifest_bytes,
        attachments: opened
            .attachments
            .iter()
            .map(|a| serde_bytes::Bytes::new(a))
            .collect(),
        content_hash: &opened.content_hash,
    }))
}

/// Decrypts a receipt (binary or armored) with identity text and verifies the signature of the
/// unit key it names. Whether that unit is one to believe is the caller's decision
/// (`CaseStore.importReceipt` checks it against the units the store knows).
#[wasm_bindgen(js_name = openReceipt, unchecked_return_type = "Receipt")]
pub fn open_receipt(receipt: &[u8], identities: String) -> Result<JsValue, JsValue> {
    let identities = parse_identities(&SecretString::from(identities)).into_js()?;
    let receipt = core_open_receipt(receipt, &identities).into_js()?;
    Ok(crate::checklist::to_js(&receipt))
}
