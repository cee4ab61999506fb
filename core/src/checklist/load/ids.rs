//! Identifier and code patterns (docs/formats/checklist.md). Each pattern is written out for
//! the error message beside the function that checks it.

/// `[a-z0-9][a-z0-9._-]{0,63}`: the checklist's own id.
pub(super) const CHECKLIST_ID: &str = "[a-z0-9][a-z0-9._-]{0,63}";
/// `[A-Za-z0-9][A-Za-z0-9_.-]{0,31}`: dimension ids (authors copy them from sources, e.g. `D1`).
pub(super) const DIMENSION_ID: &str = "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}";
/// `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`: indicator ids.
pub(super) const INDICATOR_ID: &str = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";
/// `[a-z][a-z0-9_]{0,63}`: sections, questions, variants and outcomes (usable in `${id}`).
pub(super) const NAME_ID: &str = "[a-z][a-z0-9_]{0,63}";
/// `[a-z0-9_]{1,64}`: choice ids (compared with strings in expressions).
pub(super) const CHOICE_ID: &str = "[a-z0-9_]{1,64}";

fn is_id(s: &str, max: usize, first: fn(char) -> bool, rest: fn(char) -> bool) -> bool {
    let mut chars = s.chars();
    s.len() <= max && chars.next().is_some_and(first) && chars.all(rest)
}

fn lower_digit(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn lower_digit_or_underscore(c: char) -> bool {
    lower_digit(c) || c == '_'
}

fn alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn alphanumeric_or_punctuation(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_.-".contains(c)
}

/// Matches [`CHECKLIST_ID`].
pub(super) fn checklist_id_ok(s: &str) -> bool {
    is_id(s, 64, lower_digit, |c| lower_digit(c) || "._-".contains(c))
}

/// Matches [`DIMENSION_ID`].
pub(super) fn dimension_id_ok(s: &str) -> bool {
    is_id(s, 32, alphanumeric, alphanumeric_or_punctuation)
}

/// Matches [`INDICATOR_ID`].
pub(super) fn indicator_id_ok(s: &str) -> bool {
    is_id(s, 64, alphanumeric, alphanumeric_or_punctuation)
}

/// Matches [`NAME_ID`].
pub(super) fn name_id_ok(s: &str) -> bool {
    is_id(s, 64, |c| c.is_ascii_lowercase(), lower_digit_or_underscore)
}

/// Matches [`CHOICE_ID`].
pub(super) fn choice_id_ok(s: &str) -> bool {
    is_id(s, 64, lower_digit_or_underscore, lower_digit_or_underscore)
}

/// A lower-case ISO 639-1 code, optionally with a region of 2 to 8 letters or digits: `sk`,
/// `pt-br`.
pub(super) fn language_ok(s: &str) -> bool {
    let mut parts = s.splitn(2, '-');
    let base = parts.next().unwrap_or_default();
    let region_ok = parts
        .next()
        .is_none_or(|r| (2..=8).contains(&r.len()) && r.chars().all(lower_digit));
    base.len() == 2 && base.chars().all(|c| c.is_ascii_lowercase()) && region_ok
}

/// An upper-case ISO 3166-1 alpha-2 code, or `*` for every country.
pub(super) fn country_ok(s: &str) -> bool {
    s == "*" || (s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checklist_ids_are_lower_case_with_dots_and_dashes_up_to_64() {
        for ok in ["ilo-forced-labour-11", "0.x_y", &"a".repeat(64)] {
            assert!(checklist_id_ok(ok), "{ok}");
        }
        for bad in ["", "-a", ".a", "A", "a b", "a/b", &"a".repeat(65)] {
            assert!(!checklist_id_ok(bad), "{bad}");
        }
    }

    #[test]
    fn dimension_ids_allow_upper_case_up_to_32() {
        for ok in ["D1", "d.1-x_y", &"D".repeat(32)] {
            assert!(dimension_id_ok(ok), "{ok}");
        }
        for bad in ["", "_d", "d 1", "dé", &"D".repeat(33)] {
            assert!(!dimension_id_ok(bad), "{bad}");
        }
    }

    #[test]
    fn indicator_ids_allow_upper_case_up_to_64() {
        assert!(indicator_id_ok(&"I".repeat(64)));
        assert!(indicator_id_ok("RECRUIT.1-a_b"));
        for bad in ["", ".i", "i!", &"I".repeat(65)] {
            assert!(!indicator_id_ok(bad), "{bad}");
        }
    }

    #[test]
    fn names_start_with_a_lower_case_letter_and_have_no_dots_or_dashes() {
        for ok in ["q", "q_1", &"q".repeat(64)] {
            assert!(name_id_ok(ok), "{ok}");
        }
        for bad in ["", "1q", "_q", "Q", "q-1", "q.1", &"q".repeat(65)] {
            assert!(!name_id_ok(bad), "{bad}");
        }
    }

    #[test]
    fn choice_ids_may_start_with_a_digit_or_underscore() {
        for ok in ["0", "_x", "a_1", &"c".repeat(64)] {
            assert!(choice_id_ok(ok), "{ok}");
        }
        for bad in ["", "A", "a-b", &"c".repeat(65)] {
            assert!(!choice_id_ok(bad), "{bad}");
        }
    }

    #[test]
    fn languages_are_two_lower_case_letters_with_an_optional_region() {
        for ok in ["sk", "pt-br", "zh-hant", "es-419", "en-12345678"] {
            assert!(language_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "e",
            "eng",
            "EN",
            "pt-BR",
            "pt_br",
            "pt-",
            "pt-b",
            "en-123456789",
            "pt-br-x",
        ] {
            assert!(!language_ok(bad), "{bad}");
        }
    }

    #[test]
    fn countries_are_two_upper_case_letters_or_a_star() {
        for ok in ["SK", "*"] {
            assert!(country_ok(ok), "{ok}");
        }
        for bad in ["", "sk", "SVK", "S", "**", "S1"] {
            assert!(!country_ok(bad), "{bad}");
        }
    }
}
