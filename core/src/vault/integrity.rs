//! Row-level tamper detection (docs/decisions/0004-vault-tamper-detection.md).
//!
//! Every row of the `sealed` table has a stamp: its version (the generation of the transaction
//! that last wrote it, named in the value's associated data), the AEAD nonce of that write
//! (fresh each time) and, for a value kept apart, its blob's id. The vault's state — sealed in
//! `meta` under the data key — holds the current generation, the number of live rows and the
//! XOR of one keyed tag per live row, HMAC(integrity key, table ‖ row key ‖ version ‖ nonce
//! [‖ blob id]). Writing a row swaps its old tag for its new one, so a transaction costs two
//! HMACs per row plus one sealed state.
//!
//! At unlock the vault recomputes count and digest from the table (keys and stamps only,
//! nothing decrypted, no overflow page read) and compares: a row put back to an older copy,
//! deleted, added, swapped with another, or brought in from another vault no longer matches. The attacker never sees a tag (only the sealed
//! XOR), so no set of rows other than the committed one reaches the same digest except with
//! probability 2^-256 (an XOR of independent PRF outputs of distinct inputs; the same
//! construction as the XOR-MAC of Bellare, Guérin and Rogaway, CRYPTO '95).
//!
//! Restoring every file to an older copy restores an older state that matches its rows: only a
//! counter outside the disk sees that, so the host may hand the vault a [`RollbackCounter`].

use serde::{Deserialize, Serialize};

use super::crypto::{Keys, KEY_LEN, NONCE_LEN};
use super::error::StoreError;

/// The table sealed rows live in (part of every row's associated data and tag).
pub(crate) const TABLE: &str = "sealed";

/// A monotonic counter kept outside the vault's files (hardware where the platform has one:
/// a TPM NV counter, Android's StrongBox or the iOS Secure Enclave through the host app), so
/// that restoring every file of the vault to an older copy is detected. The vault advances it
/// to its generation after each commit and, at unlock, refuses a state older than it.
pub trait RollbackCounter: Send {
    /// The counter's current value.
    fn read(&self) -> Result<u64, String>;
    /// Raises the counter to `value` (never lowers it).
    fn advance(&self, value: u64) -> Result<(), String>;
}

/// What identifies one write of a row: its version, its nonce and, for a value kept apart, the
/// id of its blob (so that a row's pointer into `blobs` is covered like the rest: changed, it
/// is `Tampered` at unlock, and it can steer no write or delete to another row's blob).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub version: u64,
    pub nonce: [u8; NONCE_LEN],
    pub blob: Option<u64>,
}

impl Stamp {
    /// From the table's `version`, `nonce` and `blob` columns; malformed ones are `Tampered`.
    pub(crate) fn from_columns(
        version: i64,
        nonce: &[u8],
        blob: Option<i64>,
    ) -> Result<Stamp, StoreError> {
        Ok(Stamp {
            version: u64::try_from(version).map_err(|_| StoreError::Tampered)?,
            nonce: nonce.try_into().map_err(|_| StoreError::Tampered)?,
            blob: blob
                .map(|id| u64::try_from(id).map_err(|_| StoreError::Tampered))
                .transpose()?,
        })
    }

    fn tag(&self, keys: &Keys, row: &[u8]) -> [u8; KEY_LEN] {
        keys.row_tag(TABLE, row, self.version, &self.nonce, self.blob)
    }
}

/// The sealed state: the integrity summary of every live row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct State {
    /// Bumped by every transaction; the version of the rows it writes.
    pub generation: u64,
    /// Live rows.
    pub count: u64,
    /// XOR of the live rows' tags.
    pub digest: [u8; KEY_LEN],
}

impl State {
    pub(crate) fn empty() -> State {
        State {
            generation: 0,
            count: 0,
            digest: [0; KEY_LEN],
        }
    }

    fn toggle(&mut self, tag: &[u8; KEY_LEN]) {
        for (d, t) in self.digest.iter_mut().zip(tag) {
            *d ^= t;
        }
    }

    /// Row `row` went from `old` (absent: `None`) to `new` (deleted: `None`).
    pub(crate) fn replace(
        &mut self,
        keys: &Keys,
        row: &[u8],
        old: Option<&Stamp>,
        new: Option<&Stamp>,
    ) -> Result<(), StoreError> {
        if old == new {
            return Ok(());
        }
        if let Some(s) = old {
            self.toggle(&s.tag(keys, row));
            self.count = self.count.checked_sub(1).ok_or(StoreError::Tampered)?;
        }
        if let Some(s) = new {
            self.toggle(&s.tag(keys, row));
            self.count += 1;
        }
        Ok(())
    }

