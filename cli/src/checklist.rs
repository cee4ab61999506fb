//! `indicia checklist list | validate | show | run | import | export`: checklist tooling for
//! authors and a terminal run for anyone without the app.

use std::collections::HashSet;
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use indicia_core::checklist::{
    builtin, xlsform, Assessment, Checklist, ChecklistTrust, Provenance, PublisherKey,
    QuestionKind, QuestionView, Session,
};
use secrecy::ExposeSecret;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::cli::{
    ChecklistExportArgs, ChecklistFormat, ChecklistShowArgs, ImportArgs, PublisherKeygenArgs,
    RunArgs, SignArgs, TrustArgs, ValidateArgs,
};
use crate::failure::Failure;
use crate::sealing::write_atomically;

/// Where a checklist comes from: a file (plain or signed), or `builtin:ID`; loaded under
/// `trust` as a deployment does (a built-in one is always accepted).
pub fn load(spec: &str, trust: &ChecklistTrust) -> Result<Checklist, Failure> {
    if let Some(id) = spec.strip_prefix("builtin:") {
        return Ok(builtin::load(id)?);
    }
    let path = Path::new(spec);
    let json = std::fs::read_to_string(path).map_err(|e| Failure::file(path, "read", &e))?;
    Ok(Checklist::load(&json, trust)?)
}

/// The trust list of `--trust FILE`, or none (which trusts nobody and requires nothing).
fn trust_of(args: &TrustArgs) -> Result<ChecklistTrust, Failure> {
    args.trust
        .as_deref()
        .map_or_else(|| Ok(ChecklistTrust::default()), read_trust)
}

/// A trust list file (docs/formats/signed-checklist.md, "Trust").
pub fn read_trust(path: &Path) -> Result<ChecklistTrust, Failure> {
    let json = std::fs::read_to_string(path).map_err(|e| Failure::file(path, "read", &e))?;
    Ok(ChecklistTrust::from_json(&json)?)
}

/// One line on where a definition comes from and who signed it.
fn provenance_line(c: &Checklist) -> String {
    let signer = c.publisher().map(|p| {
        format!(
            "\"{}\" (key id {}, signed {})",
            crate::text::cell(&p.name),
            p.key_id(),
            crate::receiver::time(p.signed_at)
        )
    });
    match (c.provenance(), signer) {
        (Provenance::BuiltIn, _) => "built in (part of this installation)".to_owned(),
        (Provenance::TrustedPublisher, Some(s)) => format!("{s}, a trusted publisher"),
        (Provenance::UntrustedPublisher, Some(s)) => {
            format!("{s}, signature valid, publisher not on the trust list")
        }
        _ => "unsigned".to_owned(),
    }
}

pub fn keygen(args: &PublisherKeygenArgs) -> Result<(), Failure> {
    let key = PublisherKey::generate()?;
    let created = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let text = key.to_key_file(&created);
    crate::keygen::write_secret_file(&args.output, text.expose_secret().as_bytes())?;
    eprintln!("Public key: {}", key.public_key());
    Ok(())
}

pub fn sign(args: &SignArgs) -> Result<(), Failure> {
    let read =
        |path: &Path| std::fs::read_to_string(path).map_err(|e| Failure::file(path, "read", &e));
    let key = Zeroizing::new(read(&args.key)?);
    let key = PublisherKey::from_key_file(&key)?;
    let definition = read(&args.definition)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let signed = indicia_core::checklist::sign(&definition, &args.publisher, &key, now)?;
    crate::sealing::write_new_keeping(&args.output, |f| {
        f.write_all(signed.as_bytes())
            .map_err(|e| Failure::file(&args.output, "write", &e))
    })?;
    let c = Checklist::load(&signed, &ChecklistTrust::default())?;
    let r = c.reference();
    eprintln!(
        "indicia: signed {} {} ({}) as \"{}\" (key id {})",
        r.id,
        r.version,
        r.hash,
        crate::text::cell(&args.publisher),
        key.key_id()
    );
    Ok(())
}

