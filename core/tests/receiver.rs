//! The receiving unit's database and the receipts that go back: trust decisions, ingest with
//! de-duplication, storage at rest, correlation across organisations, and the device importing
//! receipts (acknowledged, deletable, replay-safe, forgery refused).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::checklist::builtin;
use indicia_core::correlate::SelectorKind;
use indicia_core::package::{read_receipt, receipt_container, Receipt, ReceiptStatus, UnitCard};
use indicia_core::receiver::{Duplicate, Receiver, TrustKind};
use indicia_core::store::{CaseStatus, FileBackend, KdfParams, MemoryBackend, Protection, Store};
use indicia_core::{Armor, ErrorKind, Identity};
use secrecy::SecretString;
use serde_json::json;

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

struct Unit {
    identity: Identity,
    receiver: Receiver,
}

fn unit() -> Unit {
    let identity = Identity::generate();
    let receiver = Receiver::create(
        Box::new(MemoryBackend::new().unwrap()),
        &secret("correct horse battery staple"),
        &Protection::passphrase(KdfParams::TESTING),
        "National THB unit",
        &identity.recipient().to_string(),
    )
    .unwrap();
    Unit { identity, receiver }
}

struct Field {
    store: Store,
    case: String,
}

/// A field store with one case on the first-contact checklist, its note as given.
fn field(note: &str) -> Field {
    let mut store = Store::create(
        Box::new(MemoryBackend::new().unwrap()),
        &secret("tidal-amber-orchard"),
        &Protection::passphrase(KdfParams::TESTING),
    )
    .unwrap();
    let checklist = builtin::load("first-contact").unwrap().reference().clone();
    let case = store.create_case("Harbour", Some(checklist)).unwrap();
    store
        .save_answer(&case, "documents_held", &json!("yes"))
        .unwrap();
    store.add_note(&case, note).unwrap();
    store
        .add_attachment(&case, "photo.jpg", "image/jpeg", &[7u8; 200_000][..])
        .unwrap();
    Field { store, case }
}

/// Seals the field's case to the unit and confirms the package durable (both phases).
fn seal(field: &mut Field, organisation: &str, unit: &Unit) -> Vec<u8> {
    add_card(field, unit);
    let (package, report) = field
        .store
        .seal_case(
            &field.case,
            organisation,
            &[],
            &[],
            Armor::Binary,
            Vec::new(),
        )
        .unwrap();
    field
        .store
        .confirm_sealed(&field.case, &report.report_id)
        .unwrap();
    package
}

/// Gives the field store the unit's signed card (what sealing goes to); adding it again changes
/// nothing.
fn add_card(field: &mut Field, unit: &Unit) {
    field
        .store
        .add_unit(&unit.receiver.unit_card().unwrap())
        .unwrap();
}

fn trust(unit: &mut Unit, field: &mut Field, organisation: &str) {
    let device = field.store.device_info().unwrap();
    unit.receiver
        .trust_add(TrustKind::Device, &device.public_key, organisation, None)
        .unwrap();
}

fn ingest(
    unit: &mut Unit,
    package: &[u8],
) -> Result<indicia_core::receiver::IngestOutcome, indicia_core::receiver::ReceiverError> {
    let identity = std::slice::from_ref(&unit.identity);
    unit.receiver.ingest(package, identity, "test.age")
}

#[test]
fn a_trusted_package_is_stored_whole_and_listed() {
    let mut unit = unit();
    let mut field = field("supervisor answered for him");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);

    let outcome = ingest(&mut unit, &package).unwrap();
    assert_eq!(outcome.duplicate, None);
    assert_eq!(outcome.attachments, 1);

    let list = unit.receiver.list(false).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].report_id, outcome.report_id);
    assert_eq!(list[0].organisation, "sk.ngo-a");
    assert_eq!(list[0].title, "Harbour");
    assert!(
        list[0].outcome.is_some(),
        "assessment carried into the list"
    );

    let stored = unit.receiver.report(&outcome.report_id[..10]).unwrap();
    assert_eq!(
        stored.manifest.case.notes[0].text,
        "supervisor answered for him"
    );
    let mut photo = Vec::new();
    unit.receiver
        .read_attachment(&outcome.report_id, 0, &mut photo)
        .unwrap();
    assert_eq!(photo, vec![7u8; 200_000]);
}

#[test]
fn packages_from_untrusted_keys_are_refused_and_not_stored() {
    let mut unit = unit();
    let mut field = field("note");
    let package = seal(&mut field, "sk.ngo-a", &unit);

    let unknown = ingest(&mut unit, &package).unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::UntrustedSigner);
    assert!(unknown.to_string().contains("unknown device key"));

    // Trusted for another organisation than the package claims.
    trust(&mut unit, &mut field, "sk.ngo-b");
    let other = ingest(&mut unit, &package).unwrap_err();
    assert_eq!(other.kind(), ErrorKind::UntrustedSigner);
    assert!(other.to_string().contains("another organisation"));
    assert!(unit.receiver.list(false).unwrap().is_empty());
}

