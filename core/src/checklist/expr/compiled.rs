//! A compiled expression in the compiled checklist form (`checklist::compiled`,
//! docs/formats/compiled-checklist.md): its node tree and the questions it reads. Reading checks
//! every question index against the questions the expression may read, every date, operator
//! and yes/no value, and the nesting depth.

use super::super::answer::{Date, YesNo};
use super::super::compiled::{Reader, Refused, Writer, MAX_DEPTH};
use super::eval::{DateOp, Node, NumOp, TextOp};
use super::{CmpOp, Expr};

const OPS: [CmpOp; 6] = [
    CmpOp::Eq,
    CmpOp::Ne,
    CmpOp::Lt,
    CmpOp::Le,
    CmpOp::Gt,
    CmpOp::Ge,
];

fn op_code(op: CmpOp) -> u8 {
    match op {
        CmpOp::Eq => 0,
        CmpOp::Ne => 1,
        CmpOp::Lt => 2,
        CmpOp::Le => 3,
        CmpOp::Gt => 4,
        CmpOp::Ge => 5,
    }
}

fn yes_no_code(v: YesNo) -> u8 {
    match v {
        YesNo::Yes => 0,
        YesNo::No => 1,
        YesNo::Unknown => 2,
        YesNo::Declined => 3,
    }
}

impl Expr {
    pub(crate) fn write(&self, w: &mut Writer) {
        w.len(self.references.len());
        for &q in self.references.iter() {
            w.len(q);
        }
        write_node(w, &self.root);
    }

    /// Reads an expression that may read questions `0..questions` only.
    pub(crate) fn read(r: &mut Reader, questions: usize) -> Result<Expr, Refused> {
        let references = r.list(|r| r.index(questions))?;
        let root = read_node(r, questions, 0)?;
        Ok(Expr {
            root,
            references: references.into_boxed_slice(),
        })
    }
}

fn write_node(w: &mut Writer, node: &Node) {
    match node {
        Node::Const(b) => {
            w.u8(0);
            w.bool(*b);
        }
        Node::Or(items) => {
            w.u8(1);
            w.len(items.len());
            items.iter().for_each(|n| write_node(w, n));
        }
        Node::And(items) => {
            w.u8(2);
            w.len(items.len());
            items.iter().for_each(|n| write_node(w, n));
        }
        Node::Not(inner) => {
            w.u8(3);
            write_node(w, inner);
        }
        Node::Answered(q) => {
            w.u8(4);
            w.len(*q);
        }
        Node::Selected { question, choice } => {
            w.u8(5);
            w.len(*question);
            w.str(choice);
        }
        Node::YesNo {
            question,
            equal,
            value,
        } => {
            w.u8(6);
            w.len(*question);
            w.bool(*equal);
            w.u8(yes_no_code(*value));
        }
        Node::Choice {
            question,
            equal,
            choice,
        } => {
            w.u8(7);
            w.len(*question);
            w.bool(*equal);
            w.str(choice);
        }
        Node::Text { left, equal, right } => {
            w.u8(8);
            write_text(w, left);
            w.bool(*equal);
            write_text(w, right);
        }
        Node::Number { left, op, right } => {
            w.u8(9);
            write_number(w, *left);
            w.u8(op_code(*op));
            write_number(w, *right);
        }
        Node::Date { left, op, right } => {
            w.u8(10);
            write_date(w, *left);
            w.u8(op_code(*op));
            write_date(w, *right);
        }
        Node::Bool { left, equal, right } => {
            w.u8(11);
            write_node(w, left);
            w.bool(*equal);
            write_node(w, right);
        }
    }
}

fn write_text(w: &mut Writer, op: &TextOp) {
    match op {
        TextOp::Lit(s) => {
            w.u8(0);
            w.str(s);
        }
        TextOp::Question(q) => {
            w.u8(1);
            w.len(*q);
        }
    }
}

fn write_number(w: &mut Writer, op: NumOp) {
    match op {
        NumOp::Lit(n) => {
            w.u8(0);
            w.f64(n);
        }
        NumOp::Question(q) => {
            w.u8(1);
            w.len(q);
        }
        NumOp::Count(q) => {
            w.u8(2);
            w.len(q);
        }
    }
}

fn write_date(w: &mut Writer, op: DateOp) {
    match op {
        DateOp::Lit(d) => {
            let (year, month, day) = d.parts();
            w.u8(0);
            w.u32(u32::from(year));
            w.u8(month);
            w.u8(day);
        }
        DateOp::Question(q) => {
            w.u8(1);
            w.len(q);
        }
    }
}

fn read_node(r: &mut Reader, questions: usize, depth: u32) -> Result<Node, Refused> {
    if depth > MAX_DEPTH {
        return Err("an expression nests too deep");
    }
    let next = |r: &mut Reader| read_node(r, questions, depth + 1);
    Ok(match r.u8()? {
        0 => Node::Const(r.bool()?),
        1 => Node::Or(r.list(next)?.into_boxed_slice()),
        2 => Node::And(r.list(next)?.into_boxed_slice()),
        3 => Node::Not(Box::new(next(r)?)),
        4 => Node::Answered(r.index(questions)?),
        5 => Node::Selected {
            question: r.index(questions)?,
            choice: r.str()?.into_boxed_str(),
        },
        6 => Node::YesNo {
            question: r.index(questions)?,
            equal: r.bool()?,
            value: *YesNo::ALL
                .get(usize::from(r.u8()?))
                .ok_or("an expression has an unknown yes/no value")?,
        },
        7 => Node::Choice {
            question: r.index(questions)?,
            equal: r.bool()?,
            choice: r.str()?.into_boxed_str(),
        },
        8 => Node::Text {
            left: read_text(r, questions)?,
            equal: r.bool()?,
            right: read_text(r, questions)?,
        },
        9 => Node::Number {
            left: read_number(r, questions)?,
            op: read_op(r)?,
            right: read_number(r, questions)?,
        },
        10 => Node::Date {
            left: read_date(r, questions)?,
            op: read_op(r)?,
            right: read_date(r, questions)?,
        },
        11 => Node::Bool {
            left: Box::new(next(r)?),
            equal: r.bool()?,
            right: Box::new(next(r)?),
        },
        _ => return Err("an expression has an unknown node"),
    })
}

fn read_op(r: &mut Reader) -> Result<CmpOp, Refused> {
    OPS.get(usize::from(r.u8()?))
        .copied()
        .ok_or("an expression has an unknown operator")
}

fn read_text(r: &mut Reader, questions: usize) -> Result<TextOp, Refused> {
    Ok(match r.u8()? {
        0 => TextOp::Lit(r.str()?.into_boxed_str()),
        1 => TextOp::Question(r.index(questions)?),
        _ => return Err("an expression has an unknown text operand"),
    })
}

fn read_number(r: &mut Reader, questions: usize) -> Result<NumOp, Refused> {
    Ok(match r.u8()? {
        0 => NumOp::Lit(r.f64()?),
        1 => NumOp::Question(r.index(questions)?),
        2 => NumOp::Count(r.index(questions)?),
        _ => return Err("an expression has an unknown number operand"),
    })
}

fn read_date(r: &mut Reader, questions: usize) -> Result<DateOp, Refused> {
    Ok(match r.u8()? {
        0 => {
            let year = u16::try_from(r.u32()?).map_err(|_| "a date is out of range")?;
            let (month, day) = (r.u8()?, r.u8()?);
            DateOp::Lit(Date::new(year, month, day).ok_or("an expression has an invalid date")?)
        }
        1 => DateOp::Question(r.index(questions)?),
        _ => return Err("an expression has an unknown date operand"),
    })
}
