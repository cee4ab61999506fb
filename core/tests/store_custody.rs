//! The custody log is split into segments so a save rewrites one small segment; across segment
//! boundaries the chain stays whole and in order.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/sealing.rs"]
mod sealing;

use indicia_core::store::{
    FileBackend, KdfParams, MemoryBackend, Protection, Store, CUSTODY_SEGMENT,
};
use secrecy::SecretString;

#[test]
fn a_long_custody_log_spans_segments_and_still_verifies() {
    let mut store = Store::create(
        Box::new(MemoryBackend::new().unwrap()),
        &SecretString::from("tidal-amber-orchard".to_owned()),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap();
    let case = store.create_case("long case", None).unwrap();
    let saves = 2 * CUSTODY_SEGMENT + 20;
    for i in 0..saves {
        store
            .save_answer(&case, &format!("q{}", i % 7), &serde_json::json!(i))
            .unwrap();
    }
    let report = sealing::seal(&mut store, &case);
    let log = store.custody_log(&case).unwrap();
    assert_eq!(log.len(), saves + 3);
    assert!(log.iter().enumerate().all(|(i, e)| e.seq == i as u64));
    assert_eq!(log[0].event, "created");
    assert_eq!(log[log.len() - 2].event, "status_changed");
    assert_eq!(
        (
            log.last().unwrap().event.as_str(),
            log.last().unwrap().detail.as_str()
        ),
        ("report_sealed", report.as_str())
    );
    let layout = store.case(&case).unwrap().custody.unwrap();
    assert_eq!(
        layout.segments as usize,
        (saves + 3).div_ceil(CUSTODY_SEGMENT)
    );
    assert_eq!(layout.last_hash, log.last().unwrap().hash);
}

#[test]
fn deleting_a_long_case_removes_every_segment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let objects = || -> i64 {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.query_row("SELECT count(*) FROM sealed", [], |r| r.get(0))
            .unwrap()
    };
    let mut store = Store::create(
        Box::new(FileBackend::new(&path)),
        &SecretString::from("tidal-amber-orchard".to_owned()),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap();
    let keep = store.create_case("keep", None).unwrap();
    let before_log = store.custody_log(&keep).unwrap();
    let before = objects();
    let case = store.create_case("long", None).unwrap();
    for i in 0..(CUSTODY_SEGMENT * 2) {
        store
            .save_answer(&case, "q", &serde_json::json!(i))
            .unwrap();
    }
    assert!(
        objects() >= before + 5,
        "case, answers and three custody segments were written"
    );
    store.delete_case(&case, false).unwrap();
    assert_eq!(objects(), before, "every row of the deleted case is gone");
    assert_eq!(store.custody_log(&keep).unwrap(), before_log);
}
