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

    /// A case with `title` and `note`, given as files (the CLI takes no personal data on its
    /// command line).
    fn new_case(&self, title: &str, note: &str) -> String {
        std::fs::write(self.path("case.title"), title).unwrap();
        std::fs::write(self.path("case.note"), note).unwrap();
        self.field(&[
            "new-case",
            "--title-file",
            "case.title",
            "--note-file",
            "case.note",
        ])
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

/// Strings that would drive a terminal (escape sequences, the C1 CSI, a bell), reorder what it
/// shows (bidirectional overrides and isolates), or run in a spreadsheet (a formula).
const HOSTILE: [&str; 7] = [
    "\x1b[2J\x1b[H",
    "\x1b]0;owned\x07",
    "\u{9b}31m",
    "\u{202e}gpj.exe",
    "\u{2066}isolate\u{2069}",
    "del\u{7f}",
    "=HYPERLINK(\"http://example.invalid\")",
];

fn assert_clean(what: &str, output: &std::process::Output) {
    for (name, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n' && c != '\t')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(bad.is_empty(), "{what}: {name} carries {bad:?}: {text:?}");
    }
}

#[test]
fn no_output_carries_a_control_or_bidi_character_from_a_package_or_a_file_name() {
    let b = Bench::new();
    let hostile = HOSTILE.join(" ");
    let case = b.new_case(&hostile, &format!("call +421 903 123 456 {hostile}"));
    let organisation = format!("org.example{}", HOSTILE[2]);
    // An inbox file name chosen by whoever dropped the package there.
    let inbox = b.path("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let name = format!("inbox/p{}{}.age", HOSTILE[0], HOSTILE[3]);
    b.field(&["seal", &case, "--organisation", &organisation, "-o", &name]);
    let key = b.field(&["device-key"]);
    let key = key.split('\t').next().unwrap().to_owned();
    b.unit(&[
        "trust",
        "add",
        "--device",
        &key,
        "--organisation",
        &organisation,
    ]);

    let run = |what: &str, args: &[&str]| -> String {
        let output = b.unit_cmd(args).output().unwrap();
        assert!(output.status.success(), "{what}: {output:?}");
        assert_clean(what, &output);
        String::from_utf8(output.stdout).unwrap()
    };
    let verify = |what: &str, args: &[&str]| {
        let output = b.cmd(args).output().unwrap();
        assert!(output.status.success(), "{what}: {output:?}");
        assert_clean(what, &output);
        String::from_utf8(output.stdout).unwrap()
    };
    verify(
        "package verify",
        &["package", "verify", "-i", "unit.key", "inbox"],
    );
    let json = verify(
        "package verify --json",
        &["package", "verify", "-i", "unit.key", "--json", "inbox"],
    );
    let line: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!(line["manifest"]["case"]["title"], hostile.as_str());
    assert_eq!(line["file"], name.as_str());

    run("ingest", &["ingest", "-i", "unit.key", "--json", "inbox"]);
    // Ingesting again: every package a duplicate, with its line.
    run("ingest (again)", &["ingest", "-i", "unit.key", "inbox"]);
    run("trust list", &["trust", "list"]);
    run("trust list --json", &["trust", "list", "--json"]);
    run("list", &["list"]);
    let listed = run("list --json", &["list", "--json"]);
    let summary: serde_json::Value = serde_json::from_str(listed.trim()).unwrap();
    assert_eq!(summary["title"], hostile.as_str());
    assert_eq!(summary["organisation"], organisation.as_str());
    let report = summary["report_id"].as_str().unwrap().to_owned();
    let shown = run("show", &["show", &report]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["manifest"]["case"]["title"], hostile.as_str());
    let exported = run("export json", &["export", "--format", "json"]);
    let exported: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(
        exported[0]["manifest"]["organisation"],
        organisation.as_str()
    );
    let csv = run("export csv", &["export", "--format", "csv"]);
    assert!(
        csv.contains("'=HYPERLINK") || !csv.contains("\n=HYPERLINK"),
        "{csv}"
    );
    run(
        "correlate",
        &["correlate", "--min-organisations", "1", "--region", "SK"],
    );
    run(
        "correlate --json",
        &["correlate", "--min-organisations", "1", "--json"],
    );

    // A failure naming a hostile file: the message reaches stderr without its escapes.
    let bad = format!("inbox/q{}.age", HOSTILE[1]);
    std::fs::write(b.path(&bad), b"not a package").unwrap();
    let output = b
        .unit_cmd(&["ingest", "-i", "unit.key", &bad])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_clean("ingest of a corrupt file", &output);
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
    std::fs::write(b.path("case.title"), "Too long").unwrap();
    std::fs::write(b.path("long.note"), "x".repeat(20_001)).unwrap();
    b.field_cmd(&[
        "new-case",
        "--title-file",
        "case.title",
        "--note-file",
        "long.note",
    ])
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
