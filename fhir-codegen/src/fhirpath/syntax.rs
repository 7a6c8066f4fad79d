//! The FHIRPath syntax the constraint compiler understands: paths, function calls, literals
//! and operators, parsed with FHIRPath's precedence. Anything else (`%variables`, dates,
//! quantities, decimals, indexers, `is`/`as`) is a parse error here, which sends the
//! constraint to the runtime interpreter instead; the runtime parser is the one that judges
//! the full grammar.

/// A parsed expression; `span` is its byte range in the source, so an operand can be handed
/// to the interpreter as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: Kind,
    pub span: (usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    This,
    Str(String),
    Int(i64),
    Bool(bool),
    /// `%name`: an environment variable.
    Var(String),
    /// A member of the context (`name`), or of `target` (`target.name`).
    Member(Option<Box<Expr>>, String),
    /// A function call on the context or on `target`.
    Call(Option<Box<Expr>>, String, Vec<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Concat,
    Union,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    In,
    And,
    Or,
    Xor,
    Implies,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Int(i64),
    This,
    Var(String),
    Sym(&'static str),
}

/// Parses `text`, or says why the compiler cannot take it.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    let mut p = Parser {
        tokens,
        at: 0,
        end: text.len(),
    };
    let expr = p.expr(0)?;
    match p.tokens.get(p.at) {
        None => Ok(expr),
        Some((t, pos)) => Err(format!("unexpected {t:?} at {pos}")),
    }
}

const SYMBOLS: [&str; 15] = [
    "!=", "<=", ">=", "=", "<", ">", "+", "&", "|", ".", "(", ")", ",", "!~", "~",
];

fn tokenize(text: &str) -> Result<Vec<(Tok, usize)>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(text[start..i].to_owned()), start));
        } else if c == b'`' {
            let close = text[i + 1..]
                .find('`')
                .ok_or("unterminated delimited identifier")?;
            out.push((Tok::Ident(text[i + 1..i + 1 + close].to_owned()), start));
            i += close + 2;
        } else if c == b'\'' {
            let (value, len) = string_literal(&text[i..])?;
            out.push((Tok::Str(value), start));
            i += len;
        } else if c.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                return Err("decimal literal".into());
            }
            let n = text[start..i]
                .parse()
                .map_err(|_| "integer literal too large")?;
            out.push((Tok::Int(n), start));
        } else if c == b'%' {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if i == start + 1 {
                return Err(format!("`%` at {start}"));
            }
            out.push((Tok::Var(text[start + 1..i].to_owned()), start));
        } else if text[i..].starts_with("$this") {
            i += 5;
            out.push((Tok::This, start));
        } else if let Some(sym) = SYMBOLS.iter().find(|s| text[i..].starts_with(**s)) {
            i += sym.len();
            out.push((Tok::Sym(sym), start));
        } else {
            return Err(format!("`{}` at {start}", c as char));
        }
    }
    Ok(out)
}

/// A `'...'` literal at the start of `text`: its value and its length in bytes.
fn string_literal(text: &str) -> Result<(String, usize), String> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return Ok((value, i + 1)),
            '\\' => match chars.next().map(|(_, e)| e) {
                Some('\'') => value.push('\''),
                Some('"') => value.push('"'),
                Some('`') => value.push('`'),
                Some('\\') => value.push('\\'),
                Some('/') => value.push('/'),
                Some('t') => value.push('\t'),
                Some('n') => value.push('\n'),
                Some('r') => value.push('\r'),
                Some('f') => value.push('\u{c}'),
                _ => return Err("escape in string literal".into()),
            },
            c => value.push(c),
        }
    }
    Err("unterminated string".into())
}

struct Parser {
    tokens: Vec<(Tok, usize)>,
    at: usize,
    end: usize,
}

