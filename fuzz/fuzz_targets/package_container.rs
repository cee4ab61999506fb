//! The container inside the age layer (docs/formats/package.md): magic, manifest length,
//! manifest, signature, attachments. Any bytes: an error is fine, a panic is a bug.
#![no_main]

use indicia_core::package::read_container;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = read_container(data) else {
        return;
    };
    // Only reachable with a valid signature (a seed from tests/vectors, or a mutation of the
    // attachment bytes after it): then the attachment streaming and the end check run.
    for _ in 0..reader.manifest().attachments.len() {
        if reader.read_attachment(std::io::sink()).is_err() {
            return;
        }
    }
    let _ = reader.finish();
});
