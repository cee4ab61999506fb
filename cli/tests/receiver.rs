//! The receiving unit's commands and the field-store commands around them, through the binary:
//! trust, ingest (stored / duplicate / FAILED lines, exit codes), list, show, export, correlate,
//! receipts back to the device, deletion only after a receipt.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use std::path::Path;

use common::unit::Unit;
use predicates::prelude::*;

/// A unit (common::unit) plus field stores in the same directory.
struct World(Unit);

impl std::ops::Deref for World {
    type Target = Unit;
    fn deref(&self) -> &Unit {
        &self.0
    }
}

impl World {
    fn new() -> World {
        World(Unit::new(true))
    }

    /// A field store `name` with the unit's card and one sealed-ready case; returns the case id.
    fn field(&self, name: &str, note: &str) -> String {
        std::fs::write(self.path(&format!("{name}.pin")), "tidal-amber-orchard\n").unwrap();
        let db = format!("{name}.db");
        let pin = format!("{name}.pin");
        self.run(&["store", "create", &db, "--pin-file", &pin]);
        self.run(&["store", "add-unit", &db, "card.json", "--pin-file", &pin]);
        std::fs::write(
            self.path("answers.json"),
            r#"{"age_group": "adult", "documents_held": "yes", "debt": "yes"}"#,
        )
        .unwrap();
        // The title and note from files (personal data stays off the command line).
        let title_file = format!("{name}.title");
        std::fs::write(self.path(&title_file), format!("Case of {name}\n")).unwrap();
        let note_file = format!("{name}.note");
        std::fs::write(self.path(&note_file), format!("{note}\n")).unwrap();
        self.run(&[
            "store",
            "new-case",
            &db,
            "--pin-file",
            &pin,
            "--title-file",
            &title_file,
            "--checklist",
            "builtin:first-contact",
            "--answers",
            "answers.json",
            "--note-file",
            &note_file,
        ])
        .trim()
        .to_owned()
    }

    fn device_key(&self, name: &str) -> String {
        let out = self.run(&[
            "store",
            "device-key",
            &format!("{name}.db"),
            "--pin-file",
            &format!("{name}.pin"),
        ]);
        out.split('\t').next().unwrap().to_owned()
    }

    fn trust(&self, name: &str, organisation: &str) {
        let key = self.device_key(name);
        self.unit(&[
            "trust",
            "add",
            "--device",
            &key,
            "--organisation",
            organisation,
        ]);
    }

    /// Two organisations' reports sharing a phone number, ingested: (sk.ngo's, sk.inspectorate's)
    /// report ids.
    fn two_linked_reports(&self) -> (String, String) {
        let a = self.field("ngo", "Recruiter: +421 905 123 456");
        let b = self.field("inspectorate", "Foreman's number +421 905 123 456");
        self.trust("ngo", "sk.ngo");
        self.trust("inspectorate", "sk.inspectorate");
        let ra = self.seal("ngo", &a, "sk.ngo", "a.age");
        let rb = self.seal("inspectorate", &b, "sk.inspectorate", "b.age");
        self.unit(&["ingest", "-i", "unit.key", "a.age", "b.age"]);
        (ra, rb)
    }

