//! Loading a checklist: JSON → shape check (serde, with paths) → semantic validation and
//! compilation into [`Checklist`]. Never panics and never recurses without a bound on any input.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::definition::{
    QuestionKind, RawChecklist, RawDelphi, RawOutcome, RawQuestion, RawScore, RawText,
};
use super::expr::{self, QuestionType, Scope, Unresolved};
use super::load_error::{echo, LoadError, LoadErrorKind, LoadErrors};
use super::model::{
    Checklist, ChecklistRef, Choice, Combination, Dimension, Indicator, Mapping, Outcome,
    OutcomeWhen, Question, Referral, Rule, Section, Term, Text, Trigger, Variant,
};
use super::strict_json;

/// The only format this version reads.
pub const FORMAT: &str = "indicia-checklist/1";
/// Largest definition accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
const MAX_TEXT_CHARS: usize = 4000;
const MAX_COMBINATION_DEPTH: usize = 16;

impl Checklist {
    /// Loads and validates a definition. On failure returns every mistake found (at least one);
    /// shape errors (wrong JSON type, unknown key) stop at the first.
    pub fn from_json(json: &str) -> Result<Checklist, LoadErrors> {
        let fail = |path: &str, kind| {
            Err(LoadErrors(vec![LoadError {
                path: path.to_owned(),
                kind,
            }]))
        };
        if json.len() > MAX_DOCUMENT_BYTES {
            return fail(
                "$",
                LoadErrorKind::TooLarge {
                    max: MAX_DOCUMENT_BYTES,
                    found: json.len(),
                },
            );
        }
        // serde_json stops at 128 levels of nesting, so hostile depth is an error, not a crash.
        let value: Value = match strict_json::parse(json) {
            Ok(v) => v,
            Err(e) => return fail("$", LoadErrorKind::Json(e.to_string())),
        };
        if let Some(format) = value.get("format") {
            if format.as_str() != Some(FORMAT) {
                let found = format
                    .as_str()
                    .map_or_else(|| format.to_string(), str::to_owned);
                return fail("$.format", LoadErrorKind::UnsupportedFormat(echo(&found)));
            }
        }
        if let Err(e) = check_objects(&value) {
            return Err(LoadErrors(vec![e]));
        }
        let hash = content_hash(&value);
        let raw: RawChecklist = match shaped(&value, "$") {
            Ok(raw) => raw,
            Err(e) => return Err(LoadErrors(vec![e])),
        };
        let mut v = Validator {
            errors: Vec::new(),
            languages: Vec::new(),
            default_language: String::new(),
        };
        let checklist = v.checklist(raw, hash);
        match checklist {
            Some(c) if v.errors.is_empty() => Ok(c),
            _ => Err(LoadErrors(v.errors)),
        }
    }
}

/// Deserializes `value` (found at `base`) into a raw definition type; errors carry the JSON path.
fn shaped<T: serde::de::DeserializeOwned>(value: &Value, base: &str) -> Result<T, LoadError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = match e.path().to_string() {
            p if p == "." => base.to_owned(),
            p => format!("{base}.{p}"),
        };
        LoadError {
            path,
            kind: LoadErrorKind::Json(e.into_inner().to_string()),
        }
    })
}

