//! Sealed rows and transactions: what the vault's clients call. Every write runs inside a
//! transaction (a lone write gets one of its own), which bumps the generation, gives the rows
//! it writes that version, keeps the integrity state in step and seals it before COMMIT.

use rusqlite::{params, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

use super::crypto::{split_nonce, RowPlace, KEY_LEN};
use super::integrity::{Stamp, TABLE};
use super::{meta_get, StoreError, Vault};

impl Vault {
    fn place<'a>(&'a self, row: &'a [u8; KEY_LEN], version: u64) -> RowPlace<'a> {
        RowPlace {
            store_id: &self.store_id,
            table: TABLE,
            row,
            version,
        }
    }

    fn in_transaction(&self) -> bool {
        !self.undo.borrow().is_empty()
    }

    fn stamp_of(&self, row: &[u8; KEY_LEN]) -> Result<Option<Stamp>, StoreError> {
        let found: Option<(i64, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT version, nonce FROM sealed WHERE key = ?1")?
            .query_row([row.as_slice()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        found
            .map(|(version, nonce)| Stamp::from_columns(version, &nonce))
            .transpose()
    }

    /// Serialises `value` as JSON and seals it into row `row`.
    pub(crate) fn put<T: Serialize>(
        &self,
        row: &[u8; KEY_LEN],
        value: &T,
    ) -> Result<(), StoreError> {
        self.put_raw(row, &to_json(value)?)
    }

    /// Seals bytes into row `row` at the current transaction's version.
    pub(crate) fn put_raw(&self, row: &[u8; KEY_LEN], bytes: &[u8]) -> Result<(), StoreError> {
        if !self.in_transaction() {
            return self.atomically(|v| v.put_raw(row, bytes));
        }
        let old = self.stamp_of(row)?;
        self.write_sealed(row, bytes, old)
    }

    /// Serialises `value` as JSON and seals it into row `row`, which must not exist yet.
    #[cfg(feature = "receiver")]
    pub(crate) fn insert<T: Serialize>(
        &self,
        row: &[u8; KEY_LEN],
        value: &T,
    ) -> Result<(), StoreError> {
        self.insert_raw(row, &to_json(value)?)
    }

    /// [`Vault::put_raw`] for a row the caller knows is new (a report just received): one
    /// B-tree lookup fewer. Should the row exist after all, SQLite refuses the insert (the key
    /// is the primary key) and nothing is overwritten: `Storage`.
    pub(crate) fn insert_raw(&self, row: &[u8; KEY_LEN], bytes: &[u8]) -> Result<(), StoreError> {
        if !self.in_transaction() {
            return self.atomically(|v| v.insert_raw(row, bytes));
        }
        self.write_sealed(row, bytes, None)
    }

    /// Seals and writes row `row`, whose current stamp is `old`, and accounts for it in the
    /// integrity state. Without `old` a plain INSERT, which fails if the row exists.
    fn write_sealed(
        &self,
        row: &[u8; KEY_LEN],
        bytes: &[u8],
        old: Option<Stamp>,
    ) -> Result<(), StoreError> {
        let keys = self.keys()?;
        let version = self.state.borrow().generation;
        let sealed = keys.seal_value(&self.place(row, version), bytes)?;
        let (nonce, body) = split_nonce(&sealed)?;
        // Cached statements: a save or an ingest runs these many times; parsing SQL each time
        // showed in profiles.
        let sql = if old.is_some() {
            "INSERT INTO sealed (key, version, nonce, value) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(key) DO UPDATE SET version = excluded.version, nonce = excluded.nonce, value = excluded.value"
        } else {
            "INSERT INTO sealed (key, version, nonce, value) VALUES (?1, ?2, ?3, ?4)"
        };
        self.conn.prepare_cached(sql)?.execute(params![
            row.as_slice(),
            version as i64,
            nonce.as_slice(),
            body
        ])?;
        self.state
            .borrow_mut()
            .replace(keys, row, old.as_ref(), Some(&Stamp { version, nonce }))
    }

    /// The bytes of row `row`, or `None` if there is no such row. `Tampered` if the value does
    /// not authenticate for this vault, row and version.
    pub(crate) fn get_raw(
        &self,
        row: &[u8; KEY_LEN],
    ) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        let keys = self.keys()?;
        let found: Option<(i64, Vec<u8>, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT version, nonce, value FROM sealed WHERE key = ?1")?
            .query_row([row.as_slice()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        found
            .map(|(version, nonce, body)| {
                let version = u64::try_from(version).map_err(|_| StoreError::Tampered)?;
                let sealed = [nonce, body].concat();
                keys.open_value(&self.place(row, version), &sealed)
            })
            .transpose()
    }

    /// The JSON value of row `row`.
    pub(crate) fn get<T: DeserializeOwned>(
        &self,
        row: &[u8; KEY_LEN],
    ) -> Result<Option<T>, StoreError> {
        match self.get_raw(row)? {
            None => Ok(None),
            Some(plain) => serde_json::from_slice(&plain)
                .map(Some)
                .map_err(|_| StoreError::Tampered),
        }
    }

    /// Removes row `row` (nothing if absent).
    pub(crate) fn delete(&self, row: &[u8; KEY_LEN]) -> Result<(), StoreError> {
        if !self.in_transaction() {
            return self.atomically(|v| v.delete(row));
        }
        let keys = self.keys()?;
        if let Some(old) = self.stamp_of(row)? {
            self.conn
                .prepare_cached("DELETE FROM sealed WHERE key = ?1")?
                .execute([row.as_slice()])?;
            self.state
                .borrow_mut()
                .replace(keys, row, Some(&old), None)?;
        }
        Ok(())
    }

    /// Whether row `row` holds a value (without opening it).
    #[cfg(feature = "receiver")]
    pub(crate) fn exists(&self, row: &[u8; KEY_LEN]) -> Result<bool, StoreError> {
        self.keys()?;
        Ok(self.stamp_of(row)?.is_some())
    }

    /// Runs `f` inside the current transaction as a unit: on error its writes (and their
    /// effect on the integrity state) are undone and the transaction goes on.
    pub(crate) fn savepoint<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Vault) -> Result<T, E>,
    ) -> Result<T, E> {
        if !self.in_transaction() {
            return self.atomically(f);
        }
        // Cached: an ingest of a streamed package or a store's nested unit runs these often.
        self.conn
            .prepare_cached("SAVEPOINT unit")
            .and_then(|mut s| s.execute([]))
            .map_err(StoreError::from)?;
        self.undo.borrow_mut().push(self.state.borrow().clone());
        let result = f(self);
        let saved = self.undo.borrow_mut().pop();
        match result {
            Ok(v) => {
                self.conn
                    .prepare_cached("RELEASE unit")
                    .and_then(|mut s| s.execute([]))
                    .map_err(StoreError::from)?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK TO unit; RELEASE unit");
                if let Some(saved) = saved {
                    *self.state.borrow_mut() = saved;
                }
                Err(e)
            }
        }
    }

    /// Runs `f` in one transaction: all of its writes land, or none. Inside a transaction it
    /// is a savepoint.
    pub(crate) fn atomically<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Vault) -> Result<T, E>,
    ) -> Result<T, E> {
        if self.in_transaction() {
            return self.savepoint(f);
        }
        self.keys()?;
        let result = self.transaction(|| {
            self.begin_generation()?;
            let v = f(self)?;
            self.write_state()?;
            Ok(v)
        });
        // What begin_generation remembered (nothing if it failed before that).
        let saved = self.undo.borrow_mut().pop();
        match result {
            Ok(v) => {
                let generation = self.state.borrow().generation;
                self.advance_counter(generation)?;
                Ok(v)
            }
            Err(e) => {
                if let Some(saved) = saved {
                    *self.state.borrow_mut() = saved;
                }
                Err(e)
            }
        }
    }

    /// At BEGIN: takes up a newer state another connection committed (it is sealed under our
    /// key, so it is authentic; an older one is a rollback), remembers it for ROLLBACK, and
    /// opens the next generation.
    fn begin_generation(&self) -> Result<(), StoreError> {
        let keys = self.keys()?;
        if meta_get(&self.conn, "state")?.is_some() {
            let on_disk = self.read_state(keys)?;
            let ours = self.state.borrow().generation;
            if on_disk.generation < ours {
                return Err(StoreError::Tampered);
            }
            *self.state.borrow_mut() = on_disk;
        }
        let current = self.state.borrow().clone();
        self.undo.borrow_mut().push(current);
        let mut state = self.state.borrow_mut();
        state.generation = state
            .generation
            .checked_add(1)
            .ok_or(StoreError::TooLarge)?;
        Ok(())
    }
}

/// A row's value as JSON, zeroized when dropped.
fn to_json<T: Serialize>(value: &T) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    serde_json::to_vec(value)
        .map(Zeroizing::new)
        .map_err(|_| StoreError::Unsupported("value"))
}
