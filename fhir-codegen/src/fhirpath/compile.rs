//! Typed translation of a constraint into Rust. The generator knows every element's type, so
//! `contact.name.exists()` on `Patient.contact` becomes an iterator over `self.name`, and
//! `status = 'cancelled'` a comparison of the code's text. Collections are iterators of
//! references; booleans are `Option<bool>` (FHIRPath's empty is `None`), combined by the
//! runtime's three-valued helpers in `crate::validate::rules`.
//!
//! A boolean operand the translation does not cover (`%rootResource`, `matches()`, ...) is
//! handed to the runtime interpreter as its source text, evaluated on the same context; such
//! a check needs the `fhirpath` feature. A constraint whose result is not a boolean the
//! translation covers is interpreted whole.

use super::syntax::{self, Expr, Kind, Op};
use crate::ir::{FieldKind, Primitive, Struct, TypeSpace, ValueType};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::collections::HashMap;

/// How a constraint is checked.
#[derive(Debug, Clone)]
pub enum Check {
    /// Rust only.
    Compiled(TokenStream),
    /// Rust only, but using what comes with the `fhirpath` feature: the `regex` crate
    /// (`matches()`) or the validator's record of the enclosing resource (`%resource`).
    CompiledFhirpath(TokenStream),
    /// Rust that hands some operands to the interpreter (needs the `fhirpath` feature).
    Mixed(TokenStream),
    /// The interpreter on the whole expression, and why.
    Interpreted(String),
}

/// Every struct of the type space by Rust name, with its definition.
pub struct Types<'s> {
    structs: HashMap<&'s str, &'s Struct>,
    /// The Rust name of the concrete resource each resource's struct belongs to
    /// (`StructureDefinitionSnapshot` -> `StructureDefinition`), for `%resource`.
    resource_of: HashMap<&'s str, &'s str>,
    /// The root structs of datatypes and of resources: what a choice or a contained
    /// resource may be, for `children()`.
    datatype_roots: Vec<&'s Struct>,
    resource_roots: Vec<&'s Struct>,
}

/// The abstract resources: `%resource` on their elements may be any resource.
const ABSTRACT_RESOURCES: [&str; 2] = ["Resource", "DomainResource"];

impl<'s> Types<'s> {
    pub fn new(space: &'s TypeSpace) -> Self {
        let structs = space
            .datatypes
            .iter()
            .chain(&space.resources)
            .flat_map(|d| &d.structs)
            .map(|s| (s.name.as_str(), s))
            .collect();
        let resource_of = space
            .resources
            .iter()
            .filter(|d| !ABSTRACT_RESOURCES.contains(&d.name.as_str()))
            .flat_map(|d| {
                d.structs
                    .iter()
                    .map(|s| (s.name.as_str(), d.root().name.as_str()))
            })
            .collect();
        Types {
            structs,
            resource_of,
            datatype_roots: space.datatypes.iter().map(|d| d.root()).collect(),
            resource_roots: space.resources.iter().map(|d| d.root()).collect(),
        }
    }

    /// Compiles `expression` into an `Option<bool>` expression on `this` (an item of type
    /// `context`; it may call the interpreter through `v`, the validator). `root_of` names the resource when the context is a resource's root struct
    /// (`Appointment.status` on Appointment starts with the type's name).
    pub fn compile(&self, expression: &str, context: Item, root_of: Option<&str>) -> Check {
        let expr = match syntax::parse(expression) {
            Ok(e) => e,
            Err(reason) => return Check::Interpreted(format!("syntax: {reason}")),
        };
        let resource = match (&context, root_of) {
            (_, Some(name)) if ABSTRACT_RESOURCES.contains(&name) => None,
            (Item::Struct(s), Some(_)) => Some(Value::One(quote!(this), Item::Struct(s.clone()))),
            (Item::Struct(s), None) => self.resource_of.get(s.as_str()).map(|root| {
                let ty = Ident::new(root, Span::call_site());
                Value::Items(
                    quote!(v.resource_as::<crate::resources::#ty>().into_iter()),
                    Item::Struct((*root).to_owned()),
                )
            }),
            _ => None,
        };
        let mut c = Compilation {
            types: self,
            source: expression,
            closures: 0,
            interprets: false,
            fhirpath: false,
            resource,
        };
        let this = Scope {
            tokens: quote!(this),
            item: context,
            root_of,
        };
        match c.value(&expr, &this).and_then(|v| c.boolean(v)) {
            Ok(tokens) if c.interprets => Check::Mixed(tokens),
            Ok(tokens) if c.fhirpath => Check::CompiledFhirpath(tokens),
            Ok(tokens) => Check::Compiled(tokens),
            Err(reason) => Check::Interpreted(reason),
        }
    }
}

/// What one item of a collection is.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A generated struct, by Rust name.
    Struct(String),
    Primitive(Primitive),
    /// A code with a generated enum.
    Code,
    Resource,
    /// A choice enum: only its presence is known here.
    Choice,
}

