//! Indicator checklists: definitions (data), skip logic, assessment with explanations, and a
//! session API for user interfaces. Format: docs/formats/checklist.md.
//!
//! # Example
//!
//! ```rust
//! use std::sync::Arc;
//!
//! use indicia_core::checklist::{builtin, Answer, Session, YesNo};
//!
//! let checklist = builtin::load("first-contact")?;
//! let mut session = Session::new(Arc::new(checklist), "en");
//! assert!(session.assessment().fired.is_empty());
//!
//! // One answer fires one indicator, and the assessment says which question fired it.
//! session.answer("debt", Answer::YesNo(YesNo::Yes))?;
//! let assessment = session.assessment();
//! assert_eq!(assessment.fired.len(), 1);
//! assert_eq!(assessment.fired[0].questions, ["debt"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod answer;
pub mod assess;
pub mod builtin;
// Generated (builtin::tests): the built-ins' ids, versions and content hashes.
#[rustfmt::skip]
mod builtin_table;
pub mod compiled;
pub mod definition;
pub mod expr;
mod info;
pub mod load;
pub mod load_error;
pub mod model;
mod phrases;
pub mod session;
pub mod signed;
mod strict_json;
#[cfg(feature = "xlsform")]
pub mod xlsform;

pub use answer::{Answer, Date, YesNo};
pub use assess::{assess, Assessment, RuleKind, Visibility};
pub use compiled::CompiledError;
pub use definition::{Mode, Population, QuestionKind, ReviewStatus, Strength};
pub use info::ChecklistInfo;
pub use load_error::{LoadError, LoadErrorKind, LoadErrors};
pub use model::{Checklist, ChecklistRef, Provenance};
pub use session::{AnswerError, Progress, QuestionView, Session};
pub use signed::{
    sign, ChecklistError, ChecklistPublisher, ChecklistTrust, LoadedChecklist, PublisherKey,
    TrustedPublisher, Untrusted,
};
