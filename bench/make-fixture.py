#!/usr/bin/env python3
"""Writes the benchmark fixture shared by the native (criterion) and wasm (Node) benchmarks:

  core/benches/fixtures/bench-100.json          a synthetic 100-question checklist
  core/benches/fixtures/bench-100.answers.json  the ~60 answers both benchmarks start from

The checklist is shaped like a real Delphi-style screening checklist (docs/formats/checklist.md):
6 dimensions, 67 indicators (strong/medium/weak), 90 yes/no questions plus single-choice,
multi-choice and number questions, about a third of the questions and three sections behind
skip logic, the four Delphi dimension alternatives with a child and an adult variant, and four
outcomes. Its texts are generated: it is test data, never a checklist to use.

The benchmarks toggle `recruited` between "yes" and "no". With the saved answers, "no" hides
the two recruitment sections (30 questions, 23 of them shown: 82 visible questions -> 59), so
visibility, fired indicators, dimensions met, the rule and the outcome change on every toggle.

Deterministic: running it again writes the same bytes. Run from anywhere:
    python3 bench/make-fixture.py
"""

import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "core" / "benches" / "fixtures"


def text(en):
    # Two languages so that the fallback chain is real; "sk" is a marked placeholder.
    return {"en": en, "sk": f"[sk] {en}"}


def yes_no(qid, label, indicator=None, relevant=None, mode="asked", when=None):
    q = {"id": qid, "kind": "yes_no", "mode": mode, "label": text(label)}
    if relevant:
        q["relevant"] = relevant
    if indicator:
        mapping = {"indicator": indicator}
        if when:
            mapping["when"] = when
        q["indicators"] = [mapping]
    return q


def choices(ids):
    return [{"id": c, "label": text(c.replace("_", " ").capitalize())} for c in ids]


# --- Dimensions and indicators -------------------------------------------------------------

DIMENSIONS = [
    ("D1", "Deceptive recruitment"),
    ("D2", "Coercive recruitment"),
    ("D3", "Recruitment by abuse of vulnerability"),
    ("D4", "Exploitative conditions of work"),
    ("D5", "Coercion at destination"),
    ("D6", "Abuse of vulnerability at destination"),
]

