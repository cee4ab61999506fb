//! URLs, online handles, and profile URLs of known platforms (which become handles).

use url::{Host, Url};

use super::phone::{normalise_phone, strip_prefix_ignore_ascii_case};
use super::{Selector, SelectorError, SelectorKind};

/// Query parameters that only track the visitor; names compared ASCII case-insensitively.
const TRACKING_PARAMS: [&str; 10] = [
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "igshid", "mc_cid", "mc_eid",
    "yclid",
];

/// The longest handle accepted (without platform), in characters.
const MAX_HANDLE_CHARS: usize = 100;

/// The longest platform name accepted in `platform:handle`, in characters.
const MAX_PLATFORM_CHARS: usize = 32;

/// A tracking parameter: `utm_*` or one of [`TRACKING_PARAMS`].
fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING_PARAMS.contains(&name.as_str())
}

/// Normalises a trimmed URL; a profile URL on a known platform becomes a handle, a `wa.me`
/// link a phone number.
pub(super) fn normalise_url(s: &str) -> Result<Selector, SelectorError> {
    let url = parse_http_url(s)?;
    let host = normal_host(&url)?;
    let segments: Vec<&str> = url
        .path()
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();

    if let Some(selector) = profile(&host, &segments) {
        return Ok(selector);
    }

    let mut out = format!("https://{host}");
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path().trim_end_matches('/'));
    let kept: Vec<&str> = url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !is_tracking(pair.split('=').next().unwrap_or_default()))
        .collect();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    Ok(Selector::new(SelectorKind::Url, out))
}

/// Parses an `http`/`https` URL; without `scheme://` it is read as `https://`.
fn parse_http_url(s: &str) -> Result<Url, SelectorError> {
    let text = if s.contains("://") {
        s.to_owned()
    } else if let Some(rest) = s.strip_prefix("//") {
        format!("https://{rest}")
    } else {
        format!("https://{s}")
    };
    let url = Url::parse(&text).map_err(|_| SelectorError::InvalidUrl)?;
    // With user information the text is more likely an e-mail or `mailto:` than a web page.
    let plain = url.username().is_empty() && url.password().is_none();
    if (url.scheme() != "https" && url.scheme() != "http") || !plain {
        return Err(SelectorError::InvalidUrl);
    }
    Ok(url)
}

/// The host as written in the normal form: lowercase (the URL parser already lowercases and
/// writes international names in punycode), without `www.` and a trailing dot; IPv6 in brackets.
fn normal_host(url: &Url) -> Result<String, SelectorError> {
    match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain
                .strip_suffix('.')
                .unwrap_or(domain)
                .to_ascii_lowercase();
            let domain = match domain.strip_prefix("www.") {
                Some(rest) if rest.contains('.') => rest.to_owned(),
                _ => domain,
            };
            let labels_ok = domain.split('.').all(|label| !label.is_empty());
            if !domain.contains('.') || !labels_ok {
                return Err(SelectorError::InvalidUrl);
            }
            Ok(domain)
        }
        Some(Host::Ipv4(ip)) => Ok(ip.to_string()),
        Some(Host::Ipv6(ip)) => Ok(format!("[{ip}]")),
        None => Err(SelectorError::InvalidUrl),
    }
}

/// The handle or phone a profile URL stands for: exactly one path segment on a known host.
fn profile(host: &str, segments: &[&str]) -> Option<Selector> {
    let [segment] = segments else {
        return None;
    };
    let (platform, name) = match host {
        "t.me" | "telegram.me" | "telegram.dog" => {
            let reserved = [
                "s",
                "c",
                "joinchat",
                "addstickers",
                "addemoji",
                "share",
                "proxy",
                "socks",
                "iv",
            ];
            (
                "telegram",
                (!reserved.contains(segment)).then_some(*segment)?,
            )
        }
        "instagram.com" | "m.instagram.com" | "instagr.am" => {
            let reserved = [
                "p",
                "reel",
                "reels",
                "explore",
                "stories",
                "accounts",
                "tv",
                "direct",
                "about",
                "legal",
                "developer",
            ];
            (
                "instagram",
                (!reserved.contains(segment)).then_some(*segment)?,
            )
        }
        "facebook.com"
        | "m.facebook.com"
        | "mbasic.facebook.com"
        | "web.facebook.com"
        | "fb.com" => {
            let reserved = [
                "pages",
                "groups",
                "events",
                "watch",
                "marketplace",
                "share",
                "login",
                "help",
                "reel",
                "gaming",
                "hashtag",
                "people",
                "search",
                "photo",
                "story",
            ];
            let ok = !reserved.contains(segment) && !segment.contains(".php");
            ("facebook", ok.then_some(*segment)?)
        }
        "tiktok.com" | "m.tiktok.com" => ("tiktok", segment.strip_prefix('@')?),
        "x.com" | "twitter.com" | "mobile.twitter.com" | "mobile.x.com" => {
            let reserved = [
                "home",
                "search",
                "explore",
                "i",
                "intent",
                "share",
                "hashtag",
                "settings",
                "messages",
                "notifications",
                "login",
                "signup",
                "tos",
                "privacy",
            ];
            ("x", (!reserved.contains(segment)).then_some(*segment)?)
        }
        "wa.me" => {
            let digits = segment.strip_prefix('+').unwrap_or(segment);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let e164 = normalise_phone(&format!("+{digits}"), None).ok()?;
            return Some(Selector::new(SelectorKind::Phone, e164));
        }
        _ => return None,
    };
    let name = handle_name(name)?;
    Some(Selector::new(
        SelectorKind::Handle,
        format!("{platform}:{name}"),
    ))
}

/// A bare handle lowercased, without one leading `@`; `None` if it has other characters than
/// letters, digits, `_`, `.` and `-`, or is empty or too long.
fn handle_name(name: &str) -> Option<String> {
    let name = name.strip_prefix('@').unwrap_or(name).to_lowercase();
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_HANDLE_CHARS
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    ok.then_some(name)
}

/// Normalises a trimmed handle: `[platform:][@]name`, or a profile URL of a known platform.
pub(super) fn normalise_handle(s: &str) -> Result<Selector, SelectorError> {
    let looks_like_url = s.contains('/')
        || strip_prefix_ignore_ascii_case(s, "http:").is_some()
        || strip_prefix_ignore_ascii_case(s, "https:").is_some();
    if looks_like_url {
        return match normalise_url(s) {
            Ok(selector) if selector.kind != SelectorKind::Url => Ok(selector),
            Ok(_) => Err(SelectorError::NotAProfileUrl),
            Err(_) => Err(SelectorError::InvalidHandle),
        };
    }
    let (platform, name) = match s.split_once(':') {
        Some((platform, name)) => (Some(platform_name(platform)?), name.trim()),
        None => (None, s),
    };
    let name = handle_name(name).ok_or(SelectorError::InvalidHandle)?;
    let value = match platform {
        Some(platform) => format!("{platform}:{name}"),
        None => name,
    };
    Ok(Selector::new(SelectorKind::Handle, value))
}

/// A platform name lowercased: ASCII letters, digits, `_` and `-`; `twitter` is written `x`.
fn platform_name(platform: &str) -> Result<String, SelectorError> {
    let platform = platform.trim().to_ascii_lowercase();
    let ok = !platform.is_empty()
        && platform.len() <= MAX_PLATFORM_CHARS
        && platform
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !ok {
        return Err(SelectorError::InvalidHandle);
    }
    Ok(if platform == "twitter" {
        "x".to_owned()
    } else {
        platform
    })
}
