//! The XPath subset an XLSForm's `relevant` (and Indicia's extra `when` and `constraint` cells)
//! may use, translated to and from Indicia's expression language
//! (docs/formats/xlsform.md, "Expressions"; XLSForm spec, "Relevant" and "Constraints",
//! <https://xlsform.org/en/#relevant>).
//!
//! Both directions go through one small syntax tree: an XLSForm cell is parsed as XPath and
//! printed as Indicia, a definition's expression is parsed as Indicia and printed as XPath. Both
//! printers write one normal spacing (`a = 'x' and b`, `f(a, b)`) and keep the author's
//! parentheses, so an expression already written in that spacing (every built-in one is) comes
//! back byte for byte, and the content hash with it.
//!
//! | XPath (XLSForm) | Indicia |
//! |---|---|
//! | `${q}`, `.` (own question, where allowed) | `${q}` |
//! | `'x'`, `"x"` | `'x'` (`''` inside for a quote) |
//! | `=` `!=` `<` `<=` `>` `>=`, `and`, `or`, `( )` | the same |
//! | `not(e)` | `not e` / `not (e)` |
//! | `true()`, `false()` | `true`, `false` |
//! | `selected(${q}, 'x')` | `selected(${q}, 'x')` |
//! | `count-selected(${q})` | `count(${q})` |
//! | `date('YYYY-MM-DD')` | `date('YYYY-MM-DD')` |
//! | `${q} != ''` / `${q} = ''` | `answered(${q})` / `not answered(${q})` |
//!
//! Anything else (other functions such as `pulldata` or `if`, arithmetic, paths, `${q}` inside
//! a string) is refused with what was found. Parsing is bounded: at most [`MAX_DEPTH`] levels of
//! parentheses, `not` and calls, and at most [`MAX_NODES`] values, operators and calls.

/// Nesting limit (the core's expression language allows 32 as well).
pub(crate) const MAX_DEPTH: u32 = 32;
/// Node limit (the core's expression language allows 200 as well).
pub(crate) const MAX_NODES: u32 = 200;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A function both languages have (under their own names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Answered,
    Selected,
    Count,
    Date,
}

/// The syntax tree. `Paren` keeps the author's parentheses; `Num` keeps the number as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Or(Vec<Node>),
    And(Vec<Node>),
    Not(Box<Node>),
    Paren(Box<Node>),
    Cmp(Box<Node>, Op, Box<Node>),
    Ref(String),
    Str(String),
    Num(String),
    Bool(bool),
    Call(Func, Vec<Node>),
}

/// Which language a source is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    XPath,
    Indicia,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ref(String),
    Dot,
    Str(String),
    Num(String),
    Name(String),
    LParen,
    RParen,
    Comma,
    Op(Op),
    End,
}

/// Parses `src` in `dialect`. `own` is the question `.` stands for (XPath only); `None` refuses
/// `.`. The error is a short sentence for a located message ("uses unsupported function
/// \"pulldata\"").
pub(crate) fn parse(src: &str, dialect: Dialect, own: Option<&str>) -> Result<Node, String> {
    let toks = lex(src, dialect, own)?;
    let mut p = Parser {
        toks,
        at: 0,
        depth: 0,
        nodes: 0,
        dialect,
    };
    let node = p.or()?;
    match p.peek() {
        Tok::End => Ok(node),
        Tok::RParen => Err("has a ')' without its '('".into()),
        t => Err(format!(
            "has {} where 'and', 'or' or the end was expected",
            describe(t)
        )),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ref(r) => format!("${{{}}}", clip(r)),
        Tok::Dot => "'.'".into(),
        Tok::Str(s) => format!("the string '{}'", clip(s)),
        Tok::Num(n) => format!("the number {}", clip(n)),
        Tok::Name(n) => format!("\"{}\"", clip(n)),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Op(op) => format!("'{}'", op.as_str()),
        Tok::End => "the end".into(),
    }
}

/// Echoed author text is cut short so one runaway cell cannot flood a message.
fn clip(s: &str) -> String {
    super::echo(s)
}

