//! The manifest parser alone: canonical JSON (RFC 8785) of a v1 manifest. What it accepts must
//! re-encode to exactly the same bytes (one manifest, one encoding), and its content hash must
//! be computable.
#![no_main]

use indicia_core::package::Manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(manifest) = Manifest::from_canonical(data) else {
        return;
    };
    let bytes = match manifest.canonical_bytes() {
        Ok(bytes) => bytes,
        Err(e) => panic!("an accepted manifest cannot be re-encoded: {e}"),
    };
    assert!(
        bytes == data,
        "an accepted manifest re-encodes to different bytes:\n in:  {}\n out: {}",
        String::from_utf8_lossy(data),
        String::from_utf8_lossy(&bytes)
    );
    if let Err(e) = manifest.content_hash() {
        panic!("an accepted manifest has no content hash: {e}");
    }
});
