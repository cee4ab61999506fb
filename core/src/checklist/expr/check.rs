//! Resolves question references and checks types, turning the untyped tree into the compiled
//! form. Every load-time rule of the spec that concerns a single expression is enforced here.

use super::super::answer::{Date, YesNo};
use super::eval::{DateOp, Node, NumOp, TextOp};
use super::parser::{Syn, SynKind};
use super::{clip, CmpOp, ExprErrorKind, Function, Located, QuestionType, Scope, Unresolved};

/// A checked sub-expression, before it is known how it will be used.
enum Value<'s> {
    Bool(Node),
    Num(NumOp, &'static str),
    Date(DateOp, &'static str),
    Str(String),
    /// yes_no, single_choice, multi_choice, text and attachment questions: these only mean
    /// something next to the operator or function that uses them.
    Question {
        index: usize,
        id: String,
        ty: &'s QuestionType,
    },
}

const BOOLEAN: &str = "a true/false value";
const STRING: &str = "a string";

fn question_name(ty: &QuestionType) -> &'static str {
    match ty {
        QuestionType::YesNo => "a yes_no question",
        QuestionType::SingleChoice { .. } => "a single_choice question",
        QuestionType::MultiChoice { .. } => "a multi_choice question",
        QuestionType::Number => "a number question",
        QuestionType::Date => "a date question",
        QuestionType::Text => "a text question",
        QuestionType::Attachment => "an attachment question",
    }
}

impl Value<'_> {
    fn name(&self) -> &'static str {
        match self {
            Value::Bool(_) => BOOLEAN,
            Value::Num(_, name) | Value::Date(_, name) => name,
            Value::Str(_) => STRING,
            Value::Question { ty, .. } => question_name(ty),
        }
    }
}

fn at(offset: usize, kind: ExprErrorKind) -> Located {
    Located { offset, kind }
}

pub(super) struct Checker<'s> {
    scope: &'s dyn Scope,
    pub refs: Vec<usize>,
}

impl<'s> Checker<'s> {
    pub fn new(scope: &'s dyn Scope) -> Self {
        Checker {
            scope,
            refs: Vec::new(),
        }
    }

    /// Checks a sub-expression that must be boolean; `context` names who needs it.
    pub fn boolean(&mut self, syn: &Syn, context: &'static str) -> Result<Node, Located> {
        match self.value(syn)? {
            Value::Bool(node) => Ok(node),
            other => Err(at(
                syn.pos,
                ExprErrorKind::NotBoolean {
                    found: other.name(),
                    context,
                },
            )),
        }
    }