# (dimension, name, strength, label)
INDICATORS = [
    ("D1", "job_nature", "strong", "Deceived about the nature of the job"),
    ("D1", "conditions", "strong", "Deceived about conditions of work"),
    ("D1", "wages", "medium", "Deceived about wages or earnings"),
    ("D1", "location", "medium", "Deceived about the place of work"),
    ("D1", "employer", "medium", "Deceived about the employer"),
    ("D1", "legal_status", "medium", "Deceived about legal documents or migration status"),
    ("D1", "travel", "weak", "Deceived about travel and recruitment conditions"),
    ("D1", "housing", "weak", "Deceived about housing and living conditions"),
    ("D1", "marriage", "medium", "Deceived by a false promise of marriage"),
    ("D1", "education", "weak", "Deceived about access to education"),
    ("D1", "family_contact", "weak", "Deceived about contact with family"),
    ("D2", "violence", "strong", "Violence during recruitment or transport"),
    ("D2", "abduction", "strong", "Abduction, forced marriage or forced adoption"),
    ("D2", "confinement", "strong", "Confinement during recruitment or transport"),
    ("D2", "debt", "medium", "Debt bondage at recruitment"),
    ("D2", "threats_family", "medium", "Threats against family at recruitment"),
    ("D2", "isolation", "medium", "Isolation during recruitment or transport"),
    ("D2", "denunciation", "medium", "Threat of denunciation to the authorities"),
    ("D2", "documents", "medium", "Documents taken during recruitment or transport"),
    ("D2", "sold_by_family", "medium", "Sold or handed over by family"),
    ("D2", "forced_travel", "weak", "Made to travel against their will"),
    ("D2", "drugs", "weak", "Made dependent on drugs or alcohol at recruitment"),
    ("D3", "economic", "weak", "Economic hardship before recruitment"),
    ("D3", "family", "weak", "Difficult family situation"),
    ("D3", "education", "weak", "Little schooling"),
    ("D3", "language", "weak", "Does not speak the local language"),
    ("D3", "irregular", "medium", "Irregular migration status"),
    ("D3", "relationship", "medium", "Personal or emotional relationship with the recruiter"),
    ("D3", "past", "weak", "Difficult past (violence, abuse)"),
    ("D3", "disability", "medium", "Disability or mental health condition"),
    ("D3", "false_law", "medium", "False information about the law"),
    ("D3", "authority", "medium", "Recruiter holds a position of authority over the person"),
    ("D3", "cultural", "weak", "Cultural or religious pressure"),
    ("D4", "excessive_hours", "strong", "Excessive working days or hours"),
    ("D4", "bad_living", "medium", "Bad living conditions"),
    ("D4", "hazardous", "medium", "Hazardous work without protection"),
    ("D4", "low_pay", "medium", "Low or no salary"),
    ("D4", "no_protection", "weak", "No contract, insurance or social protection"),
    ("D4", "wage_manipulation", "medium", "Wages withheld, delayed or cut by fines"),
    ("D4", "no_law", "medium", "No respect for labour laws"),
    ("D4", "degrading", "strong", "Degrading treatment"),
    ("D4", "domestic_no_privacy", "medium", "No privacy or own room (domestic work)"),
    ("D4", "agri_exposure", "weak", "Exposure to chemicals without protection (agriculture)"),
    ("D4", "sex_no_refusal", "strong", "Cannot refuse clients or practices"),
    ("D4", "begging", "medium", "Made to beg or hand over earnings"),
    ("D5", "confiscation_documents", "strong", "Identity documents held by someone else"),
    ("D5", "debt_bondage", "strong", "Debt bondage"),
    ("D5", "isolation", "strong", "Isolation"),
    ("D5", "confinement", "strong", "Confinement or not free to leave"),
    ("D5", "surveillance", "strong", "Under surveillance"),
    ("D5", "violence", "strong", "Violence"),
    ("D5", "threats_violence", "strong", "Threats of violence"),
    ("D5", "denunciation", "medium", "Threat of denunciation to the authorities"),
    ("D5", "forced_tasks", "medium", "Forced to do tasks they did not agree to"),
    ("D5", "illegal_activities", "medium", "Forced into illegal activities"),
    ("D5", "threats_family", "medium", "Threats against family"),
    ("D5", "withholding_wages", "medium", "Wages withheld as a means of control"),
    ("D6", "dependency", "medium", "Dependence on the employer for housing, food or work"),
    ("D6", "communication", "weak", "Cannot communicate with people outside"),
    ("D6", "irregular", "medium", "Irregular status used against the person"),
    ("D6", "law_knowledge", "weak", "Does not know the local law or their rights"),
    ("D6", "shame", "weak", "Afraid of shame or of the family's reaction"),
    ("D6", "no_friends", "weak", "No friends or network here"),
    ("D6", "drugs", "medium", "Dependence on drugs or alcohol"),
    ("D6", "family", "weak", "Family depends on the person's earnings"),
    ("D6", "authority", "medium", "Employer holds a position of authority over the person"),
    ("D6", "economic", "weak", "No other way to earn a living"),
]


def ind(dimension, name):
    return f"{dimension}.{name}"


# --- Sections and questions ----------------------------------------------------------------

CHILD = "${age_group} != 'adult' or (answered(${age}) and ${age} < 18)"

