//! The import's bounds, checked on the zip container before calamine opens it
//! (docs/formats/xlsform.md, "Limits"). An .xlsx is a zip of XML parts: a hostile one can
//! declare small sizes and inflate to gigabytes (a zip bomb), hold thousands of entries, or name
//! a cell at row 1,048,576 so that a reader building the sheet as a grid allocates billions of
//! cells. Everything here is measured, not trusted: every entry is inflated once into a
//! counting sink, stopped one byte past its limit, so memory stays bounded whatever the headers
//! say.

use std::io::{self, Cursor, Read};

/// At most this many bytes of .xlsx (a real form with hundreds of questions in ten languages
/// is well under 1 MiB).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// At most this many zip entries (a workbook written by Excel, LibreOffice or rust_xlsxwriter
/// has about a dozen, a few more with images).
pub const MAX_ENTRIES: usize = 200;
/// At most this many bytes in one inflated entry, declared or actual.
pub const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
/// At most this many bytes inflated over all entries, declared or actual.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many rows in a sheet (a cell with a value below is refused where it is found).
pub const MAX_ROWS: u32 = 10_000;
/// At most this many columns in a sheet (a cell with a value to the right is refused where it
/// is found).
pub const MAX_COLUMNS: u32 = 256;
/// At most this many cells in a sheet, empty ones included (each costs the reader time).
pub const MAX_CELLS: usize = 500_000;
/// At most this many characters in one cell (Excel's own limit is 32,767; a checklist text
/// is at most 4,000).
pub const MAX_CELL_CHARS: usize = 10_000;

/// Checks the container; the error says which entry and which limit.
pub(super) fn check_zip(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} bytes; at most {MAX_FILE_BYTES} are read",
            bytes.len()
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not an .xlsx file (not a readable zip: {e})"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "the zip holds {} entries; at most {MAX_ENTRIES} are read",
            zip.len()
        ));
    }
    let mut declared_total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("zip entry {i} is unreadable: {e}"))?;
        let name = super::echo(entry.name());
        if entry.encrypted() {
            return Err(format!("zip entry \"{name}\" is encrypted"));
        }
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(format!(
                "zip entry \"{name}\" declares {} bytes inflated; at most {MAX_ENTRY_BYTES} are read",
                entry.size()
            ));
        }
        declared_total = declared_total.saturating_add(entry.size());
    }
    if declared_total > MAX_TOTAL_BYTES {
        return Err(format!(
            "the zip declares {declared_total} bytes inflated; at most {MAX_TOTAL_BYTES} are read"
        ));
    }
    // The headers can lie (a data descriptor, a wrong size field): inflate and count.
    let mut actual_total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("zip entry {i} is unreadable: {e}"))?;
        let name = super::echo(entry.name());
        let mut limited = (&mut entry).take(MAX_ENTRY_BYTES + 1);
        let n = io::copy(&mut limited, &mut io::sink())
            .map_err(|e| format!("zip entry \"{name}\" does not inflate: {e}"))?;
        if n > MAX_ENTRY_BYTES {
            return Err(format!(
                "zip entry \"{name}\" inflates to more than {MAX_ENTRY_BYTES} bytes"
            ));
        }
        actual_total += n;
        if actual_total > MAX_TOTAL_BYTES {
            return Err(format!(
                "the zip inflates to more than {MAX_TOTAL_BYTES} bytes"
            ));
        }
    }
    Ok(())
}