#[test]
fn a_revoked_device_key_is_refused_from_then_on_and_its_reports_are_marked() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let first = seal(&mut field, "sk.ngo-a", &unit);
    ingest(&mut unit, &first).unwrap();

    let key_id = field.store.device_info().unwrap().key_id;
    unit.receiver.trust_revoke(&key_id).unwrap();
    let case = field.store.create_case("Second", None).unwrap();
    let second = field
        .store
        .seal_case(&case, "sk.ngo-a", &[], &[], Armor::Binary, Vec::new())
        .unwrap()
        .0;
    let err = ingest(&mut unit, &second).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UntrustedSigner);
    assert!(err.to_string().contains("revoked"));
    let list = unit.receiver.list(false).unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].signer_revoked);

    // A revoked key is not trusted again by accident.
    let device = field.store.device_info().unwrap();
    let again = unit
        .receiver
        .trust_add(TrustKind::Device, &device.public_key, "sk.ngo-a", None)
        .unwrap_err();
    assert_eq!(again.kind(), ErrorKind::InvalidState);
}

#[test]
fn a_revoked_signer_is_marked_in_clusters_details_and_lists_and_gets_no_receipt_unless_forced() {
    let mut unit = unit();
    let mut a = field("Recruiter's number: +421 905 123 456");
    let mut b = field("He called from +421 905 123 456 every evening.");
    trust(&mut unit, &mut a, "sk.ngo-a");
    trust(&mut unit, &mut b, "sk.labour-inspectorate");
    let (pa, pb) = (
        seal(&mut a, "sk.ngo-a", &unit),
        seal(&mut b, "sk.labour-inspectorate", &unit),
    );
    let ra = ingest(&mut unit, &pa).unwrap().report_id;
    let rb = ingest(&mut unit, &pb).unwrap().report_id;
    let stolen = a.store.device_info().unwrap().key_id;
    unit.receiver.trust_revoke(&stolen).unwrap();

    // Clusters still show the link, naming the report that came through the revoked key...
    let clusters = unit.receiver.correlate(2, None, false).unwrap();
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].revoked_reports, std::slice::from_ref(&ra));
    // ...or leave it out: then no link runs through it.
    assert!(unit.receiver.correlate(2, None, true).unwrap().is_empty());

    // Show and the export carry when the signer was revoked.
    let detail = unit.receiver.report_detail(&ra[..8]).unwrap();
    assert!(detail.signer_revoked_at.is_some());
    assert!(unit
        .receiver
        .report_detail(&rb)
        .unwrap()
        .signer_revoked_at
        .is_none());
    let shown = serde_json::to_value(&detail).unwrap();
    assert_eq!(shown["manifest"]["report_id"], json!(ra));
    assert!(shown["signer_revoked_at"].is_i64());
    let all = unit.receiver.report_details(false).unwrap();
    assert_eq!(all.len(), 2);
    let kept = unit.receiver.report_details(true).unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].report.manifest.report_id, rb);
    let listed = unit.receiver.list(true).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].report_id, rb);

    // A receipt would tell whoever holds the stolen device that the unit has its report.
    let refused = unit
        .receiver
        .issue_receipt(&ra, ReceiptStatus::Received, None, Armor::Binary, false)
        .unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::UntrustedSigner);
    assert!(unit.receiver.report(&ra).unwrap().receipts.is_empty());
    unit.receiver
        .issue_receipt(&rb, ReceiptStatus::Received, None, Armor::Binary, false)
        .unwrap();
    // The analyst may still send one on purpose.
    unit.receiver
        .issue_receipt(&ra, ReceiptStatus::Received, None, Armor::Binary, true)
        .unwrap();
    assert_eq!(unit.receiver.report(&ra).unwrap().receipts.len(), 1);
}

#[test]
fn replays_and_resealed_content_are_verified_and_counted_once() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);
    let first = ingest(&mut unit, &package).unwrap();

    let replay = ingest(&mut unit, &package).unwrap();
    assert_eq!(
        replay.duplicate,
        Some(Duplicate::ReportId(first.report_id.clone()))
    );

    // A damaged copy of a report already held is still reported as damaged.
    let mut damaged = package.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert!(ingest(&mut unit, &damaged).is_err());
    assert_eq!(unit.receiver.list(false).unwrap().len(), 1);
}

#[test]
fn the_same_content_under_a_new_report_id_is_a_duplicate() {
    use indicia_core::package::{open_package_in_memory, seal_package_in_memory};
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);
    let first = ingest(&mut unit, &package).unwrap();

    // The device seals the same case again (a retry after a lost upload): new report id and
    // sealing time, same content.
    let opened = open_package_in_memory(&package, std::slice::from_ref(&unit.identity)).unwrap();
    let mut manifest = opened.manifest.clone();
    manifest.report_id = "ab".repeat(16);
    manifest.sealed_at += 60;
    let contents: Vec<&[u8]> = opened.attachments.iter().map(|a| a.as_slice()).collect();
    let key = field.store.device_key().unwrap();
    let resealed = seal_package_in_memory(
        manifest,
        &key,
        &[unit.identity.recipient()],
        Armor::Binary,
        &contents,
    )
    .unwrap();
    let second = ingest(&mut unit, &resealed).unwrap();
    assert_eq!(second.report_id, "ab".repeat(16));
    assert_eq!(second.duplicate, Some(Duplicate::Content(first.report_id)));
    assert_eq!(unit.receiver.list(false).unwrap().len(), 1);
}

