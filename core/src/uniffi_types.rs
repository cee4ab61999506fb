//! Types from other crates that the core's records carry, as uniffi sees them (feature
//! `uniffi`). The records and enums themselves derive `uniffi::Record`/`uniffi::Enum` where they
//! are defined.

/// A JSON value (an answer in its JSON form, docs/formats/checklist.md "Answers") crosses as
/// its JSON text: hosts parse it with their own JSON library.
type JsonValue = serde_json::Value;

uniffi::custom_type!(JsonValue, String, {
    remote,
    lower: |value| value.to_string(),
    try_lift: |text| Ok(serde_json::from_str(&text)?),
});
