"""The receiving unit's database from Python, as an analyst scripts it: create and reopen it,
keep the trust list, ingest the frozen package vectors and Kotlin's package (duplicates counted,
untrusted and broken packages refused with their own exception), list, show, read attachments,
correlate reports across organisations, and issue receipts that a field store imports."""

import hashlib
import json
import os
import pathlib

import pytest

import indicia_core as model
import indicia_uniffi as indicia

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "package-v1"
EXPECTED = json.loads((VECTORS / "expected.json").read_text())
UNIT = (VECTORS / "unit.key").read_text()
DEVICE = json.loads((VECTORS / "device.json").read_text())
RECEIPTS = ROOT / "tests" / "vectors" / "receipt-v1"
RECEIPTS_EXPECTED = json.loads((RECEIPTS / "expected.json").read_text())
FAST = model.KdfParams(memory_kib=64, iterations=1, parallelism=1)  # tests only
PASSPHRASE = "correct horse battery staple"
ORG = "sk.example-ngo"  # the vectors' organisation


def new_receiver(tmp_path: pathlib.Path, identity: str = UNIT, name: str = "National THB unit") -> indicia.Receiver:
    path = tmp_path / f"receiver-{len(list(tmp_path.iterdir()))}.db"
    return indicia.Receiver.create(str(path), PASSPHRASE, FAST, name, indicia.recipient_of(identity))


@pytest.fixture
def receiver(tmp_path):
    unit = new_receiver(tmp_path)
    unit.trust_add_device(DEVICE["public_key"], ORG, "test vectors")
    return unit


def test_reopening_needs_the_passphrase_and_a_receiver_database(tmp_path):
    path = str(tmp_path / "receiver.db")
    created = indicia.Receiver.create(path, PASSPHRASE, FAST, "National THB unit", indicia.recipient_of(UNIT))
    created.trust_add_device(DEVICE["public_key"], ORG, None)
    card = json.loads(created.unit_card_json())
    del created
    with pytest.raises(indicia.IndiciaError.WrongPin):
        indicia.Receiver.open(path, "wrong passphrase")
    again = indicia.Receiver.open(path, PASSPHRASE)
    assert again.unit_name() == "National THB unit"
    assert json.loads(again.unit_card_json()) == card
    assert card["recipient"] == indicia.recipient_of(UNIT)
    assert [e.key_id for e in again.trust_list()] == [DEVICE["key_id"]]
    with pytest.raises(indicia.IndiciaError.NoStore):
        indicia.Receiver.open(str(tmp_path / "missing.db"), PASSPHRASE)
    field = str(tmp_path / "field.db")
    indicia.CaseStore.create(field, "tidal-amber-orchard", FAST)
    with pytest.raises(indicia.IndiciaError.UnsupportedInput):
        indicia.Receiver.open(field, "tidal-amber-orchard")
    with pytest.raises(indicia.IndiciaError.InvalidState):
        indicia.Receiver.create(str(tmp_path / "r2.db"), PASSPHRASE, FAST, "  ", indicia.recipient_of(UNIT))


def test_rekey_puts_the_database_under_the_new_passphrase(tmp_path):
    path = str(tmp_path / "unit.db")
    created = indicia.Receiver.create(path, PASSPHRASE, FAST, "National THB unit", indicia.recipient_of(UNIT))
    card = created.unit_card_json()
    with pytest.raises(indicia.IndiciaError.WeakPin):
        created.rekey(PASSPHRASE, "12345678", FAST)
    created.rekey(PASSPHRASE, "copper kettle moonrise", FAST)
    del created
    with pytest.raises(indicia.IndiciaError.WrongPin):
        indicia.Receiver.open(path, PASSPHRASE)
    assert indicia.Receiver.open(path, "copper kettle moonrise").unit_card_json() == card