#[test]
fn failures_are_classified_and_leave_nothing_behind() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);

    let stranger = Identity::generate();
    let wrong = unit
        .receiver
        .ingest(&package[..], std::slice::from_ref(&stranger), "x")
        .unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::WrongIdentity);
    let truncated = ingest(&mut unit, &package[..40]).unwrap_err();
    assert_eq!(truncated.kind(), ErrorKind::TruncatedInput);
    let garbage = ingest(&mut unit, b"not a package at all").unwrap_err();
    assert_eq!(garbage.kind(), ErrorKind::CorruptInput);
    assert!(unit.receiver.list(false).unwrap().is_empty());
    assert!(unit.receiver.report_ids().unwrap().is_empty());
}

#[test]
fn reports_from_two_organisations_sharing_a_phone_number_cluster() {
    let mut unit = unit();
    let mut a = field("Recruiter's number: +421 905 123 456");
    let mut b = field("He called from 0905 123 456 every evening.");
    let mut c = field("Also 0905123456 — same organisation as the first.");
    trust(&mut unit, &mut a, "sk.ngo-a");
    trust(&mut unit, &mut b, "sk.labour-inspectorate");
    trust(&mut unit, &mut c, "sk.ngo-a");
    let (pa, pb, pc) = (
        seal(&mut a, "sk.ngo-a", &unit),
        seal(&mut b, "sk.labour-inspectorate", &unit),
        seal(&mut c, "sk.ngo-a", &unit),
    );
    let ra = ingest(&mut unit, &pa).unwrap().report_id;
    let rb = ingest(&mut unit, &pb).unwrap().report_id;
    let rc = ingest(&mut unit, &pc).unwrap().report_id;

    let clusters = unit.receiver.correlate(2, Some("SK"), false).unwrap();
    assert_eq!(clusters.len(), 1);
    let mut expected = vec![ra.clone(), rb.clone(), rc];
    expected.sort();
    assert_eq!(clusters[0].reports, expected);
    assert_eq!(
        clusters[0].organisations,
        vec!["sk.labour-inspectorate", "sk.ngo-a"]
    );
    assert_eq!(clusters[0].shared[0].kind, SelectorKind::Phone);
    assert_eq!(clusters[0].shared[0].value, "+421905123456");

    // Without the region the national spelling is not a number: only one organisation is left.
    assert!(unit.receiver.correlate(2, None, false).unwrap().is_empty());
}

#[test]
fn a_receipt_acknowledges_the_case_and_only_then_is_it_deletable() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let card = unit.receiver.unit_card().unwrap();
    field.store.add_unit(&card).unwrap();
    let package = seal(&mut field, "sk.ngo-a", &unit);
    let report = ingest(&mut unit, &package).unwrap().report_id;

    let case = field.case.clone();
    assert_eq!(field.store.case(&case).unwrap().status, CaseStatus::Sealed);
    assert!(!field.store.case(&case).unwrap().deletable());
    let refused = field.store.delete_case(&case, false).unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::InvalidState);

    let (receipt, sealed) = unit
        .receiver
        .issue_receipt(
            &report,
            ReceiptStatus::Investigating,
            Some("Thank you."),
            Armor::Binary,
            false,
        )
        .unwrap();
    assert_eq!(receipt.case_id, case);
    let imported = field.store.import_receipt(&sealed).unwrap();
    assert!(imported.new);
    assert_eq!(imported.status, ReceiptStatus::Investigating);
    assert_eq!(imported.note.as_deref(), Some("Thank you."));
    assert_eq!(imported.case_status, CaseStatus::Acknowledged);
    let record = field.store.case(&case).unwrap();
    assert!(record.deletable());
    assert_eq!(record.receipts.len(), 1);
    let summary = &field.store.list_cases().unwrap()[0];
    assert_eq!(summary.receipt_status, Some(ReceiptStatus::Investigating));
    assert!(summary.deletable);
    let log = field.store.custody_log(&case).unwrap();
    assert_eq!(log.last().unwrap().event, "receipt_imported");

    // The same receipt again changes nothing; a later one updates the status.
    assert!(!field.store.import_receipt(&sealed).unwrap().new);
    assert_eq!(field.store.case(&case).unwrap().receipts.len(), 1);
    let (_, closed) = unit
        .receiver
        .issue_receipt(&report, ReceiptStatus::Closed, None, Armor::Ascii, false)
        .unwrap();
    field.store.import_receipt(&closed).unwrap();
    assert_eq!(
        field.store.list_cases().unwrap()[0].receipt_status,
        Some(ReceiptStatus::Closed)
    );
    assert_eq!(unit.receiver.report(&report).unwrap().receipts.len(), 2);
    field.store.delete_case(&case, false).unwrap();
}

