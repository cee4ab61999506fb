//! The document's JSON shape: every place the format has an object holds an object, then serde
//! turns the JSON into the raw definition types, with the path of the first mismatch.

use serde_json::Value;

use crate::checklist::load_error::{LoadError, LoadErrorKind};

/// Deserializes `value` (found at `base`) into a raw definition type; errors carry the JSON path
/// (with the core's `json-paths` feature; without it, `base`).
#[cfg(feature = "json-paths")]
pub(super) fn shaped<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
) -> Result<T, LoadError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = match e.path().to_string() {
            p if p == "." => base.to_owned(),
            p => format!("{base}.{p}"),
        };
        LoadError {
            path,
            kind: LoadErrorKind::Json(e.into_inner().to_string()),
        }
    })
}

/// Deserializes `value` (found at `base`) into a raw definition type; errors name `base` and
/// serde's message (the same message as with `json-paths`, without the path below `base`).
#[cfg(not(feature = "json-paths"))]
pub(super) fn shaped<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
) -> Result<T, LoadError> {
    T::deserialize(value).map_err(|e| LoadError {
        path: base.to_owned(),
        kind: LoadErrorKind::Json(e.to_string()),
    })
}

/// serde's derived structs also accept a JSON array of their field values in order; a
/// definition written that way would load by accident. Every place the format has an object
/// must hold an object. Paths are listed as in docs/formats/checklist.md.
pub(super) fn check_objects(root: &Value) -> Result<(), LoadError> {
    object(root, "$")?;
    for key in ["source", "review", "rule"] {
        if let Some((p, v)) = field(root, key, "$") {
            object(v, &p)?;
        }
    }
    for key in ["dimensions", "indicators", "outcomes"] {
        for (p, v) in each(root, key, "$") {
            object(v, &p)?;
        }
    }
    check_sections(root)?;
    if let Some(rule) = root.get("rule") {
        check_rule(rule)?;
    }
    check_outcomes(root)
}

fn check_sections(root: &Value) -> Result<(), LoadError> {
    for (sp, section) in each(root, "sections", "$") {
        object(section, &sp)?;
        for (qp, question) in each(section, "questions", &sp) {
            object(question, &qp)?;
            for key in ["choices", "indicators"] {
                for (p, v) in each(question, key, &qp) {
                    object(v, &p)?;
                }
            }
        }
    }
    Ok(())
}

fn check_rule(rule: &Value) -> Result<(), LoadError> {
    if let Some((p, v)) = field(rule, "weights", "$.rule") {
        object(v, &p)?;
    }
    for (p, v) in each(rule, "variants", "$.rule") {
        object(v, &p)?;
    }
    for (ap, alternative) in each(rule, "dimension_met", "$.rule") {
        for (i, term) in items(alternative).iter().enumerate() {
            object(term, &format!("{ap}[{i}]"))?;
        }
    }
    Ok(())
}

fn check_outcomes(root: &Value) -> Result<(), LoadError> {
    for (op, outcome) in each(root, "outcomes", "$") {
        if let Some((p, v)) = field(outcome, "when", &op) {
            object(v, &p)?;
        }
        if let Some(Value::Object(referrals)) = outcome.get("referrals") {
            for (country, list) in referrals {
                for (i, v) in items(list).iter().enumerate() {
                    object(v, &format!("{op}.referrals.{country}[{i}]"))?;
                }
            }
        }
    }
    Ok(())
}

fn object(value: &Value, path: &str) -> Result<(), LoadError> {
    match value {
        Value::Object(_) => Ok(()),
        other => Err(LoadError {
            path: path.to_owned(),
            kind: LoadErrorKind::Json(format!(
                "invalid type: {}, expected an object",
                json_type(other)
            )),
        }),
    }
}

/// The items of an array; anything else has none here (serde reports its type later).
fn items(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// The items of the array at `value[key]`, with their paths.
fn each<'a>(value: &'a Value, key: &str, path: &str) -> impl Iterator<Item = (String, &'a Value)> {
    let list = value.get(key).map(items).unwrap_or_default();
    let prefix = format!("{path}.{key}");
    list.iter()
        .enumerate()
        .map(move |(i, v)| (format!("{prefix}[{i}]"), v))
}

