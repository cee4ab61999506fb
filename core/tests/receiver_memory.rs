//! What a hostile sender's manifest costs the receiving unit in memory. A unit's recipient is
//! public, so anyone can send it a package whose manifest is 15 MiB of tiny JSON values; parsed
//! whole, that took about 290 MB (issue #11). The reader now reads who claims to have signed
//! without building anything else, checks the trust list and the signature, and only then
//! parses the manifest. This binary counts every allocation (its own global allocator) and holds
//! one test, so nothing else runs beside the measurement.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicia_core::package::{DeviceKey, MAGIC};
use indicia_core::receiver::{Receiver, TrustKind};
use indicia_core::store::{KdfParams, MemoryBackend, Protection};
use indicia_core::{Armor, ErrorKind, Identity};
use secrecy::SecretString;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated at the peak of `f`, above what was live when it began.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let value = f();
    (value, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

/// A package whose manifest is an object naming `device` and `organisation` plus `answers`: an
/// array of about 7.5 million zeros (15 MiB); the signature is 64 zero bytes.
fn hostile_package(device: &DeviceKey, unit: &Identity) -> Vec<u8> {
    let info = device.info();
    let mut manifest = String::from("{\"answers\":[0");
    manifest.push_str(&",0".repeat(15 * 1024 * 1024 / 2 - 16));
    manifest.push_str(&format!(
        "],\"device\":{{\"key_id\":\"{}\",\"public_key\":\"{}\"}},\"organisation\":\"sk.ngo-a\"}}",
        info.key_id, info.public_key
    ));
    let mut container = MAGIC.to_vec();
    container.extend_from_slice(&(manifest.len() as u32).to_be_bytes());
    container.extend_from_slice(manifest.as_bytes());
    container.extend_from_slice(&[0u8; 64]);
    indicia_core::seal(&container, &[unit.recipient()], Armor::Binary).unwrap()
}

#[test]
fn a_hostile_fifteen_mib_manifest_costs_about_its_own_size_not_twenty_times_it() {
    let unit = Identity::generate();
    let mut receiver = Receiver::create(
        Box::new(MemoryBackend::new().unwrap()),
        &SecretString::from("correct horse battery staple".to_owned()),
        &Protection::passphrase(KdfParams::TESTING),
        "National THB unit",
        &unit.recipient().to_string(),
    )
    .unwrap();
    let trusted = DeviceKey::generate().unwrap();
    receiver
        .trust_add(
            TrustKind::Device,
            &trusted.info().public_key,
            "sk.ngo-a",
            None,
        )
        .unwrap();
    let identities = std::slice::from_ref(&unit);
    let limit = 40 * 1024 * 1024;

    // A stranger's key: refused on the trust list before the signature or the manifest.
    let stranger = hostile_package(&DeviceKey::generate().unwrap(), &unit);
    let (refused, peak) = peak_during(|| receiver.ingest(&stranger[..], identities, "x"));
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::UntrustedSigner);
    assert!(peak < limit, "untrusted: {} MiB at the peak", peak >> 20);

    // A trusted key's name but no valid signature: refused before the manifest is built.
    let forged = hostile_package(&trusted, &unit);
    let (refused, peak) = peak_during(|| receiver.ingest(&forged[..], identities, "x"));
    assert_eq!(refused.unwrap_err().kind(), ErrorKind::BadSignature);
    assert!(peak < limit, "forged: {} MiB at the peak", peak >> 20);
    assert!(receiver.report_ids().unwrap().is_empty());
}
