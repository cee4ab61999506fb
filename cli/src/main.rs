//! `indicia`: the receiver's and checklist author's command-line tool.
#![forbid(unsafe_code)]

mod failure;
mod keygen;
mod sealing;

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
    /// Generate an age X25519 identity (the standard age-keygen format).
    Keygen {
        /// Write the identity file here (created with mode 0600; never overwritten) and print
        /// the public key on stderr. Without it the identity file goes to stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
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
        /// Write to this file instead of stdout; it appears only if the whole input authenticates.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// The sealed file; stdin when absent or "-".
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Keygen { output } => keygen::run(output.as_deref()),
        Command::Seal {
            recipients,
            armor,
            output,
            file,
        } => sealing::seal(&recipients, armor, file.as_deref(), output.as_deref()),
        Command::Open {
            identity,
            output,
            file,
        } => sealing::open(&identity, file.as_deref(), output.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
