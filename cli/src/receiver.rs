//! The receiving unit's commands (docs/cli.md): `init`, `unit-card`, `trust`, `ingest`, `list`,
//! `show`, `export`, `correlate`, `receipt`, on the unit's encrypted database
//! (docs/formats/receiver.md). The database's passphrase is read once per command; a
//! passphrase-protected identity file has its own (`--identity-passphrase-file`) or, by the
//! unit's choice, the same one.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use indicia_core::package::ReceiptStatus;
use indicia_core::receiver::{Duplicate, IngestOutcome, Receiver, TrustKind};
use indicia_core::store::{FileBackend, Protection, StoreError};
use indicia_core::{Armor, Identity};

use crate::cli::{
    CorrelateArgs, Db, ExportArgs, IngestArgs, InitArgs, ListArgs, ReceiptArgs, RekeyArgs,
    ShowArgs, TrustAddArgs, TrustRevokeArgs, UnitCardArgs,
};
use crate::failure::Failure;
use crate::package::expand;
use crate::sealing::{read_identities_with, write_atomically, write_new_keeping};
use crate::secret::Passphrase;
use crate::text::{self, cell, csv_cell};

/// Unix seconds as RFC 3339 (UTC). Manifests are refused outside 1970–9999
/// (`package::MAX_TIME`), but a database written before that check may hold any number: such a
/// time is printed as its number of seconds, never formatted (humantime panics past 9999).
pub(crate) fn time(secs: i64) -> String {
    match u64::try_from(secs) {
        Ok(s) if secs <= indicia_core::package::MAX_TIME => {
            humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_secs(s)).to_string()
        }
        _ => format!("{secs} s (out of range)"),
    }
}

pub(crate) fn stdout_failure(e: io::Error) -> Failure {
    Failure::file(Path::new("<stdout>"), "write", &e)
}

fn open(db: &Db, passphrase: &mut Passphrase) -> Result<Receiver, Failure> {
    let mut receiver = Receiver::open(Box::new(FileBackend::new(&db.db)))?;
    receiver.unlock(passphrase.get()?).map_err(|e| match e {
        // The store's own message speaks of a PIN; a unit has a passphrase.
        StoreError::WrongPin { .. } => Failure::from(e)
            .with_message("wrong passphrase (the receiver database did not unlock)".to_owned()),
        other => Failure::from(other),
    })?;
    Ok(receiver)
}

/// Re-keys the database under the passphrase in `--new-passphrase-file` (the current one as
/// usual).
pub fn rekey(args: &RekeyArgs) -> Result<(), Failure> {
    let db = &args.db;
    let mut passphrase = Passphrase::new(db.passphrase_file.as_deref());
    let mut receiver = open(db, &mut passphrase)?;
    let new = crate::secret::read_secret(Some(&args.new_passphrase_file))?;
    receiver.rekey(
        passphrase.get()?,
        &new,
        &Protection::passphrase(crate::secret::kdf_for_new_database()),
    )?;
    eprintln!("indicia: receiver database {} re-keyed", db.db.display());
    Ok(())
}

/// The unit's identities: a protected identity file opens with the passphrase in
/// `identity_passphrase_file`, or else with the database's (read once, kept for the database).
/// A wrong passphrase says which one was tried, as the unit may use two.
fn unit_identities(
    files: &[PathBuf],
    identity_passphrase_file: Option<&Path>,
    database_passphrase: &mut Passphrase,
) -> Result<Vec<Identity>, Failure> {
    match identity_passphrase_file {
        Some(file) => read_identities_with(
            files,
            &mut Passphrase::new(Some(file)),
            &format!("the passphrase in {}", file.display()),
        ),
        None => read_identities_with(
            files,
            database_passphrase,
            "the database's passphrase; a different one goes in --identity-passphrase-file",
        ),
    }
}

pub(crate) fn unlocked(db: &Db) -> Result<Receiver, Failure> {
    open(db, &mut Passphrase::new(db.passphrase_file.as_deref()))
}

