//! The C2SP CCTV age test kit (tests/vectors/age-cctv, README there): reading its vector files
//! and what Indicia answers for each. Shared by core/tests/age_cctv.rs (the library) and
//! cli/tests/age_cctv.rs (`indicia open`), so both hold every vector to the same expectation.

#![allow(dead_code)] // each including test uses part of it

use std::path::{Path, PathBuf};

/// The vendored vectors.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/age-cctv")
}

/// One vector: its header fields and the age file (decompressed when the kit compressed it).
pub struct Vector {
    pub name: String,
    /// The kit's `expect:` value.
    pub expect: String,
    /// Hex SHA-256 of all plaintext an implementation may release, when the kit gives one.
    pub payload: Option<String>,
    /// The X25519 identities (`AGE-SECRET-KEY-1…`), one per line.
    pub identities: Vec<String>,
    pub armored: bool,
    pub file: Vec<u8>,
}

/// How a vector must end for Indicia: the plaintext hash, or the error kind's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Fails(&'static str),
}

/// Vectors where Indicia's error kind is not the plain mapping of the kit's class, and why
/// (also in the vectors' README).
pub const ALIASES: &[(&str, &str)] = &[
    // The kit counts a file that ends before its header (or payload nonce) is complete as a
    // header failure; Indicia tells a cut-short file (TruncatedInput) from a malformed one.
    ("empty", "TruncatedInput"),
    ("armor_empty", "TruncatedInput"),
    ("stream_no_nonce", "TruncatedInput"),
    ("stream_short_nonce", "TruncatedInput"),
    // Likewise a payload that stops at a chunk boundary without its final chunk (age 0.12 sees
    // the end of input there; a short last chunk that fails as final is CorruptInput).
    ("stream_no_chunks", "TruncatedInput"),
    ("stream_no_final_full", "TruncatedInput"),
    ("stream_no_final_two_chunks_full", "TruncatedInput"),
    // A well-formed version line naming another version: refused as a format Indicia does not
    // read (UnsupportedInput, exit 9), not as damage; the kit has no class of its own for it.
    ("version_unsupported", "UnsupportedInput"),
];

/// What Indicia answers for the vector named `name` of class `expect`.
pub fn outcome(name: &str, expect: &str) -> Outcome {
    if let Some((_, kind)) = ALIASES.iter().find(|(n, _)| *n == name) {
        return Outcome::Fails(kind);
    }
    match expect {
        "success" => Outcome::Success,
        "no match" => Outcome::Fails("WrongIdentity"),
        "header failure" | "HMAC failure" | "armor failure" | "payload failure" => {
            Outcome::Fails("CorruptInput")
        }
        other => panic!("{name}: unknown expect {other:?}"),
    }
}

/// Every vector, in name order (README.md and dot files excepted).
pub fn vectors() -> Vec<Vector> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md" && !n.starts_with('.'))
        .collect();
    names.sort();
    names.into_iter().map(|n| read(&n)).collect()
}

fn read(name: &str) -> Vector {
    let bytes = std::fs::read(dir().join(name)).unwrap();
    let split = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .unwrap_or_else(|| panic!("{name}: no blank line after the header"));
    let header = std::str::from_utf8(&bytes[..split]).unwrap();
    let body = &bytes[split + 2..];
    let mut vector = Vector {
        name: name.to_owned(),
        expect: String::new(),
        payload: None,
        identities: Vec::new(),
        armored: false,
        file: body.to_vec(),
    };
    let mut compressed = false;
    for line in header.lines() {
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{name}: header line {line:?}"));
        match key {
            "expect" => vector.expect = value.to_owned(),
            "payload" => vector.payload = Some(value.to_owned()),
            // Post-quantum (hybrid) identities are not Indicia's; hybrid_x25519_arg also names
            // an X25519 identity, which is the one its X25519 stanza is for.
            "identity" if value.starts_with("AGE-SECRET-KEY-1") => {
                vector.identities.push(value.to_owned())
            }
            // scrypt_and_x25519 (the one vendored vector with a passphrase) must fail on its
            // header whichever key is tried.
            "identity" | "passphrase" | "file key" | "comment" => {}
            "armored" => vector.armored = value == "yes",
            "compressed" => {
                assert_eq!(value, "zlib", "{name}");
                compressed = true;
            }
            // The kit says to ignore files with keys it does not define; none are vendored.
            other => panic!("{name}: unexpected key {other:?}"),
        }
    }
    if compressed {
        vector.file = miniz_oxide::inflate::decompress_to_vec_zlib(body)
            .unwrap_or_else(|e| panic!("{name}: zlib: {e:?}"));
    }
    vector
}

/// The identities to open `vector` with: its own, or, for the vectors that name none (they fail
/// before any key is needed, and opening needs at least one), the kit's "no match" identity.
pub fn identities(vector: &Vector) -> Vec<String> {
    if vector.identities.is_empty() {
        vec![
            "AGE-SECRET-KEY-143WN7DCXU4G8R5AXQSSYD9AEPYDNT3HXSLWSPK36CDU6E8M59SSSAGZ3KG".to_owned(),
        ]
    } else {
        vector.identities.clone()
    }
}