about = {
    "id": "about",
    "label": text("About the person and the situation"),
    "questions": [
        {"id": "age_group", "kind": "single_choice", "mode": "observed", "required": True,
         "label": text("Does the person appear to be under 18?"),
         "choices": choices(["adult", "child", "unsure"])},
        {"id": "age", "kind": "number", "mode": "asked", "min": 0, "max": 120,
         "label": text("Age, if the person says it"), "hint": text("Leave empty if unknown.")},
        {"id": "sector", "kind": "multi_choice", "mode": "asked", "required": True,
         "label": text("In which sectors does the person work?"),
         "choices": choices(["agriculture", "construction", "domestic_work", "hospitality",
                             "manufacturing", "sex_industry", "begging", "other"])},
        {"id": "documents", "kind": "multi_choice", "mode": "asked",
         "label": text("Which documents does the person have?"),
         "choices": choices(["passport", "id_card", "work_permit", "residence_permit", "none"])},
        {"id": "who_holds_documents", "kind": "single_choice", "mode": "asked",
         "label": text("Who keeps these documents?"),
         "relevant": "selected(${documents}, 'passport') or selected(${documents}, 'id_card')",
         "choices": choices(["self", "employer", "recruiter", "other"]),
         "indicators": [{"indicator": ind("D5", "confiscation_documents"),
                         "when": "${who_holds_documents} = 'employer' or "
                                 "${who_holds_documents} = 'recruiter'"}]},
        yes_no("abroad", "Did the person move to another country for this work?"),
        yes_no("recruited", "Did someone else arrange the job or the travel?"),
        yes_no("interpreter", "Is an interpreter needed to talk with the person?", mode="observed"),
        {"id": "accommodation", "kind": "single_choice", "mode": "asked",
         "label": text("Where does the person live?"),
         "choices": choices(["own", "employer", "recruiter", "none"])},
        {"id": "hours", "kind": "number", "mode": "asked", "min": 0, "max": 168,
         "label": text("Hours worked in a usual week"),
         "indicators": [{"indicator": ind("D4", "excessive_hours"), "when": "${hours} >= 60"}]},
        {"id": "group_size", "kind": "number", "mode": "observed", "min": 1, "max": 500,
         "label": text("How many people live or work together with the person?")},
    ],
}

d1 = {
    "id": "recruitment",
    "label": text("How the person was recruited"),
    "relevant": "${recruited} = 'yes' or ${abroad} = 'yes'",
    "questions": [
        yes_no("d1_job_nature", "Is the work different from what was promised?", ind("D1", "job_nature")),
        yes_no("d1_job_sex_industry", "Was another job promised, and then sex work demanded?",
               relevant="${d1_job_nature} = 'yes' and selected(${sector}, 'sex_industry')"),
        yes_no("d1_conditions", "Are the conditions of work worse than promised?", ind("D1", "conditions")),
        yes_no("d1_wages", "Is the pay lower than promised?", ind("D1", "wages")),
        yes_no("d1_wages_half", "Is the pay less than half of what was promised?", ind("D1", "wages"),
               relevant="${d1_wages} = 'yes'"),
        yes_no("d1_location", "Is the place of work different from the one promised?", ind("D1", "location")),
        yes_no("d1_employer", "Is the employer different from the one promised?", ind("D1", "employer")),
        yes_no("d1_legal_status", "Was the person told the papers for work abroad were in order, and they were not?",
               ind("D1", "legal_status"), relevant="${abroad} = 'yes'"),
        yes_no("d1_travel", "Was the journey different from what was promised?", ind("D1", "travel"),
               relevant="${abroad} = 'yes'"),
        yes_no("d1_housing", "Is the housing worse than promised?", ind("D1", "housing")),
        yes_no("d1_marriage", "Was the person brought here by a promise of marriage?", ind("D1", "marriage"),
               relevant="${age} >= 16 and not (${age_group} = 'child')"),
        yes_no("d1_education", "Was the person promised school or training that did not happen?",
               ind("D1", "education"), relevant="${age_group} != 'adult'"),
        yes_no("d1_family_contact", "Was the person promised contact with family that is now refused?",
               ind("D1", "family_contact")),
        yes_no("d1_recruiter_fee", "Did the person pay a fee to whoever arranged the job?",
               relevant="${recruited} = 'yes'"),
        yes_no("d1_recruiter_known", "Did the person know that person before?"),
    ],
}

