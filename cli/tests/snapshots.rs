//! The receiver's command-line behaviour pinned over the frozen package vectors: every line and
//! exit code of `package verify`, `ingest`, `list`, `correlate` and `verify`, as a person or a
//! script sees them. A change to any of them shows as a snapshot diff (cli/tests/snapshots/);
//! review it, then accept it with `INSTA_UPDATE=always cargo test -p indicia-cli --test
//! snapshots` (docs/development.md). Times and the new unit's receipt key vary per run and are
//! blanked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::indicia;

/// A scratch directory holding a copy of tests/vectors/package-vN as `v/`.
struct Scratch {
    dir: tempfile::TempDir,
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Scratch {
    fn new(version: u8) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../tests/vectors/package-v{version}"));
        copy_tree(&vectors, &dir.path().join("v"));
        std::fs::write(dir.path().join("unit.pass"), "unit passphrase 42\n").unwrap();
        Scratch { dir }
    }

    /// Runs `indicia ARGS` (with the unit database's options when `db`) and returns the
    /// transcript: the command, its exit code, stdout and stderr.
    fn run(&self, args: &[&str], db: bool) -> String {
        let mut cmd = indicia();
        cmd.current_dir(self.dir.path())
            .env("INDICIA_TEST_KDF", "1")
            .env_remove("INDICIA_DB")
            .args(args);
        if db {
            cmd.args(["--db", "unit.db", "--passphrase-file", "unit.pass"]);
        }
        let out = cmd.output().unwrap();
        let mut transcript = format!("$ indicia {}\n", args.join(" "));
        writeln!(transcript, "exit {}", out.status.code().unwrap_or(-1)).unwrap();
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let text = String::from_utf8(bytes.clone()).unwrap();
            if !text.is_empty() {
                write!(transcript, "--- {name}\n{text}").unwrap();
            }
        }
        transcript
    }

    fn device_key(&self) -> String {
        let device: serde_json::Value =
            serde_json::from_slice(&std::fs::read(self.dir.path().join("v/device.json")).unwrap())
                .unwrap();
        device["public_key"].as_str().unwrap().to_owned()
    }
}

fn names(version: u8, dir: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/vectors/package-v{version}"))
        .join(dir);
    let mut names: Vec<String> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| format!("v/{dir}/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    names.sort();
    names
}

fn snapshot(name: &str, transcript: &str) {
    insta::with_settings!({
        filters => vec![
            (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[TIME]"),
            // The unit's receipt key is new with every database.
            (r"receipt key [0-9a-f]{32}", "receipt key [KEY ID]"),
        ],
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, transcript);
    });
}

#[test]
fn package_verify_prints_one_line_per_vector_and_exits_with_the_first_failure() {
    package_verify(1, "package_verify");
}

#[test]
fn package_verify_over_the_v2_vectors() {
    package_verify(2, "package_verify_v2");
}

fn package_verify(version: u8, name: &str) {
    let s = Scratch::new(version);
    let mut transcript = String::new();
    let valid = names(version, "valid");
    let mut args = vec!["package", "verify", "-i", "v/unit.key"];
    args.extend(valid.iter().map(String::as_str));
    transcript += &s.run(&args, false);
    for reject in names(version, "reject") {
        transcript += &s.run(&["package", "verify", "-i", "v/unit.key", &reject], false);
    }
    snapshot(name, &transcript);
}

#[test]
fn a_unit_ingests_lists_correlates_and_verifies_the_vectors() {
    receiver_over_vectors(1, "receiver_over_vectors");
}

#[test]
fn a_unit_ingests_lists_correlates_and_verifies_the_v2_vectors() {
    receiver_over_vectors(2, "receiver_over_v2_vectors");
}

fn receiver_over_vectors(version: u8, name: &str) {
    let s = Scratch::new(version);
    let key = s.device_key();
    let mut transcript = String::new();
    transcript += &s.run(
        &["init", "-i", "v/unit.key", "--name", "National THB unit"],
        true,
    );
    // Not yet trusted: every valid package is refused with the reason.
    transcript += &s.run(&["ingest", "-i", "v/unit.key", "v/valid"], true);
    transcript += &s.run(
        &[
            "trust",
            "add",
            "--device",
            &key,
            "--organisation",
            "sk.example-ngo",
            "--label",
            "vectors",
        ],
        true,
    );
    transcript += &s.run(&["ingest", "-i", "v/unit.key", "v/valid"], true);
    transcript += &s.run(&["ingest", "-i", "v/unit.key", "v/reject"], true);
    transcript += &s.run(&["ingest", "-i", "v/unit.key", "v/valid/armored.age"], true);
    transcript += &s.run(&["list"], true);
    transcript += &s.run(&["correlate", "--min-organisations", "1"], true);
    transcript += &s.run(&["verify"], true);
    if version == 2 {
        transcript += &s.run(&["ingest", "-i", "v/unit.key", "v/untrusted"], true);
    }
    transcript += &s.run(&["verify", "0123456789abcdef"], true);
    snapshot(name, &transcript);
}
