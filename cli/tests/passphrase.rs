//! A receiving unit's identity file protected by a passphrase: `indicia keygen --passphrase`
//! writes an armored age file (as `age -p` does), and every command that reads identities opens
//! it with the passphrase from a file or stdin; a wrong one is WrongPin (exit 15).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::indicia;

#[test]
fn a_protected_identity_opens_packages_and_files_only_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("unit.key");
    let pass = dir.path().join("pass");
    std::fs::write(&pass, "a long unit passphrase\n").unwrap();
    let out = indicia()
        .args(["keygen", "--passphrase", "--passphrase-file"])
        .arg(&pass)
        .arg("-o")
        .arg(&key)
        .assert()
        .success();
    let recipient = String::from_utf8(out.get_output().stderr.clone())
        .unwrap()
        .trim()
        .strip_prefix("Public key: ")
        .unwrap()
        .to_owned();
    let stored = std::fs::read(&key).unwrap();
    assert!(stored.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
    assert!(!stored.windows(16).any(|w| w == b"AGE-SECRET-KEY-1"));

    let sealed = dir.path().join("report.age");
    indicia()
        .args(["seal", "-r", &recipient, "-o"])
        .arg(&sealed)
        .write_stdin("report text")
        .assert()
        .success();
    // Passphrase from a file, then from stdin.
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg("--passphrase-file")
        .arg(&pass)
        .arg(&sealed)
        .assert()
        .success()
        .stdout("report text");
    indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .write_stdin("a long unit passphrase\n")
        .assert()
        .success()
        .stdout("report text");
    let out = indicia()
        .args(["open", "-i"])
        .arg(&key)
        .arg(&sealed)
        .write_stdin("not the passphrase\n")
        .assert()
        .code(15);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("error[WrongPin]: wrong passphrase"),
        "{stderr}"
    );
    assert!(!stderr.contains("not the passphrase"));
}

#[test]
fn a_short_passphrase_is_refused_and_no_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("unit.key");
    indicia()
        .args(["keygen", "--passphrase", "-o"])
        .arg(&key)
        .write_stdin("short\n")
        .assert()
        .code(1);
    assert!(!key.exists());
}

#[test]
fn a_unit_may_protect_its_identity_file_and_its_database_with_different_passphrases() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("key.pass"), "the identity file's own passphrase\n").unwrap();
    std::fs::write(d.join("unit.pass"), "unit passphrase 42\n").unwrap();
    let run = |args: &[&str]| {
        let mut cmd = indicia();
        cmd.current_dir(d)
            .env("INDICIA_TEST_KDF", "1")
            .env_remove("INDICIA_DB")
            .args(args);
        cmd
    };
    let unit = |args: &[&str]| {
        let mut cmd = run(args);
        cmd.args(["--db", "unit.db", "--passphrase-file", "unit.pass"]);
        cmd
    };
    run(&["keygen", "--passphrase", "--passphrase-file", "key.pass"])
        .args(["-o", "unit.key"])
        .assert()
        .success();
    let wrong_identity_passphrase = |cmd: &mut assert_cmd::Command| {
        let out = cmd.assert().code(15);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains(
                "error[WrongPin]: wrong passphrase for the identity file unit.key (tried the \
                 database's passphrase; a different one goes in --identity-passphrase-file)"
            ),
            "{stderr}"
        );
        assert!(!stderr.contains("unit passphrase 42"));
    };

    // Without the second passphrase the database's is tried on the identity file: refused,
    // naming the identity file, and no database is made.
    wrong_identity_passphrase(&mut unit(&["init", "-i", "unit.key", "--name", "Unit"]));
    assert!(!d.join("unit.db").exists());
    unit(&["init", "-i", "unit.key", "--name", "Unit"])
        .args(["--identity-passphrase-file", "key.pass"])
        .assert()
        .success();

    // A package sealed to the unit goes in only with both passphrases.
    let card = unit(&["unit-card"]).assert().success();
    std::fs::write(d.join("card.json"), &card.get_output().stdout).unwrap();
    std::fs::write(d.join("field.pin"), "tidal-amber-orchard\n").unwrap();
    std::fs::write(d.join("case.title"), "Bus stop\n").unwrap();
    let field = |args: &[&str]| {
        let out = run(&["store", args[0], "field.db"])
            .args(&args[1..])
            .args(["--pin-file", "field.pin"])
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    field(&["create"]);
    field(&["add-unit", "card.json"]);
    let case = field(&["new-case", "--title-file", "case.title"]);
    field(&[
        "seal",
        case.trim(),
        "--organisation",
        "org.example",
        "-o",
        "p.age",
    ]);
    let device = field(&["device-key"]);
    let device = device.split('\t').next().unwrap();
    unit(&[
        "trust",
        "add",
        "--device",
        device,
        "--organisation",
        "org.example",
    ])
    .assert()
    .success();
    wrong_identity_passphrase(&mut unit(&["ingest", "-i", "unit.key", "p.age"]));
    // The identity file's passphrase for the database: the database says it is the one refused.
    let out = run(&["ingest", "-i", "unit.key", "p.age", "--db", "unit.db"])
        .args(["--passphrase-file", "key.pass"])
        .args(["--identity-passphrase-file", "key.pass"])
        .assert()
        .code(15);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("wrong passphrase (the receiver database did not unlock)"),
        "{stderr}"
    );
    unit(&["ingest", "-i", "unit.key", "p.age"])
        .args(["--identity-passphrase-file", "key.pass"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("stored\t"));
}
