//! Selector extraction over adversarial notes (issue #11, "Linear selector extraction"; results
//! in docs/benchmarks.md). A trusted but stolen device can write any note of up to
//! `MAX_NOTE_BYTES`; extraction over 1 MiB of the worst shapes found must stay linear (target
//! < 50 ms native). Each input is built here, deterministically:
//! - `digit_groups`: "1 2 3 4 …" — one run of single-digit groups, the shape that made the
//!   window search cubic;
//! - `closing_brackets`: a URL followed by closing brackets, which made trailing-bracket
//!   trimming quadratic;
//! - `emails`: "a@b.example " repeated, which made the covered-range check quadratic;
//! - `prose`: ordinary text with a phone number, an e-mail address and a link every few lines.
//!
//! Run: `cargo bench -p indicia-core --bench extract` (or `scripts/bench extract`).
//! `cargo test -p indicia-core --benches` runs each once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use indicia_core::correlate::extract_from_text;

const MIB: usize = 1 << 20;

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len())
}

/// The adversarial inputs, each 1 MiB (give or take a unit).
pub fn inputs() -> Vec<(&'static str, String)> {
    let digits: String = (0..MIB / 2)
        .map(|i| char::from(b'0' + (i % 10) as u8).to_string() + " ")
        .collect();
    let brackets = format!("see https://example.invalid/a{}", ")".repeat(MIB));
    let prose = repeat_to(
        "Met her at the bus station; she said the recruiter (call +421 903 123 456) keeps her \
         passport. Boss writes from boss@farm.example and posts on https://t.me/someone. \n",
        MIB,
    );
    vec![
        ("digit_groups", digits),
        ("closing_brackets", brackets),
        ("emails", repeat_to("a@b.example ", MIB)),
        ("prose", prose),
    ]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("extract_1mib");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    for (name, text) in inputs() {
        group.bench_function(name, |b| {
            b.iter(|| extract_from_text(black_box(&text), Some("SK")))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
