//! Reading a package (docs/formats/package.md). Version 2: the age layer, then the binary
//! header (limits and the device key, which a receiver checks against its trust list), the
//! manifest bytes and the header signature over them, checked before any JSON is parsed; then
//! the attachments, streamed and hashed; then the trailer (digests and the signature over
//! everything), without which nothing read is final; then the end, exactly. Version 1: the
//! container header, the manifest (canonical form only) and its signature, checked before
//! anything else is believed; then the attachments, each checked against the manifest as it
//! streams; then the end.

use std::io::{self, BufRead, Read, Write};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::device::{verify, verify_key};
use super::manifest::{AttachmentEntry, DeviceInfo, Manifest, FORMAT, FORMAT_V1};
use super::{
    PackageError, HEADER_SIGNATURE_CONTEXT, MAGIC, MAGIC_V2, MAX_ATTACHMENTS, MAX_MANIFEST_BYTES,
    SIGNATURE_CONTEXT, TRAILER_SIGNATURE_CONTEXT,
};
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

/// Bytes of a v2 header before its attachment sizes: magic, device key, manifest length, count.
const V2_FIXED: usize = 16 + 32 + 4 + 2;

/// A v2 container's binary header as read: its bytes (the signature included), the device key,
/// the manifest's length and the attachments' sizes.
#[derive(Clone)]
struct Header {
    bytes: Vec<u8>,
    key: [u8; 32],
    manifest_len: usize,
    sizes: Vec<u64>,
}

impl Header {
    /// Reads a v2 header after its magic (already in `magic`), checking each limit before the
    /// next read: the manifest length (1 .. 16 MiB) and the attachment count (at most 1,000)
    /// are checked before their bytes are read or any memory is taken for them.
    fn read(inner: &mut impl Read, magic: &[u8; 16]) -> Result<Header, PackageError> {
        let mut bytes = Vec::with_capacity(V2_FIXED + 64);
        bytes.extend_from_slice(magic);
        let mut fixed = [0u8; V2_FIXED - 16];
        if !read_exact_or_end(inner, &mut fixed)? {
            return Err(PackageError::Truncated("container header"));
        }
        bytes.extend_from_slice(&fixed);
        let mut key = [0u8; 32];
        key.copy_from_slice(&fixed[..32]);
        let manifest_len =
            u32::from_be_bytes([fixed[32], fixed[33], fixed[34], fixed[35]]) as usize;
        if manifest_len == 0 || manifest_len > MAX_MANIFEST_BYTES {
            return Err(PackageError::Header("manifest length out of range"));
        }
        let count = u16::from_be_bytes([fixed[36], fixed[37]]) as usize;
        if count > MAX_ATTACHMENTS {
            return Err(PackageError::Header("more than 1,000 attachments"));
        }
        let mut rest = vec![0u8; count * 8 + 64];
        if !read_exact_or_end(inner, &mut rest)? {
            return Err(PackageError::Truncated("container header"));
        }
        bytes.extend_from_slice(&rest);
        let sizes = rest[..count * 8]
            .chunks_exact(8)
            .map(|c| u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        Ok(Header {
            bytes,
            key,
            manifest_len,
            sizes,
        })
    }

    /// A kept header (a receiver re-verifying): exactly one header, nothing after it.
    fn parse(mut bytes: &[u8]) -> Result<Header, PackageError> {
        let mut magic = [0u8; 16];
        if !read_exact_or_end(&mut bytes, &mut magic)? || magic != *MAGIC_V2 {
            return Err(PackageError::Header("not a v2 header"));
        }
        let header = Header::read(&mut bytes, &magic)?;
        if !bytes.is_empty() {
            return Err(PackageError::Header("bytes after the header"));
        }
        Ok(header)
    }

    fn signature(&self) -> [u8; 64] {
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&self.bytes[self.bytes.len() - 64..]);
        signature
    }

    fn device(&self) -> DeviceInfo {
        DeviceInfo {
            public_key: hex::encode(&self.key),
            key_id: super::device::key_id(&self.key),
        }
    }

