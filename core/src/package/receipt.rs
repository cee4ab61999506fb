//! Receipts (docs/formats/receipt.md): the receiving unit's signed word on what became of a
//! report, age-encrypted to the reporting side's `reply_to` recipients. Inside the age layer:
//! magic, a 4-byte big-endian length, the receipt as canonical JSON (RFC 8785), and the unit's
//! Ed25519 signature over a context string and those bytes — the package container's shape,
//! without attachments.

use serde::{Deserialize, Serialize};

use super::device::{key_id_from_hex, verify, DeviceKey};
use super::manifest::{DeviceInfo, Manifest};
use super::PackageError;
use crate::hex;
use crate::keys::{Identity, Recipient};
use crate::sealing::{self, Armor};

/// First bytes of a receipt inside its age file: a name and the container version (1).
pub const RECEIPT_MAGIC: &[u8; 16] = b"INDICIA-RECEIPT\x01";
/// The value of `format` in every v1 receipt.
pub const RECEIPT_FORMAT: &str = "indicia-receipt/1";
/// What the unit signs: this context, then the canonical receipt bytes.
pub const RECEIPT_SIGNATURE_CONTEXT: &[u8] = b"indicia-receipt/1 receipt\0";
/// The longest receipt (canonical JSON) a reader accepts.
pub const MAX_RECEIPT_BYTES: usize = 64 * 1024;
/// The longest note a receipt carries, in characters.
pub const MAX_RECEIPT_NOTE: usize = 4000;

/// What the receiving unit did with a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum ReceiptStatus {
    /// The report arrived and verified.
    Received,
    /// The unit is acting on it.
    Investigating,
    /// Passed on to another authority or service.
    Referred,
    /// Nothing further will happen with it.
    Closed,
}

impl ReceiptStatus {
    /// Every status, in the order a report moves through them.
    pub const ALL: [ReceiptStatus; 4] = [
        ReceiptStatus::Received,
        ReceiptStatus::Investigating,
        ReceiptStatus::Referred,
        ReceiptStatus::Closed,
    ];

    /// The JSON and command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptStatus::Received => "received",
            ReceiptStatus::Investigating => "investigating",
            ReceiptStatus::Referred => "referred",
            ReceiptStatus::Closed => "closed",
        }
    }
}

impl std::str::FromStr for ReceiptStatus {
    type Err = PackageError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReceiptStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or(PackageError::InvalidInput(
                "a receipt status is received, investigating, referred or closed",
            ))
    }
}

/// A receipt for one report.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Receipt {
    /// Always [`RECEIPT_FORMAT`].
    pub format: String,
    /// Random id of this receipt (32 hex digits); a device imports a receipt id once.
    pub receipt_id: String,
    /// The report it answers.
    pub report_id: String,
    /// The report's content hash: the receipt is for exactly what was sealed.
    pub content_hash: String,
    /// The device's case id, from the report (lets the device find the case).
    pub case_id: String,
    /// Status.
    pub status: ReceiptStatus,
    /// A short message for the reporting organisation, if any.
    pub note: Option<String>,
    /// Unix seconds.
    pub issued_at: i64,
    /// The receiving unit's name, as it calls itself.
    pub unit_name: String,
    /// The unit's signing key.
    pub unit: DeviceInfo,
}

impl Receipt {
    /// A receipt for the report with `manifest`, from the unit holding `key`.
    pub fn for_report(
        manifest: &Manifest,
        status: ReceiptStatus,
        note: Option<String>,
        unit_name: &str,
        key: &DeviceKey,
    ) -> Result<Receipt, PackageError> {
        let mut id = [0u8; 16];
        getrandom::getrandom(&mut id).map_err(|_| PackageError::Random)?;
        let receipt = Receipt {
            format: RECEIPT_FORMAT.into(),
            receipt_id: hex::encode(&id),
            report_id: manifest.report_id.clone(),
            content_hash: manifest.content_hash()?,
            case_id: manifest.case.case_id.clone(),
            status,
            note: note.filter(|n| !n.trim().is_empty()),
            issued_at: crate::clock::now(),
            unit_name: unit_name.to_owned(),
            unit: key.info(),
        };
        receipt.check().map_err(|e| match e {
            PackageError::Receipt(what) => PackageError::InvalidInput(what),
            other => other,
        })?;
        Ok(receipt)
    }

