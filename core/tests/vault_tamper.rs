//! Tampering by row (docs/decisions/0004-vault-tamper-detection.md): with a copy of the disk an
//! attacker can put back an older copy of one sealed row, delete one, swap two, or bring one in
//! from another store. For every row of a field store and of a receiver database — case index,
//! case records, answers, notes, attachment lists and chunks, custody segments, units, keys,
//! trust list, reports, report index, content index — each of these is `Tampered` at unlock,
//! before anything is read (the sealed integrity summary covers every row's key, version and
//! nonce), never silently empty or old data; undoing the change opens the store again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/store_files.rs"]
mod store_files;

use std::collections::BTreeMap;
use std::path::Path;

use indicia_core::keys::Identity;
use indicia_core::package::ReceiptStatus;
use indicia_core::receiver::{Receiver, TrustKind};
use indicia_core::sealing::Armor;
use indicia_core::store::{FileBackend, KdfParams, Protection, Store, StoreError};
use indicia_core::ErrorKind;
use rusqlite::Connection;
use secrecy::SecretString;
use serde_json::json;

const PIN: &str = "tidal-amber-orchard";

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn protection() -> Protection {
    Protection::passphrase(KdfParams::TESTING)
}

/// Each row's version, nonce, inline value and blob id (a receiver keeps its values apart, in
/// `blobs`: a row moved here keeps pointing at its blob).
type Rows = BTreeMap<Vec<u8>, (i64, Vec<u8>, Vec<u8>, Option<i64>)>;

fn rows(path: &Path) -> Rows {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT key, version, nonce, value, blob FROM sealed")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn put_row(conn: &Connection, key: &[u8], row: &(i64, Vec<u8>, Vec<u8>, Option<i64>)) {
    conn.execute(
        "INSERT INTO sealed (key, version, nonce, value, blob) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(key) DO UPDATE SET version = excluded.version, nonce = excluded.nonce, value = excluded.value, blob = excluded.blob",
        (key, row.0, &row.1, &row.2, row.3),
    )
    .unwrap();
}

fn delete_row(conn: &Connection, key: &[u8]) {
    conn.execute("DELETE FROM sealed WHERE key = ?1", [key])
        .unwrap();
}

/// Opens and unlocks the database at `path` with the client it belongs to; with `read_all`,
/// then reads everything in it.
type Unlock = fn(&Path, bool) -> Result<(), StoreError>;

fn unlock_field(path: &Path, read_all: bool) -> Result<(), StoreError> {
    let mut store = Store::open(Box::new(FileBackend::new(path)))?;
    store.unlock(&secret(PIN))?;
    if !read_all {
        return Ok(());
    }
    // Reading everything must also work (or say Tampered).
    for case in store.list_cases()? {
        store.case(&case.id)?;
        store.answers(&case.id)?;
        store.notes(&case.id)?;
        store.custody_log(&case.id)?;
        for a in store.attachments(&case.id)? {
            store.read_attachment(&case.id, &a.id, std::io::sink())?;
        }
    }
    Ok(())
}

fn unlock_receiver(path: &Path, read_all: bool) -> Result<(), StoreError> {
    let mut receiver = Receiver::open(Box::new(FileBackend::new(path))).map_err(|e| match e {
        indicia_core::receiver::ReceiverError::Store(e) => e,
        other => panic!("{other:?}"),
    })?;
    receiver.unlock(&secret(PIN))?;
    if !read_all {
        return Ok(());
    }
    receiver.list(false)?;
    receiver.trust_list()?;
    receiver.unit_card()?;
    for report in receiver.reports()? {
        for i in 0..report.manifest.attachments.len() {
            receiver
                .read_attachment(&report.manifest.report_id, i, std::io::sink())
                .map_err(|e| match e {
                    indicia_core::receiver::ReceiverError::Store(e) => e,
                    other => panic!("{other:?}"),
                })?;
        }
    }
    Ok(())
}