    /// Seals the case into `out`; returns the report id.
    fn seal(&self, name: &str, case: &str, organisation: &str, out: &str) -> String {
        let line = self.run(&[
            "store",
            "seal",
            &format!("{name}.db"),
            case,
            "--organisation",
            organisation,
            "-o",
            out,
            "--pin-file",
            &format!("{name}.pin"),
        ]);
        line.split('\t').next().unwrap().to_owned()
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn ingest_lists_exports_correlates_and_counts_a_replay_once() {
    let w = World::new();
    let a = w.field("ngo", "Recruiter: +421 905 123 456");
    let b = w.field("inspectorate", "Foreman's number 0905 123 456");
    w.trust("ngo", "sk.ngo");
    w.trust("inspectorate", "sk.inspectorate");
    std::fs::create_dir(w.path("inbox")).unwrap();
    let ra = w.seal("ngo", &a, "sk.ngo", "inbox/a.age");
    let rb = w.seal("inspectorate", &b, "sk.inspectorate", "inbox/b.age");
    std::fs::copy(w.path("inbox/a.age"), w.path("inbox/c-replay.age")).unwrap();

    let out = w.unit(&["ingest", "-i", "unit.key", "inbox"]);
    let out = lines(&out);
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(
        out[0].starts_with("stored\tinbox/a.age\t") && out[0].contains(&ra),
        "{out:?}"
    );
    assert!(
        out[1].starts_with("stored\tinbox/b.age\t") && out[1].contains(&rb),
        "{out:?}"
    );
    assert!(
        out[2].starts_with(&format!("duplicate (report id {ra})")),
        "{out:?}"
    );

    let list = w.unit(&["list"]);
    assert_eq!(lines(&list).len(), 2);
    assert!(list.contains("Case of ngo") && list.contains("sk.inspectorate"));

    let shown: serde_json::Value = serde_json::from_str(&w.unit(&["show", &ra[..8]])).unwrap();
    assert_eq!(shown["manifest"]["report_id"], ra.as_str());
    assert_eq!(
        shown["manifest"]["case"]["notes"][0]["text"],
        "Recruiter: +421 905 123 456"
    );

    let csv = w.unit(&["export", "--format", "csv"]);
    let rows = lines(&csv);
    assert_eq!(rows.len(), 3);
    assert!(rows[0].starts_with("report_id,organisation,"));
    assert!(csv.contains("Case of inspectorate"));
    let json: serde_json::Value =
        serde_json::from_str(&w.unit(&["export", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    w.unit_cmd(&["export", "--format", "xml"])
        .assert()
        .failure();

    let clusters = w.unit(&["correlate", "--region", "SK", "--json"]);
    let clusters: Vec<serde_json::Value> = clusters
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(clusters.len(), 1);
    assert_eq!(
        clusters[0]["organisations"],
        serde_json::json!(["sk.inspectorate", "sk.ngo"])
    );
    assert_eq!(clusters[0]["shared"][0]["value"], "+421905123456");
    // Without the region the national spelling is no number: nothing links the two.
    assert_eq!(w.unit(&["correlate", "--json"]), "");
}

#[test]
fn a_revoked_signer_is_marked_in_every_output_can_be_left_out_and_gets_no_receipt_unless_forced() {
    let w = World::new();
    let (ra, rb) = w.two_linked_reports();
    let key_id = w
        .unit(&["trust", "list"])
        .lines()
        .find(|l| l.contains("sk.ngo"))
        .unwrap()
        .split('\t')
        .nth(1)
        .unwrap()
        .to_owned();
    w.unit(&["trust", "revoke", &key_id]);

    let list = w.unit(&["list"]);
    let marked: Vec<&str> = list
        .lines()
        .filter(|l| l.ends_with("SIGNER REVOKED"))
        .collect();
    assert_eq!(marked.len(), 1, "{list}");
    assert!(marked[0].starts_with(&ra));
    let kept = w.unit(&["list", "--exclude-revoked"]);
    assert_eq!(lines(&kept).len(), 1);
    assert!(kept.starts_with(&rb));

    w.unit_cmd(&["show", &ra])
        .assert()
        .success()
        .stderr(predicate::str::contains("was revoked at"));
    let shown: serde_json::Value = serde_json::from_str(&w.unit(&["show", &ra])).unwrap();
    assert!(shown["signer_revoked_at"].is_i64());
    let shown: serde_json::Value = serde_json::from_str(&w.unit(&["show", &rb])).unwrap();
    assert!(shown["signer_revoked_at"].is_null());

    let json: serde_json::Value =
        serde_json::from_str(&w.unit(&["export", "--format", "json"])).unwrap();
    let revoked: Vec<bool> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["signer_revoked_at"].is_i64())
        .collect();
    assert_eq!(revoked, [true, false]);
    let json: serde_json::Value =
        serde_json::from_str(&w.unit(&["export", "--format", "json", "--exclude-revoked"]))
            .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    let csv = w.unit(&["export", "--format", "csv", "--exclude-revoked"]);
    assert_eq!(lines(&csv).len(), 2);
    assert!(!csv.contains(&ra));

    let clusters = w.unit(&["correlate"]);
    assert!(
        clusters.contains("; 1 from revoked signers")
            && clusters.contains(&format!("report\t{ra}\tSIGNER REVOKED")),
        "{clusters}"
    );
    let cluster: serde_json::Value =
        serde_json::from_str(w.unit(&["correlate", "--json"]).trim()).unwrap();
    assert_eq!(cluster["revoked_reports"], serde_json::json!([ra]));
    assert_eq!(w.unit(&["correlate", "--exclude-revoked"]), "");

    // A receipt for the stolen device's report would tip off whoever holds it.
    w.unit_cmd(&["receipt", &ra, "--status", "received", "-o", "r.age"])
        .assert()
        .code(23)
        .stderr(predicate::str::contains("revoked"));
    assert!(!w.path("r.age").exists());
    w.unit(&[
        "receipt", &ra, "--status", "received", "-o", "r.age", "--force",
    ]);
    assert!(w.path("r.age").exists());
}

#[test]
fn organisations_in_different_countries_writing_one_number_nationally_link_by_org_region() {
    let w = World::new();
    let ua = w.field("ua", "Вербувальник: 067 123 45 67");
    let sk = w.field("sk", "Náborár: 00380 67 123 4567");
    w.trust("ua", "ua.ngo");
    w.trust("sk", "sk.ngo");
    std::fs::create_dir(w.path("inbox")).unwrap();
    w.seal("ua", &ua, "ua.ngo", "inbox/ua.age");
    w.seal("sk", &sk, "sk.ngo", "inbox/sk.age");
    w.unit(&["ingest", "-i", "unit.key", "inbox"]);

    // One region for the whole database reads the Ukrainian note as Slovak: no link.
    assert_eq!(w.unit(&["correlate", "--region", "SK", "--json"]), "");
    let out = w.unit(&[
        "correlate",
        "--region",
        "SK",
        "--org-region",
        "ua.ngo=ua",
        "--json",
    ]);
    let clusters: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(clusters.len(), 1, "{out}");
    assert_eq!(
        clusters[0]["organisations"],
        serde_json::json!(["sk.ngo", "ua.ngo"])
    );
    assert_eq!(clusters[0]["shared"][0]["value"], "+380671234567");

    w.unit_cmd(&["correlate", "--org-region", "ua.ngo=XX"])
        .assert()
        .code(22)
        .stderr(predicate::str::contains("--org-region takes an ISO 3166-1"));
    w.unit_cmd(&["correlate", "--org-region", "ua.ngo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ORG=CC"));
    w.unit_cmd(&[
        "correlate",
        "--org-region",
        "ua.ngo=UA",
        "--org-region",
        "ua.ngo=SK",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("one organisation twice"));
}

#[test]
fn failing_packages_get_a_line_each_and_the_first_failure_sets_the_exit_code() {
    let w = World::new();
    let a = w.field("ngo", "note");
    std::fs::create_dir(w.path("inbox")).unwrap();
    w.seal("ngo", &a, "sk.ngo", "inbox/a.age");
    let sealed = std::fs::read(w.path("inbox/a.age")).unwrap();
    std::fs::write(w.path("inbox/b-truncated.age"), &sealed[..30]).unwrap();
    std::fs::write(w.path("inbox/c-notes.txt"), "not a package").unwrap();

    // Not on the trust list yet.
    let out = w
        .unit_cmd(&["ingest", "-i", "unit.key", "inbox"])
        .assert()
        .code(23);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let out = lines(&stdout);
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(
        out[0].starts_with("FAILED\tinbox/a.age\tUntrustedSigner: "),
        "{out:?}"
    );
    assert!(
        out[1].starts_with("FAILED\tinbox/b-truncated.age\tTruncatedInput: "),
        "{out:?}"
    );
    assert!(
        out[2].starts_with("FAILED\tinbox/c-notes.txt\tCorruptInput: "),
        "{out:?}"
    );
    assert_eq!(w.unit(&["list"]), "");

    // Trusted, then revoked: refused again, with the reason.
    w.trust("ngo", "sk.ngo");
    let key_id = w
        .unit(&["trust", "list"])
        .split('\t')
        .nth(1)
        .unwrap()
        .to_owned();
    w.unit(&["trust", "revoke", &key_id]);
    assert!(w.unit(&["trust", "list"]).contains("revoked"));
    w.unit_cmd(&["ingest", "-i", "unit.key", "inbox/a.age"])
        .assert()
        .code(23)
        .stdout(predicate::str::contains("revoked"));

    // Another unit's key, and a wrong passphrase.
    w.run(&["keygen", "-o", "other.key"]);
    w.unit_cmd(&["ingest", "-i", "other.key", "inbox/a.age"])
        .assert()
        .code(6)
        .stdout(predicate::str::contains(
            "FAILED\tinbox/a.age\tWrongIdentity",
        ));
    std::fs::write(w.path("wrong.pass"), "not the passphrase\n").unwrap();
    w.cmd(&["list", "--db", "unit.db", "--passphrase-file", "wrong.pass"])
        .assert()
        .code(15);
}

#[test]
fn a_receipt_acknowledges_the_case_which_only_then_may_be_deleted() {
    let w = World::new();
    let case = w.field("ngo", "note");
    w.trust("ngo", "sk.ngo");
    let report = w.seal("ngo", &case, "sk.ngo", "a.age");
    w.unit(&["ingest", "-i", "unit.key", "a.age"]);

    w.cmd(&["store", "delete", "ngo.db", &case, "--pin-file", "ngo.pin"])
        .assert()
        .code(19)
        .stderr(predicate::str::contains("no receipt has arrived"));

    std::fs::write(w.path("receipt.note"), "To the inspectorate\n").unwrap();
    w.unit(&[
        "receipt",
        &report[..10],
        "--status",
        "referred",
        "--note-file",
        "receipt.note",
    ]);
    let receipt = format!("receipt-{}-referred.age", &report[..8]);
    assert!(w.path(&receipt).exists());
    // The note may hold personal data: never from the command line.
    w.unit_cmd(&["receipt", &report, "--status", "closed", "--note", "Thanks"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected argument '--note'"));
    // Never overwritten.
    w.unit_cmd(&["receipt", &report, "--status", "referred"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("exists"));

    let imported = w.run(&[
        "store",
        "import-receipt",
        "ngo.db",
        &receipt,
        "--pin-file",
        "ngo.pin",
    ]);
    assert!(
        imported.contains("acknowledged\treferred\tNational THB unit\tnew\tTo the inspectorate"),
        "{imported}"
    );
    let again = w.run(&[
        "store",
        "import-receipt",
        "ngo.db",
        &receipt,
        "--pin-file",
        "ngo.pin",
    ]);
    assert!(again.contains("already imported"), "{again}");
    let list = w.run(&["store", "list", "ngo.db", "--pin-file", "ngo.pin"]);
    assert!(list.contains("acknowledged\treferred\tdeletable"), "{list}");
    assert!(w.unit(&["list"]).contains("referred"));
    w.run(&["store", "delete", "ngo.db", &case, "--pin-file", "ngo.pin"]);
    assert_eq!(
        w.run(&["store", "list", "ngo.db", "--pin-file", "ngo.pin"]),
        ""
    );
}

fn recipient_of(card: &Path) -> String {
    let card: serde_json::Value = serde_json::from_slice(&std::fs::read(card).unwrap()).unwrap();
    card["recipient"].as_str().unwrap().to_owned()
}

#[test]
fn a_receipt_from_a_unit_the_device_does_not_know_is_refused() {
    let w = World::new();
    let other = World::new();
    let case = w.field("ngo", "note");
    // Sealed to both units' cards; then the device removes the second unit's card.
    std::fs::copy(other.path("card.json"), w.path("other-card.json")).unwrap();
    w.run(&[
        "store",
        "add-unit",
        "ngo.db",
        "other-card.json",
        "--pin-file",
        "ngo.pin",
    ]);
    let line = w.run(&[
        "store",
        "seal",
        "ngo.db",
        &case,
        "--organisation",
        "sk.ngo",
        "-o",
        "a.age",
        "--pin-file",
        "ngo.pin",
    ]);
    let other_key = w
        .run(&["store", "units", "ngo.db", "--pin-file", "ngo.pin"])
        .lines()
        .find(|l| {
            l.ends_with("National THB unit") && !l.contains(&recipient_of(&w.path("card.json")))
        })
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    w.run(&[
        "store",
        "remove-unit",
        "ngo.db",
        &other_key,
        "--pin-file",
        "ngo.pin",
    ]);
    let report = line.split('\t').next().unwrap().to_owned();
    let key = w.device_key("ngo");
    for unit in [&w, &other] {
        unit.unit(&["trust", "add", "--device", &key, "--organisation", "sk.ngo"]);
    }
    std::fs::copy(w.path("a.age"), other.path("a.age")).unwrap();
    w.unit(&["ingest", "-i", "unit.key", "a.age"]);
    other.unit(&["ingest", "-i", "unit.key", "a.age"]);

    other.unit(&["receipt", &report, "--status", "closed", "-o", "closed.age"]);
    std::fs::copy(other.path("closed.age"), w.path("closed.age")).unwrap();
    w.cmd(&[
        "store",
        "import-receipt",
        "ngo.db",
        "closed.age",
        "--pin-file",
        "ngo.pin",
    ])
    .assert()
    .code(23)
    .stderr(predicate::str::contains("does not know"));
    let list = w.run(&["store", "list", "ngo.db", "--pin-file", "ngo.pin"]);
    assert!(list.contains("sealed\tno receipt"), "{list}");

    w.unit(&[
        "receipt",
        &report,
        "--status",
        "received",
        "-o",
        "received.age",
    ]);
    w.run(&[
        "store",
        "import-receipt",
        "ngo.db",
        "received.age",
        "--pin-file",
        "ngo.pin",
    ]);
}

/// A unit that trusts the frozen vectors' device (organisation `sk.example-ngo`) and ingested
/// `tests/vectors/VERSION/valid/two-attachments.age`; returns it, the stored report id and the
/// device's public key (64 hex digits).
fn ingest_two_attachments(version: &str) -> (World, String, String) {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(version);
    let device: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors.join("device.json")).unwrap()).unwrap();
    let w = World::new();
    w.unit(&[
        "trust",
        "add",
        "--device",
        device["public_key"].as_str().unwrap(),
        "--organisation",
        "sk.example-ngo",
    ]);
    let key = vectors.join("unit.key");
    let package = vectors.join("valid/two-attachments.age");
    let stored = w.unit(&[
        "ingest",
        "-i",
        key.to_str().unwrap(),
        package.to_str().unwrap(),
    ]);
    let ra = stored.split('\t').nth(2).unwrap().to_owned();
    let public = device["public_key"].as_str().unwrap().to_owned();
    (w, ra, public)
}

#[test]
fn stored_reports_re_verify_and_their_evidence_bundle_checks_with_openssl_and_sha256sum() {
    // The frozen package with two attachments, sealed to the vectors' unit key.
    let (w, ra, _) = ingest_two_attachments("package-v1");

    let out = w.unit(&["verify"]);
    assert!(
        out.starts_with(&format!("verified\t{ra}\tdevice "))
            && out.contains("2 attachment(s)\t1 custody event"),
        "{out}"
    );
    w.unit_cmd(&["verify", "ffffffff"])
        .assert()
        .code(18)
        .stdout(predicate::str::starts_with("FAILED\tffffffff\tNotFound"));

    w.unit(&["evidence", &ra[..8], "-o", "bundle"]);
    w.unit_cmd(&["evidence", &ra, "-o", "bundle"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("exists"));
    let dir = w.path("bundle");
    for name in [
        "manifest.json",
        "signature.bin",
        "signed-message.bin",
        "device-public-key.pem",
        "attachments/0",
        "attachments/1",
        "SHA256SUMS",
        "trust.json",
        "custody.json",
        "VERIFY.txt",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    assert_eq!(
        sums,
        format!(
            "{}  attachments/0\n{}  attachments/1\n",
            manifest["attachments"][0]["sha256"].as_str().unwrap(),
            manifest["attachments"][1]["sha256"].as_str().unwrap()
        )
    );
    let custody: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("custody.json")).unwrap()).unwrap();
    assert_eq!(custody[1]["event"], "evidence_exported");

    // The third party's check, with no Indicia code: the procedure in VERIFY.txt.
    let shell = |script: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    if shell("command -v openssl && command -v sha256sum")
        .status
        .success()
    {
        let step1 = shell(
            "printf 'indicia-package/1 manifest\\0' | cat - manifest.json | cmp - signed-message.bin",
        );
        assert!(step1.status.success(), "{step1:?}");
        let step2 = shell(
            "openssl pkeyutl -verify -pubin -inkey device-public-key.pem -rawin \
             -in signed-message.bin -sigfile signature.bin",
        );
        assert!(
            step2.status.success()
                && String::from_utf8_lossy(&step2.stdout)
                    .contains("Signature Verified Successfully"),
            "{step2:?}"
        );
        let step3 = shell(
            "openssl pkey -pubin -in device-public-key.pem -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \\n'",
        );
        assert_eq!(
            String::from_utf8_lossy(&step3.stdout),
            manifest["device"]["public_key"].as_str().unwrap()
        );
        assert!(shell("sha256sum -c SHA256SUMS").status.success());
        // A changed manifest no longer verifies.
        std::fs::write(
            dir.join("signed-message.bin"),
            [
                b"indicia-package/1 manifest\0".as_slice(),
                &std::fs::read(dir.join("manifest.json"))
                    .unwrap()
                    .iter()
                    .map(|b| if *b == b'1' { b'2' } else { *b })
                    .collect::<Vec<u8>>(),
            ]
            .concat(),
        )
        .unwrap();
        assert!(!shell(
            "openssl pkeyutl -verify -pubin -inkey device-public-key.pem -rawin \
             -in signed-message.bin -sigfile signature.bin"
        )
        .status
        .success());
    } else {
        eprintln!("SKIPPED: openssl or sha256sum not on this machine; the bundle was not checked with them");
    }
}

#[test]
fn a_v2_report_re_verifies_and_its_evidence_bundle_checks_with_the_steps_in_verify_txt() {
    // The frozen v2 package with two attachments (the same case as the v1 one above).
    let (w, ra, public) = ingest_two_attachments("package-v2");
    let out = w.unit(&["verify", &ra]);
    assert!(out.contains("2 attachment(s)\t1 custody event"), "{out}");

    w.unit(&["evidence", &ra, "-o", "bundle"]);
    let dir = w.path("bundle");
    for name in [
        "manifest.json",
        "header.bin",
        "signature.bin",
        "signed-message.bin",
        "device-public-key.pem",
        "attachments/0",
        "attachments/1",
        "SHA256SUMS",
        "VERIFY.txt",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(!manifest.contains("sha256"), "{manifest}");
    let expected =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/package-v2/expected.json");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(expected).unwrap()).unwrap();
    let digests = &expected["valid"]["two-attachments.age"]["attachments"];
    assert_eq!(
        std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap(),
        format!(
            "{}  attachments/0\n{}  attachments/1\n",
            digests[0].as_str().unwrap(),
            digests[1].as_str().unwrap()
        )
    );

    let shell = |script: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    if !shell("command -v openssl && command -v sha256sum")
        .status
        .success()
    {
        eprintln!("SKIPPED: openssl or sha256sum not on this machine; the bundle was not checked with them");
        return;
    }
    // Step 1 exactly as VERIFY.txt gives it.
    let procedure = std::fs::read_to_string(dir.join("VERIFY.txt")).unwrap();
    let step1 = procedure
        .lines()
        .find_map(|l| l.strip_prefix("1. "))
        .unwrap()
        .to_owned();
    assert!(step1.contains("header.bin"), "{step1}");
    let run = shell(&step1);
    assert!(run.status.success(), "{run:?}");
    let verify = "openssl pkeyutl -verify -pubin -inkey device-public-key.pem -rawin \
                  -in signed-message.bin -sigfile signature.bin";
    let step2 = shell(verify);
    assert!(
        step2.status.success()
            && String::from_utf8_lossy(&step2.stdout).contains("Signature Verified Successfully"),
        "{step2:?}"
    );
    for command in [
        "openssl pkey -pubin -in device-public-key.pem -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \\n'",
        "head -c 48 header.bin | tail -c 32 | od -An -tx1 | tr -d ' \\n'",
    ] {
        assert_eq!(String::from_utf8_lossy(&shell(command).stdout), public, "{command}");
    }
    assert!(shell("sha256sum -c SHA256SUMS").status.success());
    // An attachment or the manifest changed: step 1 no longer rebuilds the signed message.
    let original = std::fs::read(dir.join("attachments/1")).unwrap();
    let mut changed = original.clone();
    changed[0] ^= 1;
    std::fs::write(dir.join("attachments/1"), &changed).unwrap();
    assert!(!shell(&step1).status.success());
    std::fs::write(dir.join("attachments/1"), &original).unwrap();
    assert!(shell(&step1).status.success());
    std::fs::write(
        dir.join("manifest.json"),
        manifest.replace("adult", "child"),
    )
    .unwrap();
    assert!(!shell(&step1).status.success());
}

#[test]
fn an_analyst_quarantines_releases_and_deletes_a_report_and_the_unit_works_on() {
    let w = World::new();
    let (ra, rb) = w.two_linked_reports();
    assert!(w.unit(&["correlate"]).contains("cluster 1"));

    w.unit(&["quarantine", &ra, "--reason", "number looks planted"]);
    assert!(w
        .unit(&["list"])
        .lines()
        .any(|l| l.starts_with(&ra) && l.ends_with("QUARANTINED")));
    assert_eq!(w.unit(&["correlate"]), "");
    w.unit(&["release", &ra]);
    assert!(w.unit(&["correlate"]).contains("cluster 1"));

    w.unit_cmd(&["delete", &rb, "--reason", ""])
        .assert()
        .code(19);
    // The reason from a file works as well as on the command line.
    std::fs::write(w.path("reason.txt"), "flood from a stolen tablet\n").unwrap();
    w.unit(&["delete", &rb, "--reason-file", "reason.txt"]);
    let list = w.unit(&["list"]);
    assert_eq!(lines(&list).len(), 1);
    assert!(list.starts_with(&ra));
    w.unit_cmd(&["show", &rb]).assert().code(18);
    w.unit_cmd(&["ingest", "-i", "unit.key", "b.age"])
        .assert()
        .code(19)
        .stdout(predicate::str::contains("deleted at the unit"));
    assert!(w.unit(&["verify"]).starts_with(&format!("verified\t{ra}")));
}

/// The "indicia: card fingerprint D D D D: …" line of a command's stderr: its four groups.
fn fingerprint_in(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let rest = text
        .split("card fingerprint ")
        .nth(1)
        .unwrap_or_else(|| panic!("no fingerprint in {text:?}"));
    rest.split(':').next().unwrap().to_owned()
}

#[test]
fn unit_card_and_add_unit_show_the_same_fingerprint_and_an_altered_card_is_refused() {
    let w = World::new();
    let out = w.unit_cmd(&["unit-card"]).assert().success();
    let shown_at_unit = fingerprint_in(&out.get_output().stderr);
    assert_eq!(shown_at_unit.len(), 23, "{shown_at_unit}");
    // stdout is the card alone: what is saved and handed over.
    let card: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(card["format"], "indicia-unit/2");

    std::fs::write(w.path("f.pin"), "tidal-amber-orchard\n").unwrap();
    w.run(&["store", "create", "f.db", "--pin-file", "f.pin"]);
    let added = w
        .cmd(&[
            "store",
            "add-unit",
            "f.db",
            "card.json",
            "--pin-file",
            "f.pin",
        ])
        .assert()
        .success();
    let stderr = &added.get_output().stderr;
    assert_eq!(fingerprint_in(stderr), shown_at_unit);
    assert!(String::from_utf8_lossy(stderr).contains("compare it with the one the unit"));

    // A card whose recipient was swapped on the way is refused, naming why.
    let mut altered = card.clone();
    altered["recipient"] = recipient_of(&World::new().path("card.json")).into();
    std::fs::write(w.path("altered.json"), altered.to_string()).unwrap();
    let refused = w
        .cmd(&[
            "store",
            "add-unit",
            "f.db",
            "altered.json",
            "--pin-file",
            "f.pin",
        ])
        .assert()
        .failure();
    let message = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(message.contains("altered or forged"), "{message}");

    // The units the store knows, with the fingerprint to compare again later; a wrong one goes.
    let units = w.run(&["store", "units", "f.db", "--pin-file", "f.pin"]);
    let line: Vec<&str> = units.trim_end().split('\t').collect();
    assert_eq!(line.len(), 4, "{units}");
    assert_eq!(line[1], shown_at_unit);
    assert_eq!(line[2], card["recipient"].as_str().unwrap());
    let remove = |key: &str| {
        w.cmd(&["store", "remove-unit", "f.db", key, "--pin-file", "f.pin"])
            .assert()
    };
    remove("00000000000000000000000000000000").code(18);
    remove(line[0]).success();
    assert_eq!(
        w.run(&["store", "units", "f.db", "--pin-file", "f.pin"]),
        ""
    );
}

#[test]
fn a_case_is_sealed_only_to_added_units_never_to_a_typed_in_recipient() {
    let w = World::new();
    let case = w.field("ngo", "note");
    let seal = |extra: &[&str]| {
        let mut args = vec![
            "store",
            "seal",
            "ngo.db",
            &case,
            "--organisation",
            "sk.ngo",
            "-o",
            "x.age",
            "--pin-file",
            "ngo.pin",
        ];
        args.extend_from_slice(extra);
        w.cmd(&args).assert()
    };
    let stranger = recipient_of(&World::new().path("card.json"));
    seal(&["-r", &stranger]).code(2);
    seal(&["--recipient", &stranger]).code(2);
    seal(&["--unit", "00000000000000000000000000000000"]).code(18);
    assert!(!w.path("x.age").exists());
    let key_id = w
        .run(&["store", "units", "ngo.db", "--pin-file", "ngo.pin"])
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    // With no unit added there is nothing to seal to (InvalidState), and no file is left.
    w.run(&[
        "store",
        "remove-unit",
        "ngo.db",
        &key_id,
        "--pin-file",
        "ngo.pin",
    ]);
    seal(&[])
        .code(19)
        .stderr(predicates::str::contains("add a unit"));
    assert!(!w.path("x.age").exists());
    w.run(&[
        "store",
        "add-unit",
        "ngo.db",
        "card.json",
        "--pin-file",
        "ngo.pin",
    ]);
    seal(&["--unit", &key_id]).success();
    w.unit(&[
        "trust",
        "add",
        "--device",
        &w.device_key("ngo"),
        "--organisation",
        "sk.ngo",
    ]);
    assert!(w
        .unit(&["ingest", "-i", "unit.key", "x.age"])
        .starts_with("stored"));
}