/// Writes `bytes` to `output` (never replacing a file), or to stdout.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), Failure> {
    match output {
        Some(path) => write_atomically(path, |f| {
            f.write_all(bytes)
                .map_err(|e| Failure::file(path, "write", &e))
        }),
        None => io::stdout().lock().write_all(bytes).map_err(stdout_failure),
    }
}

pub fn init(args: &InitArgs) -> Result<(), Failure> {
    let db = &args.db;
    let mut passphrase = Passphrase::new(db.passphrase_file.as_deref());
    let identities = unit_identities(
        &args.identity,
        args.identity_passphrase_file.as_deref(),
        &mut passphrase,
    )?;
    let recipient = identities
        .first()
        .ok_or_else(|| Failure::usage("the identity file holds no identity"))?
        .recipient()
        .to_string();
    let phrase = passphrase.get()?;
    // The core's passphrase policy decides (a WeakPin error says what is missing).
    let receiver = Receiver::create(
        Box::new(FileBackend::new(&db.db)),
        phrase,
        &Protection::passphrase(crate::secret::kdf_for_new_database()),
        &args.name,
        &recipient,
    )?;
    let card = receiver.unit_card()?;
    eprintln!(
        "indicia: receiver database {} created for {}; receipt key {}",
        db.db.display(),
        card.name,
        card.signing_key.key_id
    );
    Ok(())
}

pub fn unit_card(args: &UnitCardArgs) -> Result<(), Failure> {
    let card = unlocked(&args.db)?.unit_card()?;
    match args.qr {
        None => emit(
            args.output.as_deref(),
            format!("{}\n", card.to_json()).as_bytes(),
        )?,
        // The same JSON, without the newline, as a QR code (cli/src/qr.rs).
        Some(format) => {
            let code = crate::qr::encode(&card.to_json())?;
            let image = crate::qr::render(&code, format, args.output.is_none())?;
            emit(args.output.as_deref(), &image)?;
            eprintln!("indicia: {}", crate::qr::describe(&code));
        }
    }
    // On stderr, so stdout stays the card alone (it is piped or saved as the file devices get).
    eprintln!(
        "indicia: card fingerprint {}: read it to the devices' users over another channel \
         (phone, in person); each checks it against what `store add-unit` shows",
        card.fingerprint()?
    );
    Ok(())
}

pub fn trust_add(args: &TrustAddArgs) -> Result<(), Failure> {
    let (kind, key) = match (&args.device, &args.organisation_key) {
        (Some(device), _) => (TrustKind::Device, device),
        (None, Some(organisation)) => (TrustKind::Organisation, organisation),
        // clap requires one of the two; this only keeps the match total.
        (None, None) => return Err(Failure::usage("give --device or --organisation-key")),
    };
    let entry =
        unlocked(&args.db)?.trust_add(kind, key, &args.organisation, args.label.as_deref())?;
    writeln!(
        io::stdout().lock(),
        "trusted\t{}\t{}\t{}",
        entry.kind.as_str(),
        entry.key_id,
        cell(&entry.organisation)
    )
    .map_err(stdout_failure)
}

pub fn trust_list(args: &ListArgs) -> Result<(), Failure> {
    let list = unlocked(&args.db)?.trust_list()?;
    let mut out = io::stdout().lock();
    for e in list {
        let line = if args.json {
            text::json_line(&e)
        } else {
            let state = e.revoked_at.map_or_else(
                || "trusted".to_owned(),
                |at| format!("revoked {}", time(at)),
            );
            format!(
                "{}\t{}\t{}\t{}\t{}",
                e.kind.as_str(),
                e.key_id,
                cell(&e.organisation),
                state,
                cell(e.label.as_deref().unwrap_or_default())
            )
        };
        writeln!(out, "{line}").map_err(stdout_failure)?;
    }
    Ok(())
}

pub fn trust_revoke(args: &TrustRevokeArgs) -> Result<(), Failure> {
    let entry = unlocked(&args.db)?.trust_revoke(&args.key_id)?;
    writeln!(
        io::stdout().lock(),
        "revoked\t{}\t{}\t{}",
        entry.kind.as_str(),
        entry.key_id,
        cell(&entry.organisation)
    )
    .map_err(stdout_failure)
}

