//! What the store leaves on disk (docs/formats/store.md): a realistic workload written through
//! `FileBackend` leaves no title, answer, note, question id or case id in any file (database,
//! WAL, shared memory), open or closed; no journal or temp file appears; and a database altered
//! behind the store's back reads as `Tampered` (or `Wiped`), never as data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/sealing.rs"]
mod sealing;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use indicia_core::checklist::model::ChecklistRef;
use indicia_core::store::{CaseStatus, FileBackend, KdfParams, Protection, Store, StoreError};
use rusqlite::Connection;
use secrecy::SecretString;
use serde_json::json;

const DB: &str = "store.sqlite";

fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes).unwrap();
    indicia_core::hex::encode(&bytes)
}

/// A unique plaintext marker; every one is remembered so the files can be searched for it.
struct Markers(Vec<String>);

impl Markers {
    fn next(&mut self) -> String {
        let m = format!("MARKER-{}", random_hex(8));
        self.0.push(m.clone());
        m
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn names(files: &[PathBuf]) -> BTreeSet<String> {
    files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The needles found in `haystack`: one pass, candidates looked up by their first 4 bytes.
fn found<'a>(haystack: &[u8], needles: &'a [String]) -> Vec<&'a str> {
    let mut by_prefix: HashMap<&[u8], Vec<&str>> = HashMap::new();
    for needle in needles {
        assert!(
            needle.len() >= 4,
            "needle too short to search for: {needle:?}"
        );
        by_prefix
            .entry(&needle.as_bytes()[..4])
            .or_default()
            .push(needle);
    }
    let mut hits = Vec::new();
    for (i, window) in haystack.windows(4).enumerate() {
        if let Some(candidates) = by_prefix.get(window) {
            hits.extend(
                candidates
                    .iter()
                    .filter(|n| haystack[i..].starts_with(n.as_bytes())),
            );
        }
    }
    hits
}

/// Every file in `dir` is searched for every needle; panics naming the file and the needles.
fn assert_nothing_readable(dir: &Path, needles: &[String], when: &str) {
    let files = files_in(dir);
    assert!(!files.is_empty(), "{when}: no files at all");
    for file in &files {
        let hits = found(&std::fs::read(file).unwrap(), needles);
        assert!(
            hits.is_empty(),
            "{when}: readable in {}: {hits:?}",
            file.display()
        );
    }
}

/// Only the database and SQLite's WAL and shared-memory files, never a rollback journal or a
/// temp file.
fn assert_only_database_files(dir: &Path, when: &str) -> BTreeSet<String> {
    let names = names(&files_in(dir));
    let allowed: BTreeSet<String> = [DB.to_owned(), format!("{DB}-wal"), format!("{DB}-shm")]
        .into_iter()
        .collect();
    assert!(
        names.is_subset(&allowed),
        "{when}: unexpected files {names:?}"
    );
    names
}

struct Workload {
    needles: Vec<String>,
}

/// 20 cases with titles, short and long answers, notes, cleared answers, status changes and
/// two deleted cases, every piece of text carrying a marker.
fn write_workload(store: &mut Store, markers: &mut Markers) -> Workload {
    let question_ids = [
        "worker_note",
        "age_group",
        "employer_name",
        "documents_withheld",
    ];
    let mut needles: Vec<String> = question_ids.iter().map(|s| (*s).to_owned()).collect();
    needles.extend(
        [
            "answer_saved",
            "note_added",
            "status_changed",
            "handed_over",
            "acknowledged",
        ]
        .map(String::from),
    );
    needles.extend(["first-contact", "sha256:feedface"].map(String::from));
    let checklist = ChecklistRef {
        id: "first-contact".into(),
        version: "1".into(),
        hash: "sha256:feedfacefeedface".into(),
        publisher: None,
    };
    let mut ids = Vec::new();
    for i in 0..20 {
        let title = format!("Case {i} near the harbour {}", markers.next());
        let id = store.create_case(&title, Some(checklist.clone())).unwrap();
        needles.push(title);
        needles.push(id.clone());
        let long = (0..40)
            .map(|_| markers.next())
            .collect::<Vec<_>>()
            .join(" — worked 16h; ");
        store.save_answer(&id, "worker_note", &json!(long)).unwrap();
        store
            .save_answer(&id, "age_group", &json!(markers.next()))
            .unwrap();
        let employer = markers.next();
        store
            .save_answer(&id, "employer_name", &json!(format!("{employer} #{i}")))
            .unwrap();
        store
            .save_answer(&id, "documents_withheld", &json!([markers.next(), "yes"]))
            .unwrap();
        if i % 3 == 0 {
            store.clear_answer(&id, "employer_name").unwrap();
        }
        if i % 4 == 0 {
            // An answer overwritten: the old value must not linger either.
            store
                .save_answer(&id, "age_group", &json!(markers.next()))
                .unwrap();
        }
        for _ in 0..(i % 4 + 1) {
            let text = format!("Note: {} said {}", markers.next(), markers.next());
            let note_id = store.add_note(&id, &text).unwrap();
            needles.push(text);
            needles.push(note_id);
        }
        ids.push(id);
    }
    for (i, id) in ids.iter().enumerate() {
        match i % 5 {
            1 | 3 => drop(sealing::seal(store, id)),
            2 => {
                sealing::seal(store, id);
                store.mark_handed_over(id).unwrap();
            }
            _ => {}
        }
    }
    store.delete_case(&ids[0], false).unwrap();
    store.delete_case(&ids[1], true).unwrap();
    assert_eq!(store.list_cases().unwrap().len(), 18);
    needles.extend(markers.0.iter().cloned());
    needles.push("MARKER-".to_owned());
    Workload { needles }
}

#[test]
fn no_plaintext_reaches_the_database_wal_or_shm_open_or_closed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB);
    let mut markers = Markers(Vec::new());
    let passphrase = format!("pass-{}-phrase", random_hex(8));
    let pin = SecretString::from(passphrase.clone());
    let mut store = Store::create(
        Box::new(FileBackend::new(&path)),
        &pin,
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap();
    let Workload { mut needles } = write_workload(&mut store, &mut markers);
    needles.push(passphrase.clone());

    // Open: the WAL holds the recent pages.
    let open_files = assert_only_database_files(dir.path(), "while open");
    assert!(
        open_files.contains(&format!("{DB}-wal")),
        "WAL mode expected: {open_files:?}"
    );
    assert!(
        std::fs::metadata(dir.path().join(format!("{DB}-wal")))
            .unwrap()
            .len()
            > 0
    );
    assert_nothing_readable(dir.path(), &needles, "while open");

    // Locked, and after more writes following a reopen.
    store.lock();
    assert_nothing_readable(dir.path(), &needles, "while locked");
    drop(store);
    assert_only_database_files(dir.path(), "after close");
    assert_nothing_readable(dir.path(), &needles, "after close");

    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&pin).unwrap();
    let cases = store.list_cases().unwrap();
    assert_eq!(cases.len(), 18);
    let draft = cases
        .iter()
        .find(|c| c.status == CaseStatus::Draft)
        .unwrap()
        .id
        .clone();
    let text = format!("after reopen {}", markers.next());
    store.add_note(&draft, &text).unwrap();
    needles.push(text);
    needles.push(markers.0.last().unwrap().clone());
    assert_only_database_files(dir.path(), "reopened");
    assert_nothing_readable(dir.path(), &needles, "reopened");
    drop(store);

    let closed = assert_only_database_files(dir.path(), "closed at the end");
    assert_eq!(
        closed,
        BTreeSet::from([DB.to_owned()]),
        "closing folds the WAL in and removes it"
    );
    assert_nothing_readable(dir.path(), &needles, "closed at the end");
}

