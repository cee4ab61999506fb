//! `indicia unit-card --qr`: the unit card as a QR code (docs/cli.md), for a device's camera.
//!
//! The code holds exactly the card's JSON as `indicia unit-card` prints it (one line, no
//! whitespace; docs/formats/receipt.md) without the final newline: no other encoding, so the
//! device parses what it read as it parses a card file. It is one byte-mode segment (preceded
//! by ECI 26, UTF-8, when the card is not ASCII: the unit's name may hold any letter) at error
//! correction level M (15 % of the code may be lost), in the smallest version that holds it —
//! a card with a name of a few words is about 400 bytes, version 15 (77 × 77 modules).

use std::io::{self, IsTerminal};

use qrcode::bits::Bits;
use qrcode::render::svg;
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode, Version};

use crate::cli::QrFormat;
use crate::failure::Failure;

/// The error correction level: 15 % of the code words may be lost (a smudge, glare, a crease).
pub const EC_LEVEL: EcLevel = EcLevel::M;
/// The ECI designator for UTF-8 (without it byte mode means ISO 8859-1).
const ECI_UTF8: u32 = 26;
/// Light modules around the code, as the standard asks.
const QUIET_ZONE: usize = 4;
/// PNG pixels per module: a version-15 code is 680 pixels wide with its quiet zone.
const PNG_SCALE: usize = 8;

/// The card's text as one QR code: one byte-mode segment at [`EC_LEVEL`] in the smallest
/// version that holds it.
pub fn encode(text: &str) -> Result<QrCode, Failure> {
    for number in 1..=40 {
        match with_version(text.as_bytes(), number) {
            Ok(bits) => {
                return QrCode::with_bits(bits, EC_LEVEL)
                    .map_err(|e| Failure::usage(format!("cannot make the QR code: {e}")))
            }
            Err(QrError::DataTooLong) => continue,
            Err(e) => return Err(Failure::usage(format!("cannot make the QR code: {e}"))),
        }
    }
    Err(Failure::usage(format!(
        "the card ({} bytes) does not fit in a QR code; hand over the file instead",
        text.len()
    )))
}

fn with_version(data: &[u8], number: i16) -> Result<Bits, QrError> {
    let mut bits = Bits::new(Version::Normal(number));
    if !data.is_ascii() {
        bits.push_eci_designator(ECI_UTF8)?;
    }
    bits.push_byte_data(data)?;
    bits.push_terminator(EC_LEVEL)?;
    Ok(bits)
}

/// The QR code's version number and width in modules (without the quiet zone).
pub fn describe(code: &QrCode) -> String {
    let version = match code.version() {
        Version::Normal(n) | Version::Micro(n) => n,
    };
    format!(
        "QR code version {version}, {w} × {w} modules, error correction M",
        w = code.width()
    )
}

/// The code drawn as `format` asks: the bytes to write.
pub fn render(code: &QrCode, format: QrFormat, to_stdout: bool) -> Result<Vec<u8>, Failure> {
    match format {
        QrFormat::Svg => Ok(code
            .render::<svg::Color>()
            .quiet_zone(true)
            .module_dimensions(8, 8)
            .build()
            .into_bytes()),
        QrFormat::Png => {
            if to_stdout && io::stdout().is_terminal() {
                return Err(Failure::usage(
                    "refusing to write a PNG image to a terminal; use --output or --qr terminal",
                ));
            }
            png(code)
        }
        QrFormat::Terminal => Ok(terminal(code).into_bytes()),
    }
}

/// Whether the module at (x, y) of the code with its quiet zone is dark.
fn dark_at(code: &QrCode, colors: &[Color], x: usize, y: usize) -> bool {
    let width = code.width();
    let (Some(x), Some(y)) = (x.checked_sub(QUIET_ZONE), y.checked_sub(QUIET_ZONE)) else {
        return false;
    };
    x < width && y < width && colors[y * width + x] == Color::Dark
}

/// A greyscale PNG, [`PNG_SCALE`] pixels a module, black on white with the quiet zone.
fn png(code: &QrCode) -> Result<Vec<u8>, Failure> {
    let colors = code.to_colors();
    let modules = code.width() + 2 * QUIET_ZONE;
    let side = modules * PNG_SCALE;
    let mut pixels = Vec::with_capacity(side * side);
    for y in 0..side {
        for x in 0..side {
            let dark = dark_at(code, &colors, x / PNG_SCALE, y / PNG_SCALE);
            pixels.push(if dark { 0 } else { 255 });
        }
    }
    let side = u32::try_from(side).map_err(|_| Failure::usage("the QR code is too large"))?;
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, side, side);
    encoder.set_color(::png::ColorType::Grayscale);
    encoder.set_depth(::png::BitDepth::Eight);
    let failed = |e: ::png::EncodingError| Failure::usage(format!("cannot write the PNG: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

/// Half blocks, two rows of modules a line, in black on white whatever the terminal's own
/// colours (a phone reads a light-on-dark code less reliably).
fn terminal(code: &QrCode) -> String {
    const BLACK_ON_WHITE: &str = "\x1b[30;107m";
    const RESET: &str = "\x1b[0m";
    let colors = code.to_colors();
    let modules = code.width() + 2 * QUIET_ZONE;
    let mut out = String::new();
    for y in (0..modules).step_by(2) {
        out.push_str(BLACK_ON_WHITE);
        for x in 0..modules {
            let top = dark_at(code, &colors, x, y);
            let bottom = y + 1 < modules && dark_at(code, &colors, x, y + 1);
            out.push(match (top, bottom) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push_str(RESET);
        out.push('\n');
    }
    out
}
