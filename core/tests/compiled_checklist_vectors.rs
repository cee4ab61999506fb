//! The compiled checklist form's frozen vectors (docs/formats/compiled-checklist.md,
//! tests/vectors/compiled-checklist-v1/): the writer's exact bytes for a known definition, and
//! inputs the reader must refuse with a precise message. A change to the encoding fails here and
//! needs a new version (`ICC\x02`) and new vectors, not an edit of these.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::checklist::Checklist;
use indicia_core::ErrorKind;

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/compiled-checklist-v1"
);

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn minimal() -> Checklist {
    Checklist::from_json(include_str!(
        "../../tests/vectors/checklist-v1/valid/minimal.json"
    ))
    .expect("the minimal checklist vector loads")
}

#[test]
fn the_writer_gives_the_frozen_bytes_and_the_reader_reads_them_back() {
    let frozen = read("valid/minimal.icc");
    assert_eq!(
        minimal().compiled(),
        frozen,
        "the encoding changed: a new version is needed"
    );
    let read_back = Checklist::from_compiled(&frozen).expect("the frozen vector reads");
    assert_eq!(read_back.reference(), minimal().reference());
    assert_eq!(read_back.info("en"), minimal().info("en"));
    assert_eq!(read_back.compiled(), frozen);
}

#[test]
fn the_invalid_vectors_are_refused_with_their_reason() {
    for (file, reason) in [
        (
            "invalid/json-definition.icc",
            "not a compiled checklist (ICC, version 1)",
        ),
        (
            "invalid/version-2.icc",
            "not a compiled checklist (ICC, version 1)",
        ),
        ("invalid/cut-short.icc", "it ends too early"),
        (
            "invalid/byte-left-over.icc",
            "bytes are left after the checklist",
        ),
        (
            "invalid/empty.icc",
            "not a compiled checklist (ICC, version 1)",
        ),
    ] {
        let e = Checklist::from_compiled(&read(file)).expect_err(file);
        assert_eq!(e.kind(), ErrorKind::InvalidChecklist, "{file}");
        assert_eq!(
            e.to_string(),
            format!("not a valid compiled checklist: {reason}"),
            "{file}"
        );
    }
}
