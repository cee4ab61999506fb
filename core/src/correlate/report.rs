//! The selectors of one report: found in the worker's notes and in every free-text answer.
//! Phone numbers, e-mail addresses and URLs are found anywhere in the text; the kinds free text
//! cannot reveal reliably (handles, plates, addresses, workplaces — and any kind, to be explicit)
//! are read from labelled lines, `plate: BA 123 XY`, `workplace: Farma Zelená s.r.o.`, one per
//! line (docs/correlation.md, "Labelled lines").

use serde_json::Value;

use super::{extract_from_text, normalise, Selector, SelectorKind};
use crate::package::Manifest;

/// Labels besides the kind names themselves (`phone:`, `email:`, `url:`, `handle:`, `plate:`,
/// `address:`, `workplace:`).
const ALIASES: [(&str, SelectorKind); 8] = [
    ("e-mail", SelectorKind::Email),
    ("mail", SelectorKind::Email),
    ("tel", SelectorKind::Phone),
    ("telephone", SelectorKind::Phone),
    ("mobile", SelectorKind::Phone),
    ("vehicle", SelectorKind::Plate),
    ("employer", SelectorKind::Workplace),
    ("website", SelectorKind::Url),
];

/// Labels that name a platform: `Telegram: @anna_jobs` is the handle `telegram:anna_jobs`. Not
/// `x` (a line `x: 5` is rarely an X account); `twitter` is written `x` by the handle rules.
const PLATFORM_LABELS: [&str; 5] = ["telegram", "instagram", "facebook", "tiktok", "twitter"];

fn label_kind(label: &str) -> Option<SelectorKind> {
    let label = label.trim();
    label.parse::<SelectorKind>().ok().or_else(|| {
        ALIASES
            .iter()
            .find(|(alias, _)| alias.eq_ignore_ascii_case(label))
            .map(|(_, kind)| *kind)
    })
}

/// The selectors in a free text: extracted ones, then those of labelled lines. Values that do
/// not normalise are left out (a note is not validated input).
pub fn selectors_in_text(text: &str, default_region: Option<&str>) -> Vec<Selector> {
    let mut found = extract_from_text(text, default_region);
    for line in text.lines() {
        let Some((label, value)) = line.split_once(':') else {
            continue;
        };
        // `https://…` splits at its own colon; a label is one short word.
        if label.len() > 12 || value.starts_with("//") {
            continue;
        }
        let label = label.trim();
        let selector = if let Some(kind) = label_kind(label) {
            normalise(kind, value, default_region)
        } else if PLATFORM_LABELS
            .iter()
            .any(|platform| platform.eq_ignore_ascii_case(label))
        {
            normalise(SelectorKind::Handle, &format!("{label}:{value}"), None)
        } else {
            continue;
        };
        if let Ok(selector) = selector {
            if !found.contains(&selector) {
                found.push(selector);
            }
        }
    }
    found
}

fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The selectors of a report: from its notes and every string in its answers, without
/// duplicates, in order of first appearance.
pub fn report_selectors(manifest: &Manifest, default_region: Option<&str>) -> Vec<Selector> {
    let mut texts: Vec<&str> = manifest
        .case
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    for answer in manifest.case.answers.values() {
        strings(answer, &mut texts);
    }
    let mut all: Vec<Selector> = Vec::new();
    for text in texts {
        for selector in selectors_in_text(text, default_region) {
            if !all.contains(&selector) {
                all.push(selector);
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_lines_give_the_kinds_free_text_cannot() {
        let text = "Met at the bus stop.\nplate: ba 123xy\nWorkplace: Farma Zelená s.r.o.\n\
                    handle: @recruiter_jobs\nCall him on +421 905 123 456.";
        let kinds: Vec<SelectorKind> = selectors_in_text(text, Some("SK"))
            .into_iter()
            .map(|s| s.kind)
            .collect();
        for kind in [
            SelectorKind::Phone,
            SelectorKind::Plate,
            SelectorKind::Workplace,
            SelectorKind::Handle,
        ] {
            assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
        }
    }

    #[test]
    fn a_platform_label_gives_that_platforms_handle() {
        let found = selectors_in_text("Telegram: @Anna_Jobs\nTWITTER: WorkNow\nx: 5", None);
        let handle = |value: &str| Selector {
            kind: SelectorKind::Handle,
            value: value.to_owned(),
        };
        assert!(found.contains(&handle("telegram:anna_jobs")), "{found:?}");
        assert!(found.contains(&handle("x:worknow")), "{found:?}");
        assert!(!found.contains(&handle("x:5")), "{found:?}");
    }

    #[test]
    fn a_url_line_is_not_read_as_a_label() {
        let found = selectors_in_text("https://t.me/recruiter_jobs", None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, SelectorKind::Handle);
    }

    #[test]
    fn unknown_labels_and_bad_values_are_left_out() {
        assert!(selectors_in_text("colour: red\nplate: !!!", None).is_empty());
    }
}
