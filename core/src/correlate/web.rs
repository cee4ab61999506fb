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

/// Share parameters that the platforms' own share buttons add to a link, per host: they say who
/// shared it and from which app, never which page. Elsewhere the same names may choose the page
/// (`?s=` is a search on many sites), so they are dropped only on these hosts.
const SHARE_PARAMS: [(&[&str], &[&str]); 5] = [
    (
        &["x.com", "twitter.com", "mobile.twitter.com", "mobile.x.com"],
        &["s", "t", "ref_src", "ref_url"],
    ),
    (
        &["instagram.com", "m.instagram.com"],
        &["igsh", "img_index"],
    ),
    (
        &["tiktok.com", "m.tiktok.com"],
        &[
            "_r",
            "_t",
            "is_from_webapp",
            "sender_device",
            "is_copy_url",
            "share_app_id",
            "share_link_id",
            "lang",
        ],
    ),
    (
        &[
            "facebook.com",
            "m.facebook.com",
            "mbasic.facebook.com",
            "web.facebook.com",
        ],
        &["mibextid", "rdid", "sfnsn", "share_url"],
    ),
    (
        &["youtube.com", "m.youtube.com", "youtu.be"],
        &["si", "feature", "pp"],
    ),
];

/// A tracking parameter on `host`: `utm_*`, one of [`TRACKING_PARAMS`], or a share parameter of
/// the host ([`SHARE_PARAMS`]).
fn is_tracking(host: &str, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_")
        || TRACKING_PARAMS.contains(&name.as_str())
        || SHARE_PARAMS
            .iter()
            .any(|(hosts, params)| hosts.contains(&host) && params.contains(&name.as_str()))
}

/// Normalises a trimmed URL; a profile URL on a known platform becomes a handle, a WhatsApp
/// chat link a phone number.
pub(super) fn normalise_url(s: &str) -> Result<Selector, SelectorError> {
    if let Some(selector) = app_link(s)? {
        return Ok(selector);
    }
    let url = parse_http_url(s)?;
    let host = normal_host(&url)?;
    let segments: Vec<&str> = url
        .path()
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();

    if let Some(selector) = profile(&host, &segments, &url) {
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
        .filter(|pair| !is_tracking(&host, pair.split('=').next().unwrap_or_default()))
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

/// The value of the first query parameter `name` of `url`, decoded (`+` is a space).
fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The phone number of a WhatsApp chat link's digits (always international, without `+`; a
/// decoded `+` reads as a space).
fn whatsapp_phone(digits: &str) -> Option<Selector> {
    let digits = digits.trim();
    let digits = digits.strip_prefix('+').unwrap_or(digits);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let e164 = normalise_phone(&format!("+{digits}"), None).ok()?;
    Some(Selector::new(SelectorKind::Phone, e164))
}

/// A platform handle from a name taken out of a link.
fn platform_handle(platform: &str, name: &str) -> Option<Selector> {
    let name = handle_name(name)?;
    Some(Selector::new(
        SelectorKind::Handle,
        format!("{platform}:{name}"),
    ))
}

/// The apps' own deep links, which open the app instead of a web page: `tg://resolve?domain=name`,
/// `whatsapp://send?phone=…`, `instagram://user?username=name`. `Ok(None)` for any other scheme
/// (read as a web address next); an app link to anything else is not a selector.
fn app_link(s: &str) -> Result<Option<Selector>, SelectorError> {
    let Some((scheme, _)) = s.split_once(':') else {
        return Ok(None);
    };
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "tg" | "whatsapp" | "instagram") {
        return Ok(None);
    }
    let url = Url::parse(s).map_err(|_| SelectorError::InvalidUrl)?;
    // `tg://resolve?…` has `resolve` as its host; `tg:resolve?…` as its path.
    let action = match url.host_str() {
        Some(host) => host.to_ascii_lowercase(),
        None => url.path().trim_matches('/').to_ascii_lowercase(),
    };
    let selector = match (scheme.as_str(), action.as_str()) {
        ("tg", "resolve") => {
            query_value(&url, "domain").and_then(|name| platform_handle("telegram", &name))
        }
        ("whatsapp", "send") => query_value(&url, "phone").and_then(|p| whatsapp_phone(&p)),
        ("instagram", "user") => {
            query_value(&url, "username").and_then(|name| platform_handle("instagram", &name))
        }
        _ => None,
    };
    selector.map(Some).ok_or(SelectorError::InvalidUrl)
}

/// The handle or phone a profile URL stands for: one path segment on a known host, or one of the
/// platforms' other forms of an account link (`t.me/s/name`, `api.whatsapp.com/send?phone=…`,
/// `twitter.com/intent/user?screen_name=name`).
fn profile(host: &str, segments: &[&str], url: &Url) -> Option<Selector> {
    match (host, segments) {
        // Telegram's web preview of a public channel.
        ("t.me" | "telegram.me" | "telegram.dog", ["s", name]) => {
            return platform_handle("telegram", name)
        }
        ("instagram.com" | "m.instagram.com", ["_u", name]) => {
            return platform_handle("instagram", name)
        }
        (
            "x.com" | "twitter.com" | "mobile.twitter.com" | "mobile.x.com",
            ["intent", "user" | "follow"],
        ) => return platform_handle("x", &query_value(url, "screen_name")?),
        ("api.whatsapp.com" | "web.whatsapp.com" | "whatsapp.com" | "wa.me", ["send"] | []) => {
            return whatsapp_phone(&query_value(url, "phone")?)
        }
        _ => {}
    }
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
        // Messenger's chat link names the Facebook account.
        "m.me" => ("facebook", *segment),
        "wa.me" => return whatsapp_phone(segment),
        _ => return None,
    };
    platform_handle(platform, name)
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
    // A handle never holds `/` or `?`; `tg:resolve?domain=name` has only the latter.
    let looks_like_url = s.contains(['/', '?'])
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
