//! The command line: every command, its arguments and their --help text (docs/cli.md). Each
//! command's module takes its arguments struct whole, so adding an option touches this file and
//! that module, never a positional call in main.rs.
//!
//! No secret and no personal data is an argument: PINs and passphrases come from a file named
//! here or from stdin (cli/src/secret.rs), and so do case titles, notes, answers and a receipt's
//! note (cli/src/personal.rs), as command lines show in process lists and shell history.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "indicia",
    version,
    about = "Indicia: trafficking-indicator reports, sealed and received"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Checklist tooling: list built-ins, validate, show, run.
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Read an encrypted field store with its PIN (read-only).
    #[command(subcommand)]
    Store(StoreCommand),
    /// Report packages: open and verify them with the unit's identity.
    #[command(subcommand)]
    Package(PackageCommand),
    /// Create the receiving unit's encrypted database (reports, trust list, receipt key).
    Init(InitArgs),
    /// Re-key the receiver database: a new data key under a new passphrase (from
    /// --new-passphrase-file), every row re-sealed in one transaction.
    Rekey(RekeyArgs),
    /// Print the unit card field devices import (name, age recipient, receipt key).
    UnitCard(UnitCardArgs),
    /// The trust list: which device keys may report for which organisation.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Decrypt, verify, check the signer, de-duplicate and store report packages (FILE or every
    /// file in DIR). One line per package: stored, duplicate, or FAILED with the reason; exits
    /// with the first failure's code.
    Ingest(IngestArgs),
    /// List the received reports.
    List(ListArgs),
    /// Print one received report as JSON, or write one of its attachments to a file.
    Show(ShowArgs),
    /// Export every received report (json: whole reports; csv: one summary row each).
    Export(ExportArgs),
    /// Clusters of reports from different organisations that share a phone number, e-mail,
    /// URL, handle, plate, address or workplace (docs/correlation.md).
    Correlate(CorrelateArgs),
    /// Make a signed receipt for a report, encrypted to the reporting side (docs/formats/receipt.md).
    Receipt(ReceiptArgs),
    /// Re-verify stored reports from the signed bytes kept at ingest: device signature,
    /// manifest, every attachment's SHA-256, the report's custody log. One line per report;
    /// exits with the first failure's code.
    Verify(ReportVerifyArgs),
    /// Write a report's evidence bundle to a new directory: the manifest as signed, the
    /// signature, the device key as PEM, the attachments, the trust entry and the custody log,
    /// with the steps to check it with OpenSSL and sha256sum (docs/evidence.md).
    Evidence(EvidenceArgs),
    /// Quarantine a report: it stays, marked, and is left out of correlation until released.
    Quarantine(ReasonArgs),
    /// End a report's quarantine.
    Release(ReportArgs),
    /// Delete a report's content for good (its custody log stays; the same report id is never
    /// taken in again).
    Delete(ReasonArgs),
    /// Generate an age X25519 identity (the standard age-keygen format).
    Keygen(KeygenArgs),
    /// Seal FILE (or stdin) to one or more age recipients; the age file goes to stdout.
    Seal(SealArgs),
    /// Open an age file (binary or armored) from FILE (or stdin); the plaintext goes to stdout.
    Open(OpenArgs),
}

// The receiving unit's commands (cli/src/receiver.rs).

/// Where the database is and how to unlock it: every receiver command takes these.
#[derive(Args)]
pub struct Db {
    /// The receiver database (default: $INDICIA_DB).
    #[arg(long, value_name = "FILE", env = "INDICIA_DB")]
    pub db: PathBuf,
    /// Read the passphrase from this file (else stdin's first line).
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub db: Db,
    /// The unit's identity file (from `indicia keygen`): its public key goes on the unit card.
    #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
    pub identity: Vec<PathBuf>,
    /// Read the passphrase of a protected identity file from this file (default: the
    /// database's passphrase, for a unit that chose one passphrase for both).
    #[arg(long, value_name = "FILE")]
    pub identity_passphrase_file: Option<PathBuf>,
    /// The unit's name, as devices show it (e.g. "National THB unit").
    #[arg(long)]
    pub name: String,
}

