//! Encrypted store benchmarks (docs/benchmarks.md, "Encrypted store"). The targets: saving one
//! answer (seal + commit) has p99 < 1 ms, with a case that already has ~100 saved answers and
//! again after 1,000 saves to the same case; listing 10,000 cases with decrypted summaries takes
//! < 250 ms; unlocking with the default Argon2id parameters is reported.
//!
//! Every measured store is a `FileBackend` in the temporary directory (`TMPDIR`); fixtures are
//! built on tmpfs when there is one and copied there. `KdfParams::TESTING` everywhere except the
//! unlock benchmarks, which use `KdfParams::MOBILE` and `KdfParams::BROWSER` (natively, for
//! reference). Criterion reports means; each benchmark also times every call one by one (warm-up
//! included) and prints the percentiles once (`… timed one by one: p50 …, p99 …`). The two save
//! states are then measured once more, alternating save by save (`(interleaved)`), which is the
//! fair test of whether a save's cost grows with the custody log.
//!
//! Run: `cargo bench -p indicia-core --bench store` (or `scripts/bench store`). Without `--bench`
//! (`cargo test -p indicia-core --bench store`) criterion runs each benchmark once; the fixtures
//! then shrink (1,000 → 150 saves, 10,000 → 200 cases, `TESTING` for unlock) so that check of
//! the setup stays quick in a debug build.

// Bench code: a store operation that fails must stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use indicia_core::store::{FileBackend, KdfParams, Protection, Store};
use secrecy::SecretString;
use serde_json::{json, Value};
use tempfile::TempDir;

/// Distinct questions answered in each case before anything is timed.
const ANSWERED: usize = 100;
/// Cases the save benchmarks write to, in turn (one save each, round-robin).
const SAVE_CASES: usize = 10;
/// Saves per case after which the save benchmarks put the store back to its snapshot (untimed),
/// so the custody logs grow by at most this many entries while a state is measured. A save adds
/// about 8 pages to the WAL, so SQLite checkpoints about every 125 saves; a cycle of 500 saves
/// after a fresh open has checkpoints in their steady share (4 in 500).
const RESTORE_EVERY: usize = 50;

fn pin() -> SecretString {
    SecretString::from("tidal-amber-orchard".to_owned())
}

/// `cargo bench` passes `--bench`; criterion's test mode (`cargo test --bench store`) does not.
fn full_run() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn question(q: usize) -> String {
    format!("q{q:03}")
}

/// The value of question `q` on a case's `round`th pass over the questions: the shapes answers
/// have (yes/no, several choices, a number), changing from round to round.
fn answer(q: usize, round: usize) -> Value {
    match q % 4 {
        0 | 1 => json!(if (q + round) % 2 == 0 { "yes" } else { "no" }),
        2 => {
            if round % 2 == 0 {
                json!(["family", "online"])
            } else {
                json!(["employer"])
            }
        }
        _ => json!(16 + (q + round) % 40),
    }
}

/// Save number `n` of a case (0-based): question `n % ANSWERED`, so the first `ANSWERED` saves
/// answer every question once and later saves change answers already given.
fn save_nth(store: &mut Store, case: &str, n: usize) -> Duration {
    let (q, v) = (question(n % ANSWERED), answer(n % ANSWERED, n / ANSWERED));
    let start = Instant::now();
    store.save_answer(case, &q, &v).unwrap();
    start.elapsed()
}

/// Where fixtures are built: tmpfs when there is one (no fsync: creating 10,000 cases takes about
/// half the time). The stores that are measured are copies in the ordinary temporary directory.
fn build_dir() -> TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.to_path_buf().into_os_string();
    p.push(suffix);
    PathBuf::from(p)
}

/// `SAVE_CASES` draft cases, with a copy of their store taken after every case had 100 saves
/// (each question answered once) and another after 1,000 saves each.
struct SaveFixture {
    _dir: TempDir,
    /// The stores that are measured: copies of the snapshots.
    work: [PathBuf; 2],
    cases: Vec<String>,
    /// Database copies, after `ANSWERED` and after `later` saves per case.
    snapshots: [PathBuf; 2],
}