    /// The header signature over the header and the manifest's SHA-256 (`BadSignature`), then
    /// the manifest — parsed only now — against the header: canonical form, fields, the
    /// container's format, no digests of its own, the same key and the same sizes.
    fn verify_manifest(&self, manifest_bytes: &[u8]) -> Result<Manifest, PackageError> {
        let manifest_hash: [u8; 32] = Sha256::digest(manifest_bytes).into();
        let unsigned = &self.bytes[..self.bytes.len() - 64];
        let message = [HEADER_SIGNATURE_CONTEXT, unsigned, &manifest_hash].concat();
        if !verify_key(&self.key, &message, &self.signature()) {
            return Err(PackageError::BadSignature);
        }
        let manifest = Manifest::from_canonical(manifest_bytes)?;
        if manifest.format != FORMAT {
            return Err(PackageError::Manifest(
                "its format is not the container's (indicia-package/2)",
            ));
        }
        // The digests travel in the trailer; a manifest that carried its own would leave two
        // answers to one question.
        if manifest.attachments.iter().any(|a| !a.sha256.is_empty()) {
            return Err(PackageError::Manifest(
                "a v2 manifest lists no attachment digests",
            ));
        }
        if manifest.device != self.device() {
            return Err(PackageError::Header(
                "the manifest names another device key than the header",
            ));
        }
        if manifest.attachments.len() != self.sizes.len()
            || manifest
                .attachments
                .iter()
                .zip(&self.sizes)
                .any(|(a, size)| a.size != *size)
        {
            return Err(PackageError::Header(
                "the attachment sizes differ from the manifest's",
            ));
        }
        Ok(manifest)
    }

    /// The trailer signature's message: context, header (its signature included), the
    /// manifest's SHA-256, the digests.
    fn trailer_message(&self, manifest_hash: &[u8; 32], digests: &[[u8; 32]]) -> Vec<u8> {
        let mut message = Vec::with_capacity(
            TRAILER_SIGNATURE_CONTEXT.len() + self.bytes.len() + 32 * (digests.len() + 1),
        );
        message.extend_from_slice(TRAILER_SIGNATURE_CONTEXT);
        message.extend_from_slice(&self.bytes);
        message.extend_from_slice(manifest_hash);
        for digest in digests {
            message.extend_from_slice(digest);
        }
        message
    }
}

/// The trailer signature over the header, the manifest and the digests as the trailer gives
/// them (`BadSignature`), then those digests against the ones computed from the attachments'
/// bytes (`CorruptInput`), then `manifest` completed with them.
fn check_trailer(
    header: &Header,
    manifest_hash: &[u8; 32],
    mut manifest: Manifest,
    claimed: &[[u8; 32]],
    computed: &[[u8; 32]],
    signature: &[u8; 64],
) -> Result<Manifest, PackageError> {
    let message = header.trailer_message(manifest_hash, claimed);
    if !verify_key(&header.key, &message, signature) {
        return Err(PackageError::BadSignature);
    }
    if let Some(index) = (0..claimed.len()).find(|&i| claimed[i] != computed[i]) {
        return Err(PackageError::AttachmentMismatch {
            index,
            what: "sha256",
        });
    }
    for (entry, digest) in manifest.attachments.iter_mut().zip(claimed) {
        entry.sha256 = hex::encode(digest);
    }
    Ok(manifest)
}

/// What a device signed, exactly as it travelled: what a receiver keeps to re-verify a report
/// and hand over as evidence ([`verify_signed`], [`SignedBytes::signed_message`]).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedBytes {
    /// Version 2: the binary header, its signature included. Empty for version 1.
    pub header: Vec<u8>,
    /// The manifest bytes (canonical JSON).
    pub manifest: Vec<u8>,
    /// Version 2: the attachments' SHA-256 digests from the trailer. Empty for version 1 (its
    /// manifest lists them).
    pub digests: Vec<[u8; 32]>,
    /// Version 1: the signature over the manifest. Version 2: the trailer signature, over
    /// header, manifest and digests.
    pub signature: [u8; 64],
}

crate::redacted_debug!(SignedBytes { signature });

impl SignedBytes {
    /// The container version (1 or 2).
    pub fn version(&self) -> u8 {
        if self.header.is_empty() {
            1
        } else {
            2
        }
    }