/// Every single-row change between `before` and `after` (the current state of `path`), and
/// deleting or swapping every row, and a row from `foreign`: each must make the unlock itself
/// say Tampered (before any read); the database opens and reads again once the change is
/// undone. Returns how many row
/// versions were put back (so a caller can check its workload rewrote rows).
fn assert_every_row_change_is_tampering(
    path: &Path,
    before: &Rows,
    foreign: &Rows,
    unlock: Unlock,
) -> usize {
    unlock(path, true).unwrap();
    let after = rows(path);
    let keys: Vec<&Vec<u8>> = after.keys().collect();
    let conn = Connection::open(path).unwrap();
    let expect_tampered = |what: &str| {
        let err = unlock(path, false)
            .err()
            .unwrap_or_else(|| panic!("{what}: unlocked"));
        assert_eq!(err, StoreError::Tampered, "{what}");
        assert_eq!(err.kind(), ErrorKind::StoreTampered);
    };
    let mut restored = 0;
    for (i, key) in keys.iter().enumerate() {
        let current = &after[*key];
        // An older copy of this row.
        if let Some(old) = before.get(*key).filter(|old| *old != current) {
            put_row(&conn, key, old);
            expect_tampered(&format!("row {i} put back to an older copy"));
            put_row(&conn, key, current);
            restored += 1;
        }
        // Deleted.
        delete_row(&conn, key);
        expect_tampered(&format!("row {i} deleted"));
        put_row(&conn, key, current);
        // Swapped with the next row (values and versions).
        let other = keys[(i + 1) % keys.len()];
        put_row(&conn, key, &after[other]);
        put_row(&conn, other, current);
        expect_tampered(&format!("rows {i} and {} swapped", (i + 1) % keys.len()));
        put_row(&conn, key, current);
        put_row(&conn, other, &after[other]);
        // Moved in from another store of the same kind, under this row's key.
        let alien = foreign.values().next().unwrap();
        put_row(&conn, key, alien);
        expect_tampered(&format!("row {i} replaced by another store's row"));
        put_row(&conn, key, current);
    }
    // A row added from another store under its own key.
    let (alien_key, alien) = foreign.iter().next().unwrap();
    put_row(&conn, alien_key, alien);
    expect_tampered("a row of another store added");
    delete_row(&conn, alien_key);
    unlock(path, true).expect("every change was undone: the store opens again");
    restored
}

/// A field store with every kind of row: two cases (answers, notes, a three-chunk
/// attachment, a custody log of two segments), units, device key and reply identity.
fn field_store(path: &Path) -> Store {
    let mut store = Store::create(
        Box::new(FileBackend::new(path)),
        &secret(PIN),
        &protection(),
    )
    .unwrap();
    let a = store.create_case("first", None).unwrap();
    store.save_answer(&a, "age_group", &json!("adult")).unwrap();
    store.add_note(&a, "a note").unwrap();
    store
        .add_attachment(&a, "photo.jpg", "image/jpeg", &vec![7u8; 150_000][..])
        .unwrap();
    for n in 0..70 {
        store.save_answer(&a, "counter", &json!(n)).unwrap();
    }
    store.create_case("second", None).unwrap();
    store.device_info().unwrap();
    store.reply_recipient().unwrap();
    store
}

#[test]
fn every_row_of_a_field_store_older_deleted_swapped_or_foreign_is_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let mut store = field_store(&path);
    let before = rows(&path);
    // Rewrite every kind of row that can change: index, records, answers, notes, custody,
    // attachment list.
    let ids: Vec<String> = store
        .list_cases()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    store.create_case("third", None).unwrap();
    for id in &ids {
        store.save_answer(id, "age_group", &json!("minor")).unwrap();
        store.add_note(id, "another note").unwrap();
        store
            .add_attachment(id, "doc.txt", "text/plain", &b"small"[..])
            .unwrap();
    }
    drop(store);
    let other = tempfile::tempdir().unwrap();
    drop(field_store(&other.path().join("other.db")));
    let foreign = rows(&other.path().join("other.db"));
    let restored = assert_every_row_change_is_tampering(&path, &before, &foreign, unlock_field);
    assert!(restored >= 8, "only {restored} rows had older copies");
}