def test_package_vectors_ingest_once_then_count_as_duplicates(receiver):
    for name, want in sorted(EXPECTED["valid"].items()):
        outcome = receiver.ingest_file(str(VECTORS / "valid" / name), [UNIT])
        assert (outcome.report_id, outcome.content_hash, outcome.device_key_id, outcome.organisation) == (
            want["report_id"], want["content_hash"], want["device_key_id"], ORG)
        assert outcome.attachments == len(want["attachments"])
        assert outcome.duplicate is None
    listed = receiver.list()
    assert [r.report_id for r in listed] == [EXPECTED["valid"][n]["report_id"] for n in sorted(EXPECTED["valid"])]
    assert all(r.organisation == ORG and not r.signer_revoked and r.receipt_status is None for r in listed)

    again = receiver.ingest_bytes((VECTORS / "valid" / "armored.age").read_bytes(), [UNIT], "mail")
    assert again.duplicate == model.Duplicate.REPORT_ID(EXPECTED["valid"]["armored.age"]["report_id"])
    assert again.duplicate.is_report_id()
    assert len(receiver.list()) == 3


def test_report_json_and_attachments_are_the_verified_content(receiver):
    want = EXPECTED["valid"]["two-attachments.age"]
    receiver.ingest_file(str(VECTORS / "valid" / "two-attachments.age"), [UNIT])
    report = json.loads(receiver.report_json(want["report_id"][:8]))
    assert report["content_hash"] == want["content_hash"]
    assert report["source"].endswith("two-attachments.age")
    assert report["receipts"] == []
    assert report["manifest"]["report_id"] == want["report_id"]
    assert report["manifest"]["case"]["notes"][0]["text"] == "met at the bus station"
    for index, digest in enumerate(want["attachments"]):
        assert hashlib.sha256(receiver.read_attachment(want["report_id"], index)).hexdigest() == digest
    with pytest.raises(indicia.IndiciaError.NotFound):
        receiver.read_attachment(want["report_id"], 2)
    with pytest.raises(indicia.IndiciaError.NotFound):
        receiver.report_json("ffffffff")
    with pytest.raises(indicia.IndiciaError.InvalidState):
        receiver.report_json("0000")


@pytest.mark.parametrize("name", sorted(EXPECTED["reject"]))
def test_reject_vectors_are_refused_with_their_kind_and_not_stored(receiver, name):
    with pytest.raises(getattr(indicia.IndiciaError, EXPECTED["reject"][name])):
        receiver.ingest_file(str(VECTORS / "reject" / name), [UNIT])
    assert receiver.list() == []


def test_untrusted_revoked_and_other_organisation_devices_are_untrusted_signer(tmp_path):
    package = str(VECTORS / "valid" / "no-attachments.age")
    unknown = new_receiver(tmp_path)
    with pytest.raises(indicia.IndiciaError.UntrustedSigner, match="unknown device key"):
        unknown.ingest_file(package, [UNIT])

    elsewhere = new_receiver(tmp_path)
    elsewhere.trust_add_device(DEVICE["public_key"], "at.other-ngo", None)
    with pytest.raises(indicia.IndiciaError.UntrustedSigner, match="another organisation"):
        elsewhere.ingest_file(package, [UNIT])
    with pytest.raises(indicia.IndiciaError.InvalidState):
        elsewhere.trust_add_device(DEVICE["public_key"], ORG, None)

    revoked = new_receiver(tmp_path)
    entry = revoked.trust_add_device(DEVICE["public_key"], ORG, "tablet 3")
    assert (entry.kind, entry.key, entry.key_id, entry.label, entry.revoked_at) == (
        model.TrustKind.DEVICE, DEVICE["public_key"], DEVICE["key_id"], "tablet 3", None)
    revoked.ingest_file(str(VECTORS / "valid" / "armored.age"), [UNIT])
    assert revoked.trust_revoke(DEVICE["key_id"]).revoked_at is not None
    with pytest.raises(indicia.IndiciaError.UntrustedSigner, match="revoked"):
        revoked.ingest_file(package, [UNIT])
    assert [r.signer_revoked for r in revoked.list()] == [True]
    with pytest.raises(indicia.IndiciaError.InvalidState):
        revoked.trust_add_device(DEVICE["public_key"], ORG, None)
    with pytest.raises(indicia.IndiciaError.NotFound):
        revoked.trust_revoke("00" * 16)


