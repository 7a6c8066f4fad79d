//! Precedence-climbing parser over the tokens of `lexer.rs`. Nesting is limited so that
//! hostile input (ten thousand parentheses or `.a.a.a...`) is an error, not a stack overflow
//! when parsing or evaluating.

use super::ast::{Ast, BinOp, Node, TypeSpec};
use super::decimal::Dec;
use super::error::ParseError;
use super::functions::Builtin;
use super::lexer::{tokenize, Tok, Token};
use super::temporal::{Kind, Temporal};
use super::value::{calendar_ucum, Quantity, Value};

/// Deepest syntax tree accepted.
pub const MAX_DEPTH: usize = 100;

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Current recursion depth, checked before descending (the tree's own depth is checked
    /// as nodes are built, which also bounds the evaluator's recursion).
    depth: usize,
}

pub fn parse(text: &str) -> Result<Ast, ParseError> {
    if text.len() > 1_000_000 {
        return Err(ParseError::new(0, "expression longer than 1,000,000 bytes"));
    }
    let mut p = Parser {
        tokens: tokenize(text)?,
        at: 0,
        depth: 0,
    };
    let ast = p.expression(0)?;
    match &p.peek().tok {
        Tok::End => Ok(ast),
        other => Err(ParseError::new(
            p.peek().pos,
            format!("unexpected {} after the expression", describe(other)),
        )),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) | Tok::Quoted(s) => format!("`{s}`"),
        Tok::Str(s) => format!("string '{s}'"),
        Tok::Number(n) => format!("number {n}"),
        Tok::DateTime(d) => format!("@{d}"),
        Tok::Env(e) => format!("%{e}"),
        Tok::Special(s) => format!("${s}"),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::End => "end of expression".to_owned(),
    }
}

/// Binary operator of a token and its precedence (higher binds tighter).
fn binary(tok: &Tok) -> Option<(BinOp, u8)> {
    Some(match tok {
        Tok::Sym("*") => (BinOp::Mul, 10),
        Tok::Sym("/") => (BinOp::Div, 10),
        Tok::Ident(s) if s == "div" => (BinOp::IntDiv, 10),
        Tok::Ident(s) if s == "mod" => (BinOp::Mod, 10),
        Tok::Sym("+") => (BinOp::Add, 9),
        Tok::Sym("-") => (BinOp::Sub, 9),
        Tok::Sym("&") => (BinOp::Concat, 9),
        Tok::Sym("|") => (BinOp::Union, 7),
        Tok::Sym("<") => (BinOp::Lt, 6),
        Tok::Sym(">") => (BinOp::Gt, 6),
        Tok::Sym("<=") => (BinOp::Le, 6),
        Tok::Sym(">=") => (BinOp::Ge, 6),
        Tok::Sym("=") => (BinOp::Eq, 5),
        Tok::Sym("~") => (BinOp::Equiv, 5),
        Tok::Sym("!=") => (BinOp::Ne, 5),
        Tok::Sym("!~") => (BinOp::NotEquiv, 5),
        Tok::Ident(s) if s == "in" => (BinOp::In, 4),
        Tok::Ident(s) if s == "contains" => (BinOp::Contains, 4),
        Tok::Ident(s) if s == "and" => (BinOp::And, 3),
        Tok::Ident(s) if s == "or" => (BinOp::Or, 2),
        Tok::Ident(s) if s == "xor" => (BinOp::Xor, 2),
        Tok::Ident(s) if s == "implies" => (BinOp::Implies, 1),
        _ => return None,
    })
}

