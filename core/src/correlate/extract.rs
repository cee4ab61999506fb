//! Finding phone numbers, e-mail addresses and URLs in free-text notes, by a hand-written
//! scanner; every candidate is confirmed by [`normalise`] (phone numbers by the libphonenumber
//! metadata), and candidates that do not normalise are left out silently.

use std::collections::BTreeSet;
use std::ops::Range;

use super::{normalise, phone, Selector, SelectorKind};

/// Hosts whose links are recognised without `https://` or `www.` (e.g. `t.me/name` in a note).
const BARE_HOSTS: [&str; 13] = [
    "t.me",
    "telegram.me",
    "wa.me",
    "api.whatsapp.com",
    "web.whatsapp.com",
    "m.me",
    "instagram.com",
    "facebook.com",
    "fb.com",
    "tiktok.com",
    "x.com",
    "twitter.com",
    "vk.com",
];

/// The apps' deep links (`tg://resolve?domain=name`, …), recognised by their scheme.
const APP_SCHEMES: [&str; 4] = ["tg://", "tg:resolve?", "whatsapp://", "instagram://"];

/// Fewest and most digits of a phone candidate (with country code or trunk prefix).
const PHONE_DIGITS: Range<usize> = 7..18;

/// Separator runs between digit groups of a phone number are at most this long (`" - "`).
const MAX_SEPARATOR_CHARS: usize = 3;

/// How many phone-number candidates one text may hand to libphonenumber: a fixed allowance plus
/// one per this many bytes. Confirming a candidate costs about 2 µs; a run of digit groups
/// offers up to 11 windows per group, so without a budget 1 MiB of "1 2 3 …" cost 1.9 s. Real
/// notes use one to a few candidates per number found (1,000 numbers fit a 64 KB note's
/// budget); a note that spends it (one of digits and separators only) has its remaining phone
/// numbers left out. docs/correlation.md, "Limits".
const PHONE_ATTEMPTS_BASE: usize = 1024;
const PHONE_ATTEMPTS_BYTES: usize = 64;

/// Finds the phone numbers, e-mail addresses and URLs in a free-text note, normalised.
///
/// Phone numbers in national format are read in `default_region` (ISO 3166 alpha-2); without a
/// region, or with one the phone-number metadata does not know, only numbers written with `+` or
/// `00` and a country code are found. Digit groups that look like dates with a four-digit year
/// are not read as phone numbers. URLs are found when they start with `http://`, `https://`,
/// `www.`, a known platform host (`t.me/…`, `instagram.com/…`, `wa.me/…`, …) or an app's deep
/// link scheme (`tg://…`, `whatsapp://…`); account links become handles (or phone numbers for
/// WhatsApp chat links) as in [`normalise`]. Handles (`@name`), plates,
/// addresses and workplace names are not extracted: in free text they cannot be told apart from
/// ordinary words reliably.
///
/// The result has no duplicates and is in order of first appearance in the text.
pub fn extract_from_text(text: &str, default_region: Option<&str>) -> Vec<Selector> {
    let region = default_region.filter(|r| phone::region(r).is_ok());
    let mut found: Vec<(usize, Selector)> = Vec::new();
    let mut covered = Covered::new(text.len());

    for range in url_candidates(text) {
        if let Ok(selector) = normalise(SelectorKind::Url, &text[range.clone()], None) {
            found.push((range.start, selector));
        }
        covered.add(range);
    }
    for range in email_candidates(text, &covered) {
        if let Ok(selector) = normalise(SelectorKind::Email, &text[range.clone()], None) {
            found.push((range.start, selector));
        }
        covered.add(range);
    }
    found.extend(phones(text, &covered, region));

    found.sort_by_key(|(start, _)| *start);
    let mut seen = BTreeSet::new();
    found
        .into_iter()
        .filter_map(|(_, selector)| seen.insert(selector.clone()).then_some(selector))
        .collect()
}

/// Which bytes already belong to a URL or an e-mail address: one flag per byte, so that asking
/// costs O(1) however many were found (a list of ranges made a note of many addresses quadratic).
struct Covered(Vec<bool>);

impl Covered {
    fn new(len: usize) -> Covered {
        Covered(vec![false; len])
    }

    fn add(&mut self, range: Range<usize>) {
        if let Some(flags) = self.0.get_mut(range) {
            flags.fill(true);
        }
    }

