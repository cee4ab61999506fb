//! The form's tables → a checklist definition (JSON value), in the normal form that
//! [`super::write`] reads back: optional keys left out when empty or default. The mapping is
//! docs/formats/xlsform.md; every refusal names its cell.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Number, Value};

use super::grid::{Row, Table, Workbook};
use super::xpath::{self, Dialect, Node, Op};
use super::{echo, language_code, FormError};

/// Form metadata types (XLSForm spec, "Metadata"): they record the device, not the person,
/// so they are passed over with a notice.
const METADATA: [&str; 12] = [
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "subscriberid",
    "simserial",
    "audit",
    "email",
    "start-geopoint",
    "background-audio",
];

/// Columns that only change how ODK lays a form out; passed over with a notice.
const PRESENTATION: [&str; 5] = [
    "appearance",
    "constraint_message",
    "required_message",
    "media",
    "image",
];

/// The yes/no list: `select_one yes_no` over exactly these names is Indicia's `yes_no`.
pub(super) const YES_NO_LIST: &str = "yes_no";
pub(super) const YES_NO_CHOICES: [&str; 4] = ["yes", "no", "unknown", "declined"];

type Notices = Vec<String>;

/// A table's columns: plain ones by name, text ones by base name and language.
struct Columns<'t> {
    table: &'t Table,
    plain: HashMap<String, u32>,
    texts: HashMap<String, Vec<(String, u32)>>,
}

impl<'t> Columns<'t> {
    /// Reads the header: `plain` names and `texts` bases (`label`, `label::English (en)`);
    /// a non-empty cell under any other column is refused, except presentation-only ones.
    fn new(
        table: &'t Table,
        plain: &[&str],
        texts: &[&str],
        default_language: Option<&str>,
        notices: &mut Notices,
    ) -> Result<Self, FormError> {
        let mut cols = Columns {
            table,
            plain: HashMap::new(),
            texts: HashMap::new(),
        };
        for (&c, head) in &table.header {
            let at = |m: String| FormError::cell(&table.name, table.header_row, c, m);
            // `label::English (en)`; older forms write `label:English` (pyxform reads both).
            let (base, lang) = match head.split_once("::").or_else(|| head.split_once(':')) {
                Some((b, l)) => (b.trim().to_ascii_lowercase(), Some(l.trim())),
                None => (head.trim().to_ascii_lowercase(), None),
            };
            let base = base.replace(' ', "_");
            if texts.contains(&base.as_str()) {
                let code = match lang {
                    Some(l) => language_code(l).ok_or_else(|| {
                        at(format!(
                            "column \"{}\": the language has no code; write it as \"Name (xx)\" with its ISO 639-1 code",
                            echo(head)
                        ))
                    })?,
                    None => match default_language {
                        Some(d) => d.to_owned(),
                        None => {
                            return Err(at(format!(
                                "column \"{base}\" has no language: name one (\"{base}::English (en)\") or set default_language in settings"
                            )))
                        }
                    },
                };
                let list = cols.texts.entry(base.clone()).or_default();
                if list.iter().any(|(l, _)| *l == code) {
                    return Err(at(format!(
                        "a second \"{base}\" column for language {code}"
                    )));
                }
                list.push((code, c));
            } else if lang.is_none() && plain.contains(&base.as_str()) {
                if cols.plain.insert(base.clone(), c).is_some() {
                    return Err(at(format!("a second \"{base}\" column")));
                }
            } else if PRESENTATION.contains(&base.as_str()) {
                if table.rows.iter().any(|r| r.cells.contains_key(&c)) {
                    notices.push(format!(
                        "{}: column \"{}\" only changes the layout in ODK; passed over",
                        super::FormError::cell(&table.name, table.header_row, c, "").location(),
                        echo(head)
                    ));
                }
            } else if let Some(row) = table.rows.iter().find(|r| r.cells.contains_key(&c)) {
                return Err(FormError::cell(
                    &table.name,
                    row.index,
                    c,
                    format!(
                        "column \"{}\" is not supported (docs/formats/xlsform.md lists the columns read)",
                        echo(head)
                    ),
                ));
            }
        }
        Ok(cols)
    }

    /// A plain cell as written (free text keeps its spaces).
    fn get(&self, row: &Row, name: &str) -> Option<String> {
        let c = self.plain.get(name)?;
        row.cells.get(c).cloned()
    }

    /// A plain cell, trimmed, with its column for error locations.
    fn trimmed(&self, row: &Row, name: &str) -> Option<(String, u32)> {
        let c = *self.plain.get(name)?;
        let v = row.cells.get(&c)?.trim();
        (!v.is_empty()).then(|| (v.to_owned(), c))
    }

    fn at(&self, row: &Row, name: &str, message: String) -> FormError {
        let c = self.plain.get(name).copied().unwrap_or(0);
        FormError::cell(&self.table.name, row.index, c, message)
    }

    fn required(&self, row: &Row, name: &str) -> Result<(String, u32), FormError> {
        self.trimmed(row, name)
            .ok_or_else(|| self.at(row, name, format!("{name} is empty")))
    }

