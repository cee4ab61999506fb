//! Sealing bytes to age X25519 recipients and opening them with identities.
//!
//! The output is a standard age v1 file (binary or ASCII-armored), so any age client holding the
//! identity opens it. Opening accepts both encodings.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::{is_age_file, open, seal, Armor, Identity};
//!
//! let unit = Identity::generate();
//! let sealed = seal(b"case 17: documents held", &[unit.recipient()], Armor::Ascii)?;
//! assert!(sealed.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
//! assert!(is_age_file(&sealed));
//!
//! let opened = open(&sealed, &[unit])?;
//! assert_eq!(opened.as_slice(), b"case 17: documents held");
//! // Any other identity cannot open it.
//! assert!(open(&sealed, &[Identity::generate()]).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, BufRead, Read, Write};

use age::armor::{ArmoredReader, ArmoredWriter, Format};

use crate::header_limit::HeaderLimit;
use age::DecryptError;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::error::ErrorKind;
use crate::keys::{Identity, KeyError, Recipient};

/// age encrypts in 64 KiB chunks; copying in the same unit keeps memory flat for any input size.
const COPY_BUFFER: usize = 64 * 1024;

/// How the sealed file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Armor {
    /// Raw age binary format (the default of the `age` tool).
    #[default]
    Binary,
    /// PEM-style ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`), for text channels.
    Ascii,
}

impl Armor {
    /// `Ascii` when `armored`, else `Binary` (how hosts and the CLI pass the choice).
    pub fn ascii_if(armored: bool) -> Armor {
        if armored {
            Armor::Ascii
        } else {
            Armor::Binary
        }
    }
}

/// Which part of an age file failed to parse or authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorruptPart {
    /// The input does not start like an age file, or its header does not parse.
    Header,
    /// The header parses, but its MAC does not match: the header was altered.
    HeaderMac,
    /// A payload chunk fails authentication: altered, reordered, or cut inside a chunk.
    Payload,
    /// ASCII armor with bad framing or invalid Base64.
    Armor,
}

/// Which kind of age file Indicia deliberately does not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsupportedKind {
    /// The file is encrypted to a passphrase (scrypt), not to X25519 recipients.
    Passphrase,
    /// The file's version line (`age-encryption.org/VERSION`) names a version other than v1: a
    /// newer age format. A malformed v1 header is `Corrupt(Header)` instead.
    FormatVersion,
    /// A passphrase was given, but the file is sealed to recipients.
    NotPassphrase,
    /// The header has more recipient stanzas or bytes than Indicia reads
    /// (`header_limit::MAX_STANZAS`, `MAX_HEADER_BYTES`), refused before it is parsed.
    OversizedHeader,
}

/// Why sealing or opening failed. Messages never contain plaintext or key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// Sealing needs at least one recipient.
    #[error("no recipients given: a sealed file needs at least one recipient")]
    NoRecipients,
    /// A recipient or identity string was malformed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// None of the identities given is a recipient of the file.
    #[error("none of the given identities can open this file (it was sealed to other recipients, or its recipient entry was altered)")]
    WrongIdentity,
    /// The input is not an age file, or was altered.
    #[error("input is corrupt: {}", describe_corrupt(*.0))]
    Corrupt(CorruptPart),
    /// The input ends before the age file does.
    #[error("input is truncated: it ends before the age file is complete")]
    Truncated,
    /// An age file of a kind Indicia deliberately does not open.
    #[error("unsupported age file: {}", describe_unsupported(*.0))]
    Unsupported(UnsupportedKind),
    /// The passphrase does not open this passphrase-protected file.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// Reading or writing a host stream failed.
    #[error("I/O error: {0}")]
    Io(io::ErrorKind),
}

fn describe_corrupt(part: CorruptPart) -> &'static str {
    match part {
        CorruptPart::Header => "not an age file, or its header is malformed",
        CorruptPart::HeaderMac => "the header fails authentication (altered)",
        CorruptPart::Payload => "the payload fails authentication (altered or cut short)",
        CorruptPart::Armor => "the ASCII armor is malformed",
    }
}

