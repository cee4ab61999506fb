//! The skip-logic and mapping expression language of checklist definitions
//! (docs/formats/checklist.md, "Expressions").
//!
//! Expressions are compiled once, when a checklist is loaded: parsed, resolved against the
//! questions that come earlier, and type-checked, so that every mistake is a load error with a
//! line and column. The compiled [`Expr`] is then evaluated on every answer change, without
//! allocating.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::expr::{compile, QuestionType, Scope, Unresolved};
//! use indicia_core::checklist::{Answer, YesNo};
//!
//! /// Two earlier questions: `age` (index 0) and `consent` (index 1).
//! struct Earlier([QuestionType; 2]);
//! impl Scope for Earlier {
//!     fn resolve(&self, id: &str) -> Result<(usize, &QuestionType), Unresolved> {
//!         match id {
//!             "age" => Ok((0, &self.0[0])),
//!             "consent" => Ok((1, &self.0[1])),
//!             _ => Err(Unresolved::Unknown),
//!         }
//!     }
//! }
//! let scope = Earlier([QuestionType::Number, QuestionType::YesNo]);
//! let expr = compile("${age} < 18 and ${consent} = 'no'", &scope)?;
//! assert_eq!(expr.references(), [0, 1]);
//! let answers = [Some(Answer::Number(16.0)), Some(Answer::YesNo(YesNo::No))];
//! assert!(expr.eval(&|i| answers[i].as_ref()));
//! assert!(!expr.eval(&|_| None)); // unanswered or hidden
//!
//! // Mistakes are found when compiling, with a line and column.
//! let err = compile("${age} == 18", &scope).unwrap_err();
//! assert_eq!((err.line, err.column), (1, 8));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
mod compiled;
mod eval;
mod lexer;
mod parser;

use super::answer::Answer;

/// At most this many bytes of source.
const MAX_BYTES: usize = 2000;
/// At most this many values, operators and function calls.
const MAX_NODES: u32 = 200;
/// At most this many levels of `(`, `not` and function calls.
const MAX_DEPTH: u32 = 32;
/// Echoed author text is cut to this many characters, so one runaway literal cannot flood a
/// list of load errors.
const MAX_ECHO: usize = 40;

/// The type of a question as expressions see it.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionType {
    /// `yes_no`: compared with `'yes'`, `'no'`, `'unknown'` or `'declined'`.
    YesNo,
    /// `single_choice`: compared with one of its choice ids, or tested with `selected()`.
    SingleChoice {
        /// The choice ids, in any order.
        choices: Vec<String>,
    },
    /// `multi_choice`: read only through `selected()` and `count()`.
    MultiChoice {
        /// The choice ids, in any order.
        choices: Vec<String>,
    },
    /// `number`: compared with numbers, by all six operators.
    Number,
    /// `date`: compared with `date('YYYY-MM-DD')` or another date question.
    Date,
    /// `text`: compared with strings or other text questions, by `=` and `!=`.
    Text,
    /// `attachment`: read only through `answered()`.
    Attachment,
}

/// Why `${id}` could not be resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// No question has this id.
    Unknown,
    /// The question exists but does not come earlier in the document than the expression
    /// (which would allow circular relevance).
    NotEarlier,
}

/// What the loader knows about questions while compiling one expression.
pub trait Scope {
    /// The question's index (used at evaluation time) and type, or why it cannot be referenced
    /// here.
    fn resolve(&self, id: &str) -> Result<(usize, &QuestionType), Unresolved>;
}

/// A compiled, type-checked boolean expression.
#[derive(Debug, Clone)]
pub struct Expr {
    root: eval::Node,
    references: Box<[usize]>,
}

/// A compile error with a 1-based position inside the expression source.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct ExprError {
    /// 1-based line; lines are separated by `\n`.
    pub line: u32,
    /// 1-based column, counted in characters (Unicode scalar values), not bytes.
    pub column: u32,
    /// What is wrong.
    pub kind: ExprErrorKind,
}