impl Item {
    pub fn of(ty: &ValueType) -> Item {
        match ty {
            ValueType::Primitive { ty, .. } => Item::Primitive(*ty),
            ValueType::Code(_) => Item::Code,
            ValueType::Complex { name, .. } | ValueType::Backbone(name) => {
                Item::Struct(crate::ir::names::struct_name(name))
            }
            ValueType::Resource => Item::Resource,
        }
    }

    fn is_text(&self) -> bool {
        use Primitive as P;
        match self {
            Item::Code => true,
            Item::Primitive(p) => matches!(
                p,
                P::String
                    | P::Code
                    | P::Id
                    | P::Uri
                    | P::Url
                    | P::Canonical
                    | P::Oid
                    | P::Uuid
                    | P::Markdown
            ),
            _ => false,
        }
    }

    /// Items `<` and `>` compare: dates and times, numbers and quantities.
    fn is_ordered(&self) -> bool {
        use Primitive as P;
        match self {
            Item::Primitive(p) => matches!(
                p,
                P::Date
                    | P::DateTime
                    | P::Instant
                    | P::Time
                    | P::Decimal
                    | P::Integer
                    | P::UnsignedInt
                    | P::PositiveInt
            ),
            Item::Struct(name) => matches!(
                name.as_str(),
                "Quantity" | "SimpleQuantity" | "Age" | "Count" | "Distance" | "Duration"
            ),
            _ => false,
        }
    }

    fn is_primitive(&self) -> bool {
        matches!(self, Item::Primitive(_) | Item::Code)
    }
}

/// A translated subexpression.
#[derive(Clone)]
enum Value {
    /// `Option<bool>`.
    Bool(TokenStream),
    /// An `i64` that is never empty (`count()`).
    Int(TokenStream),
    /// An `Option<i64>`: an integer that may be empty (`toInteger()`, an integer element).
    MaybeInt(TokenStream),
    /// An `Option<String>` computed from text (`&`, `replaceMatches()`).
    Text(TokenStream),
    /// An iterator of `&T`.
    Items(TokenStream, Item),
    /// One `&T` that is there (`$this`).
    One(TokenStream, Item),
    Str(String),
    IntLit(i64),
    Strs(Vec<String>),
}

/// The item `$this` stands for.
struct Scope<'a> {
    tokens: TokenStream,
    item: Item,
    root_of: Option<&'a str>,
}

struct Compilation<'t, 's> {
    types: &'t Types<'s>,
    source: &'t str,
    closures: usize,
    interprets: bool,
    /// Whether the translation needs the `fhirpath` feature (`matches()`, `%resource` away
    /// from the resource's root).
    fhirpath: bool,
    /// What `%resource` translates to, where the context tells which resource it is.
    resource: Option<Value>,
}

type Res<T> = Result<T, String>;

impl Compilation<'_, '_> {
    fn closure_var(&mut self) -> Ident {
        self.closures += 1;
        Ident::new(&format!("x{}", self.closures), Span::call_site())
    }

