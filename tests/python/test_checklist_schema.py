"""Built-in checklists (core/checklists/*.json) against the JSON Schema of the checklist format
(docs/formats/checklist.schema.json), plus content checks the schema cannot express.

Needs only `jsonschema` and the standard library, not the generated bindings. The Rust loader
remains the authority on the format's semantic rules; the reference checks here are a light
cross-check of the shipped data.
"""

import json
import pathlib
import re

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "formats" / "checklist.schema.json"
CHECKLIST_DIR = ROOT / "core" / "checklists"
CHECKLIST_PATHS = sorted(CHECKLIST_DIR.glob("*.json"))

FIRST_CONTACT_LANGUAGES = {"en", "sk", "bg", "es", "ca", "el", "pl", "it", "uk"}


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator():
    schema = load(SCHEMA_PATH)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def by_name(name):
    return load(CHECKLIST_DIR / name)


def questions(doc):
    return [q for section in doc["sections"] for q in section["questions"]]


def texts(node, path="$"):
    """Every Text object in a checklist, with its JSON path. A Text is the value of one of the
    Text-typed keys; `actions` is a list of Texts."""
    text_keys = {"title", "description", "label", "hint", "help", "name", "note"}
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}"
            if key in text_keys and isinstance(value, dict):
                yield sub, value
            elif key == "actions":
                for i, action in enumerate(value):
                    yield f"{sub}[{i}]", action
            else:
                yield from texts(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{path}[{i}]")


def test_there_are_builtin_checklists():
    names = {p.name for p in CHECKLIST_PATHS}
    assert {
        "ilo-ec-delphi-adult-labour.json",
        "ilo-ec-delphi-child-labour.json",
        "ilo-forced-labour-11.json",
        "first-contact.json",
    } <= names


@pytest.mark.parametrize("path", CHECKLIST_PATHS, ids=lambda p: p.name)
def test_checklist_matches_schema(validator, path):
    doc = load(path)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    assert doc["id"] == path.stem, "the file is named after the checklist id"


def test_schema_rejects_unknown_keys_and_bad_values(validator):
    doc = by_name("ilo-forced-labour-11.json")
    assert validator.is_valid(doc)
    typo = json.loads(json.dumps(doc))
    typo["sections"][0]["relevnt"] = "true"
    assert not validator.is_valid(typo)
    bad_strength = json.loads(json.dumps(doc))
    bad_strength["indicators"][0]["strength"] = "very strong"
    assert not validator.is_valid(bad_strength)
    bad_lang = json.loads(json.dumps(doc))
    bad_lang["title"]["EN"] = "Title"
    assert not validator.is_valid(bad_lang)
    choices_on_yes_no = json.loads(json.dumps(doc))
    choices_on_yes_no["sections"][0]["questions"][0]["choices"] = [{"id": "a", "label": {"en": "A"}}]
    assert not validator.is_valid(choices_on_yes_no)


@pytest.mark.parametrize("path", CHECKLIST_PATHS, ids=lambda p: p.name)
def test_references_exist_and_every_indicator_is_mapped(path):
    doc = load(path)
    dimension_ids = [d["id"] for d in doc["dimensions"]]
    indicator_ids = [i["id"] for i in doc["indicators"]]
    question_ids = [q["id"] for q in questions(doc)]
    assert len(set(dimension_ids)) == len(dimension_ids), "duplicate dimension id"
    assert len(set(indicator_ids)) == len(indicator_ids), "duplicate indicator id"
    assert len(set(question_ids)) == len(question_ids), "duplicate question id"
    for indicator in doc["indicators"]:
        assert indicator["dimension"] in dimension_ids, indicator["id"]
    mapped = set()
    for q in questions(doc):
        for mapping in q.get("indicators", []):
            assert mapping["indicator"] in indicator_ids, (q["id"], mapping["indicator"])
            mapped.add(mapping["indicator"])
    assert set(indicator_ids) - mapped == set(), "indicators no question maps"

    def combination_dimensions(c):
        if isinstance(c, str):
            yield c
        else:
            for part in c.get("all", []) + c.get("any", []):
                yield from combination_dimensions(part)

    if doc["rule"]["kind"] == "delphi":
        for variant in doc["rule"]["variants"]:
            for dim in combination_dimensions(variant["requires"]):
                assert dim in dimension_ids, (variant["id"], dim)
        assert "when" not in doc["rule"]["variants"][-1]
    assert "when" not in doc["outcomes"][-1]
    levels = [o["level"] for o in doc["outcomes"]]
    assert levels == sorted(levels, reverse=True), "outcome levels must not increase"


REF = re.compile(r"\$\{([a-z][a-z0-9_]*)\}")
SELECTED = re.compile(r"selected\(\s*\$\{([a-z][a-z0-9_]*)\}\s*,\s*'([^']*)'\s*\)")
EQUALS = re.compile(r"\$\{([a-z][a-z0-9_]*)\}\s*!?=\s*'([^']*)'")
YES_NO = {"yes", "no", "unknown", "declined"}


@pytest.mark.parametrize("path", CHECKLIST_PATHS, ids=lambda p: p.name)
def test_expressions_reference_earlier_questions_and_real_choices(path):
    """A light cross-check (the Rust loader parses and type-checks expressions for real)."""
    doc = load(path)
    by_id = {q["id"]: q for q in questions(doc)}
    order = {qid: i for i, qid in enumerate(by_id)}

    def check(expr, position, own=None):
        for ref in REF.findall(expr):
            assert ref in by_id, (expr, ref)
            assert order[ref] < position or ref == own, f"{expr!r}: {ref} is not earlier"
        for ref, choice in SELECTED.findall(expr):
            assert choice in {c["id"] for c in by_id[ref].get("choices", [])}, (expr, choice)
        for ref, literal in EQUALS.findall(expr):
            kind = by_id[ref]["kind"]
            if kind == "yes_no":
                assert literal in YES_NO, (expr, literal)
            elif kind == "single_choice":
                assert literal in {c["id"] for c in by_id[ref]["choices"]}, (expr, literal)

    for section in doc["sections"]:
        first = order[section["questions"][0]["id"]]
        if "relevant" in section:
            check(section["relevant"], first)
        for q in section["questions"]:
            if "relevant" in q:
                check(q["relevant"], order[q["id"]])
            for mapping in q.get("indicators", []):
                if "when" in mapping:
                    check(mapping["when"], order[q["id"]], own=q["id"])
    if doc["rule"]["kind"] == "delphi":
        for variant in doc["rule"]["variants"]:
            if "when" in variant:
                check(variant["when"], len(order))


@pytest.mark.parametrize("path", CHECKLIST_PATHS, ids=lambda p: p.name)
def test_outcomes_never_say_victim(path):
    doc = load(path)
    for outcome in doc["outcomes"]:
        english = [outcome["label"]["en"]] + [a["en"] for a in outcome.get("actions", [])]
        for text in english:
            assert "victim" not in text.lower(), (outcome["id"], text)


@pytest.mark.parametrize("path", CHECKLIST_PATHS, ids=lambda p: p.name)
def test_texts_have_the_default_language_and_only_offered_languages(path):
    doc = load(path)
    offered = set(doc["languages"])
    assert doc["default_language"] in offered
    for where, text in texts(doc):
        assert doc["default_language"] in text, where
        assert set(text) <= offered, where


def count_by_dimension(doc):
    counts = {}
    for indicator in doc["indicators"]:
        counts[indicator["dimension"]] = counts.get(indicator["dimension"], 0) + 1
    return counts


def test_delphi_adult_labour_has_67_indicators_over_six_dimensions():
    doc = by_name("ilo-ec-delphi-adult-labour.json")
    counts = count_by_dimension(doc)
    assert counts == {"D1": 10, "D2": 10, "D3": 16, "D4": 9, "D5": 15, "D6": 7}
    assert sum(counts.values()) == 67
    for indicator in doc["indicators"]:
        assert indicator["id"].startswith(indicator["dimension"] + "."), indicator["id"]
    assert doc["rule"]["reviewed"] is False
    assert doc["review"]["status"] == "unreviewed"


def test_delphi_child_labour_has_65_indicators_and_no_weak_tier():
    doc = by_name("ilo-ec-delphi-child-labour.json")
    assert len(doc["indicators"]) == 65
    assert count_by_dimension(doc) == {"D1": 10, "D2": 10, "D3": 15, "D4": 8, "D5": 15, "D6": 7}
    assert {i["strength"] for i in doc["indicators"]} <= {"strong", "medium"}
    assert doc["population"] == "child"
    ids = {i["id"] for i in doc["indicators"]}
    assert "D3.false_information_law_authorities" not in ids
    assert "D4.no_social_protection" not in ids


def test_ilo_forced_labour_has_11_unweighted_indicators():
    doc = by_name("ilo-forced-labour-11.json")
    assert len(doc["indicators"]) == 11
    assert {i["strength"] for i in doc["indicators"]} == {"none"}
    assert doc["rule"]["kind"] == "score"
    assert doc["rule"]["threshold"] == 1


def test_first_contact_is_complete_in_nine_languages():
    doc = by_name("first-contact.json")
    assert set(doc["languages"]) == FIRST_CONTACT_LANGUAGES
    assert set(doc["review"]["unchecked_translations"]) == FIRST_CONTACT_LANGUAGES - {"en"}
    found = list(texts(doc))
    assert len(found) > 50
    for where, text in found:
        assert set(text) == FIRST_CONTACT_LANGUAGES, f"{where} lacks {FIRST_CONTACT_LANGUAGES - set(text)}"
    for q in questions(doc):
        for choice in q.get("choices", []):
            assert set(choice["label"]) == FIRST_CONTACT_LANGUAGES, (q["id"], choice["id"])
