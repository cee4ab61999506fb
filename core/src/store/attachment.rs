//! Attachments (photos, documents) streamed in fixed-size sealed chunks: memory stays flat
//! whatever the file size, and each chunk reveals only that it is one chunk.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{crypto, Store, StoreError};

/// Plaintext bytes per chunk: with the 4-byte length prefix a chunk pads to exactly 64 KiB.
pub const CHUNK_BYTES: usize = 64 * 1024 - 4;

/// What the store knows about an attachment (sealed, in the case's attachment list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fills `buf` from `reader` as far as it goes; returns how much was read (0 at the end).
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, StoreError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(StoreError::Storage(format!(
                    "reading the attachment: {}",
                    e.kind()
                )))
            }
        }
    }
    Ok(filled)
}

impl Store {
    fn chunk_row(&self, attachment: &str, n: u64) -> Result<[u8; 32], StoreError> {
        self.keys()?
            .row_key("chunk", &[attachment.as_bytes(), &n.to_be_bytes()])
    }

    fn attachment_list(&self, case: &str) -> Result<Vec<AttachmentInfo>, StoreError> {
        Ok(self
            .get(&self.keys()?.row_key("attachments", &[case.as_bytes()])?)?
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
        let id = hex(&crypto::random_bytes::<16>()?);
        self.atomically(|s| {
            let mut record = s.draft(case)?;
            let mut hasher = Sha256::new();
            let mut buffer = Zeroizing::new(vec![0u8; CHUNK_BYTES]);
            let (mut size, mut chunks) = (0u64, 0u64);
            loop {
                let n = read_full(&mut content, &mut buffer)?;
                if n == 0 && chunks > 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                let row = s.chunk_row(&id, chunks)?;
                s.put_raw(&row, &buffer[..n])?;
                size += n as u64;
                chunks += 1;
                if n < CHUNK_BYTES {
                    break;
                }
            }
            let info = AttachmentInfo {
                id: id.clone(),
                name: name.to_owned(),
                mime: mime.to_owned(),
                size,
                sha256: hex(&hasher.finalize()),
                chunks,
            };
            let list_row = s.keys()?.row_key("attachments", &[case.as_bytes()])?;
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
        self.read_chunks(
            |n| self.chunk_row(attachment, n),
            info.chunks,
            info.size,
            &info.sha256,
            &mut out,
            |e| StoreError::Storage(format!("writing the attachment: {}", e.kind())),
        )
    }

    /// Streams `chunks` sealed chunks (row `row(n)`) to `out`, then checks the total against
    /// `size` and `sha256`: a missing, altered or reordered chunk is `Tampered`. Serves the
    /// store's attachments and the receiver's; each caller says what a failed write is.
    pub(crate) fn read_chunks<E: From<StoreError>>(
        &self,
        row: impl Fn(u64) -> Result<[u8; 32], StoreError>,
        chunks: u64,
        size: u64,
        sha256: &str,
        out: &mut impl Write,
        write_error: impl Fn(std::io::Error) -> E,
    ) -> Result<u64, E> {
        let mut hasher = Sha256::new();
        let mut written = 0u64;
        for n in 0..chunks {
            let chunk = self.get_raw(&row(n)?)?.ok_or(StoreError::Tampered)?;
            hasher.update(&chunk[..]);
            written += chunk.len() as u64;
            out.write_all(&chunk).map_err(&write_error)?;
        }
        if written != size || hex(&hasher.finalize()) != sha256 {
            return Err(StoreError::Tampered.into());
        }
        Ok(written)
    }

    pub(crate) fn delete_attachments(&self, case: &str) -> Result<(), StoreError> {
        for info in self.attachment_list(case)? {
            for n in 0..info.chunks {
                self.delete(&self.chunk_row(&info.id, n)?)?;
            }
        }
        self.delete(&self.keys()?.row_key("attachments", &[case.as_bytes()])?)
    }
}
