//! The compiled form of a loaded checklist (docs/formats/compiled-checklist.md): the validated
//! model (indices resolved, expressions compiled, the reference and provenance decided) in a
//! compact binary encoding, so that a page can run a checklist with a small decoder instead of
//! the JSON loader, the validator and the expression compiler (the browser's checklist-only
//! module carries only this decoder). It is produced by the code that loaded and checked the
//! definition (the web build for the built-ins, the store's worker for any other), never written
//! by hand, and is not a format to exchange: a report names its checklist by the definition's
//! content hash, as ever.
//!
//! Reading never panics and never trusts a count or an index: every length is bounded by the
//! bytes left, every index by what it points into, nesting by a depth limit, and anything else
//! is an [`InvalidChecklist`](crate::ErrorKind::InvalidChecklist) error naming what was wrong.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{builtin, Checklist};
//!
//! let checklist = builtin::load("first-contact")?;
//! let bytes = checklist.compiled();
//! let again = Checklist::from_compiled(&bytes)?;
//! assert_eq!(again.reference(), checklist.reference());
//! assert_eq!(again.provenance(), checklist.provenance());
//! // Anything cut short is an error, not a crash.
//! assert!(Checklist::from_compiled(&bytes[..bytes.len() - 1]).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use super::definition::{Mode, Population, QuestionKind, Review, ReviewStatus, Source, Strength};
use super::expr::Expr;
use super::model::{
    Checklist, ChecklistRef, Choice, Combination, Dimension, Indicator, Mapping, Outcome,
    OutcomeWhen, Provenance, Question, Referral, Rule, Section, Term, Text, Trigger, Variant,
};
use super::signed::ChecklistPublisher;

/// The first bytes of every compiled checklist: `ICC` and the form's version.
const MAGIC: &[u8; 4] = b"ICC\x01";
/// Deepest nesting of a combination of dimensions or of an expression's nodes that is read.
pub(crate) const MAX_DEPTH: u32 = 64;

/// Writes the compiled form.
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u32(&mut self, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    /// A length or an index. Every list of a loaded checklist is bounded far below `u32::MAX`.
    pub(crate) fn len(&mut self, v: usize) {
        self.u32(u32::try_from(v).unwrap_or(u32::MAX));
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    pub(crate) fn bool(&mut self, v: bool) {
        self.0.push(u8::from(v));
    }

    pub(crate) fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn str(&mut self, v: &str) {
        self.len(v.len());
        self.0.extend_from_slice(v.as_bytes());
    }

    fn opt<T>(&mut self, v: Option<T>, each: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                each(self, v);
            }
        }
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.len(items.len());
        for item in items {
            each(self, item);
        }
    }

    fn strs(&mut self, items: &[String]) {
        self.list(items, |w, s| w.str(s));
    }

    fn text(&mut self, text: &Text) {
        self.len(text.0.len());
        for (language, value) in &text.0 {
            self.str(language);
            self.str(value);
        }
    }

    fn opt_text(&mut self, text: Option<&Text>) {
        self.opt(text, Self::text);
    }

    fn opt_str(&mut self, v: Option<&String>) {
        self.opt(v, |w, s| w.str(s));
    }
}

/// Why a compiled form was refused (the message of its `InvalidChecklist` error).
pub(crate) type Refused = &'static str;

