// The store conformance suite, shared by every backend's test crate: `include!`d by
// core/tests/store_conformance.rs (file and memory backends) and by
// bindings/wasm/tests/store_conformance.rs (the browser's OPFS backend, in Chromium). Each
// includer defines its places and a macro that turns the behaviour list into tests.
//
// Needs in scope: `Place` implementations; imports are below.

use indicia_core::checklist::model::ChecklistRef;
use indicia_core::store::{
    Backend, CaseStatus, CustodyEvent, KdfParams, PlatformKey, Protection, Store, StoreError,
};
use indicia_core::keys::Identity;
use indicia_core::package::{
    open_package, seal_receipt, DeviceKey, Receipt, ReceiptStatus, UnitCard,
};
use indicia_core::sealing::Armor;
use indicia_core::ErrorKind;
use rusqlite::Connection;
use secrecy::SecretString;
use serde_json::json;
use sha2::{Digest, Sha256};

/// One database that can be opened again and again.
trait Place {
    /// A backend for this place's database (each call: a new handle to the same database).
    fn backend(&self) -> Box<dyn Backend>;
    /// Files the database left in storage (`None` for a backend without files).
    fn files(&self) -> Option<Vec<String>>;
}

/// A backend shared between store handles, so a test can drop a store and open the same
/// database again (a backend is moved into its store).
struct Shared<B: Backend + Sync>(std::sync::Arc<B>);

impl<B: Backend + Sync> Clone for Shared<B> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<B: Backend + Sync> Backend for Shared<B> {
    fn exists(&self) -> bool {
        self.0.exists()
    }
    fn connect(&self, create: bool) -> Result<Connection, StoreError> {
        self.0.connect(create)
    }
    fn destroy(&self) -> Result<(), StoreError> {
        self.0.destroy()
    }
    fn journal_mode(&self) -> &'static str {
        self.0.journal_mode()
    }
}

