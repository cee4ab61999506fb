//! Changing what protects the vault: a quick PIN change (the data key is re-wrapped), a full
//! re-key (a new data key; every row re-sealed), and the host's platform-key slot.

use rusqlite::params;
use secrecy::SecretString;
use zeroize::Zeroizing;

use super::crypto::{self, split_nonce, Keys, RowPlace, KEY_LEN};
use super::integrity::{Stamp, State, TABLE};
use super::keyslot::{to_key, DeviceResponse, PlatformKey};
use super::{Protection, StoreError, Vault};

/// One row as stored: key, version, nonce, inline value, blob id, the blob's value.
type SealedRow = (Vec<u8>, i64, Vec<u8>, Vec<u8>, Option<i64>, Option<Vec<u8>>);

/// Rows re-sealed per step of a re-key: bounds its memory (at most this many 64 KiB chunks).
const REKEY_BATCH: usize = 16;

impl Vault {
    /// Checks the current PIN (and device response) against the PIN slot without counting a
    /// failed unlock: the vault is already unlocked.
    fn check_current(
        &self,
        current: &SecretString,
        device: Option<&DeviceResponse>,
    ) -> Result<(), StoreError> {
        self.keys()?;
        match self.pin_slot()?.unwrap(&self.store_id, current, device)? {
            Some(_) => Ok(()),
            None => Err(StoreError::WrongPin {
                attempts_left: None,
            }),
        }
    }

    /// Quick PIN change: re-wraps the same data key under `new` as `protection` says (which
    /// may add or drop the device factor). Fast, but an old copy of the slot still opens the
    /// vault with the old PIN: [`Vault::rekey`] closes that. Errors: `WrongPin`, `WeakPin`,
    /// `DeviceSecretRequired`.
    pub fn change_pin(
        &mut self,
        current: &SecretString,
        current_device: Option<&DeviceResponse>,
        new: &SecretString,
        protection: &Protection,
    ) -> Result<(), StoreError> {
        self.check_current(current, current_device)?;
        let slot = protection.slot(&self.store_id, new, self.keys()?.data_key())?;
        self.write_slot(&slot)
    }

    /// Re-key: a new random data key, wrapped under `new` as `protection` says; every row and
    /// chunk re-sealed under it, streaming (`REKEY_BATCH` rows at a time, so memory does not
    /// grow with the vault). One SQLite transaction: a crash at any moment leaves the vault
    /// under the old key or the new one, never between. The platform-key slot (which wraps the
    /// old data key) is removed; the host adds it again. Row keys do not change (the index key
    /// is kept). Errors: `WrongPin`, `WeakPin`, `DeviceSecretRequired`, `Tampered`, `Storage`.
    pub fn rekey(
        &mut self,
        current: &SecretString,
        current_device: Option<&DeviceResponse>,
        new: &SecretString,
        protection: &Protection,
    ) -> Result<(), StoreError> {
        self.check_current(current, current_device)?;
        let old = self.keys()?;
        let new_keys = Keys::new(crypto::random_key()?, Zeroizing::new(*old.index_key()));
        let slot = protection.slot(&self.store_id, new, new_keys.data_key())?;
        let state = self.transaction(|| {
            let state = self.reseal_all(old, &new_keys)?;
            self.write_slot(&slot)?;
            self.conn
                .execute("DELETE FROM keyslots WHERE kind = 'platform'", [])?;
            self.seal_meta(&new_keys, &state)?;
            Ok::<_, StoreError>(state)
        })?;
        let generation = state.generation;
        *self.state.borrow_mut() = state;
        self.keys = Some(new_keys);
        self.advance_counter(generation)?;
        // Old ciphertext pages may still sit in the WAL: fold them in (best effort: a reader
        // in another connection can hold them until it ends; they are sealed either way).
        let _ = self.checkpoint();
        Ok(())
    }

