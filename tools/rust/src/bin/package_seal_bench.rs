//! Time and peak memory of sealing one large attachment into a report package, and of opening
//! and verifying it; `bench/package-seal.sh` (`scripts/bench package`) runs it side by side
//! with rage and Go age on the same file. Results in docs/benchmarks.md.
//!
//! ```text
//! package_seal_bench INPUT OUTPUT RECIPIENT          seal INPUT as the one attachment
//! package_seal_bench --open IDENTITY_FILE PACKAGE    open + verify, attachments to a sink
//! package_seal_bench --store INPUT OUTPUT RECIPIENT  the same attachment through a file
//!                                                    store: `Store::seal_case` (one pass)
//! package_seal_bench --many N                        seal N ~2 KB packages in memory, then
//!                                                    time opening + verifying all of them
//! ```
//!
//! Sealing a file reads it once: package v2 puts the attachments' digests in a trailer after
//! them (docs/decisions/0008-package-v2.md); v1 needed the SHA-256 in the manifest first and so
//! read the file twice.
//!
//! Peak resident memory is the kernel's VmHWM, reset (via /proc/self/clear_refs) just before each
//! measured step. Each mode ends with one line `result: SECONDS PEAK_KIB` (the measured step as a
//! whole, and the process's peak over it) that the script reads.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measurement tool

use indicia_tools::bench_store;

use std::fs::File;
use std::io::{self, BufReader, BufWriter};
use std::time::Instant;

use indicia_tools::peak_memory::{mib, reset_peak, status_kib};

use indicia_core::package::{
    open_package, open_package_in_memory, seal_package_in_memory, AttachmentEntry, CaseContent,
    DeviceKey, Manifest, NoteEntry, PackageWriter, UnitCard, FORMAT,
};
use indicia_core::{hex, parse_identities, Armor, Identity, Recipient};
use secrecy::SecretString;
use sha2::Digest;

fn usage() -> ! {
    eprintln!(
        "usage: package_seal_bench INPUT OUTPUT RECIPIENT\n       \
         package_seal_bench --open IDENTITY_FILE PACKAGE\n       \
         package_seal_bench --store INPUT OUTPUT RECIPIENT\n       \
         package_seal_bench --many N"
    );
    std::process::exit(2)
}

/// A manifest shaped like a real one (answers, a note, an assessment), with the given
/// attachments.
fn manifest(key: &DeviceKey, report: u64, attachments: Vec<AttachmentEntry>) -> Manifest {
    let answers = serde_json::json!({
        "age_group": "adult",
        "sector": ["construction"],
        "documents_withheld": "yes",
        "debt": "yes",
        "hours": 16.5,
        "free_to_leave": "no",
    });
    Manifest {
        format: FORMAT.into(),
        report_id: format!("{report:032x}"),
        sealed_at: 1_795_459_641,
        organisation: "sk.example-ngo".into(),
        reply_to: vec![],
        device: key.info(),
        case: CaseContent {
            case_id: format!("{:032x}", u128::from(report) + (0xfedc_u128 << 112)),
            title: "Harbour, building site".into(),
            created: 1_795_450_000,
            updated: 1_795_459_000,
            answers: answers.as_object().unwrap().clone(),
            notes: vec![NoteEntry {
                text: "met at the bus station; passport kept by the foreman".into(),
                created: 1_795_451_000,
            }],
        },
        checklist: None,
        assessment: Some(serde_json::json!({"outcome": {"level": 2}})),
        attachments,
        custody: vec![],
    }
}

fn recipient(text: &str) -> Recipient {
    text.parse().expect("an age1… recipient")
}

fn file_size(path: &str) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

fn print_step(label: &str, secs: f64, bytes: u64, before: u64, peak: u64) {
    println!(
        "{label:<28} {secs:7.3} s  {:7.1} MiB/s  RSS before {:.1} MiB, peak {:.1} MiB (+{:.1} MiB)",
        bytes as f64 / 1048576.0 / secs,
        mib(before),
        mib(peak),
        mib(peak.saturating_sub(before))
    );
}

