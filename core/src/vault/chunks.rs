//! Chunked blobs: large content (attachments) as fixed-size sealed rows, written and read as
//! streams, so memory stays flat whatever the size and each row reveals only that it is one
//! chunk. The client names each chunk's row key; the vault seals, versions and checks them.

use std::io::Write;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::crypto::KEY_LEN;
use super::{StoreError, Vault};
use crate::hex::encode;

/// Plaintext bytes per chunk: with the 4-byte length prefix a chunk pads to exactly 64 KiB.
pub const CHUNK_BYTES: usize = 64 * 1024 - 4;

/// A stream into consecutive chunk rows `row(0)`, `row(1)`, …; use inside a transaction.
/// [`ChunkWriter::finish`] seals the last, partial chunk and gives the chunk count, size and
/// SHA-256. An empty blob is `min_chunks` empty chunks (0 or 1, as the client's format says).
pub(crate) struct ChunkWriter<'a, R: Fn(u64) -> Result<[u8; KEY_LEN], StoreError>> {
    vault: &'a Vault,
    row: R,
    /// Allocated at the first write, at most one chunk: a small attachment costs no 64 KiB
    /// allocation, and zeroing, of its own.
    buffer: Zeroizing<Vec<u8>>,
    /// The buffer's first capacity ([`ChunkWriter::expecting`]).
    first_capacity: usize,
    /// Whether the chunk rows are known to be new ([`ChunkWriter::new_rows`]).
    new_rows: bool,
    hasher: Sha256,
    chunks: u64,
    size: u64,
    min_chunks: u64,
    /// The vault error behind a failed `write` (io::Error cannot carry it).
    pub failed: Option<StoreError>,
}

/// What a finished chunk stream holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChunkSummary {
    pub chunks: u64,
    pub size: u64,
    pub sha256: String,
}

impl<'a, R: Fn(u64) -> Result<[u8; KEY_LEN], StoreError>> ChunkWriter<'a, R> {
    pub(crate) fn new(vault: &'a Vault, min_chunks: u64, row: R) -> Self {
        ChunkWriter {
            vault,
            row,
            buffer: Zeroizing::new(Vec::new()),
            first_capacity: CHUNK_BYTES,
            new_rows: false,
            hasher: Sha256::new(),
            chunks: 0,
            size: 0,
            min_chunks,
            failed: None,
        }
    }

    /// Sizes the buffer for a blob of `size` bytes (a chunk at most). More bytes than that are
    /// still taken: the buffer then moves to a full chunk's size, the old one zeroized.
    #[cfg(feature = "receiver")]
    pub(crate) fn expecting(mut self, size: u64) -> Self {
        self.first_capacity = usize::try_from(size).map_or(CHUNK_BYTES, |s| s.min(CHUNK_BYTES));
        self
    }

    /// Writes the chunks as new rows ([`Vault::insert_raw`]): for a blob whose rows cannot
    /// exist yet (a report just received). A row that does exist fails the write.
    #[cfg(feature = "receiver")]
    pub(crate) fn new_rows(mut self) -> Self {
        self.new_rows = true;
        self
    }

    /// Room for `more` bytes in the buffer without a reallocation that would leave plaintext
    /// behind in freed memory.
    fn make_room(&mut self, more: usize) {
        let needed = self.buffer.len() + more;
        if needed <= self.buffer.capacity() {
            return;
        }
        let capacity = if self.buffer.capacity() == 0 {
            self.first_capacity.max(needed)
        } else {
            CHUNK_BYTES
        };
        let mut grown = Zeroizing::new(Vec::with_capacity(capacity));
        grown.extend_from_slice(&self.buffer);
        // The old buffer is zeroized as it drops.
        self.buffer = grown;
    }

    fn flush_chunk(&mut self) -> Result<(), StoreError> {
        let row = (self.row)(self.chunks)?;
        if self.new_rows {
            self.vault.insert_raw(&row, &self.buffer)?;
        } else {
            self.vault.put_raw(&row, &self.buffer)?;
        }
        self.chunks += 1;
        self.buffer.clear();
        Ok(())
    }

    /// Seals what is buffered; returns the summary.
    pub(crate) fn finish(mut self) -> Result<ChunkSummary, StoreError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if !self.buffer.is_empty() || self.chunks < self.min_chunks {
            self.flush_chunk()?;
        }
        Ok(ChunkSummary {
            chunks: self.chunks,
            size: self.size,
            sha256: encode(&self.hasher.finalize_reset()),
        })
    }
}

