//! The offline guessing cost of a PIN or passphrase (docs/threat-model.md, "Offline guessing"):
//! for each shipped Argon2id profile, the time of one guess on one core of this machine — one
//! Argon2id derivation, which is what an attacker with a copy of the disk (and, for a
//! device-bound store, the device's secret as well) pays per candidate — and the time to try
//! every PIN of 4 and 6 digits and every passphrase below the policy's zxcvbn thresholds
//! (10^8 guesses for score 3, 10^10 for score 4), on one core and on 1,000.
//! `scripts/bench kdf`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measurement tool

use std::time::Instant;

use argon2::{Algorithm, Argon2, Params, Version};
use indicia_core::store::KdfParams;

fn seconds_per_guess(kdf: KdfParams, rounds: u32) -> f64 {
    let params = Params::new(kdf.memory_kib, kdf.iterations, kdf.parallelism, Some(32)).unwrap();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut out = [0u8; 32];
    // One warm-up derivation (allocator, page faults), then the timed ones.
    argon
        .hash_password_into(b"warm-up", b"0123456789abcdef", &mut out)
        .unwrap();
    let start = Instant::now();
    for i in 0..rounds {
        argon
            .hash_password_into(
                format!("guess {i}").as_bytes(),
                b"0123456789abcdef",
                &mut out,
            )
            .unwrap();
    }
    start.elapsed().as_secs_f64() / f64::from(rounds)
}

fn human(seconds: f64) -> String {
    const MINUTE: f64 = 60.0;
    const HOUR: f64 = 3600.0;
    const DAY: f64 = 86400.0;
    const YEAR: f64 = 365.25 * DAY;
    if seconds < MINUTE {
        format!("{seconds:.0} s")
    } else if seconds < HOUR {
        format!("{:.0} min", seconds / MINUTE)
    } else if seconds < 3.0 * DAY {
        format!("{:.1} h", seconds / HOUR)
    } else if seconds < YEAR {
        format!("{:.0} days", seconds / DAY)
    } else {
        format!("{:.0} years", seconds / YEAR)
    }
}

fn main() {
    println!("| profile | one guess, one core | guesses/s/core | 4 digits (10^4) | 6 digits (10^6) | score 3 (10^8) | score 4 (10^10) |");
    println!("|---|---|---|---|---|---|---|");
    for (name, kdf, rounds) in [
        ("MOBILE (64 MiB, 3 passes)", KdfParams::MOBILE, 10),
        ("BROWSER (19 MiB, 2 passes)", KdfParams::BROWSER, 40),
    ] {
        let t = seconds_per_guess(kdf, rounds);
        let row: Vec<String> = [1e4, 1e6, 1e8, 1e10]
            .iter()
            .map(|n| format!("{} (1,000 cores: {})", human(n * t), human(n * t / 1000.0)))
            .collect();
        println!(
            "| {name} | {:.0} ms | {:.1} | {} |",
            t * 1e3,
            1.0 / t,
            row.join(" | ")
        );
    }
}