#[test]
fn a_receipt_for_a_package_the_host_never_confirmed_proves_delivery() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    field
        .store
        .add_unit(&unit.receiver.unit_card().unwrap())
        .unwrap();
    // Phase one only: the package left (it was ingested), the app never called confirm_sealed.
    let (package, _) = field
        .store
        .seal_case(&field.case, "sk.ngo-a", &[], &[], Armor::Binary, Vec::new())
        .unwrap();
    assert_eq!(
        field.store.case(&field.case).unwrap().status,
        CaseStatus::Draft
    );
    let report = ingest(&mut unit, &package).unwrap().report_id;
    let (_, sealed) = unit
        .receiver
        .issue_receipt(&report, ReceiptStatus::Received, None, Armor::Binary, false)
        .unwrap();
    let imported = field.store.import_receipt(&sealed).unwrap();
    assert_eq!(imported.case_status, CaseStatus::Acknowledged);
    let record = field.store.case(&field.case).unwrap();
    assert_eq!(record.report_id.as_deref(), Some(report.as_str()));
    assert_eq!(record.pending_seal, None);
    let events: Vec<String> = field
        .store
        .custody_log(&field.case)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(events.ends_with(&[
        "status_changed".into(),
        "report_sealed".into(),
        "status_changed".into(),
        "receipt_imported".into()
    ]));
}

#[test]
fn receipts_from_unknown_units_or_for_other_content_are_refused() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);
    let report = ingest(&mut unit, &package).unwrap().report_id;
    let (_, sealed) = unit
        .receiver
        .issue_receipt(&report, ReceiptStatus::Received, None, Armor::Binary, false)
        .unwrap();

    // The device no longer holds this unit's card (removed after sealing).
    let key_id = unit.receiver.unit_card().unwrap().signing_key.key_id;
    assert!(field.store.remove_unit(&key_id).unwrap());
    let err = field.store.import_receipt(&sealed).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UntrustedSigner);
    assert_eq!(
        field.store.case(&field.case).unwrap().status,
        CaseStatus::Sealed
    );

    // A card with the same name and recipient but another signing key does not help.
    let real = unit.receiver.unit_card().unwrap();
    let impostor = UnitCard::signed(
        &real.name,
        &real.recipient,
        &indicia_core::package::DeviceKey::generate().unwrap(),
    )
    .unwrap();
    field.store.add_unit(&impostor).unwrap();
    assert_eq!(
        field.store.import_receipt(&sealed).unwrap_err().kind(),
        ErrorKind::UntrustedSigner
    );

    // Garbage and receipts for someone else's store.
    assert_eq!(
        field.store.import_receipt(b"garbage").unwrap_err().kind(),
        ErrorKind::CorruptInput
    );
    let mut other = Field {
        store: Store::create(
            Box::new(MemoryBackend::new().unwrap()),
            &secret("copper kettle moonrise"),
            &Protection::passphrase(KdfParams::TESTING),
        )
        .unwrap(),
        case: String::new(),
    };
    other
        .store
        .add_unit(&unit.receiver.unit_card().unwrap())
        .unwrap();
    assert_eq!(
        other.store.import_receipt(&sealed).unwrap_err().kind(),
        ErrorKind::WrongIdentity
    );
}

#[test]
fn a_receipt_container_is_refused_when_any_byte_is_altered() {
    let mut unit = unit();
    let mut field = field("note");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);
    let report = ingest(&mut unit, &package).unwrap().report_id;
    let key = indicia_core::package::DeviceKey::generate().unwrap();
    let stored = unit.receiver.report(&report).unwrap();
    let receipt = Receipt::for_report(
        &stored.manifest,
        ReceiptStatus::Referred,
        Some("to the labour inspectorate".into()),
        "Unit",
        &key,
    )
    .unwrap();
    let container = receipt_container(&receipt, &key).unwrap();
    assert_eq!(read_receipt(&container).unwrap(), receipt);
    // One bit of every byte (which bit varies with the position): every region of the
    // container — magic, length, each JSON field, signature — is covered; the exhaustive
    // all-bits run is the package test's (a debug-build signature check per flip is slow).
    for byte in 0..container.len() {
        let bit = byte % 8;
        let mut flipped = container.clone();
        flipped[byte] ^= 1 << bit;
        assert!(
            read_receipt(&flipped).is_err(),
            "flip of bit {bit} in byte {byte} accepted"
        );
    }
    assert_eq!(
        read_receipt(&container[..container.len() - 1])
            .unwrap_err()
            .kind(),
        ErrorKind::TruncatedInput
    );
    let mut longer = container.clone();
    longer.push(0);
    assert_eq!(
        read_receipt(&longer).unwrap_err().kind(),
        ErrorKind::CorruptInput
    );
    // Signed with another key than the receipt names.
    let other = indicia_core::package::DeviceKey::generate().unwrap();
    assert!(receipt_container(&receipt, &other).is_err());
}