#[test]
fn the_checker_would_see_plaintext_if_it_were_there() {
    // Guards the test above against passing vacuously: a plain SQLite write is found.
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(DB)).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (v TEXT);")
        .unwrap();
    conn.execute("INSERT INTO t VALUES (?1)", ["MARKER-00ff00ff"])
        .unwrap();
    let r = std::panic::catch_unwind(|| {
        assert_nothing_readable(dir.path(), &["MARKER-00ff00ff".to_owned()], "plain");
    });
    assert!(r.is_err(), "the search missed a plaintext marker");
}

// ---------------------------------------------------------------------------------------------
// Tampering.

fn pin() -> SecretString {
    SecretString::from("tidal-amber-orchard".to_owned())
}

/// Everything a user can read, one entry per read call, as JSON text or the error.
fn read_everything(path: &Path, ids: &[String]) -> Vec<Result<String, StoreError>> {
    let mut store = Store::open(Box::new(FileBackend::new(path))).unwrap();
    store.unlock(&pin()).unwrap();
    let mut out = vec![store.list_cases().map(text)];
    // Sealing made the device key and the reply identity, and needed a unit's card: they are
    // read too.
    out.push(store.device_info().map(text));
    out.push(store.reply_recipient().map(text));
    out.push(store.units().map(text));
    for id in ids {
        out.push(store.case(id).map(text));
        out.push(store.answers(id).map(text));
        out.push(store.notes(id).map(text));
        out.push(store.custody_log(id).map(text));
    }
    out
}

