//! Conversions between the values of user fields and the values the model holds for an
//! element. The derive macros call these with the model's type inferred from the field they
//! fill, so a user type that does not fit an element is a compile error naming both.

use super::{Context, FhirResource, Key, MappingError};
use crate::datatypes::Reference;
use crate::primitives::{FhirPrimitive, PositiveInt, UnsignedInt};
use crate::{ConcreteResource, Primitive, TypedReference};
use std::fmt::Display;
use std::str::FromStr;

/// A user value that can be written into an element the model holds as `E`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be written to a FHIR element held as `{E}`",
    label = "this field's type does not fit the element",
    note = "use the model's type, a primitive's Rust value (`String`, `bool`, `i32`, `u32`, a code enum), or `Key<T>` for a Reference"
)]
pub trait ToElement<E> {
    /// The model's value; `at` is the element path, for errors.
    fn to_element(&self, at: &str) -> Result<E, MappingError>;
}

/// A user value that can be read from an element the model holds as `E`.
#[diagnostic::on_unimplemented(
    message = "a FHIR element held as `{E}` cannot be read into `{Self}`",
    label = "this field's type does not fit the element",
    note = "use the model's type, a primitive's Rust value (`String`, `bool`, `i32`, `u32`, a code enum), or `Key<T>` for a Reference"
)]
pub trait FromElement<E>: Sized {
    /// The user value; `at` is the element path, for errors.
    fn from_element(element: &E, at: &str, cx: &Context<'_>) -> Result<Self, MappingError>;
}

/// The model's own types map onto themselves, extensions and all.
impl<T: Clone> ToElement<T> for T {
    fn to_element(&self, _: &str) -> Result<T, MappingError> {
        Ok(self.clone())
    }
}

impl<T: Clone> FromElement<T> for T {
    fn from_element(element: &T, _: &str, _: &Context<'_>) -> Result<T, MappingError> {
        Ok(element.clone())
    }
}

/// A primitive's value (`DateTime`, `Id`, `i32`, a code enum) fills `Primitive<T>`.
impl<T: FhirPrimitive + Clone> ToElement<Primitive<T>> for T {
    fn to_element(&self, _: &str) -> Result<Primitive<T>, MappingError> {
        Ok(Primitive::new(self.clone()))
    }
}

impl<T: FhirPrimitive + Clone> FromElement<Primitive<T>> for T {
    fn from_element(element: &Primitive<T>, at: &str, _: &Context<'_>) -> Result<T, MappingError> {
        element.value().cloned().ok_or_else(|| no_value(at))
    }
}

fn no_value(at: &str) -> MappingError {
    MappingError::new(at, "has extensions but no value")
}

/// Text is checked against the element's type (`date`, `code`, a required ValueSet ...).
impl<T> ToElement<Primitive<T>> for String
where
    T: FromStr,
    T::Err: Display,
{
    fn to_element(&self, at: &str) -> Result<Primitive<T>, MappingError> {
        self.as_str().to_element(at)
    }
}

impl<T> ToElement<Primitive<T>> for str
where
    T: FromStr,
    T::Err: Display,
{
    fn to_element(&self, at: &str) -> Result<Primitive<T>, MappingError> {
        self.parse()
            .map(Primitive::new)
            .map_err(|e| MappingError::new(at, e))
    }
}

impl<T> ToElement<Primitive<T>> for &str
where
    T: FromStr,
    T::Err: Display,
{
    fn to_element(&self, at: &str) -> Result<Primitive<T>, MappingError> {
        (**self).to_element(at)
    }
}

/// Any primitive reads as its JSON text (`"2024-05-01"`, `"finished"`, `"42"`).
impl<T: Display> FromElement<Primitive<T>> for String {
    fn from_element(
        element: &Primitive<T>,
        at: &str,
        _: &Context<'_>,
    ) -> Result<String, MappingError> {
        element
            .value()
            .map(|v| v.to_string())
            .ok_or_else(|| no_value(at))
    }
}

macro_rules! unsigned {
    ($($ty:ident),*) => {$(
        /// Range-checked: a `u32` outside the type's range is an error, not a wrap.
        impl ToElement<Primitive<$ty>> for u32 {
            fn to_element(&self, at: &str) -> Result<Primitive<$ty>, MappingError> {
                $ty::new(*self).map(Primitive::new).map_err(|e| MappingError::new(at, e))
            }
        }

        impl FromElement<Primitive<$ty>> for u32 {
            fn from_element(
                element: &Primitive<$ty>,
                at: &str,
                _: &Context<'_>,
            ) -> Result<u32, MappingError> {
                element.value().map(|v| v.get()).ok_or_else(|| no_value(at))
            }
        }
    )*};
}
unsigned!(PositiveInt, UnsignedInt);

/// A typed key becomes a relative reference (`Patient/123`).
impl<T: FhirResource> ToElement<Reference> for Key<T> {
    fn to_element(&self, _: &str) -> Result<Reference, MappingError> {
        Ok(self.to_reference())
    }
}

impl<T: FhirResource> FromElement<Reference> for Key<T> {
    fn from_element(element: &Reference, at: &str, cx: &Context<'_>) -> Result<Self, MappingError> {
        Key::from_reference(element, at, cx)
    }
}

impl<R> ToElement<Reference> for TypedReference<R> {
    fn to_element(&self, _: &str) -> Result<Reference, MappingError> {
        Ok(Reference::clone(self))
    }
}

/// Reads a Reference whose literal names `R`'s type (or that resolves to an `R` in a Bundle).
impl<R: ConcreteResource> FromElement<Reference> for TypedReference<R> {
    fn from_element(element: &Reference, at: &str, cx: &Context<'_>) -> Result<Self, MappingError> {
        let type_name = match cx.resolve(element) {
            Some(Ok((resource_type, _))) => Some(resource_type),
            _ => element
                .literal()
                .and_then(|l| l.ok())
                .and_then(|l| l.resource_type()),
        };
        match type_name {
            Some(found) if found == R::TYPE_NAME => {
                Ok(TypedReference::new_unchecked(element.clone()))
            }
            Some(found) => Err(MappingError::new(
                at,
                format!("refers to a {found}, expected a {}", R::TYPE_NAME),
            )),
            None => Err(MappingError::new(
                at,
                format!("does not say that it refers to a {}", R::TYPE_NAME),
            )),
        }
    }
}
