//! Street addresses and workplace names: exact match after folding, never fuzzy.

use icu_normalizer::ComposingNormalizerBorrowed;

use super::{SelectorError, SelectorKind};

/// Legal-form suffixes dropped from the end of a workplace name, as folded tokens (so `s.r.o.`,
/// `S. R. O.` and `s r o` are all `["s", "r", "o"]`). Longer forms come before their tails.
/// A bare `spa` is deliberately absent: it is also the word for a (massage) spa.
const LEGAL_FORMS: &[&[&str]] = &[
    &["spol", "s", "r", "o"],
    &["sp", "z", "o", "o"],
    &["gmbh", "co", "kg"],
    &["s", "r", "o"],
    &["sro"],
    &["a", "s"],
    &["s", "r", "l"],
    &["srl"],
    &["s", "p", "a"],
    &["s", "l", "u"],
    &["s", "l"],
    &["s", "a", "u"],
    &["s", "a"],
    &["sa"],
    &["d", "o", "o"],
    &["ltd"],
    &["limited"],
    &["llc"],
    &["inc"],
    &["gmbh"],
    &["ooo"],
    &["ооо"], // Cyrillic ООО
];

/// NFKC, lowercase, NFKC again; then every run of characters that are not letters or digits
/// (spaces, punctuation, symbols) becomes one space; no space at either end.
fn fold_tokens(s: &str) -> Vec<String> {
    let nfkc = ComposingNormalizerBorrowed::new_nfkc();
    let lower = nfkc.normalize(s).to_lowercase();
    let folded = nfkc.normalize(&lower);
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Normalises a trimmed street address: folded as in [`fold_tokens`], nothing expanded
/// (`ul.` stays `ul`, `Street` does not become `st`).
pub(super) fn normalise_address(s: &str) -> Result<String, SelectorError> {
    let tokens = fold_tokens(s);
    if tokens.is_empty() {
        return Err(SelectorError::Empty {
            kind: SelectorKind::Address,
        });
    }
    Ok(tokens.join(" "))
}

/// Normalises a trimmed workplace name: folded as an address, then trailing legal forms
/// ([`LEGAL_FORMS`]) dropped as long as a name remains.
pub(super) fn normalise_workplace(s: &str) -> Result<String, SelectorError> {
    let mut tokens = fold_tokens(s);
    if tokens.is_empty() {
        return Err(SelectorError::Empty {
            kind: SelectorKind::Workplace,
        });
    }
    while let Some(form) = LEGAL_FORMS.iter().find(|form| {
        tokens.len() > form.len() && tokens[tokens.len() - form.len()..].iter().eq(form.iter())
    }) {
        tokens.truncate(tokens.len() - form.len());
    }
    Ok(tokens.join(" "))
}
