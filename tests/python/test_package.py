"""Report packages from Python (analysts' scripts): open and verify packages, read their signed
manifest, and refuse every frozen reject vector with its own exception class; seal from a store
and standalone; a package sealed in Kotlin opens here."""

import json
import os
import pathlib
import tempfile

import pytest

import indicia_core as model
import indicia_uniffi as indicia

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "package-v1"
EXPECTED = json.loads((VECTORS / "expected.json").read_text())
UNIT = (VECTORS / "unit.key").read_text()
FAST = model.KdfParams(memory_kib=64, iterations=1, parallelism=1)  # tests only


def unit_card(recipient: str, name: str = "National THB unit") -> str:
    """The signed card (JSON) of a receiving unit whose reports go to age `recipient`, from a
    throw-away Receiver database: what a store is given with add_unit and what seal_report takes."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="indicia-unit-")) / "receiver.db"
    return indicia.Receiver.create(str(path), "correct horse battery", FAST, name, recipient).unit_card_json()


def add_unit(store: indicia.CaseStore, recipient: str) -> str:
    """Gives `store` the card of a unit for `recipient`; returns the card's signing key id."""
    return store.add_unit(unit_card(recipient)).signing_key.key_id


@pytest.mark.parametrize("name", sorted(EXPECTED["valid"]))
def test_valid_vector_opens_with_its_recorded_ids(name):
    want = EXPECTED["valid"][name]
    opened = indicia.open_report((VECTORS / "valid" / name).read_bytes(), UNIT)
    assert opened.report_id == want["report_id"]
    assert opened.content_hash == want["content_hash"]
    assert opened.device_key_id == want["device_key_id"]
    manifest = json.loads(opened.manifest)
    assert [a["sha256"] for a in manifest["attachments"]] == want["attachments"]
    assert len(opened.attachments) == len(want["attachments"])


@pytest.mark.parametrize("name", sorted(EXPECTED["reject"]))
def test_reject_vector_raises_its_kind(name):
    kind = EXPECTED["reject"][name]
    with pytest.raises(getattr(indicia.IndiciaError, kind)):
        indicia.open_report((VECTORS / "reject" / name).read_bytes(), UNIT)


def test_a_case_sealed_from_a_store_carries_the_store_device_key():
    unit = indicia.generate_identity()
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("Clinic visit")
    store.save_answer(case, "worker_note", '"PY-PACKAGE-MARKER"')
    key_id = add_unit(store, unit.recipient)
    sealed = store.seal_case(case, "sk.example-ngo", [key_id], [], True)
    assert sealed.package.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    assert b"PY-PACKAGE-MARKER" not in sealed.package
    opened = indicia.open_report(sealed.package, unit.identity)
    assert opened.device_key_id == store.device_info().key_id == sealed.device_key_id
    assert json.loads(opened.manifest)["case"]["answers"] == {"worker_note": "PY-PACKAGE-MARKER"}
    assert [c.status for c in store.list_cases()] == [model.CaseStatus.DRAFT]  # until the app confirms
    store.confirm_sealed(case, sealed.report_id)
    assert [c.status for c in store.list_cases()] == [model.CaseStatus.SEALED]


# The answers every layer gives its first-contact case in the cross-layer comparison: two
# indicators observed (tests/browser/field-app.test.mjs and tests/kotlin/PackageTests.kt answer
# the same).
ASSESSED_ANSWERS = {"age_group": '"adult"', "documents_held": '"yes"', "debt": '"yes"'}


def sealed_assessed_case(recipient):
    """A case made in Python as the web page makes one: on a built-in checklist, answered."""
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("Harbour", "first-contact")
    for question, value in ASSESSED_ANSWERS.items():
        store.save_answer(case, question, value)
    add_unit(store, recipient)
    return store.seal_case(case, "sk.example-ngo", [], [], False)


def test_a_case_started_on_a_builtin_checklist_is_assessed_in_its_package():
    unit = indicia.generate_identity()
    manifest = json.loads(indicia.open_report(sealed_assessed_case(unit.recipient).package, unit.identity).manifest)
    assert manifest["checklist"]["id"] == "first-contact"
    fired = {i["id"] for i in manifest["assessment"]["fired"]}
    assert fired == {"C.documents_held", "C.debt_bondage"}


def test_a_case_without_a_checklist_has_no_assessment_and_an_unknown_checklist_is_refused():
    unit = indicia.generate_identity()
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("notes only")
    add_unit(store, unit.recipient)
    manifest = json.loads(indicia.open_report(store.seal_case(case, "o", [], [], False).package, unit.identity).manifest)
    assert manifest["checklist"] is None and manifest["assessment"] is None
    with pytest.raises(indicia.IndiciaError.UnknownChecklist):
        store.create_case("t", "no-such-checklist")
    assert len(store.list_cases()) == 1


