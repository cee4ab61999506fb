//! `indicia unit-card --qr`: each drawing of the code (PNG, terminal, SVG) reads back, with a QR
//! decoder (rqrr), as exactly the card `indicia unit-card` prints, which a field store imports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use common::unit::Unit;

/// The card as `unit-card` prints it, without its final newline: what the code must hold.
fn card_text(unit: &Unit, db: &str) -> String {
    let out = unit
        .cmd(&["unit-card", "--db", db, "--passphrase-file", "unit.pass"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    text.strip_suffix('\n').unwrap().to_owned()
}

/// Runs `unit-card --qr FORMAT` on `db`; its stdout and stderr.
fn qr(unit: &Unit, db: &str, format: &str, extra: &[&str]) -> (Vec<u8>, String) {
    let mut args = vec![
        "unit-card",
        "--db",
        db,
        "--passphrase-file",
        "unit.pass",
        "--qr",
        format,
    ];
    args.extend_from_slice(extra);
    let out = unit.cmd(&args).assert().success();
    let output = out.get_output();
    (
        output.stdout.clone(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Decodes the one QR code in a `rqrr::PreparedImage`: its bytes and rqrr's metadata (a macro:
/// rqrr does not name the image buffer type).
macro_rules! decode {
    ($image:expr) => {{
        let mut image = $image;
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code in the image");
        let mut bytes = Vec::new();
        let meta = grids[0].decode_to(&mut bytes).expect("the code decodes");
        (bytes, meta)
    }};
}

fn decode_png(png_bytes: &[u8]) -> (Vec<u8>, rqrr::MetaData) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    assert_eq!(frame.bit_depth, png::BitDepth::Eight);
    let (w, h) = (frame.width as usize, frame.height as usize);
    decode!(rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        pixels[y * w + x]
    }))
}

/// The terminal drawing back to modules: each character is two rows (top, bottom), dark where
/// its half is drawn.
fn decode_terminal(text: &str) -> (Vec<u8>, rqrr::MetaData) {
    let mut rows: Vec<Vec<bool>> = Vec::new();
    for line in text.lines() {
        let line = line
            .strip_prefix("\x1b[30;107m")
            .and_then(|l| l.strip_suffix("\x1b[0m"))
            .expect("each line is black on white, then reset");
        let (top, bottom): (Vec<bool>, Vec<bool>) = line
            .chars()
            .map(|c| match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                ' ' => (false, false),
                other => panic!("unexpected {other:?}"),
            })
            .unzip();
        rows.push(top);
        rows.push(bottom);
    }
    // Scaled up, as a camera would see it, so the finder patterns are well sampled.
    let scale = 4;
    let (w, h) = (rows[0].len() * scale, rows.len() * scale);
    decode!(rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| {
        rows[y / scale][x / scale]
    }))
}

/// "QR code version N, W × W modules" from stderr.
fn version_in(stderr: &str) -> (usize, usize) {
    let rest = stderr
        .split("QR code version ")
        .nth(1)
        .unwrap_or_else(|| panic!("no QR version in {stderr:?}"));
    let mut words = rest.split([',', ' ', '×']).filter(|w| !w.is_empty());
    let version = words.next().unwrap().parse().unwrap();
    let width = words.next().unwrap().parse().unwrap();
    (version, width)
}

#[test]
fn the_png_reads_back_as_the_card_the_store_imports_with_the_same_fingerprint() {
    let unit = Unit::new(false);
    let card = card_text(&unit, "unit.db");
    let (stdout, stderr) = qr(&unit, "unit.db", "png", &["-o", "card.png"]);
    assert!(stdout.is_empty(), "the image went to the file");
    assert!(
        stderr.contains("card fingerprint "),
        "the fingerprint is still shown: {stderr}"
    );
    let (bytes, meta) = decode_png(&std::fs::read(unit.path("card.png")).unwrap());
    assert_eq!(String::from_utf8(bytes.clone()).unwrap(), card);

    // A card of ~400 bytes, error correction M: version 16 at most (81 × 81 modules).
    let (version, width) = version_in(&stderr);
    assert_eq!(meta.version.0, version);
    assert_eq!(width, 17 + 4 * version);
    assert!(version <= 16, "{stderr}");
    assert_eq!(meta.ecc_level, 0, "error correction M (format bits 00)");

    // What the camera read is a card the field store takes, with the unit's fingerprint.
    std::fs::write(unit.path("scanned.json"), &bytes).unwrap();
    std::fs::write(unit.path("f.pin"), "tidal-amber-orchard\n").unwrap();
    unit.run(&["store", "create", "f.db", "--pin-file", "f.pin"]);
    let added = unit
        .cmd(&[
            "store",
            "add-unit",
            "f.db",
            "scanned.json",
            "--pin-file",
            "f.pin",
        ])
        .assert()
        .success();
    let fingerprint = |stderr: &[u8]| {
        let text = String::from_utf8_lossy(stderr).into_owned();
        text.split("card fingerprint ").nth(1).unwrap()[..23].to_owned()
    };
    assert_eq!(
        fingerprint(&added.get_output().stderr),
        fingerprint(stderr.as_bytes())
    );
}

#[test]
fn a_name_beyond_ascii_is_carried_as_utf8_in_every_drawing() {
    let unit = Unit::new(false);
    unit.cmd(&[
        "init",
        "--db",
        "sk.db",
        "--passphrase-file",
        "unit.pass",
        "-i",
        "unit.key",
        "--name",
        "Národná jednotka boja proti obchodovaniu s ľuďmi — Bratislava ✓",
    ])
    .assert()
    .success();
    let card = card_text(&unit, "sk.db");

    let (png_bytes, stderr) = qr(&unit, "sk.db", "png", &[]);
    let (bytes, meta) = decode_png(&png_bytes);
    assert_eq!(String::from_utf8(bytes).unwrap(), card);
    assert_eq!(version_in(&stderr).0, meta.version.0);

    let (text, _) = qr(&unit, "sk.db", "terminal", &[]);
    let (bytes, _) = decode_terminal(&String::from_utf8(text).unwrap());
    assert_eq!(String::from_utf8(bytes).unwrap(), card);
}

#[test]
fn the_terminal_and_svg_drawings_hold_the_same_code() {
    let unit = Unit::new(false);
    let card = card_text(&unit, "unit.db");
    let (text, stderr) = qr(&unit, "unit.db", "terminal", &[]);
    let (bytes, _) = decode_terminal(&String::from_utf8(text).unwrap());
    assert_eq!(String::from_utf8(bytes).unwrap(), card);

    // The SVG: 8 units a module, with the 4-module quiet zone on each side.
    let (svg, _) = qr(&unit, "unit.db", "svg", &["-o", "card.svg"]);
    assert!(svg.is_empty());
    let svg = std::fs::read_to_string(unit.path("card.svg")).unwrap();
    let (_, width) = version_in(&stderr);
    let side = (width + 8) * 8;
    assert!(svg.starts_with("<?xml"), "{svg}");
    assert!(
        svg.contains(&format!(r#"viewBox="0 0 {side} {side}""#)),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));

    // -o never replaces a file, as for the JSON card.
    unit.cmd(&[
        "unit-card",
        "--db",
        "unit.db",
        "--passphrase-file",
        "unit.pass",
        "--qr",
        "svg",
        "-o",
        "card.svg",
    ])
    .assert()
    .failure();
    // An unknown drawing is a usage error.
    unit.cmd(&[
        "unit-card",
        "--db",
        "unit.db",
        "--passphrase-file",
        "unit.pass",
        "--qr",
        "jpeg",
    ])
    .assert()
    .code(2);
}
