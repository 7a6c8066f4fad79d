//! The syntax tree of a parsed expression.

use super::functions::Builtin;
use super::value::Value;

/// Binary operators, by precedence group (see `parser.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Mul,
    Div,
    IntDiv,
    Mod,
    Add,
    Sub,
    Concat,
    Union,
    Lt,
    Gt,
    Le,
    Ge,
    Eq,
    Equiv,
    Ne,
    NotEquiv,
    In,
    Contains,
    And,
    Or,
    Xor,
    Implies,
}

/// A type name as written after `is`/`as` or in `ofType()`: `FHIR.Patient`, `Boolean`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeSpec {
    /// `FHIR`, `System`, or `None` when not qualified.
    pub namespace: Option<String>,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// `{}`.
    Empty,
    Literal(Value),
    /// An identifier at the start of a path: an element of `$this` (or its type name).
    Member(String),
    /// `expr.name`.
    Path(Box<Ast>, String),
    /// `name(args)`, on `target` or, without one, on `$this`.
    Call {
        target: Option<Box<Ast>>,
        name: String,
        /// The engine's function of that name; `None` for a host function.
        builtin: Option<Builtin>,
        args: Vec<Ast>,
    },
    /// `expr[index]`.
    Index(Box<Ast>, Box<Ast>),
    /// Unary minus (`+` is dropped while parsing).
    Neg(Box<Ast>),
    Binary(BinOp, Box<Ast>, Box<Ast>),
    /// `expr is T` (`is: true`) or `expr as T`.
    TypeOp {
        is: bool,
        expr: Box<Ast>,
        ty: TypeSpec,
    },
    This,
    IndexVar,
    Total,
    /// `%name`.
    Env(String),
}

/// A node with its character position and the depth of the tree below it.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    pub node: Node,
    pub pos: usize,
    pub depth: usize,
}

impl Ast {
    pub fn new(node: Node, pos: usize) -> Ast {
        let depth = 1 + match &node {
            Node::Path(a, _) | Node::Neg(a) | Node::TypeOp { expr: a, .. } => a.depth,
            Node::Index(a, b) | Node::Binary(_, a, b) => a.depth.max(b.depth),
            Node::Call { target, args, .. } => target
                .iter()
                .map(|t| t.depth)
                .chain(args.iter().map(|a| a.depth))
                .max()
                .unwrap_or(0),
            _ => 0,
        };
        Ast { node, pos, depth }
    }

    /// The expression as a type name, for `is(T)`, `as(T)`, `ofType(T)`.
    pub fn as_type_spec(&self) -> Option<TypeSpec> {
        match &self.node {
            Node::Member(name) => Some(TypeSpec {
                namespace: None,
                name: name.clone(),
            }),
            Node::Path(inner, name) => match &inner.node {
                Node::Member(ns) => Some(TypeSpec {
                    namespace: Some(ns.clone()),
                    name: name.clone(),
                }),
                _ => None,
            },
            _ => None,
        }
    }
}
