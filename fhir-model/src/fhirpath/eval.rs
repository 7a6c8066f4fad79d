//! The evaluator: walks the syntax tree over collections of items. Work is bounded (a step
//! budget and a collection size limit), so no input makes it hang or exhaust memory.

use super::ast::{Ast, BinOp, Node, TypeSpec};
use super::context::Context;
use super::error::EvalError;
use super::ops;
use super::types;
use super::value::{Collection, Item, Value};
use std::cell::Cell;

/// Evaluation steps allowed for one evaluation (items visited, nodes evaluated).
pub const MAX_STEPS: u64 = 50_000_000;
/// Largest collection an evaluation may build.
pub const MAX_ITEMS: usize = 1_000_000;

/// `$this`, `$index` and `$total` inside a function argument.
#[derive(Clone, Default)]
pub struct Scope<'a> {
    pub this: Option<Item<'a>>,
    pub index: Option<i64>,
    pub total: Option<Collection<'a>>,
}

pub struct Evaluator<'c, 'a> {
    pub ctx: &'c Context<'a>,
    steps: Cell<u64>,
}

pub type Result<T> = std::result::Result<T, EvalError>;

impl<'c, 'a> Evaluator<'c, 'a> {
    pub fn new(ctx: &'c Context<'a>) -> Self {
        Evaluator {
            ctx,
            steps: Cell::new(0),
        }
    }

    /// Counts `n` steps of work; an error once the budget is spent.
    pub fn tick(&self, n: u64, pos: usize) -> Result<()> {
        let used = self.steps.get().saturating_add(n);
        self.steps.set(used);
        if used > MAX_STEPS {
            return Err(EvalError::new(pos, "evaluation exceeded its step budget"));
        }
        Ok(())
    }

    pub fn check_size(&self, c: &Collection<'a>, pos: usize) -> Result<()> {
        if c.len() > MAX_ITEMS {
            return Err(EvalError::new(
                pos,
                format!("collection larger than {MAX_ITEMS} items"),
            ));
        }
        Ok(())
    }

    pub fn eval(&self, ast: &Ast, input: &[Item<'a>], scope: &Scope<'a>) -> Result<Collection<'a>> {
        self.tick(1, ast.pos)?;
        let pos = ast.pos;
        let out = match &ast.node {
            Node::Empty => Vec::new(),
            Node::Literal(v) => vec![Item::Value(v.clone())],
            Node::Member(name) => {
                let mut out = Vec::new();
                let mut unknown = None;
                for item in input {
                    if let Item::Node(n) = item {
                        if name.starts_with(|c: char| c.is_ascii_uppercase())
                            && types::node_is(*n, name)
                        {
                            out.push(item.clone());
                            continue;
                        }
                    }
                    self.member(item, name, pos, &mut out, &mut unknown)?;
                }
                // A type name at the start of a path that does not match (`Patient.name` on
                // an Observation) selects nothing; it is not an unknown element.
                let type_name = name.starts_with(|c: char| c.is_ascii_uppercase())
                    && types::check_known(&TypeSpec {
                        namespace: None,
                        name: name.clone(),
                    })
                    .is_ok();
                if type_name {
                    out
                } else {
                    self.unknown_element(out, unknown)?
                }
            }
            Node::Path(target, name) => {
                let focus = self.eval(target, input, scope)?;
                let mut out = Vec::new();
                let mut unknown = None;
                for item in &focus {
                    self.member(item, name, pos, &mut out, &mut unknown)?;
                }
                self.unknown_element(out, unknown)?
            }
            Node::Call {
                target,
                name,
                builtin,
                args,
            } => {
                let focus = match target {
                    Some(t) => self.eval(t, input, scope)?,
                    None => match &scope.this {
                        Some(this) => vec![this.clone()],
                        None => input.to_vec(),
                    },
                };
                super::functions::call(
                    self,
                    target.is_some(),
                    name,
                    *builtin,
                    focus,
                    args,
                    input,
                    scope,
                    pos,
                )?
            }
            Node::Index(target, index) => {
                let focus = self.eval(target, input, scope)?;
                let index = self.eval(index, input, scope)?;
                match self.singleton(&index, pos)? {
                    None => Vec::new(),
                    Some(Value::Integer(i)) => match usize::try_from(i) {
                        Ok(i) => focus.into_iter().nth(i).into_iter().collect(),
                        Err(_) => Vec::new(),
                    },
                    Some(other) => {
                        return Err(EvalError::new(
                            pos,
                            format!("an index must be an Integer, not {}", other.type_name()),
                        ))
                    }
                }
            }
            Node::Neg(inner) => {
                let c = self.eval(inner, input, scope)?;
                match self.singleton(&c, pos)? {
                    None => Vec::new(),
                    Some(Value::Integer(i)) => vec![Item::Value(Value::Integer(-i))],
                    Some(Value::Decimal(d)) => vec![Item::Value(Value::Decimal(d.neg()))],
                    Some(Value::Quantity(mut q)) => {
                        q.value = q.value.neg();
                        vec![Item::Value(Value::Quantity(q))]
                    }
                    Some(other) => {
                        return Err(EvalError::new(
                            pos,
                            format!("cannot negate a {}", other.type_name()),
                        ))
                    }
                }
            }
            Node::Binary(op, l, r) => self.binary(*op, l, r, input, scope, pos)?,
            Node::TypeOp { is, expr, ty } => {
                let c = self.eval(expr, input, scope)?;
                self.type_op(*is, c, ty, pos)?
            }
            Node::This => match &scope.this {
                Some(this) => vec![this.clone()],
                None => input.to_vec(),
            },
            Node::IndexVar => scope
                .index
                .map(|i| Item::Value(Value::Integer(i)))
                .into_iter()
                .collect(),
            Node::Total => scope.total.clone().unwrap_or_default(),
            Node::Env(name) => self.ctx.variable_value(name).ok_or_else(|| {
                EvalError::new(pos, format!("unknown environment variable %{name}"))
            })?,
        };
        self.check_size(&out, pos)?;
        Ok(out)
    }