#[derive(Args)]
pub struct RekeyArgs {
    #[command(flatten)]
    pub db: Db,
    /// Read the new passphrase from this file.
    #[arg(long, value_name = "FILE", required = true)]
    pub new_passphrase_file: PathBuf,
}

#[derive(Args)]
pub struct UnitCardArgs {
    #[command(flatten)]
    pub db: Db,
    /// The card as a QR code a device's camera reads (the same JSON, byte mode, error
    /// correction M) instead of the JSON: an SVG or PNG image, or drawn in the terminal.
    #[arg(long, value_name = "FORMAT")]
    pub qr: Option<QrFormat>,
    /// Write it to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How `unit-card --qr` draws the code.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum QrFormat {
    /// An SVG image.
    Svg,
    /// A PNG image (8 pixels a module), never written to a terminal.
    Png,
    /// Black-on-white blocks for a terminal (ANSI colours, two rows of modules a line).
    Terminal,
}

#[derive(Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub db: Db,
    /// The unit's identity file.
    #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
    pub identity: Vec<PathBuf>,
    /// Read the passphrase of a protected identity file from this file (default: the
    /// database's passphrase, for a unit that chose one passphrase for both).
    #[arg(long, value_name = "FILE")]
    pub identity_passphrase_file: Option<PathBuf>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Verify packages on this many threads while one more writes the database (default: one
    /// fewer than the CPUs, at least 1).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
    /// Package files or directories.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub db: Db,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Leave out the reports whose signing device key has been revoked.
    #[arg(long)]
    pub exclude_revoked: bool,
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub db: Db,
    /// Report id, or its first 8+ digits.
    pub report: String,
    /// Attachment number (0-based, manifest order); needs -o.
    #[arg(long, value_name = "N")]
    pub attachment: Option<usize>,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: Db,
    /// json or csv.
    #[arg(long, value_name = "FORMAT")]
    pub format: String,
    /// Leave out the reports whose signing device key has been revoked.
    #[arg(long)]
    pub exclude_revoked: bool,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args)]
pub struct CorrelateArgs {
    #[command(flatten)]
    pub db: Db,
    /// Show clusters whose reports come from at least this many organisations.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_organisations: usize,
    /// Read national phone numbers as numbers of this country (ISO 3166-1 alpha-2), in reports
    /// of organisations no --org-region names.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// Read national phone numbers in the reports of organisation ORG as numbers of country CC
    /// (ISO 3166-1 alpha-2); repeat for each organisation.
    #[arg(long = "org-region", value_name = "ORG=CC", value_parser = org_region)]
    pub org_regions: Vec<(String, String)>,
    /// One JSON object per cluster and line.
    #[arg(long)]
    pub json: bool,
    /// Leave out the reports whose signing device key has been revoked, so no link runs
    /// through them (without it they are marked).
    #[arg(long)]
    pub exclude_revoked: bool,
}

/// `ORG=CC` of `--org-region`, split at its last `=` (an organisation id may hold one).
fn org_region(pair: &str) -> Result<(String, String), String> {
    match pair.rsplit_once('=') {
        Some((organisation, code)) if !organisation.trim().is_empty() => {
            Ok((organisation.trim().to_owned(), code.trim().to_owned()))
        }
        _ => Err("expected ORG=CC, e.g. sk.example-ngo=SK".to_owned()),
    }
}

