//! How a failed command is reported: one line on stderr and an exit code per error kind, so
//! scripts can tell a wrong key from a damaged file. The codes are documented in docs/cli.md.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use indicia_core::{Classified, ErrorKind};

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

    /// A core error: its kind and its message.
    pub fn classified(e: &impl Classified) -> Self {
        Failure::of_kind(e.kind(), e.to_string())
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

    /// The line a command that reports each input on a line of its own prints for a failed
    /// one: `FAILED<TAB>subject<TAB>Kind: reason`, or with `json` the object
    /// `{key: subject, "status": "failed", "kind", "reason"}`. Both are safe for a terminal
    /// (cli/src/text.rs), whatever the subject (a file name, a report id as typed) holds.
    pub fn line(&self, key: &str, subject: &str, json: bool) -> String {
        if json {
            let mut object = serde_json::Map::new();
            object.insert(key.to_owned(), subject.into());
            object.insert("status".to_owned(), "failed".into());
            object.insert("kind".to_owned(), self.kind_name().into());
            object.insert("reason".to_owned(), self.message.as_str().into());
            crate::text::json_line(&object)
        } else {
            format!(
                "FAILED\t{}\t{}: {}",
                crate::text::cell(subject),
                self.kind_name(),
                crate::text::cell(&self.message)
            )
        }
    }

    /// The kind's exit status from the core's one list (`ErrorKind::exit_code`); 1 for a plain
    /// file failure.
    fn exit_code(&self) -> u8 {
        self.kind.map_or(1, ErrorKind::exit_code)
    }

    /// Prints `indicia: error[<Kind>]: <message>` and returns the exit code.
    pub fn report(self) -> std::process::ExitCode {
        let label = self.kind.map(|k| format!("[{k}]")).unwrap_or_default();
        // Nothing useful is left to do if stderr itself is gone.
        // Messages can carry file names from an inbox: no escape sequence reaches the terminal.
        let message = crate::text::cell(&self.message);
        let _ = writeln!(std::io::stderr(), "indicia: error{label}: {message}");
        ExitCode::from(self.exit_code())
    }
}

/// Every core error converts the same way: its kind picks the exit code, its Display the message.
/// (A blanket impl over `Classified` would collide with the `From<io::Error>`-style impls.)
macro_rules! from_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure::classified(&e)
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
    indicia_core::checklist::xlsform::XlsFormError,
    indicia_core::checklist::ChecklistError,
    indicia_core::store::StoreError,
    indicia_core::package::PackageError,
    indicia_core::receiver::ReceiverError
);
