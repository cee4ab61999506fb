//! The container inside the age layer (docs/formats/package.md), either version: v1 (magic,
//! manifest length, manifest, signature, attachments) and v2 (binary header with its limits and
//! signature, manifest, attachments, trailer). Any bytes: an error is fine, a panic is a bug.
//! A container that reads to its end must give kept bytes that re-verify (`verify_signed`, what
//! a receiver runs on what it stored) to the same manifest.
#![no_main]

use indicia_core::package::{read_container, verify_signed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut reader) = read_container(data) else {
        return;
    };
    // Only reachable with a valid (header) signature (a seed from tests/vectors, or a mutation
    // of the bytes after it): then the attachment streaming, the trailer and the end check run.
    for _ in 0..reader.manifest().attachments.len() {
        if reader.read_attachment(std::io::sink()).is_err() {
            return;
        }
    }
    if let Ok((manifest, signed)) = reader.finish_signed() {
        assert!(verify_signed(&signed).is_ok_and(|again| again == manifest));
    }
});