/// The JSON source of a checklist spec, checked: a file, or `builtin:ID`.
fn source(spec: &str) -> Result<String, Failure> {
    if let Some(id) = spec.strip_prefix("builtin:") {
        builtin::load(id)?;
        return Ok(builtin::source(id).unwrap_or_default().to_owned());
    }
    let path = Path::new(spec);
    std::fs::read_to_string(path).map_err(|e| Failure::file(path, "read", &e))
}

/// `checklist import FORM.xlsx [-o FILE]`: the definition to stdout or a new file; what the
/// import passed over to stderr, one located line each.
pub fn import(args: &ImportArgs) -> Result<(), Failure> {
    let path = &args.form;
    let size = std::fs::metadata(path)
        .map_err(|e| Failure::file(path, "read", &e))?
        .len();
    // Checked before reading, so a huge file is refused without being loaded.
    if size > xlsform::limits::MAX_FILE_BYTES as u64 {
        return Err(Failure::of_kind(
            indicia_core::ErrorKind::InvalidChecklist,
            format!(
                "{}: the file is {size} bytes; at most {} are read",
                path.display(),
                xlsform::limits::MAX_FILE_BYTES
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Failure::file(path, "read", &e))?;
    let imported = xlsform::import(&bytes)?;
    for notice in &imported.notices {
        eprintln!("note: {notice}");
    }
    let json = imported.json + "\n";
    match &args.output {
        Some(out) => write_atomically(out, |f| {
            f.write_all(json.as_bytes())
                .map_err(|e| Failure::file(out, "write", &e))
        }),
        None => io::stdout()
            .lock()
            .write_all(json.as_bytes())
            .map_err(stdout_failure),
    }
}

/// `checklist export CHECKLIST --format xlsform -o FILE`.
pub fn export(args: &ChecklistExportArgs) -> Result<(), Failure> {
    let json = source(&args.checklist)?;
    let bytes = match args.format {
        ChecklistFormat::Xlsform => xlsform::export(&json)?,
    };
    let out = &args.output;
    write_atomically(out, |f| {
        f.write_all(&bytes)
            .map_err(|e| Failure::file(out, "write", &e))
    })
}

pub fn list(out: &mut dyn Write) -> Result<(), Failure> {
    for id in builtin::ids() {
        let c = builtin::load(id)?;
        let chain = c.language_chain("en");
        writeln!(
            out,
            "builtin:{id}\t{}\t{}",
            c.languages().join(","),
            c.title().get(&chain)
        )
        .map_err(stdout_failure)?;
    }
    Ok(())
}

fn stdout_failure(e: io::Error) -> Failure {
    Failure::file(Path::new("<stdout>"), "write", &e)
}

pub fn validate(args: &ValidateArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let c = load(&args.checklist, &trust_of(&args.trust)?)?;
    let r = c.reference();
    writeln!(
        out,
        "valid: {} {} ({}), {} sections, {} questions, {} indicators, languages {}\npublisher: {}",
        r.id,
        r.version,
        r.hash,
        c.sections().len(),
        c.questions().len(),
        c.indicators().len(),
        c.languages().join(","),
        provenance_line(&c)
    )
    .map_err(stdout_failure)
}

pub fn show(args: &ChecklistShowArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let c = load(&args.checklist, &trust_of(&args.trust)?)?;
    let chain = c.language_chain(&args.lang);
    let r = c.reference();
    let mut text = String::new();
    let w = &mut text;
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = writeln!(w, "{}", c.title().get(&chain));
    let _ = writeln!(w, "{} {} {}", r.id, r.version, r.hash);
    let _ = writeln!(w, "Publisher: {}", provenance_line(&c));
    let _ = writeln!(
        w,
        "Source: {} — {}",
        c.source().title,
        c.source().licence_note
    );
    let review = serde_json::to_value(c.review().status).unwrap_or(Value::Null);
    let _ = writeln!(
        w,
        "Review: {}{}",
        review.as_str().unwrap_or_default(),
        c.review()
            .note
            .as_ref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default()
    );
    if c.review()
        .unchecked_translations
        .iter()
        .any(|l| chain.first() == Some(l))
    {
        let _ = writeln!(
            w,
            "Note: the {} translation has not been checked by a native speaker.",
            chain.first().map(String::as_str).unwrap_or_default()
        );
    }
    for section in c.sections() {
        let conditional = if section.relevant.is_some() {
            " (conditional)"
        } else {
            ""
        };
        let _ = writeln!(w, "\n## {}{conditional}", section.label.get(&chain));
        for q in &c.questions()[section.questions.clone()] {
            let mode = match q.mode {
                indicia_core::checklist::Mode::Asked => "ask",
                indicia_core::checklist::Mode::Observed => "observe, do not ask",
            };
            let flags = [
                q.required.then_some("required"),
                q.relevant.is_some().then_some("conditional"),
            ];
            let flags: Vec<&str> = flags.into_iter().flatten().collect();
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(", {}", flags.join(", "))
            };
            let _ = writeln!(
                w,
                "- {} [{}; {}{flags}] {}",
                q.id,
                q.kind.as_str(),
                mode,
                q.label.get(&chain)
            );
            for choice in &q.choices {
                let _ = writeln!(w, "    {}: {}", choice.id, choice.label.get(&chain));
            }
            for m in &q.mappings {
                if let Some(ind) = c.indicators().get(m.indicator) {
                    let _ = writeln!(w, "    → {} ({})", ind.id, ind.strength.as_str());
                }
            }
        }
    }
    let _ = writeln!(w, "\n## Dimensions and indicators");
    for (d, dim) in c.dimensions().iter().enumerate() {
        let _ = writeln!(w, "{} {}", dim.id, dim.label.get(&chain));
        for ind in c.indicators().iter().filter(|i| i.dimension == d) {
            let _ = writeln!(
                w,
                "    {} ({}) {}",
                ind.id,
                ind.strength.as_str(),
                ind.label.get(&chain)
            );
        }
    }
    let _ = writeln!(w, "\n## Outcomes");
    for o in c.outcomes() {
        let _ = writeln!(w, "level {} {}: {}", o.level, o.id, o.label.get(&chain));
    }
    out.write_all(text.as_bytes()).map_err(stdout_failure)
}

/// Runs the checklist: with `--answers` from a saved JSON file non-interactively, else by asking
/// on the terminal. Ends with the assessment and its explanation (or JSON with `--json`).
pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let checklist = Arc::new(load(&args.checklist, &trust_of(&args.trust)?)?);
    let mut session = Session::new(checklist, &args.lang);
    session.set_country(args.country.as_deref());
    if let Some(path) = args.answers.as_deref() {
        let value: Value = serde_json::from_str(&crate::personal::read_text(path)?)
            .map_err(|e| Failure::usage(format!("{}: not JSON: {e}", path.display())))?;
        session.restore_answers(&value)?;
    } else {
        interactive(&mut session)?;
    }
    let assessment = session.assessment();
    let mut out = io::stdout().lock();
    if args.json {
        let text = crate::text::json_pretty(&assessment);
        writeln!(out, "{text}").map_err(stdout_failure)
    } else {
        print_assessment(&assessment, &mut out).map_err(stdout_failure)
    }
}

fn print_assessment(a: &Assessment, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "\n=== {} (level {}) ===",
        a.outcome.label, a.outcome.level
    )?;
    for line in &a.explanation {
        writeln!(out, "  {line}")?;
    }
    for action in &a.outcome.actions {
        writeln!(out, "  • {action}")?;
    }
    for r in &a.outcome.referrals {
        let phone = r
            .phone
            .as_deref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        writeln!(out, "  ☎ [{}] {}{phone}", r.country, r.name)?;
    }
    writeln!(
        out,
        "  checklist {} {} {}",
        a.checklist.id, a.checklist.version, a.checklist.hash
    )
}

