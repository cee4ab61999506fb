//! `indicia`: the receiver's and checklist author's command-line tool.
#![forbid(unsafe_code)]

mod checklist;
mod failure;
mod keygen;
mod package;
mod sealing;
mod secret;
mod store;

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
        Command::Store(StoreCommand::List { store, pin_file }) => {
            store::list(&store, pin_file.as_deref())
        }
        Command::Store(StoreCommand::Show {
            store,
            case,
            pin_file,
        }) => store::show(&store, &case, pin_file.as_deref()),
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