fn lex(src: &str, dialect: Dialect, own: Option<&str>) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            '=' => {
                if chars.get(i + 1) == Some(&'=') {
                    return Err("uses '==': write '='".into());
                }
                toks.push(Tok::Op(Op::Eq));
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                toks.push(Tok::Op(Op::Ne));
                i += 2;
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                toks.push(Tok::Op(match (c, eq) {
                    ('<', true) => Op::Le,
                    ('<', false) => Op::Lt,
                    (_, true) => Op::Ge,
                    (_, false) => Op::Gt,
                }));
                i += if eq { 2 } else { 1 };
            }
            '$' if chars.get(i + 1) == Some(&'{') => {
                let start = i + 2;
                let end = chars[start..]
                    .iter()
                    .position(|&c| c == '}')
                    .map(|p| start + p)
                    .ok_or("has a '${' without its '}'")?;
                let name: String = chars[start..end].iter().collect();
                let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !valid {
                    return Err(format!(
                        "names ${{{}}}: a question name is [a-z][a-z0-9_]*",
                        clip(&name)
                    ));
                }
                toks.push(Tok::Ref(name));
                i = end + 1;
            }
            '\'' | '"' => {
                if c == '"' && dialect == Dialect::Indicia {
                    return Err("uses a double-quoted string".into());
                }
                let mut text = String::new();
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err("has a string without its closing quote".into()),
                        Some(&q) if q == c => {
                            // Indicia writes a quote inside a string twice; XPath 1.0 has no
                            // escape (the other quote kind is used instead).
                            if dialect == Dialect::Indicia && chars.get(j + 1) == Some(&q) {
                                text.push(q);
                                j += 2;
                            } else {
                                break;
                            }
                        }
                        Some(&other) => {
                            text.push(other);
                            j += 1;
                        }
                    }
                }
                toks.push(Tok::Str(text));
                i = j + 1;
            }
            '.' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                if dialect == Dialect::Indicia {
                    return Err("uses '.'".into());
                }
                if chars.get(i + 1) == Some(&'.') || chars.get(i + 1) == Some(&'/') {
                    return Err("uses an XPath path: write ${question}".into());
                }
                toks.push(match own {
                    Some(id) => Tok::Ref(id.to_owned()),
                    None => Tok::Dot,
                });
                i += 1;
            }
            '.' => return Err("has a number starting with '.': write 0.5".into()),
            '-' | '0'..='9' => {
                let start = i;
                if c == '-' {
                    i += 1;
                }
                let digits = i;
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
                if i == digits {
                    return Err("uses arithmetic ('-'), which is not supported".into());
                }
                if chars.get(i) == Some(&'.') {
                    i += 1;
                    let frac = i;
                    while chars.get(i).is_some_and(char::is_ascii_digit) {
                        i += 1;
                    }
                    if i == frac {
                        return Err("has a number ending in '.'".into());
                    }
                }
                toks.push(Tok::Num(chars[start..i].iter().collect()));
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while chars.get(i).is_some_and(|c| {
                    c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == ':'
                }) {
                    i += 1;
                }
                toks.push(Tok::Name(chars[start..i].iter().collect()));
            }
            '+' | '*' | '|' | '/' => {
                return Err(format!("uses '{c}', which is not supported"));
            }
            other => return Err(format!("has the unexpected character {other:?}")),
        }
    }
    if toks.contains(&Tok::Dot) {
        return Err("uses '.', which only a constraint or an indicator's condition may".into());
    }
    toks.push(Tok::End);
    Ok(toks)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: u32,
    nodes: u32,
    dialect: Dialect,
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.at).unwrap_or(&Tok::End)
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.at += 1;
        t
    }

    fn is_name(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == word)
    }

    fn count(&mut self) -> Result<(), String> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(format!(
                "has more than {MAX_NODES} values, operators and calls"
            ));
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("nests more than {MAX_DEPTH} levels deep"));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Node, String> {
        let mut parts = vec![self.and()?];
        while self.is_name("or") {
            self.next();
            self.count()?;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Node, String> {
        let mut parts = vec![self.not()?];
        while self.is_name("and") {
            self.next();
            self.count()?;
            parts.push(self.not()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::And(parts)
        })
    }

    fn not(&mut self) -> Result<Node, String> {
        if self.dialect == Dialect::Indicia && self.is_name("not") {
            self.next();
            self.count()?;
            self.enter()?;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Node, String> {
        let left = self.primary()?;
        let Tok::Op(op) = *self.peek() else {
            return Ok(left);
        };
        self.next();
        self.count()?;
        let right = self.primary()?;
        if let Tok::Op(_) = self.peek() {
            return Err("chains comparisons (a = b = c); use 'and'".into());
        }
        if self.dialect == Dialect::XPath && right == Node::Str(String::new()) {
            // ODK's idiom for "answered" / "not answered".
            if !matches!(left, Node::Ref(_)) {
                return Err("compares something other than a question with ''".into());
            }
            let answered = Node::Call(Func::Answered, vec![left]);
            return match op {
                Op::Ne => Ok(answered),
                Op::Eq => Ok(Node::Not(Box::new(answered))),
                _ => Err(format!("compares with '' by '{}'", op.as_str())),
            };
        }
        Ok(Node::Cmp(Box::new(left), op, Box::new(right)))
    }

    fn primary(&mut self) -> Result<Node, String> {
        self.count()?;
        match self.next() {
            Tok::LParen => {
                self.enter()?;
                let inner = self.or()?;
                self.close()?;
                self.depth -= 1;
                Ok(Node::Paren(Box::new(inner)))
            }
            Tok::Ref(r) => Ok(Node::Ref(r)),
            Tok::Str(s) => Ok(Node::Str(s)),
            Tok::Num(n) => Ok(Node::Num(n)),
            Tok::Name(name) => self.name(name),
            t => Err(format!("has {} where a value was expected", describe(&t))),
        }
    }

    fn close(&mut self) -> Result<(), String> {
        match self.next() {
            Tok::RParen => Ok(()),
            t => Err(format!("has {} where ')' was expected", describe(&t))),
        }
    }

    fn name(&mut self, name: String) -> Result<Node, String> {
        let call = *self.peek() == Tok::LParen;
        let xpath = self.dialect == Dialect::XPath;
        if !call {
            return match name.as_str() {
                "true" if !xpath => Ok(Node::Bool(true)),
                "false" if !xpath => Ok(Node::Bool(false)),
                "and" | "or" | "not" => Err(format!("has \"{name}\" where a value was expected")),
                _ if xpath => Err(format!(
                    "uses \"{}\", which is not supported: name a question as ${{name}}",
                    clip(&name)
                )),
                _ => Err(format!("has the unknown word \"{}\"", clip(&name))),
            };
        }
        self.next();
        self.enter()?;
        let func = match (name.as_str(), xpath) {
            ("selected", _) => Some(Func::Selected),
            ("date", _) => Some(Func::Date),
            ("count-selected", true) | ("count", false) => Some(Func::Count),
            ("answered", false) => Some(Func::Answered),
            ("not", true) | ("true", true) | ("false", true) => None,
            _ => return Err(format!("uses unsupported function \"{}\"", clip(&name))),
        };
        let mut args = Vec::new();
        if *self.peek() != Tok::RParen {
            loop {
                args.push(self.or()?);
                if *self.peek() == Tok::Comma {
                    self.next();
                } else {
                    break;
                }
            }
        }
        self.close()?;
        self.depth -= 1;
        let arity = match (func, name.as_str()) {
            (Some(Func::Selected), _) => 2,
            (Some(_), _) | (None, "not") => 1,
            (None, _) => 0,
        };
        if args.len() != arity {
            return Err(format!(
                "calls {name}() with {} argument(s); it takes {arity}",
                args.len()
            ));
        }
        Ok(match func {
            Some(f) => Node::Call(f, args),
            None if name == "not" => Node::Not(Box::new(args.remove(0))),
            None => Node::Bool(name == "true"),
        })
    }
}

/// Writes `node` in Indicia's expression language (docs/formats/checklist.md, "Expressions").
pub(crate) fn to_indicia(node: &Node) -> String {
    let mut out = String::new();
    indicia(node, &mut out);
    out
}

fn indicia(node: &Node, out: &mut String) {
    match node {
        Node::Or(parts) | Node::And(parts) => {
            let word = if matches!(node, Node::Or(_)) {
                " or "
            } else {
                " and "
            };
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str(word);
                }
                // A tree from XPath keeps its parentheses, so a looser part never appears
                // here without them; wrap defensively all the same.
                let wrap = matches!(node, Node::And(_)) && matches!(part, Node::Or(_));
                wrapped(part, wrap, out);
            }
        }
        Node::Not(inner) => {
            // `not` binds looser than a comparison in Indicia, but a comparison or a
            // conjunction under `not()` reads better, and XPath readers expect, parentheses.
            out.push_str("not ");
            let wrap = matches!(**inner, Node::Cmp(..) | Node::And(_) | Node::Or(_));
            wrapped(inner, wrap, out);
        }
        Node::Paren(inner) => wrapped(inner, true, out),
        Node::Cmp(left, op, right) => {
            let loose =
                |n: &Node| matches!(n, Node::Cmp(..) | Node::And(_) | Node::Or(_) | Node::Not(_));
            wrapped(left, loose(left), out);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            wrapped(right, loose(right), out);
        }
        Node::Ref(r) => {
            out.push_str("${");
            out.push_str(r);
            out.push('}');
        }
        Node::Str(s) => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        Node::Num(n) => out.push_str(n),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Call(f, args) => {
            out.push_str(match f {
                Func::Answered => "answered",
                Func::Selected => "selected",
                Func::Count => "count",
                Func::Date => "date",
            });
            call_args(args, out, indicia);
        }
    }
}

fn wrapped(node: &Node, wrap: bool, out: &mut String) {
    if wrap {
        out.push('(');
        indicia(node, out);
        out.push(')');
    } else {
        indicia(node, out);
    }
}

fn call_args(args: &[Node], out: &mut String, print: fn(&Node, &mut String)) {
    out.push('(');
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        print(a, out);
    }
    out.push(')');
}

