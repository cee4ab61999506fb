//! XLSForm import and export (docs/formats/xlsform.md; XLSForm spec <https://xlsform.org>).
//!
//! Checklist authors at NGOs and referral bodies write forms as XLSForm spreadsheets (the
//! ODK/Kobo convention: `survey`, `choices` and `settings` sheets). [`import`] reads such a
//! workbook into an Indicia checklist definition (JSON, format v2 unless the `settings` sheet
//! says `indicia-checklist/1`), [`export`] writes a definition as one. What XLSForm has no
//! word for travels in extra columns (`indicia_mode`, `indicia_indicators`) and extra sheets
//! (`dimensions`, `indicators`, `rule`, `outcomes`), which ODK tools ignore; with them, export
//! then import gives back the same document and so the same content hash (tested for every
//! built-in checklist).
//!
//! The import reads hostile files: the zip container is bounded before calamine opens it
//! ([`limits`]), sheets are read cell by cell within row, column and text limits, formula
//! cells and merged cells are refused, and every refusal names the sheet, row and column
//! (`survey!F12: relevant uses unsupported function "pulldata"`).
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{builtin, xlsform, Checklist};
//!
//! let json = builtin::source("ilo-forced-labour-11").ok_or("not built in")?;
//! let xlsx: Vec<u8> = xlsform::export(json)?;
//! let imported = xlsform::import(&xlsx)?;
//! let before = Checklist::from_json(json)?;
//! assert_eq!(imported.checklist.reference().hash, before.reference().hash);
//!
//! // A broken file is refused with what is wrong, never a panic.
//! let err = xlsform::import(b"not a spreadsheet").unwrap_err();
//! assert!(err.to_string().contains("not an .xlsx file"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod grid;
pub mod limits;
mod read;
mod write;
mod xpath;

use std::fmt;

use super::load_error::LoadErrors;
use super::model::Checklist;

pub(crate) use super::load_error::echo;

/// One refusal of a form, located as precisely as the problem allows: a cell
/// (`survey!F12`), a sheet (`settings`), or the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// The sheet, if the problem is in one.
    pub sheet: Option<String>,
    /// 0-based row and column of the cell, if the problem is in one.
    pub cell: Option<(u32, u32)>,
    /// What is wrong (author text in it is cut to 40 characters).
    pub message: String,
}

impl FormError {
    pub(crate) fn file(message: impl Into<String>) -> Self {
        FormError {
            sheet: None,
            cell: None,
            message: message.into(),
        }
    }

    pub(crate) fn sheet(sheet: &str, message: impl Into<String>) -> Self {
        FormError {
            sheet: Some(sheet.to_owned()),
            cell: None,
            message: message.into(),
        }
    }

    pub(crate) fn cell(sheet: &str, row: u32, column: u32, message: impl Into<String>) -> Self {
        FormError {
            sheet: Some(sheet.to_owned()),
            cell: Some((row, column)),
            message: message.into(),
        }
    }

    /// `survey!F12`, `settings`, or empty for the file as a whole.
    pub fn location(&self) -> String {
        match (&self.sheet, self.cell) {
            (Some(sheet), Some((row, column))) => format!("{sheet}!{}", a1(row, column)),
            (Some(sheet), None) => sheet.clone(),
            (None, _) => String::new(),
        }
    }
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{location}: {}", self.message)
        }
    }
}

/// A cell's name in A1 notation from 0-based row and column: (11, 5) is `F12`.
pub fn a1(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut c = column as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row as u64 + 1).to_string()
}

/// Why a form could not be imported or a checklist exported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum XlsFormError {
    /// The workbook is not a form Indicia reads: the first refusal, located.
    #[error("{0}")]
    Form(FormError),
    /// The workbook was read, but what it says is not a valid checklist: the mistakes, named
    /// by their JSON path in the definition the form makes.
    #[error("the form makes an invalid checklist: {0}")]
    Imported(LoadErrors),
    /// The checklist to export is not valid.
    #[error("{0}")]
    Checklist(#[from] LoadErrors),
    /// A valid checklist holds something XLSForm cannot write (e.g. a string with both quote
    /// kinds in an expression); the message names it.
    #[error("cannot write as XLSForm: {0}")]
    Export(String),
}

impl From<FormError> for XlsFormError {
    fn from(e: FormError) -> Self {
        XlsFormError::Form(e)
    }
}

impl XlsFormError {
    /// The host-visible classification: a malformed form, like a malformed definition, is
    /// [`crate::ErrorKind::InvalidChecklist`].
    pub fn kind(&self) -> crate::ErrorKind {
        crate::ErrorKind::InvalidChecklist
    }
}

/// An imported form.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The checklist definition, pretty-printed JSON (docs/formats/checklist.md).
    pub json: String,
    /// The same, loaded and validated.
    pub checklist: Checklist,
    /// What the import passed over or read with less than the form says, each located
    /// (`survey!A2: "start" is form metadata, not a question; passed over`; an `integer`
    /// taken as any number).
    pub notices: Vec<String>,
}

