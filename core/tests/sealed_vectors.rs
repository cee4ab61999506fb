//! The frozen vectors in tests/vectors/sealed-v1 (made by Go age) open, or are rejected with
//! exactly the documented error kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

use std::path::PathBuf;

use indicia_core::{open, parse_identities, ErrorKind, Identity};
use secrecy::SecretString;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/sealed-v1")
}

fn identity(name: &str) -> Vec<Identity> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    parse_identities(&SecretString::from(text)).unwrap()
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap()
}

#[test]
fn valid_vectors_open_to_the_plaintext() {
    let expected = read("plaintext.txt");
    for file in [
        "valid-binary.age",
        "valid-armored.age",
        "valid-two-recipients.age",
    ] {
        let opened = open(&read(file), &identity("receiver.key")).unwrap();
        assert_eq!(*opened, expected, "{file}");
    }
    let opened = open(&read("valid-two-recipients.age"), &identity("other.key")).unwrap();
    assert_eq!(*opened, expected);
}

#[test]
fn reject_vectors_fail_with_their_documented_kind() {
    let cases = [
        ("reject-wrong-identity.age", ErrorKind::WrongIdentity),
        ("reject-truncated-header.age", ErrorKind::TruncatedInput),
        ("reject-corrupt-payload.age", ErrorKind::CorruptInput),
        ("reject-corrupt-header-mac.age", ErrorKind::CorruptInput),
        ("reject-not-age.age", ErrorKind::CorruptInput),
    ];
    for (file, kind) in cases {
        let err = open(&read(file), &identity("receiver.key")).unwrap_err();
        assert_eq!(err.kind(), kind, "{file}: {err}");
    }
}