fn ingest_line(path: &str, result: &Result<IngestOutcome, Failure>, json: bool) -> String {
    match result {
        Ok(o) => {
            let status = match &o.duplicate {
                None => "stored".to_owned(),
                Some(Duplicate::ReportId(id)) => format!("duplicate (report id {id})"),
                Some(Duplicate::Content(id)) => format!("duplicate (content of {id})"),
            };
            if json {
                text::json_line(&serde_json::json!({
                    "file": path, "status": if o.duplicate.is_none() { "stored" } else { "duplicate" },
                    "detail": status, "report_id": o.report_id, "organisation": o.organisation,
                    "device_key_id": o.device_key_id, "content_hash": o.content_hash,
                    "attachments": o.attachments,
                }))
            } else {
                format!(
                    "{status}\t{}\t{}\t{}\tdevice {}\t{} attachment(s)",
                    cell(path),
                    o.report_id,
                    cell(&o.organisation),
                    o.device_key_id,
                    o.attachments
                )
            }
        }
        Err(f) => f.line("file", path, json),
    }
}

pub fn ingest(args: &IngestArgs) -> Result<(), Failure> {
    let (db, json) = (&args.db, args.json);
    let files = expand(&args.paths)?;
    if files.is_empty() {
        return Err(Failure::usage("no package files given"));
    }
    let mut passphrase = Passphrase::new(db.passphrase_file.as_deref());
    let identities: Vec<Identity> = unit_identities(
        &args.identity,
        args.identity_passphrase_file.as_deref(),
        &mut passphrase,
    )?;
    let mut receiver = open(db, &mut passphrase)?;
    let mut out = io::stdout().lock();
    let (mut stored, mut duplicates, mut failed) = (0usize, 0usize, 0usize);
    let mut first_failure: Option<Failure> = None;
    let mut write_error: Option<io::Error> = None;
    let inputs = files.iter().map(|path| {
        let file = File::open(path).map(BufReader::new);
        (path.display().to_string(), file)
    });
    // The writer has a core of its own; more verifiers than the other cores only compete with
    // it (docs/benchmarks.md, "Ingest in parallel").
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| usize::from(n).saturating_sub(1)),
        usize::from,
    );
    let batch = receiver.ingest_parallel(inputs, &identities, threads, |source, result| {
        let result = result.map_err(Failure::from);
        match &result {
            Ok(o) if o.duplicate.is_none() => stored += 1,
            Ok(_) => duplicates += 1,
            Err(_) => failed += 1,
        }
        if let Err(e) = writeln!(out, "{}", ingest_line(source, &result, json)) {
            write_error.get_or_insert(e);
        }
        if let Err(f) = result {
            first_failure.get_or_insert(f);
        }
    });
    if let Err(e) = batch {
        let _ = writeln!(
            io::stderr(),
            "indicia: the database failed; the packages of the last batch (up to {}) were not \
             stored and must be ingested again",
            indicia_core::receiver::BATCH
        );
        return Err(e.into());
    }
    if let Some(e) = write_error {
        return Err(stdout_failure(e));
    }
    let _ = writeln!(
        io::stderr(),
        "indicia: {stored} stored, {duplicates} duplicate(s), {failed} failed"
    );
    crate::package::outcome(first_failure, failed, files.len())
}

pub fn list(args: &ListArgs) -> Result<(), Failure> {
    let reports = unlocked(&args.db)?.list(args.exclude_revoked)?;
    let mut out = io::stdout().lock();
    for r in reports {
        let line = if args.json {
            text::json_line(&r)
        } else {
            let outcome = r.outcome.as_ref().map_or_else(
                || "-".to_owned(),
                |o| format!("{} ({})", cell(&o.label), o.level),
            );
            format!(
                "{}\t{}\t{}\t{}\t{}\t{} attachment(s)\t{}{}{}{}",
                r.report_id,
                cell(&r.organisation),
                time(r.received_at),
                cell(&r.title),
                outcome,
                r.attachments,
                r.receipt_status.map_or("no receipt", ReceiptStatus::as_str),
                if r.signer_revoked {
                    "\tSIGNER REVOKED"
                } else {
                    ""
                },
                if r.quarantined { "\tQUARANTINED" } else { "" },
                r.checklist_publisher
                    .as_deref()
                    .map(|p| format!("\tchecklist signed by {}", cell(p)))
                    .unwrap_or_default()
            )
        };
        writeln!(out, "{line}").map_err(stdout_failure)?;
    }
    Ok(())
}

