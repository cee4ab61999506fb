//! Phone numbers to E.164 with the libphonenumber metadata (the `phonenumber` crate).

use std::str::FromStr;

use phonenumber::country;

use super::SelectorError;

/// Digits accepted after `+` (E.164 allows 15; a little slack for a written trunk `0`).
const MAX_DIGITS: usize = 17;

/// A checked default region: the metadata id and its upper-case ISO code.
pub(super) struct Region {
    id: country::Id,
    code: String,
}

/// Reads an ISO 3166 alpha-2 code (any case, surrounding spaces ignored).
pub(super) fn region(code: &str) -> Result<Region, SelectorError> {
    let code = code.trim();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(SelectorError::UnknownRegion);
    }
    let code = code.to_ascii_uppercase();
    let id = country::Id::from_str(&code).map_err(|_| SelectorError::UnknownRegion)?;
    Ok(Region { id, code })
}

/// Checks that `code` is an ISO 3166-1 alpha-2 region the phone metadata knows (any case):
/// [`super::extract_from_text`] reads no national number in an unknown region, so a caller that
/// takes a region from a person checks it first rather than silently finding fewer numbers.
///
/// ```rust
/// use indicia_core::correlate::{check_region, SelectorError};
///
/// assert!(check_region("sk").is_ok());
/// assert_eq!(check_region("XX"), Err(SelectorError::UnknownRegion));
/// ```
pub fn check_region(code: &str) -> Result<(), SelectorError> {
    region(code).map(|_| ())
}

/// Characters a written phone number may contain besides digits and one leading `+`.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}'
    ) || ('\u{2010}'..='\u{2015}').contains(&c)
}

/// Normalises a trimmed phone number to E.164.
///
/// Accepted: digits (ASCII only), spaces, `-`, `.`, `/`, parentheses, a leading `+` or `00`, and
/// a leading `tel:`. Letters (vanity numbers) and extensions are rejected.
pub(super) fn normalise_phone(
    s: &str,
    default_region: Option<&str>,
) -> Result<String, SelectorError> {
    let region = default_region.map(region).transpose()?;
    let s = strip_prefix_ignore_ascii_case(s, "tel:").unwrap_or(s);

    let invalid = |international: bool| SelectorError::InvalidPhone {
        region: if international {
            None
        } else {
            region.as_ref().map(|r| r.code.clone())
        },
    };

    let mut digits = String::new();
    let mut plus = false;
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            c if is_separator(c) => {}
            _ => return Err(invalid(plus)),
        }
    }
    if !plus {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_owned();
            plus = true;
        }
    }
    if digits.len() < 3 || digits.len() > MAX_DIGITS {
        return Err(invalid(plus));
    }
    let region_id = if plus {
        None
    } else {
        match &region {
            Some(r) => Some(r.id),
            None => return Err(SelectorError::PhoneNeedsRegion),
        }
    };
    let text = if plus { format!("+{digits}") } else { digits };
    let number = phonenumber::parse(region_id, &text).map_err(|_| invalid(plus))?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid(plus));
    }
    // E.164 written directly (the crate's formatter would look up the metadata again).
    Ok(format!("+{}{}", number.code().value(), number.national()))
}

/// `s` without `prefix`, compared ASCII case-insensitively.
pub(super) fn strip_prefix_ignore_ascii_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}