    /// Re-seals every row under `new`, in key order, a batch at a time; returns the new state
    /// (one generation on, every row at that version).
    fn reseal_all(&self, old: &Keys, new: &Keys) -> Result<State, StoreError> {
        let current = self.read_state(old)?;
        let generation = current.generation + 1;
        let mut state = State {
            generation,
            ..State::empty()
        };
        let mut seen = State {
            generation: current.generation,
            ..State::empty()
        };
        let mut after: Vec<u8> = Vec::new();
        loop {
            let batch: Vec<SealedRow> = self
                .conn
                .prepare_cached(
                    "SELECT s.key, s.version, s.nonce, s.value, s.blob, b.value FROM sealed s LEFT JOIN blobs b ON b.id = s.blob WHERE s.key > ?1 ORDER BY s.key LIMIT ?2",
                )?
                .query_map(params![after, REKEY_BATCH as i64], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                })?
                .collect::<Result<_, _>>()?;
            let Some(last) = batch.last() else { break };
            after.clone_from(&last.0);
            for (key, version, nonce, inline, blob, apart) in batch {
                let row: [u8; KEY_LEN] = key
                    .as_slice()
                    .try_into()
                    .map_err(|_| StoreError::Tampered)?;
                let stamp = Stamp::from_columns(version, &nonce, blob)?;
                let body = super::rows::ciphertext(inline, blob, apart)?;
                let place = |version| RowPlace {
                    store_id: &self.store_id,
                    table: TABLE,
                    row: &row,
                    version,
                };
                let plain = old.open_value(&place(stamp.version), &[nonce, body].concat())?;
                let resealed = new.seal_value(&place(generation), &plain)?;
                let (new_nonce, new_body) = split_nonce(&resealed)?;
                // A value kept apart is appended again under a new id, in key order (random),
                // and its old blob deleted: the order of writing that ids showed is gone.
                let (inline, new_blob): (&[u8], Option<u64>) = match stamp.blob {
                    Some(old_id) => {
                        let id = self.next_blob_id(generation)?;
                        self.insert_blob(id, new_body)?;
                        self.delete_blob(old_id)?;
                        (&[], Some(id))
                    }
                    None => (new_body, None),
                };
                self.conn
                    .prepare_cached(
                        "UPDATE sealed SET version = ?2, nonce = ?3, value = ?4, blob = ?5 WHERE key = ?1",
                    )?
                    .execute(params![
                        key,
                        generation as i64,
                        new_nonce.as_slice(),
                        inline,
                        new_blob.map(|id| id as i64)
                    ])?;
                seen.replace(old, &row, None, Some(&stamp))?;
                let new_stamp = Stamp {
                    version: generation,
                    nonce: new_nonce,
                    blob: new_blob,
                };
                state.replace(new, &row, None, Some(&new_stamp))?;
            }
        }
        // The rows re-sealed must be the rows the old state committed to.
        if !seen.same_rows(&current) {
            return Err(StoreError::Tampered);
        }
        Ok(state)
    }

    /// Lets the host's platform key unlock the vault too (a parallel way in; see
    /// [`PlatformKey`]).
    pub fn add_platform_key(&mut self, key: &dyn PlatformKey) -> Result<(), StoreError> {
        let data_key = self.data_key_for_platform()?;
        let wrapped = key
            .wrap(data_key.as_slice())
            .map_err(StoreError::Platform)?;
        self.set_platform_wrapped(&wrapped)
    }

    /// Unlocks with the host's platform key, if one was added.
    pub fn unlock_with_platform_key(&mut self, key: &dyn PlatformKey) -> Result<(), StoreError> {
        let wrapped = self
            .platform_wrapped()?
            .ok_or(StoreError::InvalidInput("no platform key was added"))?;
        let bytes = Zeroizing::new(key.unwrap(&wrapped).map_err(StoreError::Platform)?);
        self.unlock_with_unwrapped_key(&bytes)
    }

    // The steps below are the platform-key protocol for hosts whose key API is asynchronous
    // (WebCrypto): the host wraps and unwraps between calls.

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
    /// the vault is a `Platform` error and does not count as a wrong PIN; a v1 store must be
    /// unlocked once with its PIN first (its migration needs it).
    pub fn unlock_with_unwrapped_key(&mut self, unwrapped: &[u8]) -> Result<(), StoreError> {
        self.live()?;
        super::check_schema(&self.conn)?;
        if self.pin_slot()?.format == 1 {
            return Err(StoreError::InvalidInput(
                "unlock this store once with its PIN: it must be upgraded first",
            ));
        }
        let data_key = to_key(unwrapped)
            .ok_or_else(|| StoreError::Platform("unwrapped key has the wrong length".into()))?;
        // A key that does not open the sealed index key is the platform's mistake, not
        // tampering.
        let index = self.open_index_key(&data_key)?.ok_or_else(|| {
            StoreError::Platform("the platform key does not open this store".into())
        })?;
        self.accept_keys(Keys::new(data_key, index))?;
        // The worker proved who they are: wrong PINs before this are no longer consecutive.
        super::meta_set(&self.conn, "failed_unlocks", &0u32.to_le_bytes())?;
        Ok(())
    }

    /// Removes the platform key slot (the PIN still works).
    pub fn remove_platform_key(&mut self) -> Result<(), StoreError> {
        self.keys()?;
        self.conn
            .execute("DELETE FROM keyslots WHERE kind = 'platform'", [])?;
        Ok(())
    }
}