/// serde's derived structs also accept a JSON array of their field values in order; a
/// definition written that way would load by accident. Every place the format has an object
/// must hold an object. Paths are listed as in docs/formats/checklist.md.
fn check_objects(root: &Value) -> Result<(), LoadError> {
    fn object(value: &Value, path: &str) -> Result<(), LoadError> {
        match value {
            Value::Object(_) => Ok(()),
            other => Err(LoadError {
                path: path.to_owned(),
                kind: LoadErrorKind::Json(format!(
                    "invalid type: {}, expected an object",
                    json_type(other)
                )),
            }),
        }
    }
    fn each<'a>(
        value: &'a Value,
        key: &str,
        path: &str,
    ) -> impl Iterator<Item = (String, &'a Value)> {
        let items = value
            .get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let key = key.to_owned();
        let path = path.to_owned();
        items
            .iter()
            .enumerate()
            .map(move |(i, v)| (format!("{path}.{key}[{i}]"), v))
    }
    fn field<'a>(value: &'a Value, key: &str, path: &str) -> Option<(String, &'a Value)> {
        value
            .get(key)
            .filter(|v| !v.is_null())
            .map(|v| (format!("{path}.{key}"), v))
    }
    object(root, "$")?;
    for key in ["source", "review", "rule"] {
        if let Some((p, v)) = field(root, key, "$") {
            object(v, &p)?;
        }
    }
    for key in ["dimensions", "indicators", "outcomes"] {
        for (p, v) in each(root, key, "$") {
            object(v, &p)?;
        }
    }
    for (sp, section) in each(root, "sections", "$") {
        object(section, &sp)?;
        for (qp, question) in each(section, "questions", &sp) {
            object(question, &qp)?;
            for key in ["choices", "indicators"] {
                for (p, v) in each(question, key, &qp) {
                    object(v, &p)?;
                }
            }
        }
    }
    if let Some(rule) = root.get("rule") {
        if let Some((p, v)) = field(rule, "weights", "$.rule") {
            object(v, &p)?;
        }
        for (p, v) in each(rule, "variants", "$.rule") {
            object(v, &p)?;
        }
        for (ap, alternative) in each(rule, "dimension_met", "$.rule") {
            for (i, term) in alternative
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                object(term, &format!("{ap}[{i}]"))?;
            }
        }
    }
    for (op, outcome) in each(root, "outcomes", "$") {
        if let Some((p, v)) = field(outcome, "when", &op) {
            object(v, &p)?;
        }
        if let Some(Value::Object(referrals)) = outcome.get("referrals") {
            for (country, list) in referrals {
                let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
                for (i, v) in items.iter().enumerate() {
                    object(v, &format!("{op}.referrals.{country}[{i}]"))?;
                }
            }
        }
    }
    Ok(())
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}