/// Calls `$tests!(behaviour, …)` with every behaviour of the suite.
macro_rules! for_each_behaviour {
    ($tests:ident) => {
        $tests!(cases_answers_and_notes_round_trip,
    a_fresh_place_has_no_store_and_a_second_create_is_refused,
    a_locked_store_refuses_every_data_call,
    a_wrong_pin_is_refused_and_the_right_pin_gives_the_data_back,
    a_reopened_store_is_locked_until_unlocked_and_keeps_its_data,
    a_changed_pin_replaces_the_old_one_and_keeps_the_data,
    a_change_of_pin_needs_the_current_pin,
    a_successful_unlock_resets_the_failed_unlock_count,
    the_third_wrong_pin_wipes_the_store_when_wipe_after_is_three,
    without_wipe_after_wrong_pins_never_wipe,
    quick_delete_leaves_no_store_and_no_files,
    quick_delete_works_while_locked,
    a_case_moves_only_along_the_allowed_statuses,
    a_sealed_case_cannot_be_edited,
    an_unacknowledged_case_is_deleted_only_with_force,
    a_deleted_case_is_gone_with_its_answers_and_notes,
    the_custody_log_grows_with_every_change_and_its_chain_verifies,
    a_platform_key_unlocks_the_store,
    a_different_platform_key_is_refused_with_a_platform_error,
    a_removed_platform_key_no_longer_unlocks,
    a_platform_key_unlock_resets_the_failed_pin_count,
    a_refused_create_leaves_no_store_behind,
    wrong_pin_wiped_locked_and_no_store_are_distinct_error_kinds,
    oversized_titles_and_notes_are_refused,
    missing_cases_are_not_found,
        );
    };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

/// The suite's passphrase and a second one (both meet the passphrase policy).
const PIN: &str = "tidal-amber-orchard";
const NEW_PIN: &str = "copper kettle moonrise";

fn pin(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

/// A receiving unit whose signed card a store holds.
struct Unit {
    identity: Identity,
    key: DeviceKey,
    key_id: String,
}

/// Adds a fresh receiving unit's signed card to the store.
fn add_unit(store: &mut Store) -> Unit {
    let (identity, key) = (Identity::generate(), DeviceKey::generate().unwrap());
    let card = UnitCard::signed("Unit", &identity.recipient().to_string(), &key).unwrap();
    store.add_unit(&card).unwrap();
    Unit { identity, key, key_id: card.signing_key.key_id }
}

/// Seals case `id` into a package to a fresh unit and confirms it durable (both phases);
/// returns the package and the unit (for a receipt).
fn seal(store: &mut Store, id: &str) -> (Vec<u8>, Unit) {
    let unit = add_unit(store);
    let (package, report) = store
        .seal_case(id, "org", &[], std::slice::from_ref(&unit.key_id), Armor::Binary, Vec::new())
        .unwrap();
    store.confirm_sealed(id, &report.report_id).unwrap();
    (package, unit)
}

/// The unit of `seal` sends a verified receipt for the package, and the store imports it: the
/// only way a case becomes acknowledged.
fn acknowledge(store: &mut Store, (package, unit): &(Vec<u8>, Unit)) {
    let manifest = open_package(&package[..], std::slice::from_ref(&unit.identity))
        .unwrap()
        .manifest()
        .clone();
    let receipt =
        Receipt::for_report(&manifest, ReceiptStatus::Received, None, "Unit", &unit.key).unwrap();
    let reply = indicia_core::parse_recipients(&[store.reply_recipient().unwrap()]).unwrap();
    let sealed = seal_receipt(&receipt, &unit.key, &reply, Armor::Binary).unwrap();
    store.import_receipt(&sealed).unwrap();
}

fn create(place: &dyn Place) -> Store {
    Store::create(place.backend(), &pin(PIN), &Protection::passphrase(KdfParams::TESTING)).unwrap()
}

fn reopen(place: &dyn Place) -> Store {
    let store = Store::open(place.backend()).unwrap();
    assert!(!store.is_unlocked(), "an opened store must start locked");
    store
}

fn checklist_ref() -> ChecklistRef {
    ChecklistRef {
        id: "first-contact".into(),
        version: "1".into(),
        hash: "sha256:00".into(),
        publisher: None,
    }
}

/// A store with one draft case holding two answers and a note; returns (store, case id).
fn store_with_a_case(place: &dyn Place) -> (Store, String) {
    let mut store = create(place);
    let id = store
        .create_case("Case at the harbour", Some(checklist_ref()))
        .unwrap();
    store
        .save_answer(&id, "age_group", &json!("adult"))
        .unwrap();
    store
        .save_answer(&id, "worker_note", &json!("long text\nwith ünïcode ✓"))
        .unwrap();
    store.add_note(&id, "met at the bus station").unwrap();
    (store, id)
}

fn assert_case_intact(store: &Store, id: &str) {
    let record = store.case(id).unwrap();
    assert_eq!(record.title, "Case at the harbour");
    assert_eq!(record.status, CaseStatus::Draft);
    assert_eq!(record.checklist, Some(checklist_ref()));
    assert_eq!(
        store.answers(id).unwrap(),
        json!({"age_group": "adult", "worker_note": "long text\nwith ünïcode ✓"})
    );
    let notes = store.notes(id).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text, "met at the bus station");
}

/// The documented chain (docs/formats/store.md, "Custody log"), recomputed independently.
fn chain_is_valid(log: &[CustodyEvent]) -> bool {
    let mut prev = "0".repeat(64);
    for (i, e) in log.iter().enumerate() {
        let mut h = Sha256::new();
        for part in [
            e.prev.as_bytes(),
            &e.seq.to_be_bytes(),
            e.event.as_bytes(),
            e.detail.as_bytes(),
            &e.at.to_be_bytes(),
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
        let hash = indicia_core::hex::encode(&h.finalize());
        if e.seq != i as u64 || e.prev != prev || e.hash != hash {
            return false;
        }
        prev = hash;
    }
    true
}

/// A platform key that XORs the data key with a fixed pad (a stand-in for Keystore/Keychain).
struct XorKey([u8; 32]);

impl PlatformKey for XorKey {
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, String> {
        Ok(data_key
            .iter()
            .zip(self.0.iter().cycle())
            .map(|(a, b)| a ^ b)
            .collect())
    }
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String> {
        self.wrap(wrapped)
    }
}

/// A platform key whose hardware refuses (e.g. the user revoked biometrics).
struct FailingKey;

impl PlatformKey for FailingKey {
    fn wrap(&self, _: &[u8]) -> Result<Vec<u8>, String> {
        Err("keystore unavailable".into())
    }
    fn unwrap(&self, _: &[u8]) -> Result<Vec<u8>, String> {
        Err("keystore unavailable".into())
    }
}

// ---------------------------------------------------------------------------------------------
// Behaviours.

fn cases_answers_and_notes_round_trip(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    assert_case_intact(&store, &id);
    let second = store.create_case("Second", None).unwrap();
    assert_eq!(store.answers(&second).unwrap(), json!({}));
    assert!(store.notes(&second).unwrap().is_empty());
    assert_eq!(store.case(&second).unwrap().checklist, None);

    // Overwrite and clear.
    store
        .save_answer(&id, "age_group", &json!("child"))
        .unwrap();
    store.clear_answer(&id, "worker_note").unwrap();
    store.clear_answer(&id, "never_answered").unwrap();
    assert_eq!(store.answers(&id).unwrap(), json!({"age_group": "child"}));

    // Every answer shape a checklist has survives with its JSON type.
    store.save_answer(&second, "multi", &json!(["a", "b"])).unwrap();
    store.save_answer(&second, "count", &json!(3.5)).unwrap();
    store.save_answer(&second, "when", &json!("2026-11-23")).unwrap();
    assert_eq!(
        store.answers(&second).unwrap(),
        json!({"multi": ["a", "b"], "count": 3.5, "when": "2026-11-23"})
    );
    // A value no session could restore is refused, and nothing of it is kept.
    for bad in [
        json!({"nested": true}),
        json!(null),
        json!(true),
        json!([]),
        json!(["a", 1]),
        json!(""),
        json!("   "),
    ] {
        assert_eq!(
            store.save_answer(&second, "multi", &bad).unwrap_err().kind(),
            ErrorKind::InvalidAnswer,
            "{bad}"
        );
    }
    assert_eq!(store.answers(&second).unwrap()["multi"], json!(["a", "b"]));

    // Notes keep their order and ids.
    let n2 = store.add_note(&id, "second note").unwrap();
    let notes = store.notes(&id).unwrap();
    assert_eq!(
        notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(),
        ["met at the bus station", "second note"]
    );
    assert_eq!(notes[1].id, n2);
    assert_ne!(notes[0].id, notes[1].id);

    let list = store.list_cases().unwrap();
    assert_eq!(list.len(), 2);
    let mut ids: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let mut expected = [id.as_str(), second.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    assert!(list.iter().all(|c| c.status == CaseStatus::Draft));
    assert!(
        list.windows(2).all(|w| w[0].updated >= w[1].updated),
        "newest first"
    );
}

fn a_fresh_place_has_no_store_and_a_second_create_is_refused(place: &dyn Place) {
    assert_eq!(
        Store::open(place.backend()).unwrap_err(),
        StoreError::NoStore
    );
    let store = create(place);
    let again = Store::create(place.backend(), &pin("9999"), &Protection::passphrase(KdfParams::TESTING));
    assert_eq!(again.unwrap_err(), StoreError::AlreadyExists);
    drop(store);
    // The refused create changed nothing: the first PIN still opens.
    let mut store = reopen(place);
    store.unlock(&pin(PIN)).unwrap();
}

fn a_locked_store_refuses_every_data_call(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    store.lock();
    assert!(!store.is_unlocked());
    let locked = |r: Result<(), StoreError>, what: &str| {
        assert_eq!(r.unwrap_err(), StoreError::Locked, "{what} while locked");
    };
    locked(store.create_case("x", None).map(drop), "create_case");
    locked(store.list_cases().map(drop), "list_cases");
    locked(store.case(&id).map(drop), "case");
    locked(store.mark_handed_over(&id), "mark_handed_over");
    locked(store.confirm_sealed(&id, "0"), "confirm_sealed");
    locked(store.save_answer(&id, "q", &json!(1)), "save_answer");
    locked(store.clear_answer(&id, "age_group"), "clear_answer");
    locked(store.answers(&id).map(drop), "answers");
    locked(store.add_note(&id, "n").map(drop), "add_note");
    locked(store.notes(&id).map(drop), "notes");
    locked(store.custody_log(&id).map(drop), "custody_log");
    locked(store.delete_case(&id, true), "delete_case");
    locked(store.set_wipe_after(Some(3)), "set_wipe_after");
    locked(
        store.change_pin(&pin(PIN), None, &pin(NEW_PIN), &Protection::passphrase(KdfParams::TESTING)),
        "change_pin",
    );
    locked(store.add_platform_key(&XorKey([7; 32])), "add_platform_key");
    locked(store.remove_platform_key(), "remove_platform_key");
    // Nothing was changed by the refused calls.
    store.unlock(&pin(PIN)).unwrap();
    assert_case_intact(&store, &id);
    assert_eq!(store.list_cases().unwrap().len(), 1);
    assert_eq!(store.custody_log(&id).unwrap().len(), 4);
}

fn a_wrong_pin_is_refused_and_the_right_pin_gives_the_data_back(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    store.lock();
    for wrong in ["0000", "tidal-amber-orchar", "tidal-amber-orchard ", " tidal-amber-orchard"] {
        assert_eq!(
            store.unlock(&pin(wrong)).unwrap_err(),
            StoreError::WrongPin {
                attempts_left: None
            }
        );
        assert!(!store.is_unlocked());
        assert_eq!(store.case(&id).unwrap_err(), StoreError::Locked);
    }
    assert_eq!(store.failed_unlocks().unwrap(), 4);
    store.unlock(&pin(PIN)).unwrap();
    assert!(store.is_unlocked());
    assert_case_intact(&store, &id);
}

fn a_reopened_store_is_locked_until_unlocked_and_keeps_its_data(place: &dyn Place) {
    let (store, id) = store_with_a_case(place);
    drop(store);
    let mut store = reopen(place);
    assert_eq!(store.list_cases().unwrap_err(), StoreError::Locked);
    assert_eq!(
        store.unlock(&pin("4321")).unwrap_err().kind(),
        ErrorKind::WrongPin
    );
    store.unlock(&pin(PIN)).unwrap();
    assert_case_intact(&store, &id);
    assert_eq!(store.list_cases().unwrap().len(), 1);
    // And again, after more writes.
    store.add_note(&id, "after reopen").unwrap();
    drop(store);
    let mut store = reopen(place);
    store.unlock(&pin(PIN)).unwrap();
    assert_eq!(store.notes(&id).unwrap().len(), 2);
}

fn a_changed_pin_replaces_the_old_one_and_keeps_the_data(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    store
        .change_pin(&pin(PIN), None, &pin(NEW_PIN), &Protection::passphrase(KdfParams::TESTING))
        .unwrap();
    assert_case_intact(&store, &id);
    drop(store);
    let mut store = reopen(place);
    assert_eq!(
        store.unlock(&pin(PIN)).unwrap_err().kind(),
        ErrorKind::WrongPin
    );
    store.unlock(&pin(NEW_PIN)).unwrap();
    assert_case_intact(&store, &id);
    store.lock();
    assert_eq!(
        store.unlock(&pin(PIN)).unwrap_err().kind(),
        ErrorKind::WrongPin
    );
    store.unlock(&pin(NEW_PIN)).unwrap();
}

fn a_change_of_pin_needs_the_current_pin(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    let r = store.change_pin(&pin("0000"), None, &pin(NEW_PIN), &Protection::passphrase(KdfParams::TESTING));
    assert_eq!(r.unwrap_err().kind(), ErrorKind::WrongPin);
    for weak in ["", "1", "1234", "password1", "aaaaaaaaaaaa"] {
        let r = store.change_pin(&pin(PIN), None, &pin(weak), &Protection::passphrase(KdfParams::TESTING));
        assert_eq!(
            r.unwrap_err().kind(),
            ErrorKind::WeakPin,
            "a weak new PIN {weak:?} is refused"
        );
    }
    drop(store);
    let mut store = reopen(place);
    assert_eq!(
        store.unlock(&pin(NEW_PIN)).unwrap_err().kind(),
        ErrorKind::WrongPin
    );
    store.unlock(&pin(PIN)).unwrap();
    assert_case_intact(&store, &id);
}

fn a_successful_unlock_resets_the_failed_unlock_count(place: &dyn Place) {
    let mut store = create(place);
    store.set_wipe_after(Some(3)).unwrap();
    store.lock();
    for _ in 0..5 {
        // Two failures, then success: never three consecutive, never wiped.
        assert_eq!(
            store.unlock(&pin("0")).unwrap_err(),
            StoreError::WrongPin {
                attempts_left: Some(2)
            }
        );
        assert_eq!(
            store.unlock(&pin("0")).unwrap_err(),
            StoreError::WrongPin {
                attempts_left: Some(1)
            }
        );
        assert_eq!(store.failed_unlocks().unwrap(), 2);
        store.unlock(&pin(PIN)).unwrap();
        assert_eq!(store.failed_unlocks().unwrap(), 0);
        store.lock();
    }
    // The count survives a reopen (killing the app does not reset it).
    assert!(store.unlock(&pin("0")).is_err());
    drop(store);
    let mut store = reopen(place);
    assert_eq!(store.failed_unlocks().unwrap(), 1);
    assert_eq!(
        store.unlock(&pin("0")).unwrap_err(),
        StoreError::WrongPin {
            attempts_left: Some(1)
        }
    );
    store.unlock(&pin(PIN)).unwrap();
}

fn the_third_wrong_pin_wipes_the_store_when_wipe_after_is_three(place: &dyn Place) {
    let (mut store, _) = store_with_a_case(place);
    store.set_wipe_after(Some(3)).unwrap();
    drop(store);
    let mut store = reopen(place);
    // The lock screen can warn before the first attempt, from the locked store.
    assert_eq!(store.attempts_left().unwrap(), Some(3));
    assert_eq!(
        store.unlock(&pin("1111")).unwrap_err(),
        StoreError::WrongPin {
            attempts_left: Some(2)
        }
    );
    assert_eq!(store.attempts_left().unwrap(), Some(2));
    assert_eq!(
        store.unlock(&pin("2222")).unwrap_err(),
        StoreError::WrongPin {
            attempts_left: Some(1)
        }
    );
    drop(store);
    // The count survives a restart of the app.
    let mut store = reopen(place);
    assert_eq!(store.attempts_left().unwrap(), Some(1));
    assert_eq!(store.unlock(&pin("3333")).unwrap_err(), StoreError::Wiped);
    // Even the right PIN cannot bring it back.
    let after = store.unlock(&pin(PIN)).unwrap_err();
    assert!(
        matches!(after, StoreError::Wiped | StoreError::NoStore),
        "got {after:?}"
    );
    drop(store);
    assert_eq!(
        Store::open(place.backend()).unwrap_err(),
        StoreError::NoStore
    );
    if let Some(files) = place.files() {
        assert!(files.is_empty(), "files left after the wipe: {files:?}");
    }
    // The place can hold a new store afterwards, and it is empty.
    let mut fresh = create(place);
    assert!(fresh.list_cases().unwrap().is_empty());
    fresh.lock();
    fresh.unlock(&pin(PIN)).unwrap();
}

fn without_wipe_after_wrong_pins_never_wipe(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    store.set_wipe_after(Some(2)).unwrap();
    store.set_wipe_after(None).unwrap();
    store.lock();
    for _ in 0..12 {
        assert_eq!(
            store.unlock(&pin("9")).unwrap_err(),
            StoreError::WrongPin {
                attempts_left: None
            }
        );
    }
    assert_eq!(store.attempts_left().unwrap(), None, "no limit: nothing to count down");
    store.unlock(&pin(PIN)).unwrap();
    assert_case_intact(&store, &id);
}

fn quick_delete_leaves_no_store_and_no_files(place: &dyn Place) {
    let (store, _) = store_with_a_case(place);
    store.quick_delete().unwrap();
    assert!(!place.backend().exists());
    assert_eq!(
        Store::open(place.backend()).unwrap_err(),
        StoreError::NoStore
    );
    if let Some(files) = place.files() {
        assert!(files.is_empty(), "files left after quick delete: {files:?}");
    }
}

fn quick_delete_works_while_locked(place: &dyn Place) {
    let (store, _) = store_with_a_case(place);
    drop(store);
    let store = reopen(place);
    store.quick_delete().unwrap();
    assert_eq!(
        Store::open(place.backend()).unwrap_err(),
        StoreError::NoStore
    );
    if let Some(files) = place.files() {
        assert!(files.is_empty(), "files left after quick delete: {files:?}");
    }
}

fn a_case_moves_only_along_the_allowed_statuses(place: &dyn Place) {
    use CaseStatus::*;
    let mut store = create(place);
    let status = |store: &Store, id: &str| store.case(id).unwrap().status;
    let refused = |err: StoreError| {
        assert!(matches!(err, StoreError::InvalidTransition { .. }), "{err:?}");
        assert_eq!(err.kind(), ErrorKind::InvalidState);
    };

    // A draft is not handed over, and is not sealed without a package made for it.
    let a = store.create_case("a", None).unwrap();
    refused(store.mark_handed_over(&a).unwrap_err());
    refused(store.confirm_sealed(&a, "0123456789abcdef0123456789abcdef").unwrap_err());
    assert_eq!(status(&store, &a), Draft);

    // Phase one leaves a draft with a pending package; only its own report id confirms it.
    let unit = add_unit(&mut store);
    let (package, report) = store
        .seal_case(&a, "org", &[], std::slice::from_ref(&unit.key_id), Armor::Binary, Vec::new())
        .unwrap();
    assert_eq!(status(&store, &a), Draft);
    assert_eq!(store.case(&a).unwrap().pending_seal.unwrap().report_id, report.report_id);
    refused(store.confirm_sealed(&a, "0123456789abcdef0123456789abcdef").unwrap_err());
    store.confirm_sealed(&a, &report.report_id).unwrap();
    assert_eq!(status(&store, &a), Sealed);
    assert_eq!(store.case(&a).unwrap().report_id, Some(report.report_id.clone()));
    refused(store.confirm_sealed(&a, &report.report_id).unwrap_err());
    store.mark_handed_over(&a).unwrap();
    assert_eq!(status(&store, &a), HandedOver);
    refused(store.mark_handed_over(&a).unwrap_err());
    // Acknowledged only through a verified receipt.
    acknowledge(&mut store, &(package, unit));
    assert_eq!(status(&store, &a), Acknowledged);
    refused(store.mark_handed_over(&a).unwrap_err());

    // An edit after phase one makes the package stale: it cannot be confirmed.
    let b = store.create_case("b", None).unwrap();
    let unit = add_unit(&mut store);
    let (_, stale) = store
        .seal_case(&b, "org", &[], &[unit.key_id], Armor::Binary, Vec::new())
        .unwrap();
    store.add_note(&b, "written after the package was made").unwrap();
    refused(store.confirm_sealed(&b, &stale.report_id).unwrap_err());
    assert_eq!(status(&store, &b), Draft);
    let sealed_b = seal(&mut store, &b);
    acknowledge(&mut store, &sealed_b);

    // Statuses survive a reopen.
    drop(store);
    let mut store = reopen(place);
    store.unlock(&pin(PIN)).unwrap();
    assert_eq!(store.case(&a).unwrap().status, Acknowledged);
    let statuses: Vec<CaseStatus> = store
        .list_cases()
        .unwrap()
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [Acknowledged, Acknowledged]);
}

fn a_sealed_case_cannot_be_edited(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    let sealed = seal(&mut store, &id);
    let log_len = store.custody_log(&id).unwrap().len();
    for (what, r) in [
        (
            "save_answer",
            store.save_answer(&id, "age_group", &json!("child")),
        ),
        (
            "save_answer (new question)",
            store.save_answer(&id, "other", &json!(1)),
        ),
        ("clear_answer", store.clear_answer(&id, "age_group")),
        ("add_note", store.add_note(&id, "late note").map(drop)),
    ] {
        let err = r.unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidTransition { .. }),
            "{what}: {err:?}"
        );
        assert_eq!(err.kind(), ErrorKind::InvalidState);
    }
    // Nothing changed, not even the log.
    assert_eq!(
        store.answers(&id).unwrap(),
        json!({"age_group": "adult", "worker_note": "long text\nwith ünïcode ✓"})
    );
    assert_eq!(store.notes(&id).unwrap().len(), 1);
    assert_eq!(store.custody_log(&id).unwrap().len(), log_len);
    // Handed over and acknowledged cases are just as frozen.
    store.mark_handed_over(&id).unwrap();
    assert!(store
        .save_answer(&id, "age_group", &json!("child"))
        .is_err());
    acknowledge(&mut store, &sealed);
    assert!(store.add_note(&id, "late").is_err());
}

