//! Recursive-descent parser producing an untyped tree. Recursion only happens through `(`,
//! `not` and function calls, and each of those passes `enter`, so hostile input is stopped at
//! `MAX_DEPTH` levels long before the stack is at risk.

use super::lexer::{Lexer, Tok, Token};
use super::{clip, CmpOp, ExprErrorKind, Function, Located, MAX_DEPTH, MAX_NODES};

#[derive(Debug)]
pub(super) struct Syn {
    /// Byte offset where this part of the expression starts (the `(` for a parenthesised part).
    pub pos: usize,
    pub kind: SynKind,
}

#[derive(Debug)]
pub(super) enum SynKind {
    Or(Vec<Syn>),
    And(Vec<Syn>),
    Not(Box<Syn>),
    Compare {
        op: CmpOp,
        op_pos: usize,
        left: Box<Syn>,
        right: Box<Syn>,
    },
    Ref(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Call {
        function: Function,
        args: Vec<Syn>,
    },
}

const EXPECT_VALUE: &str =
    "a value (${question}, a 'string', a number, true, false, a function or '(')";
const EXPECT_VALUE_OR_NOT: &str =
    "a value (${question}, a 'string', a number, true, false, a function, '(' or 'not')";

pub(super) fn parse(src: &str) -> Result<Syn, Located> {
    let mut p = Parser {
        lexer: Lexer::new(src),
        peeked: None,
        depth: 0,
        nodes: 0,
    };
    let expr = p.or()?;
    let t = p.next()?;
    match t.tok {
        Tok::End => Ok(expr),
        Tok::RParen => Err(at(t.start, ExprErrorKind::UnmatchedCloseParen)),
        _ => Err(p.unexpected(&t, "'and', 'or' or the end of the expression")),
    }
}

fn at(offset: usize, kind: ExprErrorKind) -> Located {
    Located { offset, kind }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    depth: u32,
    nodes: u32,
}

impl Parser<'_> {
    fn next(&mut self) -> Result<Token, Located> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lexer.next_token(),
        }
    }

    fn peek(&mut self) -> Result<&Tok, Located> {
        let token = match self.peeked.take() {
            Some(t) => t,
            None => self.lexer.next_token()?,
        };
        Ok(&self.peeked.insert(token).tok)
    }

    fn enter(&mut self, pos: usize) -> Result<(), Located> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(at(pos, ExprErrorKind::TooDeep));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn node(&mut self, pos: usize) -> Result<(), Located> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(at(pos, ExprErrorKind::TooManyNodes));
        }
        Ok(())
    }

    /// The error for a token that cannot stand here; running out of input gets its own kind.
    fn unexpected(&self, t: &Token, expected: &'static str) -> Located {
        if t.tok == Tok::End {
            return at(t.start, ExprErrorKind::UnexpectedEnd { expected });
        }
        let text = self.lexer.src().get(t.start..t.end).unwrap_or("");
        let found = match t.tok {
            // Literals and references already carry their own delimiters.
            Tok::Str(_) | Tok::Num(_) | Tok::Ref(_) => clip(text),
            _ => format!("'{}'", clip(text)),
        };
        at(t.start, ExprErrorKind::UnexpectedToken { expected, found })
    }

    fn or(&mut self) -> Result<Syn, Located> {
        self.chain(Tok::Or, Parser::and, SynKind::Or)
    }

    fn and(&mut self) -> Result<Syn, Located> {
        self.chain(Tok::And, Parser::not, SynKind::And)
    }

    /// `item (sep item)*`, kept flat so that long chains cost no recursion.
    fn chain(
        &mut self,
        sep: Tok,
        item: fn(&mut Self) -> Result<Syn, Located>,
        build: fn(Vec<Syn>) -> SynKind,
    ) -> Result<Syn, Located> {
        let first = item(self)?;
        if *self.peek()? != sep {
            return Ok(first);
        }
        let pos = first.pos;
        let mut items = vec![first];
        while *self.peek()? == sep {
            let t = self.next()?;
            self.node(t.start)?;
            items.push(item(self)?);
        }
        Ok(Syn {
            pos,
            kind: build(items),
        })
    }

    fn not(&mut self) -> Result<Syn, Located> {
        if *self.peek()? != Tok::Not {
            return self.comparison(EXPECT_VALUE_OR_NOT);
        }
        let t = self.next()?;
        self.enter(t.start)?;
        self.node(t.start)?;
        let inner = self.not()?;
        self.leave();
        Ok(Syn {
            pos: t.start,
            kind: SynKind::Not(Box::new(inner)),
        })
    }

    fn comparison(&mut self, expected: &'static str) -> Result<Syn, Located> {
        let left = self.operand(expected)?;
        let Tok::Cmp(op) = *self.peek()? else {
            return Ok(left);
        };
        let t = self.next()?;
        self.node(t.start)?;
        let right = self.operand(EXPECT_VALUE)?;
        let next = self.next()?;
        if let Tok::Cmp(_) = next.tok {
            return Err(at(next.start, ExprErrorKind::ChainedComparison));
        }
        self.peeked = Some(next);
        Ok(Syn {
            pos: left.pos,
            kind: SynKind::Compare {
                op,
                op_pos: t.start,
                left: Box::new(left),
                right: Box::new(right),
            },
        })
    }

    fn operand(&mut self, expected: &'static str) -> Result<Syn, Located> {
        let t = self.next()?;
        let kind = match t.tok {
            Tok::LParen => return self.group(t.start),
            Tok::Func(function) => return self.call(function, t.start),
            Tok::Ref(id) => SynKind::Ref(id),
            Tok::Str(s) => SynKind::Str(s),
            Tok::Num(n) => SynKind::Num(n),
            Tok::True => SynKind::Bool(true),
            Tok::False => SynKind::Bool(false),
            Tok::RParen | Tok::Comma | Tok::Cmp(_) | Tok::And | Tok::Or | Tok::Not | Tok::End => {
                return Err(self.unexpected(&t, expected))
            }
        };
        self.node(t.start)?;
        Ok(Syn { pos: t.start, kind })
    }

    fn group(&mut self, open: usize) -> Result<Syn, Located> {
        self.enter(open)?;
        let mut inner = self.or()?;
        let t = self.next()?;
        match t.tok {
            Tok::RParen => {}
            Tok::End => return Err(at(open, ExprErrorKind::UnclosedParen)),
            _ => return Err(self.unexpected(&t, "')', 'and' or 'or'")),
        }
        self.leave();
        inner.pos = open;
        Ok(inner)
    }

    fn call(&mut self, function: Function, name_pos: usize) -> Result<Syn, Located> {
        self.node(name_pos)?;
        let open = self.next()?;
        if open.tok != Tok::LParen {
            return Err(self.unexpected(&open, "'(' after the function name"));
        }
        self.enter(open.start)?;
        let mut args = Vec::new();
        if *self.peek()? == Tok::RParen {
            self.next()?;
        } else {
            loop {
                args.push(self.or()?);
                let t = self.next()?;
                match t.tok {
                    Tok::Comma => {}
                    Tok::RParen => break,
                    Tok::End => return Err(at(open.start, ExprErrorKind::UnclosedParen)),
                    _ => return Err(self.unexpected(&t, "',' or ')'")),
                }
            }
        }
        self.leave();
        Ok(Syn {
            pos: name_pos,
            kind: SynKind::Call { function, args },
        })
    }
}
