//! Selectors for correlation (docs/correlation.md): normalising one value and finding them in
//! free text. Errors never repeat the value.

use indicia_core::correlate::{self, Selector, SelectorKind};

use crate::IndiciaError;

/// Brings a raw value of `kind` (phone, email, address, plate, handle, url, workplace) to its
/// normal form; national phone numbers are read in `default_region` (ISO 3166 alpha-2). The
/// kind can change: a profile URL becomes a handle, a wa.me link a phone number.
#[uniffi::export]
pub fn normalise_selector(
    kind: SelectorKind,
    raw: String,
    default_region: Option<String>,
) -> Result<Selector, IndiciaError> {
    Ok(correlate::normalise(kind, &raw, default_region.as_deref())?)
}

/// The phone numbers, e-mail addresses and URLs in a free-text note, normalised, without
/// duplicates, in order of first appearance.
#[uniffi::export]
pub fn extract_selectors(text: String, default_region: Option<String>) -> Vec<Selector> {
    correlate::extract_from_text(&text, default_region.as_deref())
}
