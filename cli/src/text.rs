//! Text that came from elsewhere (report titles, organisation ids, notes: written on a field
//! device, so chosen by whoever sealed the package; file names in an inbox) made safe for every
//! output: one tab-separated cell of a terminal line, one cell of a CSV file an analyst opens in
//! a spreadsheet, a JSON document printed to a terminal, a message on stderr. Every command
//! prints untrusted text through one of these.

use std::borrow::Cow;
use std::path::Path;

use serde::Serialize;

/// Control characters (tabs and line breaks would split the line into false cells and rows;
/// escape sequences would drive the analyst's terminal) and the Unicode bidirectional overrides
/// (which display text in another order than it is stored) become a space.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` fit for one cell of a tab-separated line on a terminal.
pub fn cell(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unsafe) {
        Cow::Owned(
            text.chars()
                .map(|c| if is_unsafe(c) { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// A file name (an inbox's, chosen by whoever put files there) fit for one cell.
pub fn path(path: &Path) -> String {
    cell(&path.display().to_string()).into_owned()
}

/// `value` as one line of JSON fit for a terminal: serde_json escapes C0 controls, and every
/// other unsafe character (DEL, C1 controls such as the CSI U+009B, bidirectional overrides) is
/// written as a `\uXXXX` escape too. They can only occur inside JSON strings, so the document
/// parses to exactly the same value (RFC 8259, section 7).
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> String {
    escape_json(serde_json::to_string(value).unwrap_or_default())
}

/// [`json_line`], indented over several lines.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    escape_json(serde_json::to_string_pretty(value).unwrap_or_default())
}

fn escape_json(json: String) -> String {
    // serde_json escapes every C0 control inside strings, so a raw line break is the pretty
    // printer's own layout and stays.
    let escape = |c: char| c != '\n' && is_unsafe(c);
    if !json.chars().any(escape) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escape(c) {
            // Every unsafe character is in the Basic Multilingual Plane: one escape each.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` fit for one CSV cell: line breaks kept (the CSV writer quotes them), other controls
/// replaced, and a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) prefixed
/// with `'` so that it is shown as text (OWASP, "CSV injection").
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let kept = |c: char| c == '\n' || !is_unsafe(c);
    let formula = text.starts_with(['=', '+', '-', '@']);
    if !formula && text.chars().all(kept) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 1);
    if formula {
        out.push('\'');
    }
    out.extend(text.chars().map(|c| if kept(c) { c } else { ' ' }));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_lose_tabs_breaks_escapes_and_bidi_overrides() {
        assert_eq!(cell("a\tb\nc\x1b[31md\u{202e}e"), "a b c [31md e");
        assert!(matches!(cell("Košice, clinic"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_for_a_terminal_escapes_c1_and_bidi_and_parses_to_the_same_value() {
        let hostile = "a\u{9b}2J\u{202e}b\x1b[31m\u{7f}\u{2066}";
        let line = json_line(&serde_json::json!({ "title": hostile }));
        assert!(!line.chars().any(is_unsafe), "{line:?}");
        assert_eq!(
            line,
            r#"{"title":"a\u009b2J\u202eb\u001b[31m\u007f\u2066"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["title"], hostile);
        let pretty = json_pretty(&serde_json::json!({ "title": hostile }));
        assert!(pretty.contains('\n') && !pretty.chars().any(|c| c != '\n' && is_unsafe(c)));
        assert_eq!(json_line(&"Košice"), "\"Košice\"");
    }

    #[test]
    fn file_names_lose_escapes() {
        assert_eq!(
            path(Path::new("inbox/a\x1b]0;pwned\x07.age")),
            "inbox/a ]0;pwned .age"
        );
    }

    #[test]
    fn csv_cells_never_start_a_formula_and_keep_line_breaks() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+421 905"), "'+421 905");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("two\nlines\x1b"), "two\nlines ");
        assert!(matches!(csv_cell("plain"), Cow::Borrowed(_)));
    }
}
