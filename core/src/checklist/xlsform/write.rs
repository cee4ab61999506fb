//! A checklist definition → an XLSForm workbook, laid out as docs/formats/xlsform.md says and
//! as [`super::read`] reads it back. Works on the definition as written (its raw shape), not
//! on the loaded model, because the content hash is over what was written: an expression's
//! text, a number's value, which optional keys are there.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde_json::Value;

use super::read::{YES_NO_CHOICES, YES_NO_LIST};
use super::{language_label, xpath, XlsFormError};
use crate::checklist::definition::{
    RawChecklist, RawDelphi, RawMapping, RawOutcome, RawScore, RawText,
};

fn failed(e: XlsxError) -> XlsFormError {
    XlsFormError::Export(e.to_string())
}

/// A sheet written row by row; the header is row 0.
struct Sheet<'w> {
    ws: &'w mut Worksheet,
    row: u32,
    columns: Vec<String>,
}

impl<'w> Sheet<'w> {
    fn new(
        ws: &'w mut Worksheet,
        columns: Vec<String>,
        bold: &Format,
    ) -> Result<Self, XlsFormError> {
        for (c, name) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, name, bold)
                .map_err(failed)?;
        }
        ws.set_freeze_panes(1, 0).map_err(failed)?;
        Ok(Sheet {
            ws,
            row: 0,
            columns,
        })
    }

    /// Starts a new row; `put` then fills it by column name.
    fn next(&mut self) {
        self.row += 1;
    }

    fn put(&mut self, column: &str, value: &str) -> Result<(), XlsFormError> {
        if value.is_empty() {
            return Ok(());
        }
        let c = self
            .columns
            .iter()
            .position(|n| n == column)
            .ok_or_else(|| XlsFormError::Export(format!("no column {column}")))?;
        // Always a string cell: never a number Excel could reformat, never a formula.
        self.ws
            .write_string(self.row, c as u16, value)
            .map_err(failed)?;
        Ok(())
    }

    fn text(&mut self, base: &str, text: Option<&RawText>) -> Result<(), XlsFormError> {
        for (lang, value) in text.into_iter().flatten() {
            self.put(&format!("{base}::{}", language_label(lang)), value)?;
        }
        Ok(())
    }
}

fn text_columns(base: &str, languages: &[String]) -> Vec<String> {
    languages
        .iter()
        .map(|l| format!("{base}::{}", language_label(l)))
        .collect()
}

fn expression(src: &str, what: &str) -> Result<String, XlsFormError> {
    xpath::indicia_to_xpath(src).map_err(|m| XlsFormError::Export(format!("{what} {m}")))
}