/// A compiled form that no compiled checklist has: cut short, bytes left over, or a count,
/// index, value or nesting out of range. Its kind is `InvalidChecklist`. A type of its own rather
/// than a [`LoadErrors`](super::LoadErrors): the page's module, which reads only compiled
/// checklists, then carries none of the loader's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid compiled checklist: {0}")]
pub struct CompiledError(pub &'static str);

impl CompiledError {
    /// Always `InvalidChecklist`.
    pub fn kind(&self) -> crate::ErrorKind {
        crate::ErrorKind::InvalidChecklist
    }
}

/// Reads the compiled form, checking everything it reads.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Refused> {
        if n > self.bytes.len() {
            return Err("it ends too early");
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Refused> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Refused> {
        let mut value: u32 = 0;
        for shift in [0, 7, 14, 21, 28] {
            let byte = self.u8()?;
            let bits = u32::from(byte & 0x7f);
            if shift == 28 && bits > 0x0f {
                return Err("a number is out of range");
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number is out of range")
    }

    /// A count of items that each take at least one byte: never more than the bytes left.
    pub(crate) fn count(&mut self) -> Result<usize, Refused> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() {
            return Err("a list is longer than the bytes left");
        }
        Ok(n)
    }

    /// An index below `bound`.
    pub(crate) fn index(&mut self, bound: usize) -> Result<usize, Refused> {
        let i = self.u32()? as usize;
        if i >= bound {
            return Err("an index points past its list");
        }
        Ok(i)
    }

    pub(crate) fn bool(&mut self) -> Result<bool, Refused> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("a flag is neither 0 nor 1"),
        }
    }

    pub(crate) fn f64(&mut self) -> Result<f64, Refused> {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(self.take(8)?);
        Ok(f64::from_le_bytes(raw))
    }

    pub(crate) fn str(&mut self) -> Result<String, Refused> {
        let n = self.u32()? as usize;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| "a text is not UTF-8")
    }

    fn opt<T>(
        &mut self,
        each: impl FnOnce(&mut Self) -> Result<T, Refused>,
    ) -> Result<Option<T>, Refused> {
        match self.u8()? {
            0 => Ok(None),
            1 => each(self).map(Some),
            _ => Err("an optional value is neither absent nor present"),
        }
    }

    pub(crate) fn list<T>(
        &mut self,
        mut each: impl FnMut(&mut Self) -> Result<T, Refused>,
    ) -> Result<Vec<T>, Refused> {
        let n = self.count()?;
        let mut items = Vec::new();
        for _ in 0..n {
            items.push(each(self)?);
        }
        Ok(items)
    }

    fn strs(&mut self) -> Result<Vec<String>, Refused> {
        self.list(Self::str)
    }

    fn text(&mut self) -> Result<Text, Refused> {
        let n = self.count()?;
        let mut map = BTreeMap::new();
        for _ in 0..n {
            let language = self.str()?;
            let value = self.str()?;
            if map.insert(language, value).is_some() {
                return Err("a text has a language twice");
            }
        }
        Ok(Text(map))
    }

    fn opt_text(&mut self) -> Result<Option<Text>, Refused> {
        self.opt(Self::text)
    }

    fn opt_str(&mut self) -> Result<Option<String>, Refused> {
        self.opt(Self::str)
    }

    fn tag<T: Copy>(&mut self, values: &[T]) -> Result<T, Refused> {
        values
            .get(usize::from(self.u8()?))
            .copied()
            .ok_or("an enumeration has an unknown value")
    }
}

const PROVENANCES: [Provenance; 4] = [
    Provenance::BuiltIn,
    Provenance::TrustedPublisher,
    Provenance::UntrustedPublisher,
    Provenance::Unsigned,
];
const POPULATIONS: [Population; 3] = [Population::Adult, Population::Child, Population::Any];
const STATUSES: [ReviewStatus; 3] = [
    ReviewStatus::Unreviewed,
    ReviewStatus::Draft,
    ReviewStatus::Reviewed,
];
const KINDS: [QuestionKind; 7] = [
    QuestionKind::YesNo,
    QuestionKind::SingleChoice,
    QuestionKind::MultiChoice,
    QuestionKind::Number,
    QuestionKind::Date,
    QuestionKind::Text,
    QuestionKind::Attachment,
];
const MODES: [Mode; 2] = [Mode::Asked, Mode::Observed];

