//! The receipt container inside the age layer (docs/formats/receipt.md) — magic, length,
//! canonical receipt JSON, signature — and, for text input, the unit card parser. Any bytes: an
//! error is fine, a panic is a bug.
#![no_main]

use indicia_core::package::{read_receipt, UnitCard};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_receipt(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = UnitCard::parse(text);
    }
});
