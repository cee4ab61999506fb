//! The encrypted local store (docs/formats/store.md): cases, answers, notes and a hash-chained
//! custody log, sealed value by value in SQLite, under a data key wrapped by the worker's PIN
//! (Argon2id) and optionally by a platform key.

mod attachment;
mod backend;
mod case;
mod crypto;
mod error;
mod keyslot;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod opfs;
mod receipt;
mod report;
mod schema;

use rusqlite::{params, Connection, OptionalExtension};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

pub use attachment::{AttachmentInfo, CHUNK_BYTES};
pub use backend::{Backend, FileBackend, MemoryBackend};
pub use case::{
    CaseRecord, CaseStatus, CaseSummary, CustodyEvent, CustodyLayout, Note, ReceiptEntry,
    CUSTODY_SEGMENT,
};
pub use error::StoreError;
pub use keyslot::{KdfParams, PlatformKey};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use opfs::{install_opfs, opfs_files, OpfsBackend};
pub use receipt::ImportedReceipt;
pub use schema::SCHEMA_VERSION;

use crypto::{Keys, KEY_LEN};
use keyslot::{to_key, PinSlot};

/// A store: locked (only the key slots readable) or unlocked (keys in memory).
pub struct Store {
    // Fields drop in order: the connection closes before its backend goes.
    conn: Connection,
    backend: Box<dyn Backend>,
    store_id: Vec<u8>,
    keys: Option<Keys>,
    // Set by a wipe or an interrupted quick delete: the database is gone, every call says so.
    wiped: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("unlocked", &self.keys.is_some())
            .finish_non_exhaustive()
    }
}

const KEY_CHECK: &[u8] = b"indicia-store/1 key check";

use crate::clock::now;