def test_bad_identities_keys_and_files_are_precise_errors(receiver):
    package = str(VECTORS / "valid" / "armored.age")
    with pytest.raises(indicia.IndiciaError.WrongIdentity):
        receiver.ingest_file(package, [indicia.generate_identity().identity])
    with pytest.raises(indicia.IndiciaError.MalformedIdentity):
        receiver.ingest_file(package, ["AGE-SECRET-KEY-1NOPE"])
    with pytest.raises(indicia.IndiciaError.Io):
        receiver.ingest_file(str(VECTORS / "valid" / "missing.age"), [UNIT])
    with pytest.raises(indicia.IndiciaError.InvalidState):
        receiver.trust_add_device("ab" * 31, ORG, None)
    with pytest.raises(indicia.IndiciaError.InvalidState):
        receiver.trust_add_organisation("age1nope", ORG, None)
    # Several identities (one a whole identity file): the one that fits opens the package.
    outcome = receiver.ingest_file(package, [indicia.generate_identity().identity, UNIT])
    assert outcome.duplicate is None


def seal_from_store(unit: indicia.Receiver, organisation: str, note: str):
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    card = store.add_unit(unit.unit_card_json())
    case = store.create_case("Harbour")
    store.add_note(case, note)
    sealed = store.seal_case(case, organisation, [card.signing_key.key_id], [], False)
    store.confirm_sealed(case, sealed.report_id)
    unit.trust_add_device(store.device_info().public_key, organisation, None)
    return store, case, sealed


def test_correlation_links_reports_of_two_organisations_sharing_a_phone_number(tmp_path):
    unit = new_receiver(tmp_path)
    _, _, a = seal_from_store(unit, "sk.ngo-a", "called from 0903 123 456 about the job")
    _, _, b = seal_from_store(unit, "at.ngo-b", "his boss: +421 903 123 456, mail boss@farm.example")
    _, _, c = seal_from_store(unit, "at.ngo-b", "nothing in common")
    for sealed in (a, b, c):
        unit.ingest_bytes(sealed.package, [UNIT], "scan")
    clusters = json.loads(unit.correlate_json(2, "SK"))
    assert clusters == [{
        "shared": [{"kind": "phone", "value": "+421903123456"}],
        "reports": sorted([a.report_id, b.report_id]),
        "organisations": ["at.ngo-b", "sk.ngo-a"],
        "revoked_reports": [],
    }]
    assert json.loads(unit.correlate_json(3, "SK")) == []
    # Without a region the national-format number is not read: no link.
    assert json.loads(unit.correlate_json(2, None)) == []


def test_a_revoked_signer_is_marked_can_be_left_out_and_gets_no_receipt_unless_asked(tmp_path):
    unit = new_receiver(tmp_path)
    stolen, _, a = seal_from_store(unit, "sk.ngo-a", "boss: +421 903 123 456")
    _, _, b = seal_from_store(unit, "at.ngo-b", "his boss: +421 903 123 456")
    for sealed in (a, b):
        unit.ingest_bytes(sealed.package, [UNIT], "scan")
    unit.trust_revoke(stolen.device_info().key_id)

    assert [(r.report_id, r.signer_revoked) for r in unit.list()] == [(a.report_id, True), (b.report_id, False)]
    assert [r.report_id for r in unit.list(exclude_revoked=True)] == [b.report_id]
    assert json.loads(unit.report_json(a.report_id))["signer_revoked_at"] is not None
    assert json.loads(unit.report_json(b.report_id))["signer_revoked_at"] is None
    [cluster] = json.loads(unit.correlate_json(2, None))
    assert cluster["revoked_reports"] == [a.report_id]
    assert json.loads(unit.correlate_json(2, None, exclude_revoked=True)) == []

    with pytest.raises(indicia.IndiciaError.UntrustedSigner, match="revoked"):
        unit.issue_receipt(a.report_id, model.ReceiptStatus.RECEIVED, None)
    assert json.loads(unit.report_json(a.report_id))["receipts"] == []
    assert unit.issue_receipt(a.report_id, model.ReceiptStatus.RECEIVED, None, to_revoked_signer=True)