/// What a read gave, in full (serde_json: `Debug` of case data is redacted on purpose).
fn text<T: serde::Serialize>(value: T) -> String {
    serde_json::to_string(&value).unwrap()
}

/// A small closed store: three cases with answers and notes. Returns (dir, db path, case ids).
fn small_store() -> (tempfile::TempDir, PathBuf, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB);
    let mut store = Store::create(
        Box::new(FileBackend::new(&path)),
        &pin(),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap();
    let mut ids = Vec::new();
    for i in 0..3 {
        let id = store.create_case(&format!("case {i}"), None).unwrap();
        store
            .save_answer(&id, "age_group", &json!("adult"))
            .unwrap();
        store
            .save_answer(&id, "worker_note", &json!(format!("note {i}")))
            .unwrap();
        store.add_note(&id, "same text in every case").unwrap();
        ids.push(id);
    }
    sealing::seal(&mut store, &ids[2]);
    drop(store);
    (dir, path, ids)
}

fn rows(path: &Path) -> Vec<(Vec<u8>, Vec<u8>)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT key, value FROM sealed ORDER BY key")
        .unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

/// A second connection that alters the database between the store's opens. Kept open (and
/// without fsync) so the hundreds of alterations stay fast.
fn tamperer(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA synchronous = OFF;").unwrap();
    conn
}

fn set_value(conn: &Connection, key: &[u8], value: &[u8]) {
    let n = conn
        .execute("UPDATE sealed SET value = ?1 WHERE key = ?2", (value, key))
        .unwrap();
    assert_eq!(n, 1);
}

/// After an alteration: every read either gives exactly what it gave before or `Tampered`, and
/// at least one read gives `Tampered`.
fn assert_tampered_never_data(
    baseline: &[Result<String, StoreError>],
    after: &[Result<String, StoreError>],
    what: &str,
) {
    assert_eq!(baseline.len(), after.len());
    let mut tampered = 0;
    for (i, (b, a)) in baseline.iter().zip(after).enumerate() {
        match a {
            Err(StoreError::Tampered) => tampered += 1,
            Ok(_) => assert_eq!(
                a, b,
                "{what}: read {i} gave different data instead of Tampered"
            ),
            Err(e) => panic!("{what}: read {i} gave {e:?} instead of Tampered"),
        }
    }
    assert!(tampered > 0, "{what}: no read noticed the alteration");
}

#[test]
fn a_flipped_byte_in_any_stored_value_reads_as_tampered_never_as_data() {
    let (_dir, path, ids) = small_store();
    let baseline = read_everything(&path, &ids);
    assert!(baseline.iter().all(Result::is_ok));
    let rows = rows(&path);
    let db = tamperer(&path);
    assert_eq!(
        rows.len(),
        1 + 3 * 4 + 3,
        "index + (case, answers, notes, custody) per case + device key, reply identity and units"
    );
    for (r, (key, value)) in rows.iter().enumerate() {
        for at in [
            0,
            23,
            24,
            value.len() / 2,
            value.len() - 17,
            value.len() - 1,
        ] {
            let mut altered = value.clone();
            altered[at] ^= 0x01;
            set_value(&db, key, &altered);
            assert_tampered_never_data(
                &baseline,
                &read_everything(&path, &ids),
                &format!("row {r}, byte {at}"),
            );
        }
        for altered in [&value[..value.len() - 1], &value[..40], &[][..]] {
            set_value(&db, key, altered);
            assert_tampered_never_data(
                &baseline,
                &read_everything(&path, &ids),
                &format!("row {r}, truncated to {}", altered.len()),
            );
        }
        set_value(&db, key, value);
    }
    assert_eq!(
        read_everything(&path, &ids),
        baseline,
        "restored values read as before"
    );
}