fn an_unacknowledged_case_is_deleted_only_with_force(place: &dyn Place) {
    let mut store = create(place);
    let sealed = store.create_case("sealed", None).unwrap();
    seal(&mut store, &sealed);
    let handed = store.create_case("handed over", None).unwrap();
    seal(&mut store, &handed);
    store.mark_handed_over(&handed).unwrap();
    let acked = store.create_case("acknowledged", None).unwrap();
    let package = seal(&mut store, &acked);
    acknowledge(&mut store, &package);
    let draft = store.create_case("draft", None).unwrap();

    for id in [&sealed, &handed] {
        let err = store.delete_case(id, false).unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidTransition { .. }),
            "{err:?}"
        );
        assert!(store.case(id).is_ok(), "a refused delete removed the case");
    }
    assert_eq!(store.list_cases().unwrap().len(), 4);
    store.delete_case(&acked, false).unwrap();
    store.delete_case(&draft, false).unwrap();
    assert!(store.deletions().unwrap().is_empty(), "drafts and acknowledged cases go unlogged");
    let sealed_report = store.case(&sealed).unwrap().report_id;
    store.delete_case(&sealed, true).unwrap();
    store.delete_case(&handed, true).unwrap();
    assert!(store.list_cases().unwrap().is_empty());
    // A forced delete of an unacknowledged case is written down in the store's deletion log.
    let log = store.deletions().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!((log[0].case_id.as_str(), log[0].status), (sealed.as_str(), CaseStatus::Sealed));
    assert_eq!(log[0].report_id, sealed_report);
    assert_eq!((log[1].case_id.as_str(), log[1].status), (handed.as_str(), CaseStatus::HandedOver));
}