    /// The exact message [`SignedBytes::signature`] is over: for version 1
    /// [`SIGNATURE_CONTEXT`] ‖ manifest; for version 2 [`TRAILER_SIGNATURE_CONTEXT`] ‖ header ‖
    /// SHA-256(manifest) ‖ digests.
    pub fn signed_message(&self) -> Vec<u8> {
        if self.header.is_empty() {
            return [SIGNATURE_CONTEXT, &self.manifest].concat();
        }
        let mut message = [TRAILER_SIGNATURE_CONTEXT, &self.header].concat();
        message.extend_from_slice(&Sha256::digest(&self.manifest));
        for digest in &self.digests {
            message.extend_from_slice(digest);
        }
        message
    }
}

/// Re-verifies what a reader kept ([`PackageReader::finish_signed`]), as the reader checked it
/// (every signature, the manifest, and for version 2 the header against the manifest), and
/// gives the manifest with every attachment's SHA-256 (for version 2, from the kept digests).
/// The attachments themselves are the caller's to check against those digests.
pub fn verify_signed(signed: &SignedBytes) -> Result<Manifest, PackageError> {
    if signed.header.is_empty() {
        let manifest = verify_manifest(&signed.manifest, &signed.signature)?;
        if !signed.digests.is_empty() {
            return Err(PackageError::Header("digests kept beside a v1 manifest"));
        }
        return Ok(manifest);
    }
    let header = Header::parse(&signed.header)?;
    if signed.manifest.len() != header.manifest_len {
        return Err(PackageError::Header(
            "the manifest's length is not the header's",
        ));
    }
    if signed.digests.len() != header.sizes.len() {
        return Err(PackageError::Header(
            "the trailer's digests are not one per attachment",
        ));
    }
    let manifest = header.verify_manifest(&signed.manifest)?;
    let hash: [u8; 32] = Sha256::digest(&signed.manifest).into();
    check_trailer(
        &header,
        &hash,
        manifest,
        &signed.digests,
        &signed.digests,
        &signed.signature,
    )
}

/// Opens the age layer with `identities` and reads and verifies the container up to the
/// attachments (v1: header, manifest, signature; v2: header, manifest, header signature).
/// Attachments are not read yet.
pub fn open_package<R: BufRead>(
    input: R,
    identities: &[Identity],
) -> Result<PackageReader<impl Read>, PackageError> {
    read_container(opening_reader(input, identities)?)
}

/// Reads the container of an already decrypted package (the age plaintext) up to the
/// attachments, verified. What [`open_package`] does after the age layer; public for fuzzing
/// and for tools that hold the plaintext.
pub fn read_container<R: Read>(inner: R) -> Result<PackageReader<R>, PackageError> {
    read_signed(inner)?.verify()
}

/// Opens the age layer and reads the container's first part, believing nothing yet:
/// [`SignedContainer::device`] says which device key claims to have signed (so a receiver can
/// refuse an untrusted sender before any costly step), [`SignedContainer::verify`] checks the
/// signature and parses the manifest. For version 2 only the binary header has been read at
/// this point: the manifest's bytes are read by `verify`, after the caller's trust check.
pub fn open_signed<R: BufRead>(
    input: R,
    identities: &[Identity],
) -> Result<SignedContainer<impl Read>, PackageError> {
    read_signed(opening_reader(input, identities)?)
}

/// A package's container up to its first signature, not verified yet.
pub struct SignedContainer<R: Read> {
    inner: R,
    first: First,
}

enum First {
    V1 {
        manifest_bytes: Vec<u8>,
        signature: [u8; 64],
    },
    V2(Header),
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
    /// The container version (1 or 2).
    pub fn version(&self) -> u8 {
        match self.first {
            First::V1 { .. } => 1,
            First::V2(_) => 2,
        }
    }

    /// The device key that claims to have signed, not verified: for version 2 from the binary
    /// header (no JSON read), for version 1 as [`SignedContainer::signer`] reads it.
    pub fn device(&self) -> Result<DeviceInfo, PackageError> {
        match &self.first {
            First::V1 { .. } => Ok(self.signer()?.device),
            First::V2(header) => Ok(header.device()),
        }
    }

