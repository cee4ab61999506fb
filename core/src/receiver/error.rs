//! Why a receiving unit's operation failed: its database, a package it was given, or the unit's
//! own input. Messages name the operation, never report content or key material.

use crate::package::PackageError;
use crate::vault::StoreError;
use crate::ErrorKind;

/// Why a receiver operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiverError {
    /// A package (or the receipt being sealed for one) failed: its own kind — wrong identity,
    /// corrupt, bad signature, and so on.
    #[error(transparent)]
    Package(#[from] PackageError),
    /// The receiver database failed, or its passphrase is wrong.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The package's signature verifies but its device key is not trusted here: unknown,
    /// revoked, or listed for another organisation.
    #[error("untrusted signer: {0}")]
    UntrustedSigner(&'static str),
    /// The input conflicts with what the receiver already holds (a report id seen with other
    /// content, a trust entry for a key listed otherwise).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Input the receiver refuses: an empty or overlong unit name, a malformed trust entry,
    /// an ambiguous report id prefix, a full trust list.
    #[error("invalid input: {0}")]
    InvalidInput(&'static str),
    /// The database is not a receiver database, or of a newer version.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// Reading a package file or writing an export failed.
    #[error("i/o error: {0:?}")]
    Io(std::io::ErrorKind),
}

impl ReceiverError {
    /// The host-visible classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ReceiverError::Package(e) => e.kind(),
            ReceiverError::Store(e) => e.kind(),
            ReceiverError::UntrustedSigner(_) => ErrorKind::UntrustedSigner,
            ReceiverError::Conflict(_) | ReceiverError::InvalidInput(_) => ErrorKind::InvalidState,
            ReceiverError::Unsupported(_) => ErrorKind::UnsupportedInput,
            ReceiverError::Io(_) => ErrorKind::Io,
        }
    }
}

impl From<crate::sealing::SealError> for ReceiverError {
    fn from(e: crate::sealing::SealError) -> Self {
        ReceiverError::Package(e.into())
    }
}