#[derive(Args)]
pub struct ReceiptArgs {
    #[command(flatten)]
    pub db: Db,
    /// Report id, or its first 8+ digits.
    pub report: String,
    /// received, investigating, referred or closed.
    #[arg(long)]
    pub status: String,
    /// Read a message for the reporting organisation from this file ("-": stdin). It may hold
    /// personal data, so it is never taken from the command line.
    #[arg(long, value_name = "FILE")]
    pub note_file: Option<PathBuf>,
    /// Output file (default: `receipt-<report id prefix>-<status>.age`; never overwritten).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// ASCII armor (for text channels).
    #[arg(short, long)]
    pub armor: bool,
    /// Issue it even though the device key that signed the report was revoked (the receipt
    /// goes to that device's reply key too: whoever holds the device learns the unit has it).
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct ReportVerifyArgs {
    #[command(flatten)]
    pub db: Db,
    /// Report ids (or their first 8+ digits); none: every stored report.
    #[arg(value_name = "REPORT")]
    pub reports: Vec<String>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct EvidenceArgs {
    #[command(flatten)]
    pub db: Db,
    /// Report id, or its first 8+ digits.
    pub report: String,
    /// The directory to create (it must not exist).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct ReasonArgs {
    #[command(flatten)]
    pub db: Db,
    /// Report id, or its first 8+ digits.
    pub report: String,
    /// Why (1-200 characters, kept in the report's custody log; no personal data).
    #[arg(
        long,
        required_unless_present = "reason_file",
        conflicts_with = "reason_file"
    )]
    pub reason: Option<String>,
    /// Read the reason from this file ("-": stdin), for one the command line should not show.
    #[arg(long, value_name = "FILE")]
    pub reason_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: Db,
    /// Report id, or its first 8+ digits.
    pub report: String,
}

#[derive(Subcommand)]
pub enum TrustCommand {
    /// Trust a device key (packages it signs are accepted for ORG) or an organisation's age key
    /// (its receipts are encrypted to it too).
    Add(TrustAddArgs),
    /// List the entries: kind, key id, organisation, trusted or revoked, label.
    List(ListArgs),
    /// Revoke an entry by key id: later packages signed with it are refused.
    Revoke(TrustRevokeArgs),
}

#[derive(Args)]
pub struct TrustAddArgs {
    #[command(flatten)]
    pub db: Db,
    /// A device's Ed25519 public key, 64 hex digits (`indicia store device-key`, the app).
    #[arg(
        long,
        value_name = "HEX",
        required_unless_present = "organisation_key",
        conflicts_with = "organisation_key"
    )]
    pub device: Option<String>,
    /// An organisation's age recipient (age1…).
    #[arg(long, value_name = "AGE1")]
    pub organisation_key: Option<String>,
    /// The organisation id, as its reports name it.
    #[arg(long, value_name = "ORG")]
    pub organisation: String,
    /// A note on who or what this is.
    #[arg(long)]
    pub label: Option<String>,
}

#[derive(Args)]
pub struct TrustRevokeArgs {
    #[command(flatten)]
    pub db: Db,
    /// The key id (from `trust list`) or the key itself.
    pub key_id: String,
}

// Keys and age files (cli/src/keygen.rs, cli/src/sealing.rs, cli/src/package.rs).

#[derive(Args)]
pub struct KeygenArgs {
    /// Write the identity file here (created with mode 0600; never overwritten) and print
    /// the public key on stderr. Without it the identity file goes to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Protect the identity file with a passphrase (an armored age file, as `age -p` writes:
    /// Go age and rage open it too). The passphrase comes from --passphrase-file or stdin.
    #[arg(long)]
    pub passphrase: bool,
    /// Read the passphrase from this file.
    #[arg(long, value_name = "FILE", requires = "passphrase")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct SealArgs {
    /// An age1… recipient; repeat for several receivers.
    #[arg(short, long = "recipient", value_name = "RECIPIENT", required = true)]
    pub recipients: Vec<String>,
    /// Write PEM-style ASCII armor instead of the binary format.
    #[arg(short, long)]
    pub armor: bool,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The input file; stdin when absent or "-".
    pub file: Option<PathBuf>,
}