fn number(n: f64) -> String {
    // JSON numbers as a reader means them: `0`, `120`, `0.5` (never `0.0`).
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

pub(super) fn workbook(json: &str) -> Result<Vec<u8>, XlsFormError> {
    let doc: RawChecklist = serde_json::from_str(json)
        .map_err(|e| XlsFormError::Export(format!("the definition does not parse: {e}")))?;
    let langs = &doc.languages;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();

    survey(&mut book, &doc, &bold)?;
    choices(&mut book, &doc, &bold)?;
    settings(&mut book, &doc, &bold)?;

    let mut columns = vec!["name".to_owned()];
    columns.extend(text_columns("label", langs));
    columns.extend(text_columns("help", langs));
    let mut s = Sheet::new(
        book.add_worksheet()
            .set_name("dimensions")
            .map_err(failed)?,
        columns,
        &bold,
    )?;
    for d in &doc.dimensions {
        s.next();
        s.put("name", &d.id)?;
        s.text("label", Some(&d.label))?;
        s.text("help", d.help.as_ref())?;
    }

    let mut columns = vec![
        "name".to_owned(),
        "dimension".to_owned(),
        "strength".to_owned(),
    ];
    columns.extend(text_columns("label", langs));
    columns.extend(text_columns("help", langs));
    let mut s = Sheet::new(
        book.add_worksheet()
            .set_name("indicators")
            .map_err(failed)?,
        columns,
        &bold,
    )?;
    for i in &doc.indicators {
        s.next();
        s.put("name", &i.id)?;
        s.put("dimension", &i.dimension)?;
        s.put("strength", i.strength.as_str())?;
        s.text("label", Some(&i.label))?;
        s.text("help", i.help.as_ref())?;
    }

    rule(&mut book, &doc, &bold)?;
    outcomes(&mut book, &doc.outcomes, langs, &bold)?;
    book.save_to_buffer().map_err(failed)
}

/// The choice list name of each choice question: its own id, made unique against the yes/no
/// list and against each other.
fn list_names(doc: &RawChecklist) -> Vec<(String, String)> {
    let mut taken = vec![YES_NO_LIST.to_owned()];
    let mut out = Vec::new();
    for q in doc.sections.iter().flat_map(|s| &s.questions) {
        if q.choices.is_some() {
            let mut name = q.id.clone();
            while taken.contains(&name) {
                name.push('_');
            }
            taken.push(name.clone());
            out.push((q.id.clone(), name));
        }
    }
    out
}

fn survey(book: &mut Workbook, doc: &RawChecklist, bold: &Format) -> Result<(), XlsFormError> {
    let langs = &doc.languages;
    let mut columns = vec!["type".to_owned(), "name".to_owned()];
    columns.extend(text_columns("label", langs));
    columns.extend(text_columns("hint", langs));
    columns.extend(text_columns("guidance_hint", langs));
    for c in [
        "required",
        "relevant",
        "constraint",
        "indicia_mode",
        "indicia_indicators",
    ] {
        columns.push(c.to_owned());
    }
    let lists = list_names(doc);
    let mut s = Sheet::new(
        book.add_worksheet().set_name("survey").map_err(failed)?,
        columns,
        bold,
    )?;
    for section in &doc.sections {
        s.next();
        s.put("type", "begin_group")?;
        s.put("name", &section.id)?;
        s.text("label", Some(&section.label))?;
        if let Some(r) = &section.relevant {
            s.put(
                "relevant",
                &expression(r, &format!("section {}: relevant", section.id))?,
            )?;
        }
        for q in &section.questions {
            s.next();
            let list = lists
                .iter()
                .find(|(id, _)| *id == q.id)
                .map(|(_, l)| l.as_str());
            let kind = match (q.kind, list) {
                (crate::checklist::QuestionKind::YesNo, _) => format!("select_one {YES_NO_LIST}"),
                (crate::checklist::QuestionKind::SingleChoice, Some(l)) => {
                    format!("select_one {l}")
                }
                (crate::checklist::QuestionKind::MultiChoice, Some(l)) => {
                    format!("select_multiple {l}")
                }
                (crate::checklist::QuestionKind::Number, _) => "decimal".to_owned(),
                (crate::checklist::QuestionKind::Date, _) => "date".to_owned(),
                (crate::checklist::QuestionKind::Text, _) => "text".to_owned(),
                (crate::checklist::QuestionKind::Attachment, _) => "file".to_owned(),
                (kind, None) => {
                    return Err(XlsFormError::Export(format!(
                        "question {}: a {} question without choices",
                        q.id,
                        kind.as_str()
                    )))
                }
            };
            s.put("type", &kind)?;
            s.put("name", &q.id)?;
            s.text("label", Some(&q.label))?;
            s.text("hint", q.hint.as_ref())?;
            s.text("guidance_hint", q.help.as_ref())?;
            if q.required {
                s.put("required", "yes")?;
            }
            if let Some(r) = &q.relevant {
                s.put(
                    "relevant",
                    &expression(r, &format!("question {}: relevant", q.id))?,
                )?;
            }
            let constraint = match (q.min, q.max) {
                (Some(min), Some(max)) => format!(". >= {} and . <= {}", number(min), number(max)),
                (Some(min), None) => format!(". >= {}", number(min)),
                (None, Some(max)) => format!(". <= {}", number(max)),
                (None, None) => String::new(),
            };
            s.put("constraint", &constraint)?;
            s.put(
                "indicia_mode",
                match q.mode {
                    crate::checklist::Mode::Asked => "asked",
                    crate::checklist::Mode::Observed => "observed",
                },
            )?;
            s.put("indicia_indicators", &mappings(&q.id, &q.indicators)?)?;
        }
        s.next();
        s.put("type", "end_group")?;
    }
    Ok(())
}

/// One line per mapping: `ID` or `ID when CONDITION`.
fn mappings(question: &str, list: &[RawMapping]) -> Result<String, XlsFormError> {
    let mut lines = Vec::new();
    for m in list {
        match &m.when {
            None => lines.push(m.indicator.clone()),
            Some(w) => {
                let cond = expression(
                    w,
                    &format!("question {question}: the condition of {}", m.indicator),
                )?;
                if cond.contains('\n') {
                    return Err(XlsFormError::Export(format!(
                        "question {question}: the condition of {} has a line break",
                        m.indicator
                    )));
                }
                lines.push(format!("{} when {cond}", m.indicator));
            }
        }
    }
    Ok(lines.join("\n"))
}

fn choices(book: &mut Workbook, doc: &RawChecklist, bold: &Format) -> Result<(), XlsFormError> {
    let mut columns = vec!["list_name".to_owned(), "name".to_owned()];
    columns.extend(text_columns("label", &doc.languages));
    let lists = list_names(doc);
    let mut s = Sheet::new(
        book.add_worksheet().set_name("choices").map_err(failed)?,
        columns,
        bold,
    )?;
    let questions: Vec<_> = doc.sections.iter().flat_map(|s| &s.questions).collect();
    if questions
        .iter()
        .any(|q| q.kind == crate::checklist::QuestionKind::YesNo)
    {
        // The answers of a yes/no question; their labels are only for people reading the
        // sheet (the app words them itself).
        for (name, label) in
            YES_NO_CHOICES
                .iter()
                .zip(["Yes", "No", "Unknown", "Declined to answer"])
        {
            s.next();
            s.put("list_name", YES_NO_LIST)?;
            s.put("name", name)?;
            s.put(
                &format!("label::{}", language_label(&doc.default_language)),
                label,
            )?;
        }
    }
    for q in questions {
        let Some(list) = lists.iter().find(|(id, _)| *id == q.id).map(|(_, l)| l) else {
            continue;
        };
        for choice in q.choices.iter().flatten() {
            s.next();
            s.put("list_name", list)?;
            s.put("name", &choice.id)?;
            s.text("label", Some(&choice.label))?;
        }
    }
    Ok(())
}

fn settings(book: &mut Workbook, doc: &RawChecklist, bold: &Format) -> Result<(), XlsFormError> {
    let langs = &doc.languages;
    let mut columns = vec![
        "form_id".to_owned(),
        "version".to_owned(),
        "default_language".to_owned(),
        "indicia_format".to_owned(),
        "languages".to_owned(),
        "fallbacks".to_owned(),
        "population".to_owned(),
    ];
    columns.extend(text_columns("form_title", langs));
    columns.extend(text_columns("description", langs));
    for c in [
        "source_title",
        "source_publisher",
        "source_year",
        "source_reference",
        "source_url",
        "source_licence_note",
        "review_status",
        "review_note",
        "review_unchecked_translations",
    ] {
        columns.push(c.to_owned());
    }
    let mut s = Sheet::new(
        book.add_worksheet().set_name("settings").map_err(failed)?,
        columns,
        bold,
    )?;
    s.next();
    s.put("form_id", &doc.id)?;
    s.put("version", &doc.version)?;
    s.put("default_language", &language_label(&doc.default_language))?;
    s.put("indicia_format", &doc.format)?;
    s.put("languages", &doc.languages.join(" "))?;
    let fallbacks: Vec<String> = doc
        .fallbacks
        .iter()
        .map(|(l, targets)| format!("{l}: {}", targets.join(" ")))
        .collect();
    s.put("fallbacks", &fallbacks.join("; "))?;
    s.put("population", &serde_name(&doc.population)?)?;
    s.text("form_title", Some(&doc.title))?;
    s.text("description", doc.description.as_ref())?;
    let src = &doc.source;
    s.put("source_title", &src.title)?;
    s.put(
        "source_publisher",
        src.publisher.as_deref().unwrap_or_default(),
    )?;
    s.put(
        "source_year",
        &src.year.map(|y| y.to_string()).unwrap_or_default(),
    )?;
    s.put(
        "source_reference",
        src.reference.as_deref().unwrap_or_default(),
    )?;
    s.put("source_url", src.url.as_deref().unwrap_or_default())?;
    s.put("source_licence_note", &src.licence_note)?;
    s.put("review_status", &serde_name(&doc.review.status)?)?;
    s.put(
        "review_note",
        doc.review.note.as_deref().unwrap_or_default(),
    )?;
    s.put(
        "review_unchecked_translations",
        &doc.review.unchecked_translations.join(" "),
    )?;
    Ok(())
}

/// The JSON spelling of a unit enum (`any`, `unreviewed`).
fn serde_name<T: serde::Serialize>(value: &T) -> Result<String, XlsFormError> {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => Ok(s),
        _ => Err(XlsFormError::Export("an enum without a name".into())),
    }
}