def test_a_stored_report_re_verifies_and_its_evidence_checks_with_an_independent_ed25519(receiver):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    want = EXPECTED["valid"]["two-attachments.age"]
    receiver.ingest_file(str(VECTORS / "valid" / "two-attachments.age"), [UNIT])
    check = receiver.verify_report(want["report_id"][:8])
    assert (check.report_id, check.device_key_id, check.attachments, check.custody_events) == (
        want["report_id"], DEVICE["key_id"], 2, 1)

    bundle = receiver.evidence(want["report_id"])
    # An analyst's own check: the PEM key, the signature over context and the exact manifest
    # bytes, each attachment's SHA-256 against the signed manifest.
    key = load_pem_public_key(bundle.public_key_pem.encode())
    key.verify(bundle.signature, b"indicia-package/1 manifest\0" + bundle.manifest)
    assert bundle.signed_message == b"indicia-package/1 manifest\0" + bundle.manifest
    manifest = json.loads(bundle.manifest)
    for index, entry in enumerate(manifest["attachments"]):
        assert hashlib.sha256(receiver.read_attachment(want["report_id"], index)).hexdigest() == entry["sha256"]
    assert [e.event for e in bundle.custody] == ["received", "evidence_exported"]
    with pytest.raises(Exception):
        key.verify(bundle.signature, b"indicia-package/1 manifest\0" + bundle.manifest.replace(b"1", b"2"))

    receiver.quarantine(want["report_id"], "checking the source")
    assert [r.quarantined for r in receiver.list()] == [True]
    receiver.release(want["report_id"])
    receiver.delete_report(want["report_id"], "duplicate of a paper report")
    assert receiver.list() == []
    assert [e.event for e in receiver.custody(want["report_id"])][-1] == "deleted"
    with pytest.raises(indicia.IndiciaError.InvalidState, match="deleted"):
        receiver.ingest_file(str(VECTORS / "valid" / "two-attachments.age"), [UNIT])


def test_correlation_reads_each_organisations_numbers_in_its_own_region(tmp_path):
    unit = new_receiver(tmp_path)
    _, _, ua = seal_from_store(unit, "ua.ngo", "вербувальник: 067 123 45 67")
    _, _, sk = seal_from_store(unit, "sk.ngo", "náborár: 00380 67 123 4567")
    for sealed in (ua, sk):
        unit.ingest_bytes(sealed.package, [UNIT], "scan")
    # One region for both reads the Ukrainian note as Slovak: no link.
    assert json.loads(unit.correlate_by_region_json(2, "SK", {})) == []
    clusters = json.loads(unit.correlate_by_region_json(2, "SK", {"ua.ngo": "ua"}))
    assert clusters == [{
        "shared": [{"kind": "phone", "value": "+380671234567"}],
        "reports": sorted([ua.report_id, sk.report_id]),
        "organisations": ["sk.ngo", "ua.ngo"],
        "revoked_reports": [],
    }]
    with pytest.raises(indicia.IndiciaError.InvalidSelector):
        unit.correlate_by_region_json(2, "SK", {"ua.ngo": "XX"})


def test_selectors_normalise_and_extract():
    Kind = model.SelectorKind
    assert indicia.normalise_selector(Kind.PHONE, "0903 123 456", "SK") == model.Selector(kind=Kind.PHONE, value="+421903123456")
    assert indicia.normalise_selector(Kind.URL, "https://t.me/SomeOne", None).kind == Kind.HANDLE
    assert indicia.normalise_selector(Kind.EMAIL, " Boss@Farm.Example ", None).value == "boss@farm.example"
    found = indicia.extract_selectors("call +421 903 123 456 or write to boss@farm.example", None)
    assert [(s.kind, s.value) for s in found] == [(Kind.PHONE, "+421903123456"), (Kind.EMAIL, "boss@farm.example")]
    with pytest.raises(indicia.IndiciaError.InvalidSelector) as error:
        indicia.normalise_selector(Kind.PHONE, "0903 123 456", None)
    assert "0903" not in str(error.value)
    with pytest.raises(indicia.IndiciaError.InvalidSelector):
        indicia.normalise_selector(Kind.PHONE, "0903 123 456", "XX")


