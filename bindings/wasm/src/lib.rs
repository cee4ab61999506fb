//! wasm-bindgen wrapper of indicia-core. Every function converts, calls the core, and maps the
//! error; no logic lives here.
#![deny(missing_docs)]

mod checklist;
mod error;
mod package;
mod sealing;
mod store;

pub use checklist::*;
pub use package::*;
pub use sealing::*;
pub use store::*;