fn rule(book: &mut Workbook, doc: &RawChecklist, bold: &Format) -> Result<(), XlsFormError> {
    let mut columns: Vec<String> = [
        "type",
        "name",
        "reviewed",
        "terms",
        "weights",
        "threshold",
        "when",
        "requires",
    ]
    .map(str::to_owned)
    .to_vec();
    columns.extend(text_columns("label", &doc.languages));
    let mut s = Sheet::new(
        book.add_worksheet().set_name("rule").map_err(failed)?,
        columns,
        bold,
    )?;
    let kind = doc
        .rule
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let shape = |e: serde_json::Error| XlsFormError::Export(format!("rule: {e}"));
    match kind {
        "delphi" => {
            let d: RawDelphi = serde_json::from_value(doc.rule.clone()).map_err(shape)?;
            s.next();
            s.put("type", "delphi")?;
            s.put("reviewed", yes_no(d.reviewed))?;
            for alternative in &d.dimension_met {
                s.next();
                s.put("type", "dimension_met")?;
                let terms: Vec<String> = alternative
                    .iter()
                    .map(|t| {
                        let of: Vec<&str> = t.of.iter().map(|s| s.as_str()).collect();
                        format!("{} of {}", t.at_least, of.join(" "))
                    })
                    .collect();
                s.put("terms", &terms.join("; "))?;
            }
            for v in &d.variants {
                s.next();
                s.put("type", "variant")?;
                s.put("name", &v.id)?;
                s.text("label", Some(&v.label))?;
                if let Some(w) = &v.when {
                    s.put("when", &expression(w, &format!("variant {}: when", v.id))?)?;
                }
                s.put("requires", &combination(&v.requires)?)?;
            }
        }
        "score" => {
            let r: RawScore = serde_json::from_value(doc.rule.clone()).map_err(shape)?;
            s.next();
            s.put("type", "score")?;
            s.put("reviewed", yes_no(r.reviewed))?;
            let w = &r.weights;
            s.put(
                "weights",
                &format!(
                    "strong={} medium={} weak={} none={}",
                    w.strong, w.medium, w.weak, w.none
                ),
            )?;
            s.put("threshold", &r.threshold.to_string())?;
        }
        other => return Err(XlsFormError::Export(format!("rule kind \"{other}\""))),
    }
    Ok(())
}

