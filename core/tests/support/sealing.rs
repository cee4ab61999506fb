// Sealing a case for real in tests (both phases), where a test needs a sealed case: the status
// machine has no other way to get there (docs/formats/store.md, "Case status").

use indicia_core::keys::Identity;
use indicia_core::package::{DeviceKey, UnitCard};
use indicia_core::sealing::Armor;
use indicia_core::store::Store;

/// Adds a receiving unit's signed card for `unit` to the store; returns the card's key id.
#[allow(dead_code)]
pub fn add_unit(store: &mut Store, unit: &Identity) -> String {
    let key = DeviceKey::generate().unwrap();
    let card = UnitCard::signed("Test unit", &unit.recipient().to_string(), &key).unwrap();
    store.add_unit(&card).unwrap();
    card.signing_key.key_id
}

#[allow(dead_code)]
/// Seals case `id` to a unit (a fresh one unless the store holds one) and confirms the package
/// durable; returns the report id.
pub fn seal(store: &mut Store, id: &str) -> String {
    if store.units().unwrap().is_empty() {
        add_unit(store, &Identity::generate());
    }
    let (_, report) = store
        .seal_case(id, "org", &[], &[], Armor::Binary, Vec::new())
        .unwrap();
    store.confirm_sealed(id, &report.report_id).unwrap();
    report.report_id
}