impl SaveFixture {
    fn build(later: usize) -> SaveFixture {
        let build = build_dir();
        let path = build.path().join("store.sqlite");
        let dir = tempfile::tempdir().unwrap();
        let start = Instant::now();
        let mut store = Store::create(
            Box::new(FileBackend::new(&path)),
            &pin(),
            &Protection::passphrase(KdfParams::TESTING),
        )
        .unwrap();
        let cases: Vec<String> = (0..SAVE_CASES)
            .map(|i| store.create_case(&format!("Case {i}"), None).unwrap())
            .collect();
        let snapshots = [ANSWERED, later].map(|n| dir.path().join(format!("after-{n}.sqlite")));
        let mut done = 0;
        for (target, copy) in [ANSWERED, later].into_iter().zip(&snapshots) {
            for n in done..target {
                for case in &cases {
                    save_nth(&mut store, case, n);
                }
            }
            done = target;
            // Closing the connection folds the WAL into the database file: the copy is complete.
            drop(store);
            std::fs::copy(&path, copy).unwrap();
            store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
            store.unlock(&pin()).unwrap();
        }
        drop(store);
        println!(
            "store: setup: {SAVE_CASES} cases × {later} saves in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        SaveFixture {
            work: [0, 1].map(|state| dir.path().join(format!("work-{state}.sqlite"))),
            _dir: dir,
            cases,
            snapshots,
        }
    }

    /// The working store of `state` (0: after `ANSWERED` saves, 1: after `later`), put back to
    /// its snapshot and unlocked. Its previous `Store` must be dropped first.
    fn restore(&self, state: usize) -> Store {
        let work = &self.work[state];
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(work, suffix));
        }
        std::fs::copy(&self.snapshots[state], work).unwrap();
        let mut store = Store::open(Box::new(FileBackend::new(work))).unwrap();
        store.unlock(&pin()).unwrap();
        store
    }
}

/// `p` (0–1) by nearest rank.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn show(d: Duration) -> String {
    if d < Duration::from_millis(1) {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    } else {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    }
}

/// Prints the distribution of every timed call of one benchmark (warm-up included).
fn report(name: &str, what: &str, times: &mut [Duration]) {
    if times.is_empty() {
        return;
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{name}: {} {what} timed one by one: p50 {}, p99 {}, max {}, mean {}",
        times.len(),
        show(percentile(times, 0.50)),
        show(percentile(times, 0.99)),
        show(times[times.len() - 1]),
        show(mean),
    );
}

/// Runs `op` `iters` times, timing each call; returns the total.
fn timed(iters: u64, times: &mut Vec<Duration>, mut op: impl FnMut()) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        op();
        let d = start.elapsed();
        times.push(d);
        total += d;
    }
    total
}

fn save_benches(c: &mut Criterion) {
    let later = if full_run() { 1_000 } else { 150 };
    let mut fixture: Option<SaveFixture> = None;
    let mut group = c.benchmark_group("save_answer");
    group
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for state in 0..2 {
        let saves = [ANSWERED, later][state];
        let mut times = Vec::new();
        // (the store, saves since it was restored): kept across criterion's calls.
        let mut run: Option<(Store, usize)> = None;
        // The fixture is built the first time either state runs (a criterion filter that skips
        // both skips the setup too).
        group.bench_function(format!("after_{saves}_saves"), |b| {
            let f = fixture.get_or_insert_with(|| SaveFixture::build(later));
            let cycle = RESTORE_EVERY * f.cases.len();
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    if run.as_ref().is_none_or(|(_, next)| *next == cycle) {
                        drop(run.take());
                        run = Some((f.restore(state), 0));
                    }
                    let (store, next) = run.as_mut().unwrap();
                    let case = &f.cases[*next % f.cases.len()];
                    let d = save_nth(store, case, saves + *next / f.cases.len());
                    times.push(d);
                    total += d;
                    *next += 1;
                }
                total
            });
        });
        report(
            &format!("save_answer/after_{saves}_saves"),
            "saves",
            &mut times,
        );
    }
    group.finish();
    if let Some(f) = &fixture {
        interleaved(f, later);
    }
}

/// The two states again, one save to each in turn. Criterion measures them one after the other,
/// and on a shared machine the load changes in between; alternating exposes both to the same
/// load, so this is the comparison that says whether the cost grows with the log.
fn interleaved(f: &SaveFixture, later: usize) {
    let mut times = [Vec::new(), Vec::new()];
    let cycles = if full_run() { 2 } else { 1 };
    for _ in 0..cycles {
        let mut stores = [f.restore(0), f.restore(1)];
        for next in 0..RESTORE_EVERY * f.cases.len() {
            let case = &f.cases[next % f.cases.len()];
            for (state, saves) in [ANSWERED, later].into_iter().enumerate() {
                let d = save_nth(&mut stores[state], case, saves + next / f.cases.len());
                times[state].push(d);
            }
        }
    }
    for (state, saves) in [ANSWERED, later].into_iter().enumerate() {
        report(
            &format!("save_answer/after_{saves}_saves (interleaved)"),
            "saves",
            &mut times[state],
        );
    }
}