/// `{"all": ["D3", {"any": ["D1", "D2"]}]}` → `all(D3, any(D1, D2))`.
fn combination(v: &Value) -> Result<String, XlsFormError> {
    match v {
        Value::String(d) => Ok(d.clone()),
        Value::Object(map) if map.len() == 1 => {
            let (key, parts) = map
                .iter()
                .next()
                .ok_or_else(|| XlsFormError::Export("requires: empty".into()))?;
            let Value::Array(parts) = parts else {
                return Err(XlsFormError::Export(format!(
                    "requires: {key} takes a list"
                )));
            };
            let inner: Vec<String> = parts.iter().map(combination).collect::<Result<_, _>>()?;
            Ok(format!("{key}({})", inner.join(", ")))
        }
        _ => Err(XlsFormError::Export(
            "requires: expected a dimension id, all or any".into(),
        )),
    }
}

fn outcomes(
    book: &mut Workbook,
    list: &[RawOutcome],
    langs: &[String],
    bold: &Format,
) -> Result<(), XlsFormError> {
    let mut columns: Vec<String> = ["type", "name", "level", "when", "country", "phone", "url"]
        .map(str::to_owned)
        .to_vec();
    columns.extend(text_columns("label", langs));
    columns.extend(text_columns("note", langs));
    let mut s = Sheet::new(
        book.add_worksheet().set_name("outcomes").map_err(failed)?,
        columns,
        bold,
    )?;
    for o in list {
        s.next();
        s.put("type", "outcome")?;
        s.put("name", &o.id)?;
        s.put("level", &o.level.to_string())?;
        if let Some(w) = &o.when {
            let when = [
                w.rule_met.map(|b| format!("rule_met {}", yes_no(b))),
                w.min_score.map(|n| format!("min_score {n}")),
                w.min_indicators.map(|n| format!("min_indicators {n}")),
                w.min_dimensions_met
                    .map(|n| format!("min_dimensions_met {n}")),
                w.decisive_indicators
                    .as_ref()
                    .map(|ids| format!("decisive_indicators {}", ids.join(" "))),
            ];
            let when: Vec<String> = when.into_iter().flatten().collect();
            if when.len() != 1 {
                return Err(XlsFormError::Export(format!(
                    "outcome {}: when holds {} conditions",
                    o.id,
                    when.len()
                )));
            }
            s.put("when", &when[0])?;
        }
        s.text("label", Some(&o.label))?;
        for action in &o.actions {
            s.next();
            s.put("type", "action")?;
            s.text("label", Some(action))?;
        }
        for (country, referrals) in &o.referrals {
            for r in referrals {
                s.next();
                s.put("type", "referral")?;
                s.put("country", country)?;
                s.text("label", Some(&r.name))?;
                s.put("phone", r.phone.as_deref().unwrap_or_default())?;
                s.put("url", r.url.as_deref().unwrap_or_default())?;
                s.text("note", r.note.as_ref())?;
            }
        }
    }
    Ok(())
}
