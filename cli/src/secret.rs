//! PINs and passphrases come from a file (mode 0600 is the caller's job) or the first line of
//! stdin, never from the command line, where other users and shell history would see them.

use std::io::{self, BufRead};
use std::path::Path;

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
