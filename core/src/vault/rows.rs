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

/// Blob ids are `generation << BLOB_ID_BITS | n`, n counting the blobs appended by one
/// transaction. Generations only grow and the generation is sealed, so an id, once committed,
/// is never given to a second row, nor while any row names it: a blob deleted by someone with
/// the file cannot be taken by a later row while an older row still names it. Ids grow with
/// every transaction, so new blobs are appended at the end of the table.
const BLOB_ID_BITS: u32 = 24;

/// The ids the transaction at `generation` may give: `[low, high)`. Generations stay below
/// 2^39 − 1 (one a millisecond for 17 years), so every id is a positive i64.
pub(crate) fn blob_range(generation: u64) -> Result<(u64, u64), StoreError> {
    if generation >= (1 << (63 - BLOB_ID_BITS)) - 1 {
        return Err(StoreError::Unsupported(
            "too many transactions for blob ids",
        ));
    }
    let low = generation << BLOB_ID_BITS;
    Ok((low, low + (1 << BLOB_ID_BITS)))
}

/// A row's version, nonce, inline value, blob id and that blob's value, as read.
type StoredValue = (i64, Vec<u8>, Vec<u8>, Option<i64>, Option<Vec<u8>>);

/// The ciphertext of a row: inline when it names no blob; else its blob's, which must exist,
/// with nothing inline. Anything else was not written by this code: `Tampered`.
pub(crate) fn ciphertext(
    inline: Vec<u8>,
    blob: Option<i64>,
    apart: Option<Vec<u8>>,
) -> Result<Vec<u8>, StoreError> {
    match (blob, apart) {
        (None, _) => Ok(inline),
        (Some(_), Some(value)) if inline.is_empty() => Ok(value),
        _ => Err(StoreError::Tampered),
    }
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

    fn stamp_of(&self, row: &[u8; KEY_LEN]) -> Result<Option<Stamp>, StoreError> {
        let found: Option<(i64, Vec<u8>, Option<i64>)> = self
            .conn
            .prepare_cached("SELECT version, nonce, blob FROM sealed WHERE key = ?1")?
            .query_row([row.as_slice()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        found
            .map(|(version, nonce, blob)| Stamp::from_columns(version, &nonce, blob))
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
    /// integrity state. Without `old` a plain INSERT, which fails if the row exists (before
    /// anything else is written).
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
        // Where the ciphertext goes: inline (blob NULL), or appended to `blobs` under a new id
        // (a rewritten row's old blob deleted: its id, covered by the row's tag, names no other
        // row's blob). `cfg!`: a build without the receiver (the browser's) has no apart path.
        let apart = cfg!(feature = "receiver") && self.values_apart;
        let blob = if apart {
            Some(self.next_blob_id(version)?)
        } else {
            None
        };
        let value: &[u8] = if apart { &[] } else { body };
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
            blob.map(|id| id as i64)
        ])?;
        if let Some(id) = blob {
            self.insert_blob(id, body)?;
        }
        if let Some(id) = old.and_then(|o| o.blob) {
            self.delete_blob(id)?;
        }
        self.state.borrow_mut().replace(
            keys,
            row,
            old.as_ref(),
            Some(&Stamp {
                version,
                nonce,
                blob,
            }),
        )
    }

    /// The next blob id of the transaction at `generation`: one above the largest in its range.
    /// The unlock refuses a blob beyond the last committed transaction's range
    /// ([`Vault::verify_rows`](super::Vault)), so whatever is in this range was given by this
    /// transaction; 2^24 ids used (a rewrite uses one too) is `TooLarge`.
    pub(crate) fn next_blob_id(&self, generation: u64) -> Result<u64, StoreError> {
        let (low, high) = blob_range(generation)?;
        let largest: Option<i64> = self
            .conn
            .prepare_cached("SELECT max(id) FROM blobs WHERE id >= ?1 AND id < ?2")?
            .query_row(params![low as i64, high as i64], |r| r.get(0))?;
        let next = largest.map_or(low, |id| id as u64 + 1);
        if next >= high {
            return Err(StoreError::TooLarge);
        }
        Ok(next)
    }

    /// Writes blob `id` (from [`Vault::next_blob_id`]); a taken id is refused (`Storage`).
    pub(super) fn insert_blob(&self, id: u64, ciphertext: &[u8]) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("INSERT INTO blobs (id, value) VALUES (?1, ?2)")?
            .execute(params![id as i64, ciphertext])?;
        Ok(())
    }

    /// Deletes a blob whose id a row's authenticated stamp named. Already gone (deleted by
    /// someone with the file) is not an error here: the row it belonged to is being rewritten
    /// or removed, and its id is never given again.
    pub(super) fn delete_blob(&self, id: u64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM blobs WHERE id = ?1")?
            .execute([id as i64])?;
        Ok(())
    }

    /// The bytes of row `row`, or `None` if there is no such row. `Tampered` if the value does
    /// not authenticate for this vault, row and version.
    pub(crate) fn get_raw(
        &self,
        row: &[u8; KEY_LEN],
    ) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        let keys = self.keys()?;
        let found: Option<StoredValue> = self
            .conn
            .prepare_cached("SELECT s.version, s.nonce, s.value, s.blob, b.value FROM sealed s LEFT JOIN blobs b ON b.id = s.blob WHERE s.key = ?1")?
            .query_row([row.as_slice()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        found
            .map(|(version, nonce, inline, blob, apart)| {
                let version = u64::try_from(version).map_err(|_| StoreError::Tampered)?;
                let body = ciphertext(inline, blob, apart)?;
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

    fn sql(vault: &Vault, q: &str, p: &[&dyn rusqlite::ToSql]) {
        vault.conn.execute(q, p).unwrap();
    }

    fn relock(vault: &mut Vault) -> Result<(), StoreError> {
        let pin = SecretString::from(PIN.to_owned());
        let device = DeviceResponse::from_slice(&[9u8; 32]).unwrap();
        vault.lock();
        vault.unlock(&pin, Some(&device))
    }

    /// A re-key to a new data key under the same PIN and device factor.
    fn rekey(vault: &mut Vault) -> Result<(), StoreError> {
        let pin = SecretString::from(PIN.to_owned());
        let device = DeviceResponse::from_slice(&[9u8; 32]).unwrap();
        vault.rekey(&pin, Some(&device), &pin, &protection())
    }

    fn blob_value(vault: &Vault, id: i64) -> Vec<u8> {
        vault
            .conn
            .query_row("SELECT value FROM blobs WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
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
    fn values_apart_are_appended_rewritten_deleted_and_re_sealed_with_their_rows() {
        let mut vault = vault(true);
        let (a, b) = (key(&vault, "a"), key(&vault, "b"));
        vault.put_raw(&a, b"report a").unwrap();
        vault.insert_raw(&b, b"report b").unwrap();
        let (inline, first_a) = on_disk(&vault, &a);
        assert_eq!(inline, 0, "the ciphertext is not inline");
        let first_a = first_a.expect("a blob");
        let blob_b = on_disk(&vault, &b).1.unwrap();
        assert!(blob_b > first_a, "appended in the order of writing");
        // A rewrite appends under a new id and deletes the old blob.
        vault.put_raw(&a, b"report a, with a receipt").unwrap();
        let blob_a = on_disk(&vault, &a).1.unwrap();
        assert!(blob_a > blob_b);
        assert_eq!(blobs(&vault), 2);
        assert_eq!(
            read(&vault, &a).unwrap().unwrap(),
            b"report a, with a receipt"
        );
        // A deleted row takes its blob with it.
        vault.delete(&b).unwrap();
        assert_eq!(blobs(&vault), 1);
        assert_eq!(read(&vault, &b).unwrap(), None);
        // A refused insert (the row exists) leaves no blob behind.
        vault
            .atomically(|v| {
                assert!(v.insert_raw(&a, b"again").is_err());
                Ok::<_, StoreError>(())
            })
            .unwrap();
        assert_eq!(blobs(&vault), 1);
        // Re-keying re-seals the blob where it is; the vault unlocks and reads under the new key.
        rekey(&mut vault).unwrap();
        let (inline, rekeyed) = on_disk(&vault, &a);
        assert_eq!(inline, 0);
        assert!(rekeyed.unwrap() > blob_a, "appended again");
        assert_eq!(blobs(&vault), 1);
        relock(&mut vault).unwrap();
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
        relock(&mut vault).unwrap();
    }

    #[test]
    fn a_blob_changed_gone_or_moved_inline_is_tampering_when_read() {
        let vault = vault(true);
        let (a, b) = (key(&vault, "a"), key(&vault, "b"));
        vault.put_raw(&a, b"first of a").unwrap();
        let older = blob_value(&vault, on_disk(&vault, &a).1.unwrap());
        vault.put_raw(&a, b"second of a").unwrap();
        vault.put_raw(&b, b"only b").unwrap();
        let (blob_a, blob_b) = (
            on_disk(&vault, &a).1.unwrap(),
            on_disk(&vault, &b).1.unwrap(),
        );
        let current = blob_value(&vault, blob_a);
        // A's blob put back to its older ciphertext (the stamp in `sealed` is the current one).
        sql(
            &vault,
            "UPDATE blobs SET value = ?2 WHERE id = ?1",
            &[&blob_a, &older],
        );
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        // B's ciphertext in A's blob.
        let of_b = blob_value(&vault, blob_b);
        sql(
            &vault,
            "UPDATE blobs SET value = ?2 WHERE id = ?1",
            &[&blob_a, &of_b],
        );
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        // A's own ciphertext moved inline, its blob gone: the row still names a blob.
        sql(
            &vault,
            "UPDATE sealed SET value = ?2 WHERE key = ?1",
            &[&a.as_slice(), &current],
        );
        sql(&vault, "DELETE FROM blobs WHERE id = ?1", &[&blob_a]);
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        // B's blob deleted.
        sql(&vault, "DELETE FROM blobs WHERE id = ?1", &[&blob_b]);
        assert_eq!(read(&vault, &b).unwrap_err(), StoreError::Tampered);
    }

    /// A change made to the file between sessions, given the vault and rows `a` and `b`.
    type Tamper = dyn Fn(&Vault, &[u8; KEY_LEN], &[u8; KEY_LEN]);

    #[test]
    fn a_row_whose_blob_id_changed_is_tampering_at_unlock() {
        // The id is part of the row's tag: pointed at the next id to be given (with the
        // ciphertext moved inline, so that the row would still read), at another row's blob,
        // swapped, or set on an inline row, it is caught before anything is read or written.
        let changes: [&Tamper; 4] = [
            &|v, a, _| {
                let id = on_disk(v, a).1.unwrap();
                let next = id + (1 << BLOB_ID_BITS);
                sql(v, "UPDATE sealed SET value = (SELECT value FROM blobs WHERE id = ?2), blob = ?3 WHERE key = ?1", &[&a.as_slice(), &id, &next]);
                sql(v, "DELETE FROM blobs WHERE id = ?1", &[&id]);
            },
            &|v, a, b| {
                let id = on_disk(v, b).1.unwrap();
                sql(
                    v,
                    "UPDATE sealed SET blob = ?2 WHERE key = ?1",
                    &[&a.as_slice(), &id],
                );
            },
            &|v, a, b| {
                let (ia, ib) = (on_disk(v, a).1.unwrap(), on_disk(v, b).1.unwrap());
                sql(
                    v,
                    "UPDATE sealed SET blob = ?2 WHERE key = ?1",
                    &[&a.as_slice(), &ib],
                );
                sql(
                    v,
                    "UPDATE sealed SET blob = ?2 WHERE key = ?1",
                    &[&b.as_slice(), &ia],
                );
            },
            &|v, a, _| {
                let id = on_disk(v, a).1.unwrap();
                sql(v, "UPDATE sealed SET value = (SELECT value FROM blobs WHERE id = ?2), blob = NULL WHERE key = ?1", &[&a.as_slice(), &id]);
            },
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut vault = vault(true);
            let (a, b) = (key(&vault, "a"), key(&vault, "b"));
            vault.put_raw(&a, b"value of a").unwrap();
            vault.put_raw(&b, b"value of b").unwrap();
            change(&vault, &a, &b);
            assert_eq!(
                relock(&mut vault).unwrap_err(),
                StoreError::Tampered,
                "change {i}"
            );
        }
        // A field store's inline row given a blob id.
        let mut vault = vault(false);
        let a = key(&vault, "a");
        vault.put_raw(&a, b"case notes").unwrap();
        sql(
            &vault,
            "UPDATE sealed SET blob = 42 WHERE key = ?1",
            &[&a.as_slice()],
        );
        assert_eq!(relock(&mut vault).unwrap_err(), StoreError::Tampered);
    }

    #[test]
    fn a_deleted_blob_id_is_never_given_again() {
        let mut vault = vault(true);
        let (a, c) = (key(&vault, "a"), key(&vault, "c"));
        vault.put_raw(&a, b"value of a").unwrap();
        let id = on_disk(&vault, &a).1.unwrap();
        // Someone with the file deletes A's blob, the last one.
        sql(&vault, "DELETE FROM blobs WHERE id = ?1", &[&id]);
        relock(&mut vault).unwrap();
        assert_eq!(read(&vault, &a).unwrap_err(), StoreError::Tampered);
        vault.put_raw(&c, b"value of c").unwrap();
        let id_c = on_disk(&vault, &c).1.unwrap();
        assert!(id_c > id, "{id_c}");
        // Rewriting A (whose blob is gone) writes A again and leaves C alone.
        vault.put_raw(&a, b"value of a, again").unwrap();
        assert_eq!(read(&vault, &a).unwrap().unwrap(), b"value of a, again");
        assert_eq!(read(&vault, &c).unwrap().unwrap(), b"value of c");
        vault.delete(&a).unwrap();
        assert_eq!(read(&vault, &c).unwrap().unwrap(), b"value of c");
        relock(&mut vault).unwrap();
    }

    #[test]
    fn a_blob_planted_beyond_the_last_transaction_is_tampering_at_unlock() {
        // Planted at the end of a later transaction's range, it would make that transaction's
        // writes fail for good; anywhere above the committed ranges, it was not written here.
        let plants: [fn(i64) -> i64; 3] = [
            |id| (((id >> BLOB_ID_BITS) + 2) << BLOB_ID_BITS) - 1,
            |id| ((id >> BLOB_ID_BITS) + 1) << BLOB_ID_BITS,
            |_| i64::MAX,
        ];
        for planted in plants {
            let mut vault = vault(true);
            let a = key(&vault, "a");
            vault.put_raw(&a, b"value of a").unwrap();
            let id = planted(on_disk(&vault, &a).1.unwrap());
            sql(
                &vault,
                "INSERT INTO blobs (id, value) VALUES (?1, x'00')",
                &[&id],
            );
            assert_eq!(
                relock(&mut vault).unwrap_err(),
                StoreError::Tampered,
                "{id}"
            );
            sql(&vault, "DELETE FROM blobs WHERE id = ?1", &[&id]);
            relock(&mut vault).unwrap();
            // A blob planted in a committed transaction's range changes nothing.
            let below = on_disk(&vault, &a).1.unwrap() + 5;
            sql(
                &vault,
                "INSERT INTO blobs (id, value) VALUES (?1, x'00')",
                &[&below],
            );
            relock(&mut vault).unwrap();
            assert_eq!(read(&vault, &a).unwrap().unwrap(), b"value of a");
        }
    }

    #[test]
    fn a_re_key_that_meets_a_missing_blob_is_tampering_and_keeps_the_old_key() {
        let mut vault = vault(true);
        let (a, b) = (key(&vault, "a"), key(&vault, "b"));
        vault.put_raw(&a, b"value of a").unwrap();
        vault.put_raw(&b, b"value of b").unwrap();
        let id = on_disk(&vault, &a).1.unwrap();
        sql(&vault, "DELETE FROM blobs WHERE id = ?1", &[&id]);
        assert_eq!(rekey(&mut vault).unwrap_err(), StoreError::Tampered);
        relock(&mut vault).unwrap();
        assert_eq!(read(&vault, &b).unwrap().unwrap(), b"value of b");
    }

    #[test]
    fn a_re_key_re_appends_every_blob_in_key_order() {
        // The order of writing, which blob ids show, does not outlive a re-key.
        let mut vault = vault(true);
        let rows: Vec<_> = (0..20).map(|i| key(&vault, &format!("r{i}"))).collect();
        vault
            .atomically(|v| {
                for (i, row) in rows.iter().enumerate() {
                    v.put_raw(row, format!("value {i}").as_bytes())?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        rekey(&mut vault).unwrap();
        let mut by_key = rows.clone();
        by_key.sort();
        let ids: Vec<i64> = by_key
            .iter()
            .map(|r| on_disk(&vault, r).1.unwrap())
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert_eq!(blobs(&vault), 20);
        relock(&mut vault).unwrap();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(
                read(&vault, row).unwrap().unwrap(),
                format!("value {i}").as_bytes()
            );
        }
    }

    #[test]
    fn a_blobs_table_not_made_by_the_vault_is_tampering() {
        for planted in [
            "CREATE TABLE blobs (id INTEGER, value BLOB NOT NULL)",
            "CREATE TABLE blobs (id INTEGER PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
            "CREATE TABLE blobs (id INTEGER PRIMARY KEY, value BLOB NOT NULL, extra)",
        ] {
            let vault = vault(true);
            super::super::check_schema(&vault.conn).unwrap();
            vault
                .conn
                .execute_batch(&format!("DROP TABLE blobs; {planted};"))
                .unwrap();
            assert_eq!(
                super::super::check_schema(&vault.conn).unwrap_err(),
                StoreError::Tampered,
                "{planted}"
            );
        }
    }
}