def test_a_receipt_issued_in_python_is_imported_by_a_python_store(tmp_path):
    unit = new_receiver(tmp_path)
    store, case, sealed = seal_from_store(unit, ORG, "met at the bus station")
    assert store.reply_recipient().startswith("age1")
    assert [u.name for u in store.units()] == ["National THB unit"]
    unit.ingest_bytes(sealed.package, [UNIT], "mail")

    receipt = unit.issue_receipt(sealed.report_id, model.ReceiptStatus.CLOSED, "Referred to the labour inspectorate.")
    assert unit.list()[0].receipt_status == model.ReceiptStatus.CLOSED
    issued = json.loads(unit.report_json(sealed.report_id))["receipts"]
    assert [(r["status"], r["note"]) for r in issued] == [("closed", "Referred to the labour inspectorate.")]
    imported = store.import_receipt(receipt)
    assert (imported.case_id, imported.report_id, imported.status, imported.case_status, imported.new) == (
        case, sealed.report_id, model.ReceiptStatus.CLOSED, model.CaseStatus.ACKNOWLEDGED, True)
    assert imported.unit_name == "National THB unit"
    summary = store.list_cases()[0]
    assert (summary.status, summary.deletable, summary.receipt_status) == (
        model.CaseStatus.ACKNOWLEDGED, True, model.ReceiptStatus.CLOSED)
    assert store.import_receipt(receipt).new is False
    with pytest.raises(indicia.IndiciaError.WrongIdentity):
        indicia.open_receipt(receipt, UNIT)

    # A unit the store no longer knows is not believed.
    assert store.remove_unit(store.units()[0].signing_key.key_id) is True
    with pytest.raises(indicia.IndiciaError.UntrustedSigner):
        store.import_receipt(unit.issue_receipt(sealed.report_id, model.ReceiptStatus.CLOSED, None))
    store.delete_case(case, False)
    assert store.list_cases() == []


def test_receipts_for_reports_without_reply_to_go_to_the_organisation_key(receiver):
    report = EXPECTED["valid"]["no-attachments.age"]
    receiver.ingest_file(str(VECTORS / "valid" / "no-attachments.age"), [UNIT])
    with pytest.raises(indicia.IndiciaError.InvalidState, match="no reply_to"):
        receiver.issue_receipt(report["report_id"], model.ReceiptStatus.RECEIVED, None)
    coordinator = indicia.generate_identity()
    entry = receiver.trust_add_organisation(coordinator.recipient, ORG, "coordinator")
    assert entry.kind == model.TrustKind.ORGANISATION
    opened = indicia.open_receipt(receiver.issue_receipt(report["report_id"], model.ReceiptStatus.RECEIVED, None), coordinator.identity)
    assert (opened.report_id, opened.content_hash, opened.status, opened.note) == (
        report["report_id"], report["content_hash"], model.ReceiptStatus.RECEIVED, None)
    assert opened.unit.public_key == json.loads(receiver.unit_card_json())["signing_key"]["public_key"]


@pytest.mark.parametrize("name", sorted(RECEIPTS_EXPECTED["valid"]))
def test_receipt_vectors_open(name):
    want = RECEIPTS_EXPECTED["valid"][name]
    opened = indicia.open_receipt((RECEIPTS / "valid" / name).read_bytes(), (RECEIPTS / "reply.key").read_text())
    assert (opened.receipt_id, opened.report_id, opened.status, opened.note, opened.unit.key_id) == (
        want["receipt_id"], want["report_id"], model.ReceiptStatus[want["status"].upper()], want["note"], want["unit_key_id"])


@pytest.mark.parametrize("name", sorted(RECEIPTS_EXPECTED["reject"]))
def test_receipt_reject_vectors_raise_their_kind(name):
    with pytest.raises(getattr(indicia.IndiciaError, RECEIPTS_EXPECTED["reject"][name])):
        indicia.open_receipt((RECEIPTS / "reject" / name).read_bytes(), (RECEIPTS / "reply.key").read_text())


