//! Peak memory and time while storing one large attachment in the encrypted store, and while
//! reading it back: the store promises that memory does not grow with the file's size.
//! `scripts/bench attachment [MiB]` (default 256); results in docs/benchmarks.md.
//!
//! Peak resident memory is the kernel's VmHWM, reset (via /proc/self/clear_refs) just before
//! each measured step, so the Argon2id unlock (64 MiB by design) does not hide in the numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measurement tool

use indicia_tools::bench_store;

use std::io::{self, Write};
use std::time::Instant;

use indicia_tools::peak_memory::{mib, reset_peak, status_kib};
use indicia_tools::source::Source;

use sha2::{Digest, Sha256};

/// Hashes what is written, keeps nothing.
struct HashSink(Sha256);

impl Write for HashSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn main() {
    let size_mib: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("size in MiB"))
        .unwrap_or(256);
    let bytes = size_mib * 1024 * 1024;
    let (dir, mut store, case) = bench_store::store_with_a_case();

    reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    let info = store
        .add_attachment(
            &case,
            "video.mp4",
            "video/mp4",
            Source {
                left: bytes,
                state: 0x9E37_79B9_7F4A_7C15,
            },
        )
        .unwrap();
    let add_secs = start.elapsed().as_secs_f64();
    let add_peak = status_kib("VmHWM:");

    reset_peak();
    let before_read = status_kib("VmRSS:");
    let start = Instant::now();
    let mut sink = HashSink(Sha256::new());
    store.read_attachment(&case, &info.id, &mut sink).unwrap();
    let read_secs = start.elapsed().as_secs_f64();
    let read_peak = status_kib("VmHWM:");
    let digest = indicia_core::hex::encode(&sink.0.finalize());
    assert_eq!(
        digest, info.sha256,
        "read back differs from what was stored"
    );

    let db: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!(
        "attachment: {size_mib} MiB in {} chunks; store files now {:.0} MiB",
        info.chunks,
        db as f64 / 1048576.0
    );
    println!(
        "add:  {add_secs:.2} s ({:.0} MiB/s); RSS before {:.1} MiB, peak {:.1} MiB (+{:.1} MiB)",
        size_mib as f64 / add_secs,
        mib(before),
        mib(add_peak),
        mib(add_peak.saturating_sub(before))
    );
    println!(
        "read: {read_secs:.2} s ({:.0} MiB/s); RSS before {:.1} MiB, peak {:.1} MiB (+{:.1} MiB)",
        size_mib as f64 / read_secs,
        mib(before_read),
        mib(read_peak),
        mib(read_peak.saturating_sub(before_read))
    );
}
