//! Reading a package: the age layer, then the container header, the manifest (canonical form
//! only) and its signature, checked before anything else is believed; then the attachments,
//! each checked against the manifest as it streams; then the end, exactly.

use std::io::{self, BufRead, Read, Write};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::device::verify;
use super::manifest::{AttachmentEntry, DeviceInfo, Manifest};
use super::{PackageError, MAGIC, MAX_MANIFEST_BYTES, SIGNATURE_CONTEXT};
use crate::hex;
use crate::keys::Identity;
use crate::sealing::{opening_reader, SealError};

const COPY_BUFFER: usize = 64 * 1024;

fn read_error(e: &io::Error) -> PackageError {
    PackageError::Seal(SealError::from_read(e))
}

/// Fills `buf` completely; `Ok(false)` if the input ended first (after at least one byte or
/// none: the caller says what was being read).
fn read_exact_or_end(reader: &mut impl Read, buf: &mut [u8]) -> Result<bool, PackageError> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => return Ok(false),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_error(&e)),
        }
    }
    Ok(true)
}

/// A package whose manifest and signature verified; its attachments are read next, in order.
pub struct PackageReader<R: Read> {
    inner: R,
    manifest: Manifest,
    manifest_bytes: Vec<u8>,
    signature: [u8; 64],
    next: usize,
}

/// Opens the age layer with `identities` and reads and verifies the container header, the
/// manifest and the device signature. Attachments are not read yet.
pub fn open_package<R: BufRead>(
    input: R,
    identities: &[Identity],
) -> Result<PackageReader<impl Read>, PackageError> {
    read_container(opening_reader(input, identities)?)
}

/// Reads the container of an already decrypted package (the age plaintext): header, manifest
/// and signature, verified. What [`open_package`] does after the age layer; public for fuzzing
/// and for tools that hold the plaintext.
pub fn read_container<R: Read>(inner: R) -> Result<PackageReader<R>, PackageError> {
    read_signed(inner)?.verify()
}

/// Opens the age layer and reads the container header, the manifest bytes and the signature,
/// believing nothing yet: [`SignedContainer::signer`] says who claims to have signed (so a
/// receiver can refuse an untrusted sender before any costly step), [`SignedContainer::verify`]
/// checks the signature and parses the manifest.
pub fn open_signed<R: BufRead>(
    input: R,
    identities: &[Identity],
) -> Result<SignedContainer<impl Read>, PackageError> {
    read_signed(opening_reader(input, identities)?)
}

/// A package's container up to its signature, not verified yet.
pub struct SignedContainer<R: Read> {
    inner: R,
    manifest_bytes: Vec<u8>,
    signature: [u8; 64],
}

/// Who a manifest says signed it, read without building the manifest (see
/// [`SignedContainer::signer`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ClaimedSigner {
    /// The device key the manifest names.
    pub device: DeviceInfo,
    /// The organisation the manifest names.
    pub organisation: String,
}

impl<R: Read> SignedContainer<R> {
    /// The device key and organisation the manifest names, not verified. Reading them walks the
    /// manifest once without keeping any other value, so a hostile manifest (millions of tiny
    /// values) costs time linear in its bytes and no memory beyond them, where parsing it whole
    /// costs about 18 times its size. `CorruptInput` if the manifest is no JSON object with
    /// these fields.
    pub fn signer(&self) -> Result<ClaimedSigner, PackageError> {
        serde_json::from_slice(&self.manifest_bytes)
            .map_err(|_| PackageError::Manifest("missing, unknown or mistyped fields"))
    }

    /// Reading steps 4 and 5: the signature, then the manifest (see [`verify_manifest`]).
    pub fn verify(self) -> Result<PackageReader<R>, PackageError> {
        let manifest = verify_manifest(&self.manifest_bytes, &self.signature)?;
        Ok(PackageReader {
            inner: self.inner,
            manifest,
            manifest_bytes: self.manifest_bytes,
            signature: self.signature,
            next: 0,
        })
    }
}

fn read_signed<R: Read>(mut inner: R) -> Result<SignedContainer<R>, PackageError> {
    let mut magic = [0u8; 16];
    if !read_exact_or_end(&mut inner, &mut magic)? {
        return Err(PackageError::NotAPackage);
    }
    if magic[..15] != MAGIC[..15] {
        return Err(PackageError::NotAPackage);
    }
    if magic[15] != MAGIC[15] {
        return Err(PackageError::Unsupported("container version"));
    }
    let mut length = [0u8; 4];
    if !read_exact_or_end(&mut inner, &mut length)? {
        return Err(PackageError::Truncated("container header"));
    }
    let length = u32::from_be_bytes(length) as usize;
    if length == 0 || length > MAX_MANIFEST_BYTES {
        return Err(PackageError::Manifest("length out of range"));
    }
    let mut manifest_bytes = vec![0u8; length];
    if !read_exact_or_end(&mut inner, &mut manifest_bytes)? {
        return Err(PackageError::Truncated("manifest"));
    }
    let mut signature = [0u8; 64];
    if !read_exact_or_end(&mut inner, &mut signature)? {
        return Err(PackageError::Truncated("signature"));
    }
    Ok(SignedContainer {
        inner,
        manifest_bytes,
        signature,
    })
}

