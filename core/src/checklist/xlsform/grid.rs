//! The workbook as tables of text, read by calamine within the import's limits.
//!
//! Only the sheets the import uses are read, and each cell by cell (calamine's cell reader),
//! never as calamine's dense `Range`: a single cell at row 1,048,576 would make that a grid
//! of billions of cells. Each cell's position and text length is checked as it arrives.
//! Formula cells are refused, not read from their cached value: a label that is really
//! `=CONCAT(…)` would otherwise silently become whatever Excel last computed. Merged cells are
//! refused too: only their top-left cell holds the value, so a merged label spanning two
//! language columns would leave the second one empty without anyone noticing.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::limits::{MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};
use super::{a1, echo, FormError};

/// The sheets the import reads (XLSForm's three and Indicia's four), matched without regard
/// to case as pyxform does.
pub(super) const SHEETS: [&str; 7] = [
    "survey",
    "choices",
    "settings",
    "dimensions",
    "indicators",
    "rule",
    "outcomes",
];

/// A sheet as a header row and the rows under it.
#[derive(Debug, Default)]
pub(super) struct Table {
    /// The sheet's name as the workbook spells it.
    pub name: String,
    /// 0-based row of the header.
    pub header_row: u32,
    /// Column index → header text (trimmed), for non-empty header cells.
    pub header: BTreeMap<u32, String>,
    /// Data rows below the header with at least one non-empty cell, in order.
    pub rows: Vec<Row>,
}

/// One row: 0-based row index and its non-empty cells by column.
#[derive(Debug)]
pub(super) struct Row {
    pub index: u32,
    pub cells: BTreeMap<u32, String>,
}

/// The sheets found, by lower-case XLSForm name, and the names of those passed over.
#[derive(Debug, Default)]
pub(super) struct Workbook {
    pub tables: BTreeMap<&'static str, Table>,
    pub other_sheets: Vec<String>,
}

impl Workbook {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }
}

pub(super) fn read(bytes: &[u8]) -> Result<Workbook, FormError> {
    let mut xlsx = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| FormError::file(format!("the workbook cannot be read: {}", clip(&e))))?;
    let mut book = Workbook::default();
    for name in xlsx.sheet_names() {
        let Some(known) = SHEETS.iter().find(|s| s.eq_ignore_ascii_case(name.trim())) else {
            book.other_sheets.push(name);
            continue;
        };
        if book.tables.contains_key(known) {
            return Err(FormError::sheet(
                &name,
                format!("a second \"{known}\" sheet (names are matched without regard to case)"),
            ));
        }
        refuse_merged(&mut xlsx, &name)?;
        refuse_formulas(&mut xlsx, &name)?;
        let table = read_table(&mut xlsx, &name)?;
        book.tables.insert(known, table);
    }
    Ok(book)
}

/// calamine's messages can quote XML; keep them to one short line.
fn clip(e: &dyn std::fmt::Display) -> String {
    let text = e.to_string().replace('\n', " ");
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    out
}

fn broken(sheet: &str, e: &dyn std::fmt::Display) -> FormError {
    FormError::sheet(
        sheet,
        format!("the sheet cannot be read (broken XML?): {}", clip(e)),
    )
}

fn refuse_merged(xlsx: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Result<(), FormError> {
    match xlsx.worksheet_merge_cells(sheet) {
        Some(Ok(regions)) => match regions.first() {
            Some(region) => Err(FormError::cell(
                sheet,
                region.start.0,
                region.start.1,
                format!(
                    "merged cells ({}:{}) are refused: unmerge them and fill every cell",
                    a1(region.start.0, region.start.1),
                    a1(region.end.0, region.end.1)
                ),
            )),
            None => Ok(()),
        },
        Some(Err(e)) => Err(broken(sheet, &e)),
        None => Err(FormError::sheet(
            sheet,
            "the sheet's part is missing from the zip",
        )),
    }
}

fn check_position(sheet: &str, (row, column): (u32, u32)) -> Result<(), FormError> {
    if row >= MAX_ROWS {
        return Err(FormError::cell(
            sheet,
            row,
            column,
            format!("a cell beyond row {MAX_ROWS}; a sheet is read to row {MAX_ROWS}"),
        ));
    }
    if column >= MAX_COLUMNS {
        return Err(FormError::cell(
            sheet,
            row,
            column,
            format!(
                "a cell beyond column {MAX_COLUMNS}; a sheet is read to column {}",
                a1(0, MAX_COLUMNS - 1).trim_end_matches('1')
            ),
        ));
    }
    Ok(())
}

fn refuse_formulas(xlsx: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Result<(), FormError> {
    let mut cells = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|e| broken(sheet, &e))?;
    while let Some(cell) = cells.next_formula().map_err(|e| broken(sheet, &e))? {
        let (row, column) = cell.get_position();
        if !cell.get_value().is_empty() {
            return Err(FormError::cell(
                sheet,
                row,
                column,
                format!(
                    "a formula cell (={}) is refused: a form holds values; paste the value instead",
                    echo(cell.get_value())
                ),
            ));
        }
    }
    Ok(())
}

fn read_table(xlsx: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Result<Table, FormError> {
    let mut cells = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|e| broken(sheet, &e))?;
    let mut grid: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    let mut count = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| broken(sheet, &e))? {
        let (row, column) = cell.get_position();
        // Empty cells count too (styled ones are written out by spreadsheet programs), but
        // only a cell with a value must lie within the rows and columns read: the table is
        // sparse, so a far-away empty cell costs nothing.
        count += 1;
        if count > MAX_CELLS {
            return Err(FormError::cell(
                sheet,
                row,
                column,
                format!("the sheet has more than {MAX_CELLS} cells; at most {MAX_CELLS} are read"),
            ));
        }
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        check_position(sheet, (row, column))?;
        let at = |message: String| FormError::cell(sheet, row, column, message);
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => (*s).to_owned(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) => number_text(*f),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
                return Err(at(
                    "a date or time cell is refused: write the value as text".into(),
                ))
            }
            DataRef::Error(e) => return Err(at(format!("an error cell ({e}) is refused"))),
        };
        let chars = text.chars().count();
        if chars > MAX_CELL_CHARS {
            return Err(at(format!(
                "the cell holds {chars} characters; at most {MAX_CELL_CHARS} are read"
            )));
        }
        if text.trim().is_empty() {
            continue;
        }
        if grid.entry(row).or_default().insert(column, text).is_some() {
            return Err(at("the cell is written twice in the sheet's XML".into()));
        }
    }
    let mut rows = grid.into_iter();
    let Some((header_row, header)) = rows.next() else {
        return Ok(Table {
            name: sheet.to_owned(),
            ..Table::default()
        });
    };
    let header = header
        .into_iter()
        .map(|(c, text)| (c, text.trim().to_owned()))
        .collect();
    Ok(Table {
        name: sheet.to_owned(),
        header_row,
        header,
        rows: rows.map(|(index, cells)| Row { index, cells }).collect(),
    })
}

/// A number cell as the text a form means by it: `3`, not `3.0`; `0.5`.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}
