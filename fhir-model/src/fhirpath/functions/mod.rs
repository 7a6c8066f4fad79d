//! Function calls: argument handling shared by all functions, and the dispatch by name to
//! the groups of the specification (one file per group).

mod builtin;
mod collections;
mod convert;
mod fhir;
mod math;
mod strings;

pub use builtin::Builtin;
pub(crate) use collections::distinct_items;
pub(crate) use strings::compiled_regex;

use super::ast::Ast;
use super::error::EvalError;
use super::eval::{Evaluator, Result, Scope};
use super::value::{Collection, Item, Value};

/// One call being evaluated: its focus, its unevaluated arguments and where it is.
pub struct Call<'e, 'c, 'a> {
    pub ev: &'e Evaluator<'c, 'a>,
    pub name: &'e str,
    pub focus: Collection<'a>,
    pub args: &'e [Ast],
    pub input: &'e [Item<'a>],
    pub scope: &'e Scope<'a>,
    pub pos: usize,
    /// Whether the call was written on a focus (`x.f()`), not on `$this` (`f()`).
    pub has_target: bool,
}

impl<'a> Call<'_, '_, 'a> {
    pub fn error(&self, message: impl std::fmt::Display) -> EvalError {
        EvalError::new(self.pos, format!("{}(): {message}", self.name))
    }

    /// Checks the number of arguments.
    pub fn arity(&self, min: usize, max: usize) -> Result<()> {
        let n = self.args.len();
        if n < min || n > max {
            let expected = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(self.error(format!("takes {expected} arguments, got {n}")));
        }
        Ok(())
    }

    /// Argument `i`, evaluated like the expression the call is in.
    pub fn arg(&self, i: usize) -> Result<Collection<'a>> {
        self.ev.eval(&self.args[i], self.input, self.scope)
    }

    pub fn arg_value(&self, i: usize) -> Result<Option<Value>> {
        let c = self.arg(i)?;
        self.ev.singleton(&c, self.args[i].pos)
    }

    pub fn arg_string(&self, i: usize) -> Result<Option<String>> {
        match self.arg_value(i)? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(format!(
                "argument {} must be a String, not {}",
                i + 1,
                other.type_name()
            ))),
        }
    }

    pub fn arg_integer(&self, i: usize) -> Result<Option<i64>> {
        match self.arg_value(i)? {
            None => Ok(None),
            Some(Value::Integer(n)) => Ok(Some(n)),
            Some(other) => Err(self.error(format!(
                "argument {} must be an Integer, not {}",
                i + 1,
                other.type_name()
            ))),
        }
    }

    /// Argument `i` as an expression on one item (`where`, `select`, `all` ...): `$this` is
    /// the item, `$index` its position.
    pub fn lambda(&self, i: usize, item: &Item<'a>, index: usize) -> Result<Collection<'a>> {
        let scope = Scope {
            this: Some(item.clone()),
            index: Some(index as i64),
            total: self.scope.total.clone(),
        };
        self.ev
            .eval(&self.args[i], std::slice::from_ref(item), &scope)
    }

    pub fn lambda_with_total(
        &self,
        i: usize,
        item: &Item<'a>,
        index: usize,
        total: Collection<'a>,
    ) -> Result<Collection<'a>> {
        let scope = Scope {
            this: Some(item.clone()),
            index: Some(index as i64),
            total: Some(total),
        };
        self.ev
            .eval(&self.args[i], std::slice::from_ref(item), &scope)
    }

    /// The focus as one value (`None` when empty; several items are an error).
    pub fn focus_value(&self) -> Result<Option<Value>> {
        match self.focus.len() {
            0 => Ok(None),
            1 => Ok(self.focus[0].value()),
            n => Err(self.error(format!("needs a single item as its focus, found {n}"))),
        }
    }

    /// The focus as one string; a non-string (a complex element too) is an error.
    pub fn focus_string(&self) -> Result<Option<String>> {
        if let [Item::Node(n)] = self.focus.as_slice() {
            if n.primitive().is_none()
                && n.fhir_type().starts_with(|c: char| c.is_ascii_uppercase())
            {
                return Err(self.error(format!("needs a String, not {}", n.fhir_type())));
            }
        }
        match self.focus_value()? {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(format!("needs a String, not {}", other.type_name()))),
        }
    }

    pub fn tick(&self, n: usize) -> Result<()> {
        self.ev.tick(n as u64, self.pos)
    }
}

pub fn value<'a>(v: Value) -> Collection<'a> {
    vec![Item::Value(v)]
}

pub fn opt<'a>(v: Option<Value>) -> Collection<'a> {
    v.map(Item::Value).into_iter().collect()
}

pub fn boolean<'a>(b: bool) -> Collection<'a> {
    value(Value::Boolean(b))
}

/// Evaluates a call: `builtin` is the engine's function of that name (found while
/// parsing); without one, the host's functions are asked.
#[allow(clippy::too_many_arguments)]
pub fn call<'a>(
    ev: &Evaluator<'_, 'a>,
    has_target: bool,
    name: &str,
    builtin: Option<Builtin>,
    focus: Collection<'a>,
    args: &[Ast],
    input: &[Item<'a>],
    scope: &Scope<'a>,
    pos: usize,
) -> Result<Collection<'a>> {
    let call = Call {
        ev,
        name,
        focus,
        args,
        input,
        scope,
        pos,
        has_target,
    };
    if let Some(f) = builtin {
        // Each group returns `None` for the functions of the others.
        if let Some(result) = collections::call(&call, f)? {
            return Ok(result);
        }
        if let Some(result) = strings::call(&call, f)? {
            return Ok(result);
        }
        if let Some(result) = math::call(&call, f)? {
            return Ok(result);
        }
        if let Some(result) = convert::call(&call, f)? {
            return Ok(result);
        }
        if let Some(result) = fhir::call(&call, f)? {
            return Ok(result);
        }
    }
    if let Some(host) = ev.ctx.functions {
        if let Some(result) = host.call(&super::context::UserCall { inner: &call }) {
            return result;
        }
    }
    Err(EvalError::new(pos, format!("unknown function {name}()")))
}
