//! `indicia package verify`: open and verify report packages with the unit's identity, one
//! line per package and never a package passed over in silence (docs/cli.md). Attachments are
//! streamed and checked, not kept; nothing is written.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use indicia_core::package::{open_package, Manifest};
use indicia_core::Identity;

use crate::cli::VerifyArgs;
use crate::failure::Failure;
use crate::sealing::read_identities;
use crate::text;

/// The files to check: each FILE, and the files directly inside each directory (sorted). A
/// directory entry that cannot be read stops the run; one that is not a file (a subdirectory,
/// a dangling link) is named on stderr, never passed over in silence.
pub(crate) fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside = Vec::new();
            for entry in std::fs::read_dir(path).map_err(|e| Failure::file(path, "list", &e))? {
                inside.push(entry.map_err(|e| Failure::file(path, "list", &e))?.path());
            }
            inside.sort();
            for entry in inside {
                if entry.is_file() {
                    files.push(entry);
                } else {
                    let _ = writeln!(
                        io::stderr(),
                        "indicia: not read: {} (not a file; directories are not descended into)",
                        text::path(&entry)
                    );
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn check(path: &Path, identities: &[Identity]) -> Result<(Manifest, String), Failure> {
    let file = File::open(path).map_err(|e| Failure::file(path, "open", &e))?;
    // finish() streams every attachment through its size and SHA-256 check.
    let manifest = open_package(BufReader::new(file), identities)?.finish()?;
    let content_hash = manifest.content_hash().map_err(Failure::from)?;
    Ok((manifest, content_hash))
}

pub fn verify(args: &VerifyArgs) -> Result<(), Failure> {
    let identities = read_identities(&args.identity, args.passphrase_file.as_deref())?;
    let (identities, json) = (identities.as_slice(), args.json);
    let files = expand(&args.paths)?;
    if files.is_empty() {
        return Err(Failure::usage("no package files given"));
    }
    let mut out = io::stdout().lock();
    let mut first_failure: Option<Failure> = None;
    let (mut verified, mut failed, mut duplicates) = (0usize, 0usize, 0usize);
    let mut seen_reports: HashMap<String, PathBuf> = HashMap::new();
    let mut seen_content: HashMap<String, PathBuf> = HashMap::new();
    for path in &files {
        let line = match check(path, identities) {
            Ok((manifest, content_hash)) => {
                let duplicate_of = seen_reports
                    .get(&manifest.report_id)
                    .map(|p| ("report id", p))
                    .or_else(|| seen_content.get(&content_hash).map(|p| ("content", p)));
                let status = match duplicate_of {
                    Some((what, other)) => {
                        duplicates += 1;
                        format!("duplicate ({what} of {})", text::path(other))
                    }
                    None => {
                        verified += 1;
                        "ok".to_owned()
                    }
                };
                seen_reports
                    .entry(manifest.report_id.clone())
                    .or_insert_with(|| path.clone());
                seen_content
                    .entry(content_hash.clone())
                    .or_insert_with(|| path.clone());
                if json {
                    text::json_line(&serde_json::json!({
                        "file": path, "status": status, "content_hash": content_hash,
                        "manifest": manifest,
                    }))
                } else {
                    format!(
                        "{status}\t{}\t{}\t{}\tdevice {}\tcontent {}\t{} attachment(s)",
                        text::path(path),
                        manifest.report_id,
                        text::cell(&manifest.organisation),
                        manifest.device.key_id,
                        content_hash,
                        manifest.attachments.len()
                    )
                }
            }
            Err(failure) => {
                failed += 1;
                let line = failure.line("file", &path.display().to_string(), json);
                first_failure.get_or_insert(failure);
                line
            }
        };
        writeln!(out, "{line}").map_err(|e| Failure::file(Path::new("<stdout>"), "write", &e))?;
    }
    let _ = writeln!(
        io::stderr(),
        "indicia: {verified} verified, {duplicates} duplicate(s), {failed} failed"
    );
    outcome(first_failure, failed, files.len())
}

/// A run over many packages ends with the first failure's kind (and exit code), saying how many
/// failed; or success if none did.
pub(crate) fn outcome(first: Option<Failure>, failed: usize, total: usize) -> Result<(), Failure> {
    match first {
        None => Ok(()),
        Some(first) => {
            let message = format!(
                "{failed} of {total} package(s) failed; the first: {}",
                first.message()
            );
            Err(first.with_message(message))
        }
    }
}
