//! The stable, host-visible classification of every core error.
//!
//! Each module keeps a rich error enum of its own; bindings only ever see an [`ErrorKind`] plus a
//! message. The kind names are part of the public API of every binding (JS `error.kind`,
//! Kotlin/Python exception subclasses, CLI exit codes), so they are never renamed.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::{open, seal, Armor, Classified, ErrorKind, Identity};
//!
//! let sealed = seal(b"for the unit only", &[Identity::generate().recipient()], Armor::Binary)?;
//! let err = open(&sealed, &[Identity::generate()]).unwrap_err();
//!
//! // What a host sees: the kind, its stable name and (in the CLI) its exit status.
//! assert_eq!(err.kind(), ErrorKind::WrongIdentity);
//! assert_eq!(err.kind().as_str(), "WrongIdentity");
//! assert_eq!(ErrorKind::WrongIdentity.exit_code(), 6);
//!
//! // Every public error type implements `Classified`: one generic conversion covers them all.
//! fn host_kind(error: &dyn Classified) -> &'static str {
//!     error.kind().as_str()
//! }
//! assert_eq!(host_kind(&err), "WrongIdentity");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

/// The one list of error kinds: each with its documentation and its CLI exit status. Everything
/// that names the kinds is generated from it or checked against it: [`ErrorKind`] here, the
/// uniffi `IndiciaError` (Kotlin `IndiciaException.<Kind>`, Python `IndiciaError.<Kind>`,
/// Swift), the CLI's exit codes, the TypeScript `ErrorKindName` union, and the table in
/// docs/cli.md (a CLI test compares it). Kinds are only ever added, never renamed or renumbered.
///
/// `with_error_kinds!(callback)` expands to `callback! { /// doc… Name = exit_code, … }`, so a
/// binding crate can generate its own enum from the same list.
#[macro_export]
macro_rules! with_error_kinds {
    ($callback:ident) => {
        $callback! {
            /// A recipient string is not an age X25519 recipient (`age1…`).
            MalformedRecipient = 3,
            /// An identity string or identity file holds no usable age X25519 identity (`AGE-
            /// SECRET-KEY-1…`).
            MalformedIdentity = 4,
            /// Sealing was asked for with an empty recipient list.
            NoRecipients = 5,
            /// The input is a well-formed age file, but none of the given identities can open it.
            WrongIdentity = 6,
            /// The input is not an age file, or it was altered: a header, MAC or payload chunk
            /// fails to parse or authenticate.
            CorruptInput = 7,
            /// The input ends early: inside the header, before the payload nonce, or before the
            /// final payload chunk.
            TruncatedInput = 8,
            /// The input is an age file Indicia deliberately does not open (passphrase-encrypted or
            /// plugin files, or a newer age format version).
            UnsupportedInput = 9,
            /// Reading from or writing to a host-supplied stream failed.
            Io = 1,
            /// A checklist definition is malformed (the message lists every mistake with its JSON
            /// path).
            InvalidChecklist = 10,
            /// No built-in checklist has the requested id.
            UnknownChecklist = 11,
            /// An answer does not fit its question (wrong type, unknown choice, out of range), or
            /// names a question the checklist does not have.
            InvalidAnswer = 12,
            /// There is no store at the given place.
            NoStore = 13,
            /// The store is locked; unlock it first.
            StoreLocked = 14,
            /// The PIN or passphrase is wrong (the message says how many attempts are left).
            WrongPin = 15,
            /// A new PIN or passphrase does not meet the policy: too short, or (without a device-
            /// bound secret) too easy to guess. The message says which, never the PIN.
            WeakPin = 24,
            /// The store was created with a device-bound secret: unlocking needs the host's
            /// response to its device challenge (secure hardware) as well as the PIN.
            DeviceSecretRequired = 25,
            /// The store was wiped (quick delete or too many wrong PINs); its data is gone.
            StoreWiped = 16,
            /// Stored data fails authentication: the database was altered or damaged.
            StoreTampered = 17,
            /// No such case, note or attachment.
            NotFound = 18,
            /// The operation does not fit the current state (e.g. editing a sealed case).
            InvalidState = 19,
            /// SQLite, the file system, the random generator or the platform key failed.
            StoreFailure = 20,
            /// A signature does not verify: a report package's manifest (or a receipt, or a signed
            /// checklist definition) was not signed by the key it names, or was altered after
            /// signing.
            BadSignature = 21,
            /// A selector value (phone number, e-mail, URL, handle, plate, address, workplace)
            /// cannot be normalised; the message says why without repeating the value.
            InvalidSelector = 22,
            /// A signature verifies, but its key is not trusted here: a package from a device key
            /// not on the receiver's trust list (or revoked, or listed for another organisation),
            /// or a receipt from a unit the device does not know.
            UntrustedSigner = 23,
            /// An argument the host passed is malformed or out of range: an empty PIN, KDF
            /// parameters outside their bounds, a device response that is not 32 bytes, a title,
            /// note or value over its limit. Nothing was changed.
            InvalidArgument = 26,
            /// A checklist definition's signature verifies (or it has none), but this deployment
            /// does not accept it: unsigned where signatures are required, signed by a publisher
            /// the deployment does not trust, or with a trusted key under another name.
            UntrustedChecklist = 27,
        }
    };
}

macro_rules! define_error_kind {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal,)*) => {
        /// What went wrong, as a host program needs to know it to react (the list:
        /// [`with_error_kinds!`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[doc = $doc])* $name,)*
        }

        impl ErrorKind {
            /// Every kind, in the list's order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$name),*];

            /// The stable name of this kind, as exposed to hosts (`"WrongPin"`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$name => stringify!($name),)*
                }
            }

            /// The `indicia` CLI's exit status for this kind (docs/cli.md, "Exit codes"); 2 is
            /// the argument parser's usage error and 0 success.
            pub fn exit_code(self) -> u8 {
                match self {
                    $(ErrorKind::$name => $code,)*
                }
            }
        }
    };
}

with_error_kinds!(define_error_kind);

/// An error a host sees as one [`ErrorKind`] plus its Display message, which never holds
/// personal data, answers or key material. Every public error type of the core implements it,
/// so a binding converts any of them with one generic function and cannot miss one.
pub trait Classified: std::error::Error {
    /// The host-visible kind.
    fn kind(&self) -> ErrorKind;
}

/// `classified!(Type, …)`: the trait for error types that already have an inherent `kind()`.
macro_rules! classified {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::error::Classified for $t {
            fn kind(&self) -> $crate::ErrorKind {
                <$t>::kind(self)
            }
        }
    )*};
}

classified!(
    crate::SealError,
    crate::KeyError,
    crate::checklist::LoadErrors,
    crate::checklist::CompiledError,
    crate::checklist::AnswerError,
    crate::checklist::builtin::BuiltinError,
    crate::checklist::ChecklistError,
    crate::package::PackageError,
);
#[cfg(feature = "vault")]
classified!(crate::vault::StoreError);
#[cfg(feature = "xlsform")]
classified!(crate::checklist::xlsform::XlsFormError);
#[cfg(feature = "correlate")]
classified!(crate::correlate::SelectorError);
#[cfg(feature = "receiver")]
classified!(crate::receiver::ReceiverError);

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
