// Sealing a case for real in tests (both phases), where a test needs a sealed case: the status
// machine has no other way to get there (docs/formats/store.md, "Case status").

use indicia_core::keys::Identity;
use indicia_core::sealing::Armor;
use indicia_core::store::Store;

/// Seals case `id` to a fresh unit and confirms the package durable; returns the report id.
pub fn seal(store: &mut Store, id: &str) -> String {
    let unit = Identity::generate();
    let (_, report) = store
        .seal_case(
            id,
            "org",
            &[],
            &[unit.recipient()],
            Armor::Binary,
            Vec::new(),
        )
        .unwrap();
    store.confirm_sealed(id, &report.report_id).unwrap();
    report.report_id
}
