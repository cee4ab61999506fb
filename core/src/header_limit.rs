//! A bound on an age header, checked on the bytes before the age crate parses them: the crate's
//! header parser does work that grows with the square of the number of recipient stanzas (an
//! anyone-can-send shape: about 2,000 short stanzas took 21 s), and a receiving unit's recipient
//! is public. Legitimate files carry a handful of stanzas (one per receiving unit and reply
//! key), so far more than any real package is still allowed.
//!
//! The same pass checks two rules of the header's shape that the age crate (0.12) does not: every
//! recipient stanza ends with a body line shorter than 64 columns, even an empty one, and the MAC
//! line is `---`, a space and 43 Base64 characters (C2SP age.md, "Recipient stanza" and "Header
//! MAC"; test kit vectors `stanza_missing_body`, `stanza_missing_final_line`, which the crate
//! opens, and `hmac_missing`, `hmac_truncated`, which it reports as cut short). A header breaking
//! either is refused as [`MalformedHeader`].
//!
//! It also reads the version line. The age crate parses any header whose v1 form does not
//! parse as an "unknown version", so a malformed v1 header and a real newer version come out as
//! the same error; only here, where the line itself is seen, can they be told apart
//! (age spec, C2SP age.md "Version line": `"age-encryption.org/" 1*VCHAR LF`).

use std::io::{self, Read};

/// The most recipient stanzas (`-> ` lines) a header may have.
pub const MAX_STANZAS: usize = 128;
/// The most bytes a header may have, up to and including its MAC line.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// What [`HeaderLimit`] reports (inside an `io::Error` of kind `InvalidData`) when a header is
/// over a bound; `SealError::from_read` recognises it.
#[derive(Debug)]
pub struct OversizedHeader;

impl std::fmt::Display for OversizedHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the age header has more than {MAX_STANZAS} recipient stanzas or {MAX_HEADER_BYTES} bytes"
        )
    }
}

impl std::error::Error for OversizedHeader {}

/// What [`HeaderLimit`] reports (inside an `io::Error` of kind `InvalidData`) when the version
/// line is a well-formed `age-encryption.org/VERSION` line whose version is not `v1`;
/// `SealError::from_read` recognises it.
#[derive(Debug)]
pub struct NewerVersion;

impl std::fmt::Display for NewerVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the age header's version line names a version other than v1")
    }
}

impl std::error::Error for NewerVersion {}

/// What [`HeaderLimit`] reports (inside an `io::Error` of kind `InvalidData`) when a complete
/// header line breaks the header's grammar in a way the age crate lets through;
/// `SealError::from_read` recognises it.
#[derive(Debug)]
pub struct MalformedHeader;

impl std::fmt::Display for MalformedHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a recipient stanza without its final short line, or a malformed MAC line")
    }
}

impl std::error::Error for MalformedHeader {}

/// A stanza's body lines are this long, except its last, which is shorter.
const BODY_COLUMNS: usize = 64;
/// `---`, a space, and the MAC's 43 Base64 characters.
const MAC_LINE_LEN: usize = 47;

const MAGIC: &[u8] = b"age-encryption.org/";
const V1: &[u8] = b"v1";

/// The version line as it streams past, one byte at a time.
struct VersionLine {
    /// Bytes of the line seen so far (its newline excluded).
    seen: usize,
    magic: bool,
    printable: bool,
    v1: bool,
    done: bool,
}

impl VersionLine {
    fn new() -> Self {
        VersionLine {
            seen: 0,
            magic: true,
            printable: true,
            v1: true,
            done: false,
        }
    }

    /// Takes the next byte; at the line's end, whether it is a newer version's line.
    fn push(&mut self, b: u8) -> bool {
        if b == b'\n' {
            self.done = true;
            let version = self.seen.saturating_sub(MAGIC.len());
            let v1 = self.v1 && version == V1.len();
            return self.magic && self.seen > MAGIC.len() && self.printable && !v1;
        }
        match self.seen.checked_sub(MAGIC.len()) {
            None => self.magic &= MAGIC.get(self.seen) == Some(&b),
            Some(at) => {
                self.printable &= (0x21..=0x7e).contains(&b);
                self.v1 &= V1.get(at) == Some(&b);
            }
        }
        self.seen += 1;
        false
    }
}

/// Passes an age file's (de-armored) bytes through, counting the header's lines until its MAC
/// line (`---`) ends; fails with [`OversizedHeader`] as soon as a bound is crossed, before the
/// parser has seen the rest. Work is one look at each header byte.
pub struct HeaderLimit<R> {
    inner: R,
    in_header: bool,
    header_bytes: usize,
    stanzas: usize,
    /// The first bytes of the current line (enough to tell `->` and `---` apart).
    line: [u8; 3],
    line_len: usize,
    /// The current line's length, its newline excluded.
    line_bytes: usize,
    /// Inside a stanza whose final (short) body line has not come yet.
    in_body: bool,
    mac_line: bool,
    version: VersionLine,
}