    fn value(&mut self, e: &Expr, this: &Scope) -> Res<Value> {
        match &e.kind {
            Kind::Str(s) => Ok(Value::Str(s.clone())),
            Kind::Int(n) => Ok(Value::IntLit(*n)),
            Kind::Bool(b) => Ok(Value::Bool(quote!(Some(#b)))),
            Kind::Var(name) if name == "ucum" => Ok(Value::Str("http://unitsofmeasure.org".into())),
            Kind::Var(name) if name == "resource" => match &self.resource {
                Some(value) => {
                    let value = value.clone();
                    self.fhirpath |= matches!(value, Value::Items(..));
                    Ok(value)
                }
                None => Err("variable %resource of an element of any resource".into()),
            },
            Kind::Var(name) => Err(format!("variable %{name}")),
            Kind::This => Ok(Value::One(this.tokens.clone(), this.item.clone())),
            Kind::Member(None, name) if Some(name.as_str()) == this.root_of => {
                Ok(Value::One(this.tokens.clone(), this.item.clone()))
            }
            Kind::Member(None, name) => self.member_of_one(&this.tokens, &this.item, name),
            Kind::Member(Some(target), name) if matches!(&target.kind, Kind::Call(None, f, args) if f == "children" && args.is_empty()) => {
                self.member_of_children(this, name)
            }
            Kind::Member(Some(target), name) => {
                let (items, item) = match self.value(target, this)? {
                    Value::One(t, item) => return self.member_of_one(&t, &item, name),
                    other => self.as_items(other, target)?,
                };
                let x = self.closure_var();
                let Value::Items(inner, inner_item) =
                    self.member_of_one(&quote!(#x), &item, name)?
                else {
                    unreachable!("members are collections")
                };
                Ok(Value::Items(
                    quote!(#items.flat_map(|#x| #inner)),
                    inner_item,
                ))
            }
            Kind::Call(target, name, args) => self.call(target.as_deref(), name, args, this),
            Kind::Binary(op, l, r) => self.binary(*op, l, r, this, e),
        }
    }

    fn items(&mut self, e: &Expr, this: &Scope) -> Res<(TokenStream, Item)> {
        let value = self.value(e, this)?;
        self.as_items(value, e)
    }

    /// A translated value as an iterator of elements, or why it is not one.
    fn as_items(&self, value: Value, e: &Expr) -> Res<(TokenStream, Item)> {
        match value {
            Value::Items(t, item) => Ok((t, item)),
            Value::One(t, item) => Ok((quote!(std::iter::once(#t)), item)),
            _ => Err(format!(
                "`{}` is not a collection of elements",
                self.text(e)
            )),
        }
    }

    /// The elements named `name` of one item `x` of type `item`.
    fn member_of_one(&mut self, x: &TokenStream, item: &Item, name: &str) -> Res<Value> {
        match item {
            Item::Struct(s) => {
                let st = self
                    .types
                    .structs
                    .get(s.as_str())
                    .ok_or_else(|| format!("unknown type {s}"))?;
                let field = st
                    .fields
                    .iter()
                    .find(|f| f.json_name == name)
                    .ok_or_else(|| format!("{} has no element {name}", st.path))?;
                let f = Ident::new(&field.rust_name, Span::call_site());
                match &field.kind {
                    FieldKind::Choice(_) => Ok(Value::Items(quote!(#x.#f.iter()), Item::Choice)),
                    FieldKind::Value(ty) => {
                        let boxed = !field.many
                            && matches!(ty, ValueType::Complex { .. } | ValueType::Backbone(_));
                        let iter = if boxed {
                            quote!(#x.#f.iter().map(|b| &**b))
                        } else {
                            quote!(#x.#f.iter())
                        };
                        Ok(Value::Items(iter, Item::of(ty)))
                    }
                }
            }
            Item::Resource => match name {
                "id" => Ok(Value::Items(
                    quote!(#x.id().into_iter()),
                    Item::Primitive(Primitive::Id),
                )),
                "meta" => Ok(Value::Items(
                    quote!(#x.meta().into_iter()),
                    Item::Struct("Meta".into()),
                )),
                "contained" => Ok(Value::Items(quote!(#x.contained().iter()), Item::Resource)),
                "text" => Ok(Value::Items(
                    quote!(#x.narrative().flatten().into_iter()),
                    Item::Struct("Narrative".into()),
                )),
                _ => Err(format!("element {name} of any resource")),
            },
            other => Err(format!("element {name} of a {other:?}")),
        }
    }

    /// `children().name` on `$this`: the `name` elements of its children, field by field in
    /// definition order, as the engine lists children. A child that cannot have `name` adds
    /// nothing (the engine's lenient mode reads a missing element as empty); one whose type is
    /// open (a choice, a contained resource) and might have it is left to the engine.
    fn member_of_children(&mut self, this: &Scope, name: &str) -> Res<Value> {
        let Item::Struct(s) = &this.item else {
            return Err("children() of something other than a struct".into());
        };
        let st = *self
            .types
            .structs
            .get(s.as_str())
            .ok_or_else(|| format!("unknown type {s}"))?;
        let has = |roots: &[&Struct]| {
            roots
                .iter()
                .any(|r| r.fields.iter().any(|f| f.json_name == name))
        };
        let mut parts = Vec::new();
        let mut found: Option<Item> = None;
        for field in &st.fields {
            let child = match &field.kind {
                FieldKind::Choice(_) if has(&self.types.datatype_roots) => {
                    return Err(format!("children().{name} may meet a choice"))
                }
                FieldKind::Choice(_) => continue,
                FieldKind::Value(ty) => Item::of(ty),
            };
            let open = match &child {
                Item::Struct(c) => {
                    let has_it = self
                        .types
                        .structs
                        .get(c.as_str())
                        .is_some_and(|cs| cs.fields.iter().any(|f| f.json_name == name));
                    if !has_it {
                        continue;
                    }
                    false
                }
                Item::Resource => has(&self.types.resource_roots),
                _ => matches!(name, "id" | "extension"),
            };
            if open {
                return Err(format!("children().{name} may meet a {child:?}"));
            }
            if !matches!(child, Item::Struct(_)) {
                continue;
            }
            let Value::Items(children, _) =
                self.member_of_one(&this.tokens, &this.item, &field.json_name)?
            else {
                unreachable!("members are collections")
            };
            let x = self.closure_var();
            let Value::Items(inner, item) = self.member_of_one(&quote!(#x), &child, name)? else {
                unreachable!("members are collections")
            };
            match &found {
                Some(f) if *f != item => {
                    return Err(format!("children().{name} of different types"));
                }
                _ => found = Some(item),
            }
            parts.push(quote!(#children.flat_map(|#x| #inner)));
        }
        let (Some(item), Some((first, rest))) = (found, parts.split_first()) else {
            return Err(format!("no child of {s} has {name}"));
        };
        Ok(Value::Items(quote!(#first #(.chain(#rest))*), item))
    }

    fn call(
        &mut self,
        target: Option<&Expr>,
        name: &str,
        args: &[Expr],
        this: &Scope,
    ) -> Res<Value> {
        if let ("not", [], Some(target)) = (name, args, target) {
            let b = self.operand(target, this)?;
            return Ok(Value::Bool(quote!(crate::validate::rules::not(#b))));
        }
        let (items, item) = match target {
            Some(t) => self.items(t, this)?,
            None => {
                let t = &this.tokens;
                (quote!(std::iter::once(#t)), this.item.clone())
            }
        };
        if let ("iif", [criterion, then, otherwise @ ..], None) = (name, args, target) {
            let criterion = self.operand(criterion, this)?;
            let then = self.operand(then, this)?;
            let otherwise = match otherwise {
                [] => quote!(None),
                [e] => self.operand(e, this)?,
                _ => return Err("iif() with more than three arguments".into()),
            };
            return Ok(Value::Bool(quote!(
                crate::validate::rules::iif(#criterion, || #then, || #otherwise)
            )));
        }
        match (name, args) {
            ("exists", []) => Ok(Value::Bool(quote!(crate::validate::rules::exists(#items)))),
            ("empty", []) => Ok(Value::Bool(quote!(crate::validate::rules::empty(#items)))),
            ("count", []) => Ok(Value::Int(quote!(crate::validate::rules::count(#items)))),
            ("first", []) => Ok(Value::Items(quote!(#items.take(1)), item)),
            ("tail", []) => Ok(Value::Items(quote!(#items.skip(1)), item)),
            ("toInteger", []) if item.is_text() => Ok(Value::MaybeInt(quote!(
                crate::validate::rules::to_integer(#items)
            ))),
            ("trace", [_, ..]) => Ok(Value::Items(items, item)),
            ("hasValue", []) if item.is_primitive() => Ok(Value::Bool(
                quote!(crate::validate::rules::has_value(#items)),
            )),
            ("htmlChecks", []) if item == Item::Primitive(Primitive::Xhtml) => Ok(Value::Bool(
                quote!(crate::validate::rules::html_checks(#items)),
            )),
            ("startsWith", [prefix]) if item.is_text() => match self.value(prefix, this)? {
                Value::Str(p) => Ok(Value::Bool(
                    quote!(crate::validate::rules::starts_with(#items, #p)),
                )),
                computed => {
                    let p = text_operand(computed)?;
                    Ok(Value::Bool(
                        quote!(crate::validate::rules::starts_with_computed(#items, #p)),
                    ))
                }
            },
            ("replaceMatches", [pattern, with]) if item.is_text() => {
                match (self.value(pattern, this)?, self.value(with, this)?) {
                    (Value::Str(p), Value::Str(w)) => {
                        check_pattern(&p)?;
                        self.fhirpath = true;
                        Ok(Value::Text(quote!(
                            crate::validate::rules::replace_matches(#items, #p, #w)
                        )))
                    }
                    _ => Err("replaceMatches() with computed arguments".into()),
                }
            }
            ("matches", [pattern]) if item.is_text() => match self.value(pattern, this)? {
                Value::Str(p) => {
                    check_pattern(&p)?;
                    self.fhirpath = true;
                    Ok(Value::Bool(
                        quote!(crate::validate::rules::matches(#items, #p)),
                    ))
                }
                _ => Err("matches() with a computed pattern".into()),
            },
            ("contains", [part]) if item.is_text() => match self.value(part, this)? {
                Value::Str(p) => Ok(Value::Bool(
                    quote!(crate::validate::rules::contains_text(#items, #p)),
                )),
                _ => Err("contains() with a computed argument".into()),
            },
            ("isDistinct", []) if item.is_text() => Ok(Value::Bool(
                quote!(crate::validate::rules::is_distinct(#items)),
            )),
            ("select", [projection]) => {
                let x = self.closure_var();
                let inner = Scope {
                    tokens: quote!(#x),
                    item,
                    root_of: None,
                };
                let projected = self.value(projection, &inner)?;
                let (each, item) = self.as_items(projected, projection)?;
                Ok(Value::Items(quote!(#items.flat_map(|#x| #each)), item))
            }
            ("where" | "all" | "exists", [criteria]) => {
                let x = self.closure_var();
                let inner = Scope {
                    tokens: quote!(#x),
                    item: item.clone(),
                    root_of: None,
                };
                let cond = self.operand(criteria, &inner)?;
                Ok(match name {
                    "where" => Value::Items(quote!(#items.filter(|&#x| #cond == Some(true))), item),
                    "all" => Value::Bool(quote!(Some(#items.all(|#x| #cond == Some(true))))),
                    _ => Value::Bool(quote!(Some(#items.any(|#x| #cond == Some(true))))),
                })
            }
            _ => Err(format!("function {name}() with {} arguments", args.len())),
        }
    }

    fn binary(&mut self, op: Op, l: &Expr, r: &Expr, this: &Scope, whole: &Expr) -> Res<Value> {
        use Op::*;
        if matches!(op, And | Or | Xor | Implies) {
            let a = self.operand(l, this)?;
            let b = self.operand(r, this)?;
            return Ok(Value::Bool(match op {
                And => quote!(crate::validate::rules::and(#a, || #b)),
                Or => quote!(crate::validate::rules::or(#a, || #b)),
                Implies => quote!(crate::validate::rules::implies(#a, || #b)),
                _ => quote!(crate::validate::rules::xor(#a, #b)),
            }));
        }
        let a = many(self.value(l, this)?);
        let b = many(self.value(r, this)?);
        match (op, a, b) {
            (Concat, x, y) => {
                let (x, y) = (text_operand(x)?, text_operand(y)?);
                Ok(Value::Text(
                    quote!(Some(crate::validate::rules::concat(#x, #y))),
                ))
            }
            (Union, Value::Str(x), Value::Str(y)) => Ok(Value::Strs(vec![x, y])),
            (Union, Value::Strs(mut xs), Value::Str(y)) => {
                xs.push(y);
                Ok(Value::Strs(xs))
            }
            (In, Value::Items(items, item), Value::Strs(list)) if item.is_text() => Ok(
                Value::Bool(quote!(crate::validate::rules::text_in(#items, &[#(#list),*]))),
            ),
            (Eq | Ne, Value::Items(items, item), Value::Str(s)) if item.is_text() => {
                let eq = quote!(crate::validate::rules::text_eq(#items, #s));
                Ok(Value::Bool(if op == Eq {
                    eq
                } else {
                    quote!(crate::validate::rules::not(#eq))
                }))
            }
            (Eq | Ne, Value::Items(a, x), Value::Items(b, y)) if x.is_text() && y.is_text() => {
                let eq = quote!(crate::validate::rules::texts_eq(#a, #b));
                Ok(Value::Bool(if op == Eq {
                    eq
                } else {
                    quote!(crate::validate::rules::not(#eq))
                }))
            }
            (
                Eq | Ne,
                x @ (Value::Bool(_) | Value::Items(..)),
                y @ (Value::Bool(_) | Value::Items(..)),
            ) if matches!(x, Value::Bool(_)) || matches!(y, Value::Bool(_)) => {
                let (x, y) = (self.boolean(x)?, self.boolean(y)?);
                let eq = quote!(crate::validate::rules::bool_eq(#x, #y));
                Ok(Value::Bool(if op == Eq {
                    eq
                } else {
                    quote!(crate::validate::rules::not(#eq))
                }))
            }
            (Add, x, y) => Ok(Value::Int({
                let (x, y) = (self.int(x)?, self.int(y)?);
                quote!((#x + #y))
            })),
            (Eq | Ne | Lt | Le | Gt | Ge, x, y)
                if [&x, &y].iter().any(|v| v.is_maybe_int())
                    && [&x, &y].iter().all(|v| v.is_integer()) =>
            {
                let (x, y) = (maybe_int(x)?, maybe_int(y)?);
                let test = ordering_test(op);
                Ok(Value::Bool(quote!(
                    crate::validate::rules::int_cmp(#x, #y).map(std::cmp::Ordering::#test)
                )))
            }
            // Dates, times, decimals and quantities are ordered as the engine orders them
            // (partial precision, units), so the engine's comparison is called on the items.
            (Lt | Le | Gt | Ge, Value::Items(a, x), Value::Items(b, y))
                if x.is_ordered() && y.is_ordered() =>
            {
                self.fhirpath = true;
                let test = ordering_test(op);
                Ok(Value::Bool(quote!(
                    crate::validate::rules::order(#a, #b).map(std::cmp::Ordering::#test)
                )))
            }
            (Lt | Le | Gt | Ge, Value::Items(a, x), Value::IntLit(n)) if x.is_ordered() => {
                self.fhirpath = true;
                let test = ordering_test(op);
                Ok(Value::Bool(quote!(
                    crate::validate::rules::order_to_int(#a, #n).map(std::cmp::Ordering::#test)
                )))
            }
            (Eq | Ne | Lt | Le | Gt | Ge, x @ (Value::Int(_) | Value::IntLit(_)), y) => {
                let (x, y) = (self.int(x)?, self.int(y)?);
                Ok(Value::Bool(match op {
                    Eq => quote!(Some(#x == #y)),
                    Ne => quote!(Some(#x != #y)),
                    Lt => quote!(Some(#x < #y)),
                    Le => quote!(Some(#x <= #y)),
                    Gt => quote!(Some(#x > #y)),
                    _ => quote!(Some(#x >= #y)),
                }))
            }
            _ => Err(format!("operator {op:?} in `{}`", self.text(whole))),
        }
    }

    fn int(&self, v: Value) -> Res<TokenStream> {
        match v {
            Value::Int(t) => Ok(t),
            Value::IntLit(n) => Ok(quote!(#n)),
            _ => Err("arithmetic on something other than count()".into()),
        }
    }

    /// A boolean operand: translated, or handed to the interpreter as text on `$this`.
    fn operand(&mut self, e: &Expr, this: &Scope) -> Res<TokenStream> {
        match self.value(e, this).and_then(|v| self.boolean(v)) {
            Ok(t) => Ok(t),
            // `%context` would be the operand's own context there, not the constraint's.
            Err(_) if !matches!(this.item, Item::Choice) && !self.text(e).contains("%context") => {
                self.interprets = true;
                let text = self.text(e);
                let node = &this.tokens;
                Ok(quote!(v.interpret(#text, #node)))
            }
            Err(e) => Err(e),
        }
    }

    fn boolean(&mut self, v: Value) -> Res<TokenStream> {
        match many(v) {
            Value::Bool(t) => Ok(t),
            Value::Items(items, Item::Primitive(Primitive::Boolean)) => {
                Ok(quote!(crate::validate::rules::single_bool(#items)))
            }
            _ => Err("not a boolean".into()),
        }
    }

    fn text(&self, e: &Expr) -> String {
        self.source[e.span.0..e.span.1].trim().to_owned()
    }
}

/// The `Ordering` method that tells whether `op` holds.
fn ordering_test(op: Op) -> TokenStream {
    match op {
        Op::Eq => quote!(is_eq),
        Op::Ne => quote!(is_ne),
        Op::Lt => quote!(is_lt),
        Op::Le => quote!(is_le),
        Op::Gt => quote!(is_gt),
        _ => quote!(is_ge),
    }
}

impl Value {
    /// An integer that may be empty, as opposed to `count()` and literals.
    fn is_maybe_int(&self) -> bool {
        matches!(self, Value::MaybeInt(_)) || self.int_items()
    }

    fn is_integer(&self) -> bool {
        matches!(self, Value::Int(_) | Value::IntLit(_)) || self.is_maybe_int()
    }

    /// Integer elements (`min` of ElementDefinition).
    fn int_items(&self) -> bool {
        use Primitive as P;
        matches!(
            self,
            Value::Items(
                _,
                Item::Primitive(P::Integer | P::UnsignedInt | P::PositiveInt)
            )
        )
    }
}

/// A text operand as an `Option<&str>`.
fn text_operand(v: Value) -> Res<TokenStream> {
    match many(v) {
        Value::Str(s) => Ok(quote!(Some(#s))),
        Value::Text(t) => Ok(quote!((#t).as_deref())),
        Value::Items(items, item) if item.is_text() => {
            Ok(quote!(crate::validate::rules::single_text(#items)))
        }
        _ => Err("text operand that is not a string".into()),
    }
}

/// Whether the runtime accepts a literal pattern, built as `fhirpath::compiled_regex` builds
/// it; a pattern it refuses is left to the engine, which reports it.
fn check_pattern(pattern: &str) -> Res<()> {
    // The runtime's `MAX_PATTERN`: a longer pattern is an error there, so it stays one.
    const MAX_PATTERN: usize = 10_000;
    if pattern.len() > MAX_PATTERN {
        return Err("pattern longer than the runtime accepts".into());
    }
    regex::RegexBuilder::new(pattern)
        .dot_matches_new_line(true)
        .size_limit(1 << 20)
        .build()
        .map(drop)
        .map_err(|e| format!("pattern: {e}"))
}

/// An integer value as an `Option<i64>`.
fn maybe_int(v: Value) -> Res<TokenStream> {
    match many(v) {
        Value::Int(t) => Ok(quote!(Some(#t))),
        Value::IntLit(n) => Ok(quote!(Some(#n))),
        Value::MaybeInt(t) => Ok(t),
        Value::Items(items, _) => Ok(quote!(crate::validate::rules::single_int(#items))),
        _ => Err("not an integer".into()),
    }
}

/// A single item as a collection of one.
fn many(v: Value) -> Value {
    match v {
        Value::One(t, item) => Value::Items(quote!(std::iter::once(#t)), item),
        other => other,
    }
}
