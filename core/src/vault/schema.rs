//! The vault's database layout and its numbered migrations (docs/formats/store.md). `PRAGMA
//! user_version` holds the number of migrations applied.

use rusqlite::Connection;

use super::error::StoreError;

/// Migration N (1-based) brings the schema from version N-1 to N. Never edit one that has
/// shipped: add the next.
const MIGRATIONS: &[&str] = &[
    // 1: the first layout. Everything about cases lives in `objects`, sealed; row keys are
    // keyed hashes, so nothing links rows to each other or to a case in the clear.
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
     CREATE TABLE keyslots (kind TEXT PRIMARY KEY, slot BLOB NOT NULL) WITHOUT ROWID;
     CREATE TABLE objects (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;",
    // 2: the vault (format v2). Every row carries its version, which the sealed value's
    // associated data names, and its nonce; the sealed integrity state covers both. They come
    // before the ciphertext so that the unlock check reads no overflow page. A v1 store's `objects` rows
    // move here, re-sealed, at its first unlock (vault/upgrade.rs): that needs the key.
    "CREATE TABLE sealed (key BLOB PRIMARY KEY, version INTEGER NOT NULL, nonce BLOB NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;",
    // 3: values apart (docs/formats/store.md, "Values apart"). A row's ciphertext may live in
    // `blobs`, whose integer keys follow the order of writing, with `sealed` keeping the key,
    // the stamp and the blob's id: new rows then fill pages at the end of the file instead of
    // random B-tree leaves. Only the receiver writes values apart (the order of writing is
    // what a field device should not show); both kinds read either form.
    "ALTER TABLE sealed ADD COLUMN blob INTEGER;
     CREATE TABLE blobs (id INTEGER PRIMARY KEY, value BLOB NOT NULL);",
];

/// Every table a migration makes, as SQLite keeps its definition (`sqlite_schema.sql`: the
/// CREATE text, with a column added by ALTER TABLE appended): the only tables, and the only
/// definitions, an open or unlock accepts. `sealed` has two (before and after migration 3).
pub(crate) const TABLES: &[(&str, &str)] = &[
    (
        "meta",
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    ),
    (
        "keyslots",
        "CREATE TABLE keyslots (kind TEXT PRIMARY KEY, slot BLOB NOT NULL) WITHOUT ROWID",
    ),
    (
        "objects",
        "CREATE TABLE objects (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
    ),
    (
        "sealed",
        "CREATE TABLE sealed (key BLOB PRIMARY KEY, version INTEGER NOT NULL, nonce BLOB NOT NULL, value BLOB NOT NULL) WITHOUT ROWID",
    ),
    (
        "sealed",
        "CREATE TABLE sealed (key BLOB PRIMARY KEY, version INTEGER NOT NULL, nonce BLOB NOT NULL, value BLOB NOT NULL, blob INTEGER) WITHOUT ROWID",
    ),
    (
        "blobs",
        "CREATE TABLE blobs (id INTEGER PRIMARY KEY, value BLOB NOT NULL)",
    ),
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Connection settings every open applies: the backend's journal mode (WAL with one writer on
/// files); temp data in memory so no temp file ever holds anything; freed pages zeroed.
pub(crate) fn configure(conn: &Connection, journal_mode: &str) -> Result<(), StoreError> {
    conn.pragma_update_and_check(None, "journal_mode", journal_mode, |_| Ok(()))?;
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA secure_delete = ON;
         PRAGMA foreign_keys = ON;",
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// Applies pending migrations, each in its own transaction. A database from a newer version is
/// refused rather than guessed at.
pub(crate) fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::Unsupported(
            "written by a newer version of Indicia",
        ));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as u32 + 1)?;
        tx.commit()?;
    }
    Ok(current)
}