/// Binary operators from loosest to tightest (FHIRPath §Operator precedence).
const LEVELS: [&[(&str, Op)]; 7] = [
    &[("implies", Op::Implies)],
    &[("or", Op::Or), ("xor", Op::Xor)],
    &[("and", Op::And)],
    &[("in", Op::In)],
    &[("=", Op::Eq), ("!=", Op::Ne)],
    &[("<", Op::Lt), ("<=", Op::Le), (">", Op::Gt), (">=", Op::Ge)],
    &[("|", Op::Union)],
];
const ADDITIVE: &[(&str, Op)] = &[("+", Op::Add), ("&", Op::Concat)];

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn pos(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |(_, p)| *p)
    }

    fn op_at(&self, table: &[(&str, Op)]) -> Option<Op> {
        let word = match self.peek()? {
            Tok::Sym(s) => *s,
            Tok::Ident(w) => w.as_str(),
            _ => return None,
        };
        table.iter().find(|(w, _)| *w == word).map(|(_, op)| *op)
    }

    fn expr(&mut self, level: usize) -> Result<Expr, String> {
        let table = match LEVELS.get(level) {
            Some(t) => *t,
            None if level == LEVELS.len() => ADDITIVE,
            None => return self.postfix(),
        };
        let mut left = self.expr(level + 1)?;
        while let Some(op) = self.op_at(table) {
            self.at += 1;
            let right = self.expr(level + 1)?;
            let span = (left.span.0, right.span.1);
            left = Expr {
                kind: Kind::Binary(op, Box::new(left), Box::new(right)),
                span,
            };
        }
        Ok(left)
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        let mut expr = self.term()?;
        while self.peek() == Some(&Tok::Sym(".")) {
            self.at += 1;
            expr = self.invocation(Some(expr))?;
        }
        Ok(expr)
    }

    fn term(&mut self) -> Result<Expr, String> {
        let start = self.pos();
        let Some((tok, _)) = self.tokens.get(self.at).cloned() else {
            return Err("unexpected end".into());
        };
        let kind = match tok {
            Tok::Str(s) => Kind::Str(s),
            Tok::Int(n) => Kind::Int(n),
            Tok::This => Kind::This,
            Tok::Var(name) => Kind::Var(name),
            Tok::Ident(w) if w == "true" || w == "false" => Kind::Bool(w == "true"),
            Tok::Ident(_) => return self.invocation(None),
            Tok::Sym("(") => {
                self.at += 1;
                let inner = self.expr(0)?;
                self.expect(")")?;
                return Ok(Expr {
                    kind: inner.kind,
                    span: (start, self.prev_end()),
                });
            }
            other => return Err(format!("unexpected {other:?} at {start}")),
        };
        self.at += 1;
        Ok(Expr {
            kind,
            span: (start, self.prev_end()),
        })
    }

    /// `name` or `name(args)`, on `target` or on the context.
    fn invocation(&mut self, target: Option<Expr>) -> Result<Expr, String> {
        let start = target.as_ref().map_or(self.pos(), |t| t.span.0);
        let name = match self.tokens.get(self.at) {
            Some((Tok::Ident(name), _)) => name.clone(),
            other => return Err(format!("expected a name, found {other:?}")),
        };
        self.at += 1;
        let target = target.map(Box::new);
        let kind = if self.peek() == Some(&Tok::Sym("(")) {
            self.at += 1;
            let mut args = Vec::new();
            if self.peek() != Some(&Tok::Sym(")")) {
                loop {
                    args.push(self.expr(0)?);
                    if self.peek() != Some(&Tok::Sym(",")) {
                        break;
                    }
                    self.at += 1;
                }
            }
            self.expect(")")?;
            Kind::Call(target, name, args)
        } else {
            Kind::Member(target, name)
        };
        Ok(Expr {
            kind,
            span: (start, self.prev_end()),
        })
    }

    fn expect(&mut self, sym: &str) -> Result<(), String> {
        match self.peek() {
            Some(Tok::Sym(s)) if *s == sym => {
                self.at += 1;
                Ok(())
            }
            other => Err(format!("expected `{sym}`, found {other:?}")),
        }
    }

    /// Where the previous token's span ends: at the next token (trailing blanks are
    /// trimmed by whoever cuts the text).
    fn prev_end(&self) -> usize {
        self.pos()
    }
}
