//! Turns expression source into tokens, one at a time, so that the parser reports the leftmost
//! mistake first.

use super::{clip, CmpOp, ExprErrorKind, Function, Located};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    LParen,
    RParen,
    Comma,
    Cmp(CmpOp),
    Ref(String),
    Str(String),
    Num(f64),
    And,
    Or,
    Not,
    True,
    False,
    Func(Function),
    End,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    /// Byte offsets into the source.
    pub start: usize,
    pub end: usize,
}

pub(super) struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

const KEYWORDS: [(&str, Tok); 5] = [
    ("and", Tok::And),
    ("or", Tok::Or),
    ("not", Tok::Not),
    ("true", Tok::True),
    ("false", Tok::False),
];

const FUNCTIONS: [(&str, Function); 4] = [
    ("answered", Function::Answered),
    ("selected", Function::Selected),
    ("count", Function::Count),
    ("date", Function::Date),
];

/// Characters that can never be part of a question id, so a `${` scan stops there and the error
/// names what the author most likely meant as the id.
fn ends_reference(c: char) -> bool {
    c.is_ascii_whitespace() || "}{'\"()$,=!<>&|".contains(c)
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Self {
        Lexer { src, pos: 0 }
    }

    pub fn src(&self) -> &'a str {
        self.src
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek_char(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn char_at(&self, offset: usize) -> Option<char> {
        self.src.get(offset..).and_then(|s| s.chars().next())
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.src.get(start..end).unwrap_or("")
    }

    pub fn next_token(&mut self) -> Result<Token, Located> {
        while self.peek_char().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(Token {
                tok: Tok::End,
                start,
                end: start,
            });
        };
        let next = self.char_at(start + c.len_utf8());
        let err = |kind| {
            Err(Located {
                offset: start,
                kind,
            })
        };
        let foreign = |found, instead| {
            err(ExprErrorKind::ForeignOperator {
                found,
                use_instead: instead,
            })
        };
        let (tok, len) = match (c, next) {
            ('(', _) => (Tok::LParen, 1),
            (')', _) => (Tok::RParen, 1),
            (',', _) => (Tok::Comma, 1),
            ('=', Some('=')) => return foreign("==", "="),
            ('=', _) => (Tok::Cmp(CmpOp::Eq), 1),
            ('!', Some('=')) => (Tok::Cmp(CmpOp::Ne), 2),
            ('!', _) => return foreign("!", "not"),
            ('<', Some('=')) => (Tok::Cmp(CmpOp::Le), 2),
            ('<', Some('>')) => return foreign("<>", "!="),
            ('<', _) => (Tok::Cmp(CmpOp::Lt), 1),
            ('>', Some('=')) => (Tok::Cmp(CmpOp::Ge), 2),
            ('>', _) => (Tok::Cmp(CmpOp::Gt), 1),
            ('&', Some('&')) => return foreign("&&", "and"),
            ('&', _) => return foreign("&", "and"),
            ('|', Some('|')) => return foreign("||", "or"),
            ('|', _) => return foreign("|", "or"),
            ('"', _) => return err(ExprErrorKind::DoubleQuotedString),
            ('\'', _) => return self.string(start),
            ('$', Some('{')) => return self.reference(start),
            ('-', Some(d)) if d.is_ascii_digit() => return self.number(start),
            (d, _) if d.is_ascii_digit() => return self.number(start),
            (w, _) if w.is_ascii_alphabetic() || w == '_' => return self.word(start),
            (other, _) => return err(ExprErrorKind::UnexpectedChar(other)),
        };
        self.pos += len;
        Ok(Token {
            tok,
            start,
            end: self.pos,
        })
    }

    fn string(&mut self, start: usize) -> Result<Token, Located> {
        let mut value = String::new();
        let mut at = start + 1;
        loop {
            let Some(close) = self.src.get(at..).and_then(|s| s.find('\'')) else {
                return Err(Located {
                    offset: start,
                    kind: ExprErrorKind::UnterminatedString,
                });
            };
            value.push_str(self.slice(at, at + close));
            at += close + 1;
            // `''` is an escaped quote; anything else after the quote ends the string.
            if self.char_at(at) == Some('\'') {
                value.push('\'');
                at += 1;
            } else {
                break;
            }
        }
        self.pos = at;
        Ok(Token {
            tok: Tok::Str(value),
            start,
            end: at,
        })
    }

    fn reference(&mut self, start: usize) -> Result<Token, Located> {
        let id_start = start + 2;
        let id_len = self
            .src
            .get(id_start..)
            .unwrap_or("")
            .find(ends_reference)
            .unwrap_or(self.src.len().saturating_sub(id_start));
        let id = self.slice(id_start, id_start + id_len);
        if id.is_empty() {
            return Err(Located {
                offset: start,
                kind: ExprErrorKind::EmptyReference,
            });
        }
        if self.char_at(id_start + id_len) != Some('}') {
            return Err(Located {
                offset: start,
                kind: ExprErrorKind::UnclosedReference(clip(id)),
            });
        }
        self.pos = id_start + id_len + 1;
        Ok(Token {
            tok: Tok::Ref(id.to_owned()),
            start,
            end: self.pos,
        })
    }

    fn number(&mut self, start: usize) -> Result<Token, Located> {
        let bytes = self.src.as_bytes();
        let digits_from = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut end = digits_from(if bytes.get(start) == Some(&b'-') {
            start + 1
        } else {
            start
        });
        let mut well_formed = true;
        if bytes.get(end) == Some(&b'.') {
            let frac_end = digits_from(end + 1);
            well_formed = frac_end > end + 1;
            end = frac_end;
        }
        // `12abc`, `1e5`, `1.` and `1.2.3` are one mistake, so echo the whole run, not a prefix.
        let glued = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.';
        if bytes.get(end).is_some_and(glued) {
            well_formed = false;
            while bytes.get(end).is_some_and(glued) {
                end += 1;
            }
        }
        let text = self.slice(start, end);
        let value = if well_formed {
            text.parse::<f64>().ok().filter(|v| v.is_finite())
        } else {
            None
        };
        let Some(value) = value else {
            return Err(Located {
                offset: start,
                kind: ExprErrorKind::InvalidNumber(clip(text)),
            });
        };
        self.pos = end;
        Ok(Token {
            tok: Tok::Num(value),
            start,
            end,
        })
    }

    fn word(&mut self, start: usize) -> Result<Token, Located> {
        let bytes = self.src.as_bytes();
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        let word = self.slice(start, end);
        let tok = KEYWORDS
            .iter()
            .find(|(k, _)| *k == word)
            .map(|(_, t)| t.clone())
            .or_else(|| {
                FUNCTIONS
                    .iter()
                    .find(|(f, _)| *f == word)
                    .map(|(_, f)| Tok::Func(*f))
            });
        if let Some(tok) = tok {
            self.pos = end;
            return Ok(Token { tok, start, end });
        }
        let lower = word.to_ascii_lowercase();
        let known = KEYWORDS
            .iter()
            .map(|(k, _)| *k)
            .chain(FUNCTIONS.iter().map(|(f, _)| *f))
            .find(|k| *k == lower);
        let kind = if let Some(expected) = known {
            ExprErrorKind::KeywordCase {
                found: clip(word),
                expected,
            }
        } else if self
            .src
            .get(end..)
            .unwrap_or("")
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .starts_with('(')
        {
            ExprErrorKind::UnknownFunction(clip(word))
        } else {
            ExprErrorKind::BareWord(clip(word))
        };
        Err(Located {
            offset: start,
            kind,
        })
    }
}