/// Seals INPUT as the one attachment of a package, reading it once (package v2: the size from
/// the file's metadata, the SHA-256 computed as the bytes stream, the digest in the trailer).
fn seal_file(input: &str, output: &str, recipient: &Recipient) {
    let size = file_size(input);
    let key = DeviceKey::generate().unwrap();

    reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    let entry = AttachmentEntry {
        name: "video.mp4".into(),
        mime: "video/mp4".into(),
        size,
        sha256: String::new(),
    };
    let out = BufWriter::new(File::create(output).unwrap());
    let mut writer = PackageWriter::new(
        manifest(&key, 1, vec![entry]),
        &key,
        std::slice::from_ref(recipient),
        Armor::Binary,
        out,
    )
    .unwrap();
    // A file that grew or shrank since its size was taken is refused (AttachmentMismatch).
    writer.write_attachment(File::open(input).unwrap()).unwrap();
    let (out, sealed) = writer.finish_with_manifest().unwrap();
    out.into_inner().unwrap();
    let total = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");

    println!(
        "seal: {:.0} MiB attachment → {} ({:.1} MiB), SHA-256 {}",
        size as f64 / 1048576.0,
        output,
        file_size(output) as f64 / 1048576.0,
        &sealed.attachments[0].sha256[..16]
    );
    print_step("read + sign + stream + seal", total, size, before, peak);
    println!("result: {total:.4} {peak}");
}

/// Opens and verifies PACKAGE, streaming its attachments into a sink.
fn open_file(identity_file: &str, package: &str) {
    let text = SecretString::from(std::fs::read_to_string(identity_file).unwrap());
    let identities = parse_identities(&text).unwrap();
    let size = file_size(package);

    reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    let input = BufReader::new(File::open(package).unwrap());
    let mut reader = open_package(input, &identities).unwrap();
    let count = reader.manifest().attachments.len();
    for _ in 0..count {
        reader.read_attachment(io::sink()).unwrap();
    }
    let manifest = reader.finish().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    let content: u64 = manifest.attachments.iter().map(|a| a.size).sum();
    println!(
        "open: {package} ({:.1} MiB), {count} attachment(s), {:.1} MiB verified",
        size as f64 / 1048576.0,
        content as f64 / 1048576.0
    );
    print_step("open + verify", secs, content, before, peak);
    println!("result: {secs:.4} {peak}");
}

/// The store's path: the attachment is added to a draft case first (not measured), then
/// `Store::seal_case` writes the package in one pass, as the store already keeps the SHA-256.
fn seal_store(input: &str, output: &str, recipient: &Recipient) {
    let size = file_size(input);
    let (_dir, mut store, case) = bench_store::store_with_a_case();
    let start = Instant::now();
    store
        .add_attachment(&case, "video.mp4", "video/mp4", File::open(input).unwrap())
        .unwrap();
    println!(
        "store: attachment added in {:.2} s (setup, not measured)",
        start.elapsed().as_secs_f64()
    );
    // The device key is created at first use; create it before the measured step. The store
    // seals only to units whose signed cards it holds: the unit's card for `recipient`.
    store.device_key().unwrap();
    let card = UnitCard::signed(
        "Bench unit",
        &recipient.to_string(),
        &DeviceKey::generate().unwrap(),
    )
    .unwrap();
    store.add_unit(&card).unwrap();

    reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    let out = BufWriter::new(File::create(output).unwrap());
    let (out, report) = store
        .seal_case(&case, "sk.example-ngo", &[], &[], Armor::Binary, out)
        .unwrap();
    out.into_inner().unwrap();
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    println!(
        "store seal_case: report {} → {output} ({:.1} MiB)",
        report.report_id,
        file_size(output) as f64 / 1048576.0
    );
    print_step("seal_case (one pass)", secs, size, before, peak);
    println!("result: {secs:.4} {peak}");
}