#[test]
fn unit_cards_are_checked() {
    let unit = unit();
    let card = unit.receiver.unit_card().unwrap();
    assert_eq!(UnitCard::parse(&card.to_json()).unwrap(), card);
    // Saved by Notepad or PowerShell: a byte-order mark first.
    let marked = format!("\u{feff}{}", card.to_json());
    assert_eq!(UnitCard::parse(&marked).unwrap(), card);
    let mut wrong_id = card.clone();
    wrong_id.signing_key.key_id = "00".repeat(16);
    assert!(UnitCard::parse(&wrong_id.to_json()).is_err());
    let mut bad_recipient = card.clone();
    bad_recipient.recipient = "age1notarecipient".into();
    assert!(UnitCard::parse(&bad_recipient.to_json()).is_err());
    assert!(UnitCard::parse("{\"format\":\"indicia-unit/1\"}").is_err());
}

#[test]
fn unit_cards_are_signed_by_the_unit_and_altered_cards_are_refused() {
    let unit = unit();
    let card = unit.receiver.unit_card().unwrap();
    assert_eq!(card.format, "indicia-unit/2");
    // Deterministic: the unit hands out the same card every time.
    assert_eq!(unit.receiver.unit_card().unwrap(), card);
    let kind = |c: &UnitCard| UnitCard::parse(&c.to_json()).unwrap_err().kind();

    let mut renamed = card.clone();
    renamed.name = "Someone else".into();
    assert_eq!(kind(&renamed), ErrorKind::BadSignature);
    let mut swapped = card.clone();
    swapped.recipient = Identity::generate().recipient().to_string();
    assert_eq!(kind(&swapped), ErrorKind::BadSignature);
    // Signed by a key other than the one it names (a forger's card naming the unit's key).
    let forger = indicia_core::package::DeviceKey::generate().unwrap();
    let mut forged = UnitCard::signed(&card.name, &card.recipient, &forger).unwrap();
    forged.signing_key = card.signing_key.clone();
    assert_eq!(kind(&forged), ErrorKind::BadSignature);
    let mut unsigned = card.clone();
    unsigned.signature = None;
    assert_eq!(kind(&unsigned), ErrorKind::CorruptInput);
    let mut upper = card.clone();
    upper.signature = card.signature.as_ref().map(|s| s.to_uppercase());
    assert_eq!(kind(&upper), ErrorKind::CorruptInput);
}

#[test]
fn an_unsigned_v1_card_is_not_imported_but_one_already_stored_keeps_working() {
    let unit = unit();
    let card = unit.receiver.unit_card().unwrap();
    let mut v1 = card.clone();
    v1.format = "indicia-unit/1".into();
    v1.signature = None;
    let err = UnitCard::parse(&v1.to_json()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedInput);
    assert!(
        err.to_string().contains("ask the unit for a signed card"),
        "{err}"
    );
    let mut field = field("v1 card");
    assert_eq!(
        field.store.add_unit(&v1).unwrap_err().kind(),
        ErrorKind::UnsupportedInput
    );
    // The fingerprint does not depend on the format: a v1 card stored earlier and the unit's
    // signed card show the same digits.
    assert_eq!(v1.fingerprint().unwrap(), card.fingerprint().unwrap());
}