    /// A per-language text (`{"en": …}`), or `None` when no language has one.
    fn text(&self, row: &Row, base: &str) -> Option<Value> {
        let mut map = Map::new();
        for (lang, c) in self.texts.get(base).into_iter().flatten() {
            if let Some(v) = row.cells.get(c) {
                map.insert(lang.clone(), Value::String(v.clone()));
            }
        }
        (!map.is_empty()).then_some(Value::Object(map))
    }

    fn required_text(&self, row: &Row, base: &str) -> Result<Value, FormError> {
        self.text(row, base).ok_or_else(|| {
            let c = self
                .texts
                .get(base)
                .and_then(|l| l.first())
                .map(|(_, c)| *c)
                .unwrap_or(0);
            FormError::cell(
                &self.table.name,
                row.index,
                c,
                format!("{base} is empty in every language"),
            )
        })
    }

    /// The languages of the text columns, in column order.
    fn languages(&self) -> Vec<(u32, String)> {
        let mut all: Vec<(u32, String)> = self
            .texts
            .values()
            .flatten()
            .map(|(l, c)| (*c, l.clone()))
            .collect();
        all.sort();
        all
    }
}

fn missing_sheet(name: &str) -> FormError {
    FormError::file(format!(
        "the workbook has no \"{name}\" sheet; an Indicia checklist needs survey, settings, dimensions, indicators, rule and outcomes (docs/formats/xlsform.md)"
    ))
}

fn sheet<'w>(book: &'w Workbook, name: &str) -> Result<&'w Table, FormError> {
    book.table(name).ok_or_else(|| missing_sheet(name))
}

fn yes_no_cell(cols: &Columns, row: &Row, name: &str) -> Result<Option<bool>, FormError> {
    let Some((v, _)) = cols.trimmed(row, name) else {
        return Ok(None);
    };
    match v.to_ascii_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" => Ok(Some(true)),
        "no" | "false" | "false()" | "0" => Ok(Some(false)),
        _ => Err(cols.at(
            row,
            name,
            format!("{name}: expected yes or no, found \"{}\"", echo(&v)),
        )),
    }
}

fn uint(cols: &Columns, row: &Row, name: &str) -> Result<Option<u64>, FormError> {
    let Some((v, _)) = cols.trimmed(row, name) else {
        return Ok(None);
    };
    v.parse::<u64>().map(Some).map_err(|_| {
        cols.at(
            row,
            name,
            format!("{name}: expected a whole number, found \"{}\"", echo(&v)),
        )
    })
}

fn required_uint(cols: &Columns, row: &Row, name: &str) -> Result<u64, FormError> {
    uint(cols, row, name)?.ok_or_else(|| cols.at(row, name, format!("{name} is empty")))
}

/// A number as written (`0`, `-1.5`) as JSON: an integer when it is one.
fn number(text: &str) -> Option<Value> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::Number(i.into()));
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

