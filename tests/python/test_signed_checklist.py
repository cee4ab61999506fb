"""Signed checklist definitions through the uniffi Python bindings (docs/formats/signed-checklist.md):
the frozen vectors in tests/vectors/signed-checklist-v1 load under their trust list with the
publisher shown, each must-reject file fails with its error kind, and the field store keeps a
deployment's checklist trust."""

import json
import pathlib

import pytest

import indicia_core as model
import indicia_uniffi as indicia

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors" / "signed-checklist-v1"
EXPECTED = json.loads((VECTORS / "expected.json").read_text(encoding="utf-8"))


def trust():
    raw = json.loads((VECTORS / "trust.json").read_text(encoding="utf-8"))
    return model.ChecklistTrust(
        require_signatures=raw["require_signatures"],
        publishers=[model.TrustedPublisher(name=p["name"], public_key=p["public_key"]) for p in raw["publishers"]],
    )


@pytest.mark.parametrize("name", sorted(EXPECTED["valid"]))
def test_a_signed_vector_loads_with_its_publisher_and_review_status(name):
    text = (VECTORS / "valid" / name).read_text(encoding="utf-8")
    want = EXPECTED["valid"][name]
    loaded = indicia.load_checklist(text, "en", trust())
    info = loaded.info
    assert info.provenance == model.Provenance.TRUSTED_PUBLISHER
    assert info.publisher == want["publisher"]
    assert info.publisher_key_id == want["key_id"]
    plain = json.loads((ROOT / "tests" / "vectors" / want["source"]).read_text(encoding="utf-8"))
    assert info.review_status.name.lower() == plain["review"]["status"]
    # The plain definition comes back for hosts that run plain definitions only (the web page).
    assert json.loads(loaded.definition) == plain
    # The session runs it and its assessment names the signed checklist.
    session = indicia.ChecklistSession.from_json_trusted(text, "en", trust())
    reference = session.assessment().checklist
    assert reference.hash == info.hash
    assert reference.publisher.name == want["publisher"]
    assert reference.publisher.signed_at == want["signed_at"]
    # Without a trust list the signature is still checked; the publisher is not trusted here.
    assert indicia.load_checklist(text, "en", model.ChecklistTrust(require_signatures=False, publishers=[])).info.provenance == (
        model.Provenance.UNTRUSTED_PUBLISHER
    )


@pytest.mark.parametrize("name", sorted(EXPECTED["reject"]))
def test_a_must_reject_vector_fails_with_its_kind(name):
    text = (VECTORS / "reject" / name).read_text(encoding="utf-8")
    kind = getattr(indicia.IndiciaError, EXPECTED["reject"][name]["kind"])
    with pytest.raises(kind):
        indicia.load_checklist(text, "en", trust())


def test_built_in_checklists_are_trusted_as_part_of_the_installation():
    text = (ROOT / "core" / "checklists" / "first-contact.json").read_text(encoding="utf-8")
    loaded = indicia.load_checklist(text, "en", trust())
    info = loaded.info
    assert info.provenance == model.Provenance.BUILT_IN
    assert info.publisher is None
    assert info.review_status == model.ReviewStatus.UNREVIEWED


def test_the_field_store_keeps_the_checklist_trust_and_refuses_a_malformed_one():
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", model.KdfParams(memory_kib=64, iterations=1, parallelism=1))
    assert store.checklist_trust() == model.ChecklistTrust(require_signatures=False, publishers=[])
    store.set_checklist_trust(trust())
    store.lock()
    store.unlock("tidal-amber-orchard")
    assert store.checklist_trust() == trust()
    with pytest.raises(indicia.IndiciaError.InvalidArgument):
        store.set_checklist_trust(model.ChecklistTrust(require_signatures=True, publishers=[model.TrustedPublisher(name="x", public_key="00")]))
