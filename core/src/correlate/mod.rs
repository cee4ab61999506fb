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
//!
//! # Example
//!
//! ```rust
//! use indicia_core::correlate::{
//!     clusters, extract_from_text, normalise, ReportSelectors, SelectorKind,
//! };
//!
//! // A Slovak number written nationally becomes E.164.
//! let phone = normalise(SelectorKind::Phone, "0903 123 456", Some("SK"))?;
//! assert_eq!(phone.value, "+421903123456");
//! // The same number, written another way in a free-text note.
//! let found = extract_from_text("He called from +421 903 123 456 twice.", None);
//! assert!(found.contains(&phone));
//!
//! // Two organisations' reports that share it form one cluster.
//! let report = |id: &str, organisation: &str| ReportSelectors {
//!     report_id: id.into(),
//!     organisation: organisation.into(),
//!     selectors: vec![phone.clone()],
//!     signer_revoked: false,
//! };
//! let linked = clusters(&[report("r1", "ngo-a"), report("r2", "ngo-b")], 2);
//! assert_eq!(linked[0].reports, ["r1", "r2"]);
//! assert_eq!(linked[0].shared, [phone]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
pub use phone::check_region;
pub use report::{report_selectors, selectors_in_text};
pub use selector::{normalise, Selector, SelectorKind};
