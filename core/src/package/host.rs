//! What a host application hands in and gets back when it seals or opens a package in memory:
//! one definition for every binding (uniffi records, the TypeScript types of the wasm package).
//! Bytes serialise as byte strings (`serde_bytes`), so JavaScript sees `Uint8Array`s.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::{OpenedPackage, PackageError, SealedReport, StandaloneAttachment};

/// A sealed package and the ids a sender keeps to match a receipt later.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SealedPackage {
    /// The age file (binary, or ASCII-armored when asked for).
    #[serde(with = "serde_bytes")]
    #[cfg_attr(feature = "tsify", tsify(type = "Uint8Array"))]
    pub package: Vec<u8>,
    /// The package's report id.
    pub report_id: String,
    /// The manifest's content hash (`sha256:` + 64 hex digits): what a receipt names and what
    /// receivers de-duplicate on.
    pub content_hash: String,
    /// The signing device key's id (32 hex digits).
    pub device_key_id: String,
}

crate::redacted_debug!(SealedPackage {
    report_id,
    content_hash,
    device_key_id
});

impl SealedPackage {
    /// The package bytes with the ids sealing reported for them.
    pub fn new(package: Vec<u8>, report: SealedReport) -> SealedPackage {
        SealedPackage {
            package,
            report_id: report.report_id,
            content_hash: report.content_hash,
            device_key_id: report.device_key_id,
        }
    }
}

/// An attachment a host gives in memory (a photo, a document).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    /// File name, as the package's manifest will list it.
    pub name: String,
    /// Media type (e.g. `image/jpeg`).
    pub mime: String,
    /// Content.
    #[serde(with = "serde_bytes")]
    #[cfg_attr(feature = "tsify", tsify(type = "Uint8Array"))]
    pub data: Vec<u8>,
}

crate::redacted_debug!(AttachmentInput { mime });

impl AttachmentInput {
    /// A borrowed view for [`super::seal_standalone`].
    pub fn as_standalone(&self) -> StandaloneAttachment<'_> {
        StandaloneAttachment {
            name: &self.name,
            mime: &self.mime,
            data: &self.data,
        }
    }
}

/// A package opened and verified in memory (docs/formats/package.md, "Reading").
#[derive(Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct OpenedReport {
    /// The verified manifest (every field of docs/formats/package.md, "Manifest"); in a v2
    /// package each attachment's `sha256` is the trailer's verified digest.
    #[cfg_attr(feature = "tsify", tsify(type = "any"))]
    pub manifest: Value,
    /// The manifest exactly as signed (canonical JSON, RFC 8785).
    #[serde(with = "serde_bytes")]
    #[cfg_attr(feature = "tsify", tsify(type = "Uint8Array"))]
    pub manifest_bytes: Vec<u8>,
    /// The package's report id.
    pub report_id: String,
    /// The reporting organisation's id, as the sender wrote it (verified signature; whether the
    /// signer is trusted is the receiver's trust list's decision).
    pub organisation: String,
    /// The signing device key's id.
    pub device_key_id: String,
    /// What receivers de-duplicate on (`sha256:` + 64 hex digits).
    pub content_hash: String,
    /// Attachment contents in manifest order (their names and types are in the manifest).
    #[serde(serialize_with = "byte_strings")]
    #[cfg_attr(feature = "tsify", tsify(type = "Uint8Array[]"))]
    pub attachments: Vec<Vec<u8>>,
}

crate::redacted_debug!(OpenedReport {
    report_id,
    device_key_id,
    content_hash
});

impl TryFrom<OpenedPackage> for OpenedReport {
    type Error = PackageError;

    fn try_from(opened: OpenedPackage) -> Result<OpenedReport, PackageError> {
        // The signed bytes, not a re-encoding: what the host reads is what was verified.
        let mut manifest: Value = serde_json::from_slice(&opened.manifest_bytes)
            .map_err(|_| PackageError::Manifest("the manifest is not JSON"))?;
        // A v2 manifest lists no digests: they came in the trailer, which its signature
        // covers. They go where a v1 manifest has them, so hosts read one shape.
        if let Some(entries) = manifest["attachments"].as_array_mut() {
            for (entry, verified) in entries.iter_mut().zip(&opened.manifest.attachments) {
                if entry.get("sha256").is_none() {
                    entry["sha256"] = Value::String(verified.sha256.clone());
                }
            }
        }
        Ok(OpenedReport {
            manifest,
            report_id: opened.manifest.report_id.clone(),
            organisation: opened.manifest.organisation.clone(),
            device_key_id: opened.manifest.device.key_id.clone(),
            manifest_bytes: opened.manifest_bytes,
            content_hash: opened.content_hash,
            attachments: opened.attachments.iter().map(|a| a.to_vec()).collect(),
        })
    }
}

fn byte_strings<S: Serializer>(list: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list.iter().map(|a| serde_bytes::Bytes::new(a)))
}