impl<R: Fn(u64) -> Result<[u8; KEY_LEN], StoreError>> Write for ChunkWriter<'_, R> {
    fn write(&mut self, mut data: &[u8]) -> std::io::Result<usize> {
        let written = data.len();
        self.hasher.update(data);
        self.size += written as u64;
        while !data.is_empty() {
            let take = (CHUNK_BYTES - self.buffer.len()).min(data.len());
            self.make_room(take);
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == CHUNK_BYTES {
                if let Err(e) = self.flush_chunk() {
                    self.failed = Some(e);
                    return Err(std::io::Error::other("the vault failed"));
                }
            }
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Vault {
    /// Streams `chunks` sealed chunks (row `row(n)`) to `out`, then checks the total against
    /// `size` and `sha256`: a missing, altered or reordered chunk is `Tampered`. Each caller
    /// says what a failed write to `out` is.
    pub(crate) fn read_chunks<E: From<StoreError>>(
        &self,
        row: impl Fn(u64) -> Result<[u8; KEY_LEN], StoreError>,
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
        if written != size || encode(&hasher.finalize()) != sha256 {
            return Err(StoreError::Tampered.into());
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{KdfParams, MemoryBackend, Protection};
    use secrecy::SecretString;

    fn vault() -> Vault {
        let pin = SecretString::from("tidal-amber-orchard-42".to_owned());
        // A device-bound slot's policy asks only for length: no strength estimator needed.
        let factor = crate::vault::DeviceFactor {
            challenge: [7u8; 32],
            response: crate::vault::DeviceResponse::from_slice(&[9u8; 32]).unwrap(),
        };
        let protection = Protection::device_bound(KdfParams::TESTING, factor);
        Vault::create(
            Box::new(MemoryBackend::new().unwrap()),
            &pin,
            &protection,
            None,
        )
        .unwrap()
    }

    fn row(vault: &Vault, n: u64) -> Result<[u8; KEY_LEN], StoreError> {
        vault.row_key("chunk-test", &[&n.to_be_bytes()])
    }

    /// `expecting` only sizes the first buffer: a blob longer than announced (here in odd-sized
    /// writes across a chunk boundary) is still stored whole, in full chunks, and read back
    /// byte for byte.
    #[test]
    fn a_blob_longer_than_expected_is_stored_whole() {
        let vault = vault();
        let blob: Vec<u8> = (0..CHUNK_BYTES * 2 + 777)
            .map(|i| (i % 251) as u8)
            .collect();
        let summary = vault
            .atomically(|v| {
                let mut sink = ChunkWriter::new(v, 0, |n| row(v, n)).expecting(640);
                for part in blob.chunks(1000) {
                    sink.write_all(part).unwrap();
                }
                sink.finish()
            })
            .unwrap();
        assert_eq!((summary.chunks, summary.size), (3, blob.len() as u64));
        let mut back = Vec::new();
        vault
            .read_chunks(
                |n| row(&vault, n),
                summary.chunks,
                summary.size,
                &summary.sha256,
                &mut back,
                |_| StoreError::Tampered,
            )
            .unwrap();
        assert!(back == blob);
    }

    /// Chunks written as new rows never overwrite: where the rows exist, the write fails and
    /// the stored blob is the one before.
    #[test]
    fn new_rows_never_overwrite() {
        let vault = vault();
        let write = |blob: &[u8], new_rows: bool| {
            vault.atomically(|v| {
                let mut sink = ChunkWriter::new(v, 0, |n| row(v, n));
                if new_rows {
                    sink = sink.new_rows();
                }
                sink.write_all(blob).unwrap();
                sink.finish()
            })
        };
        let first = write(b"first blob", true).unwrap();
        let refused = write(b"other blob", true).unwrap_err();
        assert!(matches!(refused, StoreError::Storage(_)), "{refused:?}");
        let mut back = Vec::new();
        vault
            .read_chunks(
                |n| row(&vault, n),
                1,
                10,
                &first.sha256,
                &mut back,
                |_| StoreError::Tampered,
            )
            .unwrap();
        assert_eq!(back, b"first blob");
    }
}