    /// Version 1: the device key and organisation the manifest names, not verified. Reading
    /// them walks the manifest once without keeping any other value, so a hostile manifest
    /// (millions of tiny values) costs time linear in its bytes and no memory beyond them,
    /// where parsing it whole costs about 18 times its size. `CorruptInput` if the manifest is
    /// no JSON object with these fields. Version 2 names its organisation only in the manifest,
    /// which is read after the header's key is checked: `InvalidState` (use
    /// [`SignedContainer::device`]).
    pub fn signer(&self) -> Result<ClaimedSigner, PackageError> {
        match &self.first {
            First::V1 { manifest_bytes, .. } => serde_json::from_slice(manifest_bytes)
                .map_err(|_| PackageError::Manifest("missing, unknown or mistyped fields")),
            First::V2(_) => Err(PackageError::InvalidInput(
                "a v2 package names its organisation in the manifest, read after verify",
            )),
        }
    }

    /// Verifies the first signature and parses the manifest. Version 1: reading steps 4 and 5
    /// (see [`verify_manifest`]). Version 2: reads the manifest's bytes, verifies the header
    /// signature over the header and them, then parses and checks the manifest against the
    /// header.
    pub fn verify(self) -> Result<PackageReader<R>, PackageError> {
        let mut inner = self.inner;
        let (manifest, state) = match self.first {
            First::V1 {
                manifest_bytes,
                signature,
            } => {
                let manifest = verify_manifest(&manifest_bytes, &signature)?;
                (
                    manifest,
                    State::V1 {
                        manifest_bytes,
                        signature,
                    },
                )
            }
            First::V2(header) => {
                let mut manifest_bytes = vec![0u8; header.manifest_len];
                if !read_exact_or_end(&mut inner, &mut manifest_bytes)? {
                    return Err(PackageError::Truncated("manifest"));
                }
                let manifest = header.verify_manifest(&manifest_bytes)?;
                let manifest_hash = Sha256::digest(&manifest_bytes).into();
                let count = header.sizes.len();
                (
                    manifest,
                    State::V2 {
                        header,
                        manifest_bytes,
                        manifest_hash,
                        digests: Vec::with_capacity(count),
                    },
                )
            }
        };
        Ok(PackageReader {
            inner,
            manifest,
            state,
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
    if magic == *MAGIC_V2 {
        let header = Header::read(&mut inner, &magic)?;
        return Ok(SignedContainer {
            inner,
            first: First::V2(header),
        });
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
        first: First::V1 {
            manifest_bytes,
            signature,
        },
    })
}

/// Reading steps 4 and 5 of a v1 package (docs/formats/package.md) on a manifest as it was
/// signed: the device signature over [`SIGNATURE_CONTEXT`] ‖ `manifest_bytes` with the key the
/// manifest names (`BadSignature`), then canonical form, fields and `key_id` (`CorruptInput`).
/// What a v1 package reader does after the container header, and what a receiver re-runs on the
/// bytes it kept (see [`verify_signed`] for both versions).
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
    // A v1 manifest lists every digest (a v2 manifest's are empty until its trailer is read).
    if manifest.format != FORMAT_V1 {
        return Err(PackageError::Manifest(
            "its format is not the container's (indicia-package/1)",
        ));
    }
    Ok(manifest)
}

/// A package whose manifest verified; its attachments are read next, in order. For version 2
/// nothing read is final before [`PackageReader::finish`] (or `finish_signed`) succeeds: the
/// trailer signature, after the attachments, is what vouches for them.
pub struct PackageReader<R: Read> {
    inner: R,
    manifest: Manifest,
    state: State,
    next: usize,
}

enum State {
    V1 {
        manifest_bytes: Vec<u8>,
        signature: [u8; 64],
    },
    V2 {
        header: Header,
        manifest_bytes: Vec<u8>,
        manifest_hash: [u8; 32],
        /// The SHA-256 of each attachment read so far, computed from its bytes.
        digests: Vec<[u8; 32]>,
    },
}

impl<R: Read> PackageReader<R> {
    /// The verified manifest. Version 2: its attachments' `sha256` are empty until
    /// [`PackageReader::finish`] (whose manifest has them).
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The manifest exactly as signed (canonical JSON).
    pub fn manifest_bytes(&self) -> &[u8] {
        match &self.state {
            State::V1 { manifest_bytes, .. } | State::V2 { manifest_bytes, .. } => manifest_bytes,
        }
    }

