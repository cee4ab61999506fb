//! The vault: the one encrypted storage engine under the field store and the receiver
//! (docs/formats/store.md; ARCHITECTURE.md says who may use what).
//!
//! It owns the SQLite database and everything about keeping it secret and intact: backends
//! (file, memory, OPFS), key slots (PIN or passphrase plus, where the device has one, a
//! device-bound secret), row sealing with versions, tamper detection by row, transactions,
//! chunked blobs, migrations (including re-sealing a v1 store at its first unlock), re-keying,
//! wipe-after-N and quick delete. Its clients see opaque row keys and plaintext bytes; they
//! never touch SQL, keys or the integrity state.
//!
//! # Example
//!
//! ```rust
//! # #[cfg(feature = "zxcvbn")] { // a passphrase needs an estimator
//! use indicia_core::vault::{KdfParams, MemoryBackend, Protection, Vault};
//! use indicia_core::ErrorKind;
//! use secrecy::SecretString;
//!
//! let pin = SecretString::from("tidal-amber-orchard".to_owned());
//! let protection = Protection::passphrase(KdfParams::TESTING); // cheap: tests only
//! let mut vault = Vault::create(Box::new(MemoryBackend::new()?), &pin, &protection, None)?;
//! vault.set_wipe_after(Some(5))?;
//! vault.lock();
//!
//! let wrong = vault.unlock(&SecretString::from("guess".to_owned()), None).unwrap_err();
//! assert_eq!(wrong.kind(), ErrorKind::WrongPin);
//! assert!(wrong.to_string().contains("4 attempts left"));
//! vault.unlock(&pin, None)?;
//! assert!(vault.is_unlocked() && vault.failed_unlocks()? == 0);
//!
//! // A passphrase that is easy to guess is refused before anything is written.
//! let weak = SecretString::from("password1".to_owned());
//! let refused =
//!     Vault::create(Box::new(MemoryBackend::new()?), &weak, &protection, None).unwrap_err();
//! assert_eq!(refused.kind(), ErrorKind::WeakPin);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod backend;
mod chunks;
mod crypto;
mod error;
mod integrity;
mod keyslot;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod opfs;
mod policy;
mod rekey;
mod rows;
mod schema;
mod upgrade;

use std::cell::RefCell;

use rusqlite::{params, Connection, OptionalExtension};
use secrecy::SecretString;
use zeroize::Zeroizing;

pub use backend::{Backend, FileBackend, MemoryBackend};
pub use chunks::CHUNK_BYTES;
pub use error::StoreError;
pub use integrity::RollbackCounter;
pub use keyslot::{DeviceResponse, DeviceSecret, KdfParams, PlatformKey, DEVICE_SECRET_LEN};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use opfs::{install_opfs, opfs_files, OpfsBackend};
pub use policy::{PinPolicy, StrengthEstimator};
pub use schema::SCHEMA_VERSION;

pub(crate) use chunks::ChunkWriter;
pub(crate) use crypto::random_bytes;
use crypto::{Keys, RowPlace, KEY_LEN};
use integrity::State;
use keyslot::{to_key, PinSlot};

/// The vault format this code writes (docs/formats/store.md).
pub const VAULT_FORMAT: u32 = 2;

/// A device-bound factor for a new slot: the challenge (from [`Vault::new_device_challenge`])
/// and the host's response to it.
#[derive(Debug, Clone)]
pub struct DeviceFactor {
    /// The challenge the slot stores.
    pub challenge: [u8; DEVICE_SECRET_LEN],
    /// The host's response.
    pub response: DeviceResponse,
}

impl DeviceFactor {
    /// Asks `secret` for the response to a fresh challenge.
    pub fn from_secret(secret: &dyn DeviceSecret) -> Result<DeviceFactor, StoreError> {
        let challenge = Vault::new_device_challenge()?;
        let response = secret.respond(&challenge).map_err(StoreError::Platform)?;
        Ok(DeviceFactor {
            challenge,
            response,
        })
    }
}

