"""The checklist engine through the uniffi Python bindings, as an analyst scripts it: run the
first-contact checklist on answer sets, read the assessment, check skip logic, languages, saved
drafts and the errors a broken definition or answer gives. Expected texts come from
core/checklists/first-contact.json."""

import json
import pathlib

import pytest

import indicia_core as model
import indicia_uniffi as indicia
from indicia_uniffi import AnswerValue

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIRST_CONTACT_JSON = (ROOT / "core" / "checklists" / "first-contact.json").read_text(encoding="utf-8")
FIRST_CONTACT = json.loads(FIRST_CONTACT_JSON)
LANGUAGES = ["en", "sk", "bg", "es", "ca", "el", "pl", "it", "uk"]
CHILD_QUESTIONS = ["child_unaccompanied", "child_unsuitable_work", "child_sexual_exploitation"]

QUESTIONS = {q["id"]: q for s in FIRST_CONTACT["sections"] for q in s["questions"]}
INDICATORS = {i["id"]: i for i in FIRST_CONTACT["indicators"]}
OUTCOMES = {o["id"]: o for o in FIRST_CONTACT["outcomes"]}

# Adult answers meeting the Delphi rule: E (hours + pay), C (documents + debt), R (deception + fees).
ADULT_REFER = {
    "age_group": "adult",
    "sector": ["construction"],
    "long_hours": "yes",
    "low_or_no_pay": "yes",
    "documents_held": "yes",
    "debt": "yes",
    "deceived_about_job": "yes",
    "recruitment_debt_documents": "yes",
    "injuries": "no",
    "threats": "unknown",
}


def value(question_id, raw):
    """The AnswerValue for a plain JSON-like answer, by the question's kind."""
    kind = QUESTIONS[question_id]["kind"] if question_id in QUESTIONS else "yes_no"
    return {
        "yes_no": lambda: AnswerValue.YES_NO(raw),
        "single_choice": lambda: AnswerValue.CHOICE(raw),
        "multi_choice": lambda: AnswerValue.CHOICES(raw),
        "number": lambda: AnswerValue.NUMBER(raw),
        "date": lambda: AnswerValue.DATE(raw),
        "text": lambda: AnswerValue.TEXT(raw),
    }[kind]()


def session(answers=None, language="en"):
    s = indicia.ChecklistSession.from_builtin("first-contact", language)
    for question_id, raw in (answers or {}).items():
        s.answer(question_id, value(question_id, raw))
    return s


def visible_ids(s):
    return [q.id for q in s.visible_questions()]


def fired_ids(s):
    return sorted(f.id for f in s.assessment().fired)