/// The position of `value` in `values` (the enumerations' codes above).
fn code<T: PartialEq>(values: &[T], value: &T) -> u8 {
    values
        .iter()
        .position(|v| v == value)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

impl Checklist {
    /// This checklist in its compiled form (docs/formats/compiled-checklist.md), which
    /// [`Checklist::from_compiled`] reads back into the same checklist, with the same reference
    /// and provenance.
    pub fn compiled(&self) -> Vec<u8> {
        let mut w = Writer(MAGIC.to_vec());
        let r = &self.reference;
        w.str(&r.id);
        w.str(&r.version);
        w.str(&r.hash);
        w.opt(r.publisher.as_ref(), |w, p| {
            w.str(&p.name);
            w.str(&p.public_key);
            w.0.extend_from_slice(&p.signed_at.to_le_bytes());
            w.str(&p.signature);
        });
        w.opt_str(self.publisher_key_id.as_ref());
        w.u8(code(&PROVENANCES, &self.provenance));
        w.str(&self.default_language);
        w.strs(&self.languages);
        w.len(self.fallbacks.len());
        for (language, chain) in &self.fallbacks {
            w.str(language);
            w.strs(chain);
        }
        w.text(&self.title);
        w.opt_text(self.description.as_ref());
        w.u8(code(&POPULATIONS, &self.population));
        let s = &self.source;
        w.str(&s.title);
        w.opt_str(s.publisher.as_ref());
        w.opt(s.year, |w, y| w.u32(u32::from(y)));
        w.opt_str(s.reference.as_ref());
        w.opt_str(s.url.as_ref());
        w.str(&s.licence_note);
        w.u8(code(&STATUSES, &self.review.status));
        w.opt_str(self.review.note.as_ref());
        w.strs(&self.review.unchecked_translations);
        w.list(&self.dimensions, |w, d| {
            w.str(&d.id);
            w.text(&d.label);
            w.opt_text(d.help.as_ref());
        });
        w.list(&self.indicators, |w, i| {
            w.str(&i.id);
            w.len(i.dimension);
            w.u8(code(&Strength::ALL, &i.strength));
            w.text(&i.label);
            w.opt_text(i.help.as_ref());
        });
        w.list(&self.questions, |w, q| {
            w.str(&q.id);
            w.len(q.section);
            w.u8(code(&KINDS, &q.kind));
            w.u8(code(&MODES, &q.mode));
            w.text(&q.label);
            w.opt_text(q.hint.as_ref());
            w.opt_text(q.help.as_ref());
            w.bool(q.required);
            w.opt(q.relevant.as_ref(), |w, e| e.write(w));
            w.list(&q.choices, |w, c| {
                w.str(&c.id);
                w.text(&c.label);
            });
            w.opt(q.min, Writer::f64);
            w.opt(q.max, Writer::f64);
            w.list(&q.mappings, |w, m| {
                w.len(m.indicator);
                match &m.trigger {
                    Trigger::Yes => w.u8(0),
                    Trigger::When(e) => {
                        w.u8(1);
                        e.write(w);
                    }
                }
            });
        });
        w.list(&self.sections, |w, s| {
            w.str(&s.id);
            w.text(&s.label);
            w.opt(s.relevant.as_ref(), |w, e| e.write(w));
            w.len(s.questions.start);
            w.len(s.questions.end);
        });
        match &self.rule {
            Rule::Delphi {
                reviewed,
                dimension_met,
                variants,
            } => {
                w.u8(0);
                w.bool(*reviewed);
                w.list(dimension_met, |w, alternative| {
                    w.list(alternative, |w, t| {
                        w.u32(t.at_least);
                        w.list(&t.of, |w, s| w.u8(code(&Strength::ALL, s)));
                    });
                });
                w.list(variants, |w, v| {
                    w.str(&v.id);
                    w.text(&v.label);
                    w.opt(v.when.as_ref(), |w, e| e.write(w));
                    write_combination(w, &v.requires);
                });
            }
            Rule::Score {
                reviewed,
                weights,
                threshold,
            } => {
                w.u8(1);
                w.bool(*reviewed);
                for weight in weights {
                    w.u32(*weight);
                }
                w.u32(*threshold);
            }
        }
        w.list(&self.outcomes, |w, o| {
            w.str(&o.id);
            w.u8(o.level);
            w.opt(o.when.as_ref(), |w, when| match when {
                OutcomeWhen::RuleMet(met) => {
                    w.u8(0);
                    w.bool(*met);
                }
                OutcomeWhen::MinScore(n) => {
                    w.u8(1);
                    w.u32(*n);
                }
                OutcomeWhen::MinIndicators(n) => {
                    w.u8(2);
                    w.u32(*n);
                }
                OutcomeWhen::MinDimensionsMet(n) => {
                    w.u8(3);
                    w.u32(*n);
                }
                OutcomeWhen::Decisive(indicators) => {
                    w.u8(4);
                    w.list(indicators, |w, i| w.len(*i));
                }
            });
            w.text(&o.label);
            w.list(&o.actions, Writer::text);
            w.len(o.referrals.len());
            for (country, referrals) in &o.referrals {
                w.str(country);
                w.list(referrals, |w, r| {
                    w.text(&r.name);
                    w.opt_str(r.phone.as_ref());
                    w.opt_str(r.url.as_ref());
                    w.opt_text(r.note.as_ref());
                });
            }
        });
        w.0
    }

    /// Reads a checklist's compiled form ([`Checklist::compiled`]). Errors (`InvalidChecklist`):
    /// not a compiled checklist, cut short or with bytes left over, or any
    /// count, index, value or nesting that no compiled checklist has.
    pub fn from_compiled(bytes: &[u8]) -> Result<Checklist, CompiledError> {
        read(bytes).map_err(CompiledError)
    }
}

fn write_combination(w: &mut Writer, c: &Combination) {
    match c {
        Combination::Dimension(d) => {
            w.u8(0);
            w.len(*d);
        }
        Combination::All(items) => {
            w.u8(1);
            w.list(items, write_combination);
        }
        Combination::Any(items) => {
            w.u8(2);
            w.list(items, write_combination);
        }
    }
}

fn read_combination(r: &mut Reader, dimensions: usize, depth: u32) -> Result<Combination, Refused> {
    if depth > MAX_DEPTH {
        return Err("a combination nests too deep");
    }
    Ok(match r.u8()? {
        0 => Combination::Dimension(r.index(dimensions)?),
        1 => Combination::All(r.list(|r| read_combination(r, dimensions, depth + 1))?),
        2 => Combination::Any(r.list(|r| read_combination(r, dimensions, depth + 1))?),
        _ => return Err("a combination has an unknown kind"),
    })
}

fn read(bytes: &[u8]) -> Result<Checklist, Refused> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err("not a compiled checklist (ICC, version 1)");
    };
    let r = &mut Reader { bytes: rest };
    let reference = ChecklistRef {
        id: r.str()?,
        version: r.str()?,
        hash: r.str()?,
        publisher: r.opt(|r| {
            Ok(ChecklistPublisher {
                name: r.str()?,
                public_key: r.str()?,
                signed_at: {
                    let mut raw = [0u8; 8];
                    raw.copy_from_slice(r.take(8)?);
                    i64::from_le_bytes(raw)
                },
                signature: r.str()?,
            })
        })?,
    };
    let publisher_key_id = r.opt_str()?;
    if reference.publisher.is_some() != publisher_key_id.is_some() {
        return Err("a publisher comes without its key id, or a key id without a publisher");
    }
    let provenance = r.tag(&PROVENANCES)?;
    let default_language = r.str()?;
    let languages = r.strs()?;
    let mut fallbacks = BTreeMap::new();
    for _ in 0..r.count()? {
        let language = r.str()?;
        fallbacks.insert(language, r.strs()?);
    }
    let title = r.text()?;
    let description = r.opt_text()?;
    let population = r.tag(&POPULATIONS)?;
    let source = Source {
        title: r.str()?,
        publisher: r.opt_str()?,
        year: r.opt(|r| u16::try_from(r.u32()?).map_err(|_| "a year is out of range"))?,
        reference: r.opt_str()?,
        url: r.opt_str()?,
        licence_note: r.str()?,
    };
    let review = Review {
        status: r.tag(&STATUSES)?,
        note: r.opt_str()?,
        unchecked_translations: r.strs()?,
    };
    let dimensions = r.list(|r| {
        Ok(Dimension {
            id: r.str()?,
            label: r.text()?,
            help: r.opt_text()?,
        })
    })?;
    let indicators = r.list(|r| {
        Ok(Indicator {
            id: r.str()?,
            dimension: r.index(dimensions.len())?,
            strength: r.tag(&Strength::ALL)?,
            label: r.text()?,
            help: r.opt_text()?,
        })
    })?;
    // Questions before sections: a section's skip logic reads the questions before it.
    let count = r.count()?;
    let mut questions: Vec<Question> = Vec::new();
    for own in 0..count {
        questions.push(Question {
            id: r.str()?,
            section: r.u32()? as usize,
            kind: r.tag(&KINDS)?,
            mode: r.tag(&MODES)?,
            label: r.text()?,
            hint: r.opt_text()?,
            help: r.opt_text()?,
            required: r.bool()?,
            // Skip logic reads earlier questions only; a mapping may read its own question.
            relevant: r.opt(|r| Expr::read(r, own))?,
            choices: r.list(|r| {
                Ok(Choice {
                    id: r.str()?,
                    label: r.text()?,
                })
            })?,
            min: r.opt(Reader::f64)?,
            max: r.opt(Reader::f64)?,
            mappings: r.list(|r| {
                Ok(Mapping {
                    indicator: r.index(indicators.len())?,
                    trigger: match r.u8()? {
                        0 => Trigger::Yes,
                        1 => Trigger::When(Expr::read(r, own + 1)?),
                        _ => return Err("a mapping has an unknown trigger"),
                    },
                })
            })?,
        });
    }
    let sections = r.list(|r| {
        let id = r.str()?;
        let label = r.text()?;
        // Read before the range that bounds it; checked against it below.
        let relevant = r.opt(|r| Expr::read(r, count))?;
        let start = r.u32()? as usize;
        let end = r.u32()? as usize;
        if start > end || end > count {
            return Err("a section's questions are out of range");
        }
        if relevant
            .as_ref()
            .is_some_and(|e| e.references().iter().any(|&q| q >= start))
        {
            return Err("a section's skip logic reads a question that is not earlier");
        }
        Ok(Section {
            id,
            label,
            relevant,
            questions: start..end,
        })
    })?;
    // The sections split the questions in order, and each question names its own section.
    let mut next = 0;
    for (s, section) in sections.iter().enumerate() {
        if section.questions.start != next
            || questions[section.questions.clone()]
                .iter()
                .any(|q| q.section != s)
        {
            return Err("the sections do not split the questions in order");
        }
        next = section.questions.end;
    }
    if next != questions.len() {
        return Err("the sections do not split the questions in order");
    }
    let rule = match r.u8()? {
        0 => Rule::Delphi {
            reviewed: r.bool()?,
            dimension_met: r.list(|r| {
                r.list(|r| {
                    Ok(Term {
                        at_least: r.u32()?,
                        of: r.list(|r| r.tag(&Strength::ALL))?,
                    })
                })
            })?,
            variants: r.list(|r| {
                Ok(Variant {
                    id: r.str()?,
                    label: r.text()?,
                    when: r.opt(|r| Expr::read(r, questions.len()))?,
                    requires: read_combination(r, dimensions.len(), 0)?,
                })
            })?,
        },
        1 => Rule::Score {
            reviewed: r.bool()?,
            weights: [r.u32()?, r.u32()?, r.u32()?, r.u32()?],
            threshold: r.u32()?,
        },
        _ => return Err("the rule has an unknown kind"),
    };
    let outcomes = r.list(|r| {
        Ok(Outcome {
            id: r.str()?,
            level: r.u8()?,
            when: r.opt(|r| {
                Ok(match r.u8()? {
                    0 => OutcomeWhen::RuleMet(r.bool()?),
                    1 => OutcomeWhen::MinScore(r.u32()?),
                    2 => OutcomeWhen::MinIndicators(r.u32()?),
                    3 => OutcomeWhen::MinDimensionsMet(r.u32()?),
                    4 => OutcomeWhen::Decisive(r.list(|r| r.index(indicators.len()))?),
                    _ => return Err("an outcome has an unknown condition"),
                })
            })?,
            label: r.text()?,
            actions: r.list(Reader::text)?,
            referrals: {
                let mut referrals = BTreeMap::new();
                for _ in 0..r.count()? {
                    let country = r.str()?;
                    let list = r.list(|r| {
                        Ok(Referral {
                            name: r.text()?,
                            phone: r.opt_str()?,
                            url: r.opt_str()?,
                            note: r.opt_text()?,
                        })
                    })?;
                    referrals.insert(country, list);
                }
                referrals
            },
        })
    })?;
    if !r.bytes.is_empty() {
        return Err("bytes are left after the checklist");
    }
    let mut question_index = HashMap::new();
    for (i, q) in questions.iter().enumerate() {
        if question_index.insert(q.id.clone(), i).is_some() {
            return Err("two questions have the same id");
        }
    }
    Ok(Checklist {
        reference,
        provenance,
        default_language,
        languages,
        fallbacks,
        title,
        description,
        population,
        source,
        review,
        dimensions,
        indicators,
        sections,
        questions,
        rule,
        outcomes,
        question_index,
        publisher_key_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{builtin, Answer, Session, YesNo};
    use std::sync::Arc;

    /// Everything but the question index (a HashMap, whose Debug order varies), field by field.
    fn shown(c: &Checklist) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            c.reference,
            c.publisher_key_id,
            c.provenance,
            c.default_language,
            c.languages,
            c.fallbacks,
            c.title,
            c.description,
            c.population,
            c.source,
            c.review,
            c.dimensions,
            c.indicators,
            c.sections,
            c.questions,
            c.rule,
            c.outcomes,
        )
    }

    fn minimal() -> Checklist {
        Checklist::from_json(include_str!(
            "../../../tests/vectors/checklist-v1/valid/minimal.json"
        ))
        .expect("the minimal vector loads")
    }

    #[test]
    fn every_built_in_checklist_reads_back_as_the_same_checklist() {
        for id in builtin::ids() {
            let c = builtin::load(id).expect("built in");
            let bytes = c.compiled();
            let again = Checklist::from_compiled(&bytes).expect("reads back");
            assert_eq!(shown(&again), shown(&c), "{id}");
            assert_eq!(again.question_index, c.question_index, "{id}");
            assert_eq!(again.compiled(), bytes, "{id}");
        }
    }

    #[test]
    fn a_signed_checklist_keeps_its_publisher_key_id_and_provenance() {
        let trust = crate::checklist::ChecklistTrust::from_json(include_str!(
            "../../../tests/vectors/signed-checklist-v1/trust.json"
        ))
        .expect("trust list");
        let c = Checklist::load(
            include_str!("../../../tests/vectors/signed-checklist-v1/valid/minimal.json"),
            &trust,
        )
        .expect("a valid signed vector");
        let again = Checklist::from_compiled(&c.compiled()).expect("reads back");
        assert_eq!(shown(&again), shown(&c));
        assert_eq!(again.info("en"), c.info("en"));
        let info = again.info("en");
        assert_eq!(info.provenance, Provenance::TrustedPublisher);
        assert_eq!(
            info.publisher_key_id,
            c.publisher().map(ChecklistPublisher::key_id)
        );
        assert!(info.publisher_key_id.is_some());
    }

    #[test]
    fn a_session_on_the_compiled_form_assesses_as_on_the_definition() {
        let c = builtin::load("first-contact").expect("built in");
        let again = Checklist::from_compiled(&c.compiled()).expect("reads back");
        let mut a = Session::new(Arc::new(c), "sk");
        let mut b = Session::new(Arc::new(again), "sk");
        for s in [&mut a, &mut b] {
            for q in ["debt", "documents_held", "threats"] {
                s.answer(q, Answer::YesNo(YesNo::Yes)).expect("answers");
            }
        }
        assert_eq!(a.assessment(), b.assessment());
        assert_eq!(a.visible_questions(), b.visible_questions());
        assert_eq!(a.assessment().fired.len(), 3);
    }

    #[test]
    fn every_cut_is_an_error_and_so_are_bytes_left_over() {
        let bytes = minimal().compiled();
        for n in 0..bytes.len() {
            assert!(Checklist::from_compiled(&bytes[..n]).is_err(), "cut at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let e = Checklist::from_compiled(&longer).expect_err("a byte left over");
        assert_eq!(e, CompiledError("bytes are left after the checklist"));
        assert_eq!(
            e.to_string(),
            "not a valid compiled checklist: bytes are left after the checklist"
        );
        assert_eq!(e.kind(), crate::ErrorKind::InvalidChecklist);
    }

    #[test]
    fn a_json_definition_is_not_a_compiled_checklist() {
        let json = include_str!("../../../tests/vectors/checklist-v1/valid/minimal.json");
        let e = Checklist::from_compiled(json.as_bytes()).expect_err("JSON");
        assert_eq!(
            e,
            CompiledError("not a compiled checklist (ICC, version 1)")
        );
    }

    #[test]
    fn any_changed_byte_reads_or_fails_without_a_panic() {
        // One byte in 97 of first-contact's compiled form set to 0 and to 255: each either
        // reads (a text or a number changed) or is refused; none panics or loops.
        let bytes = builtin::load("first-contact").expect("built in").compiled();
        let mut refused = 0;
        for i in (MAGIC.len()..bytes.len()).step_by(97) {
            for value in [0x00, 0xff] {
                let mut changed = bytes.clone();
                changed[i] = value;
                if let Ok(c) = Checklist::from_compiled(&changed) {
                    // What reads must run: a session over it assesses without a panic.
                    let session = Session::new(Arc::new(c), "en");
                    let _ = session.assessment();
                    let _ = session.visible_questions();
                } else {
                    refused += 1;
                }
            }
        }
        assert!(refused > 0);
    }

    #[test]
    fn indices_past_their_lists_are_refused() {
        let c = minimal();
        let mut w = Writer(Vec::new());
        w.len(c.dimensions.len());
        let mut r = Reader { bytes: &w.0 };
        assert_eq!(
            r.index(c.dimensions.len()),
            Err("an index points past its list")
        );
        let mut r = Reader {
            bytes: &[0xff, 0xff, 0xff, 0xff, 0x7f],
        };
        assert_eq!(r.u32(), Err("a number is out of range"));
        let mut r = Reader { bytes: &[5, 1] };
        assert_eq!(r.count(), Err("a list is longer than the bytes left"));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let mut bytes = [1u8, 1].repeat(MAX_DEPTH as usize + 2);
        bytes.extend([0, 0]);
        let r = &mut Reader { bytes: &bytes };
        assert_eq!(
            read_combination(r, 1, 0),
            Err("a combination nests too deep")
        );
    }
}