#[test]
fn the_fingerprint_is_four_groups_of_five_digits_over_key_and_recipient() {
    let unit = unit();
    let card = unit.receiver.unit_card().unwrap();
    let print = card.fingerprint().unwrap();
    let groups: Vec<&str> = print.split(' ').collect();
    assert_eq!(groups.len(), 4, "{print}");
    assert!(groups
        .iter()
        .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
    let mut renamed = card.clone();
    renamed.name = "Renamed".into();
    assert_eq!(renamed.fingerprint().unwrap(), print);
    let mut swapped = card.clone();
    swapped.recipient = Identity::generate().recipient().to_string();
    assert_ne!(swapped.fingerprint().unwrap(), print);
    let mut rekeyed = card.clone();
    rekeyed.signing_key = indicia_core::package::DeviceKey::generate().unwrap().info();
    assert_ne!(rekeyed.fingerprint().unwrap(), print);
}

#[test]
fn the_receiver_database_holds_no_plaintext_and_needs_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("receiver.db");
    let identity = Identity::generate();
    let mut receiver = Receiver::create(
        Box::new(FileBackend::new(&path)),
        &secret("unit passphrase: lantern quarry"),
        &Protection::passphrase(KdfParams::TESTING),
        "National THB unit",
        &identity.recipient().to_string(),
    )
    .unwrap();
    let mut field = field("Trafficker's phone +421 905 999 888, plate BA-777XY");
    let device = field.store.device_info().unwrap();
    receiver
        .trust_add(
            TrustKind::Device,
            &device.public_key,
            "sk.ngo-a",
            Some("tablet 3"),
        )
        .unwrap();
    field
        .store
        .add_unit(&receiver.unit_card().unwrap())
        .unwrap();
    let package = field
        .store
        .seal_case(&field.case, "sk.ngo-a", &[], &[], Armor::Binary, Vec::new())
        .unwrap()
        .0;
    receiver
        .ingest(
            &package[..],
            std::slice::from_ref(&identity),
            "inbox/report.age",
        )
        .unwrap();
    drop(receiver);

    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for needle in [
        "Harbour",
        "905 999 888",
        "BA-777XY",
        "sk.ngo-a",
        "tablet 3",
        "National THB",
        "photo.jpg",
    ] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle:?} found in the receiver database files"
        );
    }

    let mut reopened = Receiver::open(Box::new(FileBackend::new(&path))).unwrap();
    assert_eq!(
        reopened.unlock(&secret("wrong")).unwrap_err().kind(),
        ErrorKind::WrongPin
    );
    reopened
        .unlock(&secret("unit passphrase: lantern quarry"))
        .unwrap();
    assert_eq!(reopened.list(false).unwrap().len(), 1);
    assert_eq!(
        reopened.trust_list().unwrap()[0].label.as_deref(),
        Some("tablet 3")
    );

    // Neither kind of database opens as the other.
    assert_eq!(
        Store::open(Box::new(FileBackend::new(&path)))
            .unwrap_err()
            .kind(),
        ErrorKind::StoreFailure
    );
    let field_path = dir.path().join("field.db");
    drop(
        Store::create(
            Box::new(FileBackend::new(&field_path)),
            &secret("tidal-amber-orchard"),
            &Protection::passphrase(KdfParams::TESTING),
        )
        .unwrap(),
    );
    assert_eq!(
        Receiver::open(Box::new(FileBackend::new(&field_path)))
            .unwrap_err()
            .kind(),
        ErrorKind::UnsupportedInput
    );
}

#[test]
fn a_batch_reports_every_input_in_order_and_keeps_each_package_whole() {
    let mut unit = unit();
    let mut a = field("first");
    let mut b = field("second");
    trust(&mut unit, &mut a, "sk.ngo-a");
    trust(&mut unit, &mut b, "sk.ngo-a");
    let (pa, pb) = (
        seal(&mut a, "sk.ngo-a", &unit),
        seal(&mut b, "sk.ngo-a", &unit),
    );
    // A damaged copy of the second package is refused mid-stream; the intact copy later in the
    // same batch is stored and reads back whole.
    let mut damaged = pb.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x40;
    let inputs: Vec<(String, std::io::Result<&[u8]>)> = vec![
        ("a.age".into(), Ok(&pa[..])),
        ("b-damaged.age".into(), Ok(&damaged[..])),
        (
            "missing.age".into(),
            Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        ),
        ("a-again.age".into(), Ok(&pa[..])),
        ("b.age".into(), Ok(&pb[..])),
    ];
    let identities = [unit.identity.clone()];
    let mut lines = Vec::new();
    unit.receiver
        .ingest_batch(inputs, &identities, |source, result| {
            lines.push(match result {
                Ok(o) if o.duplicate.is_some() => format!("{source} duplicate"),
                Ok(_) => format!("{source} stored"),
                Err(e) => format!("{source} {}", e.kind()),
            })
        })
        .unwrap();
    assert_eq!(
        lines,
        [
            "a.age stored",
            "b-damaged.age CorruptInput",
            "missing.age Io",
            "a-again.age duplicate",
            "b.age stored"
        ]
    );
    let list = unit.receiver.list(false).unwrap();
    assert_eq!(list.len(), 2);
    let mut photo = Vec::new();
    unit.receiver
        .read_attachment(&list[1].report_id, 0, &mut photo)
        .unwrap();
    assert_eq!(photo.len(), 200_000);
}