/// Reads an XLSForm workbook (.xlsx bytes) into a checklist definition.
///
/// Sheets: `survey`, `choices`, `settings` (XLSForm spec, "The survey sheet", "The choices
/// sheet", "The settings sheet") and Indicia's `dimensions`, `indicators`, `rule`, `outcomes`;
/// the mapping is docs/formats/xlsform.md.
///
/// # Errors
/// [`XlsFormError::Form`] for a file outside the limits ([`limits`]), a zip bomb, broken XML,
/// a formula or merged cell, an unknown type, column or language, or an expression outside the
/// supported XPath subset, with its sheet, row and column; [`XlsFormError::Imported`] when
/// what the form says is not a valid checklist.
pub fn import(xlsx: &[u8]) -> Result<Imported, XlsFormError> {
    limits::check_zip(xlsx).map_err(FormError::file)?;
    // calamine is a well-kept reader, but a third-party parser fed hostile bytes: should it
    // ever panic, that is a refused file, not a crashed host (the fuzz target looks for it).
    let workbook = std::panic::catch_unwind(|| grid::read(xlsx)).map_err(|_| {
        FormError::file("the workbook cannot be read (the reader stopped on malformed content)")
    })??;
    let (value, notices) = read::checklist(&workbook)?;
    let json = serde_json::to_string_pretty(&value)
        .map_err(|e| FormError::file(format!("cannot write the definition: {e}")))?;
    let checklist = Checklist::from_json(&json).map_err(XlsFormError::Imported)?;
    Ok(Imported {
        json,
        checklist,
        notices,
    })
}

/// Writes a checklist definition (JSON, any valid v1 or v2 document) as an XLSForm workbook
/// (.xlsx bytes) that [`import`] reads back to the same content hash when the definition is in
/// the normal form: optional keys left out rather than given their default, and expressions in
/// one normal spacing (docs/formats/xlsform.md, "Round trip").
///
/// # Errors
/// [`XlsFormError::Checklist`] if the definition does not load; [`XlsFormError::Export`] if it
/// holds something XLSForm cannot write.
pub fn export(json: &str) -> Result<Vec<u8>, XlsFormError> {
    Checklist::from_json(json)?;
    write::workbook(crate::without_bom(json))
}

/// Language names for `label::English (en)` columns; other codes are written `label::xx`
/// (both forms are read).
const LANGUAGE_NAMES: [(&str, &str); 24] = [
    ("en", "English"),
    ("sk", "Slovak"),
    ("bg", "Bulgarian"),
    ("es", "Spanish"),
    ("ca", "Catalan"),
    ("el", "Greek"),
    ("pl", "Polish"),
    ("it", "Italian"),
    ("uk", "Ukrainian"),
    ("fr", "French"),
    ("de", "German"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("hu", "Hungarian"),
    ("cs", "Czech"),
    ("nl", "Dutch"),
    ("ru", "Russian"),
    ("ar", "Arabic"),
    ("sw", "Swahili"),
    ("hi", "Hindi"),
    ("bn", "Bengali"),
    ("zh", "Chinese"),
    ("tr", "Turkish"),
    ("sr", "Serbian"),
];

/// `English (en)` for a known code, `xx` for another.
fn language_label(code: &str) -> String {
    match LANGUAGE_NAMES.iter().find(|(c, _)| *c == code) {
        Some((_, name)) => format!("{name} ({code})"),
        None => code.to_owned(),
    }
}

/// The code in `English (en)`, `en`, or a known name alone (`English`).
fn language_code(spec: &str) -> Option<String> {
    let spec = spec.trim();
    if let Some(open) = spec.rfind('(') {
        let code = spec[open + 1..].strip_suffix(')')?.trim();
        return is_code(code).then(|| code.to_ascii_lowercase().replace('_', "-"));
    }
    if is_code(spec) {
        return Some(spec.to_ascii_lowercase().replace('_', "-"));
    }
    LANGUAGE_NAMES
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(spec))
        .map(|(code, _)| (*code).to_owned())
}

/// An ISO 639-1 code with an optional region, in either case (`en`, `pt-BR`, `pt_br`).
fn is_code(s: &str) -> bool {
    let mut parts = s.splitn(2, ['-', '_']);
    let base = parts.next().unwrap_or_default();
    let base_ok = base.len() == 2 && base.chars().all(|c| c.is_ascii_alphabetic());
    let region_ok = parts
        .next()
        .is_none_or(|r| (2..=8).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric()));
    base_ok && region_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_in_a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 5), "F12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn languages_are_read_in_the_odk_form_and_as_bare_codes() {
        assert_eq!(language_code("English (en)").as_deref(), Some("en"));
        assert_eq!(language_code("Português (pt-BR)").as_deref(), Some("pt-br"));
        assert_eq!(language_code("sk").as_deref(), Some("sk"));
        assert_eq!(language_code("french").as_deref(), Some("fr"));
        assert_eq!(language_code("Klingon"), None);
        assert_eq!(language_code("Klingon (tlh)"), None);
        assert_eq!(language_label("uk"), "Ukrainian (uk)");
        assert_eq!(language_label("pt-br"), "pt-br");
    }
}
