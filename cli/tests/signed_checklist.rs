//! Signed checklists through the binary (docs/formats/signed-checklist.md): a publisher's key,
//! `checklist sign`, loading under a trust list (`--trust`, the field store's
//! `store checklist-trust`), the distinct refusals, and the publisher shown by the receiver.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::unit::Unit;
use predicates::prelude::*;
use serde_json::{json, Value};

const PUBLISHER: &str = "Example referral body";

/// A definition that is not built in: the ILO forced-labour checklist under another id.
fn write_definition(unit: &Unit, name: &str) {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../core/checklists/ilo-forced-labour-11.json"),
    )
    .unwrap();
    let mut doc: Value = serde_json::from_str(&source).unwrap();
    doc["id"] = json!("local-forced-labour");
    std::fs::write(unit.path(name), doc.to_string()).unwrap();
}

/// A publisher key in `publisher.key`; returns its public key.
fn publisher_key(unit: &Unit, file: &str) -> String {
    let out = unit
        .cmd(&["checklist", "keygen", "-o", file])
        .assert()
        .success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    stderr
        .trim()
        .strip_prefix("Public key: ")
        .unwrap()
        .to_owned()
}

/// Signs definition `input` with key file `key` as [`PUBLISHER`] into `output` (must succeed).
fn sign(unit: &Unit, input: &str, key: &str, output: &str) {
    unit.run(&[
        "checklist",
        "sign",
        input,
        "--key",
        key,
        "--publisher",
        PUBLISHER,
        "-o",
        output,
    ]);
}

fn trust_file(unit: &Unit, name: &str, public_key: &str, require: bool) {
    std::fs::write(
        unit.path(name),
        json!({"require_signatures": require, "publishers": [{"name": PUBLISHER, "public_key": public_key}]})
            .to_string(),
    )
    .unwrap();
}

#[test]
fn a_publisher_signs_and_a_deployment_requiring_signatures_refuses_unsigned_and_forged() {
    let u = Unit::new(false);
    write_definition(&u, "local.json");
    let public = publisher_key(&u, "publisher.key");
    assert_eq!(public.len(), 64);
    // The key file is never overwritten.
    u.cmd(&["checklist", "keygen", "-o", "publisher.key"])
        .assert()
        .failure();
    sign(&u, "local.json", "publisher.key", "signed.json");
    trust_file(&u, "trust.json", &public, true);

    let out = u.run(&[
        "checklist",
        "validate",
        "signed.json",
        "--trust",
        "trust.json",
    ]);
    assert!(out.contains("valid: local-forced-labour"), "{out}");
    assert!(
        out.contains(&format!("publisher: \"{PUBLISHER}\"")) && out.contains("a trusted publisher"),
        "{out}"
    );
    let shown = u.run(&["checklist", "show", "signed.json", "--trust", "trust.json"]);
    assert!(
        shown.contains(&format!("Publisher: \"{PUBLISHER}\"")),
        "{shown}"
    );
    assert!(shown.contains("Review: draft"), "{shown}");
    // Without a trust list the signature is still checked; the publisher is not trusted here.
    let open = u.run(&["checklist", "validate", "signed.json"]);
    assert!(open.contains("publisher not on the trust list"), "{open}");

    // Unsigned: UntrustedChecklist, exit 27.
    u.cmd(&[
        "checklist",
        "validate",
        "local.json",
        "--trust",
        "trust.json",
    ])
    .assert()
    .code(27)
    .stderr(predicate::str::contains("[UntrustedChecklist]"));
    // Signed by a publisher the deployment does not list: the same.
    publisher_key(&u, "other.key");
    sign(&u, "local.json", "other.key", "other.json");
    u.cmd(&[
        "checklist",
        "run",
        "other.json",
        "--trust",
        "trust.json",
        "--answers",
        "local.json",
    ])
    .assert()
    .code(27);
    // Altered after signing: BadSignature (21), whatever the trust list says.
    let signed = std::fs::read_to_string(u.path("signed.json")).unwrap();
    let mut forged: Value = serde_json::from_str(&signed).unwrap();
    forged["definition"]["outcomes"][0]["level"] = json!(3);
    std::fs::write(u.path("forged.json"), forged.to_string()).unwrap();
    for trust in [&["--trust", "trust.json"][..], &[][..]] {
        u.cmd(&[&["checklist", "show", "forged.json"][..], trust].concat())
            .assert()
            .code(21)
            .stderr(predicate::str::contains("[BadSignature]"));
    }
    // A built-in checklist is part of the installation: accepted and shown as such.
    let builtin = u.run(&[
        "checklist",
        "validate",
        "builtin:first-contact",
        "--trust",
        "trust.json",
    ]);
    assert!(builtin.contains("publisher: built in"), "{builtin}");
    // An invalid definition is not signed.
    std::fs::write(u.path("bad.json"), "{\"format\": \"indicia-checklist/2\"}").unwrap();
    u.cmd(&[
        "checklist",
        "sign",
        "bad.json",
        "--key",
        "publisher.key",
        "--publisher",
        PUBLISHER,
        "-o",
        "bad-signed.json",
    ])
    .assert()
    .code(10);
    assert!(!u.path("bad-signed.json").exists());
}

