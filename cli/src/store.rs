//! `indicia store …`: a field store from the command line — read it with its PIN (support,
//! audits, recovery of a device handed in by a worker), or work it as a field app would
//! (create, cases, unit cards, sealing, receipts, deletion).

use std::io::{self, Write};
use std::path::Path;

use indicia_core::store::{FileBackend, Protection, Store};

use crate::failure::Failure;
use crate::secret::read_secret;
use crate::text::cell;

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
            "{}\t{}\t{}\t{}\t{}\t{}",
            case.id,
            case.status.as_str(),
            case.receipt_status.map_or("no receipt", |r| r.as_str()),
            if case.deletable {
                "deletable"
            } else {
                "kept until acknowledged"
            },
            crate::receiver::time(case.updated),
            cell(&case.title)
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

// Writing to a field store: what a field app does, scriptable for kiosks, training and the
// whole-flow demo. The PIN is read once per command.

pub fn create(path: &Path, pin_file: Option<&Path>) -> Result<(), Failure> {
    let pin = read_secret(pin_file)?;
    // The core's PIN policy decides (a WeakPin error says what is missing).
    Store::create(
        Box::new(FileBackend::new(path)),
        &pin,
        &Protection::passphrase(crate::secret::kdf_for_new_database()),
    )?;
    eprintln!("indicia: field store {} created", path.display());
    Ok(())
}

/// Re-keys the store: a new data key under the PIN in `new_file`.
pub fn rekey(path: &Path, pin_file: Option<&Path>, new_file: &Path) -> Result<(), Failure> {
    let pin = read_secret(pin_file)?;
    let mut store = Store::open(Box::new(FileBackend::new(path)))?;
    store.unlock(&pin)?;
    let new = read_secret(Some(new_file))?;
    store.rekey(
        &pin,
        None,
        &new,
        &Protection::passphrase(crate::secret::kdf_for_new_database()),
    )?;
    eprintln!("indicia: field store {} re-keyed", path.display());
    Ok(())
}

/// Starts a case; with a checklist, the answers file is checked against it as a session would
/// (every mistake refused before anything is stored), then each answer is saved.
pub fn new_case(
    path: &Path,
    pin_file: Option<&Path>,
    title: &str,
    checklist: Option<&str>,
    answers: Option<&Path>,
    notes: &[String],
) -> Result<(), Failure> {
    use indicia_core::checklist::Session;
    let answers: Option<serde_json::Value> = answers
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| Failure::file(p, "read", &e))?;
            serde_json::from_str(&text)
                .map_err(|e| Failure::usage(format!("{}: not JSON: {e}", p.display())))
        })
        .transpose()?;
    let reference = match checklist {
        Some(spec) => {
            let loaded = std::sync::Arc::new(crate::checklist::load(spec)?);
            if let Some(values) = &answers {
                Session::new(loaded.clone(), "en").restore_answers(values)?;
            }
            Some(loaded.reference().clone())
        }
        None if answers.is_some() => {
            return Err(Failure::usage("--answers needs --checklist"));
        }
        None => None,
    };
    let mut store = unlocked(path, pin_file)?;
    let id = store.create_case(title, reference)?;
    let filled = (|| {
        if let Some(serde_json::Value::Object(map)) = &answers {
            for (question, value) in map {
                store.save_answer(&id, question, value)?;
            }
        }
        for note in notes {
            store.add_note(&id, note)?;
        }
        Ok::<(), indicia_core::store::StoreError>(())
    })();
    if let Err(e) = filled {
        // No half-made case is left behind (a draft, so it may be deleted).
        let _ = store.delete_case(&id, false);
        return Err(e.into());
    }
    writeln!(io::stdout().lock(), "{id}").map_err(out_failure)
}

pub fn add_unit(path: &Path, pin_file: Option<&Path>, card: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(card).map_err(|e| Failure::file(card, "read", &e))?;
    let card = indicia_core::package::UnitCard::parse(&text)?;
    unlocked(path, pin_file)?.add_unit(&card)?;
    eprintln!(
        "indicia: receiving unit {:?} added (receipt key {})",
        card.name, card.signing_key.key_id
    );
    Ok(())
}

pub fn device_key(path: &Path, pin_file: Option<&Path>) -> Result<(), Failure> {
    let info = unlocked(path, pin_file)?.device_info()?;
    writeln!(io::stdout().lock(), "{}\t{}", info.public_key, info.key_id).map_err(out_failure)
}

#[allow(clippy::too_many_arguments)] // one per command-line option of `store seal`
pub fn seal(
    path: &Path,
    pin_file: Option<&Path>,
    case: &str,
    organisation: &str,
    recipients: &[String],
    reply_to: &[String],
    output: &Path,
    armor: bool,
) -> Result<(), Failure> {
    let mut store = unlocked(path, pin_file)?;
    let mut to: Vec<String> = recipients.to_vec();
    if to.is_empty() {
        to = store.units()?.into_iter().map(|u| u.recipient).collect();
    }
    if to.is_empty() {
        return Err(Failure::usage(
            "no recipient: add a receiving unit's card (store add-unit) or give -r age1…",
        ));
    }
    let recipients = indicia_core::parse_recipients(&to)?;
    // Two phases: the package is written, fsynced and given its name (never discarded once
    // written); only then is the case marked sealed. A failure in between leaves a draft.
    let report = crate::sealing::write_new_keeping(output, |file| {
        let (_, sealed) = store.seal_case(
            case,
            organisation,
            reply_to,
            &recipients,
            indicia_core::Armor::ascii_if(armor),
            io::BufWriter::new(file),
        )?;
        Ok(sealed)
    })?;
    store.confirm_sealed(case, &report.report_id)?;
    writeln!(
        io::stdout().lock(),
        "{}\t{}",
        report.report_id,
        output.display()
    )
    .map_err(out_failure)
}

pub fn import_receipt(path: &Path, pin_file: Option<&Path>, receipt: &Path) -> Result<(), Failure> {
    let bytes = std::fs::read(receipt).map_err(|e| Failure::file(receipt, "read", &e))?;
    let imported = unlocked(path, pin_file)?.import_receipt(&bytes)?;
    writeln!(
        io::stdout().lock(),
        "{}\t{}\t{}\t{}\t{}{}",
        imported.case_id,
        imported.case_status.as_str(),
        imported.status.as_str(),
        cell(&imported.unit_name),
        if imported.new {
            "new"
        } else {
            "already imported"
        },
        imported
            .note
            .map(|n| format!("\t{}", cell(&n)))
            .unwrap_or_default()
    )
    .map_err(out_failure)
}

pub fn delete(
    path: &Path,
    pin_file: Option<&Path>,
    case: &str,
    force: bool,
) -> Result<(), Failure> {
    let mut store = unlocked(path, pin_file)?;
    match store.delete_case(case, force) {
        Err(indicia_core::store::StoreError::InvalidTransition { from, .. }) => {
            Err(Failure::of_kind(
                indicia_core::ErrorKind::InvalidState,
                format!(
                    "the case is {from} and no receipt has arrived: the unit may not have it yet \
                     (import its receipt first, or --force)"
                ),
            ))
        }
        other => Ok(other?),
    }
}
