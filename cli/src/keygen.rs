//! `indicia keygen`: an identity file in age-keygen's format.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::SystemTime;

use indicia_core::Identity;
use secrecy::ExposeSecret;

use crate::failure::Failure;

pub fn run(output: Option<&Path>) -> Result<(), Failure> {
    let identity = Identity::generate();
    let recipient = identity.recipient();
    let created = humantime::format_rfc3339_seconds(SystemTime::now());
    let text = format!(
        "# created: {created}\n# public key: {recipient}\n{}\n",
        identity.to_secret_string().expose_secret()
    );
    match output {
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::file(Path::new("<stdout>"), "write", &e)),
        Some(path) => {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(path)
                .map_err(|e| Failure::file(path, "create", &e))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| Failure::file(path, "write", &e))?;
            eprintln!("Public key: {recipient}");
            Ok(())
        }
    }
}
