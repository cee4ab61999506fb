//! `indicia seal` and `indicia open`: streaming age files between files and stdio.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::Path;

use indicia_core::{Armor, Identity};
use secrecy::SecretString;

use crate::cli::{OpenArgs, SealArgs};
use crate::failure::Failure;

fn input(file: Option<&Path>) -> Result<Box<dyn Read>, Failure> {
    match file {
        None => Ok(Box::new(io::stdin().lock())),
        Some(path) if path == Path::new("-") => Ok(Box::new(io::stdin().lock())),
        Some(path) => {
            let f = File::open(path).map_err(|e| Failure::file(path, "open", &e))?;
            Ok(Box::new(f))
        }
    }
}

pub fn seal(args: &SealArgs) -> Result<(), Failure> {
    let recipients = indicia_core::parse_recipients(&args.recipients)?;
    let armor = Armor::ascii_if(args.armor);
    let reader = input(args.file.as_deref())?;
    match args.output.as_deref() {
        None => {
            let stdout = io::stdout();
            if armor == Armor::Binary && stdout.is_terminal() {
                return Err(Failure::usage(
                    "refusing to write a binary age file to a terminal; use --armor or --output",
                ));
            }
            let writer = indicia_core::seal_stream(
                reader,
                BufWriter::new(stdout.lock()),
                &recipients,
                armor,
            )?;
            finish(writer, Path::new("<stdout>"))
        }
        Some(path) => write_atomically(path, |out| {
            let writer =
                indicia_core::seal_stream(reader, BufWriter::new(out), &recipients, armor)?;
            finish(writer, path)
        }),
    }
}

/// Every identity in the given identity files: age-keygen's format, or such a file protected
/// by a passphrase (`indicia keygen --passphrase`, `age -p`), which is then read from
/// `passphrase_file` or the first line of stdin (asked once for all protected files).
pub fn read_identities(
    identity_files: &[std::path::PathBuf],
    passphrase_file: Option<&Path>,
) -> Result<Vec<Identity>, Failure> {
    let tried = match passphrase_file {
        Some(file) => format!("the passphrase in {}", file.display()),
        None => "the passphrase from stdin".to_owned(),
    };
    read_identities_with(
        identity_files,
        &mut crate::secret::Passphrase::new(passphrase_file),
        &tried,
    )
}

/// [`read_identities`] with a passphrase the caller may need again (read once); `tried` names
/// it in the error a wrong one gives.
pub fn read_identities_with(
    identity_files: &[std::path::PathBuf],
    passphrase: &mut crate::secret::Passphrase,
    tried: &str,
) -> Result<Vec<Identity>, Failure> {
    let mut identities: Vec<Identity> = Vec::new();
    for path in identity_files {
        let bytes = zeroize::Zeroizing::new(
            std::fs::read(path).map_err(|e| Failure::file(path, "read", &e))?,
        );
        let text = if indicia_core::is_age_file(&bytes) {
            indicia_core::open_with_passphrase(&bytes, passphrase.get()?).map_err(|e| match e {
                indicia_core::SealError::WrongPassphrase => Failure::from(e).with_message(format!(
                    "wrong passphrase for the identity file {} (tried {tried})",
                    path.display()
                )),
                other => Failure::from(other),
            })?
        } else {
            SecretString::from(String::from_utf8_lossy(&bytes).into_owned())
        };
        identities.extend(indicia_core::parse_identities(&text)?);
    }
    Ok(identities)
}

pub fn open(args: &OpenArgs) -> Result<(), Failure> {
    let identities = read_identities(&args.identity, args.passphrase_file.as_deref())?;
    let reader = BufReader::new(input(args.file.as_deref())?);
    match args.output.as_deref() {
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            indicia_core::open_stream(reader, &mut out, &identities)?;
            finish(out, Path::new("<stdout>"))
        }
        Some(path) => write_atomically(path, |out| {
            let mut out = BufWriter::new(out);
            indicia_core::open_stream(reader, &mut out, &identities)?;
            finish(out, path)
        }),
    }
}

fn finish<W: Write>(mut writer: W, path: &Path) -> Result<(), Failure> {
    writer.flush().map_err(|e| Failure::file(path, "write", &e))
}

/// Writes through a temporary file beside `path` and renames it into place only on success, so a
/// failed seal or open never leaves a partial file under the requested name.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| Failure::file(dir, "create a file in", &e))?;
    write(temp.as_file_mut())?;
    temp.as_file()
        .sync_all()
        .map_err(|e| Failure::file(path, "write", &e))?;
    temp.persist_noclobber(path)
        .map_err(|e| Failure::file(path, "create", &e.error))?;
    Ok(())
}

/// Like [`write_atomically`], for output whose writing also changes a database (a case marked
/// sealed, a receipt recorded as issued): `path` must not exist before anything is done, and
/// once `write` has succeeded the output is never thrown away — if it cannot take its name
/// after all (another process created the file meanwhile), it stays under the temporary name,
/// which the error gives.
pub(crate) fn write_new_keeping<T>(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<T, Failure>,
) -> Result<T, Failure> {
    if path.exists() {
        return Err(Failure::usage(format!(
            "{} exists; it is never overwritten",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| Failure::file(dir, "create a file in", &e))?;
    let value = write(temp.as_file_mut())?;
    let synced = temp.as_file().sync_all();
    match temp.persist_noclobber(path) {
        Ok(_) => synced
            .map(|()| value)
            .map_err(|e| Failure::file(path, "write", &e)),
        Err(e) => {
            let error = e.error;
            let kept = match e.file.keep() {
                Ok((_, kept)) => format!("the output was kept as {}", kept.display()),
                Err(_) => "the output could not be kept".to_owned(),
            };
            Err(Failure::file(path, "create", &error)
                .with_message(format!("cannot create {}: {error}; {kept}", path.display())))
        }
    }
}