/// Seals `count` small packages in memory, then opens and verifies each, on this one thread.
fn many(count: u64) {
    let identity = Identity::generate();
    let recipients = [identity.recipient()];
    let identities = [identity];
    let key = DeviceKey::generate().unwrap();
    let photo: Vec<u8> = (0..640u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let entry = AttachmentEntry {
        name: "photo-0.jpg".into(),
        mime: "image/jpeg".into(),
        size: photo.len() as u64,
        sha256: hex::encode(&sha2::Sha256::digest(&photo)),
    };

    // Packages with report ids `ids`, each with the one photo.
    let seal_many = |ids: std::ops::Range<u64>| -> Vec<Vec<u8>> {
        ids.map(|i| {
            seal_package_in_memory(
                manifest(&key, i, vec![entry.clone()]),
                &key,
                &recipients,
                Armor::Binary,
                &[&photo],
            )
            .unwrap()
        })
        .collect()
    };
    let start = Instant::now();
    let packages = seal_many(0..count);
    let seal_secs = start.elapsed().as_secs_f64();
    let bytes: usize = packages.iter().map(Vec::len).sum();

    reset_peak();
    let before = status_kib("VmRSS:");
    let start = Instant::now();
    let mut checked = 0u64;
    for package in &packages {
        let opened = open_package_in_memory(package, &identities).unwrap();
        checked += opened.attachments.len() as u64;
    }
    let secs = start.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    assert_eq!(checked, count);
    println!(
        "many: {count} packages of {:.0} bytes on average ({:.1} MiB in all, held in memory)",
        bytes as f64 / count as f64,
        bytes as f64 / 1048576.0
    );
    println!(
        "seal, one thread:          {seal_secs:7.3} s  {:8.0} packages/s",
        count as f64 / seal_secs
    );
    println!(
        "open + verify, one thread: {secs:7.3} s  {:8.0} packages/s  ({:.0} µs each); RSS {:.1} MiB, peak {:.1} MiB",
        count as f64 / secs,
        secs * 1e6 / count as f64,
        mib(before),
        mib(peak)
    );
    // As many again, with other report ids: new reports into a database that already holds
    // `count` (its B-tree pages fuller and more of them than the first run saw).
    let more = seal_many(count..2 * count);
    ingest_all(&packages, &more, &identities, &key);
    ceiling(&packages[0], &key);
    println!("result: {secs:.4} {peak}");
}

/// What one core can do at most: the public-key operations every package costs, per second, on
/// this thread: one X25519 for the age recipient stanza and strict Ed25519 verifications — two
/// for a version 2 package (the header's signature, checked before any JSON is read, and the
/// trailer's, after the attachments: docs/formats/package.md), one for version 1.
fn ceiling(package: &[u8], key: &DeviceKey) {
    use ed25519_dalek::{Signer, SigningKey};
    const N: u32 = 20_000;
    let secret = x25519_dalek::StaticSecret::from([7u8; 32]);
    let public = x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from([9u8; 32]));
    let start = Instant::now();
    let mut acc = 0u8;
    for _ in 0..N {
        acc ^= secret.diffie_hellman(&public).as_bytes()[0];
    }
    let x25519 = N as f64 / start.elapsed().as_secs_f64();
    let signing = SigningKey::from_bytes(&[3u8; 32]);
    let message = &package[..package.len().min(1800)];
    let signature = signing.sign(message);
    let verifying = signing.verifying_key();
    let start = Instant::now();
    for _ in 0..N {
        verifying.verify_strict(message, &signature).unwrap();
    }
    let ed25519 = N as f64 / start.elapsed().as_secs_f64();
    let v1 = 1.0 / (1.0 / x25519 + 1.0 / ed25519);
    let v2 = 1.0 / (1.0 / x25519 + 2.0 / ed25519);
    println!(
        "ceiling, one core: X25519 {x25519:.0}/s, Ed25519 verify {ed25519:.0}/s: a v2 package (X25519 + 2 verifications) {v2:.0}/s, v1 (X25519 + 1) {v1:.0}/s, before any JSON, hashing or database work ({acc}{})",
        key.info().key_id.len()
    );
}

