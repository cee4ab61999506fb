//! The receiver and field-store commands where input is hostile or a step fails half-way: text
//! from a package (chosen by whoever sealed it) cannot split list lines, drive the terminal or
//! run as a spreadsheet formula; an output file that exists changes nothing in the database; a
//! mistyped region or report id is an error, not a panic or silently fewer links; nothing in an
//! inbox is passed over without a word.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::unit::Unit;
use predicates::prelude::*;

/// A unit (common::unit) and one field store `field.db` that knows the unit's card.
struct Bench(Unit);

impl std::ops::Deref for Bench {
    type Target = Unit;
    fn deref(&self) -> &Unit {
        &self.0
    }
}

impl Bench {
    fn new() -> Bench {
        let bench = Bench(Unit::new(false));
        std::fs::write(bench.path("field.pin"), "tidal-amber-orchard\n").unwrap();
        bench.field(&["create"]);
        bench.field(&["add-unit", "card.json"]);
        bench
    }

    /// `indicia store SUBCOMMAND field.db ARGS… --pin-file field.pin`.
    fn field_cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let (sub, rest) = args.split_first().unwrap();
        let mut cmd = self.cmd(&["store", sub, "field.db"]);
        cmd.args(rest).args(["--pin-file", "field.pin"]);
        cmd
    }

    fn field(&self, args: &[&str]) -> String {
        let out = self.field_cmd(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn new_case(&self, title: &str, note: &str) -> String {
        self.field(&["new-case", "--title", title, "--note", note])
            .trim()
            .to_owned()
    }

    /// Seals `case` into `out`, trusts the device for `org.example` and ingests it; returns the
    /// report id.
    fn seal_and_ingest(&self, case: &str, out: &str) -> String {
        let line = self.field(&["seal", case, "--organisation", "org.example", "-o", out]);
        let key = self.field(&["device-key"]);
        let key = key.split('\t').next().unwrap();
        self.unit(&[
            "trust",
            "add",
            "--device",
            key,
            "--organisation",
            "org.example",
        ]);
        self.unit(&["ingest", "-i", "unit.key", out]);
        line.split('\t').next().unwrap().to_owned()
    }
}

#[test]
fn text_from_a_package_cannot_split_list_lines_drive_the_terminal_or_run_as_a_formula() {
    let b = Bench::new();
    let title = "=HYPERLINK(\"http://example.invalid\",\"open\")\tforged\ncolumn\x1b[2J\u{202e}";
    let case = b.new_case(title, "nothing to see");
    let report = b.seal_and_ingest(&case, "p.age");

    let list = b.unit(&["list"]);
    assert_eq!(list.lines().count(), 1, "{list:?}");
    let line = list.lines().next().unwrap();
    assert_eq!(line.split('\t').count(), 7, "{line:?}");
    assert!(line.starts_with(&report));
    assert!(
        !list.contains('\x1b') && !list.contains('\u{202e}'),
        "{list:?}"
    );

    let csv = b.unit(&["export", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let title_column = rows
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "title")
        .unwrap();
    let row = rows.records().next().unwrap().unwrap();
    let cell = row.get(title_column).unwrap();
    assert!(cell.starts_with("'=HYPERLINK("), "{cell:?}");
    assert!(!cell.contains('\x1b'));
    // The JSON export keeps the title exactly as sealed.
    let json: serde_json::Value =
        serde_json::from_str(&b.unit(&["export", "--format", "json"])).unwrap();
    assert_eq!(json[0]["manifest"]["case"]["title"], title);

    // The field side's own list is one line per case too.
    let cases = b.field(&["list"]);
    assert_eq!(cases.lines().count(), 1, "{cases:?}");
    assert!(!cases.contains('\x1b'));
}

#[test]
fn sealing_onto_an_existing_file_is_refused_before_the_case_changes() {
    let b = Bench::new();
    let case = b.new_case("Market stall", "call 0905 123 456");
    std::fs::write(b.path("taken.age"), "someone else's file").unwrap();
    b.field_cmd(&[
        "seal",
        &case,
        "--organisation",
        "org.example",
        "-o",
        "taken.age",
    ])
    .assert()
    .code(1)
    .stderr(predicate::str::contains("taken.age exists"));
    assert_eq!(
        std::fs::read_to_string(b.path("taken.age")).unwrap(),
        "someone else's file"
    );
    // Still a draft: it can be sealed to another name, and the package ingests.
    let list = b.field(&["list"]);
    assert!(list.contains(&format!("{case}\tdraft")), "{list}");
    let report = b.seal_and_ingest(&case, "free.age");
    assert!(b.unit(&["list"]).contains(&report));
}

#[test]
fn a_receipt_for_a_malformed_or_unknown_id_is_not_found_and_an_existing_file_records_nothing() {
    let b = Bench::new();
    let case = b.new_case("Car wash", "plate: BA-123XY");
    let report = b.seal_and_ingest(&case, "p.age");
    // 32 bytes that are no report id (multi-byte characters): NotFound, not a crash.
    for id in ["€€€€€€€€€€ab", "ffffffffffffffffffffffffffffffff"] {
        b.unit_cmd(&["receipt", id, "--status", "received"])
            .assert()
            .code(18)
            .stderr(predicate::str::contains("[NotFound]"));
    }
    std::fs::write(b.path("r.age"), "taken").unwrap();
    b.unit_cmd(&["receipt", &report, "--status", "received", "-o", "r.age"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("r.age exists"));
    let shown: serde_json::Value = serde_json::from_str(&b.unit(&["show", &report])).unwrap();
    assert_eq!(
        shown["receipts"],
        serde_json::json!([]),
        "no receipt recorded"
    );
    // The default name works, and is not overwritten by a second receipt of that status.
    b.unit(&["receipt", &report, "--status", "received"]);
    let default = format!("receipt-{}-received.age", &report[..8]);
    assert!(b.path(&default).exists());
    b.unit_cmd(&["receipt", &report, "--status", "received"])
        .assert()
        .code(1);
    let shown: serde_json::Value = serde_json::from_str(&b.unit(&["show", &report])).unwrap();
    assert_eq!(shown["receipts"].as_array().unwrap().len(), 1);
}

#[test]
fn an_unknown_region_is_refused_instead_of_finding_fewer_links() {
    let b = Bench::new();
    b.unit_cmd(&["correlate", "--region", "XX"])
        .assert()
        .code(22)
        .stderr(predicate::str::contains("[InvalidSelector]"));
    b.unit_cmd(&["correlate", "--region", "sk"])
        .assert()
        .success();
}

#[test]
fn a_subdirectory_of_an_inbox_is_named_not_passed_over() {
    let b = Bench::new();
    let case = b.new_case("Bus stop", "met twice");
    std::fs::create_dir_all(b.path("inbox/archive")).unwrap();
    b.field(&[
        "seal",
        &case,
        "--organisation",
        "org.example",
        "-o",
        "inbox/archive/old.age",
    ]);
    b.unit_cmd(&["ingest", "-i", "unit.key", "inbox"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("not read:")
                .and(predicate::str::contains("archive"))
                .and(predicate::str::contains("no package files given")),
        );
}

#[test]
fn a_case_that_cannot_be_completed_is_not_left_half_made() {
    let b = Bench::new();
    let long_note = "x".repeat(20_001);
    b.field_cmd(&["new-case", "--title", "Too long", "--note", &long_note])
        .assert()
        .code(26)
        .stdout("");
    assert_eq!(b.field(&["list"]), "");
}

#[test]
fn a_wrong_unit_passphrase_says_passphrase() {
    let b = Bench::new();
    std::fs::write(b.path("wrong.pass"), "not the passphrase\n").unwrap();
    b.cmd(&["list", "--db", "unit.db", "--passphrase-file", "wrong.pass"])
        .assert()
        .code(15)
        .stderr(
            predicate::str::contains("error[WrongPin]: wrong passphrase")
                .and(predicate::str::contains("not the passphrase").not()),
        );
}
