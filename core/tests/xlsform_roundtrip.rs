#![cfg(feature = "xlsform")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code
//! XLSForm export then import gives back the same checklist, content hash and all, for every
//! built-in checklist and every valid vector (docs/formats/xlsform.md, "Round trip").

use std::path::PathBuf;

use indicia_core::checklist::{builtin, xlsform, Checklist};

fn round_trip(name: &str, json: &str) {
    let before = Checklist::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
    let xlsx = xlsform::export(json).unwrap_or_else(|e| panic!("{name}: export: {e}"));
    let imported = xlsform::import(&xlsx).unwrap_or_else(|e| panic!("{name}: import: {e}"));
    assert!(
        imported.notices.is_empty(),
        "{name}: {:?}",
        imported.notices
    );
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    let back: serde_json::Value = serde_json::from_str(&imported.json).unwrap();
    // Compared as values first, so a failure shows what differs, then by the hash itself.
    assert_eq!(back, original, "{name}");
    assert_eq!(imported.checklist.reference(), before.reference(), "{name}");
}

#[test]
fn every_built_in_checklist_comes_back_with_the_same_content_hash() {
    let mut n = 0;
    for id in builtin::ids() {
        round_trip(id, builtin::source(id).unwrap());
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
fn the_valid_checklist_vectors_come_back_with_the_same_content_hash() {
    for file in [
        "checklist-v1/valid/minimal.json",
        "checklist-v2/valid/decisive.json",
    ] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/vectors")
            .join(file);
        round_trip(file, &std::fs::read_to_string(path).unwrap());
    }
}

#[test]
fn an_imported_form_is_a_v2_document_with_every_expression_translated() {
    let json = builtin::source("first-contact").unwrap();
    let imported = xlsform::import(&xlsform::export(json).unwrap()).unwrap();
    assert!(imported
        .json
        .contains("\"format\": \"indicia-checklist/2\""));
    let c = &imported.checklist;
    let q = c.question_index("earnings_taken").unwrap();
    assert!(c.questions()[q].relevant.is_some());
}

#[test]
fn texts_come_back_as_written() {
    // What a spreadsheet might reinterpret: a leading '=', a number, spaces at the ends, line
    // breaks and tabs, markup, Excel's own _xHHHH_ escape written literally.
    let texts = [
        "=SUM(A1:A3)",
        "0042",
        "  spaced  ",
        "line one\nline two\tand a tab",
        "<b>&amp; \"quoted\" 'single'</b>",
        "literal _x0041_ and _x005F_",
        "emoji 🙂 and RTL مرحبا",
    ];
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/checklist-v1/valid/minimal.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for (i, text) in texts.iter().enumerate() {
        doc["indicators"][i % 4]["label"]["en"] = (*text).into();
        doc["sections"][0]["questions"][i % 3]["label"]["en"] = (*text).into();
    }
    doc["review"]["note"] = texts.join(" | ").into();
    round_trip("texts", &doc.to_string());
}
