//! Properties of the engine over the built-in checklists and random answers: every built-in
//! loads and every question in it can be shown; assessment is deterministic; hidden questions
//! never contribute.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use indicia_core::checklist::{
    assess, builtin, Answer, Checklist, Date, QuestionKind, Session, Visibility, YesNo,
};
use proptest::prelude::*;

/// A small deterministic generator, so a failing seed reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A random, valid answer (or none) for every question of `checklist`.
fn random_answers(checklist: &Checklist, seed: u64) -> Vec<Option<Answer>> {
    let mut rng = Rng(seed | 1);
    // Vary how much is answered, so sparse cases (few or no indicators) occur as often as dense.
    let density = rng.below(101);
    checklist
        .questions()
        .iter()
        .map(|q| {
            if rng.below(100) >= density {
                return None;
            }
            Some(match q.kind {
                QuestionKind::YesNo => Answer::YesNo(YesNo::ALL[rng.below(4)]),
                QuestionKind::SingleChoice => {
                    Answer::Choice(q.choices[rng.below(q.choices.len())].id.clone())
                }
                QuestionKind::MultiChoice => {
                    let picked: Vec<String> = q
                        .choices
                        .iter()
                        .filter(|_| rng.below(2) == 0)
                        .map(|c| c.id.clone())
                        .collect();
                    // An empty selection is not an answer (the session refuses it).
                    if picked.is_empty() {
                        return None;
                    }
                    Answer::Choices(picked)
                }
                QuestionKind::Number => {
                    let (lo, hi) = (q.min.unwrap_or(0.0), q.max.unwrap_or(120.0));
                    Answer::Number(lo + (hi - lo) * (rng.below(1001) as f64 / 1000.0))
                }
                QuestionKind::Date => Answer::Date(
                    Date::new(
                        2000 + rng.below(30) as u16,
                        1 + rng.below(12) as u8,
                        1 + rng.below(28) as u8,
                    )
                    .unwrap(),
                ),
                QuestionKind::Text => Answer::Text("note".into()),
                QuestionKind::Attachment => Answer::Attachment("att-1".into()),
            })
        })
        .collect()
}

fn builtins() -> Vec<Arc<Checklist>> {
    builtin::ids()
        .map(|id| Arc::new(builtin::load(id).unwrap()))
        .collect()
}

#[test]
fn every_builtin_checklist_loads_and_names_itself_by_hash() {
    let ids: Vec<&str> = builtin::ids().collect();
    assert!(ids.contains(&"first-contact") && ids.contains(&"ilo-ec-delphi-adult-labour"));
    for c in builtins() {
        assert!(c.reference().hash.starts_with("sha256:") && c.reference().hash.len() == 71);
        for lang in c.languages() {
            let chain = c.language_chain(lang);
            assert_eq!(&chain[0], lang);
            for q in c.questions() {
                assert!(
                    !q.label.get(&chain).is_empty(),
                    "{} {lang} {}",
                    c.reference().id,
                    q.id
                );
            }
        }
    }
}

#[test]
fn every_question_of_every_builtin_is_reachable() {
    for c in builtins() {
        let mut ever_visible = vec![false; c.questions().len()];
        for seed in 0..3000u64 {
            let answers =
                random_answers(&c, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDEAD_BEEF);
            let v = Visibility::compute(&c, &answers);
            for (seen, visible) in ever_visible.iter_mut().zip(&v.questions) {
                *seen |= *visible;
            }
            if ever_visible.iter().all(|&b| b) {
                break;
            }
        }
        let unreachable: Vec<&str> = c
            .questions()
            .iter()
            .zip(&ever_visible)
            .filter(|(_, &seen)| !seen)
            .map(|(q, _)| q.id.as_str())
            .collect();
        assert!(
            unreachable.is_empty(),
            "{}: never shown: {unreachable:?}",
            c.reference().id
        );
    }
}

#[test]
fn every_outcome_of_every_builtin_is_reachable() {
    for c in builtins() {
        let chain = c.language_chain("en");
        let mut seen: Vec<String> = Vec::new();
        for seed in 0..3000u64 {
            let answers = random_answers(&c, seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 7);
            let a = assess(&c, &answers, &chain, None);
            if !seen.contains(&a.outcome.id) {
                seen.push(a.outcome.id);
            }
        }
        for o in c.outcomes() {
            assert!(
                seen.contains(&o.id),
                "{}: outcome {} never reached",
                c.reference().id,
                o.id
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn assessment_is_deterministic(seed in any::<u64>(), which in 0usize..4) {
        let checklists = builtins();
        let c = &checklists[which % checklists.len()];
        let answers = random_answers(c, seed);
        let chain = c.language_chain("sk");
        let first = assess(c, &answers, &chain, Some("SK"));
        prop_assert_eq!(&first, &assess(c, &answers, &chain, Some("SK")));

        // The same answers given one by one, in reverse order, through a session.
        let mut session = Session::new(c.clone(), "sk");
        session.set_country(Some("SK"));
        for (q, a) in c.questions().iter().zip(&answers).rev() {
            if let Some(a) = a {
                session.answer(&q.id, a.clone()).unwrap();
            }
        }
        prop_assert_eq!(&first, &session.assessment());

        // And restored from the saved JSON form.
        let mut restored = Session::new(c.clone(), "sk");
        restored.set_country(Some("SK"));
        restored.restore_answers(&session.answers_json()).unwrap();
        prop_assert_eq!(&first, &restored.assessment());
    }

    #[test]
    fn hidden_questions_never_contribute(seed in any::<u64>(), other in any::<u64>(), which in 0usize..4) {
        let checklists = builtins();
        let c = &checklists[which % checklists.len()];
        let chain = c.language_chain("en");
        let answers = random_answers(c, seed);
        let visibility = Visibility::compute(c, &answers);
        let baseline = assess(c, &answers, &chain, None);

        // Dropping every hidden answer changes nothing…
        let visible_only: Vec<Option<Answer>> = answers
            .iter()
            .zip(&visibility.questions)
            .map(|(a, &v)| if v { a.clone() } else { None })
            .collect();
        prop_assert_eq!(&baseline, &assess(c, &visible_only, &chain, None));

        // …and neither does giving the hidden questions any other answers.
        let noise = random_answers(c, other);
        let mixed: Vec<Option<Answer>> = answers
            .iter()
            .zip(noise)
            .zip(&visibility.questions)
            .map(|((a, n), &v)| if v { a.clone() } else { n })
            .collect();
        prop_assert_eq!(&Visibility::compute(c, &mixed), &visibility);
        prop_assert_eq!(&baseline, &assess(c, &mixed, &chain, None));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Hostile or broken definitions: random edits of a valid one load or fail cleanly, never
    /// panic (a panic would fail the test) and never hang.
    #[test]
    fn mutated_definitions_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/checklist-v1/valid/minimal.json");
        let mut bytes = std::fs::read(path).unwrap();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len().max(1));
            match op {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i.min(bytes.len()), byte),
                _ => bytes.truncate(i),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(c) = Checklist::from_json(&text) {
            let c = Arc::new(c);
            let answers = random_answers(&c, bytes.len() as u64);
            let _ = assess(&c, &answers, &c.language_chain("en"), None);
        }
    }

    /// Random JSON-looking text in the places an author writes expressions.
    #[test]
    fn arbitrary_expressions_in_a_definition_never_panic(expr in "[ -~]{0,200}") {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/checklist-v1/valid/minimal.json");
        let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        json["sections"][1]["relevant"] = expr.clone().into();
        let _ = Checklist::from_json(&json.to_string());
    }
}
