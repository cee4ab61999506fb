//! Report packages (docs/formats/package.md): a case sealed for the receiving units. The outer
//! layer is a standard age file to their X25519 recipients; inside, a container holds the
//! manifest (canonical JSON, signed with the device's Ed25519 key) and then the attachments,
//! whose sizes and SHA-256 the manifest lists. Written and read as streams: memory does not grow
//! with attachment size.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::package::{
//!     open_package_in_memory, seal_standalone, DeviceKey, StandaloneAttachment, StandaloneCase,
//!     UnitCard,
//! };
//! use indicia_core::{Armor, Identity};
//!
//! let (unit, device) = (Identity::generate(), DeviceKey::generate()?);
//! // The unit's signed card, as the unit hands it out (`indicia unit-card`): sealing goes to
//! // the recipient on a card whose signature verifies, never to a bare recipient string.
//! let card = UnitCard::signed("National unit", &unit.recipient().to_string(), &DeviceKey::generate()?)?;
//! let case = StandaloneCase {
//!     organisation: "sk.ngo-a".into(),
//!     title: "Harbour".into(),
//!     notes: vec!["met at the harbour".into()],
//!     ..StandaloneCase::default()
//! };
//! let photo = StandaloneAttachment { name: "photo.jpg", mime: "image/jpeg", data: &[7; 1000] };
//! let to = [card.to_json()];
//! let (package, report) = seal_standalone(&case, &[photo], &device, &to, Armor::Binary)?;
//!
//! // The unit opens it; the signature, sizes and digests are checked on the way.
//! let opened = open_package_in_memory(&package, &[unit])?;
//! assert_eq!(opened.manifest.report_id, report.report_id);
//! assert_eq!(opened.manifest.device.key_id, device.info().key_id);
//! assert_eq!(opened.manifest.case.notes[0].text, "met at the harbour");
//! assert_eq!(opened.attachments[0].as_slice(), &[7; 1000]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod device;
mod host;
mod manifest;
mod reader;
mod receipt;
mod standalone;
mod unit;
mod writer;

use std::io;

pub use device::{key_id, DeviceKey};
pub use host::{AttachmentInput, OpenedReport, SealedPackage};
pub use manifest::{
    AttachmentEntry, CaseContent, DeviceInfo, Manifest, NoteEntry, FORMAT, FORMAT_V1,
    MAX_ATTACHMENTS, MAX_TEXT_BYTES, MAX_TIME, MAX_TITLE_CHARS,
};
pub use reader::{
    open_package, open_package_in_memory, open_signed, read_container, verify_manifest,
    verify_signed, ClaimedSigner, OpenedPackage, PackageReader, SignedBytes, SignedContainer,
};
pub use receipt::{
    open_receipt, read_receipt, receipt_container, seal_receipt, Receipt, ReceiptStatus,
    MAX_RECEIPT_NOTE, RECEIPT_FORMAT, RECEIPT_MAGIC, RECEIPT_SIGNATURE_CONTEXT,
};
pub use standalone::{seal_standalone, StandaloneAttachment, StandaloneCase};
pub use unit::{
    UnitCard, UNIT_CARD_FORMAT, UNIT_CARD_FORMAT_V1, UNIT_CARD_SIGNATURE_CONTEXT,
    UNIT_FINGERPRINT_CONTEXT,
};
pub use writer::{
    seal_package_in_memory, seal_v1_package_in_memory, AttachmentWriter, PackageWriter,
};

#[cfg(feature = "store")]
pub(crate) use standalone::assess_builtin;

use crate::error::ErrorKind;
use crate::sealing::SealError;

/// First bytes of a v1 container inside the age file: a name and the container version (1).
pub const MAGIC: &[u8; 16] = b"INDICIA-PACKAGE\x01";
/// First bytes of a v2 container (what is written now): the same name, container version 2.
pub const MAGIC_V2: &[u8; 16] = b"INDICIA-PACKAGE\x02";
/// The largest manifest a reader accepts.
pub const MAX_MANIFEST_BYTES: usize = 16 * 1024 * 1024;
/// What the device signs in a v1 package: this context, then the canonical manifest bytes.
pub const SIGNATURE_CONTEXT: &[u8] = b"indicia-package/1 manifest\0";
/// The v2 header signature's context: this, the header bytes before the signature, then the
/// SHA-256 of the manifest (docs/formats/package.md, "Version 2").
pub const HEADER_SIGNATURE_CONTEXT: &[u8] = b"indicia-package/2 header\0";
/// The v2 trailer signature's context: this, the whole header (its signature included), the
/// SHA-256 of the manifest, then the attachments' SHA-256 digests in order. This one signature
/// covers everything in the package: it is what a receiver keeps as evidence.
pub const TRAILER_SIGNATURE_CONTEXT: &[u8] = b"indicia-package/2 package\0";

