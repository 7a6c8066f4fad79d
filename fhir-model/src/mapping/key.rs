//! `Key<T>`: the logical id of a user resource, typed by the user type, so that a field
//! holding one becomes a Reference whose target type the compiler knows.

use super::{Context, FhirResource, MappingError};
use crate::datatypes::Reference;
use crate::primitives::{Id, PrimitiveError};
use crate::reference::Literal;
use crate::ConcreteResource;
use std::fmt;
use std::marker::PhantomData;

/// A typed key to a user resource: `Key<Visit>` becomes `Encounter/{id}`.
pub struct Key<T> {
    id: Id,
    marker: PhantomData<fn() -> T>,
}

impl<T: FhirResource> Key<T> {
    /// A key from a logical id; fails when `id` is not a valid FHIR id.
    pub fn new(id: &str) -> Result<Self, PrimitiveError> {
        Ok(Key {
            id: Id::parse(id)?,
            marker: PhantomData,
        })
    }

    /// The key of `value`, when it has an id.
    pub fn of(value: &T) -> Option<Self> {
        Key::new(value.resource_id()?).ok()
    }

    /// The logical id.
    pub fn id(&self) -> &str {
        self.id.as_str()
    }

    /// The relative reference string (`Patient/123`).
    pub fn reference(&self) -> String {
        format!("{}/{}", T::Resource::TYPE_NAME, self.id.as_str())
    }

    /// The key a Reference points to. Inside a Bundle, the reference is resolved through the
    /// Bundle and must reach an entry of the right type; alone, it must be a literal reference
    /// to the right type (`Patient/123`, absolute or relative).
    pub fn from_reference(
        reference: &Reference,
        at: &str,
        cx: &Context<'_>,
    ) -> Result<Self, MappingError> {
        let expected = T::Resource::TYPE_NAME;
        if let Some(found) = cx.resolve(reference) {
            return match found {
                Ok((resource_type, Some(id))) if resource_type == expected => {
                    Key::new(id).map_err(|e| MappingError::new(at, e))
                }
                Ok((resource_type, Some(_))) => Err(MappingError::new(
                    at,
                    format!("refers to a {resource_type}, expected a {expected}"),
                )),
                Ok((_, None)) => Err(MappingError::new(
                    at,
                    "refers to a Bundle entry whose resource has no id",
                )),
                Err(text) => Err(MappingError::new(
                    at,
                    format!("reference `{text}` does not resolve to an entry of the Bundle"),
                )),
            };
        }
        let text = match reference.literal() {
            Some(Ok(literal)) => literal,
            Some(Err(e)) => return Err(MappingError::new(at, e)),
            None => return Err(MappingError::new(at, "has no literal reference")),
        };
        match text {
            Literal::Relative {
                resource_type, id, ..
            }
            | Literal::Absolute {
                resource_type, id, ..
            } if resource_type == expected => Key::new(id).map_err(|e| MappingError::new(at, e)),
            Literal::Relative { resource_type, .. } | Literal::Absolute { resource_type, .. } => {
                Err(MappingError::new(
                    at,
                    format!("refers to a {resource_type}, expected a {expected}"),
                ))
            }
            _ => Err(MappingError::new(
                at,
                format!(
                    "`{}` is not a `{expected}/id` reference",
                    reference.text().unwrap_or_default()
                ),
            )),
        }
    }

    /// The Reference this key stands for.
    pub fn to_reference(&self) -> Reference {
        Reference::to_literal(&self.reference())
            .expect("a resource type and a valid id make a relative reference")
    }
}

impl<T> Clone for Key<T> {
    fn clone(&self) -> Self {
        Key {
            id: self.id.clone(),
            marker: PhantomData,
        }
    }
}

impl<T> PartialEq for Key<T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<T> Eq for Key<T> {}

impl<T> std::hash::Hash for Key<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<T: FhirResource> fmt::Debug for Key<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({})", self.reference())
    }
}