    /// Checks what the types cannot: format, id shapes, lengths.
    pub fn check(&self) -> Result<(), PackageError> {
        if self.format != RECEIPT_FORMAT {
            return Err(PackageError::Unsupported("receipt format"));
        }
        if !hex::is_hex(&self.receipt_id, 32) || !hex::is_hex(&self.report_id, 32) {
            return Err(PackageError::Receipt(
                "receipt or report id is not 32 hex digits",
            ));
        }
        if !hex::is_hex(&self.content_hash, 64) {
            return Err(PackageError::Receipt("content hash is not 64 hex digits"));
        }
        if self.case_id.is_empty() || self.case_id.len() > 200 {
            return Err(PackageError::Receipt("case id is empty or too long"));
        }
        if self.unit_name.trim().is_empty() || self.unit_name.chars().count() > 200 {
            return Err(PackageError::Receipt("unit name is empty or too long"));
        }
        if self
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_RECEIPT_NOTE)
        {
            return Err(PackageError::Receipt("note is longer than 4000 characters"));
        }
        if !hex::is_hex(&self.unit.public_key, 64)
            || self.unit.key_id != key_id_from_hex(&self.unit.public_key)
        {
            return Err(PackageError::Receipt(
                "unit key id does not match the public key",
            ));
        }
        Ok(())
    }
}

/// The receipt container (magic, length, canonical receipt, signature), unencrypted.
pub fn receipt_container(receipt: &Receipt, key: &DeviceKey) -> Result<Vec<u8>, PackageError> {
    if receipt.unit != key.info() {
        return Err(PackageError::InvalidInput(
            "the receipt names another unit key",
        ));
    }
    let bytes =
        serde_jcs::to_vec(receipt).map_err(|_| PackageError::Receipt("cannot be encoded"))?;
    let signature = key.sign(&[RECEIPT_SIGNATURE_CONTEXT, &bytes].concat());
    let mut out = Vec::with_capacity(16 + 4 + bytes.len() + 64);
    out.extend_from_slice(RECEIPT_MAGIC);
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(&bytes);
    out.extend_from_slice(&signature);
    Ok(out)
}

/// Signs `receipt` with the unit's `key` and encrypts it to `recipients` (the report's
/// `reply_to`).
pub fn seal_receipt(
    receipt: &Receipt,
    key: &DeviceKey,
    recipients: &[Recipient],
    armor: Armor,
) -> Result<Vec<u8>, PackageError> {
    let container = zeroize::Zeroizing::new(receipt_container(receipt, key)?);
    Ok(sealing::seal(&container, recipients, armor)?)
}

/// Reads a decrypted receipt container: structure, canonical form, fields and the signature by
/// the key the receipt names. Whether that key is a trusted unit is the caller's decision.
pub fn read_receipt(container: &[u8]) -> Result<Receipt, PackageError> {
    let rest = container
        .strip_prefix(&RECEIPT_MAGIC[..15])
        .ok_or(PackageError::NotAReceipt)?;
    let (version, rest) = rest
        .split_first()
        .ok_or(PackageError::Truncated("container header"))?;
    if *version != RECEIPT_MAGIC[15] {
        return Err(PackageError::Unsupported("receipt container version"));
    }
    let length: [u8; 4] = rest
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or(PackageError::Truncated("container header"))?;
    let length = u32::from_be_bytes(length) as usize;
    if length == 0 || length > MAX_RECEIPT_BYTES {
        return Err(PackageError::Receipt("receipt length out of range"));
    }
    let rest = &rest[4..];
    let bytes = rest
        .get(..length)
        .ok_or(PackageError::Truncated("receipt"))?;
    let signature: [u8; 64] = rest
        .get(length..length + 64)
        .and_then(|b| b.try_into().ok())
        .ok_or(PackageError::Truncated("signature"))?;
    if rest.len() > length + 64 {
        return Err(PackageError::TrailingData);
    }
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| PackageError::Receipt("receipt is not valid JSON"))?;
    let public_key = value
        .pointer("/unit/public_key")
        .and_then(serde_json::Value::as_str)
        .ok_or(PackageError::Receipt("no unit public key"))?;
    if !verify(
        public_key,
        &[RECEIPT_SIGNATURE_CONTEXT, bytes].concat(),
        &signature,
    ) {
        return Err(PackageError::BadSignature);
    }
    let canonical =
        serde_jcs::to_vec(&value).map_err(|_| PackageError::Receipt("not valid JSON"))?;
    if canonical != bytes {
        return Err(PackageError::Receipt("not in canonical form (RFC 8785)"));
    }
    let receipt: Receipt = serde_json::from_value(value)
        .map_err(|_| PackageError::Receipt("missing, unknown or mistyped receipt fields"))?;
    receipt.check()?;
    Ok(receipt)
}

/// Decrypts a receipt with `identities` and reads it ([`read_receipt`]).
pub fn open_receipt(sealed: &[u8], identities: &[Identity]) -> Result<Receipt, PackageError> {
    let container = sealing::open(sealed, identities)?;
    read_receipt(&container)
}

crate::redacted_debug!(Receipt {
    receipt_id,
    report_id,
    status,
    issued_at
});