fn describe_unsupported(kind: UnsupportedKind) -> &'static str {
    match kind {
        UnsupportedKind::Passphrase => "it is passphrase-encrypted, not sealed to a recipient",
        UnsupportedKind::FormatVersion => "it uses an age format version other than v1",
        UnsupportedKind::NotPassphrase => {
            "it is sealed to recipients, not protected by a passphrase"
        }
        UnsupportedKind::OversizedHeader => {
            "its header has more than 128 recipient stanzas or 32 KiB (refused unparsed)"
        }
    }
}

impl SealError {
    /// The host-visible classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            SealError::NoRecipients => ErrorKind::NoRecipients,
            SealError::Key(e) => e.kind(),
            SealError::WrongIdentity => ErrorKind::WrongIdentity,
            SealError::Corrupt(_) => ErrorKind::CorruptInput,
            SealError::Truncated => ErrorKind::TruncatedInput,
            SealError::Unsupported(_) => ErrorKind::UnsupportedInput,
            SealError::WrongPassphrase => ErrorKind::WrongPin,
            SealError::Io(_) => ErrorKind::Io,
        }
    }

    /// Classifies an error from reading age input (header, armor or payload; also what an
    /// [`opening_reader`] returns): truncation, a chunk that fails authentication, bad armor, or
    /// the input's own I/O error.
    pub fn from_read(error: &io::Error) -> Self {
        match error.kind() {
            _ if crate::header_limit::is_oversized(error) => {
                SealError::Unsupported(UnsupportedKind::OversizedHeader)
            }
            _ if crate::header_limit::is_malformed(error) => {
                SealError::Corrupt(CorruptPart::Header)
            }
            _ if crate::header_limit::is_newer_version(error) => {
                SealError::Unsupported(UnsupportedKind::FormatVersion)
            }
            io::ErrorKind::UnexpectedEof => SealError::Truncated,
            // age's armor reader and payload stream both report bad data as InvalidData: the
            // armor reader's errors are typed (or std's UTF-8 error from its line reader), the
            // payload stream's are fixed messages about chunks or decryption.
            io::ErrorKind::InvalidData if is_armor_failure(error) => {
                SealError::Corrupt(CorruptPart::Armor)
            }
            io::ErrorKind::InvalidData if is_payload_failure(error) => {
                SealError::Corrupt(CorruptPart::Payload)
            }
            io::ErrorKind::InvalidData => SealError::Corrupt(CorruptPart::Armor),
            kind => SealError::Io(kind),
        }
    }

    fn from_decrypt(error: DecryptError) -> Self {
        match error {
            DecryptError::NoMatchingKeys => SealError::WrongIdentity,
            DecryptError::InvalidHeader => SealError::Corrupt(CorruptPart::Header),
            DecryptError::InvalidMac => SealError::Corrupt(CorruptPart::HeaderMac),
            DecryptError::DecryptionFailed | DecryptError::KeyDecryptionFailed => {
                SealError::Corrupt(CorruptPart::Payload)
            }
            DecryptError::ExcessiveWork { .. } => {
                SealError::Unsupported(UnsupportedKind::Passphrase)
            }
            // age falls back to "unknown version" whenever a v1 header fails to parse; a version
            // line other than v1 never gets this far (HeaderLimit refuses it as
            // `FormatVersion`), so here the v1 header is malformed.
            DecryptError::UnknownFormat => SealError::Corrupt(CorruptPart::Header),
            DecryptError::Io(e) => SealError::from_read(&e),
            // Plugin errors (a feature Indicia does not enable) and future variants.
            _ => SealError::Corrupt(CorruptPart::Header),
        }
    }
}

fn is_armor_failure(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<age::armor::ArmoredReadError>())
}

fn is_payload_failure(error: &io::Error) -> bool {
    let text = error.to_string().to_ascii_lowercase();
    text.contains("decryption error") || text.contains("chunk")
}

const ARMOR_BEGIN: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";

/// Every age file starts with one of these: the binary header line or the armor's BEGIN line.
const AGE_STARTS: [&[u8]; 2] = [b"age-encryption.org/", ARMOR_BEGIN];

fn is_prefix_of(head: &[u8], start: &[u8]) -> bool {
    let n = head.len().min(start.len());
    head[..n] == start[..n]
}

/// Whether the first bytes available could begin an age file. age's parsers ask for more input
/// while they have no complete line, so without this a short text that was never an age file
/// would be reported as truncated.
fn could_be_age(head: &[u8]) -> bool {
    AGE_STARTS.iter().any(|start| is_prefix_of(head, start))
}

