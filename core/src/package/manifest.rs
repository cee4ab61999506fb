//! The signed manifest of a report package (docs/formats/package.md): what the report says, and
//! the size and SHA-256 of every attachment that follows it. Encoded canonically (RFC 8785, JSON
//! Canonicalization Scheme) so that one manifest has exactly one byte form: the form that is
//! signed, hashed and compared.

use crate::hex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::PackageError;
use crate::checklist::ChecklistRef;
use crate::custody::CustodyEvent;

/// The value of `format` in the manifest of a package written now (container v2). Its checklist
/// may name the checklist's publisher (`checklist.publisher`: docs/formats/signed-checklist.md).
pub const FORMAT: &str = "indicia-package/2";

/// The value of `format` in a v1 manifest (container v1; read, no longer written). Its checklist
/// names no publisher.
pub const FORMAT_V1: &str = "indicia-package/1";

/// The latest time a manifest may carry, Unix seconds: 9999-12-31T23:59:59Z, the end of the
/// four-digit years RFC 3339 can write (docs/formats/package.md, "Manifest"). Times are never
/// negative.
pub const MAX_TIME: i64 = 253_402_300_799;

/// The longest case title a manifest may carry, in characters (as the store and standalone
/// sealing allow).
pub const MAX_TITLE_CHARS: usize = 500;

/// The longest note, or text answer, a manifest may carry, in bytes: what a receiver reads,
/// prints and extracts selectors from is bounded per field (docs/formats/package.md).
pub const MAX_TEXT_BYTES: usize = 100_000;

/// A report package's manifest.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`FORMAT`] (what is written), or [`FORMAT_V1`] in a package read from a v1 container.
    pub format: String,
    /// Random id of this report (32 hex digits); a receiver counts a report id once.
    pub report_id: String,
    /// When the package was sealed, Unix seconds.
    pub sealed_at: i64,
    /// The reporting organisation's id, as agreed with the receiver (e.g. `sk.example-ngo`).
    pub organisation: String,
    /// age recipients (`age1…`) a receipt for this report is encrypted to; may be empty.
    pub reply_to: Vec<String>,
    /// The device key that signed this manifest.
    pub device: DeviceInfo,
    /// What the worker recorded.
    pub case: CaseContent,
    /// The checklist the answers belong to, if any.
    pub checklist: Option<ChecklistRef>,
    /// The assessment computed on the device (the core's assessment in its JSON form), if the
    /// checklist was available there.
    pub assessment: Option<Value>,
    /// The attachments that follow the manifest, in this order.
    pub attachments: Vec<AttachmentEntry>,
    /// The case's custody log up to sealing (hash-chained; docs/formats/store.md).
    pub custody: Vec<CustodyEvent>,
}

/// The signing device's public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct DeviceInfo {
    /// Ed25519 public key, 64 hex digits.
    pub public_key: String,
    /// First 16 bytes of SHA-256 of the public key, 32 hex digits: what receivers list and trust.
    pub key_id: String,
}

/// The case as recorded.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseContent {
    /// The device's case id (lets a receiver link updates of one case, and the receipt find it).
    pub case_id: String,
    /// The worker's title.
    pub title: String,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds of the last change before sealing.
    pub updated: i64,
    /// Answers by question id, in their JSON form (docs/formats/checklist.md).
    pub answers: serde_json::Map<String, Value>,
    /// The worker's notes, oldest first.
    pub notes: Vec<NoteEntry>,
}

/// One note.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteEntry {
    /// Text.
    pub text: String,
    /// Unix seconds.
    pub created: i64,
}

/// One attachment's description; its bytes follow the manifest.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttachmentEntry {
    /// File name as the worker gave it.
    pub name: String,
    /// Media type.
    pub mime: String,
    /// Exact size in bytes.
    pub size: u64,
    /// SHA-256 of the content, 64 lowercase hex digits. A v2 manifest does not carry it (the
    /// digests follow the attachments, in the package's trailer): it is empty in a v2 manifest
    /// until the reader has checked the trailer, and left out of its JSON.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
}

/// Limits a receiver applies before trusting anything in a manifest.
pub const MAX_ATTACHMENTS: usize = 1000;

