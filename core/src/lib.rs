//! Indicia core: everything the field app, the web widget and the receiver share.
//!
//! The core owns all logic; the wasm, uniffi and CLI layers only convert types and map errors.
//! It opens no network connection and contains no FFI.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checklist;
mod clock;
pub mod correlate;
pub mod error;
pub mod keys;
pub mod package;
pub mod receiver;
pub mod sealing;
pub mod store;

pub use error::ErrorKind;
pub use keys::{parse_identities, parse_recipients, Identity, KeyError, Recipient};
pub use sealing::{
    is_age_file, open, open_stream, open_with_passphrase, protect_with_passphrase, seal,
    seal_stream, Armor, SealError,
};