d2 = {
    "id": "recruitment_pressure",
    "label": text("Pressure during recruitment and travel"),
    "relevant": "${recruited} = 'yes'",
    "questions": [
        yes_no("d2_violence", "Was violence used during recruitment or the journey?", ind("D2", "violence")),
        yes_no("d2_violence_repeated", "Did it happen more than once?", relevant="${d2_violence} = 'yes'"),
        yes_no("d2_abduction", "Was the person taken by force, or married or adopted against their will?",
               ind("D2", "abduction")),
        yes_no("d2_confinement", "Was the person locked in during the journey?", ind("D2", "confinement")),
        yes_no("d2_debt", "Does the person owe money to whoever arranged the job or travel?", ind("D2", "debt")),
        yes_no("d2_debt_growing", "Does that debt keep growing?", ind("D2", "debt"),
               relevant="${d2_debt} = 'yes'"),
        yes_no("d2_threats_family", "Was the person's family threatened?", ind("D2", "threats_family")),
        yes_no("d2_isolation", "Was the person kept from contacting anyone during the journey?",
               ind("D2", "isolation")),
        yes_no("d2_denunciation", "Was the person threatened with being reported to the authorities?",
               ind("D2", "denunciation"), relevant="${abroad} = 'yes'"),
        yes_no("d2_documents", "Were documents taken away during the journey?", ind("D2", "documents"),
               relevant="count(${documents}) >= 1"),
        yes_no("d2_sold_by_family", "Was the person handed over by their family for money?",
               ind("D2", "sold_by_family"), relevant=CHILD),
        yes_no("d2_forced_travel", "Did the person travel against their will?", ind("D2", "forced_travel")),
        yes_no("d2_drugs", "Was the person given drugs or alcohol to make them go along?", ind("D2", "drugs")),
        yes_no("d2_group", "Were others recruited together with the person?",
               relevant="${group_size} >= 5"),
        yes_no("d2_escort", "Was the person escorted during the journey?", mode="observed"),
    ],
}

d3 = {
    "id": "situation_before",
    "label": text("The person's situation before"),
    "questions": [
        yes_no("d3_economic", "Was the person in serious economic hardship?", ind("D3", "economic")),
        yes_no("d3_family", "Was the family situation difficult?", ind("D3", "family")),
        yes_no("d3_education", "Did the person have little or no schooling?", ind("D3", "education")),
        yes_no("d3_language", "Does the person not speak the local language?", ind("D3", "language"),
               relevant="${interpreter} = 'yes'"),
        yes_no("d3_irregular", "Is the person's migration status irregular?", ind("D3", "irregular"),
               relevant="${abroad} = 'yes'"),
        yes_no("d3_relationship", "Is the recruiter a partner, relative or friend?", ind("D3", "relationship")),
        yes_no("d3_past", "Has the person lived through violence or abuse before?", ind("D3", "past")),
        yes_no("d3_past_support", "Did the person get any support then?", relevant="${d3_past} = 'yes'"),
        yes_no("d3_disability", "Does the person have a disability or mental health condition?",
               ind("D3", "disability"), mode="observed"),
        yes_no("d3_false_law", "Was the person told false things about the law?", ind("D3", "false_law")),
        yes_no("d3_authority", "Did the recruiter have authority over the person?", ind("D3", "authority")),
        yes_no("d3_cultural", "Was there cultural or religious pressure to go?", ind("D3", "cultural")),
        yes_no("d3_homeless", "Was the person homeless before?", ind("D3", "economic")),
        yes_no("d3_care_leaver", "Did the person grow up in care?", ind("D3", "family"),
               relevant="${age_group} != 'adult'"),
        yes_no("d3_addiction", "Did the person have an addiction before?"),
    ],
}

