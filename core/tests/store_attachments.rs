//! Attachments: streamed in sealed chunks, read back only if every chunk, the count and the
//! SHA-256 check out; a failed import stores nothing; names and content never on disk in clear.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/sealing.rs"]
mod sealing;

use std::io::Read;

use indicia_core::store::{FileBackend, KdfParams, Protection, Store, StoreError, CHUNK_BYTES};
use secrecy::SecretString;
use sha2::{Digest, Sha256};

fn store(dir: &std::path::Path) -> Store {
    Store::create(
        Box::new(FileBackend::new(dir.join("s.db"))),
        &SecretString::from("tidal-amber-orchard".to_owned()),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap()
}

fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[test]
fn attachments_of_every_size_round_trip_with_their_hash() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let case = s.create_case("c", None).unwrap();
    for len in [
        0,
        1,
        CHUNK_BYTES - 1,
        CHUNK_BYTES,
        CHUNK_BYTES + 1,
        3 * CHUNK_BYTES + 17,
    ] {
        let data = content(len);
        let info = s
            .add_attachment(&case, "photo.jpg", "image/jpeg", &data[..])
            .unwrap();
        assert_eq!(info.size, len as u64);
        assert_eq!(info.chunks, len.div_ceil(CHUNK_BYTES).max(1) as u64);
        let expected = indicia_core::hex::encode(&Sha256::digest(&data));
        assert_eq!(info.sha256, expected);
        let mut out = Vec::new();
        assert_eq!(
            s.read_attachment(&case, &info.id, &mut out).unwrap(),
            len as u64
        );
        assert_eq!(out, data, "len {len}");
    }
    assert_eq!(s.attachments(&case).unwrap().len(), 6);
    assert_eq!(
        s.custody_log(&case)
            .unwrap()
            .iter()
            .filter(|e| e.event == "attachment_added")
            .count(),
        6
    );
}

/// Fails after handing out `limit` bytes, like a file on a removed SD card.
struct FailingReader {
    left: usize,
}

impl Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("card removed"));
        }
        let n = buf.len().min(self.left);
        buf[..n].fill(7);
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn an_import_that_fails_midway_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let case = s.create_case("c", None).unwrap();
    let log_before = s.custody_log(&case).unwrap();
    let err = s
        .add_attachment(
            &case,
            "big.mp4",
            "video/mp4",
            FailingReader {
                left: 3 * CHUNK_BYTES,
            },
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Storage(_)), "{err:?}");
    assert!(s.attachments(&case).unwrap().is_empty());
    assert_eq!(s.custody_log(&case).unwrap(), log_before);
    let conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    let big: i64 = conn
        .query_row(
            "SELECT count(*) FROM sealed WHERE length(value) > 60000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(big, 0, "no chunk of the failed import remains");
}

#[test]
fn an_altered_or_missing_chunk_is_tampering_never_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let case = s.create_case("c", None).unwrap();
    let info = s
        .add_attachment(
            &case,
            "doc.pdf",
            "application/pdf",
            &content(2 * CHUNK_BYTES + 5)[..],
        )
        .unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    let (key, mut value): (Vec<u8>, Vec<u8>) = conn
        .query_row(
            "SELECT key, value FROM sealed WHERE length(value) > 60000 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    value[100] ^= 1;
    conn.execute(
        "UPDATE sealed SET value = ?1 WHERE key = ?2",
        rusqlite::params![value, key],
    )
    .unwrap();
    assert_eq!(
        s.read_attachment(&case, &info.id, &mut Vec::new())
            .unwrap_err(),
        StoreError::Tampered
    );
    conn.execute("DELETE FROM sealed WHERE key = ?1", [key])
        .unwrap();
    assert_eq!(
        s.read_attachment(&case, &info.id, &mut Vec::new())
            .unwrap_err(),
        StoreError::Tampered
    );
}

#[test]
fn names_and_content_never_reach_the_disk_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let case = s.create_case("c", None).unwrap();
    let mut data = b"ATTACHMENT-CONTENT-MARKER ".repeat(5000);
    data.extend_from_slice(&content(1000));
    s.add_attachment(&case, "NAME-MARKER-passport.jpg", "image/jpeg", &data[..])
        .unwrap();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for marker in [
            &b"ATTACHMENT-CONTENT-MARKER"[..],
            b"NAME-MARKER",
            b"image/jpeg",
        ] {
            assert!(!bytes.windows(marker.len()).any(|w| w == marker));
        }
    }
}

#[test]
fn only_drafts_take_attachments_and_deleting_a_case_removes_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store(dir.path());
    let case = s.create_case("c", None).unwrap();
    s.add_attachment(&case, "a", "text/plain", &content(CHUNK_BYTES * 2)[..])
        .unwrap();
    sealing::seal(&mut s, &case);
    assert!(matches!(
        s.add_attachment(&case, "b", "text/plain", &b"x"[..]),
        Err(StoreError::InvalidTransition { .. })
    ));
    s.delete_case(&case, true).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    let big: i64 = conn
        .query_row(
            "SELECT count(*) FROM sealed WHERE length(value) > 60000",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(big, 0);
}