#[test]
fn a_stored_report_re_verifies_from_the_signed_bytes_kept_and_its_evidence_checks_without_indicia()
{
    use ed25519_dalek::pkcs8::DecodePublicKey;
    use ed25519_dalek::{Signature, VerifyingKey};
    use sha2::{Digest, Sha256};

    let mut unit = unit();
    let mut field = field("Recruiter: +421 905 123 456");
    trust(&mut unit, &mut field, "sk.ngo-a");
    let package = seal(&mut field, "sk.ngo-a", &unit);
    let id = ingest(&mut unit, &package).unwrap().report_id;
    let check = unit.receiver.verify_report(&id[..8]).unwrap();
    assert_eq!(
        (
            check.attachments,
            check.custody_events,
            check.signer_revoked_at
        ),
        (1, 1, None)
    );
    assert_eq!(
        check.device_key_id,
        field.store.device_info().unwrap().key_id
    );

    let bundle = unit.receiver.evidence(&id).unwrap();
    // What a third party does: the PEM key, the signature over the exact message, then each
    // attachment's SHA-256 against the signed manifest.
    let key = VerifyingKey::from_public_key_pem(&bundle.public_key_pem).unwrap();
    assert_eq!(indicia_core::hex::encode(key.as_bytes()), bundle.public_key);
    key.verify_strict(
        &bundle.signed_message,
        &Signature::from_slice(&bundle.signature).unwrap(),
    )
    .unwrap();
    let signed: serde_json::Value = serde_json::from_slice(&bundle.manifest).unwrap();
    assert_eq!(signed["report_id"], json!(id));
    let mut photo = Vec::new();
    unit.receiver.read_attachment(&id, 0, &mut photo).unwrap();
    // Package v2: the signed message ends with the manifest's SHA-256, then each attachment's.
    let tail = [Sha256::digest(&bundle.manifest), Sha256::digest(&photo)].concat();
    assert!(bundle.signed_message.ends_with(&tail));
    assert_eq!(
        bundle.attachments[0].sha256,
        indicia_core::hex::encode(&Sha256::digest(&photo))
    );
    assert_eq!(bundle.trust.unwrap().organisation, "sk.ngo-a");
    let events: Vec<&str> = bundle.custody.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(events, ["received", "evidence_exported"]);
    assert!(indicia_core::custody::verify_custody(&bundle.custody));
}

#[test]
fn a_quarantined_report_leaves_correlation_and_a_deleted_one_leaves_only_its_custody_log() {
    let mut unit = unit();
    let mut a = field("Recruiter: +421 905 123 456");
    let mut b = field("He called from +421 905 123 456.");
    let mut c = field("Boss: +421 905 123 456, again.");
    trust(&mut unit, &mut a, "sk.ngo-a");
    trust(&mut unit, &mut b, "sk.ngo-b");
    trust(&mut unit, &mut c, "sk.ngo-c");
    let (pa, pb, pc) = (
        seal(&mut a, "sk.ngo-a", &unit),
        seal(&mut b, "sk.ngo-b", &unit),
        seal(&mut c, "sk.ngo-c", &unit),
    );
    let ra = ingest(&mut unit, &pa).unwrap().report_id;
    let rb = ingest(&mut unit, &pb).unwrap().report_id;
    let rc = ingest(&mut unit, &pc).unwrap().report_id;
    assert_eq!(
        unit.receiver.correlate(2, None, false).unwrap()[0]
            .reports
            .len(),
        3
    );

    // Quarantine: still listed and shown, marked; out of correlation until released.
    let empty = unit.receiver.quarantine(&ra, " ").unwrap_err();
    assert_eq!(empty.kind(), ErrorKind::InvalidState);
    unit.receiver.quarantine(&ra, "planted number?").unwrap();
    assert!(unit.receiver.report(&ra).unwrap().quarantined_at.is_some());
    let listed: Vec<bool> = unit
        .receiver
        .list(false)
        .unwrap()
        .iter()
        .map(|r| r.quarantined)
        .collect();
    assert_eq!(listed, [true, false, false]);
    let clusters = unit.receiver.correlate(2, None, false).unwrap();
    assert!(!clusters[0].reports.contains(&ra));
    unit.receiver.release(&ra).unwrap();
    assert_eq!(
        unit.receiver.correlate(2, None, false).unwrap()[0]
            .reports
            .len(),
        3
    );

    // Delete: the content goes in one step; the rest of the unit works on.
    unit.receiver.delete_report(&rb, "flooding").unwrap();
    assert_eq!(
        unit.receiver.report(&rb).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        unit.receiver
            .read_attachment(&rb, 0, std::io::sink())
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );
    let ids: Vec<String> = unit
        .receiver
        .list(false)
        .unwrap()
        .into_iter()
        .map(|r| r.report_id)
        .collect();
    assert_eq!(ids, [ra.clone(), rc.clone()]);
    assert_eq!(unit.receiver.report_details(false).unwrap().len(), 2);
    assert_eq!(
        unit.receiver.correlate(2, None, false).unwrap()[0].reports,
        {
            let mut both = vec![ra.clone(), rc.clone()];
            both.sort();
            both
        }
    );
    unit.receiver.verify_report(&rc).unwrap();
    let events: Vec<(String, String)> = unit
        .receiver
        .custody(&rb)
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.detail))
        .collect();
    assert_eq!(events[1], ("deleted".to_owned(), "flooding".to_owned()));
    let quarantine: Vec<String> = unit
        .receiver
        .custody(&ra)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(quarantine, ["received", "quarantined", "released"]);
    // The deleted report does not come back.
    let again = ingest(&mut unit, &pb).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::InvalidState);
    assert!(again.to_string().contains("deleted"));
    assert_eq!(unit.receiver.list(false).unwrap().len(), 2);
}