d4 = {
    "id": "work",
    "label": text("Work and living conditions"),
    "questions": [
        yes_no("d4_long_days", "Does the person work very long days with little or no rest?",
               ind("D4", "excessive_hours")),
        yes_no("d4_no_days_off", "Does the person go weeks without a day off?", ind("D4", "excessive_hours"),
               relevant="${d4_long_days} = 'yes' or ${hours} > 48"),
        yes_no("d4_living", "Are the living conditions degrading or unsafe?", ind("D4", "bad_living"),
               relevant="${accommodation} = 'employer' or ${accommodation} = 'recruiter'", mode="observed"),
        yes_no("d4_hazardous", "Is the work dangerous and without protection?", ind("D4", "hazardous")),
        yes_no("d4_low_pay", "Is the person paid far below the minimum wage, or not at all?", ind("D4", "low_pay")),
        yes_no("d4_no_protection", "Is there no contract and no insurance?", ind("D4", "no_protection")),
        {"id": "pay_method", "kind": "single_choice", "mode": "asked",
         "label": text("How is the person paid?"),
         "choices": choices(["bank", "cash", "to_third_party", "not_paid"]),
         "indicators": [
             {"indicator": ind("D4", "wage_manipulation"),
              "when": "${pay_method} = 'to_third_party' or ${pay_method} = 'not_paid'"},
             {"indicator": ind("D4", "no_protection"), "when": "${pay_method} = 'cash'"}]},
        yes_no("d4_wage_manipulation", "Are wages withheld, delayed or cut by fines?", ind("D4", "wage_manipulation")),
        yes_no("d4_no_law", "Are breaks, leave or safety rules ignored?", ind("D4", "no_law")),
        yes_no("d4_degrading", "Is the person humiliated or treated as less than human?", ind("D4", "degrading")),
        yes_no("d4_domestic_privacy", "Does the person have no room or privacy in the household?",
               ind("D4", "domestic_no_privacy"), relevant="selected(${sector}, 'domestic_work')"),
        yes_no("d4_agri_pesticides", "Does the person handle pesticides without protection?",
               ind("D4", "agri_exposure"), relevant="selected(${sector}, 'agriculture')"),
        yes_no("d4_sex_no_refusal", "Can the person not refuse clients or practices?",
               ind("D4", "sex_no_refusal"), relevant="selected(${sector}, 'sex_industry')"),
        yes_no("d4_begging", "Must the person hand over what they get by begging?",
               ind("D4", "begging"), relevant="selected(${sector}, 'begging')"),
        yes_no("d4_injured", "Has the person been injured at work?", relevant="${d4_hazardous} = 'yes'"),
    ],
}

d5 = {
    "id": "control",
    "label": text("Control at the place of work"),
    "questions": [
        yes_no("d5_documents", "Does someone else keep the person's identity documents?",
               ind("D5", "confiscation_documents")),
        yes_no("d5_debt", "Is the person kept at work by a debt?", ind("D5", "debt_bondage")),
        yes_no("d5_debt_growing", "Does that debt keep growing?", ind("D5", "debt_bondage"),
               relevant="${d5_debt} = 'yes'"),
        {"id": "control_methods", "kind": "multi_choice", "mode": "observed",
         "label": text("Which signs of control did you notice?"),
         "choices": choices(["threats", "violence", "surveillance", "isolation", "locked_in", "none_seen"]),
         "indicators": [
             {"indicator": ind("D5", "violence"), "when": "selected(${control_methods}, 'violence')"},
             {"indicator": ind("D5", "surveillance"), "when": "selected(${control_methods}, 'surveillance')"},
             {"indicator": ind("D5", "isolation"), "when": "selected(${control_methods}, 'isolation')"},
             {"indicator": ind("D5", "confinement"), "when": "selected(${control_methods}, 'locked_in')"}]},
        yes_no("d5_isolation", "Is the person kept from contact with others?", ind("D5", "isolation")),
        yes_no("d5_confinement", "Is the person locked in or not free to leave?", ind("D5", "confinement")),
        yes_no("d5_surveillance", "Is the person watched all the time?", ind("D5", "surveillance"),
               relevant="not selected(${control_methods}, 'surveillance')"),
        yes_no("d5_violence", "Has the person been hit or hurt?", ind("D5", "violence"),
               relevant="not selected(${control_methods}, 'violence')"),
        yes_no("d5_threats", "Has the person been threatened with violence?", ind("D5", "threats_violence")),
        yes_no("d5_denunciation", "Has the person been threatened with the police or deportation?",
               ind("D5", "denunciation"), relevant="${abroad} = 'yes' and ${age} >= 18"),
        yes_no("d5_forced_tasks", "Is the person made to do tasks they did not agree to?", ind("D5", "forced_tasks")),
        yes_no("d5_illegal", "Is the person made to commit crimes?", ind("D5", "illegal_activities")),
        yes_no("d5_threats_family", "Has the person's family been threatened?", ind("D5", "threats_family")),
        yes_no("d5_wages_held", "Are wages held back so that the person does not leave?",
               ind("D5", "withholding_wages")),
        yes_no("d5_escape_tried", "Has the person tried to leave?",
               relevant="${d5_confinement} = 'yes' or selected(${control_methods}, 'locked_in')"),
    ],
}

