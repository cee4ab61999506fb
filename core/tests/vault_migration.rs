//! Format v1 → v2 (docs/formats/store.md, "Migration from v1"), on the frozen v1 databases
//! written by the last v1 code (tests/vectors/store-v1-full and receiver-v1): each opens, its
//! first unlock re-seals every row into the vault format, and every case, answer, note,
//! attachment, custody event, receipt, unit card, key, report and trust entry that
//! `expected.json` lists comes back unchanged — then again from the migrated file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};

use indicia_core::package::UnitCard;
use indicia_core::receiver::Receiver;
use indicia_core::store::{
    FileBackend, KdfParams, PlatformKey, Protection, Store, StoreError, SCHEMA_VERSION,
};
use rusqlite::Connection;
use secrecy::SecretString;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn vectors(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(dir)
}

fn expected(dir: &str) -> Value {
    serde_json::from_slice(&std::fs::read(vectors(dir).join("expected.json")).unwrap()).unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    indicia_core::hex::encode(&Sha256::digest(bytes))
}

/// A private copy of a frozen file, after checking it is the committed one.
fn copy_of(dir: &str, file: &str) -> (tempfile::TempDir, PathBuf) {
    let frozen = vectors(dir).join(file);
    let bytes = std::fs::read(&frozen).unwrap();
    assert_eq!(
        sha256_hex(&bytes),
        expected(dir)["sqlite_sha256"].as_str().unwrap(),
        "{dir}/{file} changed: frozen vectors are never regenerated"
    );
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(file);
    std::fs::copy(frozen, &path).unwrap();
    (tmp, path)
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn user_version(path: &Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn table_exists(path: &Path, name: &str) -> bool {
    Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
        > 0
}

/// `expected`'s fields, each equal in `actual` (fields `actual` lacks are ignored).
fn assert_fields(actual: &Value, expected: &Value, what: &str) {
    for (key, want) in expected.as_object().unwrap() {
        if let Some(got) = actual.get(key) {
            assert_eq!(got, want, "{what}: field {key}");
        }
    }
}

/// The test platform key of the frozen field store: XOR with a fixed pad.
struct PadKey([u8; 32]);

impl PlatformKey for PadKey {
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, String> {
        Ok(data_key.iter().zip(self.0).map(|(a, b)| a ^ b).collect())
    }
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String> {
        self.wrap(wrapped)
    }
}

fn check_field_store(store: &mut Store, e: &Value) {
    let mut listed = serde_json::to_value(store.list_cases().unwrap()).unwrap();
    let mut want = e["case_list"].clone();
    let by_id = |v: &mut Value| {
        v.as_array_mut()
            .unwrap()
            .sort_by_key(|c| c["id"].as_str().unwrap().to_owned())
    };
    by_id(&mut listed);
    by_id(&mut want);
    assert_eq!(listed, want, "case list");
    for case in e["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let record = serde_json::to_value(store.case(id).unwrap()).unwrap();
        assert_fields(&record, case, id);
        assert_eq!(store.answers(id).unwrap(), case["answers"], "{id} answers");
        assert_eq!(
            serde_json::to_value(store.notes(id).unwrap()).unwrap(),
            case["notes"],
            "{id} notes"
        );
        assert_eq!(
            serde_json::to_value(store.custody_log(id).unwrap()).unwrap(),
            case["custody_log"],
            "{id} custody log"
        );
        let attachments = store.attachments(id).unwrap();
        assert_eq!(
            serde_json::to_value(&attachments).unwrap(),
            case["attachments"],
            "{id} attachments"
        );
        for a in &attachments {
            let mut bytes = Vec::new();
            store.read_attachment(id, &a.id, &mut bytes).unwrap();
            assert_eq!(sha256_hex(&bytes), a.sha256, "{id}/{} content", a.name);
        }
    }
    assert_eq!(
        serde_json::to_value(store.units().unwrap()).unwrap(),
        e["units"]
    );
    let device = serde_json::to_value(store.device_info().unwrap()).unwrap();
    assert_fields(&device, &e["device"], "device key");
    assert_eq!(
        store.reply_recipient().unwrap(),
        e["reply_recipient"].as_str().unwrap()
    );
}

#[test]
fn the_frozen_v1_field_store_migrates_and_keeps_everything() {
    let e = expected("store-v1-full");
    let (_tmp, path) = copy_of("store-v1-full", "store.sqlite");
    let pin = secret(e["pin"].as_str().unwrap());
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    // Wipe-after-10 survives: a wrong PIN leaves 9 attempts.
    assert_eq!(
        store.unlock(&secret("0000")).unwrap_err(),
        StoreError::WrongPin {
            attempts_left: Some(9)
        }
    );
    // The v1 PIN still opens (the policy is for PINs set from now on); the first unlock
    // migrates.
    store.unlock(&pin).unwrap();
    assert!(!table_exists(&path, "objects"), "v1 rows moved out");
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    check_field_store(&mut store, &e);
    drop(store);

    // Again from the migrated file: a v2 unlock with the row check.
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&pin).unwrap();
    check_field_store(&mut store, &e);
    store.lock();
    // The platform slot wraps the same data key: it still opens the migrated store.
    let pad: [u8; 32] = hex_array(e["platform_key"]["pad_hex"].as_str().unwrap());
    store.unlock_with_platform_key(&PadKey(pad)).unwrap();
    // And the migrated store takes writes and a new passphrase under the policy.
    let draft = e["case_roles"]["draft"].as_str().unwrap();
    store
        .save_answer(draft, "worker_note", &json!("after migration"))
        .unwrap();
    store
        .change_pin(
            &pin,
            None,
            &secret("orchard lantern quarry"),
            &Protection::passphrase(KdfParams::TESTING),
        )
        .unwrap();
    drop(store);
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&secret("orchard lantern quarry")).unwrap();
    assert_eq!(
        store.answers(draft).unwrap()["worker_note"],
        json!("after migration")
    );
}

