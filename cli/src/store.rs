//! `indicia store list | show`: read a field store with its PIN (support, audits, recovery of
//! a device handed in by a worker). Read-only.

use std::io::{self, Write};
use std::path::Path;

use indicia_core::store::{FileBackend, Store};

use crate::failure::Failure;
use crate::secret::read_secret;

fn unlocked(path: &Path, pin_file: Option<&Path>) -> Result<Store, Failure> {
    let mut store = Store::open(Box::new(FileBackend::new(path)))?;
    store.unlock(&read_secret(pin_file)?)?;
    Ok(store)
}

fn out_failure(e: io::Error) -> Failure {
    Failure::file(Path::new("<stdout>"), "write", &e)
}

pub fn list(path: &Path, pin_file: Option<&Path>) -> Result<(), Failure> {
    let store = unlocked(path, pin_file)?;
    let mut out = io::stdout().lock();
    for case in store.list_cases()? {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            case.id,
            case.status.as_str(),
            case.updated,
            case.title
        )
        .map_err(out_failure)?;
    }
    Ok(())
}

pub fn show(path: &Path, case: &str, pin_file: Option<&Path>) -> Result<(), Failure> {
    let store = unlocked(path, pin_file)?;
    let record = store.case(case)?;
    let report = serde_json::json!({
        "case": record,
        "answers": store.answers(case)?,
        "notes": store.notes(case)?,
        "attachments": store.attachments(case)?,
        "custody": store.custody_log(case)?,
    });
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    writeln!(io::stdout().lock(), "{text}").map_err(out_failure)
}
