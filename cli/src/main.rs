//! `indicia`: the receiver's and checklist author's command-line tool. This file parses the
//! command line (cli.rs), hands each command its arguments and turns a failure into its exit
//! code (failure.rs).
#![forbid(unsafe_code)]

mod checklist;
mod cli;
mod evidence;
mod failure;
mod keygen;
mod package;
mod personal;
mod qr;
mod receiver;
mod sealing;
mod secret;
mod store;
mod text;

use std::process::ExitCode;

use clap::Parser;

use cli::{ChecklistCommand, Cli, Command, PackageCommand, StoreCommand, TrustCommand};

fn main() -> ExitCode {
    match run(&Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run(command: &Command) -> Result<(), failure::Failure> {
    match command {
        Command::Checklist(command) => run_checklist(command),
        Command::Store(command) => run_store(command),
        Command::Package(PackageCommand::Verify(args)) => package::verify(args),
        Command::Init(args) => receiver::init(args),
        Command::Rekey(args) => receiver::rekey(args),
        Command::UnitCard(args) => receiver::unit_card(args),
        Command::Trust(TrustCommand::Add(args)) => receiver::trust_add(args),
        Command::Trust(TrustCommand::List(args)) => receiver::trust_list(args),
        Command::Trust(TrustCommand::Revoke(args)) => receiver::trust_revoke(args),
        Command::Ingest(args) => receiver::ingest(args),
        Command::List(args) => receiver::list(args),
        Command::Show(args) => receiver::show(args),
        Command::Export(args) => receiver::export(args),
        Command::Correlate(args) => receiver::correlate(args),
        Command::Receipt(args) => receiver::receipt(args),
        Command::Verify(args) => evidence::verify(args),
        Command::Evidence(args) => evidence::bundle(args),
        Command::Quarantine(args) => evidence::quarantine(args),
        Command::Release(args) => evidence::release(args),
        Command::Delete(args) => evidence::delete(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Seal(args) => sealing::seal(args),
        Command::Open(args) => sealing::open(args),
    }
}

fn run_checklist(command: &ChecklistCommand) -> Result<(), failure::Failure> {
    match command {
        ChecklistCommand::List => checklist::list(&mut std::io::stdout().lock()),
        ChecklistCommand::Validate(args) => {
            checklist::validate(args, &mut std::io::stdout().lock())
        }
        ChecklistCommand::Show(args) => checklist::show(args, &mut std::io::stdout().lock()),
        // Interactive: it asks on the terminal, so stdout is not held locked.
        ChecklistCommand::Run(args) => checklist::run(args),
        ChecklistCommand::Import(args) => checklist::import(args),
        ChecklistCommand::Export(args) => checklist::export(args),
        ChecklistCommand::Keygen(args) => checklist::keygen(args),
        ChecklistCommand::Sign(args) => checklist::sign(args),
    }
}

fn run_store(command: &StoreCommand) -> Result<(), failure::Failure> {
    match command {
        StoreCommand::List(args) => store::list(args),
        StoreCommand::Show(args) => store::show(args),
        StoreCommand::Create(args) => store::create(args),
        StoreCommand::Rekey(args) => store::rekey(args),
        StoreCommand::NewCase(args) => store::new_case(args),
        StoreCommand::AddUnit(args) => store::add_unit(args),
        StoreCommand::Units(args) => store::units(args),
        StoreCommand::RemoveUnit(args) => store::remove_unit(args),
        StoreCommand::DeviceKey(args) => store::device_key(args),
        StoreCommand::Seal(args) => store::seal(args),
        StoreCommand::ImportReceipt(args) => store::import_receipt(args),
        StoreCommand::Delete(args) => store::delete(args),
        StoreCommand::ChecklistTrust(args) => store::checklist_trust(args),
    }
}