/// What is wrong with an expression: one variant per distinct author mistake. Text echoed from
/// the expression is cut to 40 characters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExprErrorKind {
    /// The source is longer than 2000 bytes (reported at line 1, column 1).
    #[error("the expression is {len} bytes long; at most 2000 are allowed")]
    TooLong {
        /// The length of the source in bytes.
        len: usize,
    },
    /// More than 200 values, operators and function calls.
    #[error("the expression has more than 200 values, operators and function calls")]
    TooManyNodes,
    /// More than 32 levels of parentheses, `not` and function calls.
    #[error(
        "the expression nests more than 32 levels deep (parentheses, 'not' and function calls)"
    )]
    TooDeep,
    /// A character that starts no token.
    #[error("unexpected character {0:?}")]
    UnexpectedChar(char),
    /// An operator from another language, such as `==`, `&&` or `!`.
    #[error("'{found}' is not an operator here; use '{use_instead}'")]
    ForeignOperator {
        /// What was written.
        found: &'static str,
        /// The operator of this language that means the same.
        use_instead: &'static str,
    },
    /// A string in double quotes.
    #[error("strings are written in single quotes ('like this'), not double quotes")]
    DoubleQuotedString,
    /// A string whose closing quote is missing (reported at the opening quote).
    #[error("this string has no closing quote (a quote inside a string is written '')")]
    UnterminatedString,
    /// `${` with no question id after it.
    #[error("'${{' must be followed by a question id and '}}'")]
    EmptyReference,
    /// `${id` without the closing `}`.
    #[error("'${{{0}' has no closing '}}'")]
    UnclosedReference(String),
    /// A malformed number, such as `1.`, `1e5` or `12abc`, or one too large to represent.
    #[error("'{0}' is not a number (numbers look like 3, -1 or 2.5)")]
    InvalidNumber(String),
    /// A keyword or function name not in lower case, such as `AND`.
    #[error("keywords are lower case: write '{expected}', not '{found}'")]
    KeywordCase {
        /// What was written.
        found: String,
        /// The keyword in lower case.
        expected: &'static str,
    },
    /// A word that is neither a keyword nor a function, e.g. a question id without `${}` or an
    /// unquoted string.
    #[error("unexpected word '{0}': write a question as ${{{0}}} and a string in single quotes")]
    BareWord(String),
    /// A function name that does not exist.
    #[error("unknown function '{0}'; the functions are answered, selected, count and date")]
    UnknownFunction(String),
    /// A token that cannot stand where it is.
    #[error("expected {expected}, found {found}")]
    UnexpectedToken {
        /// What the grammar allows here.
        expected: &'static str,
        /// The token found, as written (cut to 40 characters).
        found: String,
    },
    /// The expression stops where the grammar needs more (reported just past the end).
    #[error("the expression ends too early: expected {expected}")]
    UnexpectedEnd {
        /// What the grammar needs here.
        expected: &'static str,
    },
    /// A `(` that is never closed (reported at the `(`).
    #[error("this '(' is never closed with ')'")]
    UnclosedParen,
    /// A `)` with no `(` before it.
    #[error("this ')' has no matching '('")]
    UnmatchedCloseParen,
    /// `a < b < c`: comparisons cannot be chained (reported at the second operator).
    #[error(
        "comparisons cannot be chained; join them with 'and', as in ${{n}} > 1 and ${{n}} < 5"
    )]
    ChainedComparison,
    /// `${id}` names no question.
    #[error("unknown question '{0}'")]
    UnknownQuestion(String),
    /// `${id}` names a question that does not come earlier in the checklist.
    #[error("question '{0}' is not earlier in the checklist; only earlier questions can be used")]
    NotEarlier(String),
    /// A function called with the wrong number of arguments (reported at the function name).
    #[error("{function}() takes {}, found {found}", plural_arguments(*expected))]
    WrongArgumentCount {
        /// The function.
        function: &'static str,
        /// How many arguments it takes.
        expected: usize,
        /// How many were given.
        found: usize,
    },
    /// A function argument of the wrong kind (reported at the argument).
    #[error("argument {index} of {function}() must be {expected}, found {found}")]
    WrongArgument {
        /// The function.
        function: &'static str,
        /// 1-based position of the argument.
        index: usize,
        /// What the argument must be.
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// A string compared with, or passed to `selected()` for, a choice question that has no
    /// such choice.
    #[error("'{choice}' is not a choice of question '{question}'")]
    UnknownChoice {
        /// The question id.
        question: String,
        /// The string given.
        choice: String,
    },
    /// A string compared with a yes_no question that is not one of its four answers.
    #[error("'{0}' is not a yes_no answer; use 'yes', 'no', 'unknown' or 'declined'")]
    InvalidYesNo(String),
    /// `date('…')` with something that is not a real calendar day as `YYYY-MM-DD`.
    #[error("'{0}' is not a date; write 'YYYY-MM-DD', e.g. '2024-03-31'")]
    InvalidDate(String),
    /// A comparison of two values that cannot be compared (reported at the operator).
    #[error("cannot compare {left} with {right} using '{operator}'")]
    TypeMismatch {
        /// The comparison operator.
        operator: &'static str,
        /// The left-hand side's type.
        left: &'static str,
        /// The right-hand side's type.
        right: &'static str,
    },
    /// An operator that the operand's type does not support (reported at the operator).
    #[error("'{operator}' cannot be used on {ty}{}", operator_hint(ty))]
    OperatorNotAllowed {
        /// The comparison operator.
        operator: &'static str,
        /// The operand's type.
        ty: &'static str,
    },
    /// A non-boolean where `and`, `or`, `not` or the whole expression needs true or false
    /// (reported at the start of the offending part).
    #[error("{context} needs a true/false value, found {found}")]
    NotBoolean {
        /// What was found.
        found: &'static str,
        /// Who needs the boolean: `'and'`, `'or'`, `'not'` or `the expression`.
        context: &'static str,
    },
}