def test_a_standalone_case_is_checked_against_its_checklist():
    unit = indicia.generate_identity()
    case = {"organisation": "es.example-ngo", "title": "t", "answers": {"age_group": "adult"}, "checklist_id": "first-contact"}
    photo = model.AttachmentInput(name="p.jpg", mime="image/jpeg", data=b"jpeg")
    cards = [unit_card(unit.recipient)]
    sealed = indicia.seal_report(json.dumps(case), [photo], cards, None, False)
    opened = indicia.open_report(sealed.package, unit.identity)
    assert opened.attachments == [b"jpeg"]
    assert json.loads(opened.manifest)["assessment"] is not None
    case["answers"] = {"age_group": "martian"}
    with pytest.raises(indicia.IndiciaError.InvalidAnswer):
        indicia.seal_report(json.dumps(case), [], cards, None, False)
    with pytest.raises(indicia.IndiciaError.InvalidState):
        indicia.seal_report('{"organisation": "o", "title": "t", "typo": 1}', [], cards, None, False)
    with pytest.raises(indicia.IndiciaError.InvalidState):
        indicia.seal_report(json.dumps({"organisation": "o", "title": "t"}), [], cards, b"short", False)


def test_a_case_is_sealed_only_to_signed_unit_cards_never_to_a_typed_in_recipient():
    unit = indicia.generate_identity()
    # From the store: only units it holds the cards of, named by signing key id.
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("t")
    with pytest.raises(indicia.IndiciaError.InvalidState, match="add a unit"):
        store.seal_case(case, "o", [], [], False)
    key_id = add_unit(store, unit.recipient)
    for unknown in ("0" * 32, unit.recipient):
        with pytest.raises(indicia.IndiciaError.NotFound):
            store.seal_case(case, "o", [unknown], [], False)
    assert store.get_case(case).pending_seal is None
    sealed = store.seal_case(case, "o", [key_id], [], False)
    assert indicia.open_report(sealed.package, unit.identity).report_id == sealed.report_id
    # A removed unit is sealed to no more.
    add_unit(store, indicia.generate_identity().recipient)
    assert store.remove_unit(key_id)
    with pytest.raises(indicia.IndiciaError.NotFound):
        store.seal_case(case, "o", [key_id], [], False)
    # Held by the app: each a unit's signed card, its signature checked.
    page_case = json.dumps({"organisation": "o", "title": "t"})
    with pytest.raises(indicia.IndiciaError.InvalidState):
        indicia.seal_report(page_case, [], [], None, False)
    with pytest.raises(indicia.IndiciaError.CorruptInput):
        indicia.seal_report(page_case, [], [unit.recipient], None, False)
    card = json.loads(unit_card(unit.recipient))
    swapped = json.dumps({**card, "recipient": indicia.generate_identity().recipient})
    with pytest.raises(indicia.IndiciaError.BadSignature):
        indicia.seal_report(page_case, [], [swapped], None, False)


CROSS_DIR = os.environ.get("INDICIA_CROSS_DIR") or None  # empty: `scripts/test python` alone


@pytest.mark.skipif(CROSS_DIR is None, reason="needs every layer: run by scripts/test with no arguments")
def test_a_package_sealed_in_kotlin_opens_in_python():
    cross = pathlib.Path(CROSS_DIR)
    sealed = cross / "kotlin-package.age"
    assert sealed.exists(), "the Kotlin layer did not write its package"
    want = json.loads((cross / "kotlin-package.json").read_text())
    opened = indicia.open_report(sealed.read_bytes(), (cross / "receiver.key").read_text())
    assert opened.report_id == want["report_id"]
    assert opened.device_key_id == want["device_key_id"]
    assert opened.content_hash == want["content_hash"]
    assert json.loads(opened.manifest)["case"]["answers"]["worker_note"] == "KOTLIN-PACKAGE-MARKER"


@pytest.mark.skipif(CROSS_DIR is None, reason="needs every layer: run by scripts/test with no arguments")
def test_a_package_sealed_in_chromium_opens_in_python():
    cross = pathlib.Path(CROSS_DIR)
    sealed = cross / "chromium-package.age"
    assert sealed.exists(), "the Chromium field-app test did not write its package"
    opened = indicia.open_report(sealed.read_bytes(), (cross / "receiver.key").read_text())
    manifest = json.loads(opened.manifest)
    assert manifest["organisation"] == "es.example-ngo"
    assert manifest["checklist"]["id"] == "first-contact"
    assert manifest["assessment"] is not None


@pytest.mark.skipif(CROSS_DIR is None, reason="needs every layer: run by scripts/test with no arguments")
def test_kotlin_python_and_the_web_page_assess_the_same_answers_the_same_way():
    """One case, three makers: the web page (Chromium), Kotlin and Python each start a case on
    first-contact with ASSESSED_ANSWERS and seal it; the packages carry the same checklist
    reference and the same assessment."""
    cross = pathlib.Path(CROSS_DIR)
    identity = (cross / "receiver.key").read_text()
    recipient = next(line for line in identity.splitlines() if line.startswith("# public key: ")).split(": ")[1]
    manifests = {"python": json.loads(indicia.open_report(sealed_assessed_case(recipient).package, identity).manifest)}
    for maker in ["chromium", "kotlin"]:
        sealed = cross / f"{maker}-package.age"
        assert sealed.exists(), f"the {maker} layer did not write its package"
        manifests[maker] = json.loads(indicia.open_report(sealed.read_bytes(), identity).manifest)
    for maker, manifest in manifests.items():
        answers = {q: json.dumps(manifest["case"]["answers"].get(q)) for q in ASSESSED_ANSWERS}
        assert answers == ASSESSED_ANSWERS, maker
        assert manifest["assessment"] is not None, f"{maker} made a case without its checklist"
        assert manifest["checklist"] == manifests["python"]["checklist"], maker
        assert manifest["assessment"] == manifests["python"]["assessment"], maker
