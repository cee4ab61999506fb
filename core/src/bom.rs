//! The UTF-8 byte-order mark that Windows Notepad and PowerShell put before saved text. JSON
//! (RFC 8259, section 8.1) forbids it, but a checklist, answers file or unit card saved there
//! begins with one; every JSON text a person may have saved is read through [`without_bom`].

/// `text` without one leading U+FEFF, if it has one; otherwise `text` itself.
///
/// # Example
/// ```
/// assert_eq!(indicia_core::without_bom("\u{feff}{\"a\":1}"), "{\"a\":1}");
/// assert_eq!(indicia_core::without_bom("{}"), "{}");
/// ```
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
