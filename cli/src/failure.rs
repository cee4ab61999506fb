//! How a failed command is reported: one line on stderr and an exit code per error kind, so
//! scripts can tell a wrong key from a damaged file. The codes are documented in docs/cli.md.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use indicia_core::ErrorKind;

/// A command failure: an error kind (or a plain I/O failure) and a message fit to show.
#[derive(Debug)]
pub struct Failure {
    kind: Option<ErrorKind>,
    message: String,
}

impl Failure {
    /// A failure reading or writing a named file. The OS error is kept, not the file content.
    pub fn file(path: &Path, action: &str, error: &std::io::Error) -> Self {
        Failure {
            kind: None,
            message: format!("cannot {action} {}: {error}", path.display()),
        }
    }

    /// A usage mistake the argument parser cannot see.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            kind: None,
            message: message.into(),
        }
    }

    /// A failure of a known kind.
    pub fn of_kind(kind: ErrorKind, message: String) -> Self {
        Failure {
            kind: Some(kind),
            message,
        }
    }

    /// The kind's stable name, or `Io` for a plain file failure.
    pub fn kind_name(&self) -> &'static str {
        self.kind.map_or("Io", ErrorKind::as_str)
    }

    /// The message (never file content or key material).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same kind (and exit code) with another message.
    pub fn with_message(self, message: String) -> Self {
        Failure {
            kind: self.kind,
            message,
        }
    }

    fn exit_code(&self) -> u8 {
        match self.kind {
            None | Some(ErrorKind::Io) => 1,
            Some(ErrorKind::MalformedRecipient) => 3,
            Some(ErrorKind::MalformedIdentity) => 4,
            Some(ErrorKind::NoRecipients) => 5,
            Some(ErrorKind::WrongIdentity) => 6,
            Some(ErrorKind::CorruptInput) => 7,
            Some(ErrorKind::TruncatedInput) => 8,
            Some(ErrorKind::UnsupportedInput) => 9,
            Some(ErrorKind::InvalidChecklist) => 10,
            Some(ErrorKind::UnknownChecklist) => 11,
            Some(ErrorKind::InvalidAnswer) => 12,
            Some(ErrorKind::NoStore) => 13,
            Some(ErrorKind::StoreLocked) => 14,
            Some(ErrorKind::WrongPin) => 15,
            Some(ErrorKind::StoreWiped) => 16,
            Some(ErrorKind::StoreTampered) => 17,
            Some(ErrorKind::NotFound) => 18,
            Some(ErrorKind::InvalidState) => 19,
            Some(ErrorKind::StoreFailure) => 20,
            Some(ErrorKind::BadSignature) => 21,
            Some(ErrorKind::InvalidSelector) => 22,
            Some(ErrorKind::UntrustedSigner) => 23,
            Some(ErrorKind::WeakPin) => 24,
            Some(ErrorKind::DeviceSecretRequired) => 25,
        }
    }

    /// Prints `indicia: error[<Kind>]: <message>` and returns the exit code.
    pub fn report(self) -> std::process::ExitCode {
        let label = self.kind.map(|k| format!("[{k}]")).unwrap_or_default();
        // Nothing useful is left to do if stderr itself is gone.
        let _ = writeln!(std::io::stderr(), "indicia: error{label}: {}", self.message);
        ExitCode::from(self.exit_code())
    }
}

/// Every core error converts the same way: its kind picks the exit code, its Display the message.
macro_rules! from_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure { kind: Some(e.kind()), message: e.to_string() }
            }
        }
    )*};
}

from_core_error!(
    indicia_core::SealError,
    indicia_core::KeyError,
    indicia_core::checklist::LoadErrors,
    indicia_core::checklist::AnswerError,
    indicia_core::checklist::builtin::BuiltinError,
    indicia_core::store::StoreError
);