/// Asks every visible question in order until none is left unanswered (or skipped). Reads
/// lines from stdin, so it also works when answers are piped in.
fn interactive(session: &mut Session) -> Result<(), Failure> {
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let mut skipped: HashSet<String> = HashSet::new();
    let mut err = io::stderr().lock();
    let info = session.checklist().clone();
    let chain = info.language_chain(session.language());
    let _ = writeln!(
        err,
        "{} — answer each item; Enter skips an optional one, 'q' finishes.",
        info.title().get(&chain)
    );
    let mut section = String::new();
    loop {
        let next = session
            .visible_questions()
            .into_iter()
            .find(|q| q.answer.is_none() && !skipped.contains(&q.id));
        let Some(q) = next else { break };
        if q.section != section {
            section.clone_from(&q.section);
            let _ = writeln!(err, "\n## {}", q.section_label);
        }
        prompt(&q, &mut err);
        let Some(line) = lines.next() else { break };
        let line = line.map_err(|e| Failure::file(Path::new("<stdin>"), "read", &e))?;
        let line = line.trim();
        match line {
            "q" => break,
            "" if q.required => {
                let _ = writeln!(err, "  this one is required");
            }
            "" => {
                skipped.insert(q.id.clone());
            }
            "?" => {
                let _ = writeln!(
                    err,
                    "  {}",
                    q.help
                        .as_deref()
                        .or(q.hint.as_deref())
                        .unwrap_or("(no help)")
                );
            }
            input => match parse_input(&q, input) {
                Some(value) => {
                    if let Err(e) = session.answer_json(&q.id, &value) {
                        let _ = writeln!(err, "  {e}");
                    }
                }
                None => {
                    let _ = writeln!(err, "  not understood: {}", input_help(q.kind));
                }
            },
        }
    }
    let missing = session.missing_required();
    if !missing.is_empty() {
        let _ = writeln!(err, "\nRequired items not answered: {}", missing.join(", "));
    }
    Ok(())
}