impl Manifest {
    /// The canonical bytes (RFC 8785): what is signed and what travels.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, PackageError> {
        serde_jcs::to_vec(self).map_err(|_| PackageError::Manifest("cannot be encoded"))
    }

    /// Parses manifest bytes, accepting only the canonical form of a well-formed v1 manifest
    /// (so one manifest has one encoding: no reordered keys, spaces, duplicate keys or escapes
    /// that would change its hash without changing its meaning).
    pub fn from_canonical(bytes: &[u8]) -> Result<Manifest, PackageError> {
        Self::from_parsed(bytes, Self::parse_json(bytes)?)
    }

    /// The manifest bytes as JSON, unchecked (a reader first verifies the signature with the
    /// key it names, then calls [`Manifest::from_parsed`] with the same value).
    pub(crate) fn parse_json(bytes: &[u8]) -> Result<Value, PackageError> {
        serde_json::from_slice(bytes).map_err(|_| PackageError::Manifest("not valid JSON"))
    }

    /// [`Manifest::from_canonical`] for bytes already parsed into `value`.
    pub(crate) fn from_parsed(bytes: &[u8], value: Value) -> Result<Manifest, PackageError> {
        let canonical =
            serde_jcs::to_vec(&value).map_err(|_| PackageError::Manifest("not valid JSON"))?;
        if canonical != bytes {
            return Err(PackageError::Manifest("not in canonical form (RFC 8785)"));
        }
        let manifest: Manifest = serde_json::from_value(value)
            .map_err(|_| PackageError::Manifest("missing, unknown or mistyped fields"))?;
        manifest.check()?;
        Ok(manifest)
    }

    /// Checks what the types cannot: format, id shapes, hex digests, limits.
    pub fn check(&self) -> Result<(), PackageError> {
        if self.format != FORMAT && self.format != FORMAT_V1 {
            return Err(PackageError::Unsupported("manifest format"));
        }
        let has_publisher = self
            .checklist
            .as_ref()
            .is_some_and(|c| c.publisher.is_some());
        if self.format == FORMAT_V1 && has_publisher {
            return Err(PackageError::Manifest(
                "a checklist publisher needs format indicia-package/2",
            ));
        }
        if let Some(c) = &self.checklist {
            if let Some(publisher) = &c.publisher {
                // The device vouches for the report; the publisher's own signature vouches for
                // the checklist it names, checked here by every reader and by the writer.
                publisher
                    .verify(&c.id, &c.version, &c.hash)
                    .map_err(|e| match e {
                        crate::checklist::ChecklistError::BadSignature => {
                            PackageError::BadChecklistSignature
                        }
                        _ => PackageError::Manifest("malformed checklist publisher"),
                    })?;
            }
        }
        if !hex::is_hex(&self.report_id, 32) {
            return Err(PackageError::Manifest("report_id is not 32 hex digits"));
        }
        if !hex::is_hex(&self.device.public_key, 64) || !hex::is_hex(&self.device.key_id, 32) {
            return Err(PackageError::Manifest(
                "device key is not hex of the right length",
            ));
        }
        if self.organisation.trim().is_empty() || self.organisation.chars().count() > 200 {
            return Err(PackageError::Manifest("organisation is empty or too long"));
        }
        // A receipt is encrypted to these: one that cannot be parsed would be found out only
        // when the unit answers, too late to ask the device again.
        if self.reply_to.len() > 20 || crate::keys::parse_recipients(&self.reply_to).is_err() {
            return Err(PackageError::Manifest(
                "reply_to holds more than 20 entries or one that is not an age1… recipient",
            ));
        }
        if self.attachments.len() > MAX_ATTACHMENTS {
            return Err(PackageError::Manifest("too many attachments"));
        }
        let long_answer = |v: &Value| match v {
            Value::String(text) => text.len() > MAX_TEXT_BYTES,
            Value::Array(items) => items
                .iter()
                .any(|i| i.as_str().is_some_and(|t| t.len() > MAX_TEXT_BYTES)),
            _ => false,
        };
        if self.case.title.chars().count() > MAX_TITLE_CHARS
            || self
                .case
                .notes
                .iter()
                .any(|n| n.text.len() > MAX_TEXT_BYTES)
            || self.case.answers.values().any(long_answer)
        {
            return Err(PackageError::Manifest(
                "a title, note or answer is longer than a package may carry",
            ));
        }
        let times = [self.sealed_at, self.case.created, self.case.updated]
            .into_iter()
            .chain(self.case.notes.iter().map(|n| n.created))
            .chain(self.custody.iter().map(|e| e.at));
        if times.into_iter().any(|t| !(0..=MAX_TIME).contains(&t)) {
            // A stolen device can write any number: no receiver output may have to print it.
            return Err(PackageError::Manifest(
                "a time is before 1970 or after 9999-12-31T23:59:59Z",
            ));
        }
        // A v2 manifest's digests are not known until its trailer is read (empty until then).
        let unknown_ok = self.format == FORMAT;
        if self
            .attachments
            .iter()
            .any(|a| !(hex::is_hex(&a.sha256, 64) || (unknown_ok && a.sha256.is_empty())))
        {
            return Err(PackageError::Manifest(
                "an attachment digest is not 64 hex digits",
            ));
        }
        Ok(())
    }

    /// The content hash a receiver de-duplicates on: SHA-256 over the canonical JSON of what the
    /// report says (case, checklist, attachments), leaving out the report id, the sealing time,
    /// the device and the custody log. The same case sealed twice has one content hash.
    /// For a v2 manifest whose trailer was not read yet (digests unknown) it is an error: a
    /// hash without the digests would not be the report's.
    pub fn content_hash(&self) -> Result<String, PackageError> {
        if self.attachments.iter().any(|a| a.sha256.is_empty()) {
            return Err(PackageError::InvalidInput(
                "the attachments' digests are not known yet",
            ));
        }
        #[derive(Serialize)]
        struct Content<'a> {
            case: &'a CaseContent,
            checklist: &'a Option<ChecklistRef>,
            organisation: &'a str,
            attachments: &'a [AttachmentEntry],
        }
        let bytes = serde_jcs::to_vec(&Content {
            case: &self.case,
            checklist: &self.checklist,
            organisation: &self.organisation,
            attachments: &self.attachments,
        })
        .map_err(|_| PackageError::Manifest("cannot be encoded"))?;
        Ok(hex::encode(&Sha256::digest(&bytes)))
    }
}

crate::redacted_debug!(Manifest {
    report_id,
    sealed_at
});

crate::redacted_debug!(CaseContent {
    case_id,
    created,
    updated
});

crate::redacted_debug!(NoteEntry { created });

crate::redacted_debug!(AttachmentEntry { size, sha256 });
