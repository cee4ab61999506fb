//! Answer values, as a worker gives them and as expressions read them.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{Answer, Date, YesNo};
//!
//! let date: Date = "2024-02-29".parse().map_err(|()| "not a date")?;
//! assert_eq!(date.to_string(), "2024-02-29");
//! assert_eq!(Date::new(2024, 2, 29), Some(date));
//! // Only real calendar days: 2023 was not a leap year.
//! assert!("2023-02-29".parse::<Date>().is_err());
//! assert!(Date::new(2023, 2, 29).is_none());
//!
//! // "unknown" and "declined" are answers too (neither fires an indicator).
//! assert_eq!("declined".parse::<YesNo>(), Ok(YesNo::Declined));
//! assert_eq!(YesNo::Unknown.as_str(), "unknown");
//! assert_ne!(Answer::YesNo(YesNo::Declined), Answer::YesNo(YesNo::No));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// The answer to a yes/no question. `Unknown` and `Declined` are real answers: a worker records
/// that the person did not know, or chose not to say, and neither fires an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YesNo {
    /// Yes.
    Yes,
    /// No.
    No,
    /// The person (or the worker, for an observed sign) does not know.
    Unknown,
    /// The person declined to answer.
    Declined,
}

impl YesNo {
    /// All values in their JSON spelling, in display order.
    pub const ALL: [YesNo; 4] = [YesNo::Yes, YesNo::No, YesNo::Unknown, YesNo::Declined];

    /// The JSON spelling (`"yes"`, `"no"`, `"unknown"`, `"declined"`).
    pub fn as_str(self) -> &'static str {
        match self {
            YesNo::Yes => "yes",
            YesNo::No => "no",
            YesNo::Unknown => "unknown",
            YesNo::Declined => "declined",
        }
    }
}

impl FromStr for YesNo {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        YesNo::ALL.into_iter().find(|v| v.as_str() == s).ok_or(())
    }
}

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD`. No time zone: the field app
/// records the date the worker means, not an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid date, or `None` (month 1–12, day within the month, year 1–9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Year, month and day (for the compiled checklist form, `checklist::compiled`).
    pub(crate) fn parts(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ();

    /// Parses exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(());
        }
        let digits = |r: std::ops::Range<usize>| -> Result<u16, ()> {
            let part = s.get(r).ok_or(())?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(());
            }
            part.parse::<u16>().map_err(|_| ())
        };
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let m = u8::try_from(m).map_err(|_| ())?;
        let d = u8::try_from(d).map_err(|_| ())?;
        Date::new(y, m, d).ok_or(())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The largest magnitude a JSON number in an answer may have: 2^53. Every JSON reader keeps
/// integers up to it exactly (RFC 7493, "I-JSON", section 2.2); above it a JavaScript receiver,
/// and canonical JSON (RFC 8785 writes numbers through IEEE 754 doubles), would silently round
/// the worker's answer.
pub const MAX_EXACT_NUMBER: u64 = 1 << 53;

/// Whether `n` is a number an answer may hold: finite and at most [`MAX_EXACT_NUMBER`] in
/// magnitude.
pub fn is_exact_number(n: &serde_json::Number) -> bool {
    if let Some(i) = n.as_i64() {
        return i.unsigned_abs() <= MAX_EXACT_NUMBER;
    }
    if n.as_u64().is_some() {
        return false;
    }
    // 2^53 is exactly representable as an f64.
    n.as_f64()
        .is_some_and(|f| f.is_finite() && f.abs() <= MAX_EXACT_NUMBER as f64)
}

/// One answer. Which variant a question takes is fixed by its kind; `Session::answer` checks it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// For `yes_no` questions.
    YesNo(YesNo),
    /// For `single_choice`: the choice id.
    Choice(String),
    /// For `multi_choice`: the selected choice ids, no duplicates.
    Choices(Vec<String>),
    /// For `number`: a finite number.
    Number(f64),
    /// For `date`.
    Date(Date),
    /// For `text`: free text (personal data: never logged, never in an error).
    Text(String),
    /// For `attachment`: the id of an attachment held elsewhere (the store), not its bytes.
    Attachment(String),
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_beyond_two_to_the_53_are_not_exact_answers() {
        let n = |text: &str| serde_json::from_str::<serde_json::Number>(text).unwrap();
        for ok in [
            "0",
            "-1",
            "16.5",
            "9007199254740992",
            "-9007199254740992",
            "1e15",
        ] {
            assert!(super::is_exact_number(&n(ok)), "{ok}");
        }
        for bad in [
            "9007199254740993",
            "-9007199254740993",
            "18446744073709551615",
            "1e300",
        ] {
            assert!(!super::is_exact_number(&n(bad)), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn dates_parse_only_real_calendar_days() {
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "24-01-01",
            "2024-1-01",
            "2024-01-0x",
            "0000-01-01",
            "2024-01-01 ",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!("1900-02-29".parse::<Date>().is_err());
        assert!("2000-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn dates_order_chronologically() {
        let a: Date = "2023-12-31".parse().unwrap();
        let b: Date = "2024-01-01".parse().unwrap();
        assert!(a < b);
    }

    #[test]
    fn yes_no_spellings_round_trip() {
        for v in YesNo::ALL {
            assert_eq!(v.as_str().parse::<YesNo>(), Ok(v));
        }
        assert!("Yes".parse::<YesNo>().is_err());
    }
}