pub fn show(args: &ShowArgs) -> Result<(), Failure> {
    let (report, output) = (args.report.as_str(), args.output.as_deref());
    let receiver = unlocked(&args.db)?;
    match args.attachment {
        None => {
            let stored = receiver.report_detail(report)?;
            if let Some(at) = stored.signer_revoked_at {
                eprintln!(
                    "indicia: the device key that signed this report was revoked at {}",
                    time(at)
                );
            }
            let json = text::json_pretty(&stored) + "\n";
            emit(output, json.as_bytes())
        }
        Some(index) => {
            let path = output.ok_or_else(|| {
                Failure::usage(
                    "--attachment needs -o FILE (attachments are not written to a terminal)",
                )
            })?;
            write_atomically(path, |f| {
                receiver.read_attachment(report, index, f)?;
                Ok(())
            })
        }
    }
}

pub fn export(args: &ExportArgs) -> Result<(), Failure> {
    let receiver = unlocked(&args.db)?;
    let bytes = match args.format.as_str() {
        "json" => text::json_pretty(&receiver.report_details(args.exclude_revoked)?).into_bytes(),
        "csv" => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let header = [
                "report_id",
                "organisation",
                "device_key_id",
                "signer_revoked",
                "quarantined",
                "sealed_at",
                "received_at",
                "title",
                "checklist",
                "outcome",
                "level",
                "attachments",
                "receipt_status",
                "content_hash",
                "checklist_publisher",
            ];
            let csv_failure = |e: csv::Error| Failure::usage(format!("cannot write CSV: {e}"));
            writer.write_record(header).map_err(csv_failure)?;
            for r in receiver.list(args.exclude_revoked)? {
                let outcome = r.outcome.clone().unwrap_or_default();
                let (label, level) = (outcome.label, outcome.level);
                writer
                    .write_record([
                        r.report_id.as_str(),
                        &csv_cell(&r.organisation),
                        &r.device_key_id,
                        if r.signer_revoked { "yes" } else { "no" },
                        if r.quarantined { "yes" } else { "no" },
                        &time(r.sealed_at),
                        &time(r.received_at),
                        &csv_cell(&r.title),
                        &csv_cell(r.checklist.as_deref().unwrap_or("")),
                        &csv_cell(&label),
                        &if r.outcome.is_some() {
                            level.to_string()
                        } else {
                            String::new()
                        },
                        &r.attachments.to_string(),
                        r.receipt_status.map_or("", ReceiptStatus::as_str),
                        &r.content_hash,
                        &csv_cell(r.checklist_publisher.as_deref().unwrap_or("")),
                    ])
                    .map_err(csv_failure)?;
            }
            writer
                .into_inner()
                .map_err(|e| Failure::usage(format!("cannot write CSV: {}", e.error())))?
        }
        other => {
            return Err(Failure::usage(format!(
                "unknown export format {other:?} (json or csv)"
            )))
        }
    };
    emit(args.output.as_deref(), &bytes)
}