/// `value[key]` with its path, unless absent or null (optional keys may be null).
fn field<'a>(value: &'a Value, key: &str, path: &str) -> Option<(String, &'a Value)> {
    value
        .get(key)
        .filter(|v| !v.is_null())
        .map(|v| (format!("{path}.{key}"), v))
}

/// The type names serde uses in its own messages, so both kinds of shape error read alike.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::definition::RawTerm;
    use serde_json::json;

    fn first_error(value: Value) -> (String, String) {
        match check_objects(&value) {
            Ok(()) => panic!("should be rejected: {value}"),
            Err(LoadError {
                path,
                kind: LoadErrorKind::Json(message),
            }) => (path, message),
            Err(other) => panic!("not a shape error: {other}"),
        }
    }

    #[test]
    fn a_root_that_is_not_an_object_is_rejected_with_its_type() {
        assert_eq!(
            first_error(json!(["indicia-checklist/1"])),
            (
                "$".into(),
                "invalid type: sequence, expected an object".into()
            )
        );
    }

    #[test]
    fn top_level_objects_written_as_arrays_are_rejected() {
        let (path, _) = first_error(json!({"source": ["title", "note"]}));
        assert_eq!(path, "$.source");
        let (path, message) = first_error(json!({"rule": "delphi"}));
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("$.rule", "invalid type: string, expected an object")
        );
    }

    #[test]
    fn null_optional_objects_are_left_to_serde() {
        assert!(check_objects(&json!({"source": null, "outcomes": [{"when": null}]})).is_ok());
    }

    #[test]
    fn list_items_that_are_not_objects_are_rejected_by_index() {
        let (path, message) = first_error(json!({"indicators": [{}, 3]}));
        assert_eq!(path, "$.indicators[1]");
        assert_eq!(message, "invalid type: number, expected an object");
    }

    #[test]
    fn choices_and_mappings_inside_questions_are_checked() {
        let doc = |key: &str| json!({"sections": [{"questions": [{}, {key: [{}, [true]]}]}]});
        assert_eq!(
            first_error(doc("choices")).0,
            "$.sections[0].questions[1].choices[1]"
        );
        assert_eq!(
            first_error(doc("indicators")).0,
            "$.sections[0].questions[1].indicators[1]"
        );
        assert_eq!(first_error(json!({"sections": [[]]})).0, "$.sections[0]");
    }

    #[test]
    fn rule_weights_variants_and_terms_are_checked() {
        assert_eq!(
            first_error(json!({"rule": {"weights": [1, 2]}})).0,
            "$.rule.weights"
        );
        assert_eq!(
            first_error(json!({"rule": {"variants": [null]}})).0,
            "$.rule.variants[0]"
        );
        assert_eq!(
            first_error(json!({"rule": {"dimension_met": [[{}], [{}, [1, ["strong"]]]]}})).0,
            "$.rule.dimension_met[1][1]"
        );
    }

    #[test]
    fn outcome_conditions_and_referrals_are_checked() {
        assert_eq!(
            first_error(json!({"outcomes": [{"when": [true]}]})).0,
            "$.outcomes[0].when"
        );
        assert_eq!(
            first_error(json!({"outcomes": [{}, {"referrals": {"SK": [{}, "112"]}}]})).0,
            "$.outcomes[1].referrals.SK[1]"
        );
    }

    #[cfg(feature = "json-paths")]
    #[test]
    fn serde_errors_carry_the_path_below_the_base() {
        let e = shaped::<RawTerm>(
            &json!({"at_least": "two", "of": []}),
            "$.rule.dimension_met[0][0]",
        )
        .expect_err("at_least is a number");
        assert_eq!(e.path, "$.rule.dimension_met[0][0].at_least");
        let e = shaped::<RawTerm>(&json!(7), "$.x").expect_err("not an object");
        assert_eq!(e.path, "$.x");
    }

    #[test]
    fn a_well_shaped_value_deserializes() {
        let term: RawTerm = shaped(&json!({"at_least": 2, "of": ["strong"]}), "$").expect("shaped");
        assert_eq!(term.at_least, 2);
    }
}
