//! wasm-bindgen wrapper of indicia-core. Every function converts, calls the core, and maps the
//! error; no logic lives here.
//!
//! Features pick the module (scripts/build-wasm builds all three): `full` (default) everything,
//! for Node, tools and the web build; `store` alone what the app's store worker calls (the
//! store, compiling checklists, sealing); neither, the checklist exports only, the module a page
//! loads first.
#![deny(missing_docs)]

mod checklist;
mod error;
#[cfg(feature = "store")]
mod package;
#[cfg(feature = "store")]
mod sealing;
#[cfg(feature = "full")]
mod standalone;
#[cfg(feature = "store")]
mod store;

pub use checklist::*;
#[cfg(feature = "store")]
pub use package::*;
#[cfg(feature = "store")]
pub use sealing::*;
#[cfg(feature = "full")]
pub use standalone::*;
#[cfg(feature = "store")]
pub use store::*;