    /// The container version (1 or 2).
    pub fn version(&self) -> u8 {
        match self.state {
            State::V1 { .. } => 1,
            State::V2 { .. } => 2,
        }
    }

    /// Streams the next attachment to `output`, checking its size (and for version 1 its
    /// SHA-256; for version 2 the digest is checked against the trailer at the end). The entry
    /// returned carries the SHA-256 of the bytes read. On an error `output` may hold part of
    /// it, and for version 2 even a complete attachment is unverified until `finish`: discard
    /// it if that fails.
    pub fn read_attachment(
        &mut self,
        mut output: impl Write,
    ) -> Result<AttachmentEntry, PackageError> {
        let index = self.next;
        let mut entry = self
            .manifest
            .attachments
            .get(index)
            .cloned()
            .ok_or(PackageError::InvalidInput("no more attachments"))?;
        let mut left = entry.size;
        let mut hasher = Sha256::new();
        // No bigger than the attachment: a small one costs no 64 KiB to zero twice.
        let mut buffer = Zeroizing::new(vec![0u8; left.min(COPY_BUFFER as u64) as usize]);
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
        let digest: [u8; 32] = hasher.finalize().into();
        match &mut self.state {
            State::V1 { .. } => {
                if hex::encode(&digest) != entry.sha256 {
                    return Err(PackageError::AttachmentMismatch {
                        index,
                        what: "sha256",
                    });
                }
            }
            State::V2 { digests, .. } => {
                digests.push(digest);
                entry.sha256 = hex::encode(&digest);
            }
        }
        self.next += 1;
        Ok(entry)
    }

    /// Reads (and checks) every attachment not read yet, then the trailer (version 2), then
    /// requires the end of the package. Returns the manifest with every attachment's SHA-256.
    pub fn finish(self) -> Result<Manifest, PackageError> {
        self.finish_signed().map(|(manifest, _)| manifest)
    }

    /// [`PackageReader::finish`], also giving what the device signed as it travelled (what a
    /// receiver keeps as evidence).
    pub fn finish_signed(mut self) -> Result<(Manifest, SignedBytes), PackageError> {
        while self.next < self.manifest.attachments.len() {
            self.read_attachment(io::sink())?;
        }
        let signed = match self.state {
            State::V1 {
                manifest_bytes,
                signature,
            } => {
                expect_end(&mut self.inner)?;
                return Ok((
                    self.manifest,
                    SignedBytes {
                        header: Vec::new(),
                        manifest: manifest_bytes,
                        digests: Vec::new(),
                        signature,
                    },
                ));
            }
            State::V2 {
                header,
                manifest_bytes,
                manifest_hash,
                digests,
            } => {
                let mut claimed = Vec::with_capacity(digests.len());
                for _ in 0..digests.len() {
                    let mut digest = [0u8; 32];
                    if !read_exact_or_end(&mut self.inner, &mut digest)? {
                        return Err(PackageError::Truncated("trailer"));
                    }
                    claimed.push(digest);
                }
                let mut signature = [0u8; 64];
                if !read_exact_or_end(&mut self.inner, &mut signature)? {
                    return Err(PackageError::Truncated("trailer"));
                }
                expect_end(&mut self.inner)?;
                let manifest = check_trailer(
                    &header,
                    &manifest_hash,
                    self.manifest,
                    &claimed,
                    &digests,
                    &signature,
                )?;
                (
                    manifest,
                    SignedBytes {
                        header: header.bytes,
                        manifest: manifest_bytes,
                        digests: claimed,
                        signature,
                    },
                )
            }
        };
        Ok(signed)
    }
}

/// The end of the container, exactly: another byte is `TrailingData`.
fn expect_end(inner: &mut impl Read) -> Result<(), PackageError> {
    let mut byte = [0u8; 1];
    loop {
        match inner.read(&mut byte) {
            Ok(0) => return Ok(()),
            Ok(_) => return Err(PackageError::TrailingData),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_error(&e)),
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
