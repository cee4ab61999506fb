//! A receiving unit in a scratch directory — key, database (`unit.db`, passphrase in
//! `unit.pass`), card (`card.json`) — and commands run there: shared by the receiver tests.

use std::path::PathBuf;

use super::indicia;

pub struct Unit {
    pub dir: tempfile::TempDir,
}

impl Unit {
    /// With `protected_key` the identity file itself is passphrase-protected (same passphrase).
    pub fn new(protected_key: bool) -> Unit {
        let unit = Unit {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(unit.path("unit.pass"), "unit passphrase 42\n").unwrap();
        if protected_key {
            unit.run(&[
                "keygen",
                "--passphrase",
                "--passphrase-file",
                "unit.pass",
                "-o",
                "unit.key",
            ]);
        } else {
            unit.run(&["keygen", "-o", "unit.key"]);
        }
        unit.unit(&["init", "-i", "unit.key", "--name", "National THB unit"]);
        unit.unit(&["unit-card", "-o", "card.json"]);
        unit
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `indicia ARGS…` in the directory, with the cheap test KDF.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = indicia();
        cmd.current_dir(self.dir.path())
            .env("INDICIA_TEST_KDF", "1")
            .env_remove("INDICIA_DB")
            .args(args);
        cmd
    }

    /// Runs a command that must succeed; its stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    /// A receiver command on the unit's database.
    pub fn unit_cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = self.cmd(args);
        cmd.args(["--db", "unit.db", "--passphrase-file", "unit.pass"]);
        cmd
    }

    /// A receiver command that must succeed; its stdout.
    pub fn unit(&self, args: &[&str]) -> String {
        let out = self.unit_cmd(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}
