//! PINs and passphrases come from a file (mode 0600 is the caller's job) or the first line of
//! stdin, never from the command line, where other users and shell history would see them.

use std::io::{self, BufRead};
use std::path::Path;

use indicia_core::store::KdfParams;
use secrecy::SecretString;

use crate::failure::Failure;

/// The secret in `file`, or the first line of stdin; the line ending is dropped.
pub fn read_secret(file: Option<&Path>) -> Result<SecretString, Failure> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| Failure::file(path, "read", &e))?,
        None => {
            let mut line = String::new();
            io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Failure::file(Path::new("<stdin>"), "read", &e))?;
            line
        }
    };
    Ok(SecretString::from(
        text.trim_end_matches(['\n', '\r']).to_owned(),
    ))
}

/// A passphrase read at most once, when first needed: one command may need it for the identity
/// file and for the receiver database, and stdin can be read only once.
pub struct Passphrase {
    file: Option<std::path::PathBuf>,
    read: Option<SecretString>,
}

impl Passphrase {
    /// From `file`, or stdin's first line when absent.
    pub fn new(file: Option<&Path>) -> Self {
        Passphrase {
            file: file.map(Path::to_path_buf),
            read: None,
        }
    }

    /// The passphrase, read now if it was not yet.
    pub fn get(&mut self) -> Result<&SecretString, Failure> {
        if self.read.is_none() {
            self.read = Some(read_secret(self.file.as_deref())?);
        }
        self.read
            .as_ref()
            .ok_or_else(|| Failure::usage("no passphrase"))
    }
}

/// The Argon2id cost for a new field store or receiver database: [`KdfParams::MOBILE`].
/// With `INDICIA_TEST_KDF=1` in the environment (tests only; docs/cli.md) the deliberately cheap
/// [`KdfParams::TESTING`] instead, with a warning on stderr: a database made so is protected by
/// its passphrase alone, without the cost that slows down guessing. Existing databases keep the
/// parameters they were created with; this is the only place the variable is read.
pub fn kdf_for_new_database() -> KdfParams {
    if std::env::var_os("INDICIA_TEST_KDF").is_some_and(|v| v == "1") {
        eprintln!(
            "indicia: warning: INDICIA_TEST_KDF=1: the new database uses the cheap test key \
             derivation (never use this for real data)"
        );
        KdfParams::TESTING
    } else {
        KdfParams::MOBILE
    }
}
