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

/// The environment variable that asks for the cheap test key derivation (docs/cli.md).
const TEST_KDF_VARIABLE: &str = "INDICIA_TEST_KDF";

/// Whether this binary may use the test key derivation at all: only a build with the cargo
/// feature `test-kdf` (the CLI's own tests), never `cargo build --release` or `cargo install`,
/// so a variable left set on a real machine cannot weaken a database.
const TEST_KDF_BUILT: bool = cfg!(feature = "test-kdf");

/// Which key derivation a new database gets: the decision behind [`kdf_for_new_database`],
/// apart from the environment and the build so that both kinds of build can be tested.
#[derive(Debug, PartialEq, Eq)]
enum KdfChoice {
    /// The full cost, [`KdfParams::MOBILE`].
    Full,
    /// The cheap [`KdfParams::TESTING`]: asked for, and the build allows it.
    Test,
    /// The full cost, although the test derivation was asked for: the build does not allow it.
    FullTestIgnored,
}

fn kdf_choice(test_kdf_built: bool, variable: Option<&std::ffi::OsStr>) -> KdfChoice {
    let asked = variable.is_some_and(|v| v == "1");
    match (asked, test_kdf_built) {
        (false, _) => KdfChoice::Full,
        (true, true) => KdfChoice::Test,
        (true, false) => KdfChoice::FullTestIgnored,
    }
}

/// The Argon2id cost for a new field store or receiver database: [`KdfParams::MOBILE`].
/// With `INDICIA_TEST_KDF=1` in the environment, and only in a build with the cargo feature
/// `test-kdf` (tests only; docs/cli.md), the deliberately cheap [`KdfParams::TESTING`] instead,
/// with a warning on stderr: a database made so is protected by its passphrase alone, without
/// the cost that slows down guessing. Any other build ignores the variable and says so on
/// stderr. Existing databases keep the parameters they were created with; this is the only
/// place the variable is read.
pub fn kdf_for_new_database() -> KdfParams {
    match kdf_choice(
        TEST_KDF_BUILT,
        std::env::var_os(TEST_KDF_VARIABLE).as_deref(),
    ) {
        KdfChoice::Full => KdfParams::MOBILE,
        KdfChoice::Test => {
            eprintln!(
                "indicia: warning: INDICIA_TEST_KDF=1: the new database uses the cheap test key \
                 derivation (never use this for real data)"
            );
            KdfParams::TESTING
        }
        KdfChoice::FullTestIgnored => {
            eprintln!(
                "indicia: warning: INDICIA_TEST_KDF=1 is ignored: this build has no test key \
                 derivation (cargo feature test-kdf); the new database uses the full cost"
            );
            KdfParams::MOBILE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{kdf_choice, KdfChoice};
    use std::ffi::OsStr;

    #[test]
    fn a_build_without_the_test_kdf_feature_never_uses_the_test_kdf() {
        assert_eq!(
            kdf_choice(false, Some(OsStr::new("1"))),
            KdfChoice::FullTestIgnored
        );
        assert_eq!(kdf_choice(false, None), KdfChoice::Full);
        assert_eq!(kdf_choice(false, Some(OsStr::new("0"))), KdfChoice::Full);
    }

    #[test]
    fn a_test_build_uses_the_test_kdf_only_when_asked_with_1() {
        assert_eq!(kdf_choice(true, Some(OsStr::new("1"))), KdfChoice::Test);
        assert_eq!(kdf_choice(true, None), KdfChoice::Full);
        assert_eq!(kdf_choice(true, Some(OsStr::new("yes"))), KdfChoice::Full);
    }
}
