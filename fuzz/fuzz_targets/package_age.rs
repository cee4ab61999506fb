//! A whole package as a receiver opens it: the age layer (header, X25519 stanza, STREAM
//! chunks, binary or armored) with the unit key of tests/vectors/package-v1, then the
//! container. Mutations mostly fail age's authentication; the seeds keep the header paths busy.
#![no_main]

use std::sync::LazyLock;

use indicia_core::package::open_package_in_memory;
use indicia_core::{parse_identities, Identity};
use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;

static IDENTITIES: LazyLock<Vec<Identity>> = LazyLock::new(|| {
    let text = include_str!("../../tests/vectors/package-v1/unit.key");
    match parse_identities(&SecretString::from(text.to_owned())) {
        Ok(identities) => identities,
        Err(e) => panic!("tests/vectors/package-v1/unit.key does not parse: {e}"),
    }
});

fuzz_target!(|data: &[u8]| {
    if let Ok(opened) = open_package_in_memory(data, &IDENTITIES) {
        assert_eq!(
            opened.attachments.len(),
            opened.manifest.attachments.len(),
            "an opened package has a different number of attachments than its manifest"
        );
    }
});
