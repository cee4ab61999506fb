//! E-mail addresses: lowercased, one address form per Gmail mailbox.

use super::phone::strip_prefix_ignore_ascii_case;
use super::SelectorError;

/// Characters allowed in a local part besides letters and digits (RFC 5322 dot-atom).
const LOCAL_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-.";

/// Normalises a trimmed e-mail address.
///
/// The whole address is lowercased (Unicode), the local part too: RFC 5321 allows a
/// case-sensitive local part, but practically every provider treats it as case-insensitive, and
/// matching `Anna@x.com` with `anna@x.com` is what the receiver wants. For `gmail.com` and
/// `googlemail.com`, dots and a `+tag` in the local part are dropped and the domain becomes
/// `gmail.com` (Gmail delivers all of these to one mailbox). No other provider's `+tag` is
/// dropped. One trailing dot of the domain is removed, and an international domain is written in
/// ASCII (IDNA, `bücher.de` → `xn--bcher-kva.de`) as URL hosts are. A `mailto:` link gives its
/// address: its query (`?subject=…`) and fragment are dropped and percent-escapes decoded.
/// Display names, quoted local parts, IP-literal domains and links to several addresses are
/// rejected.
pub(super) fn normalise_email(s: &str) -> Result<String, SelectorError> {
    let decoded;
    let s = match strip_prefix_ignore_ascii_case(s, "mailto:") {
        Some(link) => {
            // RFC 6068: the address ends at `?` (headers such as `subject` follow) and is
            // percent-encoded; `#` is never part of it.
            let address = link.split(['?', '#']).next().unwrap_or_default();
            decoded = percent_encoding::percent_decode_str(address)
                .decode_utf8()
                .map_err(|_| SelectorError::InvalidEmail)?;
            decoded.trim()
        }
        None => s,
    };
    let lower = s.to_lowercase();
    let mut parts = lower.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(SelectorError::InvalidEmail);
    };
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if !valid_local(local) || !valid_domain(domain) {
        return Err(SelectorError::InvalidEmail);
    }
    // One form per domain however it was typed (Unicode or punycode, any case); the check again
    // because punycode is longer than the Unicode it stands for.
    let domain = idna::domain_to_ascii(domain).map_err(|_| SelectorError::InvalidEmail)?;
    let domain = domain.as_str();
    if !valid_domain(domain) {
        return Err(SelectorError::InvalidEmail);
    }
    if domain == "gmail.com" || domain == "googlemail.com" {
        let mailbox: String = local
            .split('+')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|&c| c != '.')
            .collect();
        if mailbox.is_empty() {
            return Err(SelectorError::InvalidEmail);
        }
        return Ok(format!("{mailbox}@gmail.com"));
    }
    Ok(format!("{local}@{domain}"))
}

/// A dot-atom local part of 1 to 64 characters.
pub(super) fn valid_local(local: &str) -> bool {
    !local.is_empty()
        && local.chars().count() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || LOCAL_SPECIALS.contains(c))
}

/// A host name of at least two labels; labels of letters, digits and inner hyphens; a TLD that
/// is not all digits.
pub(super) fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.chars().count() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}
