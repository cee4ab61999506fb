//! Crash-test writer for core/tests/store_crash.rs: `store_crash_writer PATH` opens (or creates)
//! the store at PATH with passphrase "tidal-amber-orchard" (cheap test KDF), then saves answer "counter" of the first
//! case with 1, 2, 3, … forever, printing `committed N` (and flushing) after each save returns.
//! The test kills it at random moments and checks that every printed save survived.
//!
//! `store_crash_writer PATH --rekey` instead re-keys the store over and over, alternating
//! between two passphrases ("tidal-amber-orchard" on even rounds, "copper kettle moonrise" on
//! odd ones), printing `rekeyed 0` once unlocked and `rekeyed N` after re-key N of this run
//! returns (the test creates the store). The
//! test checks that after any kill the
//! store opens with the passphrase of the last reported re-key (or the next one) and every row
//! is intact.

use std::io::Write;

use indicia_core::store::{FileBackend, KdfParams, Protection, Store, StoreError};
use secrecy::SecretString;
use serde_json::json;

fn main() {
    if let Err(e) = run() {
        eprintln!("store_crash_writer: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: store_crash_writer PATH")?;
    let pin = SecretString::from("tidal-amber-orchard".to_owned());
    if std::env::args().nth(2).as_deref() == Some("--rekey") {
        return rekey_forever(&path);
    }
    let mut store = match Store::open(Box::new(FileBackend::new(&path))) {
        Ok(mut store) => {
            store.unlock(&pin)?;
            store
        }
        Err(StoreError::NoStore) => Store::create(
            Box::new(FileBackend::new(&path)),
            &pin,
            &Protection::passphrase(KdfParams::TESTING),
        )?,
        Err(e) => return Err(e.into()),
    };
    let id = match store.list_cases()?.into_iter().next() {
        Some(case) => case.id,
        None => store.create_case("crash test", None)?,
    };
    let mut counter = store
        .answers(&id)?
        .get("counter")
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    loop {
        counter += 1;
        store.save_answer(&id, "counter", &json!(counter))?;
        writeln!(out, "committed {counter}")?;
        out.flush()?;
    }
}

/// The two passphrases `--rekey` alternates between: round N leaves the store under `PINS[N % 2]`.
const PINS: [&str; 2] = ["tidal-amber-orchard", "copper kettle moonrise"];

fn rekey_forever(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let protection = Protection::passphrase(KdfParams::TESTING);
    let secret = |n: u64| SecretString::from(PINS[(n % 2) as usize].to_owned());
    let (mut store, mut round) = match Store::open(Box::new(FileBackend::new(path))) {
        Ok(mut store) => {
            // Whichever passphrase the last committed re-key left.
            let round = match store.unlock(&secret(0)) {
                Ok(()) => 0,
                Err(_) => {
                    store.unlock(&secret(1))?;
                    1
                }
            };
            (store, round)
        }
        Err(e) => return Err(e.into()),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // "rekeyed 0": unlocked, about to start (the test times its kill from here).
    writeln!(out, "rekeyed 0")?;
    out.flush()?;
    let mut done = 0u64;
    loop {
        store.rekey(&secret(round), None, &secret(round + 1), &protection)?;
        round += 1;
        done += 1;
        writeln!(out, "rekeyed {done}")?;
        out.flush()?;
    }
}
