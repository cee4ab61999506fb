//! Indicator checklists: definitions (data), skip logic, assessment with explanations, and a
//! session API for user interfaces. Format: docs/formats/checklist.md.

pub mod answer;
pub mod assess;
pub mod builtin;
pub mod definition;
pub mod expr;
mod info;
pub mod load;
pub mod load_error;
pub mod model;
mod phrases;
pub mod session;
mod strict_json;

pub use answer::{Answer, Date, YesNo};
pub use assess::{assess, Assessment, RuleKind, Visibility};
pub use definition::{Mode, Population, QuestionKind, ReviewStatus, Strength};
pub use info::ChecklistInfo;
pub use load_error::{LoadError, LoadErrorKind, LoadErrors};
pub use model::{Checklist, ChecklistRef};
pub use session::{AnswerError, Progress, QuestionView, Session};
