//! Writes the XLSForm import vectors (tests/vectors/xlsform-v1): a valid NGO-style form and one
//! hostile or unsupported workbook per case, each refused by `checklist::xlsform::import` with
//! the located error that `reject/expected.json` names (checked by
//! core/tests/xlsform_vectors.rs). Run once per change of the corpus, then review and commit:
//!
//!     cargo tool make_xlsform_vectors -- tests/vectors/xlsform-v1
//!
//! The forms are built here cell by cell with rust_xlsxwriter (so the corpus needs no
//! spreadsheet program and no third-party file); the container-level cases (zip bombs, too
//! many entries, sizes that lie, broken XML) are made by rewriting the zip with the zip crate.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a generator run by hand

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Formula, Workbook, Worksheet};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

type Rows = Vec<Vec<&'static str>>;

/// The valid form: the shape of an ODK form an NGO publishes (two languages in ODK's
/// `label::Language (code)` columns, groups with skip logic, a yes/no list of its own, form
/// metadata, a layout column), plus Indicia's sheets.
fn sheets() -> BTreeMap<&'static str, Rows> {
    let mut s = BTreeMap::new();
    s.insert(
        "survey",
        vec![
            vec![
                "type",
                "name",
                "label::English (en)",
                "label::French (fr)",
                "hint::English (en)",
                "required",
                "relevant",
                "constraint",
                "appearance",
                "indicia_mode",
                "indicia_indicators",
            ],
            vec!["start", "start"],
            vec!["end", "end"],
            vec![
                "begin_group",
                "about",
                "About the person",
                "À propos de la personne",
            ],
            vec![
                "select_one age",
                "age_group",
                "Is the person a child?",
                "La personne est-elle mineure ?",
                "",
                "yes",
                "",
                "",
                "minimal",
                "observed",
            ],
            vec![
                "integer",
                "hours",
                "Hours worked per day",
                "Heures travaillées par jour",
                "Ask only if safe",
                "",
                "",
                ". >= 0 and . <= 24",
                "",
                "asked",
                "W.hours when . > 12",
            ],
            vec!["end_group"],
            vec![
                "begin_group",
                "work",
                "Work",
                "Travail",
                "",
                "",
                "${age_group} != 'child' or ${hours} != ''",
            ],
            vec![
                "select_one yes_no",
                "documents",
                "Are their documents held by someone else?",
                "Leurs documents sont-ils détenus par quelqu'un d'autre ?",
                "",
                "",
                "",
                "",
                "",
                "asked",
                "C.documents when . = 'yes'",
            ],
            vec![
                "select_multiple sector",
                "sector",
                "Sector of work",
                "Secteur d'activité",
                "",
                "",
                "selected(${documents}, 'yes') or ${hours} > 10",
            ],
            vec!["date", "arrived", "Date of arrival", "Date d'arrivée"],
            vec![
                "text",
                "notes",
                "Notes",
                "Notes",
                "",
                "",
                "not(${documents} = 'no')",
            ],
            vec![
                "image",
                "photo",
                "Photo of the workplace",
                "Photo du lieu de travail",
            ],
            vec!["end_group"],
        ],
    );
    s.insert(
        "choices",
        vec![
            vec![
                "list_name",
                "name",
                "label::English (en)",
                "label::French (fr)",
            ],
            vec!["age", "child", "Child", "Mineur"],
            vec!["age", "adult", "Adult", "Majeur"],
            vec!["yes_no", "yes", "Yes", "Oui"],
            vec!["yes_no", "no", "No", "Non"],
            vec!["sector", "farm", "Agriculture", "Agriculture"],
            vec!["sector", "domestic", "Domestic work", "Travail domestique"],
        ],
    );
    s.insert(
        "settings",
        vec![
            vec![
                "form_title::English (en)",
                "form_title::French (fr)",
                "form_id",
                "version",
                "default_language",
                "source_licence_note",
                "instance_name",
            ],
            vec![
                "Labour screening (test form)",
                "Dépistage travail (formulaire de test)",
                "labour-screening-test",
                "2024.1",
                "English (en)",
                "Test data written for Indicia; no reuse restrictions.",
                "concat(${age_group})",
            ],
        ],
    );
    s.insert(
        "dimensions",
        vec![
            vec!["name", "label::English (en)", "label::French (fr)"],
            vec!["W", "Working conditions", "Conditions de travail"],
            vec!["C", "Control", "Contrôle"],
        ],
    );
    s.insert(
        "indicators",
        vec![
            vec![
                "name",
                "dimension",
                "strength",
                "label::English (en)",
                "label::French (fr)",
            ],
            vec![
                "W.hours",
                "W",
                "medium",
                "Excessive working hours",
                "Horaires excessifs",
            ],
            vec![
                "C.documents",
                "C",
                "strong",
                "Documents held",
                "Documents confisqués",
            ],
        ],
    );
    s.insert(
        "rule",
        vec![
            vec!["type", "reviewed", "weights", "threshold"],
            vec!["score", "no", "strong=2 medium=1 weak=1 none=1", "2"],
        ],
    );
    s.insert(
        "outcomes",
        vec![
            vec![
                "type",
                "name",
                "level",
                "when",
                "country",
                "phone",
                "label::English (en)",
                "label::French (fr)",
            ],
            vec![
                "outcome",
                "refer",
                "2",
                "rule_met yes",
                "",
                "",
                "Refer to a specialised organisation",
                "Orienter vers une organisation spécialisée",
            ],
            vec![
                "action",
                "",
                "",
                "",
                "",
                "",
                "Call the national hotline",
                "Appeler la ligne nationale",
            ],
            vec![
                "referral",
                "",
                "",
                "",
                "*",
                "112",
                "Emergency services",
                "Services d'urgence",
            ],
            vec![
                "outcome",
                "note",
                "0",
                "",
                "",
                "",
                "Nothing to act on now",
                "Rien à faire pour l'instant",
            ],
        ],
    );
    s
}