/// How a new PIN slot is made: Argon2id cost, the policy its PIN must meet (raised to the
/// core's floor, [`PinPolicy::floor`]) and the device factor, if the device has one.
#[derive(Debug, Clone)]
pub struct Protection {
    /// Argon2id parameters.
    pub kdf: KdfParams,
    /// What the PIN or passphrase must meet.
    pub policy: PinPolicy,
    /// The device-bound factor, if any.
    pub device: Option<DeviceFactor>,
    /// What scores the passphrase's strength (the zxcvbn crate by default where built in).
    pub strength: StrengthEstimator,
}

impl Protection {
    /// A PIN or passphrase alone, at the passphrase floor ([`PinPolicy::PASSPHRASE`]).
    pub fn passphrase(kdf: KdfParams) -> Protection {
        Protection {
            kdf,
            policy: PinPolicy::PASSPHRASE,
            device: None,
            strength: StrengthEstimator::default(),
        }
    }

    /// A PIN plus a device-bound factor ([`PinPolicy::DEVICE_BOUND`]).
    pub fn device_bound(kdf: KdfParams, device: DeviceFactor) -> Protection {
        Protection {
            kdf,
            policy: PinPolicy::DEVICE_BOUND,
            device: Some(device),
            strength: StrengthEstimator::default(),
        }
    }

    fn slot(
        &self,
        store_id: &[u8],
        pin: &SecretString,
        data_key: &[u8; KEY_LEN],
    ) -> Result<PinSlot, StoreError> {
        self.policy
            .at_least_floor(self.device.is_some())
            .check(pin, &self.strength)?;
        let device = self.device.as_ref().map(|d| (&d.challenge, &d.response));
        PinSlot::wrap(store_id, pin, self.kdf, device, data_key)
    }
}

/// A vault: locked (only the key slots readable) or unlocked (keys in memory).
pub struct Vault {
    // Fields drop in order: the connection closes before its backend goes.
    conn: Connection,
    backend: Box<dyn Backend>,
    store_id: Vec<u8>,
    keys: Option<Keys>,
    /// The integrity state as of the current transaction (meaningful while unlocked).
    state: RefCell<State>,
    /// States to return to: one per open transaction or savepoint.
    undo: RefCell<Vec<State>>,
    counter: Option<Box<dyn RollbackCounter>>,
    // Set by a wipe or an interrupted quick delete: the database is gone, every call says so.
    wiped: bool,
    /// Whether new values are written to `blobs` ([`Vault::write_values_apart`]).
    values_apart: bool,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("unlocked", &self.keys.is_some())
            .finish_non_exhaustive()
    }
}

/// The fixed "row keys" of the sealed values kept in `meta`.
const INDEX_KEY_ROW: &[u8; KEY_LEN] = b"indicia-vault/2 meta: index key.";
const STATE_ROW: &[u8; KEY_LEN] = b"indicia-vault/2 meta: state.....";

fn meta_get(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?)
}