/// `is`/`as` bind between `+` (9) and `|` (7).
const TYPE_OP_PRECEDENCE: u8 = 8;

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.at += 1;
        t
    }

    fn expect(&mut self, sym: &'static str) -> Result<(), ParseError> {
        let t = self.next();
        if t.tok == Tok::Sym(sym) {
            Ok(())
        } else {
            Err(ParseError::new(
                t.pos,
                format!("expected `{sym}`, found {}", describe(&t.tok)),
            ))
        }
    }

    fn checked(ast: Ast) -> Result<Ast, ParseError> {
        if ast.depth > MAX_DEPTH {
            Err(ParseError::new(
                ast.pos,
                format!("expression nested deeper than {MAX_DEPTH} levels"),
            ))
        } else {
            Ok(ast)
        }
    }

    fn expression(&mut self, min: u8) -> Result<Ast, ParseError> {
        self.depth += 1;
        let result = self.expression_inner(min);
        self.depth -= 1;
        result
    }

    fn descend(&self) -> Result<(), ParseError> {
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                self.peek().pos,
                format!("expression nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn expression_inner(&mut self, min: u8) -> Result<Ast, ParseError> {
        self.descend()?;
        let mut left = self.unary()?;
        loop {
            let t = self.peek().clone();
            if let Tok::Ident(word) = &t.tok {
                if (word == "is" || word == "as") && TYPE_OP_PRECEDENCE >= min {
                    self.at += 1;
                    let ty = self.type_spec()?;
                    left = Self::checked(Ast::new(
                        Node::TypeOp {
                            is: word == "is",
                            expr: Box::new(left),
                            ty,
                        },
                        t.pos,
                    ))?;
                    continue;
                }
            }
            let Some((op, prec)) = binary(&t.tok) else {
                break;
            };
            if prec < min {
                break;
            }
            self.at += 1;
            let right = self.expression(prec + 1)?;
            left = Self::checked(Ast::new(
                Node::Binary(op, Box::new(left), Box::new(right)),
                t.pos,
            ))?;
        }
        Ok(left)
    }

    fn type_spec(&mut self) -> Result<TypeSpec, ParseError> {
        let first = self.identifier()?;
        if self.peek().tok == Tok::Sym(".") {
            self.at += 1;
            let name = self.identifier()?;
            return Ok(TypeSpec {
                namespace: Some(first),
                name,
            });
        }
        Ok(TypeSpec {
            namespace: None,
            name: first,
        })
    }

    fn identifier(&mut self) -> Result<String, ParseError> {
        let t = self.next();
        match t.tok {
            Tok::Ident(s) | Tok::Quoted(s) => Ok(s),
            other => Err(ParseError::new(
                t.pos,
                format!("expected a name, found {}", describe(&other)),
            )),
        }
    }

    fn unary(&mut self) -> Result<Ast, ParseError> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Sym("-") => {
                self.at += 1;
                self.depth += 1;
                let inner = self.descend().and_then(|()| self.unary());
                self.depth -= 1;
                let inner = inner?;
                Self::checked(Ast::new(Node::Neg(Box::new(inner)), t.pos))
            }
            Tok::Sym("+") => {
                self.at += 1;
                self.depth += 1;
                let inner = self.descend().and_then(|()| self.unary());
                self.depth -= 1;
                inner
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<Ast, ParseError> {
        let mut ast = self.term()?;
        loop {
            let t = self.peek().clone();
            match t.tok {
                Tok::Sym(".") => {
                    self.at += 1;
                    let name_tok = self.peek().clone();
                    let name = self.identifier()?;
                    ast = if self.peek().tok == Tok::Sym("(") {
                        let args = self.arguments()?;
                        Ast::new(
                            Node::Call {
                                target: Some(Box::new(ast)),
                                builtin: Builtin::from_name(&name),
                                name,
                                args,
                            },
                            name_tok.pos,
                        )
                    } else {
                        Ast::new(Node::Path(Box::new(ast), name), name_tok.pos)
                    };
                }
                Tok::Sym("[") => {
                    self.at += 1;
                    let index = self.expression(0)?;
                    self.expect("]")?;
                    ast = Ast::new(Node::Index(Box::new(ast), Box::new(index)), t.pos);
                }
                _ => return Ok(ast),
            }
            ast = Self::checked(ast)?;
        }
    }

    fn arguments(&mut self) -> Result<Vec<Ast>, ParseError> {
        self.expect("(")?;
        let mut args = Vec::new();
        if self.peek().tok == Tok::Sym(")") {
            self.at += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expression(0)?);
            let t = self.next();
            match t.tok {
                Tok::Sym(",") => continue,
                Tok::Sym(")") => return Ok(args),
                other => {
                    return Err(ParseError::new(
                        t.pos,
                        format!("expected `,` or `)`, found {}", describe(&other)),
                    ))
                }
            }
        }
    }

    fn term(&mut self) -> Result<Ast, ParseError> {
        let t = self.next();
        let pos = t.pos;
        let node = match t.tok {
            Tok::Sym("(") => {
                let inner = self.expression(0)?;
                self.expect(")")?;
                // Parentheses count as a level, so `((((...))))` is limited too.
                return Self::checked(Ast {
                    depth: inner.depth + 1,
                    ..inner
                });
            }
            Tok::Sym("{") => {
                self.expect("}")?;
                Node::Empty
            }
            Tok::Str(s) => Node::Literal(Value::String(s)),
            Tok::Number(n) => return self.number(&n, pos),
            Tok::DateTime(text) => Node::Literal(Value::Temporal(temporal(&text, pos)?)),
            Tok::Env(name) => Node::Env(name),
            Tok::Special(s) => match s.as_str() {
                "this" => Node::This,
                "index" => Node::IndexVar,
                _ => Node::Total,
            },
            Tok::Ident(s) if s == "true" => Node::Literal(Value::Boolean(true)),
            Tok::Ident(s) if s == "false" => Node::Literal(Value::Boolean(false)),
            Tok::Ident(name) | Tok::Quoted(name) => {
                if self.peek().tok == Tok::Sym("(") {
                    let args = self.arguments()?;
                    Node::Call {
                        target: None,
                        builtin: Builtin::from_name(&name),
                        name,
                        args,
                    }
                } else {
                    Node::Member(name)
                }
            }
            other => {
                return Err(ParseError::new(
                    pos,
                    format!("expected an expression, found {}", describe(&other)),
                ))
            }
        };
        Self::checked(Ast::new(node, pos))
    }

    /// An integer, a decimal, or a quantity when a unit follows (`4 'mg'`, `7 days`).
    fn number(&mut self, text: &str, pos: usize) -> Result<Ast, ParseError> {
        let unit = match &self.peek().tok {
            Tok::Str(u) => Some(u.clone()),
            Tok::Ident(u) if calendar_ucum(u).is_some() => Some(u.clone()),
            _ => None,
        };
        let value = if let Some(unit) = unit {
            self.at += 1;
            let value =
                Dec::parse(text).ok_or_else(|| ParseError::new(pos, "number out of range"))?;
            Value::Quantity(Quantity { value, unit })
        } else if text.contains('.') {
            Value::Decimal(
                Dec::parse(text).ok_or_else(|| ParseError::new(pos, "number out of range"))?,
            )
        } else {
            Value::Integer(
                text.parse()
                    .map_err(|_| ParseError::new(pos, "integer out of range"))?,
            )
        };
        Ok(Ast::new(Node::Literal(value), pos))
    }
}

/// `@2014-01-01T10:00:00Z` (text after `@`), `@T10:00`.
fn temporal(text: &str, pos: usize) -> Result<Temporal, ParseError> {
    let parsed = if let Some(time) = text.strip_prefix('T') {
        Temporal::parse_time(time)
    } else if text.contains('T') {
        Temporal::parse_date_time(text, Kind::DateTime)
    } else {
        Temporal::parse_date_time(text, Kind::Date)
    };
    parsed.ok_or_else(|| ParseError::new(pos, format!("invalid date/time literal @{text}")))
}
