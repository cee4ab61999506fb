//! uniffi wrapper of indicia-core for Kotlin, Swift and Python. Every function converts, calls
//! the core, and maps the error; no logic lives here. uniffi turns a Rust panic into a host
//! exception, but the core is written not to panic on any input.
#![deny(missing_docs)]

mod checklist;
mod correlate;
mod error;
mod package;
mod receiver;
mod sealing;
mod store;

pub use checklist::*;
pub use correlate::*;
pub use error::IndiciaError;
pub use package::*;
pub use receiver::*;
pub use sealing::*;
pub use store::*;

uniffi::setup_scaffolding!();
