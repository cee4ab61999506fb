//! Row-level tamper detection (docs/decisions/0004-vault-tamper-detection.md).
//!
//! Every row of the `sealed` table has a version: the generation of the transaction that last
//! wrote it, named in the value's associated data. The vault's state — sealed in `meta` under
//! the data key — holds the current generation, the number of live rows and the XOR of one
//! keyed tag per live row, HMAC(integrity key, table ‖ row key ‖ version). Writing a row swaps
//! its old tag for its new one, so a transaction costs two HMACs per row plus one sealed state.
//!
//! At unlock the vault recomputes count and digest from the table (keys and versions only,
//! nothing decrypted) and compares: a row put back at an older version, deleted, added, or
//! moved to another row key no longer matches. The attacker never sees a tag (only the sealed
//! XOR), so no set of rows other than the committed one reaches the same digest except with
//! probability 2^-256 (an XOR of independent PRF outputs of distinct inputs; the same
//! construction as the XOR-MAC of Bellare, Guérin and Rogaway, CRYPTO '95).
//!
//! Restoring every file to an older copy restores an older state that matches its rows: only a
//! counter outside the disk sees that, so the host may hand the vault a [`RollbackCounter`].

use serde::{Deserialize, Serialize};

use super::crypto::{Keys, KEY_LEN};
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
        old: Option<u64>,
        new: Option<u64>,
    ) -> Result<(), StoreError> {
        if old == new {
            return Ok(());
        }
        if let Some(v) = old {
            self.toggle(&keys.row_tag(TABLE, row, v));
            self.count = self.count.checked_sub(1).ok_or(StoreError::Tampered)?;
        }
        if let Some(v) = new {
            self.toggle(&keys.row_tag(TABLE, row, v));
            self.count += 1;
        }
        Ok(())
    }

    /// The state the rows `(key, version)` add up to, at `generation`.
    pub(crate) fn of_rows(
        keys: &Keys,
        generation: u64,
        rows: impl Iterator<Item = Result<(Vec<u8>, u64), StoreError>>,
    ) -> Result<State, StoreError> {
        let mut state = State {
            generation,
            ..State::empty()
        };
        for row in rows {
            let (key, version) = row?;
            if version > generation {
                // A version from the future was written by no committed transaction.
                return Err(StoreError::Tampered);
            }
            state.replace(keys, &key, None, Some(version))?;
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

    fn of(keys: &Keys, rows: &[(&[u8], u64)]) -> State {
        State::of_rows(keys, 10, rows.iter().map(|(k, v)| Ok((k.to_vec(), *v)))).unwrap()
    }

    #[test]
    fn incremental_updates_match_a_full_recount() {
        let k = keys();
        let mut s = of(&k, &[(b"a", 1), (b"b", 2)]);
        s.replace(&k, b"a", Some(1), Some(5)).unwrap();
        s.replace(&k, b"c", None, Some(5)).unwrap();
        s.replace(&k, b"b", Some(2), None).unwrap();
        assert!(s.same_rows(&of(&k, &[(b"a", 5), (b"c", 5)])));
    }

    #[test]
    fn an_older_deleted_added_or_moved_row_changes_the_summary() {
        let k = keys();
        let committed = of(&k, &[(b"a", 3), (b"b", 4)]);
        for tampered in [
            of(&k, &[(b"a", 2), (b"b", 4)]),
            of(&k, &[(b"b", 4)]),
            of(&k, &[(b"a", 3), (b"b", 4), (b"c", 1)]),
            of(&k, &[(b"a", 4), (b"b", 3)]),
            of(&k, &[(b"c", 3), (b"b", 4)]),
        ] {
            assert!(!committed.same_rows(&tampered), "{tampered:?}");
        }
    }

    #[test]
    fn a_version_newer_than_the_generation_is_tampering() {
        let k = keys();
        let rows = [Ok((b"a".to_vec(), 11))];
        assert!(matches!(
            State::of_rows(&k, 10, rows.into_iter()),
            Err(StoreError::Tampered)
        ));
    }

    #[test]
    fn the_state_round_trips_as_json() {
        let s = of(&keys(), &[(b"a", 1)]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), s);
    }
}
