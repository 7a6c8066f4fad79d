//! The reflection layer FHIRPath navigates: every generated struct, choice enum and the
//! `Resource` enum implement [`Reflect`] (emitted by fhir-codegen); primitives get the
//! hand-written impls below. Nodes borrow from the model: nothing is cloned to be queried.

use super::value::Item;
use crate::element::Primitive;
use crate::primitives::{
    Base64Binary, Canonical, Code, Date, DateTime, Decimal, FhirPrimitive, FhirString, Id, Instant,
    Markdown, Oid, PositiveInt, Time, UnsignedInt, Uri, Url, Uuid, Xhtml,
};
use std::any::Any;

/// `&dyn Reflect` to `&dyn Any`, for the few functions that need the concrete type
/// (`resolve()` through a Bundle). Blanket-implemented, so generated code never mentions it.
pub trait AsAny {
    /// This value as `Any`.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A node of the model as FHIRPath sees it.
pub trait Reflect: AsAny {
    /// The FHIR type name: `Patient`, `HumanName`, `BackboneElement`, `dateTime`, `code`.
    fn fhir_type(&self) -> &'static str;
    /// The elements this type has (FHIR name, cardinality), in definition order; used by
    /// `children()`, deep equality and the JSON form of complex results.
    fn elements(&self) -> &'static [(&'static str, Card)] {
        &[]
    }
    /// Pushes the values of element `index` of [`Reflect::elements`] (a choice: its value).
    fn child_at<'a>(&'a self, index: usize, out: &mut Nodes<'a>);
    /// The value of a primitive; `None` for complex types and primitives without a value.
    fn primitive(&self) -> Option<Prim<'_>> {
        None
    }
    /// The definitions' constraints on this type and its fields
    /// ([`crate::validate::Validate::INVARIANTS`]), for validation to evaluate.
    fn invariants(&self) -> &'static [crate::validate::Invariant] {
        &[]
    }
}

impl<'r> dyn Reflect + 'r {
    /// Pushes the values of the element called `name`: a FHIR name, a choice's base name
    /// (`value`) or a typed choice name (`valueQuantity`); nothing when there is none.
    /// Compiled once for all types, so the generated impls only map indices to fields.
    pub fn child<'a>(&'a self, name: &str, out: &mut Nodes<'a>) {
        let elements = self.elements();
        // The first byte settles most comparisons without a call to `memcmp`.
        let first = name.as_bytes().first();
        if let Some(i) = elements
            .iter()
            .position(|(n, _)| n.as_bytes().first() == first && *n == name)
        {
            return self.child_at(i, out);
        }
        for (i, &(base, card)) in elements.iter().enumerate() {
            let Some(suffix) = name.strip_prefix(base) else {
                continue;
            };
            if card != Card::Choice {
                continue;
            }
            let mut found = Nodes::new();
            self.child_at(i, &mut found);
            for item in found.items {
                if let Item::Node(node) = item {
                    if is_type_suffix(node.fhir_type(), suffix) {
                        out.push(node);
                    }
                }
            }
        }
    }
}

/// `Quantity` for `Quantity`, `DateTime` for `dateTime`: a choice's JSON name ends with its
/// type's name, first letter upper-cased.
fn is_type_suffix(fhir_type: &str, suffix: &str) -> bool {
    let (mut a, mut b) = (fhir_type.chars(), suffix.chars());
    match (a.next(), b.next()) {
        (Some(x), Some(y)) => x.to_ascii_uppercase() == y && a.as_str() == b.as_str(),
        _ => false,
    }
}

/// A choice enum (`ObservationValue`): the value of whichever type it holds.
pub trait Choice {
    /// The value (a Quantity, a `Primitive<DateTime>` ...).
    fn value(&self) -> &dyn Reflect;
}

/// How an element holds its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Card {
    /// 0..1.
    One,
    /// 0..*.
    Many,
    /// A choice (`value[x]`): its JSON name carries the type.
    Choice,
}