/// Writes `node` as XLSForm XPath. Fails for what XPath 1.0 cannot say the same way: a string
/// holding both quote kinds, or a comparison with `''` (which XLSForm reads as "unanswered").
pub(crate) fn to_xpath(node: &Node) -> Result<String, String> {
    check_xpath(node)?;
    let mut out = String::new();
    xpath(node, &mut out);
    Ok(out)
}

fn check_xpath(node: &Node) -> Result<(), String> {
    match node {
        Node::Or(parts) | Node::And(parts) | Node::Call(_, parts) => {
            parts.iter().try_for_each(check_xpath)
        }
        Node::Not(inner) | Node::Paren(inner) => check_xpath(inner),
        Node::Cmp(left, _, right) => {
            if **right == Node::Str(String::new()) || **left == Node::Str(String::new()) {
                return Err("compares with '', which XLSForm reads as \"unanswered\"".into());
            }
            check_xpath(left)?;
            check_xpath(right)
        }
        Node::Str(s) if s.contains('\'') && s.contains('"') => {
            Err("has a string with both ' and \", which XPath 1.0 cannot write".into())
        }
        _ => Ok(()),
    }
}

fn xpath(node: &Node, out: &mut String) {
    match node {
        Node::Or(parts) | Node::And(parts) => {
            let word = if matches!(node, Node::Or(_)) {
                " or "
            } else {
                " and "
            };
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    out.push_str(word);
                }
                if matches!(node, Node::And(_)) && matches!(part, Node::Or(_)) {
                    out.push('(');
                    xpath(part, out);
                    out.push(')');
                } else {
                    xpath(part, out);
                }
            }
        }
        Node::Not(inner) => match &**inner {
            Node::Call(Func::Answered, args) if args.len() == 1 => {
                xpath(&args[0], out);
                out.push_str(" = ''");
            }
            Node::Paren(inner) => {
                out.push_str("not(");
                xpath(inner, out);
                out.push(')');
            }
            other => {
                out.push_str("not(");
                xpath(other, out);
                out.push(')');
            }
        },
        Node::Paren(inner) => {
            out.push('(');
            xpath(inner, out);
            out.push(')');
        }
        Node::Cmp(left, op, right) => {
            xpath(left, out);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            xpath(right, out);
        }
        Node::Ref(r) => {
            out.push_str("${");
            out.push_str(r);
            out.push('}');
        }
        Node::Str(s) => {
            let q = if s.contains('\'') { '"' } else { '\'' };
            out.push(q);
            out.push_str(s);
            out.push(q);
        }
        Node::Num(n) => out.push_str(n),
        Node::Bool(b) => out.push_str(if *b { "true()" } else { "false()" }),
        Node::Call(Func::Answered, args) if args.len() == 1 => {
            xpath(&args[0], out);
            out.push_str(" != ''");
        }
        Node::Call(f, args) => {
            out.push_str(match f {
                Func::Answered => "answered",
                Func::Selected => "selected",
                Func::Count => "count-selected",
                Func::Date => "date",
            });
            call_args(args, out, xpath);
        }
    }
}

