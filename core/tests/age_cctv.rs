//! The C2SP CCTV age test kit through the library's opening path (`open_stream`, which the
//! package reader and `indicia open` use): every vendored vector ends as
//! support/age_kit.rs says, with the precise `SealError` where the kit's class names one, and
//! only authentic plaintext released (the kit's `payload` hash, also on payload failures).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/age_kit.rs"]
mod kit;

use indicia_core::sealing::CorruptPart;
use indicia_core::{hex, open_stream, parse_identities, Identity, SealError};
use kit::Outcome;
use secrecy::SecretString;
use sha2::{Digest, Sha256};

fn open_vector(vector: &kit::Vector) -> (Vec<u8>, Result<u64, SealError>) {
    let text = SecretString::from(kit::identities(vector).join("\n"));
    let identities: Vec<Identity> = parse_identities(&text).unwrap();
    let mut released = Vec::new();
    let result = open_stream(&vector.file[..], &mut released, &identities);
    (released, result)
}

/// The `SealError` part the kit's class names, where Indicia keeps that distinction.
fn part(name: &str, expect: &str) -> Option<CorruptPart> {
    match expect {
        // Garbage before the BEGIN line: nothing says the input is armor at all, so it is
        // "not an age file".
        _ if name == "armor_garbage_leading" => Some(CorruptPart::Header),
        "header failure" => Some(CorruptPart::Header),
        "HMAC failure" => Some(CorruptPart::HeaderMac),
        "armor failure" => Some(CorruptPart::Armor),
        "payload failure" => Some(CorruptPart::Payload),
        _ => None,
    }
}

#[test]
fn every_vendored_vector_opens_or_fails_as_the_kit_expects() {
    let vectors = kit::vectors();
    assert!(vectors.len() >= 99, "{} vectors", vectors.len());
    let mut wrong = Vec::new();
    for vector in &vectors {
        let (released, result) = open_vector(vector);
        let got = match &result {
            Ok(_) => Outcome::Success,
            Err(e) => Outcome::Fails(e.kind().as_str()),
        };
        let want = kit::outcome(&vector.name, &vector.expect);
        if got != want {
            wrong.push(format!("{}: want {want:?}, got {result:?}", vector.name));
            continue;
        }
        let hash = hex::encode(&Sha256::digest(&released));
        match &vector.payload {
            Some(payload) if *payload != hash => wrong.push(format!(
                "{}: released plaintext {hash}, want {payload}",
                vector.name
            )),
            None if !released.is_empty() => wrong.push(format!(
                "{}: released {} bytes, want none",
                vector.name,
                released.len()
            )),
            _ => {}
        }
        // Where the error is CorruptInput, it names the part the kit's class names.
        if let (Err(SealError::Corrupt(got_part)), Some(want_part)) =
            (&result, part(&vector.name, &vector.expect))
        {
            if got_part != &want_part {
                wrong.push(format!(
                    "{}: corrupt {got_part:?}, want {want_part:?}",
                    vector.name
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        vectors.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_aliases_name_vendored_vectors_of_a_failing_class() {
    for (name, _) in kit::ALIASES {
        let vector = kit::vectors().into_iter().find(|v| v.name == *name);
        let vector = vector.unwrap_or_else(|| panic!("alias {name} is not a vendored vector"));
        assert_ne!(vector.expect, "success", "{name}");
    }
}
