//! The receiver's correlation of minor indications.
//!
//! Reports from different organisations mention selectors — phone numbers, e-mail addresses,
//! street addresses, vehicle plates, online handles, URLs, workplace names. Each is brought to
//! one normal form ([`normalise`]), found in free-text notes ([`extract_from_text`]), and reports
//! that share a normalised selector are grouped ([`clusters`]), so that signs seen by different
//! organisations combine into one picture.
//!
//! Matching is exact after normalisation, never fuzzy: two values are the same selector only if
//! their normal forms are equal (rules per kind in `docs/correlation.md`).
//!
//! Selector values are personal data. No error of this module contains an input value; errors
//! name the kind, the default region or a limit only.

mod cluster;
mod email;
mod error;
mod extract;
mod names;
mod phone;
mod plate;
mod report;
mod selector;
mod web;

pub use cluster::{clusters, Cluster, ReportSelectors};
pub use error::SelectorError;
pub use extract::extract_from_text;
pub use report::{report_selectors, selectors_in_text};
pub use selector::{normalise, Selector, SelectorKind};
