//! The stable, host-visible classification of every core error.
//!
//! Each module keeps a rich error enum of its own; bindings only ever see an [`ErrorKind`] plus a
//! message. The kind names are part of the public API of every binding (JS `error.kind`,
//! Kotlin/Python exception subclasses, CLI exit codes), so they are never renamed.

use std::fmt;

/// What went wrong, as a host program needs to know it to react.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A recipient string is not an age X25519 recipient (`age1…`).
    MalformedRecipient,
    /// An identity string or identity file holds no usable age X25519 identity
    /// (`AGE-SECRET-KEY-1…`).
    MalformedIdentity,
    /// Sealing was asked for with an empty recipient list.
    NoRecipients,
    /// The input is a well-formed age file, but none of the given identities can open it.
    WrongIdentity,
    /// The input is not an age file, or it was altered: a header, MAC or payload chunk fails to
    /// parse or authenticate.
    CorruptInput,
    /// The input ends early: inside the header, before the payload nonce, or before the final
    /// payload chunk.
    TruncatedInput,
    /// The input is an age file Indicia deliberately does not open (passphrase-encrypted or
    /// plugin files, or a newer age format version).
    UnsupportedInput,
    /// Reading from or writing to a host-supplied stream failed.
    Io,
    /// A checklist definition is malformed (the message lists every mistake with its JSON path).
    InvalidChecklist,
    /// No built-in checklist has the requested id.
    UnknownChecklist,
    /// An answer does not fit its question (wrong type, unknown choice, out of range), or names
    /// a question the checklist does not have.
    InvalidAnswer,
    /// There is no store at the given place.
    NoStore,
    /// The store is locked; unlock it first.
    StoreLocked,
    /// The PIN or passphrase is wrong (the message says how many attempts are left).
    WrongPin,
    /// A new PIN or passphrase does not meet the policy: too short, or (without a device-bound
    /// secret) too easy to guess. The message says which, never the PIN.
    WeakPin,
    /// The store was created with a device-bound secret: unlocking needs the host's response
    /// to its device challenge (secure hardware) as well as the PIN.
    DeviceSecretRequired,
    /// The store was wiped (quick delete or too many wrong PINs); its data is gone.
    StoreWiped,
    /// Stored data fails authentication: the database was altered or damaged.
    StoreTampered,
    /// No such case, note or attachment.
    NotFound,
    /// The operation does not fit the current state (e.g. editing a sealed case).
    InvalidState,
    /// SQLite, the file system, the random generator or the platform key failed.
    StoreFailure,
    /// A signature does not verify: a report package's manifest (or a receipt) was not signed
    /// by the key it names, or was altered after signing.
    BadSignature,
    /// A selector value (phone number, e-mail, URL, handle, plate, address, workplace) cannot be
    /// normalised; the message says why without repeating the value.
    InvalidSelector,
    /// A signature verifies, but its key is not trusted here: a package from a device key not on
    /// the receiver's trust list (or revoked, or listed for another organisation), or a receipt
    /// from a unit the device does not know.
    UntrustedSigner,
}

impl ErrorKind {
    /// The stable name of this kind, as exposed to hosts.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::MalformedRecipient => "MalformedRecipient",
            ErrorKind::MalformedIdentity => "MalformedIdentity",
            ErrorKind::NoRecipients => "NoRecipients",
            ErrorKind::WrongIdentity => "WrongIdentity",
            ErrorKind::CorruptInput => "CorruptInput",
            ErrorKind::TruncatedInput => "TruncatedInput",
            ErrorKind::UnsupportedInput => "UnsupportedInput",
            ErrorKind::Io => "Io",
            ErrorKind::InvalidChecklist => "InvalidChecklist",
            ErrorKind::UnknownChecklist => "UnknownChecklist",
            ErrorKind::InvalidAnswer => "InvalidAnswer",
            ErrorKind::NoStore => "NoStore",
            ErrorKind::StoreLocked => "StoreLocked",
            ErrorKind::WrongPin => "WrongPin",
            ErrorKind::WeakPin => "WeakPin",
            ErrorKind::DeviceSecretRequired => "DeviceSecretRequired",
            ErrorKind::StoreWiped => "StoreWiped",
            ErrorKind::StoreTampered => "StoreTampered",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::InvalidState => "InvalidState",
            ErrorKind::StoreFailure => "StoreFailure",
            ErrorKind::BadSignature => "BadSignature",
            ErrorKind::InvalidSelector => "InvalidSelector",
            ErrorKind::UntrustedSigner => "UntrustedSigner",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
