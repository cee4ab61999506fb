//! A bound on an age header, checked on the bytes before the age crate parses them: the crate's
//! header parser does work that grows with the square of the number of recipient stanzas (an
//! anyone-can-send shape: about 2,000 short stanzas took 21 s), and a receiving unit's recipient
//! is public. Legitimate files carry a handful of stanzas (one per receiving unit and reply
//! key), so far more than any real package is still allowed.

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
    mac_line: bool,
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
            mac_line: false,
        }
    }

    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        for &b in bytes {
            if !self.in_header {
                return Ok(());
            }
            self.header_bytes += 1;
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
                self.in_header = !self.mac_line;
                self.line_len = 0;
            }
            if self.stanzas > MAX_STANZAS || self.header_bytes > MAX_HEADER_BYTES {
                return Err(io::Error::new(io::ErrorKind::InvalidData, OversizedHeader));
            }
        }
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

/// Whether `error` is a [`HeaderLimit`] refusal.
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
    fn a_header_with_no_mac_line_within_the_byte_bound_is_refused() {
        let mut bytes = b"age-encryption.org/v1\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'A', MAX_HEADER_BYTES));
        assert!(is_oversized(&read_all(&bytes, 4096).unwrap_err()));
    }
}
