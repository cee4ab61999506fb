//! Writing a package (container v2, docs/formats/package.md): the binary header, its signature
//! and the manifest first, then each attachment streamed through the age writer once — hashed
//! as it goes, checked against its size (and its SHA-256 when the caller knew it) — then the
//! trailer: the digests and the signature over everything. Version 1 is still written for test
//! vectors only ([`seal_v1_package_in_memory`]).

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::device::DeviceKey;
use super::manifest::{Manifest, FORMAT, FORMAT_V1};
use super::{
    PackageError, HEADER_SIGNATURE_CONTEXT, MAGIC, MAGIC_V2, MAX_MANIFEST_BYTES, SIGNATURE_CONTEXT,
    TRAILER_SIGNATURE_CONTEXT,
};
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
    /// Version 2's trailer in the making (none for version 1).
    trailer: Option<Trailer>,
    key: DeviceKey,
}

/// What the v2 trailer signature covers, gathered as the package is written.
struct Trailer {
    /// The header, its signature included.
    header: Vec<u8>,
    manifest_hash: [u8; 32],
    /// Each attachment's SHA-256, computed from the bytes written.
    digests: Vec<[u8; 32]>,
}

fn checked(manifest: &Manifest, key: &DeviceKey, format: &str) -> Result<Vec<u8>, PackageError> {
    if manifest.format != format {
        return Err(PackageError::InvalidInput(
            "the manifest's format is not the one this writer writes",
        ));
    }
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
    Ok(bytes)
}

impl<W: Write> PackageWriter<W> {
    /// Checks `manifest` (format [`FORMAT`], naming `key` as its device, at most 1,000
    /// attachments whose sizes are exact), signs the header, and writes the age header, the
    /// container header, its signature and the manifest to `output`. Each attachment entry's
    /// `sha256` may be empty — the digest is computed as the bytes stream, so a file is read
    /// once — or given, and then the bytes must match it. The manifest as written carries no
    /// digests (they follow the attachments, in the trailer).
    pub fn new(
        manifest: Manifest,
        key: &DeviceKey,
        recipients: &[Recipient],
        armor: Armor,
        output: W,
    ) -> Result<Self, PackageError> {
        let mut signed = manifest.clone();
        for entry in &mut signed.attachments {
            entry.sha256.clear();
        }
        let bytes = checked(&signed, key, FORMAT)?;
        // Checked against MAX_ATTACHMENTS by `check`.
        let count = u16::try_from(manifest.attachments.len())
            .map_err(|_| PackageError::InvalidInput("too many attachments"))?;
        let public = crate::hex::decode::<32>(&manifest.device.public_key)
            .ok_or(PackageError::InvalidInput("device key"))?;
        let mut header = Vec::with_capacity(54 + 8 * count as usize + 64);
        header.extend_from_slice(MAGIC_V2);
        header.extend_from_slice(&public);
        header.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        header.extend_from_slice(&count.to_be_bytes());
        for entry in &manifest.attachments {
            header.extend_from_slice(&entry.size.to_be_bytes());
        }
        let manifest_hash: [u8; 32] = Sha256::digest(&bytes).into();
        let signature = key.sign(&[HEADER_SIGNATURE_CONTEXT, &header, &manifest_hash].concat());
        header.extend_from_slice(&signature);
        let mut out = SealingWriter::new(output, recipients, armor)?;
        out.write_all(&header).map_err(io_error)?;
        out.write_all(&bytes).map_err(io_error)?;
        Ok(PackageWriter {
            out,
            manifest,
            next: 0,
            trailer: Some(Trailer {
                header,
                manifest_hash,
                digests: Vec::with_capacity(count as usize),
            }),
            key: key.duplicate(),
        })
    }

