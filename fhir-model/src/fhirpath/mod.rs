//! FHIRPath (R4, normative N1) over the typed model.
//!
//! Parse once, evaluate many times: [`Expression::parse`] checks the syntax (errors give the
//! character position) and [`Expression::evaluate`] runs it on anything that implements
//! [`Reflect`] — a [`crate::Resource`], a concrete resource, or any element of one. Results
//! borrow from the model ([`Item::Node`]) or are computed values ([`Item::Value`]: exact
//! decimals, partial dates, quantities); nothing is cloned to be queried, and there is no
//! detour through JSON.
//!
//! ```
//! use fhir_model::fhirpath::Expression;
//! use fhir_model::Resource;
//!
//! let patient: Resource = serde_json::from_str(
//!     r#"{"resourceType":"Patient","name":[{"given":["Peter","James"]}],"birthDate":"1974-12-25"}"#,
//! )?;
//! let given = Expression::parse("name.given.first()")?;
//! assert_eq!(given.evaluate(&patient)?[0].to_string(), "Peter");
//! let adult = Expression::parse("birthDate < @2000-01-01")?;
//! assert_eq!(adult.evaluate_bool(&patient)?, Some(true));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # For generated invariant checks
//!
//! [`Expression`] is `Send + Sync` and `Expression::parse` can run inside a
//! `std::sync::LazyLock`, so generated validation code can keep one parsed expression per
//! constraint in a `static` and evaluate it on each element it applies to:
//!
//! ```
//! use fhir_model::fhirpath::{Context, Expression};
//! use fhir_model::datatypes::Period;
//! use std::sync::LazyLock;
//!
//! static PER_1: LazyLock<Expression> = LazyLock::new(|| {
//!     Expression::parse("start.hasValue().not() or end.hasValue().not() or (start <= end)")
//!         .expect("per-1 parses")
//! });
//! let period = Period { start: Some("2020-01-02".parse()?), end: Some("2020-01-01".parse()?), ..Default::default() };
//! let resource = fhir_model::resources::Patient::default();
//! // `%context` is the Period; `%resource` is the resource that holds it.
//! let ctx = Context::new(&period).resource(&resource);
//! assert_eq!(PER_1.evaluate_bool_with(&ctx)?, Some(false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A constraint holds unless its expression evaluates to `false` ([`Expression::evaluate_bool`]
//! returns `Ok(None)` for an empty result). Evaluation errors are values ([`EvalError`]),
//! never panics; work and nesting are bounded, so hostile expressions end with an error.

mod ast;
mod context;
mod decimal;
mod error;
mod eval;
mod functions;
mod json;
mod lexer;
mod ops;
mod parser;
mod reflect;
mod temporal;
mod types;
mod ucum;
mod value;

pub use context::{Context, IntoCollection, TraceSink, UserCall, UserFunctions};
pub use decimal::Dec;
pub use error::{EvalError, ParseError};
pub(crate) use functions::compiled_regex;
pub use json::{item_json, item_type};
pub(crate) use ops::compare as compare_values;
pub use reflect::{AsAny, Card, Choice, Nodes, Prim, PrimValue, Reflect};
pub use temporal::{Kind as TemporalKind, Precision, Temporal};
pub use value::{Collection, Item, Quantity, Value};

/// A parsed FHIRPath expression.
#[derive(Clone, Debug)]
pub struct Expression {
    ast: ast::Ast,
    text: String,
}

impl Expression {
    /// Parses `text`; the error names the character position of the problem.
    pub fn parse(text: &str) -> Result<Expression, ParseError> {
        Ok(Expression {
            ast: parser::parse(text)?,
            text: text.to_owned(),
        })
    }

    /// The text the expression was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Evaluates on `node` (it is `%context`, `%resource` and `%rootResource`).
    pub fn evaluate<'a>(&self, node: &'a dyn Reflect) -> Result<Collection<'a>, EvalError> {
        self.evaluate_with(&Context::new(node))
    }

    /// Evaluates with a full context (variables, `%resource` on a sub-element, trace).
    pub fn evaluate_with<'a>(&self, ctx: &Context<'a>) -> Result<Collection<'a>, EvalError> {
        let ev = eval::Evaluator::new(ctx);
        ev.eval(&self.ast, &ctx.input, &eval::Scope::default())
    }

    /// Evaluates to a boolean as constraints are: empty is `None`, one boolean is itself,
    /// any other single item is `true`, several items are an error.
    pub fn evaluate_bool(&self, node: &dyn Reflect) -> Result<Option<bool>, EvalError> {
        self.evaluate_bool_with(&Context::new(node))
    }

    /// [`Expression::evaluate_bool`] with a full context.
    pub fn evaluate_bool_with(&self, ctx: &Context<'_>) -> Result<Option<bool>, EvalError> {
        let ev = eval::Evaluator::new(ctx);
        let result = ev.eval(&self.ast, &ctx.input, &eval::Scope::default())?;
        ev.boolean(&result, self.ast.pos)
    }
}

impl std::str::FromStr for Expression {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Self, ParseError> {
        Expression::parse(text)
    }
}

impl std::fmt::Display for Item<'_> {
    /// A primitive's or value's string form (`Peter`, `1.0`, `2014-01-01`, `5 'mg'`); a
    /// complex node as its JSON.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Item::Node(n) => match n.primitive() {
                Some(
                    Prim::String(s)
                    | Prim::Date(s)
                    | Prim::DateTime(s)
                    | Prim::Time(s)
                    | Prim::Decimal(s),
                ) => f.write_str(s),
                Some(Prim::Boolean(b)) => write!(f, "{b}"),
                Some(Prim::Integer(i)) => write!(f, "{i}"),
                None => {
                    let mut out = String::new();
                    json::node_json(*n, &mut out, 0);
                    f.write_str(&out)
                }
            },
            Item::Value(v) => write!(f, "{v}"),
        }
    }
}

#[cfg(test)]
mod tests;