/// Indicia → XPath, for the export.
pub(crate) fn indicia_to_xpath(src: &str) -> Result<String, String> {
    to_xpath(&parse(src, Dialect::Indicia, None)?)
}

/// XPath → Indicia, for the import; `own` is what `.` stands for, where it is allowed.
pub(crate) fn xpath_to_indicia(src: &str, own: Option<&str>) -> Result<String, String> {
    Ok(to_indicia(&parse(src, Dialect::XPath, own)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both_ways(indicia: &str, xpath: &str) {
        assert_eq!(indicia_to_xpath(indicia).as_deref(), Ok(xpath), "{indicia}");
        assert_eq!(
            xpath_to_indicia(xpath, None).as_deref(),
            Ok(indicia),
            "{xpath}"
        );
    }

    #[test]
    fn the_built_in_expressions_come_back_byte_for_byte() {
        both_ways(
            "${age_group} = 'child' or ${age_group} = 'unsure'",
            "${age_group} = 'child' or ${age_group} = 'unsure'",
        );
        both_ways(
            "not (${recruited_or_moved} = 'no')",
            "not(${recruited_or_moved} = 'no')",
        );
        both_ways("not answered(${age})", "${age} = ''");
        both_ways(
            "answered(${age}) or answered(${age_group})",
            "${age} != '' or ${age_group} != ''",
        );
        both_ways(
            "${documents_taken} = 'yes' and count(${false_promises}) > 0",
            "${documents_taken} = 'yes' and count-selected(${false_promises}) > 0",
        );
        both_ways(
            "selected(${sector}, 'sex_work') or selected(${sector}, 'begging_crime')",
            "selected(${sector}, 'sex_work') or selected(${sector}, 'begging_crime')",
        );
        both_ways(
            "${age} < 18 or ${age_group} = 'child'",
            "${age} < 18 or ${age_group} = 'child'",
        );
    }

    #[test]
    fn other_forms_are_translated() {
        both_ways("true and not false", "true() and not(false())");
        both_ways(
            "(${a} = 'x' or ${b} = 'y') and ${c} >= -1.5",
            "(${a} = 'x' or ${b} = 'y') and ${c} >= -1.5",
        );
        both_ways("${d} < date('2024-01-31')", "${d} < date('2024-01-31')");
        both_ways("${t} = 'it''s'", "${t} = \"it's\"");
        // XPath spacing is free; Indicia gets one normal spacing.
        assert_eq!(
            xpath_to_indicia("not(${a}='x')and${b}!=''", None).as_deref(),
            Ok("not (${a} = 'x') and answered(${b})")
        );
        assert_eq!(
            xpath_to_indicia(". > 3", Some("hours")).as_deref(),
            Ok("${hours} > 3")
        );
    }

    #[test]
    fn what_is_outside_the_subset_is_refused_with_what_was_found() {
        let refused = |src: &str| xpath_to_indicia(src, None).unwrap_err();
        assert_eq!(
            refused("pulldata('x', 'y')"),
            "uses unsupported function \"pulldata\""
        );
        assert_eq!(refused("${a} + 1 > 2"), "uses '+', which is not supported");
        assert_eq!(refused("${a} == 'x'"), "uses '==': write '='");
        assert!(refused(". > 1").contains("'.'"));
        assert!(refused("/data/a = 'x'").contains("'/'"));
        assert!(refused("${a} = 'x").contains("closing quote"));
        assert!(refused("(((${a})").contains("')' was expected"));
        assert!(refused("${a} = 1 = 2").contains("chains"));
        assert!(refused("not(${a}, ${b})").contains("takes 1"));
        let deep = format!("{}${{a}}{}", "(".repeat(40), ")".repeat(40));
        assert!(refused(&deep).contains("levels deep"));
        let wide = vec!["${a} = 'x'"; 150].join(" or ");
        assert!(refused(&wide).contains("more than 200"));
        assert!(indicia_to_xpath("${t} = 'a''\"'")
            .unwrap_err()
            .contains("both"));
    }
}
