//! Why a selector could not be normalised. Messages never contain the input value: selector
//! values are personal data.

use super::SelectorKind;
use crate::ErrorKind;

/// A value that cannot be brought to a selector's normal form. The message names the kind, the
/// default region or a limit, never the value itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// The value is empty, or holds no letter or digit.
    #[error("the {kind} value is empty")]
    Empty {
        /// The kind that was asked for.
        kind: SelectorKind,
    },
    /// The value is longer than this kind allows.
    #[error("the {kind} value is longer than {max} characters")]
    TooLong {
        /// The kind that was asked for.
        kind: SelectorKind,
        /// The longest value accepted, in characters.
        max: usize,
    },
    /// The selector kind name is not one of the known kinds.
    #[error(
        "unknown selector kind (expected phone, email, address, plate, handle, url or workplace)"
    )]
    UnknownKind,
    /// The default region is not an ISO 3166 alpha-2 code known to the phone-number metadata.
    #[error("the default region is not an ISO 3166 alpha-2 code with phone-number metadata (e.g. SK, ES)")]
    UnknownRegion,
    /// A phone number without `+` or `00` and a country code, and no default region to read it in.
    #[error("a phone number in national format needs a default region (or write it with + and the country code)")]
    PhoneNeedsRegion,
    /// Not a valid phone number: unknown country code, wrong length or an unassigned range.
    #[error("{}", match region {
        Some(region) => format!("not a valid phone number for region {region}"),
        None => "not a valid international phone number".to_owned(),
    })]
    InvalidPhone {
        /// The default region the national-format number was read in; `None` when the number
        /// was written with its country code.
        region: Option<String>,
    },
    /// Not an e-mail address (`local@domain.tld`, no display name, no quoted local part).
    #[error("not an e-mail address")]
    InvalidEmail,
    /// Not an `http`/`https` URL with a host name or IP address.
    #[error("not an http or https URL with a host name")]
    InvalidUrl,
    /// A URL given as a handle that is not a profile on a known platform.
    #[error("a URL that is not a profile on a known platform (telegram, instagram, facebook, tiktok, x); give it as kind url")]
    NotAProfileUrl,
    /// Not a handle: letters, digits, `_`, `.` and `-` after an optional `platform:` and `@`.
    #[error("not a handle: expected letters, digits, '_', '.' or '-' after an optional \"platform:\" prefix and \"@\"")]
    InvalidHandle,
    /// Not a vehicle plate: 2 to 15 letters and digits after an optional country prefix.
    #[error("not a vehicle plate: expected 2 to 15 letters and digits after an optional country prefix such as \"SK:\"")]
    InvalidPlate,
}

impl SelectorError {
    /// The host-visible classification: always [`ErrorKind::InvalidSelector`].
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::InvalidSelector
    }
}
