//! The frozen vault-schema-2 databases (tests/vectors/vault-schema2: a receiver and a field store
//! written by the CLI of commit 5da4584, the last before schema 3): today's CLI opens copies,
//! migrates them on the first unlock (docs/formats/store.md, "Values apart"), prints exactly what
//! the old CLI printed — every report re-verified from the signed bytes the old code kept — and
//! then takes new writes: a case sealed by the migrated store goes into the migrated receiver,
//! its rows apart, and everything verifies again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use std::path::{Path, PathBuf};

use common::indicia;
use sha2::{Digest, Sha256};

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/vault-schema2"
);
/// The frozen databases' SHA-256 (tests/vectors/vault-schema2/README.md).
const FROZEN: [(&str, &str); 2] = [
    (
        "receiver.sqlite",
        "9ca3a83ce5c46847a290c65d9840bee30e5d88145a6b0ff25daf0d55d73de49a",
    ),
    (
        "store.sqlite",
        "361bbc0438bfa0c230a5ff435945ffd1312c107cde34a6d5c232e6c33c7b64c6",
    ),
];

/// What the old CLI printed: pinned too, so that no one "updates" them to match a broken reader.
const PRINTED: [(&str, &str); 5] = [
    (
        "expected-export.json",
        "778174516a613773b4fe3c52c25cea6854992959d1269f0117c0444c412b263f",
    ),
    (
        "expected-list.txt",
        "0de26591fbcd76ce268e47e57c367c2ed185832932490dc6b446a86262d22908",
    ),
    (
        "expected-store-list.txt",
        "3ef90d5d237a26db005d14cba92dee39f15fd1d0aea60a63dbc7aedce367be2d",
    ),
    (
        "expected-trust.txt",
        "4c6a03c032f72d9c3c8a8e1d4e2eed3f4e1d20288b7c3926c8bc07367c2cc718",
    ),
    (
        "expected-verify.txt",
        "e28124ec93f9f2ca7a167fb09a19bdea2724227daadcb05f31e2b8205b8ea08c",
    ),
];

/// A private copy of the vector folder, after checking the frozen files are the committed ones.
fn copy_of_vectors() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(VECTORS).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
    }
    for &(file, sha256) in FROZEN.iter().chain(&PRINTED) {
        let digest = Sha256::digest(std::fs::read(tmp.path().join(file)).unwrap());
        assert_eq!(
            indicia_core::hex::encode(&digest),
            sha256,
            "{file} changed: frozen vectors are never regenerated"
        );
    }
    tmp
}