    fn contains(&self, pos: usize) -> bool {
        self.0.get(pos).copied().unwrap_or(false)
    }
}

/// The character before byte `pos`, if any.
fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos).and_then(|head| head.chars().next_back())
}

/// Where a URL may begin: at the start, or after a space, bracket, quote or sentence mark.
fn url_may_start_after(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => !(c.is_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '/' | '+' | '%')),
    }
}

/// Characters that end a URL in running text.
fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>' | '"' | '«' | '»' | '“' | '”' | '„' | '‘' | '’' | '|' | '\\' | '^' | '`'
        )
}

/// Byte ranges of URL-looking words.
fn url_candidates(text: &str) -> Vec<Range<usize>> {
    // ASCII lowercasing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut next = 0;
    for (start, c) in text.char_indices() {
        // Every prefix below starts with one of these letters: most positions end here.
        if !matches!(
            c.to_ascii_lowercase(),
            'h' | 'w' | 't' | 'i' | 'f' | 'x' | 'v' | 'a' | 'm'
        ) || start < next
            || !url_may_start_after(char_before(text, start))
        {
            continue;
        }
        let rest = &lower[start..];
        let starts_url = rest.starts_with("http://")
            || rest.starts_with("https://")
            || rest.starts_with("www.")
            || APP_SCHEMES.iter().any(|scheme| rest.starts_with(scheme))
            || BARE_HOSTS
                .iter()
                .any(|host| rest.strip_prefix(host).is_some_and(|r| r.starts_with('/')));
        if !starts_url {
            continue;
        }
        let end = url_end(text, start);
        if end > start {
            out.push(start..end);
            next = end;
        }
    }
    out
}

/// The end of the URL starting at `start`: up to a space or quote, without trailing sentence
/// punctuation or unbalanced closing brackets. One pass back from the end with running bracket
/// counts (recounting the candidate for every stripped character was quadratic).
fn url_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut end = start + rest.find(ends_url).unwrap_or(rest.len());
    let count = |c: char| text[start..end].matches(c).count();
    // Open and close counts of (), [] and {} in text[start..end], kept as end moves back.
    let mut brackets =
        [('(', ')'), ('[', ']'), ('{', '}')].map(|(o, c)| (o, c, count(o), count(c)));
    while let Some(last) = text[start..end].chars().next_back() {
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            _ => match brackets.iter_mut().find(|(_, close, _, _)| *close == last) {
                Some((_, _, open, close)) if *open < *close => {
                    *close -= 1;
                    true
                }
                _ => false,
            },
        };
        if !strip {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

/// Characters of an e-mail local part as found in running text (a narrower set than RFC 5322
/// allows, so that neighbouring words and quotes are not swallowed).
fn is_text_local_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_text_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

/// Byte ranges around each `@` outside URLs: the local part to the left, the domain to the right.
fn email_candidates(text: &str, covered: &Covered) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        if covered.contains(at) {
            continue;
        }
        let head = &text[..at];
        let local_len: usize = head
            .chars()
            .rev()
            .take_while(|&c| is_text_local_char(c))
            .map(char::len_utf8)
            .sum();
        let local = head[at - local_len..].trim_start_matches('.');
        let start = at - local.len();
        let tail = &text[at + 1..];
        let domain_len: usize = tail
            .chars()
            .take_while(|&c| is_text_domain_char(c))
            .map(char::len_utf8)
            .sum();
        let domain = tail[..domain_len].trim_end_matches(['.', '-']);
        if local.is_empty() || domain.is_empty() {
            continue;
        }
        out.push(start..at + 1 + domain.len());
    }
    out
}

/// Characters allowed between digit groups of a phone number in running text.
fn is_phone_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}'
    ) || ('\u{2010}'..='\u{2015}').contains(&c)
}

/// One run of digits inside a phone-number-like run.
struct Group<'a> {
    /// Byte offset of the first digit (or of the leading `+`).
    start: usize,
    digits: &'a str,
    /// The separator characters before this group (empty for the first).
    separator: &'a str,
}

