//! Indicia core: everything the field app, the web widget and the receiver share.
//!
//! The core owns all logic; the wasm, uniffi and CLI layers only convert types and map errors.
//! It opens no network connection and contains no FFI. ARCHITECTURE.md (at the repository
//! root) says which module may use which; cargo features leave out what a build does not use:
//! `store` (the field store), `receiver` (the receiving unit's database, with `correlate`),
//! `correlate` (selectors and clusters). The browser build takes only `store`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checklist;
mod clock;
#[cfg(feature = "correlate")]
pub mod correlate;
pub mod custody;
pub mod error;
pub mod keys;
pub mod package;
#[cfg(feature = "receiver")]
pub mod receiver;
pub mod sealing;
#[cfg(feature = "store")]
pub mod store;
pub mod vault;

pub use error::ErrorKind;
pub use keys::{parse_identities, parse_recipients, Identity, KeyError, Recipient};
pub use sealing::{
    is_age_file, open, open_stream, open_with_passphrase, protect_with_passphrase, seal,
    seal_stream, Armor, SealError,
};