/// Consumes the ASCII whitespace at the start of `input`; whether there was any.
fn skip_leading_whitespace<R: BufRead>(input: &mut R) -> Result<bool, SealError> {
    let mut skipped = false;
    loop {
        let head = input.fill_buf().map_err(|e| SealError::from_read(&e))?;
        let blank = head.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if blank == 0 {
            return Ok(skipped);
        }
        input.consume(blank);
        skipped = true;
    }
}

fn output_error(error: io::Error) -> SealError {
    SealError::Io(error.kind())
}

/// An age file being written: plaintext goes in through `Write`, and `finish` completes the
/// file (an age file without its final chunk is truncated, so `finish` must be called).
pub struct SealingWriter<W: Write> {
    inner: age::stream::StreamWriter<ArmoredWriter<W>>,
}

impl<W: Write> SealingWriter<W> {
    /// Starts an age file to `recipients` on `output`.
    pub fn new(output: W, recipients: &[Recipient], armor: Armor) -> Result<Self, SealError> {
        if recipients.is_empty() {
            return Err(SealError::NoRecipients);
        }
        let encryptor = age::Encryptor::with_recipients(
            recipients.iter().map(|r| r.as_age() as &dyn age::Recipient),
        )
        // X25519 recipients cannot be incompatible with each other, and the list is not empty.
        .map_err(|_| SealError::NoRecipients)?;
        let format = match armor {
            Armor::Binary => Format::Binary,
            Armor::Ascii => Format::AsciiArmor,
        };
        let armored = ArmoredWriter::wrap_output(output, format).map_err(output_error)?;
        let inner = encryptor.wrap_output(armored).map_err(output_error)?;
        Ok(SealingWriter { inner })
    }

    /// Writes the last chunk and the armor's end; returns `output`.
    pub fn finish(self) -> Result<W, SealError> {
        let armored = self.inner.finish().map_err(output_error)?;
        armored.finish().map_err(output_error)
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Seals everything read from `input` to `recipients`, writing the age file to `output`.
/// Memory use is constant in the input size. Returns `output` once the file is complete.
pub fn seal_stream<R: Read, W: Write>(
    mut input: R,
    output: W,
    recipients: &[Recipient],
    armor: Armor,
) -> Result<W, SealError> {
    let mut writer = SealingWriter::new(output, recipients, armor)?;
    let mut buffer = Zeroizing::new(vec![0u8; COPY_BUFFER]);
    loop {
        let read = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SealError::Io(e.kind())),
        };
        writer.write_all(&buffer[..read]).map_err(output_error)?;
    }
    writer.finish()
}

/// The plaintext of an age file (binary or armored), authenticated chunk by chunk as it is
/// read. Read errors are io errors; [`SealError::from_read`] classifies them.
pub fn opening_reader<R: BufRead>(
    mut input: R,
    identities: &[Identity],
) -> Result<impl Read, SealError> {
    if identities.is_empty() {
        return Err(SealError::Key(KeyError::NoIdentity));
    }
    // Mail and chat clients put blank lines around pasted text. The age spec lets armor
    // parsers accept whitespace before and after the PEM block and nothing else ("age
    // implementations SHOULD reject non-canonical ASCII armor encodings except for whitespace
    // before and after the PEM block", C2SP age.md, "ASCII armor"; test kit vector
    // `armor_whitespace_outside`). The age crate's reader takes trailing whitespace but not
    // leading, so it is skipped here, and only in front of armor: a binary header must start
    // at the first byte.
    let skipped = skip_leading_whitespace(&mut input)?;
    let head = input.fill_buf().map_err(|e| SealError::from_read(&e))?;
    let plausible = if skipped {
        !head.is_empty() && is_prefix_of(head, ARMOR_BEGIN)
    } else {
        could_be_age(head)
    };
    if !plausible {
        // A PEM-style line of another label (or case) is armor gone wrong, not some other file.
        let part = if head.starts_with(b"-----") {
            CorruptPart::Armor
        } else {
            CorruptPart::Header
        };
        return Err(SealError::Corrupt(part));
    }
    let decryptor =
        age::Decryptor::new_buffered(bounded_header(input)).map_err(SealError::from_decrypt)?;
    if decryptor.is_scrypt() {
        return Err(SealError::Unsupported(UnsupportedKind::Passphrase));
    }
    decryptor
        .decrypt(identities.iter().map(|i| i.as_age() as &dyn age::Identity))
        .map_err(SealError::from_decrypt)
}