d6 = {
    "id": "dependency",
    "label": text("Dependency at the place of work"),
    "relevant": "${abroad} = 'yes' or ${accommodation} = 'employer' or ${age_group} != 'adult'",
    "questions": [
        yes_no("d6_dependency", "Does the person depend on the employer for housing, food or work?",
               ind("D6", "dependency")),
        yes_no("d6_communication", "Is the person unable to talk with anyone outside work?",
               ind("D6", "communication"), relevant="${interpreter} = 'yes'"),
        yes_no("d6_irregular", "Is the person's status used to keep them at work?", ind("D6", "irregular"),
               relevant="${abroad} = 'yes'"),
        yes_no("d6_law_knowledge", "Does the person not know their rights here?", ind("D6", "law_knowledge")),
        yes_no("d6_shame", "Is the person afraid of shame if they go home?", ind("D6", "shame")),
        yes_no("d6_no_friends", "Does the person have no friends or network here?", ind("D6", "no_friends")),
        yes_no("d6_drugs", "Does the person depend on drugs or alcohol?", ind("D6", "drugs"), mode="observed"),
        yes_no("d6_family", "Does the family at home depend on the person's earnings?", ind("D6", "family")),
        yes_no("d6_authority", "Does the employer have authority over the person beyond work?",
               ind("D6", "authority")),
        yes_no("d6_economic", "Does the person see no other way to earn a living?", ind("D6", "economic")),
        yes_no("d6_sends_money", "Does the person send money home?", relevant="${d6_economic} = 'yes'"),
        yes_no("d6_ill", "Is the person pregnant, ill or injured?", ind("D6", "dependency"), mode="observed"),
        yes_no("d6_child_alone", "Is the child here without a parent or guardian?", ind("D6", "family"),
               relevant=CHILD),
        yes_no("d6_wants_help", "Does the person want help?"),
    ],
}

SECTIONS = [about, d1, d2, d3, d4, d5, d6]

DELPHI_ALTERNATIVES = [
    [{"at_least": 2, "of": ["strong"]}],
    [{"at_least": 1, "of": ["strong"]}, {"at_least": 1, "of": ["medium", "weak"]}],
    [{"at_least": 3, "of": ["medium"]}],
    [{"at_least": 2, "of": ["medium"]}, {"at_least": 1, "of": ["weak"]}],
]

RULE = {
    "kind": "delphi",
    "reviewed": False,
    "dimension_met": DELPHI_ALTERNATIVES,
    "variants": [
        {"id": "child", "label": text("Possible child: exploitative conditions, and any other dimension"),
         "when": CHILD,
         "requires": {"all": ["D4", {"any": ["D1", "D2", "D3", "D5", "D6"]}]}},
        {"id": "adult", "label": text("Adult: recruitment, exploitative conditions and coercion"),
         "requires": {"all": [{"any": ["D1", "D2", "D3"]}, "D4", {"any": ["D5", "D6"]}]}},
    ],
}


def referral(name, phone=None, url=None):
    r = {"name": text(name)}
    if phone:
        r["phone"] = phone
    if url:
        r["url"] = url
    return r


REFERRALS = {
    "SK": [referral("National referral mechanism (example)", phone="+421 000 000 000"),
           referral("Anti-trafficking helpline (example)", url="https://example.invalid/sk")],
    "*": [referral("National anti-trafficking hotline (example)", url="https://example.invalid/")],
}

OUTCOMES = [
    {"id": "refer", "level": 3, "when": {"rule_met": True},
     "label": text("Indicators of possible trafficking: refer"),
     "actions": [text("Refer the situation to the national referral mechanism or a specialised organisation."),
                 text("Do not confront anyone you suspect; keep the person safe.")],
     "referrals": REFERRALS},
    {"id": "consult", "level": 2, "when": {"min_dimensions_met": 2},
     "label": text("Several indicators: consult a specialist"),
     "actions": [text("Consult a specialised organisation about the situation.")],
     "referrals": REFERRALS},
    {"id": "monitor", "level": 1, "when": {"min_indicators": 1},
     "label": text("Some indicators: stay attentive"),
     "actions": [text("Note what you saw and offer contact details of support services.")]},
    {"id": "none", "level": 0,
     "label": text("No indicators recorded"),
     "actions": [text("Nothing to act on from this checklist.")]},
]

