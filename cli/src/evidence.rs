//! Evidence commands on the unit's database (docs/evidence.md): `verify` re-checks stored
//! reports from the signed bytes kept at ingest, `evidence` writes a bundle a third party checks
//! with OpenSSL and sha256sum, and `quarantine`, `release` and `delete` let an analyst take one
//! bad report out of the way, each recorded in the report's custody log.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use indicia_core::receiver::{EvidenceBundle, Receiver, ReportCheck};

use crate::cli::{EvidenceArgs, ReasonArgs, ReportArgs, ReportVerifyArgs};
use crate::failure::Failure;
use crate::receiver::{stdout_failure, time, unlocked};
use crate::text;

fn verify_line(id: &str, result: &Result<ReportCheck, Failure>, json: bool) -> String {
    match (result, json) {
        (Ok(c), true) => text::json_line(&serde_json::json!({
            "report_id": c.report_id, "status": "verified", "device_key_id": c.device_key_id,
            "signer_revoked_at": c.signer_revoked_at, "attachments": c.attachments,
            "custody_events": c.custody_events,
        })),
        (Ok(c), false) => format!(
            "verified\t{}\tdevice {}\t{} attachment(s)\t{} custody event(s){}",
            c.report_id,
            c.device_key_id,
            c.attachments,
            c.custody_events,
            c.signer_revoked_at
                .map_or_else(String::new, |at| format!("\tSIGNER REVOKED {}", time(at)))
        ),
        (Err(f), _) => f.line("report_id", id, json),
    }
}

pub fn verify(args: &ReportVerifyArgs) -> Result<(), Failure> {
    let receiver = unlocked(&args.db)?;
    let ids = if args.reports.is_empty() {
        receiver
            .list(false)?
            .into_iter()
            .map(|r| r.report_id)
            .collect()
    } else {
        args.reports.clone()
    };
    let mut out = io::stdout().lock();
    let mut first_failure: Option<Failure> = None;
    let (mut verified, mut failed) = (0usize, 0usize);
    for id in &ids {
        let result = receiver.verify_report(id).map_err(Failure::from);
        writeln!(out, "{}", verify_line(id, &result, args.json)).map_err(stdout_failure)?;
        match result {
            Ok(_) => verified += 1,
            Err(f) => {
                failed += 1;
                first_failure.get_or_insert(f);
            }
        }
    }
    let _ = writeln!(
        io::stderr(),
        "indicia: {verified} verified, {failed} failed"
    );
    first_failure.map_or(Ok(()), Err)
}

/// The steps a third party follows, written into the bundle (docs/evidence.md explains them).
fn procedure(bundle: &EvidenceBundle) -> String {
    if bundle.header().is_some() {
        return procedure_v2(bundle);
    }
    format!(
        "Indicia evidence bundle for report {id}\n\
         \n\
         manifest.json          the report's manifest exactly as the device signed it\n\
         signature.bin          the device's Ed25519 signature (RFC 8032), 64 bytes\n\
         signed-message.bin     what was signed: \"indicia-package/1 manifest\" NUL, then manifest.json\n\
         device-public-key.pem  the device's public key (RFC 8410); its raw 32 bytes are\n\
         \x20                      manifest.json's device.public_key\n\
         attachments/N          attachment N (0-based) in the manifest's order; name, type, size\n\
         \x20                      and SHA-256 are in manifest.json's \"attachments\"\n\
         SHA256SUMS             those SHA-256 values from the manifest, for sha256sum -c\n\
         trust.json             the unit's trust list entry for the device key\n\
         custody.json           what the unit did with the report (hash-chained log)\n\
         \n\
         To check, in this directory:\n\
         1. printf 'indicia-package/1 manifest\\0' | cat - manifest.json | cmp - signed-message.bin\n\
         2. openssl pkeyutl -verify -pubin -inkey device-public-key.pem -rawin \\\n\
         \x20     -in signed-message.bin -sigfile signature.bin\n\
         \x20  (prints \"Signature Verified Successfully\")\n\
         3. openssl pkey -pubin -in device-public-key.pem -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \\n'\n\
         \x20  must print {key}, manifest.json's device.public_key\n\
         4. sha256sum -c SHA256SUMS, after checking each line against manifest.json's attachments\n",
        id = bundle.report_id,
        key = bundle.public_key,
    )
}