/// `PRAGMA user_version`: the number of vault migrations applied.
fn schema_version(path: &Path) -> u32 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Rows of the `blobs` table (values kept apart: the receiver's since schema 3).
fn blobs(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap()
}

struct Frozen {
    dir: tempfile::TempDir,
}

impl Frozen {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `indicia ARGS…` in the copy; its stdout (it must succeed).
    fn run(&self, args: &[&str]) -> String {
        let out = indicia()
            .current_dir(self.dir.path())
            .env_remove("INDICIA_DB")
            .args(args)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    /// A receiver command on the frozen receiver database.
    fn unit(&self, args: &[&str]) -> String {
        let mut all = args.to_vec();
        all.extend(["--db", "receiver.sqlite", "--passphrase-file", "unit.pass"]);
        self.run(&all)
    }

    /// A field-store command on the frozen store (`STORE` in `args` is its file).
    fn store(&self, args: &[&str]) -> String {
        let mut all = vec!["store"];
        all.extend(
            args.iter()
                .map(|a| if *a == "STORE" { "store.sqlite" } else { a }),
        );
        all.extend(["--pin-file", "store.pin"]);
        self.run(&all)
    }

    fn expected(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    /// What the old CLI printed, printed again.
    fn reads_back_as_frozen(&self) {
        let export: serde_json::Value =
            serde_json::from_str(&self.unit(&["export", "--format", "json"])).unwrap();
        let frozen: serde_json::Value =
            serde_json::from_str(&self.expected("expected-export.json")).unwrap();
        assert_eq!(export, frozen, "export --format json");
        assert_eq!(self.unit(&["list"]), self.expected("expected-list.txt"));
        assert_eq!(self.unit(&["verify"]), self.expected("expected-verify.txt"));
        assert_eq!(
            self.unit(&["trust", "list"]),
            self.expected("expected-trust.txt")
        );
        assert_eq!(
            self.store(&["list", "STORE"]),
            self.expected("expected-store-list.txt")
        );
    }
}

/// A `verify` line with its custody event count one higher.
fn with_one_more_custody_event(line: &str) -> String {
    line.split('\t')
        .map(|field| match field.strip_suffix(" custody event(s)") {
            Some(n) => format!("{} custody event(s)", n.parse::<u32>().unwrap() + 1),
            None => field.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\t")
}

#[test]
fn the_frozen_schema2_databases_migrate_and_read_back_what_the_old_cli_printed() {
    let frozen = Frozen {
        dir: copy_of_vectors(),
    };
    for (file, _) in FROZEN {
        assert_eq!(schema_version(&frozen.path(file)), 2, "{file} before");
    }
    frozen.reads_back_as_frozen();
    for (file, _) in FROZEN {
        assert!(schema_version(&frozen.path(file)) >= 3, "{file} migrated");
    }
    assert_eq!(
        blobs(&frozen.path("receiver.sqlite")),
        0,
        "nothing rewritten"
    );
    // Again from the migrated files.
    frozen.reads_back_as_frozen();
}

#[test]
fn a_case_sealed_by_the_migrated_store_goes_into_the_migrated_receiver_and_everything_verifies() {
    let frozen = Frozen {
        dir: copy_of_vectors(),
    };
    std::fs::write(frozen.path("title.txt"), "Bakery on the old square\n").unwrap();
    std::fs::write(frozen.path("note.txt"), "Met at the night bus stop.\n").unwrap();
    let case = frozen.store(&[
        "new-case",
        "STORE",
        "--checklist",
        "builtin:first-contact",
        "--title-file",
        "title.txt",
        "--note-file",
        "note.txt",
    ]);
    let case = case.trim();
    let sealed = frozen.store(&[
        "seal",
        "STORE",
        case,
        "--organisation",
        "es.example-ngo",
        "-o",
        "new.age",
    ]);
    let report_id = sealed.split('\t').next().unwrap().to_owned();
    let ingested = frozen.unit(&["ingest", "-i", "unit.key", "new.age"]);
    assert!(
        ingested.starts_with(&format!("stored\tnew.age\t{report_id}\tes.example-ngo")),
        "{ingested}"
    );
    assert!(
        blobs(&frozen.path("receiver.sqlite")) > 0,
        "a new report's rows go apart"
    );
    // A field store keeps its values inline: blob ids would show the order of writing
    // (docs/decisions/0010-receiver-values-apart.md).
    assert_eq!(blobs(&frozen.path("store.sqlite")), 0, "the field store");
    // Frozen rows rewritten by today's code (the report row and its custody log move apart),
    // then their custody chain checked again by `verify`.
    frozen.unit(&[
        "quarantine",
        "00000000000000000000000000000003",
        "--reason",
        "second look",
    ]);
    frozen.unit(&["release", "00000000000000000000000000000002"]);
    // The five frozen reports still verify (two with one custody event more), and the new one.
    let verified = frozen.unit(&["verify"]);
    let lines: Vec<&str> = verified.lines().collect();
    assert_eq!(lines.len(), 6, "{verified}");
    assert!(
        lines.iter().all(|l| l.starts_with("verified\t")),
        "{verified}"
    );
    for line in frozen.expected("expected-verify.txt").lines() {
        let id = line.split('\t').nth(1).unwrap();
        let expected = if [
            "00000000000000000000000000000002",
            "00000000000000000000000000000003",
        ]
        .contains(&id)
        {
            with_one_more_custody_event(line)
        } else {
            line.to_owned()
        };
        assert!(
            lines.contains(&expected.as_str()),
            "{expected} not printed:\n{verified}"
        );
    }
    let listed = frozen.unit(&["list"]);
    let quarantined = |id: &str| {
        let line = listed.lines().find(|l| l.starts_with(id)).unwrap();
        line.ends_with("\tQUARANTINED")
    };
    assert!(quarantined("00000000000000000000000000000003"));
    assert!(!quarantined("00000000000000000000000000000002"), "released");
    assert!(frozen.unit(&["list"]).contains("Bakery on the old square"));
    assert_eq!(frozen.store(&["list", "STORE"]).lines().count(), 3);
}