    /// The state the rows `(key, stamp)` add up to, at `generation`.
    pub(crate) fn of_rows(
        keys: &Keys,
        generation: u64,
        rows: impl Iterator<Item = Result<(Vec<u8>, Stamp), StoreError>>,
    ) -> Result<State, StoreError> {
        let mut state = State {
            generation,
            ..State::empty()
        };
        for row in rows {
            let (key, stamp) = row?;
            if stamp.version > generation {
                // A version from the future was written by no committed transaction.
                return Err(StoreError::Tampered);
            }
            state.replace(keys, &key, None, Some(&stamp))?;
        }
        Ok(state)
    }

    /// Whether the rows summarised by `other` are the ones this state commits to.
    pub(crate) fn same_rows(&self, other: &State) -> bool {
        // Not secret-dependent timing: both sides are computed by the unlocked vault itself.
        self.count == other.count && self.digest == other.digest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::crypto::random_key;

    fn keys() -> Keys {
        Keys::new(random_key().unwrap(), random_key().unwrap())
    }

    fn stamp(version: u64, nonce: u8) -> Stamp {
        Stamp {
            version,
            nonce: [nonce; NONCE_LEN],
            blob: None,
        }
    }

    fn apart(version: u64, nonce: u8, blob: u64) -> Stamp {
        Stamp {
            blob: Some(blob),
            ..stamp(version, nonce)
        }
    }

    fn of(keys: &Keys, rows: &[(&[u8], Stamp)]) -> State {
        State::of_rows(keys, 10, rows.iter().map(|(k, s)| Ok((k.to_vec(), *s)))).unwrap()
    }

    #[test]
    fn incremental_updates_match_a_full_recount() {
        let k = keys();
        let mut s = of(&k, &[(b"a", stamp(1, 1)), (b"b", stamp(2, 2))]);
        s.replace(&k, b"a", Some(&stamp(1, 1)), Some(&stamp(5, 3)))
            .unwrap();
        s.replace(&k, b"c", None, Some(&stamp(5, 4))).unwrap();
        s.replace(&k, b"b", Some(&stamp(2, 2)), None).unwrap();
        assert!(s.same_rows(&of(&k, &[(b"a", stamp(5, 3)), (b"c", stamp(5, 4))])));
    }

    #[test]
    fn an_older_deleted_added_swapped_or_foreign_row_changes_the_summary() {
        let k = keys();
        let committed = of(&k, &[(b"a", stamp(3, 1)), (b"b", stamp(3, 2))]);
        for tampered in [
            of(&k, &[(b"a", stamp(2, 9)), (b"b", stamp(3, 2))]),
            of(&k, &[(b"b", stamp(3, 2))]),
            of(
                &k,
                &[
                    (b"a", stamp(3, 1)),
                    (b"b", stamp(3, 2)),
                    (b"c", stamp(1, 3)),
                ],
            ),
            of(&k, &[(b"a", stamp(3, 2)), (b"b", stamp(3, 1))]),
            of(&k, &[(b"a", stamp(3, 7)), (b"b", stamp(3, 2))]),
            of(&k, &[(b"c", stamp(3, 1)), (b"b", stamp(3, 2))]),
        ] {
            assert!(!committed.same_rows(&tampered), "{tampered:?}");
        }
        // A value kept apart: its blob id pointed elsewhere, dropped, or given to an inline row.
        let committed = of(&k, &[(b"a", apart(3, 1, 7)), (b"b", stamp(3, 2))]);
        for tampered in [
            of(&k, &[(b"a", apart(3, 1, 8)), (b"b", stamp(3, 2))]),
            of(&k, &[(b"a", stamp(3, 1)), (b"b", stamp(3, 2))]),
            of(&k, &[(b"a", apart(3, 1, 7)), (b"b", apart(3, 2, 7))]),
        ] {
            assert!(!committed.same_rows(&tampered), "{tampered:?}");
        }
    }

    #[test]
    fn a_version_newer_than_the_generation_is_tampering() {
        let k = keys();
        let rows = [Ok((b"a".to_vec(), stamp(11, 0)))];
        assert!(matches!(
            State::of_rows(&k, 10, rows.into_iter()),
            Err(StoreError::Tampered)
        ));
    }

    #[test]
    fn malformed_columns_are_tampering() {
        assert!(Stamp::from_columns(-1, &[0; NONCE_LEN], None).is_err());
        assert!(Stamp::from_columns(1, &[0; 23], None).is_err());
        assert!(Stamp::from_columns(1, &[0; NONCE_LEN], Some(-5)).is_err());
        assert_eq!(
            Stamp::from_columns(1, &[4; NONCE_LEN], None).unwrap(),
            stamp(1, 4)
        );
        assert_eq!(
            Stamp::from_columns(1, &[4; NONCE_LEN], Some(9)).unwrap(),
            apart(1, 4, 9)
        );
    }

    #[test]
    fn the_state_round_trips_as_json() {
        let s = of(&keys(), &[(b"a", stamp(1, 1))]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), s);
    }
}