/// Times one ingest run over `packages` (each must come out new, or each a duplicate) and prints
/// its rate and peak memory.
fn timed_ingest<'a>(
    label: &str,
    packages: &'a [Vec<u8>],
    expect_new: bool,
    run: impl FnOnce(
        Box<dyn Iterator<Item = (String, io::Result<&'a [u8]>)> + Send + 'a>,
        &mut dyn FnMut(
            &str,
            Result<indicia_core::receiver::IngestOutcome, indicia_core::receiver::ReceiverError>,
        ),
    ) -> Result<(), indicia_core::store::StoreError>,
) {
    reset_peak();
    let start = Instant::now();
    let inputs = packages
        .iter()
        .map(|p| ("bench".to_owned(), Ok::<&[u8], io::Error>(&p[..])));
    let mut seen = 0usize;
    run(Box::new(inputs), &mut |_, outcome| {
        assert_eq!(outcome.unwrap().duplicate.is_none(), expect_new);
        seen += 1;
    })
    .unwrap();
    assert_eq!(seen, packages.len());
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{label:<27}{secs:7.3} s  {:8.0} packages/s  ({:.0} µs each); peak RSS {:.1} MiB",
        packages.len() as f64 / secs,
        secs * 1e6 / packages.len() as f64,
        mib(status_kib("VmHWM:"))
    );
}

/// A new receiver database at `path` (cheap test KDF) that trusts `key` for sk.example-ngo.
fn bench_receiver(
    path: &std::path::Path,
    identities: &[Identity],
    key: &DeviceKey,
) -> indicia_core::receiver::Receiver {
    use indicia_core::receiver::{Receiver, TrustKind};
    use indicia_core::store::{FileBackend, KdfParams, Protection};
    let mut receiver = Receiver::create(
        Box::new(FileBackend::new(path)),
        &SecretString::from("bench passphrase: lantern quarry".to_owned()),
        &Protection::passphrase(KdfParams::TESTING),
        "Bench unit",
        &identities[0].recipient().to_string(),
    )
    .unwrap();
    receiver
        .trust_add(
            TrustKind::Device,
            &key.info().public_key,
            "sk.example-ngo",
            None,
        )
        .unwrap();
    receiver
}

/// Ingests the packages into a receiver database on disk (in the bench store directory), one
/// transaction per package as `indicia ingest` does: open, verify, trust check, de-duplication
/// lookups, attachment chunk, report row, content row, index segment. Then ingests them all
/// again (every one a duplicate: verified fully, nothing written), then `more` (new reports
/// into the database that now holds the first ones).
fn ingest_all(packages: &[Vec<u8>], more: &[Vec<u8>], identities: &[Identity], key: &DeviceKey) {
    let dir = bench_store::fixture_dir();
    let mut receiver = bench_receiver(&dir.path().join("receiver.db"), identities, key);
    for (label, batch, expect_new) in [
        ("ingest_batch (new, stored)", packages, true),
        ("ingest_batch (duplicates)", packages, false),
        ("ingest_batch (new, 2nd set)", more, true),
    ] {
        timed_ingest(label, batch, expect_new, |inputs, report| {
            receiver.ingest_batch(inputs, identities, report)
        });
    }
    // `ingest_parallel`: verification on worker threads, this thread writing (what `indicia
    // ingest` runs), each on a new database.
    for threads in [1usize, 2] {
        let dir = bench_store::fixture_dir();
        let mut receiver = bench_receiver(&dir.path().join("receiver.db"), identities, key);
        let label = format!("ingest_parallel ({threads} thr)");
        timed_ingest(&label, packages, true, |inputs, report| {
            receiver.ingest_parallel(inputs, identities, threads, report)
        });
    }
    // `ingest` (one transaction per package, as for a single file), on a second database.
    let single = bench_store::fixture_dir();
    let mut one = bench_receiver(&single.path().join("receiver.db"), identities, key);
    let sample = packages.len().min(2000);
    let start = Instant::now();
    for package in &packages[..sample] {
        one.ingest(&package[..], identities, "bench").unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:<27}{secs:7.3} s  {:8.0} packages/s  ({:.0} µs each; first {sample})",
        "ingest (one tx each)",
        sample as f64 / secs,
        secs * 1e6 / sample as f64,
    );
    let db_bytes: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!(
        "receiver database: {} reports, {:.1} MiB on disk ({}) ",
        receiver.report_ids().unwrap().len(),
        db_bytes as f64 / 1048576.0,
        bench_store::describe(dir.path())
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--open", identity, package] => open_file(identity, package),
        ["--store", input, output, to] => seal_store(input, output, &recipient(to)),
        ["--many", n] => many(n.parse().expect("a number of packages")),
        [input, output, to] if !input.starts_with("--") => seal_file(input, output, &recipient(to)),
        _ => usage(),
    }
}
