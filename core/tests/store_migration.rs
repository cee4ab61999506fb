//! Every version opens the store the first schema wrote (tests/vectors/store-v1, frozen):
//! migrations run on open, the PIN still unlocks, the case comes back whole, and the database
//! ends at the current schema version. A database from a newer version is refused untouched.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::{Path, PathBuf};

use indicia_core::store::{CaseStatus, FileBackend, Store, StoreError, SCHEMA_VERSION};
use indicia_core::ErrorKind;
use rusqlite::Connection;
use secrecy::SecretString;
use serde_json::json;
use sha2::{Digest, Sha256};

/// tests/vectors/store-v1/README.md: the vector is never regenerated.
const FROZEN_SHA256: &str = "c5ba20e33779f2a2f6a5afe103168cd7d0e54ea205e8be33db66e255528eef0a";

fn frozen() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/store-v1/store.sqlite")
}

fn pin(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

/// A private copy of the frozen file (the vector itself is never opened for writing).
fn copy_of_frozen() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    std::fs::copy(frozen(), &path).unwrap();
    (dir, path)
}

fn user_version(path: &Path) -> u32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn the_frozen_v1_store_is_the_committed_one_and_self_contained() {
    let bytes = std::fs::read(frozen()).unwrap();
    let hash = indicia_core::hex::encode(&Sha256::digest(&bytes));
    assert_eq!(
        hash, FROZEN_SHA256,
        "tests/vectors/store-v1/store.sqlite changed: it must never be regenerated"
    );
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(
        (bytes[18], bytes[19]),
        (1, 1),
        "rollback-journal header: no WAL needed beside it"
    );
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut companion = frozen().into_os_string();
        companion.push(suffix);
        assert!(
            !Path::new(&companion).exists(),
            "{companion:?} must not exist beside the vector"
        );
    }
    let (_dir, copy) = copy_of_frozen();
    assert_eq!(user_version(&copy), 1);
}

#[test]
fn the_frozen_v1_store_opens_unlocks_and_reads_back_after_migration() {
    let (_dir, path) = copy_of_frozen();
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    assert!(!store.is_unlocked());
    assert_eq!(
        store.unlock(&pin("0000")).unwrap_err().kind(),
        ErrorKind::WrongPin
    );
    store.unlock(&pin("1234")).unwrap();

    let cases = store.list_cases().unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].title, "frozen case");
    assert_eq!(cases[0].status, CaseStatus::Draft);
    let id = cases[0].id.clone();
    let record = store.case(&id).unwrap();
    assert_eq!(record.title, "frozen case");
    assert_eq!(record.checklist, None);
    assert_eq!(store.answers(&id).unwrap(), json!({"age_group": "adult"}));
    let notes = store.notes(&id).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "frozen note");
    let log = store.custody_log(&id).unwrap();
    let events: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.event.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            ("created", ""),
            ("answer_saved", "age_group"),
            ("note_added", notes[0].id.as_str())
        ]
    );

    // The migrated store is an ordinary store: it takes writes and keeps them.
    store
        .save_answer(&id, "worker_note", &json!("after migration"))
        .unwrap();
    drop(store);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&pin("1234")).unwrap();
    assert_eq!(
        store.answers(&id).unwrap(),
        json!({"age_group": "adult", "worker_note": "after migration"})
    );
    assert_eq!(store.custody_log(&id).unwrap().len(), 4);
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_left_untouched() {
    let (dir, path) = copy_of_frozen();
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let err = Store::open(Box::new(FileBackend::new(&path))).unwrap_err();
    assert!(matches!(err, StoreError::Unsupported(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::StoreFailure);
    // Not wiped, not migrated backwards: the newer app can still read it.
    assert_eq!(user_version(&path), SCHEMA_VERSION + 1);
    assert!(dir.path().join("store.sqlite").exists());
    let meta: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM keyslots", [], |r| r.get(0))
        .unwrap();
    assert_eq!(meta, 1, "the key slot must survive a refused open");
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 1)
        .unwrap();
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&pin("1234")).unwrap();
    assert_eq!(store.list_cases().unwrap().len(), 1);
}