/// The whole form.
pub(super) fn checklist(book: &Workbook) -> Result<(Value, Notices), FormError> {
    let mut notices = Notices::new();
    for other in &book.other_sheets {
        notices.push(format!(
            "{other}: a sheet Indicia does not read; passed over"
        ));
    }
    let survey = sheet(book, "survey")?;
    if book.table("settings").is_none() {
        // Read the survey and choices all the same, so that the author of a plain ODK form
        // learns first what in them Indicia refuses, then that the sheet is missing.
        let sv = Columns::new(
            survey,
            &SURVEY_PLAIN,
            &SURVEY_TEXTS,
            Some("und"),
            &mut notices,
        )?;
        let choices = match book.table("choices") {
            Some(t) => choice_lists(t, Some("und"), &mut notices)?,
            None => BTreeMap::new(),
        };
        sections(&sv, &choices, &json!({"und": "-"}), &mut notices)?;
        return Err(missing_sheet("settings"));
    }
    let settings = sheet(book, "settings")?;

    // The default language comes first: unnamed `label` columns are in it.
    let probe = Columns::new(
        settings,
        &SETTINGS_PLAIN,
        &SETTINGS_TEXTS,
        Some("und"),
        &mut Vec::new(),
    )?;
    let settings_row = settings.rows.first().ok_or_else(|| {
        FormError::sheet(
            &settings.name,
            "the settings sheet has no row under its header",
        )
    })?;
    let declared_default = match probe.trimmed(settings_row, "default_language") {
        Some((v, c)) => Some(language_code(&v).ok_or_else(|| {
            FormError::cell(
                &settings.name,
                settings_row.index,
                c,
                format!(
                    "default_language \"{}\" has no language code; write it as \"English (en)\"",
                    echo(&v)
                ),
            )
        })?),
        None => None,
    };
    let default_language = match declared_default {
        Some(d) => d,
        None => {
            // Without the setting, a form whose labels are in one named language is in it.
            let probe = Columns::new(
                survey,
                &SURVEY_PLAIN,
                &SURVEY_TEXTS,
                Some("und"),
                &mut Vec::new(),
            )?;
            let mut langs: Vec<String> = probe.languages().into_iter().map(|(_, l)| l).collect();
            langs.sort();
            langs.dedup();
            match langs.as_slice() {
                [one] if one != "und" => one.clone(),
                _ => {
                    return Err(FormError::sheet(
                        &settings.name,
                        "default_language is needed (e.g. \"English (en)\") when labels are not all in one named language",
                    ))
                }
            }
        }
    };
    let dl = Some(default_language.as_str());
    let set = Columns::new(settings, &SETTINGS_PLAIN, &SETTINGS_TEXTS, dl, &mut notices)?;
    let row = settings_row;
    for (name, _) in set.plain.iter() {
        if SETTINGS_IGNORED.contains(&name.as_str()) && set.trimmed(row, name).is_some() {
            notices.push(format!(
                "{}: {name} is for ODK servers; passed over",
                set.at(row, name, String::new()).location()
            ));
        }
    }
    if let Some(extra) = settings.rows.get(1) {
        return Err(FormError::cell(
            &settings.name,
            extra.index,
            extra.cells.keys().next().copied().unwrap_or(0),
            "the settings sheet has one row under its header",
        ));
    }

    let mut doc = Map::new();
    let format = match set.trimmed(row, "indicia_format") {
        Some((f, _)) => f,
        None => "indicia-checklist/2".to_owned(),
    };
    doc.insert("format".into(), format.into());
    doc.insert("id".into(), set.required(row, "form_id")?.0.into());
    doc.insert("version".into(), set.required(row, "version")?.0.into());
    doc.insert("default_language".into(), default_language.clone().into());

    let sv = Columns::new(survey, &SURVEY_PLAIN, &SURVEY_TEXTS, dl, &mut notices)?;
    let languages: Vec<String> = match set.trimmed(row, "languages") {
        Some((v, c)) => v
            .split_whitespace()
            .map(|l| {
                language_code(l).ok_or_else(|| {
                    FormError::cell(
                        &settings.name,
                        row.index,
                        c,
                        format!("languages: \"{}\" is not a language code", echo(l)),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
        None => {
            let mut langs = vec![default_language.clone()];
            for (_, l) in sv.languages() {
                if !langs.contains(&l) {
                    langs.push(l);
                }
            }
            langs
        }
    };
    doc.insert("languages".into(), json!(languages));
    if let Some((v, c)) = set.trimmed(row, "fallbacks") {
        doc.insert(
            "fallbacks".into(),
            fallbacks(&v).map_err(|m| FormError::cell(&settings.name, row.index, c, m))?,
        );
    }
    let title = set.required_text(row, "form_title")?;
    doc.insert("title".into(), title.clone());
    if let Some(d) = set.text(row, "description") {
        doc.insert("description".into(), d);
    }
    doc.insert(
        "population".into(),
        set.trimmed(row, "population")
            .map_or("any".to_owned(), |(v, _)| v)
            .into(),
    );
    let mut source = Map::new();
    let source_title = match set.get(row, "source_title") {
        Some(v) => v,
        None => title
            .get(&default_language)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    };
    source.insert("title".into(), source_title.into());
    for key in ["publisher", "reference", "url"] {
        if let Some(v) = set.get(row, &format!("source_{key}")) {
            source.insert(key.into(), v.into());
        }
    }
    if let Some(year) = uint(&set, row, "source_year")? {
        source.insert("year".into(), year.into());
    }
    source.insert(
        "licence_note".into(),
        set.get(row, "source_licence_note")
            .ok_or_else(|| {
                FormError::sheet(
                    &settings.name,
                    "source_licence_note is needed: say on what terms the form's content may be reused",
                )
            })?
            .into(),
    );
    doc.insert("source".into(), Value::Object(source));
    let mut review = Map::new();
    review.insert(
        "status".into(),
        set.trimmed(row, "review_status")
            .map_or("unreviewed".to_owned(), |(v, _)| v)
            .into(),
    );
    if let Some(v) = set.get(row, "review_note") {
        review.insert("note".into(), v.into());
    }
    if let Some((v, _)) = set.trimmed(row, "review_unchecked_translations") {
        review.insert(
            "unchecked_translations".into(),
            json!(v.split_whitespace().collect::<Vec<_>>()),
        );
    }
    doc.insert("review".into(), Value::Object(review));

    doc.insert(
        "dimensions".into(),
        dimensions(sheet(book, "dimensions")?, dl, &mut notices)?,
    );
    doc.insert(
        "indicators".into(),
        indicators(sheet(book, "indicators")?, dl, &mut notices)?,
    );
    let choices = match book.table("choices") {
        Some(t) => choice_lists(t, dl, &mut notices)?,
        None => BTreeMap::new(),
    };
    doc.insert(
        "sections".into(),
        sections(&sv, &choices, &title, &mut notices)?,
    );
    doc.insert("rule".into(), rule(sheet(book, "rule")?, dl, &mut notices)?);
    doc.insert(
        "outcomes".into(),
        outcomes(sheet(book, "outcomes")?, dl, &mut notices)?,
    );
    Ok((Value::Object(doc), notices))
}

pub(super) const SETTINGS_PLAIN: [&str; 25] = [
    "form_id",
    "version",
    "default_language",
    "indicia_format",
    "languages",
    "fallbacks",
    "population",
    "source_title",
    "source_publisher",
    "source_year",
    "source_reference",
    "source_url",
    "source_licence_note",
    "review_status",
    "review_note",
    "review_unchecked_translations",
    // Read and passed over (SETTINGS_IGNORED).
    "instance_name",
    "public_key",
    "submission_url",
    "style",
    "allow_choice_duplicates",
    "auto_send",
    "auto_delete",
    "namespaces",
    "clean_text_values",
];
const SETTINGS_IGNORED: [&str; 9] = [
    "instance_name",
    "public_key",
    "submission_url",
    "style",
    "allow_choice_duplicates",
    "auto_send",
    "auto_delete",
    "namespaces",
    "clean_text_values",
];
pub(super) const SETTINGS_TEXTS: [&str; 2] = ["form_title", "description"];
pub(super) const SURVEY_PLAIN: [&str; 7] = [
    "type",
    "name",
    "required",
    "relevant",
    "constraint",
    "indicia_mode",
    "indicia_indicators",
];
pub(super) const SURVEY_TEXTS: [&str; 3] = ["label", "hint", "guidance_hint"];

/// `ca: es; pt-br: pt es` → `{"ca": ["es"], "pt-br": ["pt", "es"]}`.
fn fallbacks(v: &str) -> Result<Value, String> {
    let mut map = Map::new();
    for part in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (lang, targets) = part.split_once(':').ok_or_else(|| {
            format!(
                "fallbacks: expected \"ca: es; pt-br: pt es\", found \"{}\"",
                echo(part)
            )
        })?;
        map.insert(
            lang.trim().to_owned(),
            json!(targets.split_whitespace().collect::<Vec<_>>()),
        );
    }
    Ok(Value::Object(map))
}

fn dimensions(t: &Table, dl: Option<&str>, notices: &mut Notices) -> Result<Value, FormError> {
    let cols = Columns::new(t, &["name"], &["label", "help"], dl, notices)?;
    let mut out = Vec::new();
    for row in &t.rows {
        let mut d = Map::new();
        d.insert("id".into(), cols.required(row, "name")?.0.into());
        d.insert("label".into(), cols.required_text(row, "label")?);
        if let Some(h) = cols.text(row, "help") {
            d.insert("help".into(), h);
        }
        out.push(Value::Object(d));
    }
    Ok(Value::Array(out))
}

fn indicators(t: &Table, dl: Option<&str>, notices: &mut Notices) -> Result<Value, FormError> {
    let cols = Columns::new(
        t,
        &["name", "dimension", "strength"],
        &["label", "help"],
        dl,
        notices,
    )?;
    let mut out = Vec::new();
    for row in &t.rows {
        let mut d = Map::new();
        d.insert("id".into(), cols.required(row, "name")?.0.into());
        d.insert(
            "dimension".into(),
            cols.required(row, "dimension")?.0.into(),
        );
        d.insert("strength".into(), cols.required(row, "strength")?.0.into());
        d.insert("label".into(), cols.required_text(row, "label")?);
        if let Some(h) = cols.text(row, "help") {
            d.insert("help".into(), h);
        }
        out.push(Value::Object(d));
    }
    Ok(Value::Array(out))
}

/// A choice list: (row of its first choice, choices as JSON).
type Lists = BTreeMap<String, Vec<(String, Value)>>;

fn choice_lists(t: &Table, dl: Option<&str>, notices: &mut Notices) -> Result<Lists, FormError> {
    let cols = Columns::new(t, &["list_name", "name"], &["label"], dl, notices)?;
    let mut lists = Lists::new();
    for row in &t.rows {
        let list = cols.required(row, "list_name")?.0;
        let name = cols.required(row, "name")?.0;
        let label = cols.required_text(row, "label")?;
        lists
            .entry(list)
            .or_default()
            .push((name.clone(), json!({"id": name, "label": label})));
    }
    Ok(lists)
}

fn sections(
    sv: &Columns,
    lists: &Lists,
    title: &Value,
    notices: &mut Notices,
) -> Result<Value, FormError> {
    let t = sv.table;
    let mut sections: Vec<Map<String, Value>> = Vec::new();
    let mut open: Option<u32> = None; // row of the open group
    let mut loose: Option<usize> = None; // the section holding questions outside any group
    for row in &t.rows {
        let (kind, _) = sv.required(row, "type")?;
        let kind = kind.to_ascii_lowercase();
        let words: Vec<&str> = kind.split_whitespace().collect();
        let at = |m: String| sv.at(row, "type", m);
        match words.as_slice() {
            ["begin_group"] | ["begin", "group"] => {
                if open.is_some() {
                    return Err(at(
                        "a group inside a group is not supported: Indicia sections do not nest"
                            .into(),
                    ));
                }
                for col in [
                    "required",
                    "constraint",
                    "indicia_mode",
                    "indicia_indicators",
                ] {
                    if sv.trimmed(row, col).is_some() {
                        return Err(sv.at(row, col, format!("a group takes no {col}")));
                    }
                }
                let mut s = Map::new();
                s.insert("id".into(), sv.required(row, "name")?.0.into());
                s.insert("label".into(), sv.required_text(row, "label")?);
                if let Some((r, _)) = sv.trimmed(row, "relevant") {
                    let e = xpath::xpath_to_indicia(&r, None)
                        .map_err(|m| sv.at(row, "relevant", format!("relevant {m}")))?;
                    s.insert("relevant".into(), e.into());
                }
                s.insert("questions".into(), Value::Array(Vec::new()));
                sections.push(s);
                open = Some(row.index);
                loose = None;
            }
            ["end_group"] | ["end", "group"] => {
                if open.take().is_none() {
                    return Err(at("end_group without its begin_group".into()));
                }
            }
            [w, ..] if w.contains("repeat") => {
                return Err(at(
                    "repeats are not supported: a checklist asks each question once".into(),
                ));
            }
            [w] if METADATA.contains(w) => {
                notices.push(format!(
                    "{}: \"{w}\" is form metadata, not a question; passed over",
                    sv.at(row, "type", String::new()).location()
                ));
            }
            _ => {
                let q = question(sv, row, &words, lists, notices)?;
                let section = match (open, loose) {
                    (Some(_), _) => sections.len() - 1,
                    (None, Some(i)) => i,
                    (None, None) => {
                        // Questions outside any group form a section of their own, titled
                        // like the form.
                        let mut id = "main".to_owned();
                        let mut n = 1;
                        while sections
                            .iter()
                            .any(|s| s.get("id") == Some(&Value::String(id.clone())))
                        {
                            n += 1;
                            id = format!("main_{n}");
                        }
                        sections.push(
                            json!({"id": id, "label": title, "questions": []})
                                .as_object()
                                .cloned()
                                .unwrap_or_default(),
                        );
                        loose = Some(sections.len() - 1);
                        sections.len() - 1
                    }
                };
                if let Some(Value::Array(qs)) = sections[section].get_mut("questions") {
                    qs.push(q);
                }
            }
        }
    }
    if let Some(r) = open {
        return Err(FormError::cell(
            &t.name,
            r,
            sv.plain.get("type").copied().unwrap_or(0),
            "begin_group without its end_group",
        ));
    }
    Ok(Value::Array(
        sections.into_iter().map(Value::Object).collect(),
    ))
}

fn question(
    sv: &Columns,
    row: &Row,
    words: &[&str],
    lists: &Lists,
    notices: &mut Notices,
) -> Result<Value, FormError> {
    let at_type = |m: String| sv.at(row, "type", m);
    let (id, _) = sv.required(row, "name")?;
    let mut q = Map::new();
    let mut list: Option<&str> = None;
    let kind = match words {
        ["select_one", l] if *l == YES_NO_LIST && is_yes_no(lists.get(*l)) => "yes_no",
        ["select_one", l] => {
            list = Some(l);
            "single_choice"
        }
        ["select_multiple", l] => {
            list = Some(l);
            "multi_choice"
        }
        ["integer"] => {
            notices.push(format!(
                "{}: integer is read as a number question; Indicia does not require a whole number",
                sv.at(row, "type", String::new()).location()
            ));
            "number"
        }
        ["decimal"] => "number",
        ["date"] => "date",
        ["text"] => "text",
        ["image"] | ["file"] | ["audio"] | ["video"] => "attachment",
        ["note"] => {
            return Err(at_type(
                "type \"note\" has no Indicia counterpart: put the text in a group label or a question's hint".into(),
            ))
        }
        _ => {
            return Err(at_type(format!(
                "type \"{}\" is not supported (docs/formats/xlsform.md lists the types read)",
                echo(&words.join(" "))
            )))
        }
    };
    q.insert("id".into(), id.clone().into());
    q.insert("kind".into(), kind.into());
    let mode = sv
        .trimmed(row, "indicia_mode")
        .map_or("asked".to_owned(), |(m, _)| m);
    q.insert("mode".into(), mode.into());
    q.insert("label".into(), sv.required_text(row, "label")?);
    if let Some(h) = sv.text(row, "hint") {
        q.insert("hint".into(), h);
    }
    if let Some(h) = sv.text(row, "guidance_hint") {
        q.insert("help".into(), h);
    }
    if yes_no_cell(sv, row, "required")? == Some(true) {
        q.insert("required".into(), true.into());
    }
    if let Some((r, _)) = sv.trimmed(row, "relevant") {
        let e = xpath::xpath_to_indicia(&r, None)
            .map_err(|m| sv.at(row, "relevant", format!("relevant {m}")))?;
        q.insert("relevant".into(), e.into());
    }
    if let Some(l) = list {
        let choices = lists.get(l).ok_or_else(|| {
            at_type(format!(
                "the choice list \"{}\" is not on the choices sheet",
                echo(l)
            ))
        })?;
        q.insert(
            "choices".into(),
            Value::Array(choices.iter().map(|(_, c)| c.clone()).collect()),
        );
    }
    if let Some((c, _)) = sv.trimmed(row, "constraint") {
        if kind != "number" {
            return Err(sv.at(
                row,
                "constraint",
                "constraint: only a number question's bounds are read".into(),
            ));
        }
        let (min, max) = bounds(&c, &id).map_err(|m| sv.at(row, "constraint", m))?;
        if let Some(min) = min {
            q.insert("min".into(), min);
        }
        if let Some(max) = max {
            q.insert("max".into(), max);
        }
    }
    if let Some((v, _)) = sv.trimmed(row, "indicia_indicators") {
        let mut mappings = Vec::new();
        for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (indicator, rest) = match line.split_once(char::is_whitespace) {
                Some((i, rest)) => (i, Some(rest.trim())),
                None => (line, None),
            };
            let mut m = Map::new();
            m.insert("indicator".into(), indicator.into());
            if let Some(rest) = rest {
                let cond = rest.strip_prefix("when").filter(|c| c.starts_with(char::is_whitespace)).ok_or_else(|| {
                    sv.at(row, "indicia_indicators", format!("indicia_indicators: expected \"INDICATOR\" or \"INDICATOR when CONDITION\", found \"{}\"", echo(line)))
                })?;
                let e = xpath::xpath_to_indicia(cond.trim(), Some(&id)).map_err(|m| {
                    sv.at(
                        row,
                        "indicia_indicators",
                        format!("the condition of {} {m}", echo(indicator)),
                    )
                })?;
                m.insert("when".into(), e.into());
            }
            mappings.push(Value::Object(m));
        }
        q.insert("indicators".into(), Value::Array(mappings));
    }
    Ok(Value::Object(q))
}

fn is_yes_no(list: Option<&Vec<(String, Value)>>) -> bool {
    list.is_some_and(|l| {
        l.len() == YES_NO_CHOICES.len()
            && l.iter().all(|(n, _)| YES_NO_CHOICES.contains(&n.as_str()))
    })
}

/// `. >= 0 and . <= 120` (either part alone, either order) → (min, max).
fn bounds(src: &str, own: &str) -> Result<(Option<Value>, Option<Value>), String> {
    let node =
        xpath::parse(src, Dialect::XPath, Some(own)).map_err(|m| format!("constraint {m}"))?;
    let parts = match node {
        Node::And(parts) => parts,
        other => vec![other],
    };
    let shape = || {
        "constraint: only \". >= MIN\", \". <= MAX\" or both joined by 'and' are read".to_owned()
    };
    let (mut min, mut max) = (None, None);
    for part in parts {
        let Node::Cmp(left, op, right) = part else {
            return Err(shape());
        };
        let (Node::Ref(r), Node::Num(n)) = (&*left, &*right) else {
            return Err(shape());
        };
        if r != own {
            return Err(shape());
        }
        let slot = match op {
            Op::Ge => &mut min,
            Op::Le => &mut max,
            _ => return Err(shape()),
        };
        if slot.is_some() {
            return Err(shape());
        }
        *slot = Some(number(n).ok_or_else(shape)?);
    }
    Ok((min, max))
}

fn rule(t: &Table, dl: Option<&str>, notices: &mut Notices) -> Result<Value, FormError> {
    let cols = Columns::new(
        t,
        &[
            "type",
            "name",
            "reviewed",
            "terms",
            "weights",
            "threshold",
            "when",
            "requires",
        ],
        &["label"],
        dl,
        notices,
    )?;
    let mut rule: Option<Map<String, Value>> = None;
    for row in &t.rows {
        let (kind, _) = cols.required(row, "type")?;
        let at = |m: String| cols.at(row, "type", m);
        match (kind.as_str(), rule.as_mut()) {
            ("delphi" | "score", Some(_)) => return Err(at("a second rule: a checklist has one".into())),
            ("delphi", None) => {
                let reviewed = yes_no_cell(&cols, row, "reviewed")?.ok_or_else(|| cols.at(row, "reviewed", "reviewed is empty".into()))?;
                rule = Some(
                    json!({"kind": "delphi", "reviewed": reviewed, "dimension_met": [], "variants": []})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            ("score", None) => {
                let reviewed = yes_no_cell(&cols, row, "reviewed")?.ok_or_else(|| cols.at(row, "reviewed", "reviewed is empty".into()))?;
                let (w, _) = cols.required(row, "weights")?;
                let weights = weights(&w).map_err(|m| cols.at(row, "weights", m))?;
                let threshold = required_uint(&cols, row, "threshold")?;
                rule = Some(
                    json!({"kind": "score", "reviewed": reviewed, "weights": weights, "threshold": threshold})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            ("dimension_met", Some(r)) if r.get("kind") == Some(&json!("delphi")) => {
                let (terms, _) = cols.required(row, "terms")?;
                let alt = parse_terms(&terms).map_err(|m| cols.at(row, "terms", m))?;
                if let Some(Value::Array(a)) = r.get_mut("dimension_met") {
                    a.push(alt);
                }
            }
            ("variant", Some(r)) if r.get("kind") == Some(&json!("delphi")) => {
                let mut v = Map::new();
                v.insert("id".into(), cols.required(row, "name")?.0.into());
                v.insert("label".into(), cols.required_text(row, "label")?);
                if let Some((w, _)) = cols.trimmed(row, "when") {
                    let e = xpath::xpath_to_indicia(&w, None).map_err(|m| cols.at(row, "when", format!("when {m}")))?;
                    v.insert("when".into(), e.into());
                }
                let (req, _) = cols.required(row, "requires")?;
                v.insert("requires".into(), combination(&req).map_err(|m| cols.at(row, "requires", m))?);
                if let Some(Value::Array(a)) = r.get_mut("variants") {
                    a.push(Value::Object(v));
                }
            }
            _ => {
                return Err(at(format!(
                    "type \"{}\": expected delphi or score first, then dimension_met and variant rows for delphi",
                    echo(&kind)
                )))
            }
        }
    }
    rule.map(Value::Object)
        .ok_or_else(|| FormError::sheet(&t.name, "no delphi or score row"))
}

/// `strong=3 medium=2 weak=1 none=1`.
fn weights(v: &str) -> Result<Value, String> {
    let mut map = Map::new();
    for part in v.split_whitespace() {
        let (k, n) = part.split_once('=').ok_or_else(|| {
            format!(
                "weights: expected \"strong=3 medium=2 weak=1 none=1\", found \"{}\"",
                echo(part)
            )
        })?;
        let n: u64 = n
            .parse()
            .map_err(|_| format!("weights: \"{}\" is not a whole number", echo(n)))?;
        map.insert(k.to_owned(), n.into());
    }
    Ok(Value::Object(map))
}

/// `1 of strong; 1 of medium weak` → `[{"at_least": 1, "of": ["strong"]}, …]`.
fn parse_terms(v: &str) -> Result<Value, String> {
    let mut terms = Vec::new();
    for term in v.split(';').map(str::trim) {
        let bad = || {
            format!(
                "terms: expected \"2 of strong; 1 of medium weak\", found \"{}\"",
                echo(term)
            )
        };
        let mut words = term.split_whitespace();
        let n: u64 = words.next().and_then(|n| n.parse().ok()).ok_or_else(bad)?;
        if words.next() != Some("of") {
            return Err(bad());
        }
        let of: Vec<&str> = words.collect();
        if of.is_empty() {
            return Err(bad());
        }
        terms.push(json!({"at_least": n, "of": of}));
    }
    Ok(Value::Array(terms))
}

/// `all(D3, D4, any(D1, D2))` or `D4` → the definition's combination.
fn combination(v: &str) -> Result<Value, String> {
    let chars: Vec<char> = v.chars().collect();
    let mut at = 0;
    let value = comb(&chars, &mut at, 0)?;
    skip_ws(&chars, &mut at);
    if at != chars.len() {
        return Err(format!(
            "requires: unexpected text after the combination at character {}",
            at + 1
        ));
    }
    Ok(value)
}

fn skip_ws(chars: &[char], at: &mut usize) {
    while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
        *at += 1;
    }
}

fn comb(chars: &[char], at: &mut usize, depth: u32) -> Result<Value, String> {
    if depth > 32 {
        return Err("requires: nests too deep".into());
    }
    skip_ws(chars, at);
    let start = *at;
    while chars
        .get(*at)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        *at += 1;
    }
    let word: String = chars[start..*at].iter().collect();
    if word.is_empty() {
        return Err(format!(
            "requires: expected a dimension id, all(…) or any(…) at character {}",
            start + 1
        ));
    }
    skip_ws(chars, at);
    if chars.get(*at) != Some(&'(') || !matches!(word.as_str(), "all" | "any") {
        return Ok(Value::String(word));
    }
    *at += 1;
    let mut parts = Vec::new();
    loop {
        parts.push(comb(chars, at, depth + 1)?);
        skip_ws(chars, at);
        match chars.get(*at) {
            Some(',') => *at += 1,
            Some(')') => {
                *at += 1;
                break;
            }
            _ => {
                return Err(format!(
                    "requires: expected ',' or ')' at character {}",
                    *at + 1
                ))
            }
        }
    }
    Ok(json!({ word: parts }))
}

fn outcomes(t: &Table, dl: Option<&str>, notices: &mut Notices) -> Result<Value, FormError> {
    let cols = Columns::new(
        t,
        &["type", "name", "level", "when", "country", "phone", "url"],
        &["label", "note"],
        dl,
        notices,
    )?;
    let mut out: Vec<Map<String, Value>> = Vec::new();
    for row in &t.rows {
        let (kind, _) = cols.required(row, "type")?;
        let at = |m: String| cols.at(row, "type", m);
        match (kind.as_str(), out.last_mut()) {
            ("outcome", _) => {
                let mut o = Map::new();
                o.insert("id".into(), cols.required(row, "name")?.0.into());
                o.insert("level".into(), required_uint(&cols, row, "level")?.into());
                if let Some((w, _)) = cols.trimmed(row, "when") {
                    o.insert(
                        "when".into(),
                        outcome_when(&w).map_err(|m| cols.at(row, "when", m))?,
                    );
                }
                o.insert("label".into(), cols.required_text(row, "label")?);
                out.push(o);
            }
            ("action", Some(o)) => {
                let text = cols.required_text(row, "label")?;
                match o
                    .entry("actions")
                    .or_insert_with(|| Value::Array(Vec::new()))
                {
                    Value::Array(a) => a.push(text),
                    _ => return Err(at("actions are a list".into())),
                }
            }
            ("referral", Some(o)) => {
                let (country, _) = cols.required(row, "country")?;
                let mut r = Map::new();
                r.insert("name".into(), cols.required_text(row, "label")?);
                for key in ["phone", "url"] {
                    if let Some((v, _)) = cols.trimmed(row, key) {
                        r.insert(key.into(), v.into());
                    }
                }
                if let Some(n) = cols.text(row, "note") {
                    r.insert("note".into(), n);
                }
                let referrals = o
                    .entry("referrals")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(map) = referrals {
                    if let Value::Array(list) = map
                        .entry(country)
                        .or_insert_with(|| Value::Array(Vec::new()))
                    {
                        list.push(Value::Object(r));
                    }
                }
            }
            ("action" | "referral", None) => {
                return Err(at(format!(
                    "a {kind} row before any outcome row: it belongs to the outcome above it"
                )))
            }
            _ => {
                return Err(at(format!(
                    "type \"{}\": expected outcome, action or referral",
                    echo(&kind)
                )))
            }
        }
    }
    Ok(Value::Array(out.into_iter().map(Value::Object).collect()))
}

/// `rule_met yes`, `min_score 3`, `min_indicators 1`, `min_dimensions_met 2`,
/// `decisive_indicators A.x B.y`.
fn outcome_when(v: &str) -> Result<Value, String> {
    let mut words = v.split_whitespace();
    let key = words.next().unwrap_or_default();
    let rest: Vec<&str> = words.collect();
    let bad = || {
        format!(
            "when: expected \"rule_met yes|no\", \"min_score N\", \"min_indicators N\", \"min_dimensions_met N\" or \"decisive_indicators ID …\", found \"{}\"",
            echo(v)
        )
    };
    let value = match (key, rest.as_slice()) {
        ("rule_met", ["yes"]) => json!(true),
        ("rule_met", ["no"]) => json!(false),
        ("min_score" | "min_indicators" | "min_dimensions_met", [n]) => {
            json!(n.parse::<u64>().map_err(|_| bad())?)
        }
        ("decisive_indicators", ids) if !ids.is_empty() => json!(ids),
        _ => return Err(bad()),
    };
    Ok(json!({ key: value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_and_outcome_cells_read_their_small_syntaxes() {
        assert_eq!(
            parse_terms("1 of strong; 1 of medium weak"),
            Ok(
                json!([{"at_least": 1, "of": ["strong"]}, {"at_least": 1, "of": ["medium", "weak"]}])
            )
        );
        assert!(parse_terms("2 strong")
            .unwrap_err()
            .contains("expected \"2 of strong"));
        assert_eq!(
            combination("all(D3, D4, any(D1, D2, D5))"),
            Ok(json!({"all": ["D3", "D4", {"any": ["D1", "D2", "D5"]}]}))
        );
        assert_eq!(combination(" D4 "), Ok(json!("D4")));
        // A dimension may be called "all" when no list follows.
        assert_eq!(
            combination("any(all, D2)"),
            Ok(json!({"any": ["all", "D2"]}))
        );
        assert!(combination("all(D1")
            .unwrap_err()
            .contains("expected ',' or ')'"));
        assert!(combination("all(D1) x")
            .unwrap_err()
            .contains("unexpected text"));
        let deep = format!("{}D1{}", "all(".repeat(40), ")".repeat(40));
        assert!(combination(&deep).unwrap_err().contains("too deep"));
        assert_eq!(outcome_when("rule_met yes"), Ok(json!({"rule_met": true})));
        assert_eq!(outcome_when("min_score 3"), Ok(json!({"min_score": 3})));
        assert_eq!(
            outcome_when("decisive_indicators C.a C.b"),
            Ok(json!({"decisive_indicators": ["C.a", "C.b"]}))
        );
        assert!(outcome_when("rule_met maybe").is_err());
        assert_eq!(
            weights("strong=3 medium=2 weak=1 none=1"),
            Ok(json!({"strong": 3, "medium": 2, "weak": 1, "none": 1}))
        );
        assert_eq!(
            fallbacks("ca: es; pt-br: pt es"),
            Ok(json!({"ca": ["es"], "pt-br": ["pt", "es"]}))
        );
    }

    #[test]
    fn a_constraint_is_read_only_as_a_number_question_s_bounds() {
        assert_eq!(
            bounds(". >= 0 and . <= 120", "q"),
            Ok((Some(json!(0)), Some(json!(120))))
        );
        assert_eq!(bounds(". <= 2.5", "q"), Ok((None, Some(json!(2.5)))));
        assert_eq!(bounds("${q} >= -1", "q"), Ok((Some(json!(-1)), None)));
        for refused in [
            ". > 0",
            ". >= 0 and . >= 1",
            ". >= ${other}",
            ". >= 0 or . <= 3",
            "${other} >= 1",
        ] {
            assert!(bounds(refused, "q").is_err(), "{refused}");
        }
    }
}
