//! Text that came from elsewhere (report titles, organisation ids, notes: written on a field
//! device, so chosen by whoever sealed the package) made safe to print in one tab-separated cell
//! of a terminal line, or in one cell of a CSV file an analyst opens in a spreadsheet.

use std::borrow::Cow;

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
    fn csv_cells_never_start_a_formula_and_keep_line_breaks() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+421 905"), "'+421 905");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("two\nlines\x1b"), "two\nlines ");
        assert!(matches!(csv_cell("plain"), Cow::Borrowed(_)));
    }
}