CROSS_DIR = os.environ.get("INDICIA_CROSS_DIR") or None  # empty: `scripts/test python` alone
cross_only = pytest.mark.skipif(CROSS_DIR is None, reason="needs every layer: run by scripts/test with no arguments")


def artifact(name: str) -> pathlib.Path:
    path = pathlib.Path(CROSS_DIR) / name
    assert path.exists(), f"{name} is missing: the Kotlin layer did not write it"
    return path


@cross_only
def test_a_package_sealed_in_kotlin_is_ingested_once(tmp_path):
    identity = artifact("receiver.key").read_text()
    want = json.loads(artifact("kotlin-package.json").read_text())
    unit = new_receiver(tmp_path, identity)
    with pytest.raises(indicia.IndiciaError.UntrustedSigner):
        unit.ingest_file(str(artifact("kotlin-package.age")), [identity])
    unit.trust_add_device(want["device_public_key"], ORG, "Kotlin test device")
    outcome = unit.ingest_file(str(artifact("kotlin-package.age")), [identity])
    assert (outcome.report_id, outcome.device_key_id, outcome.content_hash, outcome.attachments) == (
        want["report_id"], want["device_key_id"], want["content_hash"], 1)
    assert outcome.duplicate is None
    assert unit.ingest_file(str(artifact("kotlin-package.age")), [identity]).duplicate.is_report_id()
    manifest = json.loads(unit.report_json(want["report_id"]))["manifest"]
    assert manifest["case"]["answers"]["worker_note"] == "KOTLIN-PACKAGE-MARKER"
    assert len(unit.read_attachment(want["report_id"], 0)) == 100_000
    # Its reply_to holds the Kotlin store's reply recipient: a receipt can be issued.
    assert unit.issue_receipt(want["report_id"], model.ReceiptStatus.RECEIVED, None)


@cross_only
def test_a_receipt_issued_in_kotlin_opens_in_python():
    want = json.loads(artifact("kotlin-receipt.json").read_text())
    opened = indicia.open_receipt(artifact("kotlin-receipt.age").read_bytes(), artifact("receiver.key").read_text())
    assert (opened.report_id, opened.case_id, opened.status, opened.unit.key_id) == (
        want["report_id"], want["case_id"], model.ReceiptStatus[want["status"].upper()], want["unit_key_id"])
    assert opened.note == "KOTLIN-RECEIPT-MARKER"
    assert opened.unit_name == "Kotlin test unit"


CARDS = ROOT / "tests" / "vectors" / "unit-card-v2"
CARDS_EXPECTED = json.loads((CARDS / "expected.json").read_text())


def test_a_unit_cards_fingerprint_is_the_one_its_vector_records_and_altered_cards_are_refused():
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    card = store.add_unit((CARDS / "valid" / "card.json").read_text())
    want = CARDS_EXPECTED["valid"]["card.json"]["fingerprint"]
    assert indicia.unit_card_fingerprint(card) == want
    assert [indicia.unit_card_fingerprint(u) for u in store.units()] == [want]
    with pytest.raises(indicia.IndiciaError.BadSignature):
        store.add_unit((CARDS / "reject" / "altered-recipient.json").read_text())
    with pytest.raises(indicia.IndiciaError.UnsupportedInput, match="signed card"):
        store.add_unit((CARDS / "reject" / "unsigned-v1.json").read_text())
    assert len(store.units()) == 1


def test_the_unit_hands_out_a_signed_card_whose_fingerprint_the_device_shows_alike(tmp_path):
    unit = new_receiver(tmp_path)
    card = json.loads(unit.unit_card_json())
    assert card["format"] == "indicia-unit/2" and len(card["signature"]) == 128
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    added = store.add_unit(unit.unit_card_json())
    assert added.signature == card["signature"]
    assert indicia.unit_card_fingerprint(added) == indicia.unit_card_fingerprint(store.units()[0])
