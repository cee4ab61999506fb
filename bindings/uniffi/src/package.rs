//! Report packages (docs/formats/package.md) for Kotlin, Swift and Python: sealing a case from
//! the store or one held by the app, and opening and verifying a package (analysts' scripts).

use indicia_core::package::{
    open_package_in_memory, open_receipt as core_open_receipt, seal_standalone, DeviceInfo,
    DeviceKey, Receipt, SealedReport, StandaloneAttachment, StandaloneCase, UnitCard,
};
use indicia_core::{parse_identities, parse_recipients, Armor};
use secrecy::SecretString;

use crate::IndiciaError;

/// A sealed package and the ids to keep for matching a receipt later.
#[derive(uniffi::Record)]
pub struct SealedPackage {
    /// The age file.
    pub package: Vec<u8>,
    pub report_id: String,
    pub content_hash: String,
    pub device_key_id: String,
}

/// The ids of a package written to a file.
#[derive(uniffi::Record)]
pub struct SealedReportInfo {
    pub report_id: String,
    pub content_hash: String,
    pub device_key_id: String,
}

impl From<SealedReport> for SealedReportInfo {
    fn from(r: SealedReport) -> Self {
        SealedReportInfo {
            report_id: r.report_id,
            content_hash: r.content_hash,
            device_key_id: r.device_key_id,
        }
    }
}

pub(crate) fn sealed(package: Vec<u8>, report: SealedReport) -> SealedPackage {
    SealedPackage {
        package,
        report_id: report.report_id,
        content_hash: report.content_hash,
        device_key_id: report.device_key_id,
    }
}

/// A device signing key's public half.
#[derive(uniffi::Record)]
pub struct DeviceIdentity {
    /// Ed25519 public key, 64 hex digits.
    pub public_key: String,
    /// What receivers list and trust, 32 hex digits.
    pub key_id: String,
}

impl From<DeviceInfo> for DeviceIdentity {
    fn from(d: DeviceInfo) -> Self {
        DeviceIdentity {
            public_key: d.public_key,
            key_id: d.key_id,
        }
    }
}

/// A receiving unit's card (docs/formats/receipt.md): where reports go and whose receipts to
/// believe.
#[derive(uniffi::Record)]
pub struct UnitCardInfo {
    /// The unit's name.
    pub name: String,
    /// The age recipient (`age1…`) reports are sealed to.
    pub recipient: String,
    /// The key the unit signs receipts with.
    pub signing_key: DeviceIdentity,
    /// The card as JSON, as `add_unit` takes it.
    pub card_json: String,
}

impl From<UnitCard> for UnitCardInfo {
    fn from(card: UnitCard) -> Self {
        UnitCardInfo {
            card_json: card.to_json(),
            name: card.name,
            recipient: card.recipient,
            signing_key: card.signing_key.into(),
        }
    }
}

/// A receipt as the unit signed it (docs/formats/receipt.md).
#[derive(uniffi::Record)]
pub struct ReceiptInfo {
    pub receipt_id: String,
    /// The report it answers.
    pub report_id: String,
    /// The report's content hash: the receipt is for exactly what was sealed.
    pub content_hash: String,
    /// The device's case id, from the report.
    pub case_id: String,
    /// received, investigating, referred or closed.
    pub status: String,
    pub note: Option<String>,
    /// Unix seconds.
    pub issued_at: i64,
    /// The unit's name, as it calls itself.
    pub unit_name: String,
    /// The unit's signing key (verified to have signed the receipt, not checked for trust).
    pub unit: DeviceIdentity,
}

impl From<Receipt> for ReceiptInfo {
    fn from(r: Receipt) -> Self {
        ReceiptInfo {
            receipt_id: r.receipt_id,
            report_id: r.report_id,
            content_hash: r.content_hash,
            case_id: r.case_id,
            status: r.status.as_str().to_owned(),
            note: r.note,
            issued_at: r.issued_at,
            unit_name: r.unit_name,
            unit: r.unit.into(),
        }
    }
}

/// An attachment given in memory.
#[derive(uniffi::Record)]
pub struct AttachmentInput {
    pub name: String,
    pub mime: String,
    pub data: Vec<u8>,
}

/// A verified package.
#[derive(uniffi::Record)]
pub struct OpenedReport {
    /// The manifest exactly as signed (canonical JSON): parse it for every field.
    pub manifest_json: String,
    pub report_id: String,
    pub organisation: String,
    pub device_key_id: String,
    /// What receivers de-duplicate on.
    pub content_hash: String,
    /// Attachment contents in manifest order (their names and types are in the manifest).
    pub attachments: Vec<Vec<u8>>,
}

/// Seals a case held by the app (no store). `case_json` is a StandaloneCase object
/// (`organisation`, `title`, `answers`, `notes`, `checklist_id`, `reply_to`); `device_secret`:
/// 32 bytes of a device key the app keeps, or none for a key used once.
#[uniffi::export]
pub fn seal_report(
    case_json: String,
    attachments: Vec<AttachmentInput>,
    recipients: Vec<String>,
    device_secret: Option<Vec<u8>>,
    armored: bool,
) -> Result<SealedPackage, IndiciaError> {
    let case: StandaloneCase = serde_json::from_str(&case_json).map_err(|_| {
        IndiciaError::InvalidState("the case is not a StandaloneCase JSON object".into())
    })?;
    let recipients = parse_recipients(&recipients)?;
    let key = match device_secret {
        Some(secret) => DeviceKey::from_secret(&secret)
            .ok_or_else(|| IndiciaError::InvalidState("a device secret is 32 bytes".into()))?,
        None => DeviceKey::generate()?,
    };
    let inputs: Vec<StandaloneAttachment<'_>> = attachments
        .iter()
        .map(|a| StandaloneAttachment {
            name: &a.name,
            mime: &a.mime,
            data: &a.data,
        })
        .collect();
    let (package, report) =
        seal_standalone(&case, &inputs, &key, &recipients, Armor::ascii_if(armored))?;
    Ok(sealed(package, report))
}

/// Opens and verifies a package (binary or armored) with an identity string or file text.
#[uniffi::export]
pub fn open_report(package: Vec<u8>, identity: String) -> Result<OpenedReport, IndiciaError> {
    let identities = parse_identities(&SecretString::from(identity))?;
    let opened = open_package_in_memory(&package, &identities)?;
    Ok(OpenedReport {
        manifest_json: String::from_utf8_lossy(&opened.manifest_bytes).into_owned(),
        report_id: opened.manifest.report_id.clone(),
        organisation: opened.manifest.organisation.clone(),
        device_key_id: opened.manifest.device.key_id.clone(),
        content_hash: opened.content_hash,
        attachments: opened.attachments.iter().map(|a| a.to_vec()).collect(),
    })
}

/// Decrypts a receipt (binary or armored) with an identity string or file text and verifies the
/// signature of the unit key it names. Whether that unit is one to believe is the caller's
/// decision (`CaseStore.import_receipt` checks it against the units the store knows).
#[uniffi::export]
pub fn open_receipt(receipt: Vec<u8>, identity: String) -> Result<ReceiptInfo, IndiciaError> {
    let identities = parse_identities(&SecretString::from(identity))?;
    Ok(core_open_receipt(&receipt, &identities)?.into())
}
