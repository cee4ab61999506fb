//! wasm-bindgen wrapper of indicia-core. Every function converts, calls the core, and maps the
//! error; no logic lives here.
//!
//! Without the `store` feature only the checklist exports are built: the module a page loads
//! first, before the store worker loads the full one (scripts/build-wasm builds both).
#![deny(missing_docs)]

mod checklist;
mod error;
#[cfg(feature = "store")]
mod package;
#[cfg(feature = "store")]
mod sealing;
#[cfg(feature = "store")]
mod store;

pub use checklist::*;
#[cfg(feature = "store")]
pub use package::*;
#[cfg(feature = "store")]
pub use sealing::*;
#[cfg(feature = "store")]
pub use store::*;
