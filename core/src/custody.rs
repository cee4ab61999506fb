//! The custody log: append-only, hash-chained events (created, edited, assessed, sealed,
//! exported, acknowledged) that travel inside a report package (docs/formats/package.md). A
//! leaf module: the field store writes logs, packages carry them, the receiver checks them.
//!
//! # Example
//!
//! ```rust
//! # #[cfg(all(feature = "store", feature = "zxcvbn"))] { // a passphrase needs an estimator
//! use indicia_core::custody::verify_custody;
//! use indicia_core::store::{KdfParams, MemoryBackend, Protection, Store};
//! use secrecy::SecretString;
//!
//! let pin = SecretString::from("tidal-amber-orchard".to_owned());
//! let protection = Protection::passphrase(KdfParams::TESTING);
//! let mut store = Store::create(Box::new(MemoryBackend::new()?), &pin, &protection)?;
//! let case = store.create_case("Harbour", None)?;
//! store.add_note(&case, "met at the harbour")?;
//!
//! let mut log = store.custody_log(&case)?;
//! assert_eq!(log[0].event, "created");
//! assert!(verify_custody(&log));
//! // Altering any entry breaks the chain.
//! log[1].at += 60;
//! assert!(!verify_custody(&log));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One entry of a case's custody log. Each entry's hash covers the previous entry's hash, so a
/// removed, reordered or altered entry breaks the chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CustodyEvent {
    /// 0, 1, 2, …
    pub seq: u64,
    /// created, answer_saved, answer_cleared, note_added, status_changed.
    pub event: String,
    /// A short, non-personal detail (a question id, a status), never content.
    pub detail: String,
    /// Unix seconds.
    pub at: i64,
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    pub prev: String,
    /// Hex SHA-256 over prev ‖ seq ‖ event ‖ detail ‖ at.
    pub hash: String,
}

pub(crate) fn event_hash(prev: &str, seq: u64, event: &str, detail: &str, at: i64) -> String {
    let mut h = Sha256::new();
    for part in [
        prev.as_bytes(),
        &seq.to_be_bytes(),
        event.as_bytes(),
        detail.as_bytes(),
        &at.to_be_bytes(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    crate::hex::encode(&h.finalize())
}

/// Checks a custody log's chain from the first entry.
pub fn verify_custody(log: &[CustodyEvent]) -> bool {
    let mut prev = "0".repeat(64);
    log.iter().enumerate().all(|(i, e)| {
        let ok = e.seq == i as u64
            && e.prev == prev
            && e.hash == event_hash(&e.prev, e.seq, &e.event, &e.detail, e.at);
        prev.clone_from(&e.hash);
        ok
    })
}