/// The de-armored bytes of an age file, its header checked by [`HeaderLimit`] as age parses it.
fn bounded_header<R: BufRead>(input: R) -> impl BufRead {
    io::BufReader::new(HeaderLimit::new(ArmoredReader::new(input)))
}

/// Opens an age file (binary or armored) read from `input` with any of `identities`, writing
/// the plaintext to `output`; returns the plaintext length.
///
/// Plaintext is written chunk by chunk as each chunk authenticates, so on a `Corrupt` or
/// `Truncated` error `output` may already hold a prefix of authentic plaintext: callers that
/// must not act on partial data write to a temporary place and discard it on error.
pub fn open_stream<R: BufRead, W: Write>(
    input: R,
    mut output: W,
    identities: &[Identity],
) -> Result<u64, SealError> {
    let mut reader = opening_reader(input, identities)?;
    let mut buffer = Zeroizing::new(vec![0u8; COPY_BUFFER]);
    let mut total: u64 = 0;
    loop {
        let read = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SealError::from_read(&e)),
        };
        output.write_all(&buffer[..read]).map_err(output_error)?;
        total = total.saturating_add(read as u64);
    }
    output.flush().map_err(output_error)?;
    Ok(total)
}

/// Whether `bytes` look like an age file (binary or armored): how a passphrase-protected
/// identity file is told from a plain one.
pub fn is_age_file(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    !start.is_empty() && could_be_age(start)
}

/// Protects a secret (an identity file's text) with a passphrase: an ASCII-armored age file with
/// an scrypt recipient, as `age -p` writes, so Go age and rage open it with the passphrase too.
/// age calibrates the scrypt work to about a second on this machine.
pub fn protect_with_passphrase(
    secret: &SecretString,
    passphrase: &SecretString,
) -> Result<Vec<u8>, SealError> {
    if passphrase.expose_secret().is_empty() {
        return Err(SealError::WrongPassphrase);
    }
    let encryptor = age::Encryptor::with_user_passphrase(passphrase.clone());
    let armored =
        ArmoredWriter::wrap_output(Vec::new(), Format::AsciiArmor).map_err(output_error)?;
    let mut writer = encryptor.wrap_output(armored).map_err(output_error)?;
    writer
        .write_all(secret.expose_secret().as_bytes())
        .map_err(output_error)?;
    let armored = writer.finish().map_err(output_error)?;
    armored.finish().map_err(output_error)
}

/// Opens what [`protect_with_passphrase`] (or `age -p`) wrote. A wrong passphrase is
/// `WrongPassphrase`; a file sealed to keys instead is `Unsupported`.
pub fn open_with_passphrase(
    protected: &[u8],
    passphrase: &SecretString,
) -> Result<SecretString, SealError> {
    if !is_age_file(protected) {
        return Err(SealError::Corrupt(CorruptPart::Header));
    }
    let decryptor = age::Decryptor::new_buffered(bounded_header(protected.trim_ascii_start()))
        .map_err(SealError::from_decrypt)?;
    if !decryptor.is_scrypt() {
        return Err(SealError::Unsupported(UnsupportedKind::NotPassphrase));
    }
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            DecryptError::DecryptionFailed
            | DecryptError::KeyDecryptionFailed
            | DecryptError::NoMatchingKeys => SealError::WrongPassphrase,
            other => SealError::from_decrypt(other),
        })?;
    let mut plain = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut plain)
        .map_err(|e| SealError::from_read(&e))?;
    let text =
        String::from_utf8(plain.to_vec()).map_err(|_| SealError::Corrupt(CorruptPart::Payload))?;
    Ok(SecretString::from(text))
}

/// Seals `plaintext` in memory. See [`seal_stream`].
pub fn seal(
    plaintext: &[u8],
    recipients: &[Recipient],
    armor: Armor,
) -> Result<Vec<u8>, SealError> {
    seal_stream(plaintext, Vec::new(), recipients, armor)
}

