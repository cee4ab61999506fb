//! Indicia core: everything the field app, the web widget and the receiver share.
//!
//! The core owns all logic; the wasm, uniffi and CLI layers only convert types and map errors.
//! It opens no network connection and contains no FFI. ARCHITECTURE.md (at the repository
//! root) says which module may use which; cargo features leave out what a build does not use:
//! `store` (the field store), `receiver` (the receiving unit's database, with `correlate`),
//! `correlate` (selectors and clusters), `vault` (the encrypted storage engine, which both of the
//! first two imply). The browser's store worker takes only `store`; its checklist-only module
//! takes none of them.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]

/// `Debug` for a type that holds case content or personal data: its name and the listed
/// non-personal fields only (ids, statuses, times, sizes), so a log line or a panic message
/// never carries a title, an answer, a note or a name.
macro_rules! redacted_debug {
    ($t:ident { $($field:ident),* }) => {
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use redacted_debug;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("indicia_core");
#[cfg(feature = "uniffi")]
mod uniffi_types;

mod bom;
pub mod checklist;
mod clock;
#[cfg(feature = "correlate")]
pub mod correlate;
pub mod custody;
pub mod error;
mod header_limit;
pub mod hex;
pub mod keys;
pub mod package;
#[cfg(feature = "receiver")]
pub mod receiver;
pub mod sealing;
#[cfg(feature = "store")]
pub mod store;
#[cfg(feature = "vault")]
pub mod vault;

pub use bom::without_bom;
pub use error::{Classified, ErrorKind};
pub use keys::{parse_identities, parse_recipients, Identity, KeyError, Recipient};
pub use sealing::{
    is_age_file, open, open_stream, open_with_passphrase, protect_with_passphrase, seal,
    seal_stream, Armor, SealError,
};
