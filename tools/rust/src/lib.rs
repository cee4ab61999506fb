//! The project's own tool programs (src/bin/): measurements of the store, the KDF and report
//! packages (scripts/bench, docs/benchmarks.md) and the generators of the frozen package and
//! receipt vectors (tests/vectors/). This library holds what the measurements share.
//! docs/decisions/0005-tools-crate.md says why they live here and not in core/examples/.

// Tools run by hand: a failed step should stop with its panic message, not be handled.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod bench_store;
pub mod peak_memory;
pub mod source;