    /// A name no item of the focus has is an error (the suite's `name.given1`), reported once
    /// the whole focus is seen: in `descendants().linkId` only some items have it.
    fn unknown_element(
        &self,
        out: Collection<'a>,
        unknown: Option<Option<EvalError>>,
    ) -> Result<Collection<'a>> {
        match unknown {
            Some(Some(e)) if out.is_empty() && !self.ctx.lenient => Err(e),
            _ => Ok(out),
        }
    }

    /// Children `name` of one item. `unknown` ends `Some(Some(error))` when no node seen has
    /// an element of that name, `Some(None)` once one has (choice names such as
    /// `valueQuantity` count).
    fn member(
        &self,
        item: &Item<'a>,
        name: &str,
        pos: usize,
        out: &mut Collection<'a>,
        unknown: &mut Option<Option<EvalError>>,
    ) -> Result<()> {
        let before = out.len();
        item.children(name, out);
        self.tick((out.len() - before) as u64 + 1, pos)?;
        // Leniently an unknown name is not an error: no need to tell it from a missing value.
        if out.len() == before && !self.ctx.lenient {
            if let Item::Node(n) = item {
                let names = n.elements();
                let known = names.is_empty()
                    || names.iter().any(|(element, _)| {
                        *element == name
                            || name.strip_prefix(element).is_some_and(|rest| {
                                rest.starts_with(|c: char| c.is_ascii_uppercase())
                            })
                    });
                if !known {
                    if unknown.is_none() {
                        *unknown = Some(Some(EvalError::new(
                            pos,
                            format!("{} has no element `{name}`", n.fhir_type()),
                        )));
                    }
                    return Ok(());
                }
            }
        }
        *unknown = Some(None);
        Ok(())
    }

    /// The single value of a collection: `None` when empty, an error for several items.
    pub fn singleton(&self, c: &Collection<'a>, pos: usize) -> Result<Option<Value>> {
        match c.len() {
            0 => Ok(None),
            1 => Ok(c[0].value()),
            n => Err(EvalError::new(
                pos,
                format!("expected a single item, found {n}"),
            )),
        }
    }

    /// Singleton evaluation to a boolean: empty is `None`; one boolean is itself; any other
    /// single item is `true`; several items are an error.
    pub fn boolean(&self, c: &Collection<'a>, pos: usize) -> Result<Option<bool>> {
        match c.len() {
            0 => Ok(None),
            1 => Ok(Some(match c[0].value() {
                Some(Value::Boolean(b)) => b,
                _ => true,
            })),
            n => Err(EvalError::new(
                pos,
                format!("expected a single boolean, found {n} items"),
            )),
        }
    }

    fn binary(
        &self,
        op: BinOp,
        l: &Ast,
        r: &Ast,
        input: &[Item<'a>],
        scope: &Scope<'a>,
        pos: usize,
    ) -> Result<Collection<'a>> {
        let left = self.eval(l, input, scope)?;
        // `and`/`or`/`implies` skip the right side when the left decides.
        let lb = || self.boolean(&left, pos);
        match op {
            BinOp::And if lb()? == Some(false) => return Ok(bool_item(false)),
            BinOp::Or if lb()? == Some(true) => return Ok(bool_item(true)),
            BinOp::Implies if lb()? == Some(false) => return Ok(bool_item(true)),
            _ => {}
        }
        // `use = 'official'`: one string against a string literal, without copying the
        // literal into a collection.
        if let (BinOp::Eq | BinOp::Ne, Node::Literal(Value::String(literal)), [item]) =
            (op, &r.node, left.as_slice())
        {
            if let Some(text) = item.str() {
                return Ok(bool_item((text == literal) == (op == BinOp::Eq)));
            }
        }
        let right = self.eval(r, input, scope)?;
        let logic = |f: fn(Option<bool>, Option<bool>) -> Option<bool>| -> Result<Collection<'a>> {
            let (a, b) = (self.boolean(&left, pos)?, self.boolean(&right, pos)?);
            Ok(f(a, b).map(Item::from_bool).into_iter().collect())
        };
        match op {
            BinOp::And => logic(|a, b| match (a, b) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            }),
            BinOp::Or => logic(|a, b| match (a, b) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            }),
            BinOp::Xor => logic(|a, b| Some(a? != b?)),
            BinOp::Implies => logic(|a, b| match (a, b) {
                (Some(false), _) | (_, Some(true)) => Some(true),
                (Some(true), Some(false)) => Some(false),
                _ => None,
            }),
            BinOp::Union => {
                let mut all = left;
                all.extend(right);
                super::functions::distinct_items(all, |n| self.tick(n as u64, pos))
            }
            BinOp::Eq | BinOp::Ne => {
                if left.is_empty() || right.is_empty() {
                    return Ok(Vec::new());
                }
                let mut result = Some(left.len() == right.len());
                if result == Some(true) {
                    for (a, b) in left.iter().zip(&right) {
                        match ops::equal(a, b) {
                            Some(true) => {}
                            Some(false) => {
                                result = Some(false);
                                break;
                            }
                            None => result = None,
                        }
                    }
                }
                let result = if op == BinOp::Ne {
                    result.map(|b| !b)
                } else {
                    result
                };
                Ok(result.map(Item::from_bool).into_iter().collect())
            }
            BinOp::Equiv | BinOp::NotEquiv => {
                let same = left.len() == right.len()
                    && left
                        .iter()
                        .all(|a| right.iter().any(|b| ops::equivalent(a, b)));
                Ok(bool_item(if op == BinOp::Equiv { same } else { !same }))
            }
            BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
                let (Some(a), Some(b)) =
                    (self.singleton(&left, pos)?, self.singleton(&right, pos)?)
                else {
                    return Ok(Vec::new());
                };
                let ord = ops::compare(&a, &b).map_err(|m| EvalError::new(pos, m))?;
                Ok(ord
                    .map(|o| {
                        Item::from_bool(match op {
                            BinOp::Lt => o.is_lt(),
                            BinOp::Gt => o.is_gt(),
                            BinOp::Le => o.is_le(),
                            _ => o.is_ge(),
                        })
                    })
                    .into_iter()
                    .collect())
            }
            BinOp::In | BinOp::Contains => {
                let (item, set) = if op == BinOp::In {
                    (&left, &right)
                } else {
                    (&right, &left)
                };
                match item.len() {
                    0 => Ok(Vec::new()),
                    1 => Ok(bool_item(
                        set.iter().any(|s| ops::equal(s, &item[0]) == Some(true)),
                    )),
                    n => Err(EvalError::new(
                        pos,
                        format!("`in`/`contains` needs a single item, found {n}"),
                    )),
                }
            }
            BinOp::Concat => {
                let text = |c: &Collection<'a>| -> Result<String> {
                    Ok(match self.singleton(c, pos)? {
                        None => String::new(),
                        Some(Value::String(s)) => s,
                        Some(other) => other.to_string(),
                    })
                };
                Ok(vec![Item::Value(Value::String(
                    text(&left)? + &text(&right)?,
                ))])
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::IntDiv | BinOp::Mod => {
                let (Some(a), Some(b)) =
                    (self.singleton(&left, pos)?, self.singleton(&right, pos)?)
                else {
                    return Ok(Vec::new());
                };
                let symbol = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                    BinOp::IntDiv => "div",
                    _ => "mod",
                };
                let v = ops::arithmetic(symbol, &a, &b).map_err(|m| EvalError::new(pos, m))?;
                Ok(v.map(Item::Value).into_iter().collect())
            }
        }
    }

    /// `is`/`as`: on one item (`as` on several is an error, as the suite expects).
    pub fn type_op(
        &self,
        is: bool,
        c: Collection<'a>,
        ty: &TypeSpec,
        pos: usize,
    ) -> Result<Collection<'a>> {
        types::check_known(ty).map_err(|m| EvalError::new(pos, m))?;
        match c.len() {
            0 => Ok(Vec::new()),
            1 => {
                let item = c.into_iter().next().into_iter().next();
                let item = item.expect("one item");
                if is {
                    Ok(bool_item(types::is(&item, ty)))
                } else if types::is_exactly(&item, ty) {
                    Ok(vec![item])
                } else {
                    Ok(Vec::new())
                }
            }
            n => Err(EvalError::new(
                pos,
                format!(
                    "`{}` needs a single item, found {n}",
                    if is { "is" } else { "as" }
                ),
            )),
        }
    }
}

pub fn bool_item<'a>(b: bool) -> Collection<'a> {
    vec![Item::from_bool(b)]
}

impl Item<'_> {
    /// A boolean value item.
    pub fn from_bool(b: bool) -> Self {
        Item::Value(Value::Boolean(b))
    }
}