/// The shell command that rebuilds a v2 signed message from the bundle's files (step 1).
fn v2_message_command(attachments: usize) -> String {
    let files: Vec<String> = (0..attachments)
        .map(|i| format!("attachments/{i}"))
        .collect();
    format!(
        "{{ printf 'indicia-package/2 package\\0'; cat header.bin; \
         openssl dgst -sha256 -binary manifest.json; \
         for f in {}; do openssl dgst -sha256 -binary \"$f\"; done; }} | cmp - signed-message.bin",
        files.join(" ")
    )
}

/// Version 2: one signature, over the header, the manifest's SHA-256 and every attachment's.
fn procedure_v2(bundle: &EvidenceBundle) -> String {
    format!(
        "Indicia evidence bundle for report {id} (package format 2)\n\
         \n\
         manifest.json          the report's manifest exactly as the device signed it (its\n\
         \x20                      attachments' digests are in the signed message, not here)\n\
         header.bin             the package's binary header as it travelled: magic, device key\n\
         \x20                      (bytes 17-48), manifest length, attachment count and sizes, and\n\
         \x20                      the header's own signature\n\
         signature.bin          the device's Ed25519 signature (RFC 8032), 64 bytes, over everything\n\
         signed-message.bin     what was signed: \"indicia-package/2 package\" NUL, header.bin, the\n\
         \x20                      SHA-256 of manifest.json, then the SHA-256 of each attachment\n\
         device-public-key.pem  the device's public key (RFC 8410); its raw 32 bytes are\n\
         \x20                      manifest.json's device.public_key\n\
         attachments/N          attachment N (0-based) in the manifest's order; name, type and\n\
         \x20                      size are in manifest.json's \"attachments\"\n\
         SHA256SUMS             the signed SHA-256 of each attachment, for sha256sum -c\n\
         trust.json             the unit's trust list entry for the device key\n\
         custody.json           what the unit did with the report (hash-chained log)\n\
         \n\
         To check, in this directory:\n\
         1. {message}\n\
         \x20  (the signed message is exactly the header, this manifest and these attachments)\n\
         2. openssl pkeyutl -verify -pubin -inkey device-public-key.pem -rawin \\\n\
         \x20     -in signed-message.bin -sigfile signature.bin\n\
         \x20  (prints \"Signature Verified Successfully\")\n\
         3. openssl pkey -pubin -in device-public-key.pem -outform DER | tail -c 32 | od -An -tx1 | tr -d ' \\n'\n\
         \x20  and head -c 48 header.bin | tail -c 32 | od -An -tx1 | tr -d ' \\n'\n\
         \x20  must both print {key}, manifest.json's device.public_key\n\
         4. sha256sum -c SHA256SUMS (the same digests step 1 put in the message)\n",
        id = bundle.report_id,
        key = bundle.public_key,
        message = v2_message_command(bundle.attachments.len()),
    )
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Failure> {
    let path = dir.join(name);
    fs::write(&path, bytes).map_err(|e| Failure::file(&path, "write", &e))
}

fn write_bundle(receiver: &Receiver, bundle: &EvidenceBundle, dir: &Path) -> Result<(), Failure> {
    write_file(dir, "manifest.json", &bundle.manifest)?;
    if let Some(header) = bundle.header() {
        write_file(dir, "header.bin", header)?;
    }
    write_file(dir, "signature.bin", &bundle.signature)?;
    write_file(dir, "signed-message.bin", &bundle.signed_message)?;
    write_file(
        dir,
        "device-public-key.pem",
        bundle.public_key_pem.as_bytes(),
    )?;
    let attachments = dir.join("attachments");
    fs::create_dir(&attachments).map_err(|e| Failure::file(&attachments, "create", &e))?;
    let mut sums = String::new();
    for (index, entry) in bundle.attachments.iter().enumerate() {
        // Named by position: names come from the sender and are no safe file names.
        let path = attachments.join(index.to_string());
        let mut file = fs::File::create(&path).map_err(|e| Failure::file(&path, "create", &e))?;
        receiver.read_attachment(&bundle.report_id, index, &mut file)?;
        file.sync_all()
            .map_err(|e| Failure::file(&path, "write", &e))?;
        sums.push_str(&format!("{}  attachments/{index}\n", entry.sha256));
    }
    write_file(dir, "SHA256SUMS", sums.as_bytes())?;
    write_file(
        dir,
        "trust.json",
        (text::json_pretty(&bundle.trust) + "\n").as_bytes(),
    )?;
    write_file(
        dir,
        "custody.json",
        (text::json_pretty(&bundle.custody) + "\n").as_bytes(),
    )?;
    write_file(dir, "VERIFY.txt", procedure(bundle).as_bytes())
}

/// Writes the bundle into a temporary directory beside `--output`, then renames it into place:
/// a failure never leaves a partial bundle under the requested name.
pub fn bundle(args: &EvidenceArgs) -> Result<(), Failure> {
    let target = &args.output;
    if target.exists() {
        return Err(Failure::usage(format!(
            "{} exists; the bundle goes into a new directory",
            target.display()
        )));
    }
    let mut receiver = unlocked(&args.db)?;
    let bundle = receiver.evidence(&args.report)?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".indicia-evidence-")
        .tempdir_in(parent)
        .map_err(|e| Failure::file(parent, "create a directory in", &e))?;
    write_bundle(&receiver, &bundle, temp.path())?;
    if target.exists() {
        return Err(Failure::usage(format!(
            "{} appeared meanwhile; nothing was written there",
            target.display()
        )));
    }
    fs::rename(temp.path(), target).map_err(|e| Failure::file(target, "create", &e))?;
    // The directory now lives under its name; TempDir must not remove it.
    let _ = temp.keep();
    eprintln!(
        "indicia: evidence for report {} written to {} ({} attachment(s)); see VERIFY.txt",
        bundle.report_id,
        target.display(),
        bundle.attachments.len()
    );
    Ok(())
}