#[test]
fn the_publisher_travels_in_the_package_and_the_receiver_shows_it() {
    let u = Unit::new(false);
    write_definition(&u, "local.json");
    let public = publisher_key(&u, "publisher.key");
    sign(&u, "local.json", "publisher.key", "signed.json");
    trust_file(&u, "trust.json", &public, true);
    std::fs::write(u.path("f.pin"), "tidal-amber-orchard\n").unwrap();
    std::fs::write(u.path("title"), "Farm visit\n").unwrap();
    std::fs::write(u.path("answers.json"), r#"{"debt_bondage": "yes"}"#).unwrap();
    u.run(&["store", "create", "f.db", "--pin-file", "f.pin"]);
    u.run(&[
        "store",
        "add-unit",
        "f.db",
        "card.json",
        "--pin-file",
        "f.pin",
    ]);
    // The field store's trust: kept sealed, shown back.
    let held = u.run(&[
        "store",
        "checklist-trust",
        "f.db",
        "--set",
        "trust.json",
        "--pin-file",
        "f.pin",
    ]);
    let held: Value = serde_json::from_str(&held).unwrap();
    assert_eq!(held["require_signatures"], true);
    assert_eq!(held["publishers"][0]["public_key"], public);
    let new_case = |checklist: &str| {
        let mut cmd = u.cmd(&[
            "store",
            "new-case",
            "f.db",
            "--pin-file",
            "f.pin",
            "--title-file",
            "title",
        ]);
        cmd.args(["--checklist", checklist, "--answers", "answers.json"]);
        cmd
    };
    new_case("local.json").assert().code(27);
    let out = new_case("signed.json").assert().success();
    let case = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .trim()
        .to_owned();

    let device = u.run(&["store", "device-key", "f.db", "--pin-file", "f.pin"]);
    let device = device.split('\t').next().unwrap().to_owned();
    u.unit(&[
        "trust",
        "add",
        "--device",
        &device,
        "--organisation",
        "sk.ngo",
    ]);
    let sealed = u.run(&[
        "store",
        "seal",
        "f.db",
        &case,
        "--organisation",
        "sk.ngo",
        "-o",
        "r.age",
        "--pin-file",
        "f.pin",
    ]);
    let report = sealed.split('\t').next().unwrap().trim().to_owned();
    u.unit(&["ingest", "-i", "unit.key", "r.age"]);

    let shown: Value = serde_json::from_str(&u.unit(&["show", &report])).unwrap();
    let checklist = &shown["manifest"]["checklist"];
    assert_eq!(checklist["id"], "local-forced-labour", "{shown}");
    assert_eq!(checklist["publisher"]["name"], PUBLISHER);
    assert_eq!(checklist["publisher"]["public_key"], public);
    assert_eq!(shown["manifest"]["format"], "indicia-package/2");
    let list = u.unit(&["list"]);
    assert!(
        list.contains(&format!("checklist signed by {PUBLISHER}")),
        "{list}"
    );
    let export: Value = serde_json::from_str(&u.unit(&["export", "--format", "json"])).unwrap();
    assert_eq!(
        export[0]["manifest"]["checklist"]["publisher"]["name"],
        PUBLISHER
    );
    let csv = u.unit(&["export", "--format", "csv"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",checklist_publisher"),
        "{csv}"
    );
    assert!(csv.lines().nth(1).unwrap().ends_with(PUBLISHER), "{csv}");
}
