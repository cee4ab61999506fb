//! Format v1 → v2 (docs/formats/store.md, "Migration from v1"): at the first unlock of a v1
//! store, with its data key in hand, every `objects` row is opened with v1's associated data
//! and re-sealed into `sealed` at version 1 with v2's; the index key v1 derived from the data
//! key is kept (so row keys, and every client's view, stay the same); the integrity state is
//! computed; the PIN slot is re-wrapped as a v2 slot. All in one transaction: a crash leaves
//! the v1 store as it was, and the next unlock starts again.

use rusqlite::params;
use secrecy::SecretString;
use zeroize::Zeroizing;

use super::crypto::{split_nonce, Keys, RowPlace, KEY_LEN};
use super::integrity::{Stamp, State, TABLE};
use super::keyslot::{KdfParams, PinSlot};
use super::{meta_get, StoreError, Vault};

impl Vault {
    pub(super) fn upgrade_v1(
        &mut self,
        data_key: Zeroizing<[u8; KEY_LEN]>,
        pin: &SecretString,
        kdf: KdfParams,
    ) -> Result<(), StoreError> {
        let index_key = Keys::v1_index_key(&data_key);
        let keys = Keys::new(Zeroizing::new(*data_key), index_key);
        // v1's key check: the slot opened, so this only fails if the database was altered.
        let check = meta_get(&self.conn, "key_check")?.ok_or(StoreError::Tampered)?;
        let check_row = keys.row_key("key-check", &[]);
        if Keys::open_v1(&data_key, &check_row, &check)?.as_slice() != b"indicia-store/1 key check"
        {
            return Err(StoreError::Tampered);
        }
        // The PIN was accepted by v1; the policy applies to PINs set from now on.
        let slot = PinSlot::wrap(&self.store_id, pin, kdf, None, &data_key)?;
        let state = self.transaction(|| {
            let state = self.move_v1_rows(&data_key, &keys)?;
            self.write_slot(&slot)?;
            self.seal_meta(&keys, &state)?;
            self.conn
                .execute_batch("DELETE FROM meta WHERE name = 'key_check'; DROP TABLE objects;")?;
            Ok::<_, StoreError>(state)
        })?;
        *self.state.borrow_mut() = state;
        self.keys = Some(keys);
        Ok(())
    }

    fn move_v1_rows(&self, data_key: &[u8; KEY_LEN], keys: &Keys) -> Result<State, StoreError> {
        const VERSION: u64 = 1;
        let mut state = State {
            generation: VERSION,
            ..State::empty()
        };
        let mut after: Vec<u8> = Vec::new();
        loop {
            let batch: Vec<(Vec<u8>, Vec<u8>)> = self
                .conn
                .prepare("SELECT key, value FROM objects WHERE key > ?1 ORDER BY key LIMIT 16")?
                .query_map([&after], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let Some(last) = batch.last() else { break };
            after.clone_from(&last.0);
            for (key, sealed) in batch {
                let row: [u8; KEY_LEN] = key
                    .as_slice()
                    .try_into()
                    .map_err(|_| StoreError::Tampered)?;
                let plain = Keys::open_v1(data_key, &row, &sealed)?;
                let place = RowPlace {
                    store_id: &self.store_id,
                    table: TABLE,
                    row: &row,
                    version: VERSION,
                };
                let resealed = keys.seal_value(&place, &plain)?;
                let (nonce, body) = split_nonce(&resealed)?;
                self.conn.execute(
                    "INSERT INTO sealed (key, version, nonce, value) VALUES (?1, ?2, ?3, ?4)",
                    params![key, VERSION as i64, nonce.as_slice(), body],
                )?;
                let stamp = Stamp {
                    version: VERSION,
                    nonce,
                    blob: None,
                };
                state.replace(keys, &row, None, Some(&stamp))?;
            }
        }
        Ok(state)
    }
}
