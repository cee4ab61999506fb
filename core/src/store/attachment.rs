//! Attachments (photos, documents) streamed in fixed-size sealed chunks: memory stays flat
//! whatever the file size, and each chunk reveals only that it is one chunk.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use super::{Store, StoreError};
use crate::hex;
use crate::vault::{random_bytes, ChunkWriter};

/// What the store knows about an attachment (sealed, in the case's attachment list).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct AttachmentInfo {
    /// Random id.
    pub id: String,
    /// File name as the worker gave it (personal data: stored sealed only).
    pub name: String,
    /// Media type, e.g. `image/jpeg`.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// Hex SHA-256 of the content (goes into report manifests).
    pub sha256: String,
    /// Number of chunks.
    pub chunks: u64,
}

impl Store {
    fn chunk_row(&self, attachment: &str, n: u64) -> Result<[u8; 32], StoreError> {
        self.row_key("chunk", &[attachment.as_bytes(), &n.to_be_bytes()])
    }

    fn attachment_list(&self, case: &str) -> Result<Vec<AttachmentInfo>, StoreError> {
        Ok(self
            .get(&self.row_key("attachments", &[case.as_bytes()])?)?
            .unwrap_or_default())
    }

    /// Streams `content` into the store as an attachment of draft case `case`, in one
    /// transaction (all chunks and the listing land together, or nothing does).
    pub fn add_attachment(
        &mut self,
        case: &str,
        name: &str,
        mime: &str,
        mut content: impl Read,
    ) -> Result<AttachmentInfo, StoreError> {
        if name.chars().count() > 500 || mime.chars().count() > 200 {
            return Err(StoreError::TooLarge);
        }
        let id = hex::encode(&random_bytes::<16>()?);
        self.atomically(|s| {
            let mut record = s.draft(case)?;
            let mut sink = ChunkWriter::new(&s.vault, 1, |n| s.chunk_row(&id, n));
            if let Err(e) = std::io::copy(&mut content, &mut sink) {
                return Err(sink.failed.take().unwrap_or_else(|| {
                    StoreError::Storage(format!("reading the attachment: {}", e.kind()))
                }));
            }
            let summary = sink.finish()?;
            let (size, chunks) = (summary.size, summary.chunks);
            let info = AttachmentInfo {
                id: id.clone(),
                name: name.to_owned(),
                mime: mime.to_owned(),
                size,
                sha256: summary.sha256,
                chunks,
            };
            let list_row = s.row_key("attachments", &[case.as_bytes()])?;
            let mut list = s.attachment_list(case)?;
            list.push(info.clone());
            s.put(&list_row, &list)?;
            s.log_event(&mut record, "attachment_added", &id)?;
            Ok(info)
        })
    }

    /// The attachments of a case.
    pub fn attachments(&self, case: &str) -> Result<Vec<AttachmentInfo>, StoreError> {
        self.record(case)?;
        self.attachment_list(case)
    }

    /// Streams an attachment to `out`, checking every chunk, the count, the size and the
    /// SHA-256; a missing, altered or reordered chunk is `Tampered`.
    pub fn read_attachment(
        &self,
        case: &str,
        attachment: &str,
        mut out: impl Write,
    ) -> Result<u64, StoreError> {
        let info = self
            .attachments(case)?
            .into_iter()
            .find(|a| a.id == attachment)
            .ok_or(StoreError::NotFound("attachment"))?;
        self.vault.read_chunks(
            |n| self.chunk_row(attachment, n),
            info.chunks,
            info.size,
            &info.sha256,
            &mut out,
            |e| StoreError::Storage(format!("writing the attachment: {}", e.kind())),
        )
    }

    pub(super) fn delete_attachments(&self, case: &str) -> Result<(), StoreError> {
        for info in self.attachment_list(case)? {
            for n in 0..info.chunks {
                self.delete(&self.chunk_row(&info.id, n)?)?;
            }
        }
        self.delete(&self.row_key("attachments", &[case.as_bytes()])?)
    }
}

crate::redacted_debug!(AttachmentInfo { id, size, chunks });