/// Why a package could not be made or opened. Messages never contain report content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackageError {
    /// The age layer failed (wrong identity, corrupt, truncated, unsupported, I/O).
    #[error(transparent)]
    Seal(#[from] SealError),
    /// The store failed while a case was being sealed.
    #[cfg(feature = "vault")]
    #[error(transparent)]
    Store(#[from] crate::vault::StoreError),
    /// The age file opened, but what it holds is not an Indicia package.
    #[error("not an Indicia report package")]
    NotAPackage,
    /// A package format this version does not read.
    #[error("unsupported package: {0}")]
    Unsupported(&'static str),
    /// The container ends before the manifest, signature or an attachment is complete.
    #[error("the package ends early (inside the {0})")]
    Truncated(&'static str),
    /// The age file opened, but what it holds is not an Indicia receipt.
    #[error("not an Indicia receipt")]
    NotAReceipt,
    /// A receipt is malformed.
    #[error("malformed receipt: {0}")]
    Receipt(&'static str),
    /// A unit card is malformed.
    #[error("malformed unit card: {0}")]
    UnitCard(&'static str),
    /// An unsigned (v1) unit card offered for import: only signed cards are imported anew.
    #[error(
        "an unsigned unit card (indicia-unit/1): ask the unit for a signed card \
         (indicia-unit/2, from `indicia unit-card` of this version)"
    )]
    UnsignedUnitCard,
    /// A unit card's signature does not verify with the key the card names: the card was
    /// altered after the unit signed it, or was never signed by that key.
    #[error("the unit card's signature does not verify: the card was altered or forged")]
    BadUnitCardSignature,
    /// The manifest is malformed.
    #[error("malformed manifest: {0}")]
    Manifest(&'static str),
    /// A v2 container's binary header or trailer is malformed (out of range, or not what the
    /// manifest says).
    #[error("malformed package header: {0}")]
    Header(&'static str),
    /// The device signature does not verify: the manifest was not signed by the key it names.
    #[error("the device signature does not verify")]
    BadSignature,
    /// The checklist publisher's signature the manifest carries does not verify over the
    /// checklist's id, version and content hash (docs/formats/signed-checklist.md).
    #[error("the checklist publisher's signature in the manifest does not verify")]
    BadChecklistSignature,
    /// The signature verifies, but the key is not one the reader trusts (unknown, revoked, or
    /// trusted for another organisation).
    #[error("untrusted signer: {0}")]
    UntrustedSigner(&'static str),
    /// A receipt that does not fit the case it names (another report, or other content).
    #[error("the receipt does not match: {0}")]
    ReceiptMismatch(&'static str),
    /// An attachment does not match its manifest entry.
    #[error("attachment {index} does not match the manifest ({what})")]
    AttachmentMismatch {
        /// 0-based position in the manifest.
        index: usize,
        /// size or sha256.
        what: &'static str,
    },
    /// Bytes follow the last attachment.
    #[error("data after the last attachment")]
    TrailingData,
    /// No built-in checklist has the given id.
    #[error("no built-in checklist has that id")]
    UnknownChecklist,
    /// The answers do not fit the checklist they are said to belong to.
    #[error("the answers do not fit the checklist")]
    InvalidAnswers,
    /// Sealing was asked for with input that cannot make a valid package.
    #[error("cannot seal: {0}")]
    InvalidInput(&'static str),
    /// The OS random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// Reading or writing a host stream failed.
    #[error("i/o error: {0:?}")]
    Io(io::ErrorKind),
}

impl PackageError {
    /// The host-visible classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            PackageError::Seal(e) => e.kind(),
            #[cfg(feature = "vault")]
            PackageError::Store(e) => e.kind(),
            PackageError::NotAPackage
            | PackageError::NotAReceipt
            | PackageError::Receipt(_)
            | PackageError::UnitCard(_)
            | PackageError::Manifest(_)
            | PackageError::Header(_)
            | PackageError::AttachmentMismatch { .. }
            | PackageError::TrailingData => ErrorKind::CorruptInput,
            PackageError::BadSignature
            | PackageError::BadUnitCardSignature
            | PackageError::BadChecklistSignature => ErrorKind::BadSignature,
            PackageError::UntrustedSigner(_) => ErrorKind::UntrustedSigner,
            PackageError::ReceiptMismatch(_) => ErrorKind::InvalidState,
            PackageError::Unsupported(_) | PackageError::UnsignedUnitCard => {
                ErrorKind::UnsupportedInput
            }
            PackageError::Truncated(_) => ErrorKind::TruncatedInput,
            PackageError::InvalidInput(_) => ErrorKind::InvalidState,
            PackageError::InvalidAnswers => ErrorKind::InvalidAnswer,
            PackageError::UnknownChecklist => ErrorKind::UnknownChecklist,
            PackageError::Io(_) => ErrorKind::Io,
            // The same kind as the store's random failure: the platform, not a stream, failed.
            PackageError::Random => ErrorKind::StoreFailure,
        }
    }
}

/// What sealing produced: the ids a sender keeps to match a receipt later.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SealedReport {
    /// The package's report id.
    pub report_id: String,
    /// The manifest's content hash (what receivers de-duplicate on).
    pub content_hash: String,
    /// The signing device key's id.
    pub device_key_id: String,
}

impl SealedReport {
    pub(crate) fn of(manifest: &Manifest) -> Result<SealedReport, PackageError> {
        Ok(SealedReport {
            report_id: manifest.report_id.clone(),
            content_hash: manifest.content_hash()?,
            device_key_id: manifest.device.key_id.clone(),
        })
    }
}