    /// A version 1 package (container v1, manifest format [`FORMAT_V1`], every digest given):
    /// no longer written by any sealing path; kept so tests and the vector generator can make
    /// the packages older devices still send.
    #[doc(hidden)]
    pub fn new_v1(
        manifest: Manifest,
        key: &DeviceKey,
        recipients: &[Recipient],
        armor: Armor,
        output: W,
    ) -> Result<Self, PackageError> {
        let bytes = checked(&manifest, key, FORMAT_V1)?;
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
            trailer: None,
            key: key.duplicate(),
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

    /// Completes the package once every attachment was written (version 2: writes the trailer)
    /// and the age file; returns the output.
    pub fn finish(self) -> Result<W, PackageError> {
        self.finish_with_manifest().map(|(output, _)| output)
    }

    /// [`PackageWriter::finish`], also giving the manifest with every attachment's SHA-256 as
    /// written (for [`Manifest::content_hash`] when the caller did not know the digests).
    pub fn finish_with_manifest(mut self) -> Result<(W, Manifest), PackageError> {
        if self.next != self.manifest.attachments.len() {
            return Err(PackageError::InvalidInput(
                "fewer attachments than the manifest lists",
            ));
        }
        if let Some(trailer) = &self.trailer {
            let mut message = [TRAILER_SIGNATURE_CONTEXT, &trailer.header].concat();
            message.extend_from_slice(&trailer.manifest_hash);
            for digest in &trailer.digests {
                message.extend_from_slice(digest);
                self.out.write_all(digest).map_err(io_error)?;
            }
            let signature = self.key.sign(&message);
            self.out.write_all(&signature).map_err(io_error)?;
        }
        Ok((self.out.finish()?, self.manifest))
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
        let entry = &mut self.package.manifest.attachments[index];
        if self.written != entry.size {
            return Err(PackageError::AttachmentMismatch {
                index,
                what: "size",
            });
        }
        let digest: [u8; 32] = self.hasher.finalize().into();
        let hex = hex::encode(&digest);
        // Version 1 always names the digest; version 2 when the caller knew it.
        if !entry.sha256.is_empty() && hex != entry.sha256 {
            return Err(PackageError::AttachmentMismatch {
                index,
                what: "sha256",
            });
        }
        entry.sha256 = hex;
        if let Some(trailer) = &mut self.package.trailer {
            trailer.digests.push(digest);
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

/// Seals a version 1 package whose attachments are in memory: for tests and the vector generator
/// only (see [`PackageWriter::new_v1`]).
#[doc(hidden)]
pub fn seal_v1_package_in_memory(
    manifest: Manifest,
    key: &DeviceKey,
    recipients: &[Recipient],
    armor: Armor,
    attachments: &[&[u8]],
) -> Result<Vec<u8>, PackageError> {
    check_count(&manifest, attachments)?;
    let writer = PackageWriter::new_v1(manifest, key, recipients, armor, Vec::new())?;
    write_all_attachments(writer, attachments)
}

/// Seals a package whose attachments are in memory (the web widget, tests).
pub fn seal_package_in_memory(
    manifest: Manifest,
    key: &DeviceKey,
    recipients: &[Recipient],
    armor: Armor,
    attachments: &[&[u8]],
) -> Result<Vec<u8>, PackageError> {
    check_count(&manifest, attachments)?;
    let writer = PackageWriter::new(manifest, key, recipients, armor, Vec::new())?;
    write_all_attachments(writer, attachments)
}

/// Refused before anything is signed or written: one content per manifest entry.
fn check_count(manifest: &Manifest, attachments: &[&[u8]]) -> Result<(), PackageError> {
    if attachments.len() != manifest.attachments.len() {
        return Err(PackageError::InvalidInput(
            "the attachments do not match the manifest's list",
        ));
    }
    Ok(())
}

fn write_all_attachments(
    mut writer: PackageWriter<Vec<u8>>,
    attachments: &[&[u8]],
) -> Result<Vec<u8>, PackageError> {
    for content in attachments {
        writer.write_attachment(*content)?;
    }
    writer.finish()
}