/// A field store in memory (a device that seals, or only a device key).
fn memory_store() -> Store {
    Store::create(
        Box::new(indicia_core::store::MemoryBackend::new().unwrap()),
        &secret(PIN),
        &protection(),
    )
    .unwrap()
}

/// A unit's database with a trust list (one entry revoked), two reports (one with an
/// attachment) and a receipt issued.
fn receiver_db(path: &Path) -> (Receiver, Store, Identity) {
    let identity = Identity::generate();
    let mut receiver = Receiver::create(
        Box::new(FileBackend::new(path)),
        &secret(PIN),
        &protection(),
        "Unit",
        &identity.recipient().to_string(),
    )
    .unwrap();
    let mut field = memory_store();
    field.add_unit(&receiver.unit_card().unwrap()).unwrap();
    let device = field.device_info().unwrap();
    receiver
        .trust_add(TrustKind::Device, &device.public_key, "ngo", None)
        .unwrap();
    let revoked = memory_store().device_info().unwrap();
    receiver
        .trust_add(
            TrustKind::Device,
            &revoked.public_key,
            "ngo",
            Some("lost phone"),
        )
        .unwrap();
    receiver.trust_revoke(&revoked.key_id).unwrap();
    (receiver, field, identity)
}

fn seal_and_ingest(
    receiver: &mut Receiver,
    field: &mut Store,
    identity: &Identity,
    title: &str,
) -> String {
    let case = field.create_case(title, None).unwrap();
    field.add_note(&case, "call +421 900 123 456").unwrap();
    field
        .add_attachment(
            &case,
            "a.bin",
            "application/octet-stream",
            &vec![3u8; 70_000][..],
        )
        .unwrap();
    let (package, report) = field
        .seal_case(&case, "ngo", &[], &[], Armor::Binary, Vec::new())
        .unwrap();
    receiver
        .ingest(&package[..], std::slice::from_ref(identity), "inbox/a.age")
        .unwrap();
    report.report_id
}

#[test]
fn every_row_of_a_receiver_older_deleted_swapped_or_foreign_is_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unit.db");
    let (mut receiver, mut field, identity) = receiver_db(&path);
    let first = seal_and_ingest(&mut receiver, &mut field, &identity, "one");
    let before = rows(&path);
    // A second report (index, index length, content rows), a receipt (rewrites the report),
    // and a new trust entry (rewrites the trust list): an older trust list would un-revoke.
    seal_and_ingest(&mut receiver, &mut field, &identity, "two");
    receiver
        .issue_receipt(&first, ReceiptStatus::Received, None, Armor::Binary, false)
        .unwrap();
    let extra = memory_store().device_info().unwrap();
    receiver
        .trust_add(TrustKind::Device, &extra.public_key, "ngo", None)
        .unwrap();
    receiver.trust_revoke(&extra.key_id).unwrap();
    drop(receiver);
    let other = tempfile::tempdir().unwrap();
    let (mut r2, mut f2, id2) = receiver_db(&other.path().join("other.db"));
    seal_and_ingest(&mut r2, &mut f2, &id2, "foreign");
    drop(r2);
    let foreign = rows(&other.path().join("other.db"));
    let restored = assert_every_row_change_is_tampering(&path, &before, &foreign, unlock_receiver);
    assert!(restored >= 3, "only {restored} rows had older copies");
}