    fn value(&mut self, syn: &Syn) -> Result<Value<'s>, Located> {
        Ok(match &syn.kind {
            SynKind::Or(items) => Value::Bool(Node::Or(self.booleans(items, "'or'")?)),
            SynKind::And(items) => Value::Bool(Node::And(self.booleans(items, "'and'")?)),
            SynKind::Not(inner) => Value::Bool(Node::Not(Box::new(self.boolean(inner, "'not'")?))),
            SynKind::Compare {
                op,
                op_pos,
                left,
                right,
            } => Value::Bool(self.compare(*op, *op_pos, left, right)?),
            SynKind::Ref(id) => self.question(id, syn.pos)?,
            SynKind::Str(s) => Value::Str(s.clone()),
            SynKind::Num(n) => Value::Num(NumOp::Lit(*n), "a number"),
            SynKind::Bool(b) => Value::Bool(Node::Const(*b)),
            SynKind::Call { function, args } => self.call(*function, syn.pos, args)?,
        })
    }

    fn booleans(&mut self, items: &[Syn], context: &'static str) -> Result<Box<[Node]>, Located> {
        items.iter().map(|s| self.boolean(s, context)).collect()
    }

    fn resolve(&mut self, id: &str, pos: usize) -> Result<(usize, &'s QuestionType), Located> {
        match self.scope.resolve(id) {
            Ok((index, ty)) => {
                self.refs.push(index);
                Ok((index, ty))
            }
            Err(Unresolved::Unknown) => Err(at(pos, ExprErrorKind::UnknownQuestion(clip(id)))),
            Err(Unresolved::NotEarlier) => Err(at(pos, ExprErrorKind::NotEarlier(clip(id)))),
        }
    }

    fn question(&mut self, id: &str, pos: usize) -> Result<Value<'s>, Located> {
        let (index, ty) = self.resolve(id, pos)?;
        Ok(match ty {
            QuestionType::Number => Value::Num(NumOp::Question(index), question_name(ty)),
            QuestionType::Date => Value::Date(DateOp::Question(index), question_name(ty)),
            _ => Value::Question {
                index,
                id: id.to_owned(),
                ty,
            },
        })
    }

    fn compare(
        &mut self,
        op: CmpOp,
        op_pos: usize,
        left: &Syn,
        right: &Syn,
    ) -> Result<Node, Located> {
        let l = self.value(left)?;
        let r = self.value(right)?;
        for side in [&l, &r] {
            if let Value::Question {
                ty: QuestionType::MultiChoice { .. } | QuestionType::Attachment,
                ..
            } = side
            {
                return Err(at(
                    op_pos,
                    ExprErrorKind::OperatorNotAllowed {
                        operator: op.as_str(),
                        ty: side.name(),
                    },
                ));
            }
        }
        let equal = op == CmpOp::Eq;
        let mismatch = |l: &Value, r: &Value| {
            at(
                op_pos,
                ExprErrorKind::TypeMismatch {
                    operator: op.as_str(),
                    left: l.name(),
                    right: r.name(),
                },
            )
        };
        // Only numbers and dates are ordered; everything else reaching here takes `=`/`!=` only.
        let equality_only = |ty: &'static str| -> Result<(), Located> {
            if op.is_equality() {
                Ok(())
            } else {
                Err(at(
                    op_pos,
                    ExprErrorKind::OperatorNotAllowed {
                        operator: op.as_str(),
                        ty,
                    },
                ))
            }
        };
        match (l, r) {
            (Value::Num(left, _), Value::Num(right, _)) => Ok(Node::Number { left, op, right }),
            (Value::Date(left, _), Value::Date(right, _)) => Ok(Node::Date { left, op, right }),
            (Value::Bool(left), Value::Bool(right)) => {
                equality_only(BOOLEAN)?;
                Ok(Node::Bool {
                    left: Box::new(left),
                    equal,
                    right: Box::new(right),
                })
            }
            (Value::Str(a), Value::Str(b)) => {
                equality_only(STRING)?;
                Ok(Node::Text {
                    left: TextOp::Lit(a.into()),
                    equal,
                    right: TextOp::Lit(b.into()),
                })
            }
            (Value::Question { index, id, ty }, Value::Str(lit))
            | (Value::Str(lit), Value::Question { index, id, ty }) => {
                let lit_pos = match left.kind {
                    SynKind::Str(_) => left.pos,
                    _ => right.pos,
                };
                equality_only(question_name(ty))?;
                match ty {
                    QuestionType::YesNo => {
                        let value = lit
                            .parse::<YesNo>()
                            .map_err(|()| at(lit_pos, ExprErrorKind::InvalidYesNo(clip(&lit))))?;
                        Ok(Node::YesNo {
                            question: index,
                            equal,
                            value,
                        })
                    }
                    QuestionType::SingleChoice { choices } => {
                        check_choice(choices, &id, &lit, lit_pos)?;
                        Ok(Node::Choice {
                            question: index,
                            equal,
                            choice: lit.into(),
                        })
                    }
                    QuestionType::Text => Ok(Node::Text {
                        left: TextOp::Question(index),
                        equal,
                        right: TextOp::Lit(lit.into()),
                    }),
                    _ => Err(mismatch(
                        &Value::Question { index, id, ty },
                        &Value::Str(lit),
                    )),
                }
            }
            (
                Value::Question {
                    index: a,
                    ty: QuestionType::Text,
                    ..
                },
                Value::Question {
                    index: b,
                    ty: QuestionType::Text,
                    ..
                },
            ) => {
                equality_only(question_name(&QuestionType::Text))?;
                Ok(Node::Text {
                    left: TextOp::Question(a),
                    equal,
                    right: TextOp::Question(b),
                })
            }
            (l, r) => Err(mismatch(&l, &r)),
        }
    }

    fn call(&mut self, function: Function, pos: usize, args: &[Syn]) -> Result<Value<'s>, Located> {
        let expected = function.arity();
        if args.len() != expected {
            return Err(at(
                pos,
                ExprErrorKind::WrongArgumentCount {
                    function: function.name(),
                    expected,
                    found: args.len(),
                },
            ));
        }
        let wrong = |this: &mut Self, index: usize, arg: &Syn, expected: &'static str| {
            let found = match this.value(arg) {
                Ok(v) => v.name(),
                Err(e) => return e,
            };
            at(
                arg.pos,
                ExprErrorKind::WrongArgument {
                    function: function.name(),
                    index,
                    expected,
                    found,
                },
            )
        };
        match (function, args) {
            (Function::Answered, [q]) => {
                let SynKind::Ref(id) = &q.kind else {
                    return Err(wrong(self, 1, q, "a question (${…})"));
                };
                let (index, _) = self.resolve(id, q.pos)?;
                Ok(Value::Bool(Node::Answered(index)))
            }
            (Function::Selected, [q, choice]) => {
                const EXPECTED: &str = "a single_choice or multi_choice question (${…})";
                let SynKind::Ref(id) = &q.kind else {
                    return Err(wrong(self, 1, q, EXPECTED));
                };
                let (index, ty) = self.resolve(id, q.pos)?;
                let (QuestionType::SingleChoice { choices }
                | QuestionType::MultiChoice { choices }) = ty
                else {
                    return Err(at(
                        q.pos,
                        ExprErrorKind::WrongArgument {
                            function: function.name(),
                            index: 1,
                            expected: EXPECTED,
                            found: question_name(ty),
                        },
                    ));
                };
                let SynKind::Str(lit) = &choice.kind else {
                    return Err(wrong(self, 2, choice, "a choice id in quotes"));
                };
                check_choice(choices, id, lit, choice.pos)?;
                Ok(Value::Bool(Node::Selected {
                    question: index,
                    choice: lit.as_str().into(),
                }))
            }
            (Function::Count, [q]) => {
                const EXPECTED: &str = "a multi_choice question (${…})";
                let SynKind::Ref(id) = &q.kind else {
                    return Err(wrong(self, 1, q, EXPECTED));
                };
                let (index, ty) = self.resolve(id, q.pos)?;
                if !matches!(ty, QuestionType::MultiChoice { .. }) {
                    return Err(at(
                        q.pos,
                        ExprErrorKind::WrongArgument {
                            function: function.name(),
                            index: 1,
                            expected: EXPECTED,
                            found: question_name(ty),
                        },
                    ));
                }
                Ok(Value::Num(NumOp::Count(index), "a number"))
            }
            (Function::Date, [lit]) => {
                let SynKind::Str(text) = &lit.kind else {
                    return Err(wrong(self, 1, lit, "a date in quotes ('YYYY-MM-DD')"));
                };
                let date = text
                    .parse::<Date>()
                    .map_err(|()| at(lit.pos, ExprErrorKind::InvalidDate(clip(text))))?;
                Ok(Value::Date(DateOp::Lit(date), "a date"))
            }
            // The arity check above makes every other shape unreachable; report it as a count
            // mismatch rather than panic.
            _ => Err(at(
                pos,
                ExprErrorKind::WrongArgumentCount {
                    function: function.name(),
                    expected,
                    found: args.len(),
                },
            )),
        }
    }
}

fn check_choice(
    choices: &[String],
    question: &str,
    choice: &str,
    pos: usize,
) -> Result<(), Located> {
    if choices.iter().any(|c| c == choice) {
        Ok(())
    } else {
        Err(at(
            pos,
            ExprErrorKind::UnknownChoice {
                question: clip(question),
                choice: clip(choice),
            },
        ))
    }
}
