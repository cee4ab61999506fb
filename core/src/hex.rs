//! Lower-case hexadecimal: how every format writes hashes, ids and keys. One implementation for
//! the workspace, so the encoders cannot drift apart.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::hex;
//!
//! let text = hex::encode(&[0x00, 0xab, 0xff]);
//! assert_eq!(text, "00abff");
//! assert_eq!(hex::decode::<3>(&text), Some([0x00, 0xab, 0xff]));
//! // Pasted keys may be upper case; a stored value must be lower case.
//! assert_eq!(hex::decode::<3>("00ABFF"), Some([0x00, 0xab, 0xff]));
//! assert!(hex::is_hex(&text, 6) && !hex::is_hex("00ABFF", 6));
//! // Anything but exactly 2 × N digits is refused.
//! assert_eq!(hex::decode::<3>("00abf"), None);
//! assert_eq!(hex::decode::<1>("+f"), None);
//! ```

/// `bytes` as lower-case hex, two digits per byte.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Exactly `N` bytes from `2 * N` hex digits of either case; `None` for any other input.
/// Case is accepted because keys are pasted by people; whether a stored value must be lower
/// case is [`is_hex`]'s question.
pub fn decode<const N: usize>(s: &str) -> Option<[u8; N]> {
    let digits = s.as_bytes();
    if digits.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

/// Bytes of any count from an even number of hex digits of either case; `None` otherwise.
pub fn decode_vec(s: &str) -> Option<Vec<u8>> {
    let digits = s.as_bytes();
    if digits.len() % 2 != 0 {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

/// Whether `s` is exactly `len` lower-case hex digits: the one written form formats accept.
pub fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_writes_two_lower_case_digits_per_byte() {
        assert_eq!(encode(&[0x00, 0x0f, 0xa0, 0xff, 0x5c]), "000fa0ff5c");
        assert_eq!(encode(&[]), "");
    }

    #[test]
    fn decode_reverses_encode_for_every_byte() {
        let all: [u8; 256] = std::array::from_fn(|i| i as u8);
        assert_eq!(decode::<256>(&encode(&all)), Some(all));
    }

    #[test]
    fn decode_accepts_upper_case() {
        assert_eq!(decode::<2>("aBcD"), Some([0xab, 0xcd]));
    }

    #[test]
    fn decode_rejects_a_wrong_length() {
        assert_eq!(decode::<2>("abc"), None);
        assert_eq!(decode::<2>("abcdef"), None);
        assert_eq!(decode::<0>(""), Some([]));
    }

    #[test]
    fn decode_rejects_signs_spaces_and_other_characters() {
        // `u8::from_str_radix` would read "+f" as 15.
        for bad in ["+f00", "0g00", " f00", "f00 ", "é0", "0x00"] {
            assert_eq!(decode::<2>(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn is_hex_wants_exactly_len_lower_case_digits() {
        assert!(is_hex("0123456789abcdef", 16));
        assert!(!is_hex("0123456789ABCDEF", 16));
        assert!(!is_hex("0123456789abcdef", 15));
        assert!(!is_hex("0123456789abcdeg", 16));
    }
}
