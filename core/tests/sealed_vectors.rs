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

/// A unit's recipient is public, so anyone can send it a header of thousands of stanzas; the
/// age crate's header parser is quadratic in their number. Indicia refuses a header over its
/// bound before the parser sees it, and still opens files with many real recipients.
#[test]
fn a_header_with_thousands_of_stanzas_is_refused_unparsed_and_many_real_recipients_still_open() {
    use indicia_core::{open, seal, Armor, ErrorKind, Identity};
    let mine = Identity::generate();
    let mut recipients: Vec<_> = (0..40).map(|_| Identity::generate().recipient()).collect();
    recipients.push(mine.recipient());
    let sealed = seal(b"report", &recipients, Armor::Binary).unwrap();
    assert_eq!(
        open(&sealed, std::slice::from_ref(&mine))
            .unwrap()
            .as_slice(),
        b"report"
    );

    // The same file with 2,000 extra stanzas spliced in after the version line.
    let version_end = sealed.iter().position(|&b| b == b'\n').unwrap() + 1;
    let mut hostile = sealed[..version_end].to_vec();
    for _ in 0..2_000 {
        hostile.extend_from_slice(b"-> X25519 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\nAAAA\n");
    }
    hostile.extend_from_slice(&sealed[version_end..]);
    let err = open(&hostile, std::slice::from_ref(&mine)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedInput, "{err}");
    assert!(err.to_string().contains("128 recipient stanzas"), "{err}");
}
