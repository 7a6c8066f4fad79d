//! Tokens of FHIRPath text, each with its character position for error messages.

use super::error::ParseError;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// An identifier (plain or `` `delimited` ``).
    Ident(String),
    /// A delimited identifier keeps its backticks' meaning: never a keyword.
    Quoted(String),
    Str(String),
    /// Number text (`12`, `1.50`): the parser decides integer or decimal.
    Number(String),
    /// `@2014-01-01T10:00`, `@T10:00`: the text after `@`.
    DateTime(String),
    /// `%name`, `` %`vs-name` ``, `%'name'`.
    Env(String),
    /// `$this`, `$index`, `$total`.
    Special(String),
    Sym(&'static str),
    End,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    /// Character (not byte) offset in the expression.
    pub pos: usize,
}

const SYMBOLS: &[&str] = &[
    "<=", ">=", "!=", "!~", ".", ",", "(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "&", "|",
    "=", "~", "<", ">",
];

pub fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            loop {
                if i + 1 >= chars.len() {
                    return Err(ParseError::new(start, "unterminated comment"));
                }
                if chars[i] == '*' && chars[i + 1] == '/' {
                    i += 2;
                    break;
                }
                i += 1;
            }
            continue;
        }
        let tok = if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            Tok::Ident(chars[start..i].iter().collect())
        } else if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            Tok::Number(chars[start..i].iter().collect())
        } else if c == '\'' || c == '`' {
            let (s, next) = quoted(&chars, i, c)?;
            i = next;
            if c == '`' {
                Tok::Quoted(s)
            } else {
                Tok::Str(s)
            }
        } else if c == '@' {
            i += 1;
            let mut seen_t = false;
            while let Some(&d) = chars.get(i) {
                let digit_next = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                let take = match d {
                    '0'..='9' | ':' | 'Z' => true,
                    'T' => {
                        seen_t = true;
                        true
                    }
                    '.' | '+' => seen_t && digit_next,
                    '-' => digit_next,
                    _ => false,
                };
                if !take {
                    break;
                }
                i += 1;
            }
            let body: String = chars[start + 1..i].iter().collect();
            if body.is_empty() {
                return Err(ParseError::new(start, "`@` without a date or time"));
            }
            Tok::DateTime(body)
        } else if c == '%' {
            i += 1;
            match chars.get(i) {
                Some(&q @ ('`' | '\'')) => {
                    let (s, next) = quoted(&chars, i, q)?;
                    i = next;
                    Tok::Env(s)
                }
                Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                    let s = i;
                    while i < chars.len()
                        && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '-')
                    {
                        i += 1;
                    }
                    Tok::Env(chars[s..i].iter().collect())
                }
                _ => return Err(ParseError::new(start, "`%` must be followed by a name")),
            }
        } else if c == '$' {
            i += 1;
            let s = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let name: String = chars[s..i].iter().collect();
            if !matches!(name.as_str(), "this" | "index" | "total") {
                return Err(ParseError::new(
                    start,
                    format!("unknown special variable `${name}`"),
                ));
            }
            Tok::Special(name)
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
                return Err(ParseError::new(
                    start,
                    format!("unexpected character `{c}`"),
                ));
            };
            i += sym.chars().count();
            Tok::Sym(sym)
        };
        out.push(Token { tok, pos: start });
    }
    out.push(Token {
        tok: Tok::End,
        pos: chars.len(),
    });
    Ok(out)
}

/// A `'string'` or `` `identifier` `` with its escapes; returns the text and the next index.
fn quoted(chars: &[char], start: usize, quote: char) -> Result<(String, usize), ParseError> {
    let mut s = String::new();
    let mut i = start + 1;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(ParseError::new(start, "unterminated string"));
        };
        i += 1;
        if c == quote {
            return Ok((s, i));
        }
        if c != '\\' {
            s.push(c);
            continue;
        }
        let Some(&e) = chars.get(i) else {
            return Err(ParseError::new(start, "unterminated string"));
        };
        i += 1;
        match e {
            '\'' | '"' | '`' | '\\' | '/' => s.push(e),
            'n' => s.push('\n'),
            'r' => s.push('\r'),
            't' => s.push('\t'),
            'f' => s.push('\u{c}'),
            'u' => {
                let hex: String = chars.get(i..i + 4).unwrap_or_default().iter().collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                    .ok_or_else(|| ParseError::new(i - 2, "invalid \\u escape"))?;
                s.push(code);
                i += 4;
            }
            other => {
                return Err(ParseError::new(
                    i - 2,
                    format!("invalid escape `\\{other}`"),
                ))
            }
        }
    }
}
