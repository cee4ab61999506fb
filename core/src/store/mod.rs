//! The field store (docs/formats/store.md): a worker's cases — record, answers, notes,
//! attachments, custody log, receipts — kept in the vault (crate::vault), which seals every
//! value, checks every row for tampering and holds the keys. This module owns only the cases'
//! meaning; it never touches SQL or keys.
//!
//! # Example
//!
//! ```rust
//! # #[cfg(feature = "zxcvbn")] { // a passphrase needs an estimator
//! use indicia_core::store::{KdfParams, MemoryBackend, Protection, Store};
//! use indicia_core::ErrorKind;
//! use secrecy::SecretString;
//!
//! let pin = SecretString::from("tidal-amber-orchard".to_owned());
//! let protection = Protection::passphrase(KdfParams::TESTING); // cheap: tests only
//! let mut store = Store::create(Box::new(MemoryBackend::new()?), &pin, &protection)?;
//! let case = store.create_case("Harbour", None)?;
//! store.save_answer(&case, "debt", &serde_json::json!("yes"))?;
//! store.add_note(&case, "met at the harbour")?;
//! assert_eq!(store.answers(&case)?["debt"], "yes");
//!
//! // Locked, nothing can be read; the PIN opens it again.
//! store.lock();
//! assert_eq!(store.notes(&case).unwrap_err().kind(), ErrorKind::StoreLocked);
//! store.unlock(&pin)?;
//! assert_eq!(store.notes(&case)?[0].text, "met at the harbour");
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod attachment;
mod case;
mod checklists;
mod receipt;
mod report;

use secrecy::SecretString;

pub use crate::custody::{verify_custody, CustodyEvent};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use crate::vault::{install_opfs, opfs_files, OpfsBackend};
pub use crate::vault::{
    Backend, DeviceFactor, DeviceResponse, DeviceSecret, FileBackend, KdfParams, MemoryBackend,
    PinPolicy, PlatformKey, Protection, RollbackCounter, StoreError, StrengthEstimator, Vault,
    CHUNK_BYTES, DEVICE_SECRET_LEN, SCHEMA_VERSION, VAULT_FORMAT,
};
pub use attachment::AttachmentInfo;
pub use case::{
    CaseRecord, CaseStatus, CaseSummary, CustodyLayout, DeletedCase, Note, PendingSeal,
    ReceiptEntry, CUSTODY_SEGMENT,
};
pub use receipt::ImportedReceipt;

use crate::clock::now;

/// A worker's store: locked (only the key slots readable) or unlocked (keys in memory).
#[derive(Debug)]
pub struct Store {
    vault: Vault,
}

impl Store {
    /// Creates a new, empty store protected by `pin` as `protection` says, and leaves it
    /// unlocked. Errors: `AlreadyExists`, `WeakPin`, `InvalidInput`, `Storage`.
    pub fn create(
        backend: Box<dyn Backend>,
        pin: &SecretString,
        protection: &Protection,
    ) -> Result<Store, StoreError> {
        Ok(Store {
            vault: Vault::create(backend, pin, protection, None)?,
        })
    }

    /// Opens an existing field store, locked. A receiving unit's database is refused.
    pub fn open(backend: Box<dyn Backend>) -> Result<Store, StoreError> {
        let vault = Vault::open(backend)?;
        if vault.meta("role")?.is_some() {
            return Err(StoreError::Unsupported(
                "a receiver database, not a field store",
            ));
        }
        Ok(Store { vault })
    }

    /// Whether the keys are in memory.
    pub fn is_unlocked(&self) -> bool {
        self.vault.is_unlocked()
    }

    /// Forgets the keys (they are zeroized). Data stays, sealed.
    pub fn lock(&mut self) {
        self.vault.lock();
    }

    /// Unlocks a store made without a device-bound secret ([`Vault::unlock`]).
    pub fn unlock(&mut self, pin: &SecretString) -> Result<(), StoreError> {
        self.vault.unlock(pin, None)
    }

    /// Unlocks with the PIN and the host's response to [`Store::device_challenge`].
    pub fn unlock_with_device(
        &mut self,
        pin: &SecretString,
        response: &DeviceResponse,
    ) -> Result<(), StoreError> {
        self.vault.unlock(pin, Some(response))
    }

    /// Unlocks with the PIN and a device secret the host answers synchronously.
    pub fn unlock_with_device_secret(
        &mut self,
        pin: &SecretString,
        secret: &dyn DeviceSecret,
    ) -> Result<(), StoreError> {
        self.vault.unlock_with_device_secret(pin, secret)
    }

    /// The device challenge, if the store was made with a device-bound secret.
    pub fn device_challenge(&self) -> Result<Option<[u8; DEVICE_SECRET_LEN]>, StoreError> {
        self.vault.device_challenge()
    }

