//! `indicia`: the receiver's and checklist author's command-line tool.
#![forbid(unsafe_code)]

mod checklist;
mod failure;
mod keygen;
mod package;
mod receiver;
mod sealing;
mod secret;
mod store;
mod text;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "indicia",
    version,
    about = "Indicia: trafficking-indicator reports, sealed and received"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    Init {
        #[command(flatten)]
        db: receiver::Db,
        /// The unit's identity file (from `indicia keygen`): its public key goes on the unit card.
        #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
        identity: Vec<PathBuf>,
        /// The unit's name, as devices show it (e.g. "National THB unit").
        #[arg(long)]
        name: String,
    },
    /// Re-key the receiver database: a new data key under a new passphrase (from
    /// --new-passphrase-file), every row re-sealed in one transaction.
    Rekey {
        #[command(flatten)]
        db: receiver::Db,
        /// Read the new passphrase from this file.
        #[arg(long, value_name = "FILE", required = true)]
        new_passphrase_file: PathBuf,
    },
    /// Print the unit card field devices import (name, age recipient, receipt key).
    UnitCard {
        #[command(flatten)]
        db: receiver::Db,
        /// Write it to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The trust list: which device keys may report for which organisation.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// Decrypt, verify, check the signer, de-duplicate and store report packages (FILE or every
    /// file in DIR). One line per package: stored, duplicate, or FAILED with the reason; exits
    /// with the first failure's code.
    Ingest {
        #[command(flatten)]
        db: receiver::Db,
        /// The unit's identity file.
        #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
        identity: Vec<PathBuf>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Package files or directories.
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
    },
    /// List the received reports.
    List {
        #[command(flatten)]
        db: receiver::Db,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Print one received report as JSON, or write one of its attachments to a file.
    Show {
        #[command(flatten)]
        db: receiver::Db,
        /// Report id, or its first 8+ digits.
        report: String,
        /// Attachment number (0-based, manifest order); needs -o.
        #[arg(long, value_name = "N")]
        attachment: Option<usize>,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export every received report (json: whole reports; csv: one summary row each).
    Export {
        #[command(flatten)]
        db: receiver::Db,
        /// json or csv.
        #[arg(long, value_name = "FORMAT")]
        format: String,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Clusters of reports from different organisations that share a phone number, e-mail,
    /// URL, handle, plate, address or workplace (docs/correlation.md).
    Correlate {
        #[command(flatten)]
        db: receiver::Db,
        /// Show clusters whose reports come from at least this many organisations.
        #[arg(long, default_value_t = 2, value_name = "N")]
        min_organisations: usize,
        /// Read national phone numbers as numbers of this country (ISO 3166-1 alpha-2).
        #[arg(long, value_name = "CC")]
        region: Option<String>,
        /// One JSON object per cluster and line.
        #[arg(long)]
        json: bool,
    },
    /// Make a signed receipt for a report, encrypted to the reporting side (docs/formats/receipt.md).
    Receipt {
        #[command(flatten)]
        db: receiver::Db,
        /// Report id, or its first 8+ digits.
        report: String,
        /// received, investigating, referred or closed.
        #[arg(long)]
        status: String,
        /// A message for the reporting organisation.
        #[arg(long)]
        note: Option<String>,
        /// Output file (default: receipt-<report id prefix>-<status>.age; never overwritten).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// ASCII armor (for text channels).
        #[arg(short, long)]
        armor: bool,
    },
    /// Generate an age X25519 identity (the standard age-keygen format).
    Keygen {
        /// Write the identity file here (created with mode 0600; never overwritten) and print
        /// the public key on stderr. Without it the identity file goes to stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Protect the identity file with a passphrase (an armored age file, as `age -p` writes:
        /// Go age and rage open it too). The passphrase comes from --passphrase-file or stdin.
        #[arg(long)]
        passphrase: bool,
        /// Read the passphrase from this file.
        #[arg(long, value_name = "FILE", requires = "passphrase")]
        passphrase_file: Option<PathBuf>,
    },
    /// Seal FILE (or stdin) to one or more age recipients; the age file goes to stdout.
    Seal {
        /// An age1… recipient; repeat for several receivers.
        #[arg(short, long = "recipient", value_name = "RECIPIENT", required = true)]
        recipients: Vec<String>,
        /// Write PEM-style ASCII armor instead of the binary format.
        #[arg(short, long)]
        armor: bool,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The input file; stdin when absent or "-".
        file: Option<PathBuf>,
    },
    /// Open an age file (binary or armored) from FILE (or stdin); the plaintext goes to stdout.
    Open {
        /// An identity file (age-keygen format: one AGE-SECRET-KEY-1… per line, # comments).
        #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
        identity: Vec<PathBuf>,
        /// Read the passphrase of a protected identity file from this file (else stdin's first line).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// Write to this file instead of stdout; it appears only if the whole input authenticates.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The sealed file; stdin when absent or "-".
        file: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PackageCommand {
    /// Open and verify packages (FILE or every file in DIR): the age layer, the device
    /// signature, the manifest and every attachment. One line per package on stdout (ok,
    /// duplicate or FAILED with the error kind); exits with the first failure's code.
    Verify {
        /// The unit's identity file.
        #[arg(short, long, value_name = "IDENTITY_FILE", required = true)]
        identity: Vec<PathBuf>,
        /// Read the passphrase of a protected identity file from this file (else stdin's first line).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// One JSON object per line, with the verified manifest.
        #[arg(long)]
        json: bool,
        /// Package files or directories.
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TrustCommand {
    /// Trust a device key (packages it signs are accepted for ORG) or an organisation's age key
    /// (its receipts are encrypted to it too).
    Add {
        #[command(flatten)]
        db: receiver::Db,
        /// A device's Ed25519 public key, 64 hex digits (`indicia store device-key`, the app).
        #[arg(
            long,
            value_name = "HEX",
            required_unless_present = "organisation_key",
            conflicts_with = "organisation_key"
        )]
        device: Option<String>,
        /// An organisation's age recipient (age1…).
        #[arg(long, value_name = "AGE1")]
        organisation_key: Option<String>,
        /// The organisation id, as its reports name it.
        #[arg(long, value_name = "ORG")]
        organisation: String,
        /// A note on who or what this is.
        #[arg(long)]
        label: Option<String>,
    },
    /// List the entries: kind, key id, organisation, trusted or revoked, label.
    List {
        #[command(flatten)]
        db: receiver::Db,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Revoke an entry by key id: later packages signed with it are refused.
    Revoke {
        #[command(flatten)]
        db: receiver::Db,
        /// The key id (from `trust list`) or the key itself.
        key_id: String,
    },
}

/// The PIN is read from --pin-file or the first line of stdin, never from the command line.
#[derive(Subcommand)]
enum StoreCommand {
    /// List the cases: id, status, last change, title.
    List {
        /// The store's database file.
        store: PathBuf,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Re-key a field store: a new data key under a new PIN or passphrase (from
    /// --new-pin-file), every row re-sealed in one transaction.
    Rekey {
        /// The store's database file.
        store: PathBuf,
        /// Read the current PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
        /// Read the new PIN from this file.
        #[arg(long, value_name = "FILE", required = true)]
        new_pin_file: PathBuf,
    },
    /// Create a field store. Without a device-bound secret (the CLI has none) the passphrase
    /// must be at least 8 characters and hard to guess (docs/threat-model.md).
    Create {
        /// The store's database file.
        store: PathBuf,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Start a case; prints its id.
    NewCase {
        /// The store's database file.
        store: PathBuf,
        /// The case title.
        #[arg(long)]
        title: String,
        /// The checklist the answers belong to (file or builtin:ID).
        #[arg(long)]
        checklist: Option<String>,
        /// Answers as JSON ({question id: answer}), checked against the checklist.
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// A note (repeat for several). Notes are personal data: on a shared machine prefer
        /// --note-file, as command lines show in process lists and shell history.
        #[arg(long = "note", value_name = "TEXT")]
        notes: Vec<String>,
        /// A note read from a file (repeat for several; added after the --note ones).
        #[arg(long = "note-file", value_name = "FILE")]
        note_files: Vec<PathBuf>,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Add a receiving unit's card (from `indicia unit-card`): seal to it, believe its receipts.
    AddUnit {
        /// The store's database file.
        store: PathBuf,
        /// The unit card (JSON).
        card: PathBuf,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Print the device's public key and key id (for the unit's `trust add --device`).
    DeviceKey {
        /// The store's database file.
        store: PathBuf,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Seal a draft case into a report package (to the added units, or -r); prints the report id.
    Seal {
        /// The store's database file.
        store: PathBuf,
        /// Case id.
        case: String,
        /// The reporting organisation's id, as agreed with the unit.
        #[arg(long)]
        organisation: String,
        /// Seal to this age recipient instead of the added units (repeatable).
        #[arg(short, long = "recipient", value_name = "AGE1")]
        recipients: Vec<String>,
        /// Also send receipts to this age recipient (e.g. the organisation's coordinator).
        #[arg(long = "reply-to", value_name = "AGE1")]
        reply_to: Vec<String>,
        /// The package file (never overwritten).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// ASCII armor.
        #[arg(short, long)]
        armor: bool,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Import a receipt from the unit: the case becomes acknowledged (and may be deleted).
    ImportReceipt {
        /// The store's database file.
        store: PathBuf,
        /// The receipt file.
        receipt: PathBuf,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Delete a case (a sealed case only after its receipt, unless --force).
    Delete {
        /// The store's database file.
        store: PathBuf,
        /// Case id.
        case: String,
        /// Delete even though no receipt arrived.
        #[arg(long)]
        force: bool,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
    /// Print one case (record, answers, notes, verified custody log) as JSON.
    Show {
        /// The store's database file.
        store: PathBuf,
        /// Case id (from `indicia store list`).
        case: String,
        /// Read the PIN from this file.
        #[arg(long, value_name = "FILE")]
        pin_file: Option<PathBuf>,
    },
}

/// CHECKLIST is a definition file, or `builtin:ID` (see `indicia checklist list`).
#[derive(Subcommand)]
enum ChecklistCommand {
    /// List the built-in checklists.
    List,
    /// Check a definition; print its id, version and content hash, or every mistake.
    Validate {
        /// Definition file or builtin:ID.
        checklist: String,
    },
    /// Print a checklist's questions, indicators and outcomes in a language.
    Show {
        /// Definition file or builtin:ID.
        checklist: String,
        /// Language (falls back along the checklist's chain).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Run a checklist in the terminal (or from saved answers) and print the assessment.
    Run {
        /// Definition file or builtin:ID.
        checklist: String,
        /// Language (falls back along the checklist's chain).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Take answers from this JSON file instead of asking.
        #[arg(long, value_name = "FILE")]
        answers: Option<PathBuf>,
        /// Show referral contacts for this country (ISO 3166-1 alpha-2) and international ones.
        #[arg(long)]
        country: Option<String>,
        /// Print the assessment as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Checklist(command) => run_checklist(command),
        Command::Store(command) => run_store(command),
        Command::Init { db, identity, name } => receiver::init(&db, &identity, &name),
        Command::Rekey {
            db,
            new_passphrase_file,
        } => receiver::rekey(&db, &new_passphrase_file),
        Command::UnitCard { db, output } => receiver::unit_card(&db, output.as_deref()),
        Command::Trust(TrustCommand::Add {
            db,
            device,
            organisation_key,
            organisation,
            label,
        }) => {
            let (kind, key) = match (device, organisation_key) {
                (Some(d), _) => (indicia_core::receiver::TrustKind::Device, d),
                (None, Some(o)) => (indicia_core::receiver::TrustKind::Organisation, o),
                (None, None) => unreachable_usage(),
            };
            receiver::trust_add(&db, kind, &key, &organisation, label.as_deref())
        }
        Command::Trust(TrustCommand::List { db, json }) => receiver::trust_list(&db, json),
        Command::Trust(TrustCommand::Revoke { db, key_id }) => receiver::trust_revoke(&db, &key_id),
        Command::Ingest {
            db,
            identity,
            json,
            paths,
        } => receiver::ingest(&db, &identity, &paths, json),
        Command::List { db, json } => receiver::list(&db, json),
        Command::Show {
            db,
            report,
            attachment,
            output,
        } => receiver::show(&db, &report, attachment, output.as_deref()),
        Command::Export { db, format, output } => receiver::export(&db, &format, output.as_deref()),
        Command::Correlate {
            db,
            min_organisations,
            region,
            json,
        } => receiver::correlate(&db, min_organisations, region.as_deref(), json),
        Command::Receipt {
            db,
            report,
            status,
            note,
            output,
            armor,
        } => receiver::receipt(
            &db,
            &report,
            &status,
            note.as_deref(),
            output.as_deref(),
            armor,
        ),
        Command::Package(PackageCommand::Verify {
            identity,
            passphrase_file,
            json,
            paths,
        }) => sealing::read_identities(&identity, passphrase_file.as_deref())
            .and_then(|identities| package::verify(&identities, &paths, json)),
        Command::Keygen {
            output,
            passphrase,
            passphrase_file,
        } => keygen::run(output.as_deref(), passphrase, passphrase_file.as_deref()),
        Command::Seal {
            recipients,
            armor,
            output,
            file,
        } => sealing::seal(&recipients, armor, file.as_deref(), output.as_deref()),
        Command::Open {
            identity,
            passphrase_file,
            output,
            file,
        } => sealing::open(
            &identity,
            passphrase_file.as_deref(),
            file.as_deref(),
            output.as_deref(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run_checklist(command: ChecklistCommand) -> Result<(), failure::Failure> {
    let mut out = std::io::stdout().lock();
    match command {
        ChecklistCommand::List => checklist::list(&mut out),
        ChecklistCommand::Validate { checklist } => checklist::validate(&checklist, &mut out),
        ChecklistCommand::Show { checklist, lang } => checklist::show(&checklist, &lang, &mut out),
        ChecklistCommand::Run {
            checklist,
            lang,
            answers,
            country,
            json,
        } => {
            drop(out);
            checklist::run(
                &checklist,
                &lang,
                answers.as_deref(),
                country.as_deref(),
                json,
            )
        }
    }
}

fn unreachable_usage() -> ! {
    // clap requires one of --device and --organisation-key.
    std::process::exit(2)
}

fn run_store(command: StoreCommand) -> Result<(), failure::Failure> {
    match command {
        StoreCommand::List { store, pin_file } => store::list(&store, pin_file.as_deref()),
        StoreCommand::Show {
            store,
            case,
            pin_file,
        } => store::show(&store, &case, pin_file.as_deref()),
        StoreCommand::Create { store, pin_file } => store::create(&store, pin_file.as_deref()),
        StoreCommand::Rekey {
            store,
            pin_file,
            new_pin_file,
        } => store::rekey(&store, pin_file.as_deref(), &new_pin_file),
        StoreCommand::NewCase {
            store,
            title,
            checklist,
            answers,
            mut notes,
            note_files,
            pin_file,
        } => note_files
            .iter()
            .try_for_each(|path| {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| failure::Failure::file(path, "read", &e))?;
                notes.push(text.trim_end().to_owned());
                Ok(())
            })
            .and_then(|()| {
                store::new_case(
                    &store,
                    pin_file.as_deref(),
                    &title,
                    checklist.as_deref(),
                    answers.as_deref(),
                    &notes,
                )
            }),
        StoreCommand::AddUnit {
            store,
            card,
            pin_file,
        } => store::add_unit(&store, pin_file.as_deref(), &card),
        StoreCommand::DeviceKey { store, pin_file } => {
            store::device_key(&store, pin_file.as_deref())
        }
        StoreCommand::Seal {
            store,
            case,
            organisation,
            recipients,
            reply_to,
            output,
            armor,
            pin_file,
        } => store::seal(
            &store,
            pin_file.as_deref(),
            &case,
            &organisation,
            &recipients,
            &reply_to,
            &output,
            armor,
        ),
        StoreCommand::ImportReceipt {
            store,
            receipt,
            pin_file,
        } => store::import_receipt(&store, pin_file.as_deref(), &receipt),
        StoreCommand::Delete {
            store,
            case,
            force,
            pin_file,
        } => store::delete(&store, pin_file.as_deref(), &case, force),
    }
}