fn plural_arguments(n: usize) -> String {
    match n {
        1 => "1 argument".to_owned(),
        n => format!("{n} arguments"),
    }
}

fn operator_hint(ty: &str) -> &'static str {
    match ty {
        "a multi_choice question" => " (use selected() or count())",
        "an attachment question" => " (use answered())",
        _ => " (only '=' and '!=' work here)",
    }
}

/// Cuts echoed author text to `MAX_ECHO` characters.
fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHO) {
        None => text.to_owned(),
        Some(_) => {
            let cut = text
                .char_indices()
                .nth(MAX_ECHO - 1)
                .map_or(text.len(), |(i, _)| i);
            format!("{}…", text.get(..cut).unwrap_or(text))
        }
    }
}

/// The six comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    fn is_equality(self) -> bool {
        matches!(self, CmpOp::Eq | CmpOp::Ne)
    }

    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Le => ord != Greater,
            CmpOp::Gt => ord == Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    Answered,
    Selected,
    Count,
    Date,
}

impl Function {
    fn name(self) -> &'static str {
        match self {
            Function::Answered => "answered",
            Function::Selected => "selected",
            Function::Count => "count",
            Function::Date => "date",
        }
    }

    fn arity(self) -> usize {
        match self {
            Function::Selected => 2,
            Function::Answered | Function::Count | Function::Date => 1,
        }
    }
}

/// An error at a byte offset; turned into line and column only when it leaves the module.
#[derive(Debug)]
struct Located {
    offset: usize,
    kind: ExprErrorKind,
}

impl Located {
    fn into_error(self, source: &str) -> ExprError {
        let before = source.get(..self.offset).unwrap_or(source);
        let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        ExprError {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            kind: self.kind,
        }
    }
}

/// Parses and type-checks `source`; the result must be boolean.
pub fn compile(source: &str, scope: &dyn Scope) -> Result<Expr, ExprError> {
    if source.len() > MAX_BYTES {
        return Err(ExprError {
            line: 1,
            column: 1,
            kind: ExprErrorKind::TooLong { len: source.len() },
        });
    }
    let compiled = parser::parse(source).and_then(|syn| {
        let mut checker = check::Checker::new(scope);
        let root = checker.boolean(&syn, "the expression")?;
        let mut references = checker.refs;
        references.sort_unstable();
        references.dedup();
        Ok(Expr {
            root,
            references: references.into_boxed_slice(),
        })
    });
    compiled.map_err(|e| e.into_error(source))
}

impl Expr {
    /// Evaluates with the current answers: `value(i)` is the answer of question `i`, or `None`
    /// when it is unanswered OR hidden.
    pub fn eval<'a>(&self, value: &dyn Fn(usize) -> Option<&'a Answer>) -> bool {
        self.root.eval(value)
    }

    /// Sorted, de-duplicated indices of the questions this expression reads.
    pub fn references(&self) -> &[usize] {
        &self.references
    }
}

#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fixture;
#[cfg(test)]
mod tests;
