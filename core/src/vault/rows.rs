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

/// A row as it is written now: its stamp and, for a value kept apart, its blob's id.
#[derive(Clone, Copy)]
struct Written {
    stamp: Stamp,
    blob: Option<i64>,
}

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

    fn stamp_of(&self, row: &[u8; KEY_LEN]) -> Result<Option<Written>, StoreError> {
        let found: Option<(i64, Vec<u8>, Option<i64>)> = self
            .conn
            .prepare_cached("SELECT version, nonce, blob FROM sealed WHERE key = ?1")?
            .query_row([row.as_slice()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        found
            .map(|(version, nonce, blob)| {
                Ok(Written {
                    stamp: Stamp::from_columns(version, &nonce)?,
                    blob,
                })
            })
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
        old: Option<Written>,
    ) -> Result<(), StoreError> {
        let keys = self.keys()?;
        let version = self.state.borrow().generation;
        let sealed = keys.seal_value(&self.place(row, version), bytes)?;
        let (nonce, body) = split_nonce(&sealed)?;
        let old_blob = old.and_then(|o| o.blob);
        // Where the ciphertext goes: inline (the blob id NULL), or in `blobs` — the row's blob
        // rewritten in place when it has one (no new id: an update shows no order), appended
        // otherwise. A row that leaves `blobs` takes its blob with it.
        // `cfg!`: a build without the receiver (the browser's) leaves the apart branches out.
        let apart = cfg!(feature = "receiver") && self.values_apart;
        let (value, blob): (&[u8], Option<i64>) = match (apart, old_blob) {
            (true, Some(id)) => {
                self.conn
                    .prepare_cached("UPDATE blobs SET value = ?2 WHERE id = ?1")?
                    .execute(params![id, body])?;
                (&[], Some(id))
            }
            (true, None) => {
                self.conn
                    .prepare_cached("INSERT INTO blobs (value) VALUES (?1)")?
                    .execute([body])?;
                (&[], Some(self.conn.last_insert_rowid()))
            }
            (false, old_blob) => {
                if let Some(id) = old_blob {
                    self.delete_blob(id)?;
                }
                (body, None)
            }
        };
        // Cached statements: a save or an ingest runs these many times; parsing SQL each time
        // showed in profiles.
        let sql = if old.is_some() {
            "INSERT INTO sealed (key, version, nonce, value, blob) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(key) DO UPDATE SET version = excluded.version, nonce = excluded.nonce, value = excluded.value, blob = excluded.blob"
        } else {
            "INSERT INTO sealed (key, version, nonce, value, blob) VALUES (?1, ?2, ?3, ?4, ?5)"
        };
        self.conn.prepare_cached(sql)?.execute(params![
            row.as_slice(),
            version as i64,
            nonce.as_slice(),
            value,
            blob
        ])?;
        self.state.borrow_mut().replace(
            keys,
            row,
            old.map(|o| o.stamp).as_ref(),
            Some(&Stamp { version, nonce }),
        )
    }

    fn delete_blob(&self, id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM blobs WHERE id = ?1")?
            .execute([id])?;
        Ok(())
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
            // A blob id that names no blob reads the empty inline value, which does not
            // authenticate: Tampered, like any other value that is not this row's.
            .prepare_cached("SELECT s.version, s.nonce, coalesce(b.value, s.value) FROM sealed s LEFT JOIN blobs b ON b.id = s.blob WHERE s.key = ?1")?
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
            if let Some(id) = old.blob {
                self.delete_blob(id)?;
            }
            self.state
                .borrow_mut()
                .replace(keys, row, Some(&old.stamp), None)?;
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

/// Values apart (docs/formats/store.md, "Values apart"): where the ciphertext goes, and that a
/// blob changed, swapped, gone or pointed elsewhere never reads as the row's value.
#[cfg(test)]
#[cfg(feature = "receiver")]
mod values_apart {
    use super::*;
    use crate::vault::{DeviceFactor, DeviceResponse, KdfParams, MemoryBackend, Protection};
    use secrecy::SecretString;

    const PIN: &str = "tidal-amber-orchard-42";

    fn protection() -> Protection {
        // A device-bound slot's policy asks only for length: no strength estimator needed.
        let factor = DeviceFactor {
            challenge: [7u8; 32],
            response: DeviceResponse::from_slice(&[9u8; 32]).unwrap(),
        };
        Protection::device_bound(KdfParams::TESTING, factor)
    }

    fn vault(apart: bool) -> Vault {
        let pin = SecretString::from(PIN.to_owned());
        let mut vault = Vault::create(
            Box::new(MemoryBackend::new().unwrap()),
            &pin,
            &protection(),
            None,
        )
        .unwrap();
        if apart {
            vault.write_values_apart();
        }
        vault
    }

    fn key(vault: &Vault, name: &str) -> [u8; KEY_LEN] {
        vault.row_key("apart-test", &[name.as_bytes()]).unwrap()
    }

    /// The row's inline value's length and its blob id, as on disk.
    fn on_disk(vault: &Vault, row: &[u8; KEY_LEN]) -> (usize, Option<i64>) {
        vault
            .conn
            .query_row(
                "SELECT length(value), blob FROM sealed WHERE key = ?1",
                [row.as_slice()],
                |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)),
            )
            .unwrap()
    }

    fn blobs(vault: &Vault) -> i64 {
        vault
            .conn
            .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
            .unwrap()
    }

    fn read(vault: &Vault, row: &[u8; KEY_LEN]) -> Result<Option<Vec<u8>>, StoreError> {
        vault.get_raw(row).map(|v| v.map(|v| v.to_vec()))
    }

    #[test]
    fn a_vault_that_does_not_ask_keeps_every_value_inline() {
        // A field device's file must not show the order of its writes.
        let vault = vault(false);
        let a = key(&vault, "a");
        vault.put_raw(&a, b"first").unwrap();
        vault.put_raw(&a, b"second").unwrap();
        assert_eq!(on_disk(&vault, &a).1, None);
        assert!(on_disk(&vault, &a).0 > 0);
        assert_eq!(blobs(&vault), 0);
        assert_eq!(read(&vault, &a).unwrap().unwrap(), b"second");
    }

    #[test]
    fn values_apart_are_written_updated_in_place_deleted_and_re_sealed_with_their_rows() {
        let mut vault = vault(true);
        let (a, b) = (key(&vault, "a"), key(&vault, "b"));
        vault.put_raw(&a, b"report a").unwrap();
        vault.insert_raw(&b, b"report b").unwrap();
        let (inline, blob_a) = on_disk(&vault, &a);
        assert_eq!(inline, 0, "the ciphertext is not inline");
        let blob_a = blob_a.expect("a blob");
        assert!(
            on_disk(&vault, &b).1.unwrap() > blob_a,
            "appended in the order of writing"
        );
        // An update rewrites the same blob: no new id shows that the row changed.
        vault.put_raw(&a, b"report a, with a receipt").unwrap();
        assert_eq!(on_disk(&vault, &a), (0, Some(blob_a)));
        assert_eq!(
            read(&vault, &a).unwrap().unwrap(),
            b"report a, with a receipt"
        );
        // A deleted row takes its blob with it.
        vault.delete(&b).unwrap();
        assert_eq!(blobs(&vault), 1);
        assert_eq!(read(&vault, &b).unwrap(), None);
        // Re-keying re-seals the blob where it is; the vault unlocks and reads under the new key.
        let pin = SecretString::from(PIN.to_owned());
        let device = DeviceResponse::from_slice(&[9u8; 32]).unwrap();
        vault
            .rekey(&pin, Some(&device), &pin, &protection())
            .unwrap();
        assert_eq!(on_disk(&vault, &a), (0, Some(blob_a)));
        vault.lock();
        vault.unlock(&pin, Some(&device)).unwrap();
        assert_eq!(
            read(&vault, &a).unwrap().unwrap(),
            b"report a, with a receipt"
        );
    }

    #[test]
    fn inline_rows_are_read_beside_values_apart_and_move_when_rewritten() {
        // A receiver database from before values apart: its rows stay inline until written.
        let mut vault = vault(false);
        let (old, moved) = (key(&vault, "old"), key(&vault, "moved"));
        vault.put_raw(&old, b"inline").unwrap();
        vault.put_raw(&moved, b"inline too").unwrap();
        vault.write_values_apart();
        let new = key(&vault, "new");
        vault.put_raw(&new, b"apart").unwrap();
        vault.put_raw(&moved, b"now apart").unwrap();
        assert_eq!(on_disk(&vault, &old).1, None);
        assert!(on_disk(&vault, &moved).1.is_some());
        assert_eq!(read(&vault, &old).unwrap().unwrap(), b"inline");
        assert_eq!(read(&vault, &moved).unwrap().unwrap(), b"now apart");
        assert_eq!(read(&vault, &new).unwrap().unwrap(), b"apart");
        // And back: a vault not writing apart brings a rewritten row inline, its blob deleted.
        vault.values_apart = false;
        vault.put_raw(&new, b"inline again").unwrap();
        assert_eq!(on_disk(&vault, &new).1, None);
        assert_eq!(blobs(&vault), 1);
        assert_eq!(read(&vault, &new).unwrap().unwrap(), b"inline again");
    }

    #[test]
    fn a_blob_changed_swapped_gone_or_pointed_elsewhere_is_tampering() {
        let vault = vault(true);
        let (a, b) = (key(&vault, "a"), key(&vault, "b"));
        vault.put_raw(&a, b"first of a").unwrap();
        let blob_a = on_disk(&vault, &a).1.unwrap();
        let older: Vec<u8> = vault
            .conn
            .query_row("SELECT value FROM blobs WHERE id = ?1", [blob_a], |r| {
                r.get(0)
            })
            .unwrap();
        vault.put_raw(&a, b"second of a").unwrap();
        vault.put_raw(&b, b"only b").unwrap();
        let blob_b = on_disk(&vault, &b).1.unwrap();
        let sql = |q: &str, p: &[&dyn rusqlite::ToSql]| {
            vault.conn.execute(q, p).unwrap();
        };
        let current: Vec<u8> = vault
            .conn
            .query_row("SELECT value FROM blobs WHERE id = ?1", [blob_a], |r| {
                r.get(0)
            })
            .unwrap();
        // A's blob put back to its older ciphertext (the stamp in `sealed` is the current one).
        sql(
            "UPDATE blobs SET value = ?2 WHERE id = ?1",
            &[&blob_a, &older],
        );
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        sql(
            "UPDATE blobs SET value = ?2 WHERE id = ?1",
            &[&blob_a, &current],
        );
        // The two rows' blob ids swapped.
        sql(
            "UPDATE sealed SET blob = ?2 WHERE key = ?1",
            &[&a.as_slice(), &blob_b],
        );
        sql(
            "UPDATE sealed SET blob = ?2 WHERE key = ?1",
            &[&b.as_slice(), &blob_a],
        );
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        assert_eq!(read(&vault, &b).unwrap_err(), StoreError::Tampered);
        sql(
            "UPDATE sealed SET blob = ?2 WHERE key = ?1",
            &[&a.as_slice(), &blob_a],
        );
        sql(
            "UPDATE sealed SET blob = ?2 WHERE key = ?1",
            &[&b.as_slice(), &blob_b],
        );
        // A blob id that names no blob.
        sql(
            "UPDATE sealed SET blob = 999999 WHERE key = ?1",
            &[&a.as_slice()],
        );
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        sql(
            "UPDATE sealed SET blob = ?2 WHERE key = ?1",
            &[&a.as_slice(), &blob_a],
        );
        // B's blob deleted.
        sql("DELETE FROM blobs WHERE id = ?1", &[&blob_b]);
        assert_eq!(read(&vault, &b).unwrap_err(), StoreError::Tampered);
        // Everything else still reads.
        assert_eq!(read(&vault, &a).unwrap().unwrap(), b"second of a");
    }
}