pub fn correlate(args: &CorrelateArgs) -> Result<(), Failure> {
    let (min_organisations, region) = (args.min_organisations, args.region.as_deref());
    if let Some(code) = region {
        check_region(code, "--region")?;
    }
    let mut org_regions = BTreeMap::new();
    for (organisation, code) in &args.org_regions {
        check_region(code, "--org-region")?;
        if org_regions
            .insert(organisation.clone(), code.clone())
            .is_some()
        {
            return Err(Failure::usage("--org-region names one organisation twice"));
        }
    }
    let clusters = unlocked(&args.db)?.correlate_by_region(
        min_organisations,
        region,
        &org_regions,
        args.exclude_revoked,
    )?;
    let mut out = io::stdout().lock();
    if args.json {
        for c in &clusters {
            writeln!(out, "{}", text::json_line(c)).map_err(stdout_failure)?;
        }
        return Ok(());
    }
    for (n, c) in clusters.iter().enumerate() {
        writeln!(
            out,
            "cluster {}: {} reports from {} organisations ({}){}",
            n + 1,
            c.reports.len(),
            c.organisations.len(),
            cell(&c.organisations.join(", ")),
            match c.revoked_reports.len() {
                0 => String::new(),
                k => format!("; {k} from revoked signers"),
            }
        )
        .map_err(stdout_failure)?;
        for s in &c.shared {
            writeln!(out, "  shared\t{}:{}", s.kind.as_str(), cell(&s.value))
                .map_err(stdout_failure)?;
        }
        for r in &c.reports {
            let mark = if c.revoked_reports.contains(r) {
                "\tSIGNER REVOKED"
            } else {
                ""
            };
            writeln!(out, "  report\t{r}{mark}").map_err(stdout_failure)?;
        }
    }
    if clusters.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "indicia: no selector is shared by reports of {min_organisations} or more organisations"
        );
    }
    Ok(())
}

/// The core reads national phone numbers only in a region its metadata knows and leaves them out
/// otherwise; a mistyped `--region` must not silently find fewer links.
fn check_region(code: &str, flag: &str) -> Result<(), Failure> {
    indicia_core::correlate::check_region(code).map_err(|e| {
        Failure::of_kind(
            e.kind(),
            format!("{e} ({flag} takes an ISO 3166-1 alpha-2 code, e.g. SK)"),
        )
    })
}

pub fn receipt(args: &ReceiptArgs) -> Result<(), Failure> {
    let status: ReceiptStatus = args.status.parse()?;
    let note_from_stdin = args
        .note_file
        .as_deref()
        .is_some_and(crate::personal::is_stdin);
    crate::personal::stdin_once(&[
        (
            args.db.passphrase_file.is_none(),
            "the passphrase (no --passphrase-file)",
        ),
        (note_from_stdin, "--note-file -"),
    ])?;
    let note = args
        .note_file
        .as_deref()
        .map(crate::personal::read_text)
        .transpose()?;
    let mut receiver = unlocked(&args.db)?;
    // The report must exist before a file name is made of its id.
    let report_id = receiver.report(&args.report)?.manifest.report_id;
    let default;
    let path = match args.output.as_deref() {
        Some(p) => p,
        None => {
            let prefix: String = report_id.chars().take(8).collect();
            default = PathBuf::from(format!("receipt-{prefix}-{}.age", status.as_str()));
            &default
        }
    };
    // The receipt is recorded as issued only once its file can be created, and a written
    // receipt is never discarded.
    let receipt = write_new_keeping(path, |f| {
        let (receipt, sealed) = receiver.issue_receipt(
            &report_id,
            status,
            note.as_deref(),
            Armor::ascii_if(args.armor),
            args.force,
        )?;
        f.write_all(&sealed)
            .map_err(|e| Failure::file(path, "write", &e))?;
        Ok(receipt)
    })?;
    eprintln!(
        "indicia: receipt {} ({}) for report {} written to {}",
        receipt.receipt_id,
        status.as_str(),
        receipt.report_id,
        path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_beyond_9999_or_before_1970_print_as_seconds_instead_of_panicking() {
        assert_eq!(super::time(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::time(253_402_300_799), "9999-12-31T23:59:59Z");
        assert_eq!(
            super::time(253_402_300_800),
            "253402300800 s (out of range)"
        );
        assert_eq!(
            super::time(i64::MAX),
            format!("{} s (out of range)", i64::MAX)
        );
        assert_eq!(super::time(-5), "-5 s (out of range)");
    }
}