fn meta_get(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

fn meta_set(conn: &Connection, name: &str, value: &[u8]) -> Result<(), StoreError> {
    conn.execute("INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = excluded.value", params![name, value])?;
    Ok(())
}

fn meta_u32(conn: &Connection, name: &str) -> Result<u32, StoreError> {
    match meta_get(conn, name)? {
        None => Ok(0),
        Some(bytes) => bytes
            .as_slice()
            .try_into()
            .map(u32::from_le_bytes)
            .map_err(|_| StoreError::Unsupported("malformed counter")),
    }
}

impl Store {
    /// Creates a new, empty store protected by `pin`, and leaves it unlocked.
    pub fn create(
        backend: Box<dyn Backend>,
        pin: &SecretString,
        kdf: KdfParams,
    ) -> Result<Store, StoreError> {
        Self::create_with_pages(backend, pin, kdf, None)
    }

    /// [`Store::create`] with a database page size (bytes, a power of two 512–65,536) other
    /// than SQLite's default 4,096: the receiver's rows (whole reports) are larger than a
    /// phone's, and fit fewer overflow pages in bigger ones.
    pub(crate) fn create_with_pages(
        backend: Box<dyn Backend>,
        pin: &SecretString,
        kdf: KdfParams,
        page_size: Option<u32>,
    ) -> Result<Store, StoreError> {
        if backend.exists() {
            return Err(StoreError::AlreadyExists);
        }
        // Everything that can refuse the input runs before anything is written.
        let store_id: [u8; 16] = crypto::random_bytes()?;
        let data_key = crypto::random_key()?;
        let slot = PinSlot::wrap(&store_id, pin, kdf, &data_key)?;
        let keys = Keys::from_data_key(data_key);
        let check_key = keys.row_key("key-check", &[])?;
        let check = keys.seal_value(&check_key, KEY_CHECK)?;
        let mut conn = match Self::initialise(backend.as_ref(), page_size) {
            Ok(conn) => conn,
            Err(e) => {
                let _ = backend.destroy();
                return Err(e);
            }
        };
        let tx = conn.transaction()?;
        meta_set(&tx, "store_id", &store_id)?;
        meta_set(&tx, "key_check", &check)?;
        meta_set(&tx, "failed_unlocks", &0u32.to_le_bytes())?;
        meta_set(&tx, "wipe_after", &0u32.to_le_bytes())?;
        tx.execute(
            "INSERT INTO keyslots (kind, slot) VALUES ('pin', ?1)",
            [serde_json::to_vec(&slot).map_err(|_| StoreError::Unsupported("slot"))?],
        )?;
        tx.commit()?;
        Ok(Store {
            backend,
            conn,
            store_id: store_id.to_vec(),
            keys: Some(keys),
            wiped: false,
        })
    }

    fn initialise(backend: &dyn Backend, page_size: Option<u32>) -> Result<Connection, StoreError> {
        let mut conn = backend.connect(true)?;
        if let Some(size) = page_size {
            // Only takes effect before the first table exists (and before WAL is on).
            conn.pragma_update(None, "page_size", size)?;
        }
        schema::configure(&conn, backend.journal_mode())?;
        schema::migrate(&mut conn)?;
        Ok(conn)
    }

    /// Opens an existing field store, locked. A receiving unit's database is refused.
    pub fn open(backend: Box<dyn Backend>) -> Result<Store, StoreError> {
        let store = Self::open_any(backend)?;
        if store.meta("role")?.is_some() {
            return Err(StoreError::Unsupported(
                "a receiver database, not a field store",
            ));
        }
        Ok(store)
    }

    /// Opens a database of this format whatever its role (field store or receiver), locked.
    pub(crate) fn open_any(backend: Box<dyn Backend>) -> Result<Store, StoreError> {
        if !backend.exists() {
            return Err(StoreError::NoStore);
        }
        let mut conn = backend.connect(false)?;
        schema::configure(&conn, backend.journal_mode())?;
        schema::migrate(&mut conn)?;
        let wiped = meta_get(&conn, "wiped")?.is_some();
        if !wiped && meta_get(&conn, "store_id")?.is_none() {
            // Creation stopped before its one commit (the app was killed): nothing was stored.
            drop(conn);
            backend.destroy()?;
            return Err(StoreError::NoStore);
        }
        let slots: i64 = conn.query_row("SELECT count(*) FROM keyslots", [], |r| r.get(0))?;
        if wiped || slots == 0 {
            // A quick delete was interrupted after the keys were destroyed: finish it.
            let mut store = Store {
                backend,
                conn,
                store_id: Vec::new(),
                keys: None,
                wiped: false,
            };
            store.erase()?;
            return Err(StoreError::Wiped);
        }
        let store_id =
            meta_get(&conn, "store_id")?.ok_or(StoreError::Unsupported("no store id"))?;
        Ok(Store {
            backend,
            conn,
            store_id,
            keys: None,
            wiped: false,
        })
    }

    /// An unsealed bookkeeping value (never anything secret or personal).
    pub(crate) fn meta(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.live()?;
        meta_get(&self.conn, name)
    }

    /// SQLite's page cache for this connection, in KiB (its default is 2,000).
    pub(crate) fn set_cache_kib(&self, kib: u32) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    pub(crate) fn set_meta(&self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        self.live()?;
        meta_set(&self.conn, name, value)
    }

    /// Whether the keys are in memory.
    pub fn is_unlocked(&self) -> bool {
        self.keys.is_some()
    }

    /// Forgets the keys (they are zeroized). Data stays, sealed.
    pub fn lock(&mut self) {
        self.keys = None;
    }

    pub(crate) fn keys(&self) -> Result<&Keys, StoreError> {
        self.live()?;
        self.keys.as_ref().ok_or(StoreError::Locked)
    }

    fn live(&self) -> Result<(), StoreError> {
        if self.wiped {
            Err(StoreError::Wiped)
        } else {
            Ok(())
        }
    }

    fn slot(&self, kind: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT slot FROM keyslots WHERE kind = ?1", [kind], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn pin_slot(&self) -> Result<PinSlot, StoreError> {
        let bytes = self.slot("pin")?.ok_or(StoreError::Wiped)?;
        serde_json::from_slice(&bytes).map_err(|_| StoreError::Unsupported("malformed PIN slot"))
    }

    /// Accepts a data key only if it opens the store's key-check value.
    fn keys_if_valid(
        &self,
        data_key: Zeroizing<[u8; KEY_LEN]>,
    ) -> Result<Option<Keys>, StoreError> {
        let keys = Keys::from_data_key(data_key);
        let check =
            meta_get(&self.conn, "key_check")?.ok_or(StoreError::Unsupported("no key check"))?;
        let row = keys.row_key("key-check", &[])?;
        Ok(match keys.open_value(&row, &check) {
            Ok(v) if v.as_slice() == KEY_CHECK => Some(keys),
            _ => None,
        })
    }

    /// Unlocks with the PIN. Each attempt is counted before it is tried (so killing the app
    /// mid-attempt still counts); with wipe-after-N set, the Nth consecutive failure erases the
    /// store and returns `Wiped`.
    pub fn unlock(&mut self, pin: &SecretString) -> Result<(), StoreError> {
        self.live()?;
        let failed = meta_u32(&self.conn, "failed_unlocks")?.saturating_add(1);
        let wipe_after = meta_u32(&self.conn, "wipe_after")?;
        meta_set(&self.conn, "failed_unlocks", &failed.to_le_bytes())?;
        let slot = self.pin_slot()?;
        let keys = match slot.unwrap(&self.store_id, pin)? {
            Some(data_key) => self.keys_if_valid(data_key)?,
            None => None,
        };
        match keys {
            Some(keys) => {
                meta_set(&self.conn, "failed_unlocks", &0u32.to_le_bytes())?;
                self.keys = Some(keys);
                Ok(())
            }
            None if wipe_after > 0 && failed >= wipe_after => {
                self.erase()?;
                Err(StoreError::Wiped)
            }
            None => Err(StoreError::WrongPin {
                attempts_left: (wipe_after > 0).then(|| wipe_after - failed),
            }),
        }
    }

    /// Unlocks with the host's platform key, if one was added.
    pub fn unlock_with_platform_key(&mut self, key: &dyn PlatformKey) -> Result<(), StoreError> {
        let wrapped = self
            .platform_wrapped()?
            .ok_or(StoreError::InvalidInput("no platform key was added"))?;
        let bytes = Zeroizing::new(key.unwrap(&wrapped).map_err(StoreError::Platform)?);
        self.unlock_with_unwrapped_key(&bytes)
    }

    /// Lets the host's platform key unlock the store too.
    pub fn add_platform_key(&mut self, key: &dyn PlatformKey) -> Result<(), StoreError> {
        let data_key = self.data_key_for_platform()?;
        let wrapped = key
            .wrap(data_key.as_slice())
            .map_err(StoreError::Platform)?;
        self.set_platform_wrapped(&wrapped)
    }

    // The four steps below are the platform-key protocol for hosts whose key API is
    // asynchronous (WebCrypto): the host wraps and unwraps between calls, instead of the store
    // calling a `PlatformKey` in the middle of one.

    /// The data key, for the host to wrap with its platform key (then `set_platform_wrapped`).
    /// Only while unlocked; the caller zeroes its copy after wrapping.
    pub fn data_key_for_platform(&self) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        Ok(Zeroizing::new(self.keys()?.data_key().to_vec()))
    }

    /// Stores the data key as the host's platform key wrapped it. Only while unlocked.
    pub fn set_platform_wrapped(&mut self, wrapped: &[u8]) -> Result<(), StoreError> {
        self.keys()?;
        if wrapped.is_empty() || wrapped.len() > 4096 {
            return Err(StoreError::InvalidInput("a wrapped key is 1 to 4096 bytes"));
        }
        self.conn.execute("INSERT INTO keyslots (kind, slot) VALUES ('platform', ?1) ON CONFLICT(kind) DO UPDATE SET slot = excluded.slot", [wrapped])?;
        Ok(())
    }

    /// The wrapped data key the host stored, if any (readable while locked: it is only
    /// useful together with the platform key).
    pub fn platform_wrapped(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.live()?;
        self.slot("platform")
    }

    /// Unlocks with the data key the host's platform key unwrapped. A key that does not open
    /// the store is a `Platform` error and does not count as a wrong PIN.
    pub fn unlock_with_unwrapped_key(&mut self, unwrapped: &[u8]) -> Result<(), StoreError> {
        self.live()?;
        let data_key = to_key(unwrapped)
            .ok_or_else(|| StoreError::Platform("unwrapped key has the wrong length".into()))?;
        let keys = self.keys_if_valid(data_key)?.ok_or_else(|| {
            StoreError::Platform("the platform key does not open this store".into())
        })?;
        // The worker proved who they are: wrong PINs before this are no longer consecutive.
        meta_set(&self.conn, "failed_unlocks", &0u32.to_le_bytes())?;
        self.keys = Some(keys);
        Ok(())
    }

    /// Removes the platform key slot (the PIN still works).
    pub fn remove_platform_key(&mut self) -> Result<(), StoreError> {
        self.live()?;
        self.keys()?;
        self.conn
            .execute("DELETE FROM keyslots WHERE kind = 'platform'", [])?;
        Ok(())
    }

    /// Replaces the PIN. The data is not re-encrypted: only the PIN slot is rewritten.
    pub fn change_pin(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), StoreError> {
        self.live()?;
        let data_key = self.keys()?.data_key();
        if self.pin_slot()?.unwrap(&self.store_id, current)?.is_none() {
            return Err(StoreError::WrongPin {
                attempts_left: None,
            });
        }
        let slot = PinSlot::wrap(&self.store_id, new, kdf, data_key)?;
        let bytes = serde_json::to_vec(&slot).map_err(|_| StoreError::Unsupported("slot"))?;
        self.conn
            .execute("UPDATE keyslots SET slot = ?1 WHERE kind = 'pin'", [bytes])?;
        Ok(())
    }

    /// Erase the store after this many consecutive wrong PINs (`None`: never).
    pub fn set_wipe_after(&mut self, attempts: Option<u32>) -> Result<(), StoreError> {
        self.live()?;
        self.keys()?;
        meta_set(
            &self.conn,
            "wipe_after",
            &attempts.unwrap_or(0).to_le_bytes(),
        )
    }

    /// Consecutive failed unlocks so far.
    pub fn failed_unlocks(&self) -> Result<u32, StoreError> {
        self.live()?;
        meta_u32(&self.conn, "failed_unlocks")
    }

    /// Quick delete: destroys the key slots first (the data is unreadable from that commit on),
    /// then removes the data and the database files. Works locked or unlocked.
    pub fn quick_delete(mut self) -> Result<(), StoreError> {
        self.erase()
    }

    fn erase(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM keyslots;
             DELETE FROM meta WHERE name IN ('key_check', 'store_id');
             INSERT INTO meta (name, value) VALUES ('wiped', x'01') ON CONFLICT(name) DO UPDATE SET value = x'01';
             COMMIT;",
        )?;
        // Old key pages may still sit in the WAL: fold it into the database and truncate it.
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        self.conn
            .execute_batch("DELETE FROM objects; PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?;
        // Some backends (the browser's OPFS pool) cannot remove a database that is still open;
        // a wiped store keeps an empty in-memory connection, so every later call fails cleanly.
        self.keys = None;
        self.wiped = true;
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        conn.close().map_err(|(_, e)| e)?;
        self.backend.destroy()
    }

    pub(crate) fn put<T: Serialize>(
        &self,
        row: &[u8; KEY_LEN],
        value: &T,
    ) -> Result<(), StoreError> {
        let json = Zeroizing::new(
            serde_json::to_vec(value).map_err(|_| StoreError::Unsupported("value"))?,
        );
        self.put_raw(row, &json)
    }

    /// Seals bytes for row `row` (JSON values via `put`, attachment chunks directly).
    pub(crate) fn put_raw(&self, row: &[u8; KEY_LEN], bytes: &[u8]) -> Result<(), StoreError> {
        let sealed = self.keys()?.seal_value(row, bytes)?;
        // Cached statements: a save or an ingest runs these many times; parsing SQL each time
        // showed in profiles.
        self.conn
            .prepare_cached("INSERT INTO objects (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?
            .execute(params![row.as_slice(), sealed])?;
        Ok(())
    }

    pub(crate) fn get_raw(
        &self,
        row: &[u8; KEY_LEN],
    ) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        let keys = self.keys()?;
        let sealed: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT value FROM objects WHERE key = ?1")?
            .query_row([row.as_slice()], |r| r.get(0))
            .optional()?;
        sealed
            .map(|sealed| keys.open_value(row, &sealed))
            .transpose()
    }

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

    pub(crate) fn delete(&self, row: &[u8; KEY_LEN]) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM objects WHERE key = ?1")?
            .execute([row.as_slice()])?;
        Ok(())
    }

    /// Whether row `row` holds a value (without opening it).
    pub(crate) fn exists(&self, row: &[u8; KEY_LEN]) -> Result<bool, StoreError> {
        self.keys()?;
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM objects WHERE key = ?1")?
            .query_row([row.as_slice()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Runs `f` inside the current transaction as a unit: on error its writes are undone and
    /// the transaction goes on.
    pub(crate) fn savepoint<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("SAVEPOINT unit")
            .map_err(StoreError::from)?;
        match f(self) {
            Ok(v) => {
                self.conn
                    .execute_batch("RELEASE unit")
                    .map_err(StoreError::from)?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK TO unit; RELEASE unit");
                Err(e)
            }
        }
    }

    /// Runs `f` in one transaction: all of its writes land, or none.
    pub(crate) fn atomically<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)?;
        match f(self) {
            Ok(v) => {
                self.conn
                    .execute_batch("COMMIT")
                    .map_err(StoreError::from)?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}