impl<R> HeaderLimit<R> {
    /// Wraps the bytes of an age file, from its first byte.
    pub fn new(inner: R) -> Self {
        HeaderLimit {
            inner,
            in_header: true,
            header_bytes: 0,
            stanzas: 0,
            line: [0; 3],
            line_len: 0,
            line_bytes: 0,
            in_body: false,
            mac_line: false,
            version: VersionLine::new(),
        }
    }

    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        for &b in bytes {
            if !self.in_header {
                return Ok(());
            }
            self.header_bytes += 1;
            if !self.version.done && self.version.push(b) {
                return Err(io::Error::new(io::ErrorKind::InvalidData, NewerVersion));
            }
            if self.line_len < self.line.len() {
                self.line[self.line_len] = b;
                self.line_len += 1;
                match &self.line[..self.line_len] {
                    b"->" => self.stanzas += 1,
                    b"---" => self.mac_line = true,
                    _ => {}
                }
            }
            if b == b'\n' {
                self.end_line()?;
            } else {
                self.line_bytes += 1;
            }
            if self.stanzas > MAX_STANZAS || self.header_bytes > MAX_HEADER_BYTES {
                return Err(io::Error::new(io::ErrorKind::InvalidData, OversizedHeader));
            }
        }
        Ok(())
    }

    fn end_line(&mut self) -> io::Result<()> {
        let first = &self.line[..self.line_len];
        // Body lines are Base64, which has no `-`: a stanza or MAC line here means the stanza
        // before it never had its short final line.
        let unfinished = self.in_body && first.first() == Some(&b'-');
        if unfinished || (self.mac_line && self.line_bytes != MAC_LINE_LEN) {
            return Err(io::Error::new(io::ErrorKind::InvalidData, MalformedHeader));
        }
        self.in_body = if first.starts_with(b"->") {
            true
        } else {
            self.in_body && self.line_bytes == BODY_COLUMNS
        };
        self.in_header = !self.mac_line;
        self.line_len = 0;
        self.line_bytes = 0;
        Ok(())
    }
}

impl<R: Read> Read for HeaderLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.in_header {
            self.scan(buf.get(..n).unwrap_or_default())?;
        }
        Ok(n)
    }
}

/// Whether `error` is [`HeaderLimit`]'s refusal of a version other than v1.
pub fn is_newer_version(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<NewerVersion>())
}

/// Whether `error` is [`HeaderLimit`]'s refusal of a malformed header line.
pub fn is_malformed(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<MalformedHeader>())
}

/// Whether `error` is a [`HeaderLimit`] refusal of an oversized header.
pub fn is_oversized(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<OversizedHeader>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(stanzas: usize) -> Vec<u8> {
        let mut h = b"age-encryption.org/v1\n".to_vec();
        for _ in 0..stanzas {
            h.extend_from_slice(b"-> X25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nAAAA\n");
        }
        h.extend_from_slice(b"--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        // The payload may hold any bytes, dashes and arrows included.
        h.extend_from_slice(&b"->->---\n".repeat(10_000));
        h
    }

    fn read_all(bytes: &[u8], chunk: usize) -> io::Result<Vec<u8>> {
        let mut r = HeaderLimit::new(bytes);
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            match r.read(&mut buf)? {
                0 => return Ok(out),
                n => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    #[test]
    fn a_header_at_the_bound_passes_through_unchanged_whatever_the_payload_holds() {
        let bytes = header(MAX_STANZAS);
        for chunk in [1, 2, 7, 4096] {
            assert_eq!(read_all(&bytes, chunk).unwrap(), bytes);
        }
    }

    #[test]
    fn one_stanza_over_the_bound_is_refused_as_oversized() {
        let bytes = header(MAX_STANZAS + 1);
        for chunk in [1, 3, 4096] {
            let err = read_all(&bytes, chunk).unwrap_err();
            assert!(is_oversized(&err), "{err}");
        }
    }

    #[test]
    fn a_stanza_without_a_short_final_line_or_a_short_mac_line_is_malformed() {
        let full = "A".repeat(BODY_COLUMNS);
        let mac = "--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
        let well_formed = [
            format!("age-encryption.org/v1\n-> a\n\n{mac}"),
            format!("age-encryption.org/v1\n-> a\n{full}\n\n-> b\nAA\n{mac}"),
            format!("age-encryption.org/v1\n-> a\n{full}\n{full}\nAAAA\n{mac}"),
        ];
        for header in &well_formed {
            assert!(read_all(header.as_bytes(), 2).is_ok(), "{header}");
        }
        let malformed = [
            format!("age-encryption.org/v1\n-> a\n{mac}"),
            format!("age-encryption.org/v1\n-> a\n-> b\n\n{mac}"),
            format!("age-encryption.org/v1\n-> a\n{full}\n{mac}"),
            "age-encryption.org/v1\n-> a\n\n--- \n".to_owned(),
            "age-encryption.org/v1\n-> a\n\n--- AAAA\n".to_owned(),
            format!("age-encryption.org/v1\n-> a\n\n{}A\n", mac.trim_end()),
        ];
        for header in &malformed {
            for chunk in [1, 4096] {
                let err = read_all(header.as_bytes(), chunk).unwrap_err();
                assert!(is_malformed(&err), "{header}: {err}");
            }
        }
    }

    #[test]
    fn only_a_well_formed_version_line_other_than_v1_is_a_newer_version() {
        for newer in [
            &b"age-encryption.org/v2\n"[..],
            b"age-encryption.org/v1234\n",
            b"age-encryption.org/V1\n",
        ] {
            for chunk in [1, 4096] {
                assert!(is_newer_version(&read_all(newer, chunk).unwrap_err()));
            }
        }
        // CR before LF, a space, no version, another magic: malformed, left to the parser.
        for other in [
            &b"age-encryption.org/v1\r\n"[..],
            b"age-encryption.org/v 2\n",
            b"age-encryption.org/\n",
            b"age-encryption.org\n",
            b"-> X25519\n",
        ] {
            assert!(read_all(other, 3).is_ok());
        }
        assert!(read_all(&header(3), 5).is_ok());
    }

    #[test]
    fn a_header_with_no_mac_line_within_the_byte_bound_is_refused() {
        let mut bytes = b"age-encryption.org/v1\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'A', MAX_HEADER_BYTES));
        assert!(is_oversized(&read_all(&bytes, 4096).unwrap_err()));
    }
}
