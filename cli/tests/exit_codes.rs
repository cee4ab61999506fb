//! The exit-code table in docs/cli.md is the core's one list of error kinds
//! (`indicia_core::with_error_kinds!`), row for row: a kind added, renumbered or renamed there
//! without the docs fails here.

use indicia_core::ErrorKind;

/// `(code, first word of the meaning)` of every row of the table under "Exit codes".
#[cfg(test)]
fn documented_rows() -> Vec<(u8, String)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli.md"))
        .expect("docs/cli.md is readable");
    let table = doc
        .split_once("Exit codes:")
        .expect("docs/cli.md has its exit-code table")
        .1;
    table
        .lines()
        .skip_while(|l| !l.starts_with("| code |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let code = cells[1].parse().expect("a numeric exit code");
            let word = cells[2]
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or_default();
            (code, word.to_owned())
        })
        .collect()
}

#[test]
fn every_error_kind_has_its_exit_code_row_in_docs_cli_md_and_no_other_row_exists() {
    let rows = documented_rows();
    let mut expected: Vec<(u8, String)> = vec![(0, "success".into()), (2, "usage".into())];
    expected.extend(
        ErrorKind::ALL
            .iter()
            .map(|k| (k.exit_code(), k.as_str().to_owned())),
    );
    expected.sort();
    let mut rows_sorted = rows.clone();
    rows_sorted.sort();
    assert_eq!(rows_sorted, expected, "docs/cli.md exit codes");
}

#[test]
fn exit_codes_are_distinct_and_leave_0_and_2_to_success_and_usage() {
    let mut codes: Vec<u8> = ErrorKind::ALL.iter().map(|k| k.exit_code()).collect();
    codes.sort_unstable();
    let before = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), before, "two kinds share an exit code");
    assert!(!codes.contains(&0) && !codes.contains(&2));
}