/// The reason from `--reason` or `--reason-file`, read before the database is unlocked.
fn reason(args: &ReasonArgs) -> Result<String, Failure> {
    use crate::personal::{is_stdin, read_text, stdin_once};
    match (&args.reason, args.reason_file.as_deref()) {
        (Some(reason), _) => Ok(reason.clone()),
        (None, Some(path)) => {
            stdin_once(&[
                (
                    args.db.passphrase_file.is_none(),
                    "the passphrase (no --passphrase-file)",
                ),
                (is_stdin(path), "--reason-file -"),
            ])?;
            read_text(path)
        }
        // clap requires one of the two; this only keeps the match total.
        (None, None) => Err(Failure::usage("give --reason or --reason-file")),
    }
}

pub fn quarantine(args: &ReasonArgs) -> Result<(), Failure> {
    let reason = reason(args)?;
    unlocked(&args.db)?.quarantine(&args.report, &reason)?;
    eprintln!("indicia: report quarantined: left out of correlation until released");
    Ok(())
}

pub fn release(args: &ReportArgs) -> Result<(), Failure> {
    unlocked(&args.db)?.release(&args.report)?;
    eprintln!("indicia: report released from quarantine");
    Ok(())
}

pub fn delete(args: &ReasonArgs) -> Result<(), Failure> {
    let reason = reason(args)?;
    unlocked(&args.db)?.delete_report(&args.report, &reason)?;
    eprintln!("indicia: report deleted; its custody log stays, and it will not be taken in again");
    Ok(())
}