fn a_deleted_case_is_gone_with_its_answers_and_notes(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    let keep = store.create_case("keep", None).unwrap();
    store.save_answer(&keep, "q", &json!("yes")).unwrap();
    store.delete_case(&id, false).unwrap();
    for r in [
        store.case(&id).map(drop),
        store.answers(&id).map(drop),
        store.notes(&id).map(drop),
        store.custody_log(&id).map(drop),
        store.save_answer(&id, "q", &json!(1)),
        store.add_note(&id, "x").map(drop),
        store.mark_handed_over(&id),
        store.confirm_sealed(&id, "0123456789abcdef0123456789abcdef"),
        store.delete_case(&id, true),
    ] {
        assert_eq!(r.unwrap_err().kind(), ErrorKind::NotFound);
    }
    let list = store.list_cases().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, keep);
    assert_eq!(store.answers(&keep).unwrap(), json!({"q": "yes"}));
    drop(store);
    let mut store = reopen(place);
    store.unlock(&pin(PIN)).unwrap();
    assert_eq!(store.case(&id).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(store.list_cases().unwrap().len(), 1);
}

fn the_custody_log_grows_with_every_change_and_its_chain_verifies(place: &dyn Place) {
    let mut store = create(place);
    let id = store.create_case("custody", None).unwrap();
    let events = |store: &Store| -> Vec<(String, String)> {
        let log = store.custody_log(&id).unwrap();
        assert!(chain_is_valid(&log), "the chain does not verify: {log:?}");
        log.into_iter().map(|e| (e.event, e.detail)).collect()
    };
    assert_eq!(events(&store), [("created".into(), String::new())]);
    store
        .save_answer(&id, "age_group", &json!("adult"))
        .unwrap();
    store
        .save_answer(&id, "age_group", &json!("child"))
        .unwrap();
    let note = store.add_note(&id, "secret note text").unwrap();
    store.clear_answer(&id, "age_group").unwrap();
    store.clear_answer(&id, "age_group").unwrap(); // nothing to clear: no event
    add_unit(&mut store);
    let (_, report) = store
        .seal_case(&id, "org", &[], &[], Armor::Binary, Vec::new())
        .unwrap();
    store.confirm_sealed(&id, &report.report_id).unwrap();
    assert!(store.mark_handed_over(&id).is_ok());
    assert!(store.confirm_sealed(&id, &report.report_id).is_err()); // refused: no event
    let expected: Vec<(String, String)> = [
        ("created", ""),
        ("answer_saved", "age_group"),
        ("answer_saved", "age_group"),
        ("note_added", note.as_str()),
        ("answer_cleared", "age_group"),
        ("status_changed", "sealed"),
        ("report_sealed", report.report_id.as_str()),
        ("status_changed", "handed_over"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(events(&store), expected);
    // Details never carry content.
    let log = store.custody_log(&id).unwrap();
    assert!(log
        .iter()
        .all(|e| !e.detail.contains("secret") && !e.detail.contains("child")));
    assert!(log
        .windows(2)
        .all(|w| w[1].prev == w[0].hash && w[1].at >= w[0].at));
    // The record's `updated` follows the last event.
    assert_eq!(store.case(&id).unwrap().updated, log.last().unwrap().at);
    // Logs are per case and survive a reopen.
    let other = store.create_case("other", None).unwrap();
    assert_eq!(store.custody_log(&other).unwrap().len(), 1);
    drop(store);
    let mut store = reopen(place);
    store.unlock(&pin(PIN)).unwrap();
    assert_eq!(store.custody_log(&id).unwrap(), log);
}

fn a_platform_key_unlocks_the_store(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    let key = XorKey([0x5a; 32]);
    store.add_platform_key(&key).unwrap();
    store.lock();
    store.unlock_with_platform_key(&key).unwrap();
    assert_case_intact(&store, &id);
    drop(store);
    let mut store = reopen(place);
    store.unlock_with_platform_key(&key).unwrap();
    assert_case_intact(&store, &id);
    // The PIN still works too, and a PIN change keeps the platform slot working.
    store
        .change_pin(&pin(PIN), None, &pin(NEW_PIN), &Protection::passphrase(KdfParams::TESTING))
        .unwrap();
    store.lock();
    store.unlock(&pin(NEW_PIN)).unwrap();
    store.lock();
    store.unlock_with_platform_key(&key).unwrap();
    assert_case_intact(&store, &id);
}

fn a_different_platform_key_is_refused_with_a_platform_error(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    // No platform key added yet: refused, not a crash, not unlocked.
    assert!(store.unlock_with_platform_key(&XorKey([1; 32])).is_err());
    store.add_platform_key(&XorKey([1; 32])).unwrap();
    store.lock();
    let err = store
        .unlock_with_platform_key(&XorKey([2; 32]))
        .unwrap_err();
    assert!(matches!(err, StoreError::Platform(_)), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::StoreFailure);
    assert!(!store.is_unlocked());
    let err = store.unlock_with_platform_key(&FailingKey).unwrap_err();
    assert_eq!(err, StoreError::Platform("keystore unavailable".into()));
    assert!(!store.is_unlocked());
    assert_eq!(store.case(&id).unwrap_err(), StoreError::Locked);
    store.unlock_with_platform_key(&XorKey([1; 32])).unwrap();
    assert_case_intact(&store, &id);
    // A platform key that cannot wrap is refused when added; the old slot stays.
    assert!(matches!(
        store.add_platform_key(&FailingKey).unwrap_err(),
        StoreError::Platform(_)
    ));
    store.lock();
    store.unlock_with_platform_key(&XorKey([1; 32])).unwrap();
}

fn a_removed_platform_key_no_longer_unlocks(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    let key = XorKey([9; 32]);
    store.add_platform_key(&key).unwrap();
    store.remove_platform_key().unwrap();
    store.lock();
    assert!(store.unlock_with_platform_key(&key).is_err());
    assert!(!store.is_unlocked());
    store.unlock(&pin(PIN)).unwrap();
    assert_case_intact(&store, &id);
}

/// docs/formats/store.md: "the Nth *consecutive* failure erases the store". A successful
/// unlock with the platform key breaks the run of failures just as a PIN unlock does;
/// otherwise two wrong PINs last month plus one typo today wipe the worker's cases.
fn a_platform_key_unlock_resets_the_failed_pin_count(place: &dyn Place) {
    let (mut store, id) = store_with_a_case(place);
    let key = XorKey([3; 32]);
    store.add_platform_key(&key).unwrap();
    store.set_wipe_after(Some(3)).unwrap();
    store.lock();
    assert!(store.unlock(&pin("0")).is_err());
    assert!(store.unlock(&pin("0")).is_err());
    store.unlock_with_platform_key(&key).unwrap();
    assert_eq!(
        store.failed_unlocks().unwrap(),
        0,
        "a successful unlock must reset the count"
    );
    store.lock();
    assert_eq!(
        store.unlock(&pin("0")).unwrap_err(),
        StoreError::WrongPin {
            attempts_left: Some(2)
        }
    );
    store.unlock(&pin(PIN)).unwrap();
    assert_case_intact(&store, &id);
}

/// A create that is refused (empty PIN) must not leave a half-made database behind: the place
/// must still report `NoStore` (not `Wiped`) and accept a proper create.
fn a_refused_create_leaves_no_store_behind(place: &dyn Place) {
    for weak in ["", "1", "123456"] {
        let err = Store::create(place.backend(), &pin(weak), &Protection::passphrase(KdfParams::TESTING)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WeakPin, "{err:?}");
    }
    let bad_kdf = KdfParams {
        memory_kib: 4 * 1024 * 1024,
        iterations: 1,
        parallelism: 1,
    };
    let err = Store::create(place.backend(), &pin(PIN), &Protection::passphrase(bad_kdf)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err:?}");
    if let Some(files) = place.files() {
        assert!(files.is_empty(), "a refused create left files: {files:?}");
    }
    assert_eq!(
        Store::open(place.backend()).unwrap_err(),
        StoreError::NoStore
    );
    let mut store = create(place);
    store.create_case("after a refused create", None).unwrap();
}

fn wrong_pin_wiped_locked_and_no_store_are_distinct_error_kinds(place: &dyn Place) {
    let no_store = Store::open(place.backend()).unwrap_err();
    let mut store = create(place);
    store.set_wipe_after(Some(2)).unwrap();
    store.lock();
    let locked = store.list_cases().unwrap_err();
    let wrong = store.unlock(&pin("0")).unwrap_err();
    let wiped = store.unlock(&pin("0")).unwrap_err();
    let kinds = [no_store.kind(), locked.kind(), wrong.kind(), wiped.kind()];
    assert_eq!(
        kinds,
        [
            ErrorKind::NoStore,
            ErrorKind::StoreLocked,
            ErrorKind::WrongPin,
            ErrorKind::StoreWiped
        ]
    );
    let names: std::collections::BTreeSet<&str> = kinds.iter().map(|k| k.as_str()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    // Messages are distinct and name no content.
    let messages: std::collections::BTreeSet<String> = [&no_store, &locked, &wrong, &wiped]
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(wrong.to_string().contains("1 attempts left"), "{wrong}");
}

fn oversized_titles_and_notes_are_refused(place: &dyn Place) {
    let mut store = create(place);
    assert_eq!(
        store.create_case(&"t".repeat(501), None).unwrap_err(),
        StoreError::TooLarge
    );
    assert!(store.list_cases().unwrap().is_empty());
    let id = store.create_case(&"t".repeat(500), None).unwrap();
    assert_eq!(
        store.add_note(&id, &"n".repeat(20_001)).unwrap_err(),
        StoreError::TooLarge
    );
    store.add_note(&id, &"n".repeat(20_000)).unwrap();
    assert_eq!(store.notes(&id).unwrap()[0].text.len(), 20_000);
}

fn missing_cases_are_not_found(place: &dyn Place) {
    let mut store = create(place);
    let ghost = "00000000000000000000000000000000";
    assert_eq!(store.case(ghost).unwrap_err(), StoreError::NotFound("case"));
    assert_eq!(
        store.answers(ghost).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        store.save_answer(ghost, "q", &json!(1)).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        store.delete_case(ghost, true).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert!(store.list_cases().unwrap().is_empty());
}