    /// Quick PIN change ([`Vault::change_pin`]).
    pub fn change_pin(
        &mut self,
        current: &SecretString,
        current_device: Option<&DeviceResponse>,
        new: &SecretString,
        protection: &Protection,
    ) -> Result<(), StoreError> {
        self.vault
            .change_pin(current, current_device, new, protection)
    }

    /// A new data key, every row re-sealed ([`Vault::rekey`]).
    pub fn rekey(
        &mut self,
        current: &SecretString,
        current_device: Option<&DeviceResponse>,
        new: &SecretString,
        protection: &Protection,
    ) -> Result<(), StoreError> {
        self.vault.rekey(current, current_device, new, protection)
    }

    /// A counter outside the store's files that reveals a whole-store rollback
    /// ([`RollbackCounter`]).
    pub fn set_rollback_counter(
        &mut self,
        counter: Box<dyn RollbackCounter>,
    ) -> Result<(), StoreError> {
        self.vault.set_rollback_counter(counter)
    }

    /// Erase the store after this many consecutive wrong PINs (`None`: never).
    pub fn set_wipe_after(&mut self, attempts: Option<u32>) -> Result<(), StoreError> {
        self.vault.set_wipe_after(attempts)
    }

    /// Consecutive failed unlocks so far.
    pub fn failed_unlocks(&self) -> Result<u32, StoreError> {
        self.vault.failed_unlocks()
    }

    /// Wrong PINs left before the store erases itself ([`Vault::attempts_left`]); `None`: no limit.
    pub fn attempts_left(&self) -> Result<Option<u32>, StoreError> {
        self.vault.attempts_left()
    }

    /// Quick delete ([`Vault::quick_delete`]): keys first, then data and files.
    pub fn quick_delete(self) -> Result<(), StoreError> {
        self.vault.quick_delete()
    }

    /// Lets the host's platform key unlock the store too.
    pub fn add_platform_key(&mut self, key: &dyn PlatformKey) -> Result<(), StoreError> {
        self.vault.add_platform_key(key)
    }

    /// Unlocks with the host's platform key.
    pub fn unlock_with_platform_key(&mut self, key: &dyn PlatformKey) -> Result<(), StoreError> {
        self.vault.unlock_with_platform_key(key)
    }

    /// The data key, for an asynchronous host to wrap ([`Vault::data_key_for_platform`]).
    pub fn data_key_for_platform(&self) -> Result<zeroize::Zeroizing<Vec<u8>>, StoreError> {
        self.vault.data_key_for_platform()
    }

    /// Stores the data key as the host's platform key wrapped it.
    pub fn set_platform_wrapped(&mut self, wrapped: &[u8]) -> Result<(), StoreError> {
        self.vault.set_platform_wrapped(wrapped)
    }

    /// The wrapped data key the host stored, if any.
    pub fn platform_wrapped(&self) -> Result<Option<Vec<u8>>, StoreError> {
        self.vault.platform_wrapped()
    }

    /// Unlocks with the data key the host's platform key unwrapped.
    pub fn unlock_with_unwrapped_key(&mut self, unwrapped: &[u8]) -> Result<(), StoreError> {
        self.vault.unlock_with_unwrapped_key(unwrapped)
    }

    /// Removes the platform key slot (the PIN still works).
    pub fn remove_platform_key(&mut self) -> Result<(), StoreError> {
        self.vault.remove_platform_key()
    }
}

// The field store's view of the vault: rows by key, transactions. Nothing else of the vault is
// reachable from the case code.
impl Store {
    fn row_key(&self, kind: &str, parts: &[&[u8]]) -> Result<[u8; 32], StoreError> {
        self.vault.row_key(kind, parts)
    }

    fn put<T: serde::Serialize>(&self, row: &[u8; 32], value: &T) -> Result<(), StoreError> {
        self.vault.put(row, value)
    }

    fn put_raw(&self, row: &[u8; 32], bytes: &[u8]) -> Result<(), StoreError> {
        self.vault.put_raw(row, bytes)
    }

    fn get<T: serde::de::DeserializeOwned>(&self, row: &[u8; 32]) -> Result<Option<T>, StoreError> {
        self.vault.get(row)
    }

    fn get_raw(&self, row: &[u8; 32]) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, StoreError> {
        self.vault.get_raw(row)
    }

    fn delete(&self, row: &[u8; 32]) -> Result<(), StoreError> {
        self.vault.delete(row)
    }

    /// Runs `f` in one vault transaction: all of its writes land, or none.
    fn atomically<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.vault.atomically(|_| f(self))
    }
}