/// Reading steps 4 and 5 (docs/formats/package.md) on a manifest as it was signed: the device
/// signature over [`SIGNATURE_CONTEXT`] ‖ `manifest_bytes` with the key the manifest names
/// (`BadSignature`), then canonical form, fields and `key_id` (`CorruptInput`). What a package
/// reader does after the container header, and what a receiver re-runs on the bytes it kept.
pub fn verify_manifest(
    manifest_bytes: &[u8],
    signature: &[u8; 64],
) -> Result<Manifest, PackageError> {
    /// Only the key, found by one walk that keeps nothing else: the signature is checked before
    /// the manifest is built, so unsigned bytes never cost more than that walk.
    #[derive(serde::Deserialize)]
    struct Signer {
        device: SignerKey,
    }
    #[derive(serde::Deserialize)]
    struct SignerKey {
        public_key: String,
    }
    let signer: Signer = serde_json::from_slice(manifest_bytes).map_err(|e| {
        PackageError::Manifest(if e.is_syntax() || e.is_eof() {
            "not valid JSON"
        } else {
            "no device public key"
        })
    })?;
    // The signature is checked against the key the manifest names before the manifest is
    // believed in any other way; whether that key is trusted is the receiver's decision.
    if !verify(
        &signer.device.public_key,
        &[SIGNATURE_CONTEXT, manifest_bytes].concat(),
        signature,
    ) {
        return Err(PackageError::BadSignature);
    }
    let manifest = Manifest::from_parsed(manifest_bytes, Manifest::parse_json(manifest_bytes)?)?;
    if manifest.device.key_id != super::device::key_id_from_hex(&manifest.device.public_key) {
        return Err(PackageError::Manifest(
            "key_id does not match the public key",
        ));
    }
    Ok(manifest)
}

impl<R: Read> PackageReader<R> {
    /// The verified manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The manifest exactly as signed (canonical JSON).
    pub fn manifest_bytes(&self) -> &[u8] {
        &self.manifest_bytes
    }

    /// The device's Ed25519 signature over the manifest.
    pub fn signature(&self) -> &[u8; 64] {
        &self.signature
    }

    /// Streams the next attachment to `output`, checking its size and SHA-256. On an error,
    /// `output` may hold part of it: discard it.
    pub fn read_attachment(
        &mut self,
        mut output: impl Write,
    ) -> Result<AttachmentEntry, PackageError> {
        let index = self.next;
        let entry = self
            .manifest
            .attachments
            .get(index)
            .cloned()
            .ok_or(PackageError::InvalidInput("no more attachments"))?;
        let mut left = entry.size;
        let mut hasher = Sha256::new();
        let mut buffer = Zeroizing::new(vec![0u8; COPY_BUFFER]);
        while left > 0 {
            let want = left.min(COPY_BUFFER as u64) as usize;
            let n = match self.inner.read(&mut buffer[..want]) {
                Ok(0) => return Err(PackageError::Truncated("attachments")),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(&e)),
            };
            hasher.update(&buffer[..n]);
            output
                .write_all(&buffer[..n])
                .map_err(|e| PackageError::Io(e.kind()))?;
            left -= n as u64;
        }
        if hex::encode(&hasher.finalize()) != entry.sha256 {
            return Err(PackageError::AttachmentMismatch {
                index,
                what: "sha256",
            });
        }
        self.next += 1;
        Ok(entry)
    }

    /// Reads (and checks) every attachment not read yet, then requires the end of the package.
    pub fn finish(mut self) -> Result<Manifest, PackageError> {
        while self.next < self.manifest.attachments.len() {
            self.read_attachment(io::sink())?;
        }
        let mut byte = [0u8; 1];
        loop {
            match self.inner.read(&mut byte) {
                Ok(0) => return Ok(self.manifest),
                Ok(_) => return Err(PackageError::TrailingData),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(read_error(&e)),
            }
        }
    }
}

/// A package read completely into memory (small packages: tests, analysts' scripts).
#[derive(Debug)]
pub struct OpenedPackage {
    /// The verified manifest.
    pub manifest: Manifest,
    /// The manifest as signed.
    pub manifest_bytes: Vec<u8>,
    /// The attachments' contents, in manifest order.
    pub attachments: Vec<Zeroizing<Vec<u8>>>,
    /// See [`Manifest::content_hash`].
    pub content_hash: String,
}

/// Opens, verifies and reads a whole package held in memory.
pub fn open_package_in_memory(
    package: &[u8],
    identities: &[Identity],
) -> Result<OpenedPackage, PackageError> {
    let mut reader = open_package(package, identities)?;
    let mut attachments = Vec::new();
    for _ in 0..reader.manifest().attachments.len() {
        let mut content = Zeroizing::new(Vec::new());
        reader.read_attachment(&mut *content)?;
        attachments.push(content);
    }
    let manifest_bytes = reader.manifest_bytes().to_vec();
    let manifest = reader.finish()?;
    let content_hash = manifest.content_hash()?;
    Ok(OpenedPackage {
        manifest,
        manifest_bytes,
        attachments,
        content_hash,
    })
}
