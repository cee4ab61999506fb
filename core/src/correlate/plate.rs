//! Vehicle registration plates.

use super::SelectorError;

/// The Latin capital a Greek or Cyrillic capital is written as on a plate, if it looks the same.
///
/// Plates in Bulgaria, Ukraine, Russia, Serbia, Greece … use exactly the capitals that look like
/// Latin ones (Cyrillic А В Е К М Н О Р С Т У Х, Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ), so a
/// witness writes either alphabet. "Looks the same" is Unicode's confusables data: equal UTS #39
/// skeletons. Only Greek and Cyrillic letters are mapped, and only onto letters: the skeleton
/// alone would also make `0` and `O` (or `1` and `I`) one character, which are different on a
/// plate, and would fold scripts plates never use.
fn latin_twin(c: char) -> Option<char> {
    if !matches!(c, '\u{0370}'..='\u{03ff}' | '\u{0400}'..='\u{052f}') {
        return None;
    }
    let mut buf = [0; 4];
    let skeleton: Vec<char> = unicode_security::skeleton(c.encode_utf8(&mut buf)).collect();
    ('A'..='Z').find(|latin| {
        let mut buf = [0; 4];
        unicode_security::skeleton(latin.encode_utf8(&mut buf)).eq(skeleton.iter().copied())
    })
}

/// Characters dropped from a plate: spacing and the usual separators.
fn is_plate_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '-' | '.' | '·' | '_')
        || ('\u{2010}'..='\u{2015}').contains(&c)
}

/// Normalises a trimmed plate: `[CC:]` + letters and digits, uppercased, separators removed,
/// Greek and Cyrillic look-alike capitals written in Latin. `SK:BA-123AB` → `SK:BA123AB`.
pub(super) fn normalise_plate(s: &str) -> Result<String, SelectorError> {
    let (country, body) = match s.split_once(':') {
        Some((country, body)) => {
            let country = country.trim();
            let ok = (1..=3).contains(&country.len())
                && country.bytes().all(|b| b.is_ascii_alphabetic());
            if !ok {
                return Err(SelectorError::InvalidPlate);
            }
            (Some(country.to_ascii_uppercase()), body)
        }
        None => (None, s),
    };
    let mut plate = String::new();
    for c in body.chars().filter(|&c| !is_plate_separator(c)) {
        for upper in c.to_uppercase() {
            let latin = latin_twin(upper).unwrap_or(upper);
            if !latin.is_alphanumeric() {
                return Err(SelectorError::InvalidPlate);
            }
            plate.push(latin);
        }
    }
    if !(2..=15).contains(&plate.chars().count()) {
        return Err(SelectorError::InvalidPlate);
    }
    Ok(match country {
        Some(country) => format!("{country}:{plate}"),
        None => plate,
    })
}
