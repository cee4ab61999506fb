//! `indicia store …`: a field store from the command line — read it with its PIN (support,
//! audits, recovery of a device handed in by a worker), or work it as a field app would
//! (create, cases, unit cards, sealing, receipts, deletion).

use std::io::{self, Write};
use std::path::Path;

use indicia_core::store::{FileBackend, Protection, Store};

use crate::cli::{
    AddUnitArgs, DeleteArgs, ImportReceiptArgs, NewCaseArgs, RemoveUnitArgs, StoreArgs,
    StoreChecklistTrustArgs, StoreRekeyArgs, StoreSealArgs, StoreShowArgs,
};
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

pub fn list(args: &StoreArgs) -> Result<(), Failure> {
    let store = unlocked(&args.store, args.pin_file.as_deref())?;
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

pub fn show(args: &StoreShowArgs) -> Result<(), Failure> {
    let case = args.case.as_str();
    let store = unlocked(&args.store, args.pin_file.as_deref())?;
    let record = store.case(case)?;
    let report = serde_json::json!({
        "case": record,
        "answers": store.answers(case)?,
        "notes": store.notes(case)?,
        "attachments": store.attachments(case)?,
        "custody": store.custody_log(case)?,
    });
    let text = crate::text::json_pretty(&report);
    writeln!(io::stdout().lock(), "{text}").map_err(out_failure)
}

// Writing to a field store: what a field app does, scriptable for kiosks, training and the
// whole-flow demo. The PIN is read once per command.

pub fn create(args: &StoreArgs) -> Result<(), Failure> {
    let path = &args.store;
    let pin = read_secret(args.pin_file.as_deref())?;
    // The core's PIN policy decides (a WeakPin error says what is missing).
    Store::create(
        Box::new(FileBackend::new(path)),
        &pin,
        &Protection::passphrase(crate::secret::kdf_for_new_database()),
    )?;
    eprintln!("indicia: field store {} created", path.display());
    Ok(())
}

/// Re-keys the store: a new data key under the PIN in `--new-pin-file`.
pub fn rekey(args: &StoreRekeyArgs) -> Result<(), Failure> {
    let path = &args.store;
    let pin = read_secret(args.pin_file.as_deref())?;
    let mut store = Store::open(Box::new(FileBackend::new(path)))?;
    store.unlock(&pin)?;
    let new = read_secret(Some(&args.new_pin_file))?;
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
/// (every mistake refused before anything is stored), then each answer is saved. The title,
/// answers and notes come from files or stdin (cli/src/personal.rs), read before the store is
/// unlocked.
pub fn new_case(args: &NewCaseArgs) -> Result<(), Failure> {
    use crate::personal::{is_stdin, read_text, stdin_once};
    use indicia_core::checklist::Session;
    let mut readers = vec![
        (args.pin_file.is_none(), "the PIN (no --pin-file)"),
        (is_stdin(&args.title_file), "--title-file -"),
        (args.answers.as_deref().is_some_and(is_stdin), "--answers -"),
    ];
    readers.extend(
        args.note_files
            .iter()
            .map(|p| (is_stdin(p), "--note-file -")),
    );
    stdin_once(&readers)?;
    let title = read_text(&args.title_file)?;
    let notes = args
        .note_files
        .iter()
        .map(|p| read_text(p))
        .collect::<Result<Vec<_>, _>>()?;
    let answers: Option<serde_json::Value> = args
        .answers
        .as_deref()
        .map(|p| {
            serde_json::from_str(&read_text(p)?)
                .map_err(|e| Failure::usage(format!("{}: not JSON: {e}", p.display())))
        })
        .transpose()?;
    let mut store = unlocked(&args.store, args.pin_file.as_deref())?;
    let reference = match args.checklist.as_deref() {
        Some(spec) => {
            let trust = store.checklist_trust()?;
            let loaded = std::sync::Arc::new(crate::checklist::load(spec, &trust)?);
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
    let id = store.create_case(&title, reference)?;
    let filled = (|| {
        if let Some(serde_json::Value::Object(map)) = &answers {
            for (question, value) in map {
                store.save_answer(&id, question, value)?;
            }
        }
        for note in &notes {
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

pub fn add_unit(args: &AddUnitArgs) -> Result<(), Failure> {
    let path = &args.card;
    let text = std::fs::read_to_string(path).map_err(|e| Failure::file(path, "read", &e))?;
    let card = indicia_core::package::UnitCard::parse(&text)?;
    unlocked(&args.store, args.pin_file.as_deref())?.add_unit(&card)?;
    // The signature proves the card is whole, not whose it is: only the unit, asked over another
    // channel, can confirm these digits.
    eprintln!(
        "indicia: receiving unit {:?} added (receipt key {})\n\
         indicia: card fingerprint {}: compare it with the one the unit reads out to you by \
         phone or in person (not by the channel the card came by); if they differ, the card is \
         not the unit's: seal nothing to it",
        card.name,
        card.signing_key.key_id,
        card.fingerprint()?
    );
    Ok(())
}

pub fn units(args: &StoreArgs) -> Result<(), Failure> {
    let units = unlocked(&args.store, args.pin_file.as_deref())?.units()?;
    let mut out = io::stdout().lock();
    for card in units {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            card.signing_key.key_id,
            card.fingerprint()?,
            card.recipient,
            crate::text::cell(&card.name)
        )
        .map_err(out_failure)?;
    }
    Ok(())
}

pub fn remove_unit(args: &RemoveUnitArgs) -> Result<(), Failure> {
    let mut store = unlocked(&args.store, args.pin_file.as_deref())?;
    if !store.remove_unit(args.key_id.trim())? {
        return Err(Failure::of_kind(
            indicia_core::ErrorKind::NotFound,
            "no receiving unit with that signing key id (see `indicia store units`)".to_owned(),
        ));
    }
    eprintln!("indicia: receiving unit removed: nothing is sealed to it from now on");
    Ok(())
}

pub fn device_key(args: &StoreArgs) -> Result<(), Failure> {
    let info = unlocked(&args.store, args.pin_file.as_deref())?.device_info()?;
    writeln!(io::stdout().lock(), "{}\t{}", info.public_key, info.key_id).map_err(out_failure)
}

pub fn seal(args: &StoreSealArgs) -> Result<(), Failure> {
    let (case, output) = (args.case.as_str(), args.output.as_path());
    let mut store = unlocked(&args.store, args.pin_file.as_deref())?;
    // Only units whose signed cards were added (and whose fingerprints the user could compare)
    // receive the case: the core seals to nothing else.
    let units: Vec<String> = args.units.iter().map(|k| k.trim().to_owned()).collect();
    // Two phases: the package is written, fsynced and given its name (never discarded once
    // written); only then is the case marked sealed. A failure in between leaves a draft.
    let report = crate::sealing::write_new_keeping(output, |file| {
        let (_, sealed) = store.seal_case(
            case,
            &args.organisation,
            &args.reply_to,
            &units,
            indicia_core::Armor::ascii_if(args.armor),
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

pub fn import_receipt(args: &ImportReceiptArgs) -> Result<(), Failure> {
    let path = &args.receipt;
    let bytes = std::fs::read(path).map_err(|e| Failure::file(path, "read", &e))?;
    let imported = unlocked(&args.store, args.pin_file.as_deref())?.import_receipt(&bytes)?;
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

pub fn delete(args: &DeleteArgs) -> Result<(), Failure> {
    let mut store = unlocked(&args.store, args.pin_file.as_deref())?;
    match store.delete_case(&args.case, args.force) {
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

pub fn checklist_trust(args: &StoreChecklistTrustArgs) -> Result<(), Failure> {
    let mut store = unlocked(&args.store, args.pin_file.as_deref())?;
    if let Some(path) = args.set.as_deref() {
        let trust = crate::checklist::read_trust(path)?;
        store.set_checklist_trust(&trust)?;
    }
    let trust = store.checklist_trust()?;
    writeln!(io::stdout().lock(), "{}", crate::text::json_pretty(&trust)).map_err(out_failure)
}