/// `sha256:` + hex over the canonical JSON: keys sorted by code point, no whitespace.
fn content_hash(value: &Value) -> String {
    let mut canonical = String::new();
    write_canonical(value, &mut canonical);
    let digest = Sha256::digest(canonical.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// Written out by hand rather than trusting `serde_json`'s map order, which a `preserve_order`
/// feature enabled anywhere in the dependency graph would silently change. Depth is bounded by
/// the parser's own limit of 128.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(key) {
                    write_canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn is_id(s: &str, max: usize, first: fn(char) -> bool, rest: fn(char) -> bool) -> bool {
    let mut chars = s.chars();
    s.len() <= max && chars.next().is_some_and(first) && chars.all(rest)
}

fn lower_digit(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn question_id_ok(s: &str) -> bool {
    is_id(
        s,
        64,
        |c| c.is_ascii_lowercase(),
        |c| lower_digit(c) || c == '_',
    )
}

fn language_ok(s: &str) -> bool {
    let mut parts = s.splitn(2, '-');
    let base = parts.next().unwrap_or_default();
    let region_ok = parts
        .next()
        .is_none_or(|r| (2..=8).contains(&r.len()) && r.chars().all(lower_digit));
    base.len() == 2 && base.chars().all(|c| c.is_ascii_lowercase()) && region_ok
}

struct Validator {
    errors: Vec<LoadError>,
    languages: Vec<String>,
    default_language: String,
}

/// Resolves `${id}` for one expression: only questions before `limit` may be read.
struct QuestionScope<'a> {
    index: &'a HashMap<String, usize>,
    types: &'a [QuestionType],
    limit: usize,
}

impl Scope for QuestionScope<'_> {
    fn resolve(&self, id: &str) -> Result<(usize, &QuestionType), Unresolved> {
        let i = *self.index.get(id).ok_or(Unresolved::Unknown)?;
        if i >= self.limit {
            return Err(Unresolved::NotEarlier);
        }
        self.types.get(i).map(|t| (i, t)).ok_or(Unresolved::Unknown)
    }
}

impl Validator {
    fn err(&mut self, path: impl Into<String>, kind: LoadErrorKind) {
        self.errors.push(LoadError {
            path: path.into(),
            kind,
        });
    }

    fn count(&mut self, path: &str, what: &'static str, found: usize, min: usize, max: usize) {
        if found < min || found > max {
            self.err(
                path,
                LoadErrorKind::Count {
                    what,
                    min,
                    max,
                    found,
                },
            );
        }
    }

    fn id(&mut self, path: String, id: &str, ok: bool, expected: &'static str) {
        if !ok {
            self.err(
                path,
                LoadErrorKind::InvalidId {
                    expected,
                    found: echo(id),
                },
            );
        }
    }

    fn plain(&mut self, path: String, s: &str) {
        let n = s.chars().count();
        if n == 0 || n > MAX_TEXT_CHARS {
            self.err(
                path,
                LoadErrorKind::TextLength {
                    max: MAX_TEXT_CHARS,
                    found: n,
                },
            );
        }
    }

    fn text(&mut self, path: &str, raw: RawText) -> Text {
        if !raw.contains_key(&self.default_language) {
            self.err(
                path,
                LoadErrorKind::MissingDefaultLanguage(self.default_language.clone()),
            );
        }
        for (lang, s) in &raw {
            if !self.languages.contains(lang) {
                self.err(
                    format!("{path}.{lang}"),
                    LoadErrorKind::UndeclaredLanguage(echo(lang)),
                );
            }
            self.plain(format!("{path}.{lang}"), s);
        }
        Text(raw)
    }

    fn opt_text(&mut self, path: &str, raw: Option<RawText>) -> Option<Text> {
        raw.map(|t| self.text(path, t))
    }

    /// Registers `id` in `seen`, reporting a duplicate with the first definition's path.
    fn unique(&mut self, seen: &mut HashMap<String, String>, id: &str, path: &str) {
        if let Some(first) = seen.get(id) {
            let first = first.clone();
            self.err(
                path,
                LoadErrorKind::DuplicateId {
                    id: echo(id),
                    first,
                },
            );
        } else {
            seen.insert(id.to_owned(), path.to_owned());
        }
    }

    fn expression(
        &mut self,
        path: &str,
        source: &str,
        scope: &QuestionScope<'_>,
    ) -> Option<expr::Expr> {
        match expr::compile(source, scope) {
            Ok(e) => Some(e),
            Err(e) => {
                self.err(path, LoadErrorKind::Expression(e));
                None
            }
        }
    }

    fn checklist(&mut self, raw: RawChecklist, hash: String) -> Option<Checklist> {
        if raw.format != FORMAT {
            self.err(
                "$.format",
                LoadErrorKind::UnsupportedFormat(echo(&raw.format)),
            );
        }
        self.id(
            "$.id".into(),
            &raw.id,
            is_id(&raw.id, 64, lower_digit, |c| {
                lower_digit(c) || "._-".contains(c)
            }),
            "[a-z0-9][a-z0-9._-]{0,63}",
        );
        if raw.version.is_empty() || raw.version.chars().count() > 32 {
            self.err(
                "$.version",
                LoadErrorKind::TextLength {
                    max: 32,
                    found: raw.version.chars().count(),
                },
            );
        }
        self.count("$.languages", "languages", raw.languages.len(), 1, 64);
        let mut seen_languages = HashMap::new();
        for (i, lang) in raw.languages.iter().enumerate() {
            let path = format!("$.languages[{i}]");
            if !language_ok(lang) {
                self.err(&path, LoadErrorKind::InvalidLanguage(echo(lang)));
            }
            self.unique(&mut seen_languages, lang, &path);
        }
        self.languages = raw.languages.clone();
        self.default_language = raw.default_language.clone();
        if !self.languages.contains(&raw.default_language) {
            self.err(
                "$.default_language",
                LoadErrorKind::UndeclaredLanguage(echo(&raw.default_language)),
            );
        }
        for (lang, chain) in &raw.fallbacks {
            let path = format!("$.fallbacks.{lang}");
            if !language_ok(lang) {
                self.err(&path, LoadErrorKind::InvalidLanguage(echo(lang)));
            } else if !self.languages.contains(lang) {
                self.err(&path, LoadErrorKind::UndeclaredLanguage(echo(lang)));
            }
            for (i, target) in chain.iter().enumerate() {
                if !self.languages.contains(target) {
                    self.err(
                        format!("{path}[{i}]"),
                        LoadErrorKind::UndeclaredLanguage(echo(target)),
                    );
                }
            }
        }
        for (i, lang) in raw.review.unchecked_translations.iter().enumerate() {
            if !self.languages.contains(lang) {
                self.err(
                    format!("$.review.unchecked_translations[{i}]"),
                    LoadErrorKind::UndeclaredLanguage(echo(lang)),
                );
            }
        }
        self.plain("$.source.title".into(), &raw.source.title);
        self.plain("$.source.licence_note".into(), &raw.source.licence_note);
        let title = self.text("$.title", raw.title);
        let description = self.opt_text("$.description", raw.description);

        // Dimensions and indicators.
        self.count("$.dimensions", "dimensions", raw.dimensions.len(), 1, 64);
        let mut dimension_index: HashMap<String, usize> = HashMap::new();
        let mut seen = HashMap::new();
        let mut dimensions = Vec::new();
        for (i, d) in raw.dimensions.into_iter().enumerate() {
            let path = format!("$.dimensions[{i}]");
            self.id(
                format!("{path}.id"),
                &d.id,
                is_id(
                    &d.id,
                    32,
                    |c| c.is_ascii_alphanumeric(),
                    |c| c.is_ascii_alphanumeric() || "_.-".contains(c),
                ),
                "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}",
            );
            self.unique(&mut seen, &d.id, &format!("{path}.id"));
            dimension_index.insert(d.id.clone(), i);
            let label = self.text(&format!("{path}.label"), d.label);
            let help = self.opt_text(&format!("{path}.help"), d.help);
            dimensions.push(Dimension {
                id: d.id,
                label,
                help,
            });
        }
        self.count("$.indicators", "indicators", raw.indicators.len(), 1, 1000);
        let mut indicator_index: HashMap<String, usize> = HashMap::new();
        let mut seen = HashMap::new();
        let mut indicators = Vec::new();
        for (i, ind) in raw.indicators.into_iter().enumerate() {
            let path = format!("$.indicators[{i}]");
            self.id(
                format!("{path}.id"),
                &ind.id,
                is_id(
                    &ind.id,
                    64,
                    |c| c.is_ascii_alphanumeric(),
                    |c| c.is_ascii_alphanumeric() || "_.-".contains(c),
                ),
                "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}",
            );
            self.unique(&mut seen, &ind.id, &format!("{path}.id"));
            let dimension = match dimension_index.get(&ind.dimension) {
                Some(&d) => d,
                None => {
                    self.err(
                        format!("{path}.dimension"),
                        LoadErrorKind::UnknownDimension(echo(&ind.dimension)),
                    );
                    0
                }
            };
            indicator_index.insert(ind.id.clone(), i);
            let label = self.text(&format!("{path}.label"), ind.label);
            let help = self.opt_text(&format!("{path}.help"), ind.help);
            indicators.push(Indicator {
                id: ind.id,
                dimension,
                strength: ind.strength,
                label,
                help,
            });
        }

        // Pass 1 over questions: ids, kinds and choices, so expressions can be typed.
        self.count("$.sections", "sections", raw.sections.len(), 1, 200);
        let mut question_index: HashMap<String, usize> = HashMap::new();
        let mut types: Vec<QuestionType> = Vec::new();
        let mut seen_questions = HashMap::new();
        let mut seen_sections = HashMap::new();
        for (s, section) in raw.sections.iter().enumerate() {
            let path = format!("$.sections[{s}]");
            self.id(
                format!("{path}.id"),
                &section.id,
                question_id_ok(&section.id),
                "[a-z][a-z0-9_]{0,63}",
            );
            self.unique(&mut seen_sections, &section.id, &format!("{path}.id"));
            self.count(
                &format!("{path}.questions"),
                "questions",
                section.questions.len(),
                1,
                500,
            );
            for (q, question) in section.questions.iter().enumerate() {
                let qpath = format!("{path}.questions[{q}]");
                self.id(
                    format!("{qpath}.id"),
                    &question.id,
                    question_id_ok(&question.id),
                    "[a-z][a-z0-9_]{0,63}",
                );
                self.unique(&mut seen_questions, &question.id, &format!("{qpath}.id"));
                question_index
                    .entry(question.id.clone())
                    .or_insert(types.len());
                types.push(question_type(question));
            }
        }
        if types.len() > 2000 {
            self.err(
                "$.sections",
                LoadErrorKind::Count {
                    what: "questions in all sections",
                    min: 1,
                    max: 2000,
                    found: types.len(),
                },
            );
        }

        // Pass 2: everything else, with expressions compiled against pass 1.
        let mut sections = Vec::new();
        let mut questions = Vec::new();
        for (s, section) in raw.sections.into_iter().enumerate() {
            let path = format!("$.sections[{s}]");
            let first = questions.len();
            let label = self.text(&format!("{path}.label"), section.label);
            let scope = QuestionScope {
                index: &question_index,
                types: &types,
                limit: first,
            };
            let relevant = section
                .relevant
                .as_deref()
                .and_then(|src| self.expression(&format!("{path}.relevant"), src, &scope));
            for (q, question) in section.questions.into_iter().enumerate() {
                let qpath = format!("{path}.questions[{q}]");
                let compiled = self.question(
                    &qpath,
                    question,
                    s,
                    questions.len(),
                    &question_index,
                    &types,
                    &indicator_index,
                );
                questions.push(compiled);
            }
            sections.push(Section {
                id: section.id,
                label,
                relevant,
                questions: first..questions.len(),
            });
        }

        let all = QuestionScope {
            index: &question_index,
            types: &types,
            limit: types.len(),
        };
        let rule = self.rule(raw.rule, &dimension_index, &all);
        let outcomes = self.outcomes(raw.outcomes);

        Some(Checklist {
            reference: ChecklistRef {
                id: raw.id,
                version: raw.version,
                hash,
            },
            default_language: raw.default_language,
            languages: raw.languages,
            fallbacks: raw.fallbacks,
            title,
            description,
            population: raw.population,
            source: raw.source,
            review: raw.review,
            dimensions,
            indicators,
            sections,
            questions,
            rule: rule?,
            outcomes,
            question_index,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn question(
        &mut self,
        path: &str,
        q: RawQuestion,
        section: usize,
        index: usize,
        question_index: &HashMap<String, usize>,
        types: &[QuestionType],
        indicator_index: &HashMap<String, usize>,
    ) -> Question {
        let label = self.text(&format!("{path}.label"), q.label);
        let hint = self.opt_text(&format!("{path}.hint"), q.hint);
        let help = self.opt_text(&format!("{path}.help"), q.help);
        let before = QuestionScope {
            index: question_index,
            types,
            limit: index,
        };
        let relevant = q
            .relevant
            .as_deref()
            .and_then(|src| self.expression(&format!("{path}.relevant"), src, &before));

        let has_choices = matches!(
            q.kind,
            QuestionKind::SingleChoice | QuestionKind::MultiChoice
        );
        let mut choices = Vec::new();
        match (has_choices, q.choices) {
            (true, None) => self.err(
                format!("{path}.choices"),
                LoadErrorKind::Choices("are required for choice questions"),
            ),
            (false, Some(_)) => self.err(
                format!("{path}.choices"),
                LoadErrorKind::Choices(
                    "are only allowed on single_choice and multi_choice questions",
                ),
            ),
            (_, Some(raw_choices)) => {
                self.count(
                    &format!("{path}.choices"),
                    "choices",
                    raw_choices.len(),
                    1,
                    200,
                );
                let mut seen = HashMap::new();
                for (c, choice) in raw_choices.into_iter().enumerate() {
                    let cpath = format!("{path}.choices[{c}]");
                    self.id(
                        format!("{cpath}.id"),
                        &choice.id,
                        is_id(
                            &choice.id,
                            64,
                            lower_digit_or_underscore,
                            lower_digit_or_underscore,
                        ),
                        "[a-z0-9_]{1,64}",
                    );
                    self.unique(&mut seen, &choice.id, &format!("{cpath}.id"));
                    let label = self.text(&format!("{cpath}.label"), choice.label);
                    choices.push(Choice {
                        id: choice.id,
                        label,
                    });
                }
            }
            (false, None) => {}
        }
        if q.kind != QuestionKind::Number && (q.min.is_some() || q.max.is_some()) {
            let key = if q.min.is_some() { "min" } else { "max" };
            self.err(
                format!("{path}.{key}"),
                LoadErrorKind::Bounds("`min`/`max` are only allowed on number questions"),
            );
        }
        if let (Some(min), Some(max)) = (q.min, q.max) {
            if min > max {
                self.err(
                    format!("{path}.max"),
                    LoadErrorKind::Bounds("`max` must not be below `min`"),
                );
            }
        }

        let own = QuestionScope {
            index: question_index,
            types,
            limit: index + 1,
        };
        let mut mappings = Vec::new();
        self.count(
            &format!("{path}.indicators"),
            "indicator mappings",
            q.indicators.len(),
            0,
            50,
        );
        for (m, mapping) in q.indicators.into_iter().enumerate() {
            let mpath = format!("{path}.indicators[{m}]");
            let indicator = indicator_index.get(&mapping.indicator).copied();
            if indicator.is_none() {
                self.err(
                    format!("{mpath}.indicator"),
                    LoadErrorKind::UnknownIndicator(echo(&mapping.indicator)),
                );
            }
            let trigger = match (mapping.when, q.kind) {
                (Some(src), _) => self
                    .expression(&format!("{mpath}.when"), &src, &own)
                    .map(Trigger::When),
                (None, QuestionKind::YesNo) => Some(Trigger::Yes),
                (None, kind) => {
                    self.err(
                        format!("{mpath}.when"),
                        LoadErrorKind::WhenRequired(kind.as_str()),
                    );
                    None
                }
            };
            if let (Some(indicator), Some(trigger)) = (indicator, trigger) {
                mappings.push(Mapping { indicator, trigger });
            }
        }
        Question {
            id: q.id,
            section,
            kind: q.kind,
            mode: q.mode,
            label,
            hint,
            help,
            required: q.required,
            relevant,
            choices,
            min: q.min,
            max: q.max,
            mappings,
        }
    }

    fn rule(
        &mut self,
        raw: Value,
        dimensions: &HashMap<String, usize>,
        scope: &QuestionScope<'_>,
    ) -> Option<Rule> {
        let kind = raw.get("kind").cloned().unwrap_or(Value::Null);
        match kind.as_str() {
            Some("delphi") => {
                let RawDelphi {
                    reviewed,
                    dimension_met,
                    variants,
                    ..
                } = match shaped(&raw, "$.rule") {
                    Ok(r) => r,
                    Err(e) => {
                        self.errors.push(e);
                        return None;
                    }
                };
                self.count(
                    "$.rule.dimension_met",
                    "alternatives",
                    dimension_met.len(),
                    1,
                    16,
                );
                let mut alternatives = Vec::new();
                for (a, alternative) in dimension_met.into_iter().enumerate() {
                    let apath = format!("$.rule.dimension_met[{a}]");
                    self.count(&apath, "terms", alternative.len(), 1, 8);
                    let mut terms = Vec::new();
                    for (t, term) in alternative.into_iter().enumerate() {
                        let tpath = format!("{apath}[{t}]");
                        if term.at_least == 0 || term.at_least > 1000 {
                            self.err(
                                format!("{tpath}.at_least"),
                                LoadErrorKind::Range {
                                    what: "at_least",
                                    expected: "1 to 1000",
                                    found: term.at_least.to_string(),
                                },
                            );
                        }
                        self.count(&format!("{tpath}.of"), "strengths", term.of.len(), 1, 4);
                        let mut of = term.of.clone();
                        of.sort();
                        of.dedup();
                        if of.len() != term.of.len() {
                            self.err(
                                format!("{tpath}.of"),
                                LoadErrorKind::Term("a strength is listed twice"),
                            );
                        }
                        terms.push(Term {
                            at_least: term.at_least,
                            of,
                        });
                    }
                    // Terms of one alternative count disjoint indicators only if their strengths
                    // are disjoint; overlapping terms would double-count.
                    let mut all: Vec<_> = terms.iter().flat_map(|t| t.of.iter().copied()).collect();
                    let n = all.len();
                    all.sort();
                    all.dedup();
                    if all.len() != n {
                        self.err(
                            &apath,
                            LoadErrorKind::Term(
                                "terms of one alternative must name different strengths",
                            ),
                        );
                    }
                    alternatives.push(terms);
                }
                self.count("$.rule.variants", "variants", variants.len(), 1, 16);
                let last = variants.len().saturating_sub(1);
                let mut seen = HashMap::new();
                let mut compiled = Vec::new();
                for (i, variant) in variants.into_iter().enumerate() {
                    let vpath = format!("$.rule.variants[{i}]");
                    self.id(
                        format!("{vpath}.id"),
                        &variant.id,
                        question_id_ok(&variant.id),
                        "[a-z][a-z0-9_]{0,63}",
                    );
                    self.unique(&mut seen, &variant.id, &format!("{vpath}.id"));
                    let label = self.text(&format!("{vpath}.label"), variant.label);
                    let when = match (variant.when, i == last) {
                        (Some(_), true) => {
                            self.err(format!("{vpath}.when"), LoadErrorKind::Order("the last variant must have no `when`: it applies when no other does"));
                            None
                        }
                        (None, false) => {
                            self.err(
                                format!("{vpath}.when"),
                                LoadErrorKind::Order("every variant but the last needs a `when`"),
                            );
                            None
                        }
                        (Some(src), false) => {
                            self.expression(&format!("{vpath}.when"), &src, scope)
                        }
                        (None, true) => None,
                    };
                    let requires = self.combination(
                        &format!("{vpath}.requires"),
                        &variant.requires,
                        dimensions,
                        0,
                    );
                    if let Some(requires) = requires {
                        compiled.push(Variant {
                            id: variant.id,
                            label,
                            when,
                            requires,
                        });
                    }
                }
                Some(Rule::Delphi {
                    reviewed,
                    dimension_met: alternatives,
                    variants: compiled,
                })
            }
            Some("score") => {
                let RawScore {
                    reviewed,
                    weights,
                    threshold,
                    ..
                } = match shaped(&raw, "$.rule") {
                    Ok(r) => r,
                    Err(e) => {
                        self.errors.push(e);
                        return None;
                    }
                };
                let w = [weights.strong, weights.medium, weights.weak, weights.none];
                for (name, weight) in ["strong", "medium", "weak", "none"].iter().zip(w) {
                    if weight > 1000 {
                        self.err(
                            format!("$.rule.weights.{name}"),
                            LoadErrorKind::Range {
                                what: "weight",
                                expected: "0 to 1000",
                                found: weight.to_string(),
                            },
                        );
                    }
                }
                if threshold == 0 || threshold > 1_000_000 {
                    self.err(
                        "$.rule.threshold",
                        LoadErrorKind::Range {
                            what: "threshold",
                            expected: "1 to 1000000",
                            found: threshold.to_string(),
                        },
                    );
                }
                Some(Rule::Score {
                    reviewed,
                    weights: w,
                    threshold,
                })
            }
            _ => {
                let found = kind
                    .as_str()
                    .map_or_else(|| kind.to_string(), str::to_owned);
                self.err(
                    "$.rule.kind",
                    LoadErrorKind::Json(format!(
                        "unknown variant `{}`, expected `delphi` or `score`",
                        echo(&found)
                    )),
                );
                None
            }
        }
    }

    fn combination(
        &mut self,
        path: &str,
        value: &Value,
        dimensions: &HashMap<String, usize>,
        depth: usize,
    ) -> Option<Combination> {
        if depth > MAX_COMBINATION_DEPTH {
            self.err(
                path,
                LoadErrorKind::CombinationTooDeep(MAX_COMBINATION_DEPTH),
            );
            return None;
        }
        match value {
            Value::String(id) => match dimensions.get(id) {
                Some(&d) => Some(Combination::Dimension(d)),
                None => {
                    self.err(path, LoadErrorKind::UnknownDimension(echo(id)));
                    None
                }
            },
            Value::Object(map) if map.len() == 1 => {
                let (key, inner) = map.iter().next()?;
                let items = match (key.as_str(), inner) {
                    ("all" | "any", Value::Array(items))
                        if !items.is_empty() && items.len() <= 64 =>
                    {
                        items
                    }
                    _ => {
                        self.err(path, LoadErrorKind::Combination(echo(&value.to_string())));
                        return None;
                    }
                };
                let parts: Vec<_> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        self.combination(&format!("{path}.{key}[{i}]"), item, dimensions, depth + 1)
                    })
                    .collect::<Option<_>>()?;
                Some(if key == "all" {
                    Combination::All(parts)
                } else {
                    Combination::Any(parts)
                })
            }
            other => {
                self.err(path, LoadErrorKind::Combination(echo(&other.to_string())));
                None
            }
        }
    }

    fn outcomes(&mut self, raw: Vec<RawOutcome>) -> Vec<Outcome> {
        self.count("$.outcomes", "outcomes", raw.len(), 1, 16);
        let last = raw.len().saturating_sub(1);
        let mut previous_level = u8::MAX;
        let mut seen = HashMap::new();
        let mut outcomes = Vec::new();
        for (i, o) in raw.into_iter().enumerate() {
            let path = format!("$.outcomes[{i}]");
            self.id(
                format!("{path}.id"),
                &o.id,
                question_id_ok(&o.id),
                "[a-z][a-z0-9_]{0,63}",
            );
            self.unique(&mut seen, &o.id, &format!("{path}.id"));
            if o.level > 3 {
                self.err(format!("{path}.level"), LoadErrorKind::Level(o.level));
            } else if o.level > previous_level {
                self.err(
                    format!("{path}.level"),
                    LoadErrorKind::LevelOrder {
                        previous: previous_level,
                        found: o.level,
                    },
                );
            }
            previous_level = o.level;
            let when = match (o.when, i == last) {
                (Some(_), true) => {
                    self.err(
                        format!("{path}.when"),
                        LoadErrorKind::Order(
                            "the last outcome must have no `when`: it applies when no other does",
                        ),
                    );
                    None
                }
                (None, false) => {
                    self.err(
                        format!("{path}.when"),
                        LoadErrorKind::Order("every outcome but the last needs a `when`"),
                    );
                    None
                }
                (None, true) => None,
                (Some(w), false) => {
                    let set = [
                        w.rule_met.map(OutcomeWhen::RuleMet),
                        w.min_score.map(OutcomeWhen::MinScore),
                        w.min_indicators.map(OutcomeWhen::MinIndicators),
                        w.min_dimensions_met.map(OutcomeWhen::MinDimensionsMet),
                    ];
                    let given: Vec<OutcomeWhen> = set.into_iter().flatten().collect();
                    if given.len() != 1 {
                        self.err(
                            format!("{path}.when"),
                            LoadErrorKind::OutcomeCondition(given.len()),
                        );
                    }
                    given.first().copied()
                }
            };
            let label = self.text(&format!("{path}.label"), o.label);
            self.count(
                &format!("{path}.actions"),
                "actions",
                o.actions.len(),
                0,
                20,
            );
            let actions = o
                .actions
                .into_iter()
                .enumerate()
                .map(|(a, t)| self.text(&format!("{path}.actions[{a}]"), t))
                .collect();
            let mut referrals = BTreeMap::new();
            for (country, list) in o.referrals {
                let rpath = format!("{path}.referrals.{country}");
                if country != "*"
                    && !(country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()))
                {
                    self.err(&rpath, LoadErrorKind::InvalidCountry(echo(&country)));
                }
                self.count(&rpath, "referrals", list.len(), 1, 20);
                let compiled: Vec<Referral> = list
                    .into_iter()
                    .enumerate()
                    .map(|(r, referral)| {
                        let name = self.text(&format!("{rpath}[{r}].name"), referral.name);
                        let note = self.opt_text(&format!("{rpath}[{r}].note"), referral.note);
                        for (field, value) in [("phone", &referral.phone), ("url", &referral.url)] {
                            if let Some(v) = value {
                                self.plain(format!("{rpath}[{r}].{field}"), v);
                            }
                        }
                        Referral {
                            name,
                            phone: referral.phone,
                            url: referral.url,
                            note,
                        }
                    })
                    .collect();
                referrals.insert(country, compiled);
            }
            outcomes.push(Outcome {
                id: o.id,
                level: o.level,
                when,
                label,
                actions,
                referrals,
            });
        }
        outcomes
    }
}

fn lower_digit_or_underscore(c: char) -> bool {
    lower_digit(c) || c == '_'
}

fn question_type(q: &RawQuestion) -> QuestionType {
    let ids = || q.choices.iter().flatten().map(|c| c.id.clone()).collect();
    match q.kind {
        QuestionKind::YesNo => QuestionType::YesNo,
        QuestionKind::SingleChoice => QuestionType::SingleChoice { choices: ids() },
        QuestionKind::MultiChoice => QuestionType::MultiChoice { choices: ids() },
        QuestionKind::Number => QuestionType::Number,
        QuestionKind::Date => QuestionType::Date,
        QuestionKind::Text => QuestionType::Text,
        QuestionKind::Attachment => QuestionType::Attachment,
    }
}