CHECKLIST = {
    "format": "indicia-checklist/1",
    "id": "bench-100",
    "version": "1.0.0",
    "default_language": "en",
    "languages": ["en", "sk"],
    "title": text("Benchmark fixture: 100 questions"),
    "description": text("Synthetic checklist for performance measurement (bench/make-fixture.py). Not for use."),
    "population": "any",
    "source": {"title": "Indicia benchmark fixture", "publisher": "Indicia project",
               "licence_note": "Generated test data."},
    "review": {"status": "unreviewed", "note": "Synthetic benchmark data.", "unchecked_translations": ["sk"]},
    "dimensions": [{"id": d, "label": text(label)} for d, label in DIMENSIONS],
    "indicators": [
        {"id": ind(d, name), "dimension": d, "strength": strength, "label": text(label),
         "help": text(f"{label}. Generated help text for the benchmark fixture, about as long as a real one.")}
        for d, name, strength, label in INDICATORS
    ],
    "sections": SECTIONS,
    "rule": RULE,
    "outcomes": OUTCOMES,
}

# 61 answers. With `recruited` = "yes" (adult): D1, D2, D4 and D5 are met -> rule met -> "refer".
# With "no" (and abroad = "no") the recruitment sections hide: only D4 and D5 -> "consult".
ANSWERS = {
    "age_group": "adult", "age": 27, "sector": ["agriculture", "domestic_work"],
    "documents": ["passport"], "who_holds_documents": "employer", "abroad": "no",
    "recruited": "yes", "interpreter": "yes", "accommodation": "employer", "hours": 66,
    "group_size": 8,
    "d1_job_nature": "yes", "d1_conditions": "no", "d1_wages": "yes", "d1_wages_half": "yes",
    "d1_location": "no", "d1_housing": "yes", "d1_family_contact": "no", "d1_recruiter_fee": "yes",
    "d2_violence": "no", "d2_abduction": "no", "d2_confinement": "no", "d2_debt": "yes",
    "d2_debt_growing": "yes", "d2_threats_family": "yes", "d2_isolation": "no", "d2_documents": "yes",
    "d2_forced_travel": "yes", "d2_drugs": "no",
    "d3_economic": "yes", "d3_family": "no", "d3_language": "yes", "d3_relationship": "no",
    "d3_past": "no", "d3_authority": "no",
    "d4_living": "yes", "d4_hazardous": "no", "d4_low_pay": "yes", "d4_no_protection": "no",
    "pay_method": "cash", "d4_wage_manipulation": "no", "d4_no_law": "no", "d4_degrading": "no",
    "d4_domestic_privacy": "yes", "d4_agri_pesticides": "no",
    "d5_documents": "no", "d5_debt": "no", "control_methods": ["threats"], "d5_isolation": "no",
    "d5_confinement": "no", "d5_surveillance": "no", "d5_violence": "no", "d5_threats": "no",
    "d5_forced_tasks": "yes", "d5_wages_held": "yes",
    "d6_dependency": "yes", "d6_communication": "no", "d6_law_knowledge": "yes", "d6_no_friends": "yes",
    "d6_economic": "yes", "d6_sends_money": "yes",
}


def check():
    questions = [q for s in SECTIONS for q in s["questions"]]
    ids = [q["id"] for q in questions]
    assert len(questions) == 100, len(questions)
    assert len(set(ids)) == len(ids), "duplicate question id"
    assert len(INDICATORS) == 67, len(INDICATORS)
    assert len({ind(d, n) for d, n, _, _ in INDICATORS}) == 67, "duplicate indicator id"
    mapped = {m["indicator"] for q in questions for m in q.get("indicators", [])}
    assert mapped == {ind(d, n) for d, n, _, _ in INDICATORS}, "indicator without a question"
    relevant = sum(1 for q in questions if "relevant" in q)
    assert 28 <= relevant <= 36, relevant
    assert set(ANSWERS) <= set(ids), set(ANSWERS) - set(ids)
    assert 55 <= len(ANSWERS) <= 65, len(ANSWERS)


def write(path, value):
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    check()
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "bench-100.json", CHECKLIST)
    write(OUT / "bench-100.answers.json", ANSWERS)
