//! Re-key, unlock and the integrity check at scale (docs/benchmarks.md, "Vault"): a field store
//! with 1,000 cases (answers, a note each) and one attachment of SIZE MiB (default 256) is
//! re-keyed; the time and the peak resident memory of the re-key are printed, then the time of
//! an unlock (with the cheap test KDF, so what is left is the row check) before and after.
//! `scripts/bench rekey [MiB]`.
//!
//! Peak resident memory is the kernel's VmHWM, reset (via /proc/self/clear_refs) just before
//! the measured step.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measurement tool

use indicia_tools::bench_store;

use std::time::Instant;

use indicia_core::store::{FileBackend, KdfParams, Protection, Store};
use indicia_tools::peak_memory::{mib, reset_peak, status_kib};
use indicia_tools::source::Source;
use secrecy::SecretString;
use serde_json::json;

fn timed_unlock(path: &std::path::Path, pin: &SecretString) -> f64 {
    let mut store = Store::open(Box::new(FileBackend::new(path))).unwrap();
    let start = Instant::now();
    store.unlock(pin).unwrap();
    start.elapsed().as_secs_f64()
}

fn main() {
    let size_mib: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("size in MiB"))
        .unwrap_or(256);
    let dir = bench_store::fixture_dir();
    let path = dir.path().join("store.sqlite");
    let (old, new) = (
        SecretString::from("tidal-amber-orchard".to_owned()),
        SecretString::from("copper kettle moonrise".to_owned()),
    );
    let protection = Protection::passphrase(KdfParams::TESTING);
    let mut store = Store::create(Box::new(FileBackend::new(&path)), &old, &protection).unwrap();
    let start = Instant::now();
    let mut first = None;
    for i in 0..1000 {
        let id = store.create_case(&format!("case {i:04}"), None).unwrap();
        store
            .save_answer(&id, "age_group", &json!("adult"))
            .unwrap();
        store
            .save_answer(&id, "worker_note", &json!(format!("answer {i}")))
            .unwrap();
        store.add_note(&id, &format!("note {i}")).unwrap();
        first.get_or_insert(id);
    }
    let case = first.unwrap();
    store
        .add_attachment(
            &case,
            "video.mp4",
            "video/mp4",
            Source {
                left: size_mib * 1024 * 1024,
                state: 0x9E37_79B9_7F4A_7C15,
            },
        )
        .unwrap();
    println!(
        "fixture: 1,000 cases and a {size_mib} MiB attachment in {:.1} s ({})",
        start.elapsed().as_secs_f64(),
        bench_store::describe(dir.path())
    );
    drop(store);
    let unlock_before = timed_unlock(&path, &old);

    let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
    store.unlock(&old).unwrap();
    reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    store.rekey(&old, None, &new, &protection).unwrap();
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    drop(store);
    let unlock_after = timed_unlock(&path, &new);
    println!(
        "rekey: {secs:.2} s ({:.0} MiB/s); RSS before {:.1} MiB, peak {:.1} MiB (+{:.1} MiB)",
        size_mib as f64 / secs,
        mib(before),
        mib(peak),
        mib(peak.saturating_sub(before))
    );
    println!(
        "unlock (test KDF: the row check and key loading): {:.1} ms before, {:.1} ms after",
        unlock_before * 1e3,
        unlock_after * 1e3
    );
}