#[test]
fn values_swapped_between_rows_read_as_tampered() {
    let (_dir, path, ids) = small_store();
    let baseline = read_everything(&path, &ids);
    let rows = rows(&path);
    let db = tamperer(&path);
    for i in 0..rows.len() {
        for j in (i + 1)..rows.len() {
            let ((ka, va), (kb, vb)) = (&rows[i], &rows[j]);
            set_value(&db, ka, vb);
            set_value(&db, kb, va);
            assert_tampered_never_data(
                &baseline,
                &read_everything(&path, &ids),
                &format!("rows {i} and {j} swapped"),
            );
            set_value(&db, ka, va);
            set_value(&db, kb, vb);
        }
    }
    assert_eq!(read_everything(&path, &ids), baseline);
}

#[test]
fn a_value_copied_from_another_store_reads_as_tampered() {
    // Same content, same row kinds, different store keys: nothing opens.
    let (_d1, path, ids) = small_store();
    let (_d2, other, _) = small_store();
    let baseline = read_everything(&path, &ids);
    let ours = rows(&path);
    let theirs = rows(&other);
    let db = tamperer(&path);
    for (key, value) in &ours {
        for (_, foreign) in &theirs {
            set_value(&db, key, foreign);
            assert_tampered_never_data(&baseline, &read_everything(&path, &ids), "foreign value");
        }
        set_value(&db, key, value);
    }
}

#[test]
fn deleted_key_slots_make_the_store_wiped_then_gone() {
    let (dir, path, _) = small_store();
    let conn = Connection::open(&path).unwrap();
    assert_eq!(conn.execute("DELETE FROM keyslots", []).unwrap(), 1);
    drop(conn);
    let err = Store::open(Box::new(FileBackend::new(&path))).unwrap_err();
    assert_eq!(err, StoreError::Wiped);
    assert_eq!(
        Store::open(Box::new(FileBackend::new(&path))).unwrap_err(),
        StoreError::NoStore
    );
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
}

#[test]
fn a_replaced_index_key_or_state_is_never_accepted() {
    // The sealed index key and integrity state from another store (or altered) fail to open
    // under this store's data key: no data is read with an unverified key or state.
    for name in ["index_key", "state"] {
        let (_d1, path, ids) = small_store();
        let (_d2, other, _) = small_store();
        let foreign: Vec<u8> = Connection::open(&other)
            .unwrap()
            .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE name = ?2",
            (foreign, name),
        )
        .unwrap();
        drop(conn);
        let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
        let err = store.unlock(&pin()).unwrap_err();
        assert_eq!(err, StoreError::Tampered, "{name}");
        assert!(
            !store.is_unlocked(),
            "{name}: unlocked with an unverified key or state"
        );
        assert_eq!(store.case(&ids[0]).unwrap_err(), StoreError::Locked);
    }
}

#[test]
fn debug_output_of_case_data_never_holds_its_content() {
    // Log lines and panic messages print values with Debug: case content must not be in them.
    let (_dir, path, ids) = small_store();
    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&pin()).unwrap();
    let debug = format!(
        "{:?} {:?} {:?} {:?}",
        store.case(&ids[0]).unwrap(),
        store.list_cases().unwrap(),
        store.notes(&ids[0]).unwrap(),
        store,
    );
    for content in ["case 0", "same text in every case", "note 0"] {
        assert!(!debug.contains(content), "{content:?} in {debug}");
    }
    assert!(
        debug.contains(&ids[0]),
        "ids stay visible for debugging: {debug}"
    );
}