fn hex_array(text: &str) -> [u8; 32] {
    indicia_core::hex::decode(text).unwrap()
}

fn check_receiver(receiver: &Receiver, e: &Value) {
    assert_eq!(
        receiver.unit_name().unwrap(),
        e["unit_name"].as_str().unwrap()
    );
    // The frozen database was made when cards were unsigned (v1): it now hands out the same
    // name, recipient and key in a card signed by that key.
    let card = receiver.unit_card().unwrap();
    let mut unsigned = serde_json::to_value(&card).unwrap();
    unsigned["format"] = json!("indicia-unit/1");
    unsigned.as_object_mut().unwrap().remove("signature");
    assert_eq!(unsigned, e["unit_card"]);
    assert_eq!(UnitCard::parse(&card.to_json()).unwrap(), card);
    assert_eq!(
        serde_json::to_value(receiver.trust_list().unwrap()).unwrap(),
        e["trust_list"]
    );
    assert_eq!(
        serde_json::to_value(receiver.report_ids().unwrap()).unwrap(),
        e["report_ids"]
    );
    for report in e["reports"].as_array().unwrap() {
        let id = report["report_id"].as_str().unwrap();
        let stored = serde_json::to_value(receiver.report(id).unwrap()).unwrap();
        assert_eq!(stored, report["stored"], "report {id}");
        for (i, sha) in report["attachment_sha256"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let mut bytes = Vec::new();
            receiver.read_attachment(id, i, &mut bytes).unwrap();
            assert_eq!(
                sha256_hex(&bytes),
                sha.as_str().unwrap(),
                "{id} attachment {i}"
            );
        }
    }
    assert_eq!(
        serde_json::to_value(receiver.list(false).unwrap()).unwrap(),
        e["list"]
    );
}

#[test]
fn the_frozen_v1_receiver_migrates_and_keeps_everything() {
    let e = expected("receiver-v1");
    let (_tmp, path) = copy_of("receiver-v1", "receiver.sqlite");
    let passphrase = secret(e["passphrase"].as_str().unwrap());
    let mut receiver = Receiver::open(Box::new(FileBackend::new(&path))).unwrap();
    receiver.unlock(&passphrase).unwrap();
    assert!(!table_exists(&path, "objects"));
    check_receiver(&receiver, &e);
    drop(receiver);
    let mut receiver = Receiver::open(Box::new(FileBackend::new(&path))).unwrap();
    receiver.unlock(&passphrase).unwrap();
    check_receiver(&receiver, &e);
}

#[test]
fn a_migrated_receiver_writes_new_values_apart_and_reads_them_beside_its_inline_rows() {
    // Schema 3 (values apart): the migrated rows stay inline; what the receiver writes from
    // then on goes to `blobs`, and both read back (docs/formats/store.md, "Values apart").
    let e = expected("receiver-v1");
    let (_tmp, path) = copy_of("receiver-v1", "receiver.sqlite");
    let passphrase = secret(e["passphrase"].as_str().unwrap());
    let mut receiver = Receiver::open(Box::new(FileBackend::new(&path))).unwrap();
    receiver.unlock(&passphrase).unwrap();
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let blobs = |path: &Path| -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(blobs(&path), 0, "migrated rows stay inline");
    let id = e["reports"][0]["report_id"].as_str().unwrap().to_owned();
    receiver.quarantine(&id, "checking the migration").unwrap();
    receiver.release(&id).unwrap();
    check_receiver(&receiver, &e);
    drop(receiver);
    assert!(
        blobs(&path) > 0,
        "the rewritten report row and its custody events went apart"
    );
    let mut receiver = Receiver::open(Box::new(FileBackend::new(&path))).unwrap();
    receiver.unlock(&passphrase).unwrap();
    check_receiver(&receiver, &e);
}

#[test]
fn a_migration_interrupted_before_its_commit_leaves_the_v1_store_as_it_was() {
    // The migration is one transaction: a failure inside it (here: a corrupted v1 row) rolls
    // back to the untouched v1 layout, reported as Tampered, and the file still opens as v1.
    let e = expected("store-v1-full");
    let (_tmp, path) = copy_of("store-v1-full", "store.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        let (key, mut value): (Vec<u8>, Vec<u8>) = conn
            .query_row(
                "SELECT key, value FROM objects ORDER BY key DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        value[30] ^= 1;
        conn.execute("UPDATE objects SET value = ?1 WHERE key = ?2", (value, key))
            .unwrap();
    }
    let pin = secret(e["pin"].as_str().unwrap());
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    assert_eq!(store.unlock(&pin).unwrap_err(), StoreError::Tampered);
    assert!(!store.is_unlocked());
    assert!(
        table_exists(&path, "objects"),
        "the v1 rows are still there"
    );
    let rows: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM sealed", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0, "nothing half-migrated");
}
