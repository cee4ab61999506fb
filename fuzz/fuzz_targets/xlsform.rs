//! XLSForm workbooks (docs/formats/xlsform.md): the zip bounds, calamine's reading of the
//! workbook and its sheets (cell by cell, formulas and merged cells refused), the form → checklist
//! mapping and the XPath translation. A workbook that imports is exported and imported again:
//! the import writes the normal form, so the second import must give the same content hash.
#![no_main]

use indicia_core::checklist::xlsform;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(imported) = xlsform::import(data) else {
        return;
    };
    let xlsx = xlsform::export(&imported.json).expect("an imported checklist exports");
    let again = xlsform::import(&xlsx).expect("an exported checklist imports");
    assert_eq!(
        again.checklist.reference().hash,
        imported.checklist.reference().hash
    );
});