#[derive(Args)]
pub struct OpenArgs {
    /// An identity file (age-keygen format: one AGE-SECRET-KEY-1… per line, # comments).
    #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
    pub identity: Vec<PathBuf>,
    /// Read the passphrase of a protected identity file from this file (else stdin's first line).
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Write to this file instead of stdout; it appears only if the whole input authenticates.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// The sealed file; stdin when absent or "-".
    pub file: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum PackageCommand {
    /// Open and verify packages (FILE or every file in DIR): the age layer, the device
    /// signature, the manifest and every attachment. One line per package on stdout (ok,
    /// duplicate or FAILED with the error kind); exits with the first failure's code.
    Verify(VerifyArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The unit's identity file.
    #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
    pub identity: Vec<PathBuf>,
    /// Read the passphrase of a protected identity file from this file (else stdin's first line).
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// One JSON object per line, with the verified manifest.
    #[arg(long)]
    pub json: bool,
    /// Package files or directories.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
}

// The field store (cli/src/store.rs).

/// The PIN is read from --pin-file or the first line of stdin, never from the command line.
#[derive(Subcommand)]
pub enum StoreCommand {
    /// List the cases: id, status, last change, title.
    List(StoreArgs),
    /// Re-key a field store: a new data key under a new PIN or passphrase (from
    /// --new-pin-file), every row re-sealed in one transaction.
    Rekey(StoreRekeyArgs),
    /// Create a field store. Without a device-bound secret (the CLI has none) the passphrase
    /// must be at least 8 characters and hard to guess (docs/threat-model.md).
    Create(StoreArgs),
    /// Start a case; prints its id.
    NewCase(NewCaseArgs),
    /// Add a receiving unit's card (from `indicia unit-card`): seal to it, believe its receipts.
    AddUnit(AddUnitArgs),
    /// List the receiving units added: signing key id, card fingerprint, recipient, name.
    Units(StoreArgs),
    /// Remove a receiving unit by its signing key id (a card whose fingerprint did not match):
    /// nothing is sealed to it any more and its receipts are no longer believed.
    RemoveUnit(RemoveUnitArgs),
    /// Print the device's public key and key id (for the unit's `trust add --device`).
    DeviceKey(StoreArgs),
    /// Seal a draft case into a report package to the added units (or those named by --unit);
    /// prints the report id.
    Seal(StoreSealArgs),
    /// Import a receipt from the unit: the case becomes acknowledged (and may be deleted).
    ImportReceipt(ImportReceiptArgs),
    /// Delete a case (a sealed case only after its receipt, unless --force).
    Delete(DeleteArgs),
    /// Print one case (record, answers, notes, verified custody log) as JSON.
    Show(StoreShowArgs),
    /// Print the store's checklist trust as JSON, or replace it with --set FILE: the
    /// publishers whose signed checklists new cases may use, and whether others are refused.
    ChecklistTrust(StoreChecklistTrustArgs),
}

#[derive(Args)]
pub struct StoreChecklistTrustArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Replace the trust with this file's (JSON, as `checklist validate --trust` reads).
    #[arg(long, value_name = "FILE")]
    pub set: Option<PathBuf>,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

// Each store command's fields keep the order they had as inline variants: clap lists arguments
// in declaration order, so --help and docs/cli.md stay as they were.

#[derive(Args)]
pub struct StoreArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct StoreRekeyArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Read the current PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
    /// Read the new PIN from this file.
    #[arg(long, value_name = "FILE", required = true)]
    pub new_pin_file: PathBuf,
}

#[derive(Args)]
pub struct NewCaseArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Read the case title from this file ("-": stdin). Titles are personal data, so they are
    /// never taken from the command line.
    #[arg(long, value_name = "FILE")]
    pub title_file: PathBuf,
    /// The checklist the answers belong to (file, plain or signed, or builtin:ID), loaded
    /// under the store's checklist trust (`store checklist-trust`).
    #[arg(long)]
    pub checklist: Option<String>,
    /// Answers as JSON ({question id: answer}) from this file ("-": stdin), checked against
    /// the checklist.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Read a note from this file ("-": stdin); repeat for several, added in order. Notes are
    /// personal data, so they are never taken from the command line.
    #[arg(long = "note-file", value_name = "FILE")]
    pub note_files: Vec<PathBuf>,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct RemoveUnitArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// The unit's signing key id (32 hex digits, as `store units` lists it).
    pub key_id: String,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct AddUnitArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// The unit card (JSON).
    pub card: PathBuf,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct StoreSealArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Case id.
    pub case: String,
    /// The reporting organisation's id, as agreed with the unit.
    #[arg(long)]
    pub organisation: String,
    /// Seal to this added unit only, by its signing key id as `store units` lists it
    /// (repeatable; default: every added unit). Recipients come only from the units' signed
    /// cards, never typed in.
    #[arg(long = "unit", value_name = "KEY_ID")]
    pub units: Vec<String>,
    /// Also send receipts to this age recipient (e.g. the organisation's coordinator).
    #[arg(long = "reply-to", value_name = "AGE1")]
    pub reply_to: Vec<String>,
    /// The package file (never overwritten).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// ASCII armor.
    #[arg(short, long)]
    pub armor: bool,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct ImportReceiptArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// The receipt file.
    pub receipt: PathBuf,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct DeleteArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Case id.
    pub case: String,
    /// Delete even though no receipt arrived.
    #[arg(long)]
    pub force: bool,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

#[derive(Args)]
pub struct StoreShowArgs {
    /// The store's database file.
    pub store: PathBuf,
    /// Case id (from `indicia store list`).
    pub case: String,
    /// Read the PIN from this file.
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

// Checklists (cli/src/checklist.rs).

/// CHECKLIST is a definition file, or `builtin:ID` (see `indicia checklist list`).
#[derive(Subcommand)]
pub enum ChecklistCommand {
    /// List the built-in checklists.
    List,
    /// Check a definition; print its id, version and content hash, or every mistake.
    Validate(ValidateArgs),
    /// Print a checklist's questions, indicators and outcomes in a language.
    Show(ChecklistShowArgs),
    /// Run a checklist in the terminal (or from saved answers) and print the assessment.
    Run(RunArgs),
    /// Read an XLSForm workbook (.xlsx) into a checklist definition (JSON).
    Import(ImportArgs),
    /// Write a checklist as an XLSForm workbook (.xlsx).
    Export(ChecklistExportArgs),
    /// Make a publisher's Ed25519 signing key for `checklist sign` (a key file, mode 0600,
    /// never overwritten); its public key, which deployments list, goes to stderr.
    Keygen(PublisherKeygenArgs),
    /// Sign a definition as its publisher: the signed definition (indicia-signed-checklist/1,
    /// docs/formats/signed-checklist.md) binds its content hash, id and version to the name and
    /// key. The definition must validate.
    Sign(SignArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The XLSForm workbook (.xlsx; docs/formats/xlsform.md).
    pub form: PathBuf,
    /// Write the definition here (a new file) instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What `checklist export` writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, ValueEnum)]
pub enum ChecklistFormat {
    /// An XLSForm workbook (.xlsx).
    Xlsform,
}

#[derive(Args)]
pub struct ChecklistExportArgs {
    /// Definition file or builtin:ID.
    pub checklist: String,
    /// The format to write.
    #[arg(long, value_enum)]
    pub format: ChecklistFormat,
    /// The workbook to create (a new file; never overwritten).
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: PathBuf,
}

/// A deployment's checklist trust, for the commands that load a definition.
#[derive(Args)]
pub struct TrustArgs {
    /// The deployment's trust list (JSON: {"require_signatures": bool, "publishers": [{"name",
    /// "public_key"}]}). Without it, a signed definition's signature is still checked, and its
    /// publisher is shown as not trusted here.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,
}

#[derive(Args)]
pub struct PublisherKeygenArgs {
    /// Write the key file here (created with mode 0600; never overwritten).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct SignArgs {
    /// The definition file (plain JSON, indicia-checklist/1 or /2).
    pub definition: PathBuf,
    /// The publisher's key file (from `indicia checklist keygen`).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// The publisher's name, as deployments list it (1-200 characters).
    #[arg(long)]
    pub publisher: String,
    /// Write the signed definition here (never overwritten).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

#[derive(Args)]
pub struct ValidateArgs {
    /// Definition file (plain or signed) or builtin:ID.
    pub checklist: String,
    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Args)]
pub struct ChecklistShowArgs {
    /// Definition file (plain or signed) or builtin:ID.
    pub checklist: String,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Language (falls back along the checklist's chain).
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Args)]
pub struct RunArgs {
    /// Definition file (plain or signed) or builtin:ID.
    pub checklist: String,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Language (falls back along the checklist's chain).
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Take answers from this JSON file ("-": stdin) instead of asking.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Show referral contacts for this country (ISO 3166-1 alpha-2) and international ones.
    #[arg(long)]
    pub country: Option<String>,
    /// Print the assessment as JSON.
    #[arg(long)]
    pub json: bool,
}