def test_builtin_list_and_unknown_id():
    ids = indicia.builtin_checklists()
    assert "first-contact" in ids
    for checklist_id in ids:
        assert indicia.ChecklistSession.from_builtin(checklist_id, "en").info().id == checklist_id
    with pytest.raises(indicia.IndiciaError.UnknownChecklist):
        indicia.ChecklistSession.from_builtin("no-such-checklist", "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_contact_loads_in_each_language(language):
    s = session({"age_group": "unsure"}, language)
    info = s.info()
    assert info.languages == LANGUAGES
    assert info.title == FIRST_CONTACT["title"][language]
    for q in s.visible_questions():
        assert q.label == QUESTIONS[q.id]["label"][language], q.id
    a = s.assessment()
    assert a.language == language
    assert a.outcome.label == OUTCOMES[a.outcome.id]["label"][language]


def test_slovak_labels_differ_from_english():
    en, sk = session(ADULT_REFER, "en"), session(ADULT_REFER, "sk")
    for e, k in zip(en.visible_questions(), sk.visible_questions(), strict=True):
        assert e.id == k.id
        assert e.label != k.label, e.id
        assert [c.label for c in e.choices] != [c.label for c in k.choices] or not e.choices
    a_en, a_sk = en.assessment(), sk.assessment()
    assert a_sk.outcome.id == a_en.outcome.id == "refer"
    assert a_sk.outcome.label == OUTCOMES["refer"]["label"]["sk"] != a_en.outcome.label
    assert [f.label for f in a_sk.fired] == [INDICATORS[f.id]["label"]["sk"] for f in a_sk.fired]


def test_adult_case_reaches_level_3_with_explanation():
    s = session(ADULT_REFER)
    a = s.assessment()
    assert (a.outcome.id, a.outcome.level) == ("refer", 3)
    assert a.rule.kind == model.RuleKind.DELPHI and a.rule.met and a.rule.variant == "adult"
    assert fired_ids(s) == [
        "C.debt_bondage", "C.documents_held", "E.excessive_hours", "E.low_or_no_pay",
        "R.deceived_job", "R.recruitment_debt_documents",
    ]
    assert {d.id: d.met for d in a.dimensions} == {"R": True, "E": True, "C": True, "V": False}
    for fired in a.fired:
        assert fired.label == INDICATORS[fired.id]["label"]["en"]
        assert any(fired.label in line and f"({fired.strength.name.lower()})" in line for line in a.explanation), fired.id
    assert a.checklist.hash == s.info().hash


@pytest.mark.parametrize(
    ("answers", "outcome", "level"),
    [
        ({"age_group": "adult", "debt": "no"}, "none_recorded", 0),
        ({"age_group": "adult", "someone_speaks_for": "yes"}, "stay_alert", 1),
        # one strong sign per dimension meets none: the Delphi alternatives need two signs
        ({"age_group": "adult", "documents_held": "yes", "long_hours": "yes", "deceived_about_job": "yes"}, "stay_alert", 1),
        ({"age_group": "adult", "documents_held": "yes", "debt": "yes"}, "seek_advice", 2),
        (ADULT_REFER, "refer", 3),
        # decisive signs (format v2): one alone gives level 3
        ({"age_group": "child", "child_sexual_exploitation": "yes"}, "refer_decisive", 3),
        ({"age_group": "child", "child_unaccompanied": "yes"}, "refer_decisive", 3),
    ],
)
def test_each_level_has_an_answer_set(answers, outcome, level):
    a = session(answers).assessment()
    assert (a.outcome.id, a.outcome.level) == (outcome, level)


def test_skip_logic_child_section():
    s = session()
    assert not set(CHILD_QUESTIONS) & set(visible_ids(s)), "hidden before the age is given"
    s.answer("age_group", AnswerValue.CHOICE("adult"))
    adult = visible_ids(s)
    assert not set(CHILD_QUESTIONS) & set(adult)
    for age in ("child", "unsure"):
        s.answer("age_group", AnswerValue.CHOICE(age))
        assert visible_ids(s)[:5] == ["age_group", "sector", *CHILD_QUESTIONS]
        assert len(visible_ids(s)) == len(adult) + 3


def test_hidden_answers_do_not_count():
    child_case = {
        "age_group": "child",
        "child_sexual_exploitation": "yes",
        "child_unaccompanied": "yes",
        "bad_conditions": "yes",
        "unfamiliar_area": "yes",
        "afraid_of_authorities": "yes",
    }
    s = session(child_case)
    a = s.assessment()
    assert (a.rule.variant, a.outcome.id, a.outcome.level) == ("child", "refer", 3)
    assert s.progress().answered == 6

    s.answer("age_group", AnswerValue.CHOICE("adult"))
    a = s.assessment()
    assert fired_ids(s) == ["E.bad_conditions", "V.fear_authorities", "V.unfamiliar_area"]
    assert (a.rule.variant, a.outcome.level) == ("adult", 1)
    assert not any(INDICATORS["E.child_sexual_exploitation"]["label"]["en"] in line for line in a.explanation)
    assert s.progress().answered == 4
    saved = json.loads(s.answers_json())
    assert saved["child_sexual_exploitation"] == "yes", "kept while hidden"


@pytest.mark.parametrize(
    ("question_id", "answer", "mentions"),
    [
        ("no_such_question", AnswerValue.YES_NO("yes"), "no_such_question"),
        ("debt", AnswerValue.NUMBER(1.0), "debt"),
        ("debt", AnswerValue.YES_NO("maybe"), "debt"),
        ("age_group", AnswerValue.CHOICES(["adult"]), "age_group"),
        ("age_group", AnswerValue.CHOICE("teenager"), "age_group"),
        ("sector", AnswerValue.CHOICE("agriculture"), "sector"),
        ("sector", AnswerValue.CHOICES(["agriculture", "mining"]), "sector"),
        ("sector", AnswerValue.CHOICES(["agriculture", "agriculture"]), "sector"),
        ("worker_note", AnswerValue.NUMBER(5.0), "worker_note"),
    ],
)
def test_invalid_answer_is_refused(question_id, answer, mentions):
    s = session(ADULT_REFER)
    before = s.answers_json()
    with pytest.raises(indicia.IndiciaError.InvalidAnswer, match=mentions):
        s.answer(question_id, answer)
    assert s.answers_json() == before


def test_restore_answers_round_trip():
    original = session({**ADULT_REFER, "child_unaccompanied": "yes", "worker_note": "Seen twice at the market."})
    saved = original.answers_json()
    restored = indicia.ChecklistSession.from_builtin("first-contact", "en")
    restored.restore_answers(saved)
    assert restored.assessment() == original.assessment()
    assert restored.answers_json() == saved

    slovak = indicia.ChecklistSession.from_builtin("first-contact", "sk")
    slovak.restore_answers(saved)
    assert fired_ids(slovak) == fired_ids(original)
    assert slovak.assessment().outcome.label == OUTCOMES["refer"]["label"]["sk"]

    with pytest.raises(indicia.IndiciaError.InvalidAnswer):
        restored.restore_answers('{"debt": "maybe", "long_hours": "no"}')
    with pytest.raises(indicia.IndiciaError.InvalidAnswer):
        restored.restore_answers("not json")
    assert restored.answers_json() == saved


def _question_path(question_id):
    for s_index, section in enumerate(FIRST_CONTACT["sections"]):
        for q_index, q in enumerate(section["questions"]):
            if q["id"] == question_id:
                return f"$.sections[{s_index}].questions[{q_index}]"
    raise KeyError(question_id)


def _broken(edit):
    doc = json.loads(FIRST_CONTACT_JSON)
    edit(doc)
    return json.dumps(doc, ensure_ascii=False)


def _question(doc, question_id):
    return next(q for s in doc["sections"] for q in s["questions"] if q["id"] == question_id)


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: _question(d, "injuries").update(relevant="${no_such_question} = 'yes'"),
         _question_path("injuries") + ".relevant"),
        (lambda d: _question(d, "injuries").update(relevnt="true"), _question_path("injuries") + ".relevnt"),
        (lambda d: _question(d, "debt")["indicators"][0].update(indicator="C.no_such_indicator"),
         _question_path("debt") + ".indicators[0].indicator"),
        (lambda d: d["indicators"][3].update(strength="huge"), "$.indicators[3].strength"),
    ],
)
def test_validate_checklist_names_the_json_path(edit, path):
    broken = _broken(edit)
    with pytest.raises(indicia.IndiciaError.InvalidChecklist) as error:
        indicia.validate_checklist(broken, "en")
    assert path in str(error.value)
    with pytest.raises(indicia.IndiciaError.InvalidChecklist):
        indicia.ChecklistSession.from_json(broken, "en")


def test_validate_checklist_accepts_the_shipped_definition():
    info = indicia.validate_checklist(FIRST_CONTACT_JSON, "sk")
    assert info.title == FIRST_CONTACT["title"]["sk"]
    assert info.hash == indicia.ChecklistSession.from_builtin("first-contact", "en").info().hash
    with pytest.raises(indicia.IndiciaError.InvalidChecklist):
        indicia.validate_checklist('{"format": "indicia-checklist/1",', "en")
