//! Primitive elements: a value plus the `id` and extensions carried in JSON's `_name` twin
//! (json.html#primitive).

use crate::datatypes::Extension;
use crate::primitives::FhirString;

/// A primitive element. Either part may be absent, but not both (ele-1): `value` is absent
/// when only extensions say something (for example a data-absent-reason).
#[derive(Clone, Debug, PartialEq)]
pub struct Primitive<T> {
    /// The value; absent when only the element part says something.
    pub value: Option<T>,
    /// `id` and `extension` of the element; boxed because they are rare.
    pub element: Option<Box<Element>>,
}

impl<T> Default for Primitive<T> {
    fn default() -> Self {
        Primitive {
            value: None,
            element: None,
        }
    }
}

impl<T> Primitive<T> {
    /// A primitive with a value and no element part.
    pub fn new(value: T) -> Self {
        Primitive {
            value: Some(value),
            element: None,
        }
    }

    /// The value, if present.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// Extensions of this element (none when there is no `_name` object).
    pub fn extension(&self) -> &[Extension] {
        self.element.as_ref().map_or(&[], |e| &e.extension)
    }

    /// The element part, created on first use.
    pub fn element_mut(&mut self) -> &mut Element {
        self.element.get_or_insert_with(Default::default)
    }
}

impl<T> From<T> for Primitive<T> {
    fn from(value: T) -> Self {
        Primitive::new(value)
    }
}

impl Element {
    /// Whether there is nothing in it (it is then left out of JSON, which forbids `{}`).
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.extension.is_empty()
    }
}

/// The `Element` part of a primitive: what JSON writes as `"_birthDate": {"id": .., "extension": [..]}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Element {
    /// Element id, for references from within the resource.
    pub id: Option<FhirString>,
    /// Extensions on the primitive.
    pub extension: Vec<Extension>,
}

/// `"1974-12-25".parse::<Primitive<Date>>()`: validates and wraps a value in one step.
impl<T: std::str::FromStr> std::str::FromStr for Primitive<T> {
    type Err = T::Err;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Primitive::new)
    }
}