/// Opens an age file held in memory. Unlike [`open_stream`], nothing is returned unless the
/// whole file authenticates.
pub fn open(ciphertext: &[u8], identities: &[Identity]) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let mut plaintext = Zeroizing::new(Vec::new());
    open_stream(ciphertext, &mut *plaintext, identities)?;
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn pair() -> (Identity, Recipient) {
        let identity = Identity::generate();
        let recipient = identity.recipient();
        (identity, recipient)
    }

    #[test]
    fn seals_and_opens_binary_and_armored() {
        let (identity, recipient) = pair();
        for armor in [Armor::Binary, Armor::Ascii] {
            let sealed = seal(
                b"passport kept by employer",
                std::slice::from_ref(&recipient),
                armor,
            )
            .unwrap();
            assert_eq!(
                &*open(&sealed, std::slice::from_ref(&identity)).unwrap(),
                b"passport kept by employer"
            );
        }
    }

    #[test]
    fn armored_output_is_pem_framed_text() {
        let (_, recipient) = pair();
        let sealed = seal(b"x", &[recipient], Armor::Ascii).unwrap();
        let text = String::from_utf8(sealed).unwrap();
        assert!(text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(text
            .trim_end()
            .ends_with("-----END AGE ENCRYPTED FILE-----"));
    }

    #[test]
    fn sealed_bytes_do_not_contain_the_plaintext() {
        let (_, recipient) = pair();
        let sealed = seal(b"PLAINTEXT-MARKER-7f3a", &[recipient], Armor::Binary).unwrap();
        assert!(!sealed.windows(21).any(|w| w == b"PLAINTEXT-MARKER-7f3a"));
    }

    #[test]
    fn every_recipient_of_several_can_open() {
        let (a, ra) = pair();
        let (b, rb) = pair();
        let sealed = seal(b"two units", &[ra, rb], Armor::Binary).unwrap();
        assert_eq!(&*open(&sealed, &[a]).unwrap(), b"two units");
        assert_eq!(&*open(&sealed, &[b]).unwrap(), b"two units");
    }

    #[test]
    fn identity_list_opens_when_any_one_matches() {
        let (a, ra) = pair();
        let (b, _) = pair();
        let sealed = seal(b"m", &[ra], Armor::Binary).unwrap();
        assert_eq!(&*open(&sealed, &[b, a]).unwrap(), b"m");
    }

    #[test]
    fn wrong_identity_is_its_own_error() {
        let (_, recipient) = pair();
        let (other, _) = pair();
        let sealed = seal(b"m", &[recipient], Armor::Binary).unwrap();
        let err = open(&sealed, &[other]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WrongIdentity);
    }

    #[test]
    fn empty_recipient_list_is_rejected() {
        let err = seal(b"m", &[], Armor::Binary).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NoRecipients);
    }

    #[test]
    fn empty_identity_list_is_rejected() {
        let (_, recipient) = pair();
        let sealed = seal(b"m", &[recipient], Armor::Binary).unwrap();
        assert_eq!(
            open(&sealed, &[]).unwrap_err().kind(),
            ErrorKind::MalformedIdentity
        );
    }

    #[test]
    fn empty_plaintext_round_trips() {
        let (identity, recipient) = pair();
        let sealed = seal(b"", &[recipient], Armor::Binary).unwrap();
        assert!(open(&sealed, &[identity]).unwrap().is_empty());
    }

    #[test]
    fn multi_chunk_plaintext_round_trips_through_streams() {
        let (identity, recipient) = pair();
        let plaintext: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let sealed = seal_stream(&plaintext[..], Vec::new(), &[recipient], Armor::Binary).unwrap();
        let mut out = Vec::new();
        let n = open_stream(&sealed[..], &mut out, &[identity]).unwrap();
        assert_eq!(n, plaintext.len() as u64);
        assert_eq!(out, plaintext);
    }

    #[test]
    fn input_that_is_not_age_is_corrupt_header() {
        let (identity, _) = pair();
        let err = open(b"this is not an age file at all\n", &[identity]).unwrap_err();
        assert!(
            matches!(err, SealError::Corrupt(CorruptPart::Header)),
            "{err:?}"
        );
    }

    #[test]
    fn empty_input_is_truncated() {
        let (identity, _) = pair();
        assert_eq!(
            open(b"", &[identity]).unwrap_err().kind(),
            ErrorKind::TruncatedInput
        );
    }

    #[test]
    fn header_cut_short_is_truncated() {
        let (identity, recipient) = pair();
        let sealed = seal(b"m", &[recipient], Armor::Binary).unwrap();
        let header_end = find(&sealed, b"\n---").unwrap();
        for cut in [25, header_end / 2, header_end + 2] {
            let err = open(&sealed[..cut], std::slice::from_ref(&identity)).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::TruncatedInput,
                "cut at {cut}: {err:?}"
            );
        }
    }

    #[test]
    fn payload_cut_at_a_chunk_boundary_is_truncated() {
        let (identity, recipient) = pair();
        let plaintext = vec![7u8; 3 * 64 * 1024];
        let sealed = seal(&plaintext, &[recipient], Armor::Binary).unwrap();
        // Header, 16-byte nonce, then chunks of 64 KiB + 16-byte tag: keep exactly two chunks.
        let payload_start = find(&sealed, b"\n---").unwrap();
        let header_len = payload_start
            + sealed[payload_start + 1..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap()
            + 2;
        let cut = header_len + 16 + 2 * (64 * 1024 + 16);
        let err = open(&sealed[..cut], &[identity]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TruncatedInput, "{err:?}");
    }

    #[test]
    fn altered_header_mac_is_corrupt() {
        let (identity, recipient) = pair();
        let mut sealed = seal(b"m", &[recipient], Armor::Binary).unwrap();
        let mac_at = find(&sealed, b"\n--- ").unwrap() + 6;
        sealed[mac_at] = if sealed[mac_at] == b'A' { b'B' } else { b'A' };
        let err = open(&sealed, &[identity]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CorruptInput, "{err:?}");
    }

    #[test]
    fn altered_payload_is_corrupt() {
        let (identity, recipient) = pair();
        let mut sealed = seal(b"the payload", &[recipient], Armor::Binary).unwrap();
        let last = sealed.len() - 1;
        sealed[last] ^= 0x01;
        let err = open(&sealed, &[identity]).unwrap_err();
        assert!(
            matches!(err, SealError::Corrupt(CorruptPart::Payload)),
            "{err:?}"
        );
    }

    #[test]
    fn every_single_bit_flip_is_rejected() {
        let (identity, recipient) = pair();
        let sealed = seal(b"short report", &[recipient], Armor::Binary).unwrap();
        for byte in 0..sealed.len() {
            for bit in 0..8 {
                let mut tampered = sealed.clone();
                tampered[byte] ^= 1 << bit;
                assert!(
                    open(&tampered, std::slice::from_ref(&identity)).is_err(),
                    "flip {byte}:{bit} accepted"
                );
            }
        }
    }

    #[test]
    fn every_truncation_is_rejected() {
        let (identity, recipient) = pair();
        for armor in [Armor::Binary, Armor::Ascii] {
            let sealed = seal(b"short report", std::slice::from_ref(&recipient), armor).unwrap();
            for cut in 0..sealed.len() {
                let err = open(&sealed[..cut], std::slice::from_ref(&identity));
                // Armor ends with an optional newline after the END line.
                if armor == Armor::Ascii && cut + 1 == sealed.len() {
                    continue;
                }
                let err = err.expect_err("truncated input accepted");
                assert!(
                    matches!(
                        err.kind(),
                        ErrorKind::TruncatedInput | ErrorKind::CorruptInput
                    ),
                    "cut {cut}: {err:?}"
                );
            }
        }
    }

    #[test]
    fn passphrase_encrypted_file_is_unsupported() {
        let (identity, _) = pair();
        let encryptor =
            age::Encryptor::with_user_passphrase(SecretString::from("correct horse".to_owned()));
        let mut sealed = Vec::new();
        let mut w = encryptor.wrap_output(&mut sealed).unwrap();
        w.write_all(b"m").unwrap();
        w.finish().unwrap();
        let err = open(&sealed, &[identity]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnsupportedInput, "{err:?}");
    }

    #[test]
    fn broken_armor_is_corrupt() {
        let (identity, recipient) = pair();
        let sealed = seal(b"m", &[recipient], Armor::Ascii).unwrap();
        let mut text = String::from_utf8(sealed).unwrap();
        text = text.replacen(
            "-----BEGIN AGE ENCRYPTED FILE-----\n",
            "-----BEGIN AGE ENCRYPTED FILE-----\n!!!!",
            1,
        );
        let err = open(text.as_bytes(), &[identity]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CorruptInput, "{err:?}");
    }

    #[test]
    fn armor_after_leading_whitespace_opens_but_a_binary_header_must_start_the_file() {
        let (identity, recipient) = pair();
        let armored = seal(b"m", std::slice::from_ref(&recipient), Armor::Ascii).unwrap();
        for lead in [&b"\n\n"[..], b"\r\n \t\n", b" "] {
            let pasted = [lead, &armored[..], b"\n\n"].concat();
            assert_eq!(
                &*open(&pasted, std::slice::from_ref(&identity)).unwrap(),
                b"m"
            );
        }
        let binary = seal(b"m", &[recipient], Armor::Binary).unwrap();
        let err = open(&[b"\n", &binary[..]].concat(), &[identity]).unwrap_err();
        assert!(
            matches!(err, SealError::Corrupt(CorruptPart::Header)),
            "{err:?}"
        );
    }

    #[test]
    fn a_malformed_v1_header_is_corrupt_and_only_another_version_is_unsupported() {
        let (identity, recipient) = pair();
        let sealed = seal(b"m", &[recipient], Armor::Binary).unwrap();
        let text = |from: &str, to: &str| {
            let at = find(&sealed, from.as_bytes()).unwrap();
            [&sealed[..at], to.as_bytes(), &sealed[at + from.len()..]].concat()
        };
        // A stanza with no body line at all: age 0.12 falls back to "unknown version" here.
        let no_body = {
            let stanza_end = find(&sealed, b"\n--- ").unwrap();
            let body_start = sealed[..stanza_end]
                .iter()
                .rposition(|&b| b == b'\n')
                .unwrap();
            [&sealed[..body_start], &sealed[stanza_end..]].concat()
        };
        for malformed in [no_body, text("\n-> X25519 ", "\n->  X25519 ")] {
            let err = open(&malformed, std::slice::from_ref(&identity)).unwrap_err();
            assert!(
                matches!(err, SealError::Corrupt(CorruptPart::Header)),
                "{err:?}"
            );
        }
        for newer in ["age-encryption.org/v2\n", "age-encryption.org/v1.1\n"] {
            let err = open(
                &text("age-encryption.org/v1\n", newer),
                std::slice::from_ref(&identity),
            )
            .unwrap_err();
            assert!(
                matches!(err, SealError::Unsupported(UnsupportedKind::FormatVersion)),
                "{err:?}"
            );
        }
    }

    #[test]
    fn error_messages_carry_no_plaintext_or_key() {
        let (identity, recipient) = pair();
        let mut sealed = seal(b"SECRET-NOTE", &[recipient], Armor::Binary).unwrap();
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        let message = open(&sealed, std::slice::from_ref(&identity))
            .unwrap_err()
            .to_string();
        assert!(!message.contains("SECRET-NOTE"));
        assert!(!message.contains("AGE-SECRET-KEY"));
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_input_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let identity = Identity::generate();
            let _ = open(&bytes, &[identity]);
        }

        #[test]
        fn arbitrary_age_prefixed_input_never_panics(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let identity = Identity::generate();
            let mut bytes = b"age-encryption.org/v1\n-> X25519 ".to_vec();
            bytes.extend_from_slice(&tail);
            let _ = open(&bytes, &[identity]);
        }
    }

    #[test]
    fn a_passphrase_protected_secret_opens_only_with_its_passphrase() {
        let secret = SecretString::from("AGE-SECRET-KEY-1EXAMPLE\n".to_owned());
        let pass = SecretString::from("correct horse".to_owned());
        let protected = protect_with_passphrase(&secret, &pass).unwrap();
        assert!(protected.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(is_age_file(&protected));
        assert!(!protected.windows(7).any(|w| w == b"EXAMPLE"));
        let opened = open_with_passphrase(&protected, &pass).unwrap();
        assert_eq!(opened.expose_secret(), secret.expose_secret());
        let wrong = open_with_passphrase(&protected, &SecretString::from("wrong".to_owned()));
        assert_eq!(wrong.unwrap_err().kind(), ErrorKind::WrongPin);
        let (_, recipient) = pair();
        let to_keys = seal(b"x", &[recipient], Armor::Ascii).unwrap();
        assert!(matches!(
            open_with_passphrase(&to_keys, &pass),
            Err(SealError::Unsupported(UnsupportedKind::NotPassphrase))
        ));
        assert!(!is_age_file(b"# created: ...\nAGE-SECRET-KEY-1..."));
    }
}