#[test]
fn a_flag_or_a_missing_store_id_in_meta_deletes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let store = field_store(&path);
    drop(store);
    let conn = Connection::open(&path).unwrap();
    // An unauthenticated "wiped" flag while the key slots are there: refused, not obeyed.
    conn.execute("INSERT INTO meta (name, value) VALUES ('wiped', x'01')", [])
        .unwrap();
    assert_eq!(
        Store::open(Box::new(FileBackend::new(&path))).unwrap_err(),
        StoreError::Tampered
    );
    assert!(path.exists());
    conn.execute("DELETE FROM meta WHERE name = 'wiped'", [])
        .unwrap();
    // A missing store id: the same.
    let id: Vec<u8> = conn
        .query_row("SELECT value FROM meta WHERE name = 'store_id'", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("DELETE FROM meta WHERE name = 'store_id'", [])
        .unwrap();
    assert_eq!(
        Store::open(Box::new(FileBackend::new(&path))).unwrap_err(),
        StoreError::Tampered
    );
    conn.execute(
        "INSERT INTO meta (name, value) VALUES ('store_id', ?1)",
        [id],
    )
    .unwrap();
    drop(conn);
    unlock_field(&path, true).expect("nothing was lost");
}

#[test]
fn restoring_every_file_to_an_older_copy_is_caught_by_the_rollback_counter() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    struct Counter(Arc<AtomicU64>);
    impl indicia_core::store::RollbackCounter for Counter {
        fn read(&self) -> Result<u64, String> {
            Ok(self.0.load(Ordering::SeqCst))
        }
        fn advance(&self, value: u64) -> Result<(), String> {
            self.0.fetch_max(value, Ordering::SeqCst);
            Ok(())
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let counter = Arc::new(AtomicU64::new(0));
    let mut store = field_store(&path);
    store
        .set_rollback_counter(Box::new(Counter(counter.clone())))
        .unwrap();
    let id = store.list_cases().unwrap()[0].id.clone();
    drop(store);
    let old = dir.path().join("old.db");
    store_files::copy_files(&path, &old);
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store
        .set_rollback_counter(Box::new(Counter(counter.clone())))
        .unwrap();
    store.unlock(&secret(PIN)).unwrap();
    store.add_note(&id, "written after the copy").unwrap();
    drop(store);
    // Every file put back: consistent on disk, so only the counter can tell.
    std::fs::remove_file(&path).unwrap();
    store_files::copy_files(&old, &path);
    let mut plain = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    plain
        .unlock(&secret(PIN))
        .expect("without a counter the old copy opens");
    drop(plain);
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store
        .set_rollback_counter(Box::new(Counter(counter.clone())))
        .unwrap();
    assert_eq!(
        store.unlock(&secret(PIN)).unwrap_err(),
        StoreError::Tampered
    );
}

#[test]
fn an_index_trigger_or_view_the_vault_did_not_make_is_tampering() {
    // A planted covering index could answer the unlock check's scan with the current rows while
    // reads see restored ones in the table; a trigger could rewrite what is stored. Found by an
    // attack review: the schema itself is now checked at open and at unlock.
    for planted in [
        "CREATE INDEX covering ON sealed(key, version, nonce)",
        "CREATE TRIGGER keep AFTER DELETE ON sealed BEGIN SELECT 1; END",
        "CREATE VIEW rows AS SELECT key FROM sealed",
        "CREATE TABLE extra (x)",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("field.db");
        drop(field_store(&path));
        Connection::open(&path)
            .unwrap()
            .execute_batch(planted)
            .unwrap();
        assert_eq!(
            Store::open(Box::new(FileBackend::new(&path))).unwrap_err(),
            StoreError::Tampered,
            "{planted}"
        );
        assert!(path.exists(), "{planted}: nothing is deleted");
        // Planted after the store was opened: the unlock sees it.
        let conn = Connection::open(&path).unwrap();
        let name = planted.split_whitespace().nth(2).unwrap().to_owned();
        let kind = planted.split_whitespace().nth(1).unwrap().to_owned();
        conn.execute_batch(&format!("DROP {kind} {name}")).unwrap();
        let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
        conn.execute_batch(planted).unwrap();
        assert_eq!(
            store.unlock(&secret(PIN)).unwrap_err(),
            StoreError::Tampered,
            "{planted}"
        );
    }
}
