//! `indicia keygen`: an identity file in age-keygen's format.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use indicia_core::Identity;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use crate::cli::KeygenArgs;
use crate::failure::Failure;
use crate::secret::read_secret;

pub fn run(args: &KeygenArgs) -> Result<(), Failure> {
    let identity = Identity::generate();
    let recipient = identity.recipient();
    let created = humantime::format_rfc3339_seconds(SystemTime::now());
    let text = format!(
        "# created: {created}\n# public key: {recipient}\n{}\n",
        identity.to_secret_string().expose_secret()
    );
    let text = SecretString::from(text);
    let bytes: Zeroizing<Vec<u8>> = if args.passphrase {
        let phrase = read_secret(args.passphrase_file.as_deref())?;
        if phrase.expose_secret().chars().count() < 8 {
            return Err(Failure::usage(
                "the passphrase must have at least 8 characters",
            ));
        }
        Zeroizing::new(indicia_core::protect_with_passphrase(&text, &phrase)?)
    } else {
        Zeroizing::new(text.expose_secret().as_bytes().to_vec())
    };
    match args.output.as_deref() {
        None => std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| Failure::file(Path::new("<stdout>"), "write", &e)),
        Some(path) => {
            write_secret_file(path, &bytes)?;
            eprintln!("Public key: {recipient}");
            Ok(())
        }
    }
}

/// Creates `path` (never overwriting one) with mode 0600 and writes a secret key file to it.
pub fn write_secret_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| Failure::file(path, "create", &e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::file(path, "write", &e))
}
