//! Vehicle registration plates.

use super::SelectorError;

/// Cyrillic capitals that plates in Ukraine, Russia, Belarus, Bulgaria, Serbia … use precisely
/// because they look like Latin ones; witnesses write either alphabet.
const CYRILLIC_LOOKALIKES: [(char, char); 12] = [
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('І', 'I'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
];

/// Characters dropped from a plate: spacing and the usual separators.
fn is_plate_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '-' | '.' | '·' | '_')
        || ('\u{2010}'..='\u{2015}').contains(&c)
}

/// Normalises a trimmed plate: `[CC:]` + letters and digits, uppercased, separators removed,
/// Cyrillic look-alike capitals written in Latin. `SK:BA-123AB` → `SK:BA123AB`.
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
            let latin = CYRILLIC_LOOKALIKES
                .iter()
                .find(|(cyrillic, _)| *cyrillic == upper)
                .map_or(upper, |(_, latin)| *latin);
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
