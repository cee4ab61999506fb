//! Selector kinds, the normalised selector, and [`normalise`], which dispatches to the rules of
//! each kind.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{email, names, phone, plate, web, SelectorError};

/// What a selector identifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum SelectorKind {
    /// A phone number, normalised to E.164 (`+421903123456`).
    Phone,
    /// An e-mail address, lowercased (`local@domain.tld`).
    Email,
    /// A street address, case-folded with punctuation collapsed (exact match only).
    Address,
    /// A vehicle registration plate, uppercased without separators (`SK:BA123AB`).
    Plate,
    /// An online handle, lowercased, optionally with its platform (`telegram:foo`).
    Handle,
    /// A web address (`https://example.com/path?q=1`).
    Url,
    /// A workplace or company name, case-folded, without a trailing legal form (exact match only).
    Workplace,
}

impl SelectorKind {
    /// Every kind, in declaration order.
    pub const ALL: [SelectorKind; 7] = [
        SelectorKind::Phone,
        SelectorKind::Email,
        SelectorKind::Address,
        SelectorKind::Plate,
        SelectorKind::Handle,
        SelectorKind::Url,
        SelectorKind::Workplace,
    ];

    /// The stable name of this kind, as in JSON (`phone`, `email`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorKind::Phone => "phone",
            SelectorKind::Email => "email",
            SelectorKind::Address => "address",
            SelectorKind::Plate => "plate",
            SelectorKind::Handle => "handle",
            SelectorKind::Url => "url",
            SelectorKind::Workplace => "workplace",
        }
    }
}

impl fmt::Display for SelectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SelectorKind {
    type Err = SelectorError;

    /// Parses the name given by [`SelectorKind::as_str`] (ASCII case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        SelectorKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(s))
            .ok_or(SelectorError::UnknownKind)
    }
}

/// A normalised selector: two selectors are the same if and only if they are equal.
///
/// Build one with [`normalise`] or [`super::extract_from_text`]. A selector deserialised from
/// elsewhere is taken as it is; correlation compares values exactly, so values not produced by
/// [`normalise`] may fail to match their equivalents.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Selector {
    /// What the value identifies.
    pub kind: SelectorKind,
    /// The normalised value (personal data).
    pub value: String,
}

impl Selector {
    pub(super) fn new(kind: SelectorKind, value: String) -> Self {
        Selector { kind, value }
    }
}

/// The longest raw value accepted per kind, in characters (after trimming).
pub(super) fn max_chars(kind: SelectorKind) -> usize {
    match kind {
        SelectorKind::Phone => 64,
        SelectorKind::Email => 254,
        SelectorKind::Address => 1000,
        SelectorKind::Plate => 32,
        SelectorKind::Handle | SelectorKind::Url => 2048,
        SelectorKind::Workplace => 300,
    }
}

/// Trims `raw` and checks it is neither empty nor longer than the kind allows.
pub(super) fn trimmed(kind: SelectorKind, raw: &str) -> Result<&str, SelectorError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(SelectorError::Empty { kind });
    }
    let max = max_chars(kind);
    if s.chars().nth(max).is_some() {
        return Err(SelectorError::TooLong { kind, max });
    }
    Ok(s)
}

/// Brings a raw value of the given kind to its normal form.
///
/// `default_region` (ISO 3166 alpha-2, e.g. `"SK"`) is used to read phone numbers written in
/// national format; other kinds ignore it.
///
/// The kind of the result is usually `kind`, with one deliberate exception so that equal things
/// match: a URL (given as [`SelectorKind::Url`] or [`SelectorKind::Handle`]) that is a profile on
/// a known platform becomes a [`SelectorKind::Handle`] (`https://t.me/s/foo` and
/// `tg://resolve?domain=foo` → `telegram:foo`), and a WhatsApp chat link (`https://wa.me/<number>`,
/// `api.whatsapp.com/send?phone=<number>`) becomes a [`SelectorKind::Phone`].
///
/// The rules per kind are in `docs/correlation.md`. Normalising a normalised value gives the same
/// value. Errors never contain the value.
pub fn normalise(
    kind: SelectorKind,
    raw: &str,
    default_region: Option<&str>,
) -> Result<Selector, SelectorError> {
    let s = trimmed(kind, raw)?;
    match kind {
        SelectorKind::Phone => {
            phone::normalise_phone(s, default_region).map(|v| Selector::new(kind, v))
        }
        SelectorKind::Email => email::normalise_email(s).map(|v| Selector::new(kind, v)),
        SelectorKind::Url => web::normalise_url(s),
        SelectorKind::Handle => web::normalise_handle(s),
        SelectorKind::Plate => plate::normalise_plate(s).map(|v| Selector::new(kind, v)),
        SelectorKind::Address => names::normalise_address(s).map(|v| Selector::new(kind, v)),
        SelectorKind::Workplace => names::normalise_workplace(s).map(|v| Selector::new(kind, v)),
    }
}