fn prompt(q: &QuestionView, err: &mut dyn Write) {
    let observed = match q.mode {
        indicia_core::checklist::Mode::Observed => " [observe — do not ask]",
        indicia_core::checklist::Mode::Asked => "",
    };
    let required = if q.required { " *" } else { "" };
    let _ = writeln!(err, "\n{}{required}{observed}", q.label);
    if let Some(hint) = &q.hint {
        let _ = writeln!(err, "  ({hint})");
    }
    for (i, c) in q.choices.iter().enumerate() {
        let _ = writeln!(err, "  {}. {}", i + 1, c.label);
    }
    let _ = write!(err, "{}> ", input_help(q.kind));
    let _ = err.flush();
}

fn input_help(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::YesNo => "y/n/u(nknown)/d(eclined)",
        QuestionKind::SingleChoice => "number or id",
        QuestionKind::MultiChoice => "numbers or ids, comma-separated",
        QuestionKind::Number => "number",
        QuestionKind::Date => "YYYY-MM-DD",
        QuestionKind::Text => "text",
        QuestionKind::Attachment => "attachment id",
    }
}

/// Terminal shorthand → the answer's JSON form; the core then checks it against the question.
fn parse_input(q: &QuestionView, input: &str) -> Option<Value> {
    let choice = |s: &str| -> Option<String> {
        let s = s.trim();
        match s.parse::<usize>() {
            Ok(n) if n >= 1 => q.choices.get(n - 1).map(|c| c.id.clone()),
            _ => Some(s.to_owned()),
        }
    };
    Some(match q.kind {
        QuestionKind::YesNo => Value::from(match input.to_ascii_lowercase().as_str() {
            "y" | "yes" => "yes",
            "n" | "no" => "no",
            "u" | "unknown" => "unknown",
            "d" | "declined" => "declined",
            _ => return None,
        }),
        QuestionKind::SingleChoice => Value::from(choice(input)?),
        QuestionKind::MultiChoice => {
            Value::from(input.split(',').map(choice).collect::<Option<Vec<_>>>()?)
        }
        QuestionKind::Number => Value::from(input.parse::<f64>().ok()?),
        QuestionKind::Date | QuestionKind::Text | QuestionKind::Attachment => Value::from(input),
    })
}
