//! Vault and store errors. None carries stored content: the vault only ever holds ciphertext,
//! and messages name operations, never values.

use crate::ErrorKind;

/// Why a store operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// There is no store at this place (never created, or deleted completely).
    #[error("there is no store here")]
    NoStore,
    /// A store already exists here.
    #[error("a store already exists here")]
    AlreadyExists,
    /// The store is locked: unlock it first.
    #[error("the store is locked")]
    Locked,
    /// The PIN or passphrase is wrong.
    #[error("wrong PIN{}", attempts_left.map(|n| format!(" ({n} attempts left before the store is wiped)")).unwrap_or_default())]
    WrongPin {
        /// Attempts left before wipe-after-N erases the store, if set.
        attempts_left: Option<u32>,
    },
    /// The PIN or passphrase does not meet the policy (docs/threat-model.md, "Offline
    /// guessing"): `reason` says what is missing, never the PIN.
    #[error(
        "the PIN or passphrase is {reason} (the policy asks for at least {min_length} characters)"
    )]
    WeakPin {
        /// "too short", or "too easy to guess (…)".
        reason: &'static str,
        /// The minimum length the policy asks for.
        min_length: u32,
    },
    /// The store was created with a device-bound secret: unlocking needs the host's response
    /// to the store's device challenge as well as the PIN.
    #[error("this store also needs the device-bound secret to unlock")]
    DeviceSecretRequired,
    /// The store's keys were destroyed (quick delete, or too many wrong PINs): its data can
    /// never be read again.
    #[error("the store was wiped; its data can no longer be read")]
    Wiped,
    /// A stored value fails authentication: the database was altered or damaged.
    #[error("stored data fails authentication (altered or damaged)")]
    Tampered,
    /// No such case or attachment.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// A case was asked to start on a checklist that is not built in (the id, echoed safely).
    #[error("no built-in checklist \"{0}\"")]
    UnknownChecklist(String),
    /// A case status change that is not allowed.
    #[error("a case cannot go from {from} to {to}")]
    InvalidTransition {
        /// Current status.
        from: &'static str,
        /// Requested status.
        to: &'static str,
    },
    /// An answer of a shape no checklist session can restore (`reason` says which shapes are).
    #[error("invalid answer: {0}")]
    InvalidAnswer(&'static str),
    /// Input the store refuses (empty PIN, bad KDF parameters, oversized value).
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// A value is larger than the store accepts.
    #[error("value too large")]
    TooLarge,
    /// The host's platform key (Keystore, Keychain, WebCrypto) failed.
    #[error("platform key: {0}")]
    Platform(String),
    /// The database was written by a newer version, or its bookkeeping is malformed.
    #[error("unsupported or malformed store: {0}")]
    Unsupported(&'static str),
    /// The OS random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// SQLite or the file system failed.
    #[error("storage failure: {0}")]
    Storage(String),
}

impl StoreError {
    /// The host-visible classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::NoStore => ErrorKind::NoStore,
            StoreError::Locked => ErrorKind::StoreLocked,
            StoreError::WrongPin { .. } => ErrorKind::WrongPin,
            StoreError::WeakPin { .. } => ErrorKind::WeakPin,
            StoreError::DeviceSecretRequired => ErrorKind::DeviceSecretRequired,
            StoreError::Wiped => ErrorKind::StoreWiped,
            StoreError::Tampered => ErrorKind::StoreTampered,
            StoreError::NotFound(_) => ErrorKind::NotFound,
            StoreError::InvalidAnswer(_) => ErrorKind::InvalidAnswer,
            StoreError::UnknownChecklist(_) => ErrorKind::UnknownChecklist,
            StoreError::InvalidTransition { .. } | StoreError::AlreadyExists => {
                ErrorKind::InvalidState
            }
            // An empty PIN, KDF parameters out of range or an oversized title is a bad
            // argument, not a bad answer to a checklist question.
            StoreError::InvalidInput(_) | StoreError::TooLarge => ErrorKind::InvalidArgument,
            StoreError::Platform(_)
            | StoreError::Unsupported(_)
            | StoreError::Random
            | StoreError::Storage(_) => ErrorKind::StoreFailure,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        // SQLite messages name tables and constraints, never row contents (all ciphertext).
        StoreError::Storage(e.to_string())
    }
}
