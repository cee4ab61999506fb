//! The compiled form and its evaluation. Everything that can be decided at load time already
//! was (question indices, yes/no values, dates, choice ids), so evaluation only reads answers,
//! compares and never allocates.

use super::super::answer::{Answer, Date, YesNo};
use super::CmpOp;

/// The answers as `Expr::eval` receives them.
pub(super) type Values<'v, 'a> = &'v dyn Fn(usize) -> Option<&'a Answer>;

#[derive(Debug, Clone)]
pub(super) enum Node {
    Const(bool),
    Or(Box<[Node]>),
    And(Box<[Node]>),
    Not(Box<Node>),
    Answered(usize),
    /// For single_choice and multi_choice questions.
    Selected {
        question: usize,
        choice: Box<str>,
    },
    YesNo {
        question: usize,
        equal: bool,
        value: YesNo,
    },
    Choice {
        question: usize,
        equal: bool,
        choice: Box<str>,
    },
    Text {
        left: TextOp,
        equal: bool,
        right: TextOp,
    },
    Number {
        left: NumOp,
        op: CmpOp,
        right: NumOp,
    },
    Date {
        left: DateOp,
        op: CmpOp,
        right: DateOp,
    },
    Bool {
        left: Box<Node>,
        equal: bool,
        right: Box<Node>,
    },
}

#[derive(Debug, Clone)]
pub(super) enum TextOp {
    Lit(Box<str>),
    Question(usize),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum NumOp {
    Lit(f64),
    Question(usize),
    Count(usize),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum DateOp {
    Lit(Date),
    Question(usize),
}

// An answer of the wrong variant for its question cannot come from a checked session; it is
// treated as no value rather than trusted, so a bug elsewhere cannot fire an indicator.

impl TextOp {
    fn get<'r, 'a: 'r>(&'r self, values: Values<'_, 'a>) -> Option<&'r str> {
        match self {
            TextOp::Lit(s) => Some(s),
            TextOp::Question(q) => match values(*q) {
                Some(Answer::Text(s)) => Some(s),
                _ => None,
            },
        }
    }
}

impl NumOp {
    fn get(self, values: Values<'_, '_>) -> Option<f64> {
        match self {
            NumOp::Lit(n) => Some(n),
            NumOp::Question(q) => match values(q) {
                Some(Answer::Number(n)) => Some(*n),
                _ => None,
            },
            // The spec gives an unanswered multi_choice a count of 0, not "no value".
            NumOp::Count(q) => Some(match values(q) {
                Some(Answer::Choices(c)) => c.len() as f64,
                _ => 0.0,
            }),
        }
    }
}

impl DateOp {
    fn get(self, values: Values<'_, '_>) -> Option<Date> {
        match self {
            DateOp::Lit(d) => Some(d),
            DateOp::Question(q) => match values(q) {
                Some(Answer::Date(d)) => Some(*d),
                _ => None,
            },
        }
    }
}

impl Node {
    pub(super) fn eval(&self, values: Values<'_, '_>) -> bool {
        match self {
            Node::Const(b) => *b,
            Node::Or(items) => items.iter().any(|n| n.eval(values)),
            Node::And(items) => items.iter().all(|n| n.eval(values)),
            Node::Not(inner) => !inner.eval(values),
            Node::Answered(q) => values(*q).is_some(),
            Node::Selected { question, choice } => match values(*question) {
                Some(Answer::Choice(c)) => **c == **choice,
                Some(Answer::Choices(cs)) => cs.iter().any(|c| **c == **choice),
                _ => false,
            },
            Node::YesNo {
                question,
                equal,
                value,
            } => match values(*question) {
                Some(Answer::YesNo(v)) => (v == value) == *equal,
                _ => false,
            },
            Node::Choice {
                question,
                equal,
                choice,
            } => match values(*question) {
                Some(Answer::Choice(c)) => (**c == **choice) == *equal,
                _ => false,
            },
            Node::Text { left, equal, right } => match (left.get(values), right.get(values)) {
                (Some(l), Some(r)) => (l == r) == *equal,
                _ => false,
            },
            Node::Number { left, op, right } => match (left.get(values), right.get(values)) {
                (Some(l), Some(r)) => l.partial_cmp(&r).is_some_and(|o| op.holds(o)),
                _ => false,
            },
            Node::Date { left, op, right } => match (left.get(values), right.get(values)) {
                (Some(l), Some(r)) => op.holds(l.cmp(&r)),
                _ => false,
            },
            Node::Bool { left, equal, right } => {
                (left.eval(values) == right.eval(values)) == *equal
            }
        }
    }
}