/// Sheets in the order a workbook lists them, with an extra sheet Indicia passes over.
const ORDER: [&str; 8] = [
    "survey",
    "choices",
    "settings",
    "dimensions",
    "indicators",
    "rule",
    "outcomes",
    "read_me",
];

fn build(
    sheets: &BTreeMap<&'static str, Rows>,
    extra: impl FnOnce(&mut BTreeMap<&'static str, &mut Worksheet>),
) -> Vec<u8> {
    let mut book = Workbook::new();
    let mut names = Vec::new();
    for name in ORDER {
        if name == "read_me" {
            let ws = book.add_worksheet().set_name("read_me").unwrap();
            ws.write_string(0, 0, "A test form for Indicia's XLSForm import.")
                .unwrap();
            continue;
        }
        let Some(rows) = sheets.get(name) else {
            continue;
        };
        let ws = book.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
        names.push(name);
    }
    let mut by_name: BTreeMap<&'static str, &mut Worksheet> = BTreeMap::new();
    for ws in book.worksheets_mut() {
        let name = ws.name();
        if let Some(n) = names.iter().find(|n| **n == name) {
            by_name.insert(n, ws);
        }
    }
    extra(&mut by_name);
    book.save_to_buffer().unwrap()
}

fn with_survey_row(row: Vec<&'static str>, at: usize) -> BTreeMap<&'static str, Rows> {
    let mut s = sheets();
    s.get_mut("survey").unwrap().insert(at, row);
    s
}

/// Re-zips `xlsx` through `edit(name, bytes) -> Option<bytes>` (None drops the entry), then
/// appends `extra` entries.
fn rezip(
    xlsx: &[u8],
    edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: Vec<(String, Vec<u8>)>,
) -> Vec<u8> {
    let mut input = ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut entry = input.by_index(i).unwrap();
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = edit(&name, bytes) {
            out.start_file(name, options).unwrap();
            out.write_all(&bytes).unwrap();
        }
    }
    for (name, bytes) in extra {
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Rewrites the uncompressed-size fields of every entry named `name` (local header and central
/// directory) to `size`: the headers then lie about what the entry inflates to.
fn lie_about_size(mut zip: Vec<u8>, name: &str, size: u32) -> Vec<u8> {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 <= zip.len() {
        let sig = &zip[i..i + 4];
        if sig == b"PK\x03\x04" {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if zip.get(i + 30..i + 30 + n) == Some(name) {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            }
        } else if sig == b"PK\x01\x02" {
            let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if zip.get(i + 46..i + 46 + n) == Some(name) {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            }
        }
        i += 1;
    }
    zip
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: make_xlsform_vectors DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir.join("valid")).unwrap();
    std::fs::create_dir_all(dir.join("reject")).unwrap();
    let write = |rel: &str, bytes: &[u8]| std::fs::write(dir.join(rel), bytes).unwrap();

    let valid = build(&sheets(), |_| ());
    write("valid/ngo-screening.xlsx", &valid);

    // The container.
    write(
        "reject/01-not-a-zip.xlsx",
        b"type,name,label\ntext,q1,Question\n",
    );
    let zeros = vec![0u8; 40 * 1024 * 1024];
    write(
        "reject/02-zip-bomb-entry.xlsx",
        &rezip(
            &valid,
            |_, b| Some(b),
            vec![("xl/media/bomb.bin".into(), zeros.clone())],
        ),
    );
    let thirty = vec![0u8; 30 * 1024 * 1024];
    write(
        "reject/03-zip-bomb-total.xlsx",
        &rezip(
            &valid,
            |_, b| Some(b),
            (0..3)
                .map(|i| (format!("xl/media/part{i}.bin"), thirty.clone()))
                .collect(),
        ),
    );
    // The sheet itself inflates past the limit while its headers say 1 KiB.
    write(
        "reject/04-zip-bomb-lying-size.xlsx",
        &lie_about_size(
            rezip(
                &valid,
                |name, b| {
                    if name == "xl/worksheets/sheet1.xml" {
                        let mut big = b;
                        // XML allows whitespace after the root element.
                        big.extend(std::iter::repeat_n(b' ', 40 * 1024 * 1024));
                        Some(big)
                    } else {
                        Some(b)
                    }
                },
                vec![],
            ),
            "xl/worksheets/sheet1.xml",
            1024,
        ),
    );
    write(
        "reject/05-too-many-entries.xlsx",
        &rezip(
            &valid,
            |_, b| Some(b),
            (0..200)
                .map(|i| (format!("customXml/item{i}.xml"), b"<a/>".to_vec()))
                .collect(),
        ),
    );
    write(
        "reject/06-broken-xml.xlsx",
        &rezip(
            &valid,
            |name, b| {
                if name == "xl/worksheets/sheet1.xml" {
                    let cut = b.len() * 2 / 3;
                    let mut b = b[..cut].to_vec();
                    b.extend_from_slice(b"<c r=\"A9\"><v>1</c></row>");
                    Some(b)
                } else {
                    Some(b)
                }
            },
            vec![],
        ),
    );

    // The sheets.
    write(
        "reject/07-far-cell.xlsx",
        &build(&sheets(), |s| {
            s.get_mut("survey")
                .unwrap()
                .write_string(1_048_575, 16_383, "x")
                .unwrap();
        }),
    );
    write(
        "reject/08-wide-row.xlsx",
        &build(&sheets(), |s| {
            s.get_mut("survey")
                .unwrap()
                .write_string(3, 300, "x")
                .unwrap();
        }),
    );
    write(
        "reject/09-formula-label.xlsx",
        &build(&sheets(), |s| {
            s.get_mut("survey")
                .unwrap()
                .write_formula(
                    4,
                    2,
                    Formula::new("=CONCATENATE(\"Is the person \",\"a child?\")")
                        .set_result("Is the person a child?"),
                )
                .unwrap();
        }),
    );
    write(
        "reject/10-formula-required.xlsx",
        &build(&sheets(), |s| {
            s.get_mut("survey")
                .unwrap()
                .write_formula(4, 5, Formula::new("=TRUE()").set_result("TRUE"))
                .unwrap();
        }),
    );
    write(
        "reject/11-merged-cells.xlsx",
        &build(&sheets(), |s| {
            s.get_mut("survey")
                .unwrap()
                .merge_range(
                    3,
                    2,
                    3,
                    3,
                    "About the person",
                    &rust_xlsxwriter::Format::new(),
                )
                .unwrap();
        }),
    );
    let long: &'static str = Box::leak("a".repeat(10_001).into_boxed_str());
    write(
        "reject/12-long-cell.xlsx",
        &build(&sheets(), |s| {
            s.get_mut("survey")
                .unwrap()
                .write_string(4, 4, long)
                .unwrap();
        }),
    );
    write(
        "reject/13-date-cell.xlsx",
        &build(&sheets(), |s| {
            let date = ExcelDateTime::from_ymd(2024, 1, 31).unwrap();
            let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
            s.get_mut("settings")
                .unwrap()
                .write_datetime_with_format(1, 3, &date, &format)
                .unwrap();
        }),
    );

    // What the form says.
    write(
        "reject/14-pulldata.xlsx",
        &build(
            &with_survey_row(
                vec![
                    "text",
                    "district",
                    "District",
                    "District",
                    "",
                    "",
                    "pulldata('districts', 'name', 'id', ${hours}) = 'x'",
                ],
                5,
            ),
            |_| (),
        ),
    );
    write(
        "reject/15-calculate.xlsx",
        &build(
            &with_survey_row(vec!["calculate", "score", "Score", "Score"], 5),
            |_| (),
        ),
    );
    write(
        "reject/16-note.xlsx",
        &build(
            &with_survey_row(vec!["note", "intro", "Read this first", "Lisez d'abord"], 4),
            |_| (),
        ),
    );
    write(
        "reject/17-repeat.xlsx",
        &build(
            &with_survey_row(vec!["begin_repeat", "children", "Children", "Enfants"], 3),
            |_| (),
        ),
    );
    write(
        "reject/18-nested-group.xlsx",
        &build(
            &with_survey_row(vec!["begin_group", "inner", "Inner", "Intérieur"], 4),
            |_| (),
        ),
    );
    let mut unknown_column = sheets();
    unknown_column.get_mut("survey").unwrap()[0].push("calculation");
    unknown_column.get_mut("survey").unwrap()[5] = vec![
        "integer",
        "hours",
        "Hours worked per day",
        "Heures travaillées par jour",
        "",
        "",
        "",
        "",
        "",
        "asked",
        "W.hours when . > 12",
        "${hours} * 7",
    ];
    write(
        "reject/19-unknown-column.xlsx",
        &build(&unknown_column, |_| ()),
    );
    let mut arithmetic = sheets();
    arithmetic.get_mut("survey").unwrap()[5][10] = "W.hours when . * 7 > 60";
    write("reject/20-arithmetic.xlsx", &build(&arithmetic, |_| ()));
    let mut no_indicators = sheets();
    no_indicators.remove("indicators");
    write(
        "reject/21-no-indicators-sheet.xlsx",
        &build(&no_indicators, |_| ()),
    );
    let mut no_language = sheets();
    no_language.get_mut("survey").unwrap()[0][3] = "label::Klingon";
    write(
        "reject/22-language-without-code.xlsx",
        &build(&no_language, |_| ()),
    );
    let mut bad_constraint = sheets();
    bad_constraint.get_mut("survey").unwrap()[5][7] = "regex(., '^[0-9]+$')";
    write("reject/23-constraint.xlsx", &build(&bad_constraint, |_| ()));
    let mut unknown_list = sheets();
    unknown_list.get_mut("survey").unwrap()[9][0] = "select_multiple sectors";
    write(
        "reject/24-unknown-choice-list.xlsx",
        &build(&unknown_list, |_| ()),
    );
    let mut invalid = sheets();
    invalid.get_mut("survey").unwrap()[8][10] = "C.passport when . = 'yes'";
    write("reject/25-unknown-indicator.xlsx", &build(&invalid, |_| ()));
}