#[test]
fn parallel_ingest_reports_and_stores_exactly_what_the_sequential_ingest_does() {
    use indicia_core::package::{seal_standalone, DeviceKey, StandaloneCase};
    use indicia_core::receiver::WINDOW;

    // More than two verification windows of small packages (read whole by the workers), with
    // replays, damaged copies and unreadable inputs among them, and large ones (streamed by the
    // writer).
    let probe = unit();
    let card = [probe.receiver.unit_card().unwrap().to_json()];
    let device = DeviceKey::generate().unwrap();
    let mut other_field = field("another note with a photo");
    let mut field = field("note with a photo");
    let mut packages: Vec<(String, Option<Vec<u8>>)> = Vec::new();
    for i in 0..(2 * WINDOW + 37) {
        let case = StandaloneCase {
            organisation: "sk.ngo-a".into(),
            title: format!("Case {i}"),
            ..Default::default()
        };
        let (package, _) = seal_standalone(&case, &[], &device, &card, Armor::Binary).unwrap();
        packages.push((format!("p{i}.age"), Some(package)));
        if i % 50 == 7 {
            let first = packages[i / 2].1.clone();
            packages.push((format!("replay-of-{}.age", i / 2), first));
        }
        if i % 61 == 3 {
            let mut damaged = packages[i].1.clone().unwrap();
            let last = damaged.len() - 1;
            damaged[last] ^= 1;
            packages.push((format!("damaged-{i}.age"), Some(damaged)));
            packages.push((format!("missing-{i}.age"), None));
        }
    }
    let large = seal(&mut field, "sk.ngo-b", &probe);
    // A damaged large package fails only at its end, inside its savepoint: the rollback must not
    // take with it the appends to the arrival index that the small packages before it (in the
    // same transaction) hold in memory.
    let mut large_damaged = seal(&mut other_field, "sk.ngo-b", &probe);
    let last = large_damaged.len() - 1;
    large_damaged[last] ^= 1;
    packages.insert(40, ("large-damaged.age".into(), Some(large_damaged)));
    packages.insert(5, ("large.age".into(), Some(large.clone())));
    packages.push(("large-again.age".into(), Some(large)));
    let field_key = field.store.device_info().unwrap().public_key;
    let other_field_key = other_field.store.device_info().unwrap().public_key;

    let run = |threads: Option<usize>| {
        let mut unit = Unit {
            identity: probe.identity.clone(),
            receiver: unit().receiver,
        };
        unit.receiver
            .trust_add(
                TrustKind::Device,
                &device.info().public_key,
                "sk.ngo-a",
                None,
            )
            .unwrap();
        unit.receiver
            .trust_add(TrustKind::Device, &field_key, "sk.ngo-b", None)
            .unwrap();
        unit.receiver
            .trust_add(TrustKind::Device, &other_field_key, "sk.ngo-b", None)
            .unwrap();
        let inputs = |range: std::ops::Range<usize>| {
            packages[range].iter().map(|(name, bytes)| {
                let input = bytes
                    .as_deref()
                    .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound));
                (name.clone(), input)
            })
        };
        let identities = [unit.identity.clone()];
        let mut lines = Vec::new();
        let mut line = |source: &str, result: Result<_, indicia_core::receiver::ReceiverError>| {
            lines.push(match result {
                Ok(indicia_core::receiver::IngestOutcome {
                    duplicate: Some(_),
                    report_id,
                    ..
                }) => format!("{source} duplicate {report_id}"),
                Ok(o) => format!("{source} stored {}", o.report_id),
                Err(e) => format!("{source} {}", e.kind()),
            })
        };
        // Two runs, the first ending inside an index segment (100 is no multiple of 64): the
        // second run's first report continues that segment from the database.
        for range in [0..100, 100..packages.len()] {
            match threads {
                None => unit
                    .receiver
                    .ingest_batch(inputs(range), &identities, &mut line),
                Some(n) => unit
                    .receiver
                    .ingest_parallel(inputs(range), &identities, n, &mut line),
            }
            .unwrap();
        }
        // The arrival index holds every stored report once, in the order ingest stored them.
        let stored_in_order: Vec<String> = lines
            .iter()
            .filter_map(|l| l.split_once(" stored ").map(|(_, id)| id.to_owned()))
            .collect();
        assert_eq!(unit.receiver.report_ids().unwrap(), stored_in_order);
        let stored: Vec<String> = unit
            .receiver
            .list(false)
            .unwrap()
            .into_iter()
            .map(|r| format!("{} {}", r.report_id, r.title))
            .collect();
        for r in unit.receiver.report_ids().unwrap() {
            unit.receiver.verify_report(&r).unwrap();
        }
        (lines, stored)
    };
    let sequential = run(None);
    assert_eq!(sequential.0.len(), packages.len());
    assert!(sequential.0.iter().any(|l| l.contains(" duplicate ")));
    assert!(sequential.0.iter().any(|l| l.ends_with("CorruptInput")));
    assert!(sequential.0.iter().any(|l| l.ends_with(" Io")));
    assert!(sequential
        .0
        .iter()
        .any(|l| l == "large-damaged.age CorruptInput"));
    for threads in [0, 1, 2, 3] {
        assert_eq!(run(Some(threads)), sequential, "{threads} threads");
    }
}