/// Phone numbers found in runs of digit groups outside URLs and e-mail addresses.
fn phones(text: &str, covered: &Covered, region: Option<&str>) -> Vec<(usize, Selector)> {
    let mut out = Vec::new();
    let mut attempts = PHONE_ATTEMPTS_BASE + text.len() / PHONE_ATTEMPTS_BYTES;
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let plus = bytes[pos] == b'+' && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit);
        if !(bytes[pos].is_ascii_digit() || plus) || covered.contains(pos) {
            pos += 1;
            continue;
        }
        let (groups, end) = digit_run(text, pos, plus, covered);
        let glued_before = char_before(text, pos).is_some_and(char::is_alphanumeric);
        if !glued_before {
            let mut groups = groups;
            // A last group glued to letters ("12345678X") is part of a word.
            if text[end..].chars().next().is_some_and(char::is_alphabetic) {
                groups.pop();
            }
            out.extend(phones_in_run(&groups, plus, region, &mut attempts));
            if attempts == 0 {
                break;
            }
        }
        pos = end.max(pos + 1);
    }
    out
}

/// Reads digit groups from `start` (a digit, or a `+` before one); returns them and the byte
/// offset after the last digit.
fn digit_run<'a>(
    text: &'a str,
    start: usize,
    plus: bool,
    covered: &Covered,
) -> (Vec<Group<'a>>, usize) {
    let bytes = text.as_bytes();
    let mut groups = Vec::new();
    let mut pos = if plus { start + 1 } else { start };
    let mut separator = "";
    loop {
        let digits_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() && !covered.contains(pos) {
            pos += 1;
        }
        groups.push(Group {
            start: if groups.is_empty() {
                start
            } else {
                digits_start
            },
            digits: &text[digits_start..pos],
            separator,
        });
        let end = pos;
        let sep_len: usize = text[end..]
            .chars()
            .take_while(|&c| is_phone_separator(c))
            .take(MAX_SEPARATOR_CHARS)
            .map(char::len_utf8)
            .sum();
        let next = end + sep_len;
        let continues = sep_len > 0
            && bytes.get(next).is_some_and(u8::is_ascii_digit)
            && !covered.contains(next);
        if !continues {
            return (groups, end);
        }
        separator = &text[end..next];
        pos = next;
    }
}

/// Marks groups that form a date with a four-digit year (`2024-03-12`, `12.3.2024`, `3/12/2024`).
fn date_groups(groups: &[Group<'_>]) -> Vec<bool> {
    let mut date = vec![false; groups.len()];
    for i in 0..groups.len().saturating_sub(2) {
        let (a, b, c) = (&groups[i], &groups[i + 1], &groups[i + 2]);
        let sep = b.separator.trim_end();
        let same_sep = matches!(sep, "." | "/" | "-") && c.separator.trim_end() == sep;
        let small = |g: &Group<'_>| {
            g.digits.len() <= 2 && g.digits.parse::<u8>().is_ok_and(|n| (1..=31).contains(&n))
        };
        let year = |g: &Group<'_>| g.digits.len() == 4;
        if same_sep && ((year(a) && small(b) && small(c)) || (small(a) && small(b) && year(c))) {
            date[i..i + 3].iter_mut().for_each(|d| *d = true);
        }
    }
    date
}

/// Phone numbers in one run: from each group, the longest window of groups that normalises,
/// each candidate taken from `attempts` (nothing more is tried once it is 0). A window holds at most `PHONE_DIGITS.end - 1` digits, so at most that many groups: the work
/// per group is bounded, whatever the length of the run.
fn phones_in_run(
    groups: &[Group<'_>],
    plus: bool,
    region: Option<&str>,
    attempts: &mut usize,
) -> Vec<(usize, Selector)> {
    let date = date_groups(groups);
    let mut out = Vec::new();
    let mut first = 0;
    'from: while first < groups.len() {
        // The windows from `first` with few enough digits, shortest first.
        let mut digits = 0;
        let widest = groups[first..]
            .iter()
            .take_while(|g| {
                digits += g.digits.len();
                digits < PHONE_DIGITS.end
            })
            .count();
        for last in (first..first + widest).rev() {
            if date[first..=last].iter().any(|&d| d) {
                continue;
            }
            let digits: String = groups[first..=last].iter().map(|g| g.digits).collect();
            if !PHONE_DIGITS.contains(&digits.len()) {
                continue;
            }
            let candidate = if plus && first == 0 {
                format!("+{digits}")
            } else {
                digits
            };
            if *attempts == 0 {
                return out;
            }
            *attempts -= 1;
            if let Ok(selector) = normalise(SelectorKind::Phone, &candidate, region) {
                out.push((groups[first].start, selector));
                first = last + 1;
                continue 'from;
            }
        }
        first += 1;
    }
    out
}
