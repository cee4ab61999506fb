//! Writing a package: container header, manifest and signature first, then each attachment
//! streamed through the age writer and checked against its manifest entry as it goes.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::device::DeviceKey;
use super::manifest::Manifest;
use super::{PackageError, MAGIC, MAX_MANIFEST_BYTES, SIGNATURE_CONTEXT};
use crate::hex;
use crate::keys::Recipient;
use crate::sealing::{Armor, SealingWriter};

const COPY_BUFFER: usize = 64 * 1024;

fn io_error(e: io::Error) -> PackageError {
    PackageError::Io(e.kind())
}

/// A package being written. Call [`PackageWriter::write_attachment`] (or
/// [`PackageWriter::attachment`]) once per manifest attachment, in order, then
/// [`PackageWriter::finish`]. On any error the output is incomplete and must be discarded.
pub struct PackageWriter<W: Write> {
    out: SealingWriter<W>,
    manifest: Manifest,
    next: usize,
}

impl<W: Write> PackageWriter<W> {
    /// Checks `manifest` (it must name `key` as its device), signs it, and writes the age header,
    /// the container header, the manifest and the signature to `output`.
    pub fn new(
        manifest: Manifest,
        key: &DeviceKey,
        recipients: &[Recipient],
        armor: Armor,
        output: W,
    ) -> Result<Self, PackageError> {
        manifest.check().map_err(|e| match e {
            PackageError::Manifest(what) => PackageError::InvalidInput(what),
            other => other,
        })?;
        if manifest.device != key.info() {
            return Err(PackageError::InvalidInput(
                "the manifest names another device key",
            ));
        }
        let bytes = manifest.canonical_bytes()?;
        if bytes.len() > MAX_MANIFEST_BYTES {
            return Err(PackageError::InvalidInput(
                "the manifest is larger than 16 MiB",
            ));
        }
        let signature = key.sign(&[SIGNATURE_CONTEXT, &bytes].concat());
        let mut out = SealingWriter::new(output, recipients, armor)?;
        out.write_all(MAGIC).map_err(io_error)?;
        out.write_all(&(bytes.len() as u32).to_be_bytes())
            .map_err(io_error)?;
        out.write_all(&bytes).map_err(io_error)?;
        out.write_all(&signature).map_err(io_error)?;
        Ok(PackageWriter {
            out,
            manifest,
            next: 0,
        })
    }

    /// A writer for the next attachment's bytes; call [`AttachmentWriter::finish`] after.
    pub fn attachment(&mut self) -> Result<AttachmentWriter<'_, W>, PackageError> {
        if self.next >= self.manifest.attachments.len() {
            return Err(PackageError::InvalidInput(
                "more attachments than the manifest lists",
            ));
        }
        Ok(AttachmentWriter {
            package: self,
            written: 0,
            hasher: Sha256::new(),
        })
    }

    /// Streams the next attachment from `content`.
    pub fn write_attachment(&mut self, mut content: impl Read) -> Result<(), PackageError> {
        let mut sink = self.attachment()?;
        let mut buffer = Zeroizing::new(vec![0u8; COPY_BUFFER]);
        loop {
            let n = match content.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(e)),
            };
            sink.write_all(&buffer[..n]).map_err(|e| match e.kind() {
                io::ErrorKind::InvalidInput => PackageError::AttachmentMismatch {
                    index: sink.package.next,
                    what: "size",
                },
                kind => PackageError::Io(kind),
            })?;
        }
        sink.finish()
    }

    /// Completes the age file once every attachment was written; returns the output.
    pub fn finish(self) -> Result<W, PackageError> {
        if self.next != self.manifest.attachments.len() {
            return Err(PackageError::InvalidInput(
                "fewer attachments than the manifest lists",
            ));
        }
        Ok(self.out.finish()?)
    }
}

/// One attachment being written: refuses bytes beyond the size the manifest lists, and checks
/// size and SHA-256 at [`AttachmentWriter::finish`].
pub struct AttachmentWriter<'a, W: Write> {
    package: &'a mut PackageWriter<W>,
    written: u64,
    hasher: Sha256,
}

impl<W: Write> AttachmentWriter<'_, W> {
    /// Checks the attachment against its manifest entry and moves on to the next one.
    pub fn finish(self) -> Result<(), PackageError> {
        let index = self.package.next;
        let entry = &self.package.manifest.attachments[index];
        if self.written != entry.size {
            return Err(PackageError::AttachmentMismatch {
                index,
                what: "size",
            });
        }
        if hex::encode(&self.hasher.finalize()) != entry.sha256 {
            return Err(PackageError::AttachmentMismatch {
                index,
                what: "sha256",
            });
        }
        self.package.next += 1;
        Ok(())
    }
}

impl<W: Write> Write for AttachmentWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let size = self.package.manifest.attachments[self.package.next].size;
        if self.written.saturating_add(buf.len() as u64) > size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "attachment larger than its manifest entry",
            ));
        }
        let n = self.package.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.package.out.flush()
    }
}

/// Seals a package whose attachments are in memory (the web widget, tests).
pub fn seal_package_in_memory(
    manifest: Manifest,
    key: &DeviceKey,
    recipients: &[Recipient],
    armor: Armor,
    attachments: &[&[u8]],
) -> Result<Vec<u8>, PackageError> {
    if attachments.len() != manifest.attachments.len() {
        return Err(PackageError::InvalidInput(
            "the attachments do not match the manifest's list",
        ));
    }
    let mut writer = PackageWriter::new(manifest, key, recipients, armor, Vec::new())?;
    for content in attachments {
        writer.write_attachment(*content)?;
    }
    writer.finish()
}