fn list_benches(c: &mut Criterion) {
    let cases = if full_run() { 10_000 } else { 200 };
    let mut group = c.benchmark_group("list_cases");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let mut fixture: Option<(TempDir, Store)> = None;
    let mut times = Vec::new();
    group.bench_function(format!("{cases}_cases"), |b| {
        let (_, store) = fixture.get_or_insert_with(|| {
            // Each create rewrites the whole sealed case index, so this takes a while.
            println!("store: setup: creating {cases} cases …");
            let build = build_dir();
            let built = build.path().join("store.sqlite");
            let start = Instant::now();
            let mut store = Store::create(
                Box::new(FileBackend::new(&built)),
                &pin(),
                &Protection::passphrase(KdfParams::TESTING),
            )
            .unwrap();
            for i in 0..cases {
                let title = format!("Case {i:05}: outreach contact, bus station");
                store.create_case(&title, None).unwrap();
            }
            drop(store);
            println!(
                "store: setup: {cases} cases created in {:.1} s",
                start.elapsed().as_secs_f64()
            );
            // Measure a store as the app finds it: opened and unlocked, nothing cached by SQLite.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("store.sqlite");
            std::fs::copy(&built, &path).unwrap();
            let mut store = Store::open(Box::new(FileBackend::new(&path))).unwrap();
            store.unlock(&pin()).unwrap();
            assert_eq!(store.list_cases().unwrap().len(), cases);
            (dir, store)
        });
        b.iter_custom(|iters| {
            timed(iters, &mut times, || {
                black_box(store.list_cases().unwrap());
            })
        });
    });
    report(&format!("list_cases/{cases}_cases"), "lists", &mut times);
    // The same store's unlock with the cheap test KDF: what is left is loading the keys and the
    // vault's row check (every row's key, version and nonce against the sealed state).
    let mut unlock_times = Vec::new();
    group.bench_function(format!("unlock_row_check_{cases}_cases"), |b| {
        let (_, store) = fixture.as_mut().unwrap();
        let pin = pin();
        b.iter_custom(|iters| {
            timed(iters, &mut unlock_times, || {
                store.lock();
                store.unlock(&pin).unwrap();
            })
        });
    });
    report(
        &format!("list_cases/unlock_row_check_{cases}_cases"),
        "unlocks",
        &mut unlock_times,
    );
    group.finish();
}

/// A stand-in for a hardware HMAC key (the cost on a phone is the Keystore call, not this).
struct HmacDevice;

impl indicia_core::store::DeviceSecret for HmacDevice {
    fn respond(&self, challenge: &[u8; 32]) -> Result<indicia_core::store::DeviceResponse, String> {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&[7; 32])
            .map_err(|e| e.to_string())?;
        mac.update(challenge);
        indicia_core::store::DeviceResponse::from_slice(&mac.finalize().into_bytes())
            .map_err(|e| e.to_string())
    }
}

fn unlock_benches(c: &mut Criterion) {
    let full = full_run();
    let mut group = c.benchmark_group("unlock");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for (label, kdf, device_bound) in [
        ("mobile", KdfParams::MOBILE, false),
        ("mobile_device_bound", KdfParams::MOBILE, true),
        ("browser_params_native", KdfParams::BROWSER, false),
    ] {
        let kdf = if full { kdf } else { KdfParams::TESTING };
        let mut fixture: Option<(TempDir, Store)> = None;
        let mut times = Vec::new();
        group.bench_function(label, |b| {
            let (_, store) = fixture.get_or_insert_with(|| {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("store.sqlite");
                let protection = if device_bound {
                    Protection::device_bound(
                        kdf,
                        indicia_core::store::DeviceFactor::from_secret(&HmacDevice).unwrap(),
                    )
                } else {
                    Protection::passphrase(kdf)
                };
                let mut store =
                    Store::create(Box::new(FileBackend::new(&path)), &pin(), &protection).unwrap();
                store.create_case("Case 1", None).unwrap();
                store.lock();
                (dir, store)
            });
            let pin = pin();
            b.iter_custom(|iters| {
                timed(iters, &mut times, || {
                    store.lock();
                    if device_bound {
                        store.unlock_with_device_secret(&pin, &HmacDevice).unwrap();
                    } else {
                        store.unlock(&pin).unwrap();
                    }
                })
            });
        });
        report(&format!("unlock/{label}"), "unlocks", &mut times);
    }
    group.finish();
}

criterion_group!(store, save_benches, list_benches, unlock_benches);
criterion_main!(store);
