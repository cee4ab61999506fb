//! The content hash that pins a checklist (docs/formats/checklist.md, "Identity and hash").

use serde_json::Value;
use sha2::{Digest, Sha256};

/// `sha256:` + hex over the RFC 8785 canonical JSON of the parsed document.
///
/// serde_jcs rather than `serde_json`'s own output: its key order depends on whether the
/// `preserve_order` feature is enabled anywhere in the dependency graph, and packages and
/// receipts are already canonicalised by serde_jcs, so there is one canonical form. Fails only
/// if serde_jcs cannot write a value, which a parsed document never holds.
pub(crate) fn content_hash(value: &Value) -> Result<String, String> {
    let canonical = serde_jcs::to_vec(value).map_err(|e| e.to_string())?;
    Ok(format!(
        "sha256:{}",
        crate::hex::encode(&Sha256::digest(canonical))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sha256_of(canonical: &str) -> String {
        format!(
            "sha256:{}",
            crate::hex::encode(&Sha256::digest(canonical.as_bytes()))
        )
    }

    fn hash(json: &str) -> String {
        let value: Value = serde_json::from_str(json).expect("test JSON");
        content_hash(&value).expect("hashes")
    }

    #[test]
    fn the_hash_is_sha256_of_the_compact_sorted_document() {
        assert_eq!(
            hash(r#"{ "b": [1, true, null], "a": {"d": "x", "c": -2} }"#),
            sha256_of(r#"{"a":{"c":-2,"d":"x"},"b":[1,true,null]}"#)
        );
    }

    #[test]
    fn frozen_hashes_of_the_minimal_vector_and_a_built_in_checklist_are_unchanged() {
        // Reports name checklists by these hashes (tests/vectors/receiver-v1): a change of the
        // canonical form would orphan them. Computed outside Rust, with Python's
        // json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False).
        assert_eq!(
            hash(include_str!(
                "../../../../tests/vectors/checklist-v1/valid/minimal.json"
            )),
            "sha256:501faef98cda86a47fb91c820357845bc93678b9996df8145bc9c73b60f9e88d"
        );
        assert_eq!(
            hash(include_str!("../../../checklists/first-contact.json")),
            // first-contact 0.2.0 (format v2, decisive signs); 0.1.0 was
            // sha256:2c2bda54f386df971c1ce4cb93fa23692908ebd1fa7a9f9f2d6ff35046bf924a.
            "sha256:81eb36d25bc495913b47faf8b38d295b92005b775193ef032ec2b9cc5827a50f"
        );
    }

    #[test]
    fn whitespace_and_key_order_do_not_change_the_hash() {
        assert_eq!(
            hash(r#"{"id": "x", "languages": ["en", "sk"]}"#),
            hash("{\n  \"languages\" : [ \"en\",\"sk\" ],\n  \"id\":\"x\"\n}")
        );
    }

    #[test]
    fn any_change_of_content_changes_the_hash() {
        let base = hash(r#"{"languages": ["en", "sk"]}"#);
        assert_ne!(base, hash(r#"{"languages": ["sk", "en"]}"#));
        assert_ne!(base, hash(r#"{"languages": ["en", "sk "]}"#));
    }

    #[test]
    fn keys_outside_the_bmp_are_ordered_by_utf16_code_units() {
        // U+1F600 is the surrogate pair D83D DE00 in UTF-16, so it sorts before U+FF61; by code
        // point (or UTF-8 bytes) it would sort after.
        let value = json!({"\u{FF61}": 1, "\u{1F600}": 2});
        assert_eq!(
            content_hash(&value).expect("hashes"),
            sha256_of("{\"\u{1F600}\":2,\"\u{FF61}\":1}")
        );
    }

    #[test]
    fn numbers_are_written_as_rfc_8785_numbers() {
        assert_eq!(hash(r#"{"max": 24.0}"#), sha256_of(r#"{"max":24}"#));
        assert_eq!(hash(r#"{"max": 1e21}"#), sha256_of(r#"{"max":1e+21}"#));
    }

    #[test]
    fn strings_keep_their_characters_and_escape_only_what_json_requires() {
        assert_eq!(
            hash(r#"{"t": "\u00e9\u0001\"/"}"#),
            sha256_of("{\"t\":\"\u{e9}\\u0001\\\"/\"}")
        );
    }
}
