//! age X25519 identities (secret) and recipients (public), in the standard age encodings.
//!
//! Identities are `AGE-SECRET-KEY-1…` Bech32 strings and recipients `age1…` strings, so keys made
//! by `age-keygen`, `rage-keygen` or `indicia keygen` are interchangeable.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::{parse_identities, parse_recipients, ErrorKind, Identity};
//! use secrecy::{ExposeSecret, SecretString};
//!
//! let identity = Identity::generate();
//! let recipient = identity.recipient().to_string();
//! assert!(recipient.starts_with("age1"));
//! let secret = identity.to_secret_string();
//! assert!(secret.expose_secret().starts_with("AGE-SECRET-KEY-1"));
//!
//! // An identity file as age-keygen writes it: comments and blank lines are allowed.
//! let file = SecretString::from(format!("# created: today\n\n{}\n", secret.expose_secret()));
//! assert_eq!(parse_identities(&file)?[0].recipient().to_string(), recipient);
//!
//! // A bad recipient is named by its position, never echoed.
//! let err = parse_recipients(&[recipient.as_str(), "age1typo"]).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::MalformedRecipient);
//! assert!(err.to_string().starts_with("recipient 2 ") && !err.to_string().contains("typo"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

use age::x25519;
use secrecy::{ExposeSecret, SecretString};

use crate::error::ErrorKind;

/// Why a key string was rejected. Messages never echo the rejected text: a mistyped identity is
/// still mostly a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The recipient at this 1-based position of the list is not an `age1…` X25519 recipient.
    #[error("recipient {position} is not an age X25519 recipient (expected \"age1…\")")]
    MalformedRecipient {
        /// 1-based position in the recipient list given.
        position: usize,
    },
    /// This 1-based line of an identity text is neither blank, a `#` comment, nor an
    /// `AGE-SECRET-KEY-1…` identity.
    #[error("line {line} of the identity is not an age X25519 identity (expected \"AGE-SECRET-KEY-1…\")")]
    MalformedIdentity {
        /// 1-based line number.
        line: usize,
    },
    /// The identity text holds only blank lines and comments.
    #[error("the identity text contains no identity")]
    NoIdentity,
}

impl KeyError {
    /// The host-visible classification.
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeyError::MalformedRecipient { .. } => ErrorKind::MalformedRecipient,
            KeyError::MalformedIdentity { .. } | KeyError::NoIdentity => {
                ErrorKind::MalformedIdentity
            }
        }
    }
}

/// A secret age X25519 identity. Its secret scalar is zeroized on drop and never printed.
#[derive(Clone)]
pub struct Identity(x25519::Identity);

impl Identity {
    /// A new random identity from the operating system's (or browser's) CSPRNG.
    pub fn generate() -> Self {
        Identity(x25519::Identity::generate())
    }

    /// The public recipient that files for this identity are sealed to.
    pub fn recipient(&self) -> Recipient {
        Recipient(self.0.to_public())
    }

    /// The `AGE-SECRET-KEY-1…` encoding, kept in a zeroizing string.
    pub fn to_secret_string(&self) -> SecretString {
        self.0.to_string()
    }

    pub(crate) fn as_age(&self) -> &x25519::Identity {
        &self.0
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Identity(<redacted>)")
    }
}

/// A public age X25519 recipient.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Recipient(x25519::Recipient);

impl Recipient {
    pub(crate) fn as_age(&self) -> &x25519::Recipient {
        &self.0
    }
}

impl FromStr for Recipient {
    type Err = KeyError;

    /// Parses one `age1…` recipient (surrounding whitespace is ignored). The error reports
    /// position 1; [`parse_recipients`] reports the real position in a list.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<x25519::Recipient>()
            .map(Recipient)
            .map_err(|_| KeyError::MalformedRecipient { position: 1 })
    }
}

impl fmt::Display for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Recipient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Recipient({})", self.0)
    }
}

/// Parses a list of recipient strings, reporting the 1-based position of the first bad one.
pub fn parse_recipients<S: AsRef<str>>(recipients: &[S]) -> Result<Vec<Recipient>, KeyError> {
    recipients
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.as_ref()
                .parse::<Recipient>()
                .map_err(|_| KeyError::MalformedRecipient { position: i + 1 })
        })
        .collect()
}

/// Parses identity text: a bare `AGE-SECRET-KEY-1…` string or a whole identity file as written by
/// `age-keygen` (one identity per line, blank lines and `#` comments allowed).
pub fn parse_identities(text: &SecretString) -> Result<Vec<Identity>, KeyError> {
    let mut identities = Vec::new();
    for (index, line) in text.expose_secret().lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let identity = line
            .parse::<x25519::Identity>()
            .map_err(|_| KeyError::MalformedIdentity { line: index + 1 })?;
        identities.push(Identity(identity));
    }
    if identities.is_empty() {
        return Err(KeyError::NoIdentity);
    }
    Ok(identities)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_identity_round_trips_through_its_encoding() {
        let identity = Identity::generate();
        let text = identity.to_secret_string();
        assert!(text.expose_secret().starts_with("AGE-SECRET-KEY-1"));
        let parsed = parse_identities(&text).unwrap();
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].recipient(), identity.recipient());
    }

    #[test]
    fn recipient_encoding_is_age1_and_parses_back() {
        let recipient = Identity::generate().recipient();
        let text = recipient.to_string();
        assert!(text.starts_with("age1"));
        assert_eq!(text.parse::<Recipient>().unwrap(), recipient);
    }

    #[test]
    fn debug_of_identity_redacts_the_secret() {
        let identity = Identity::generate();
        let secret = identity.to_secret_string();
        let shown = format!("{identity:?}");
        assert!(!shown.contains(secret.expose_secret()));
        assert!(!shown.contains("AGE-SECRET-KEY"));
    }

    #[test]
    fn bad_recipient_is_reported_by_its_position() {
        let good = Identity::generate().recipient().to_string();
        let err = parse_recipients(&[good.as_str(), "age1notakey"]).unwrap_err();
        assert_eq!(err, KeyError::MalformedRecipient { position: 2 });
        assert_eq!(err.kind(), ErrorKind::MalformedRecipient);
    }

    #[test]
    fn identity_file_with_comments_and_blank_lines_parses() {
        let a = Identity::generate();
        let b = Identity::generate();
        let text = format!(
            "# created: 2026-11-23\n# public key: {}\n{}\n\n  {}  \n",
            a.recipient(),
            a.to_secret_string().expose_secret(),
            b.to_secret_string().expose_secret()
        );
        let parsed = parse_identities(&SecretString::from(text)).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1].recipient(), b.recipient());
    }

    #[test]
    fn malformed_identity_line_is_reported_without_echoing_it() {
        let text = SecretString::from("# comment\nAGE-SECRET-KEY-1SECRETBUTBROKEN\n".to_owned());
        let err = parse_identities(&text).unwrap_err();
        assert_eq!(err, KeyError::MalformedIdentity { line: 2 });
        assert!(!err.to_string().contains("SECRETBUTBROKEN"));
    }

    #[test]
    fn comment_only_identity_text_is_no_identity() {
        let err = parse_identities(&SecretString::from("# nothing\n\n".to_owned())).unwrap_err();
        assert_eq!(err, KeyError::NoIdentity);
        assert_eq!(err.kind(), ErrorKind::MalformedIdentity);
    }

    #[test]
    fn a_recipient_string_is_not_accepted_as_identity() {
        let recipient = Identity::generate().recipient().to_string();
        let err = parse_identities(&SecretString::from(recipient)).unwrap_err();
        assert_eq!(err, KeyError::MalformedIdentity { line: 1 });
    }
}