/// The value of a primitive node, borrowed from the model.
#[derive(Clone, Copy, Debug)]
pub enum Prim<'a> {
    /// `boolean`.
    Boolean(bool),
    /// `integer`, `positiveInt`, `unsignedInt`.
    Integer(i64),
    /// `decimal`, as written (its scale is kept).
    Decimal(&'a str),
    /// `string` and its specialisations, `uri` and its, `base64Binary`, `xhtml`.
    String(&'a str),
    /// `date`.
    Date(&'a str),
    /// `dateTime`, `instant`.
    DateTime(&'a str),
    /// `time`.
    Time(&'a str),
}

/// Where [`Reflect::child`] puts what it finds.
pub struct Nodes<'a> {
    pub(crate) items: Vec<Item<'a>>,
}

impl<'a> Nodes<'a> {
    pub(crate) fn new() -> Self {
        Nodes { items: Vec::new() }
    }

    /// One value of an element.
    pub fn push(&mut self, node: &'a dyn Reflect) {
        self.items.push(Item::Node(node));
    }

    /// A 0..1 element.
    pub fn opt<T: Reflect>(&mut self, value: Option<&'a T>) {
        if let Some(v) = value {
            self.items.push(Item::Node(v));
        }
    }

    /// A 0..* element.
    pub fn many<T: Reflect>(&mut self, values: &'a [T]) {
        for v in values {
            self.items.push(Item::Node(v));
        }
    }

    /// A choice element: the value of whichever type it holds.
    pub fn choice<C: Choice>(&mut self, choice: Option<&'a C>) {
        if let Some(c) = choice {
            self.items.push(Item::Node(c.value()));
        }
    }
}

/// A primitive value type of the model.
pub trait PrimValue: FhirPrimitive + Any {
    /// The value as FHIRPath reads it.
    fn prim(&self) -> Prim<'_>;
}

impl PrimValue for bool {
    fn prim(&self) -> Prim<'_> {
        Prim::Boolean(*self)
    }
}

impl PrimValue for i32 {
    fn prim(&self) -> Prim<'_> {
        Prim::Integer(i64::from(*self))
    }
}

impl PrimValue for PositiveInt {
    fn prim(&self) -> Prim<'_> {
        Prim::Integer(i64::from(self.get()))
    }
}

impl PrimValue for UnsignedInt {
    fn prim(&self) -> Prim<'_> {
        Prim::Integer(i64::from(self.get()))
    }
}

impl PrimValue for Decimal {
    fn prim(&self) -> Prim<'_> {
        Prim::Decimal(self.as_str())
    }
}

/// Text-backed primitives: which [`Prim`] each one is.
macro_rules! text_prims {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl PrimValue for $ty {
            fn prim(&self) -> Prim<'_> {
                Prim::$variant(self.as_str())
            }
        }
    )*};
}

text_prims! {
    FhirString => String, Code => String, Id => String, Markdown => String,
    Uri => String, Url => String, Canonical => String, Oid => String, Uuid => String,
    Base64Binary => String, Xhtml => String,
    Date => Date, DateTime => DateTime, Instant => DateTime, Time => Time,
}

/// Code enums of required bindings are `code` values.
impl<T: crate::CodeEnum + FhirPrimitive> PrimValue for T {
    fn prim(&self) -> Prim<'_> {
        Prim::String(self.code())
    }
}

impl<T: PrimValue> Reflect for Primitive<T> {
    fn fhir_type(&self) -> &'static str {
        T::FHIR_TYPE
    }
    fn elements(&self) -> &'static [(&'static str, Card)] {
        &[("id", Card::One), ("extension", Card::Many)]
    }
    fn child_at<'a>(&'a self, index: usize, out: &mut Nodes<'a>) {
        element_child(self.element.as_deref(), index, out)
    }
    fn primitive(&self) -> Option<Prim<'_>> {
        self.value.as_ref().map(PrimValue::prim)
    }
}

/// `id` and `extension` of a primitive element, outside the generic impl so that it is
/// compiled once rather than once per primitive type and code enum.
fn element_child<'a>(element: Option<&'a crate::Element>, index: usize, out: &mut Nodes<'a>) {
    let Some(element) = element else {
        return;
    };
    match index {
        0 => {
            if let Some(id) = &element.id {
                out.push(id);
            }
        }
        1 => {
            for e in &element.extension {
                out.push(e);
            }
        }
        _ => {}
    }
}

/// Bare primitives (XML attributes in FHIR: `Element.id`, `Extension.url`, the narrative
/// `div`) have no element part.
macro_rules! bare_prims {
    ($($ty:ty),*) => {$(
        impl Reflect for $ty {
            fn fhir_type(&self) -> &'static str {
                <$ty as FhirPrimitive>::FHIR_TYPE
            }
            fn child_at<'a>(&'a self, _index: usize, _out: &mut Nodes<'a>) {}
            fn primitive(&self) -> Option<Prim<'_>> {
                Some(self.prim())
            }
        }
    )*};
}

bare_prims!(FhirString, Uri, Xhtml);

impl Reflect for crate::Resource {
    fn fhir_type(&self) -> &'static str {
        self.as_reflect().fhir_type()
    }
    fn elements(&self) -> &'static [(&'static str, Card)] {
        self.as_reflect().elements()
    }
    fn child_at<'a>(&'a self, index: usize, out: &mut Nodes<'a>) {
        self.as_reflect().child_at(index, out)
    }
    fn invariants(&self) -> &'static [crate::validate::Invariant] {
        self.as_reflect().invariants()
    }
}