fn meta_set(conn: &Connection, name: &str, value: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET value = excluded.value")?
        .execute(params![name, value])?;
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

/// Refuses a database whose schema holds anything this code did not make: an extra index could
/// answer the integrity check's scan while reads see other rows (an attacker can plant a
/// covering index that still lists the current rows, then restore older ones in the table), and
/// a trigger or view could change what is written or read. Only the vault's tables, all
/// `WITHOUT ROWID` (so there are no automatic indexes) but `blobs`, whose `INTEGER PRIMARY KEY`
/// is its rowid (no index either), may exist.
pub(crate) fn check_schema(conn: &Connection) -> Result<(), StoreError> {
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_schema")?;
    let entries = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for entry in entries {
        let (kind, name, sql) = entry?;
        // Each table exactly as a migration made it (a redefinition could add a conflict clause
        // that turns an insert into an overwrite, or a foreign key action).
        let expected = kind == "table"
            && schema::TABLES
                .iter()
                .any(|(table, made)| *table == name && sql.as_deref() == Some(*made));
        if !expected {
            return Err(StoreError::Tampered);
        }
    }
    Ok(())
}

fn count(conn: &Connection, sql: &str) -> Result<i64, StoreError> {
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

impl Vault {
    /// A fresh challenge for a device-bound secret (32 random bytes).
    pub fn new_device_challenge() -> Result<[u8; DEVICE_SECRET_LEN], StoreError> {
        PinSlot::new_challenge()
    }

    /// Creates a new, empty vault protected by `pin` as `protection` says, and leaves it
    /// unlocked. `page_size` (bytes, a power of two 512–65,536) overrides SQLite's 4,096.
    /// Errors: `AlreadyExists`, `WeakPin`, `InvalidInput` (KDF parameters), `Storage`.
    pub fn create(
        backend: Box<dyn Backend>,
        pin: &SecretString,
        protection: &Protection,
        page_size: Option<u32>,
    ) -> Result<Vault, StoreError> {
        if backend.exists() {
            return Err(StoreError::AlreadyExists);
        }
        // Everything that can refuse the input runs before anything is written.
        let store_id: [u8; 16] = random_bytes()?;
        let data_key = crypto::random_key()?;
        let slot = protection.slot(&store_id, pin, &data_key)?;
        let keys = Keys::new(data_key, crypto::random_key()?);
        let conn = match Self::initialise(backend.as_ref(), page_size) {
            Ok(conn) => conn,
            Err(e) => {
                let _ = backend.destroy();
                return Err(e);
            }
        };
        let vault = Vault {
            conn,
            backend,
            store_id: store_id.to_vec(),
            keys: Some(keys),
            state: RefCell::new(State::empty()),
            undo: RefCell::new(Vec::new()),
            counter: None,
            wiped: false,
            values_apart: false,
        };
        vault.transaction(|| {
            vault.conn.execute_batch("DROP TABLE objects;")?;
            meta_set(&vault.conn, "store_id", &store_id)?;
            meta_set(&vault.conn, "failed_unlocks", &0u32.to_le_bytes())?;
            meta_set(&vault.conn, "wipe_after", &0u32.to_le_bytes())?;
            vault.write_slot(&slot)?;
            vault.seal_meta(vault.keys()?, &State::empty())
        })?;
        Ok(vault)
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

    /// Opens an existing vault, locked. Fails closed: bookkeeping that does not add up is
    /// `Tampered` and deletes nothing; only a vault whose key slots are gone (a quick delete
    /// that was interrupted) is finished off and reported `Wiped`.
    pub fn open(backend: Box<dyn Backend>) -> Result<Vault, StoreError> {
        if !backend.exists() {
            return Err(StoreError::NoStore);
        }
        let mut conn = backend.connect(false)?;
        schema::configure(&conn, backend.journal_mode())?;
        check_schema(&conn)?;
        schema::migrate(&mut conn)?;
        let slots = count(&conn, "SELECT count(*) FROM keyslots")?;
        let store_id = meta_get(&conn, "store_id")?;
        let mut vault = Vault {
            conn,
            backend,
            store_id: Vec::new(),
            keys: None,
            state: RefCell::new(State::empty()),
            undo: RefCell::new(Vec::new()),
            counter: None,
            wiped: false,
            values_apart: false,
        };
        if slots == 0 {
            if store_id.is_none() && vault.rows_in_any_table()? == 0 {
                // Creation stopped before its one commit (the app was killed): nothing was
                // ever stored.
                drop(vault.conn);
                vault.backend.destroy()?;
                return Err(StoreError::NoStore);
            }
            // The keys are gone, so nothing here can be read again: a quick delete was
            // interrupted after its first commit. Finish it.
            vault.erase()?;
            return Err(StoreError::Wiped);
        }
        // Key slots exist: whatever else looks wrong (a `wiped` flag, a missing store id) was
        // not written by this code and proves nothing. Refuse, delete nothing.
        if meta_get(&vault.conn, "wiped")?.is_some() {
            return Err(StoreError::Tampered);
        }
        vault.store_id = match store_id {
            Some(id) if id.len() == 16 => id,
            _ => return Err(StoreError::Tampered),
        };
        Ok(vault)
    }

    fn rows_in_any_table(&self) -> Result<i64, StoreError> {
        let mut n = count(&self.conn, "SELECT count(*) FROM meta")?;
        n += count(&self.conn, "SELECT count(*) FROM sealed")?;
        n += count(&self.conn, "SELECT count(*) FROM blobs")?;
        if self.has_v1_table()? {
            n += count(&self.conn, "SELECT count(*) FROM objects")?;
        }
        Ok(n)
    }

    fn has_v1_table(&self) -> Result<bool, StoreError> {
        Ok(count(
            &self.conn,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'objects'",
        )? > 0)
    }

    /// An unsealed bookkeeping value (never anything secret or personal, and not
    /// authenticated: callers use it only for what an attacker gains nothing by changing).
    pub(crate) fn meta(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.live()?;
        meta_get(&self.conn, name)
    }

    #[cfg(feature = "receiver")]
    pub(crate) fn set_meta(&self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        self.live()?;
        meta_set(&self.conn, name, value)
    }

    /// SQLite's page cache for this connection, in KiB (its default is 2,000).
    #[cfg(feature = "receiver")]
    pub(crate) fn set_cache_kib(&self, kib: u32) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    /// From now on, writes each new or changed value to `blobs`, appended in the order of
    /// writing, and keeps only its key, stamp and blob id in `sealed` (docs/formats/store.md,
    /// "Values apart"). An ingest then fills pages at the end of the file instead of dirtying
    /// random B-tree leaves (docs/benchmarks.md, "Ingest: values apart"); the cost is that the
    /// file shows the order in which values were written, so only the receiver asks for it.
    #[cfg(feature = "receiver")]
    pub(crate) fn write_values_apart(&mut self) {
        self.values_apart = true;
    }

    /// Pages in the WAL before SQLite checkpoints it into the database (its default is 1,000).
    #[cfg(feature = "receiver")]
    pub(crate) fn set_wal_autocheckpoint(&self, pages: u32) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", i64::from(pages))?;
        Ok(())
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

    /// The opaque key of a row: a keyed hash of `kind` and `parts` (only while unlocked).
    pub(crate) fn row_key(&self, kind: &str, parts: &[&[u8]]) -> Result<[u8; KEY_LEN], StoreError> {
        Ok(self.keys()?.row_key(kind, parts))
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
        let bytes = self.slot("pin")?.ok_or(StoreError::Tampered)?;
        serde_json::from_slice(&bytes).map_err(|_| StoreError::Tampered)
    }

    fn write_slot(&self, slot: &PinSlot) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(slot).map_err(|_| StoreError::Unsupported("slot"))?;
        self.conn.execute(
            "INSERT INTO keyslots (kind, slot) VALUES ('pin', ?1) ON CONFLICT(kind) DO UPDATE SET slot = excluded.slot",
            [bytes],
        )?;
        Ok(())
    }

    /// The challenge the host's secure hardware must answer to unlock, if this vault was
    /// created with a device-bound secret (readable while locked: it is no secret).
    pub fn device_challenge(&self) -> Result<Option<[u8; DEVICE_SECRET_LEN]>, StoreError> {
        self.live()?;
        Ok(self.pin_slot()?.challenge)
    }

    fn meta_place(&self, row: &'static [u8; KEY_LEN]) -> RowPlace<'_> {
        RowPlace {
            store_id: &self.store_id,
            table: "meta",
            row,
            version: 0,
        }
    }

    /// Runs `f` in one plain SQLite transaction: COMMIT if it succeeds, ROLLBACK if it or the
    /// commit fails. Creation, upgrade and re-key use it directly (their keys and state take
    /// effect once committed); `atomically` adds the integrity bookkeeping of row writes.
    pub(super) fn transaction<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)?;
        let result = f().and_then(|v| {
            self.conn
                .execute_batch("COMMIT")
                .map_err(StoreError::from)?;
            Ok(v)
        });
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        result
    }

    /// Seals the index key and `state` into `meta` under `keys`.
    fn seal_meta(&self, keys: &Keys, state: &State) -> Result<(), StoreError> {
        let index = keys.seal_value(&self.meta_place(INDEX_KEY_ROW), keys.index_key())?;
        meta_set(&self.conn, "index_key", &index)?;
        self.seal_state(keys, state)
    }

    fn seal_state(&self, keys: &Keys, state: &State) -> Result<(), StoreError> {
        let json = Zeroizing::new(
            serde_json::to_vec(state).map_err(|_| StoreError::Unsupported("state"))?,
        );
        let sealed = keys.seal_value(&self.meta_place(STATE_ROW), &json)?;
        meta_set(&self.conn, "state", &sealed)
    }

    /// Seals the current integrity state under the current keys.
    fn write_state(&self) -> Result<(), StoreError> {
        self.seal_state(self.keys()?, &self.state.borrow())
    }

    fn read_state(&self, keys: &Keys) -> Result<State, StoreError> {
        let sealed = meta_get(&self.conn, "state")?.ok_or(StoreError::Tampered)?;
        let json = keys.open_value(&self.meta_place(STATE_ROW), &sealed)?;
        serde_json::from_slice(&json).map_err(|_| StoreError::Tampered)
    }

    /// Unlocks with the PIN and, for a device-bound vault, the host's response to
    /// [`Vault::device_challenge`]. Each attempt is counted before it is tried (so killing the
    /// app mid-attempt still counts); with wipe-after-N set, the Nth consecutive failure erases
    /// the vault and returns `Wiped`. Then every row is checked against the sealed integrity
    /// state (`Tampered` if one was restored, deleted, added or moved), and a v1 store is
    /// migrated. Errors: `WrongPin`, `DeviceSecretRequired`, `Wiped`, `Tampered`, `Storage`.
    pub fn unlock(
        &mut self,
        pin: &SecretString,
        device: Option<&DeviceResponse>,
    ) -> Result<(), StoreError> {
        self.live()?;
        // Again here: the file may have changed since it was opened.
        check_schema(&self.conn)?;
        let slot = self.pin_slot()?;
        if slot.challenge.is_some() && device.is_none() {
            // Not an attempt at all: nothing was tried, nothing is counted.
            return Err(StoreError::DeviceSecretRequired);
        }
        let failed = meta_u32(&self.conn, "failed_unlocks")?.saturating_add(1);
        let wipe_after = meta_u32(&self.conn, "wipe_after")?;
        meta_set(&self.conn, "failed_unlocks", &failed.to_le_bytes())?;
        match slot.unwrap(&self.store_id, pin, device)? {
            Some(data_key) => {
                if slot.format == 1 {
                    self.upgrade_v1(data_key, pin, slot.kdf)?;
                } else {
                    self.accept_data_key(data_key)?;
                }
                meta_set(&self.conn, "failed_unlocks", &0u32.to_le_bytes())?;
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

    /// Unlocks with a device-bound secret the host can call synchronously.
    pub fn unlock_with_device_secret(
        &mut self,
        pin: &SecretString,
        secret: &dyn DeviceSecret,
    ) -> Result<(), StoreError> {
        let challenge = self.device_challenge()?.ok_or(StoreError::InvalidInput(
            "this store has no device-bound secret",
        ))?;
        let response = secret.respond(&challenge).map_err(StoreError::Platform)?;
        self.unlock(pin, Some(&response))
    }

    /// With a data key that opened a slot: loads the index key and the state, and checks every
    /// row against the state (and the state against the host's rollback counter).
    fn accept_data_key(&mut self, data_key: Zeroizing<[u8; KEY_LEN]>) -> Result<(), StoreError> {
        let index = self
            .open_index_key(&data_key)?
            .ok_or(StoreError::Tampered)?;
        self.accept_keys(Keys::new(data_key, index))
    }

    /// The index key sealed in `meta`, opened with `data_key`; `None` if it is not there or
    /// does not open with that key.
    fn open_index_key(
        &self,
        data_key: &[u8; KEY_LEN],
    ) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, StoreError> {
        let probe = Keys::new(Zeroizing::new(*data_key), Zeroizing::new([0; KEY_LEN]));
        let Some(sealed) = meta_get(&self.conn, "index_key")? else {
            return Ok(None);
        };
        match probe.open_value(&self.meta_place(INDEX_KEY_ROW), &sealed) {
            Ok(index) => to_key(&index).ok_or(StoreError::Tampered).map(Some),
            Err(_) => Ok(None),
        }
    }

    /// Takes `keys` once the state they open matches every row (and the rollback counter).
    fn accept_keys(&mut self, keys: Keys) -> Result<(), StoreError> {
        let state = self.read_state(&keys)?;
        self.verify_rows(&keys, &state)?;
        self.check_counter(&state)?;
        *self.state.borrow_mut() = state;
        self.keys = Some(keys);
        Ok(())
    }

    /// Recomputes the integrity summary from the table and compares it with `state`.
    fn verify_rows(&self, keys: &Keys, state: &State) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, version, nonce, blob FROM sealed")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        let found = State::of_rows(
            keys,
            state.generation,
            rows.map(|r| {
                let (key, version, nonce, blob) = r?;
                Ok((key, integrity::Stamp::from_columns(version, &nonce, blob)?))
            }),
        )?;
        if !found.same_rows(state) {
            return Err(StoreError::Tampered);
        }
        // A blob beyond the last committed transaction's ids was written by no transaction
        // (like a version above the generation); planted at the end of a later range, it would
        // make that transaction's writes fail for good.
        let (_, end) = rows::blob_range(state.generation)?;
        let largest: Option<i64> = self
            .conn
            .query_row("SELECT max(id) FROM blobs", [], |r| r.get(0))?;
        if largest.is_some_and(|id| id < 0 || id as u64 >= end) {
            return Err(StoreError::Tampered);
        }
        Ok(())
    }

    /// Gives the vault a monotonic counter kept outside its files (see [`RollbackCounter`]).
    /// While unlocked, the current state is checked against it at once.
    pub fn set_rollback_counter(
        &mut self,
        counter: Box<dyn RollbackCounter>,
    ) -> Result<(), StoreError> {
        self.counter = Some(counter);
        if self.keys.is_some() {
            let state = self.state.borrow().clone();
            self.check_counter(&state)?;
            self.advance_counter(state.generation)?;
        }
        Ok(())
    }

    fn check_counter(&self, state: &State) -> Result<(), StoreError> {
        if let Some(counter) = &self.counter {
            let seen = counter.read().map_err(StoreError::Platform)?;
            if state.generation < seen {
                // Every file was put back to an older copy.
                return Err(StoreError::Tampered);
            }
        }
        Ok(())
    }

    fn advance_counter(&self, generation: u64) -> Result<(), StoreError> {
        match &self.counter {
            Some(counter) => counter.advance(generation).map_err(StoreError::Platform),
            None => Ok(()),
        }
    }

    /// Erase the vault after this many consecutive wrong PINs (`None`: never).
    pub fn set_wipe_after(&mut self, attempts: Option<u32>) -> Result<(), StoreError> {
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

    /// Wrong PINs left before the vault erases itself (`None`: no limit was set). Readable while
    /// locked, so a lock screen can warn before the first attempt; it agrees with
    /// [`StoreError::WrongPin`]'s `attempts_left` after each wrong PIN.
    pub fn attempts_left(&self) -> Result<Option<u32>, StoreError> {
        self.live()?;
        let wipe_after = meta_u32(&self.conn, "wipe_after")?;
        let failed = meta_u32(&self.conn, "failed_unlocks")?;
        Ok((wipe_after > 0).then(|| wipe_after.saturating_sub(failed)))
    }

    /// Quick delete: destroys the key slots first (the data is unreadable from that commit on),
    /// then removes the data and the database files. Works locked or unlocked.
    pub fn quick_delete(mut self) -> Result<(), StoreError> {
        self.erase()
    }

    /// Whether the vault was erased (by a wipe or a quick delete).
    pub fn is_wiped(&self) -> bool {
        self.wiped
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        // (busy, WAL frames, frames checkpointed); busy means a reader kept old pages alive.
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            return Err(StoreError::Storage(
                "the write-ahead log could not be emptied (another connection is reading)".into(),
            ));
        }
        Ok(())
    }

    fn erase(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM keyslots;
             DELETE FROM meta WHERE name IN ('store_id', 'index_key', 'state', 'key_check');
             INSERT INTO meta (name, value) VALUES ('wiped', x'01') ON CONFLICT(name) DO UPDATE SET value = x'01';
             COMMIT;",
        )?;
        self.keys = None;
        self.wiped = true;
        // Old key pages may still sit in the WAL: fold it into the database and truncate it.
        self.checkpoint()?;
        self.conn
            .execute_batch("DELETE FROM sealed; DELETE FROM blobs;")?;
        if self.has_v1_table()? {
            self.conn.execute_batch("DELETE FROM objects;")?;
        }
        self.checkpoint()?;
        self.conn.execute_batch("VACUUM;")?;
        // Some backends (the browser's OPFS pool) cannot remove a database that is still open;
        // a wiped vault keeps an empty in-memory connection, so every later call fails cleanly.
        let conn = std::mem::replace(&mut self.conn, Connection::open_in_memory()?);
        conn.close().map_err(|(_, e)| e)?;
        self.backend.destroy()
    }
}
