//! Reference strings (references.html#literal) in typed form, and references whose target type
//! is known at compile time.

use crate::datatypes::Reference;
use crate::primitives::FhirString;
use crate::{ConcreteResource, Primitive, Resource};
use std::fmt;
use std::marker::PhantomData;

/// A parsed `Reference.reference`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Literal<'a> {
    /// `Patient/123` or `Patient/123/_history/2`.
    Relative {
        /// `Patient`
        resource_type: &'static str,
        /// `123`
        id: &'a str,
        /// `2` in `/_history/2`
        version: Option<&'a str>,
    },
    /// `https://example.org/fhir/Patient/123[/_history/2]`: a RESTful URL with its base.
    Absolute {
        /// `https://example.org/fhir`
        base: &'a str,
        /// `Patient`
        resource_type: &'static str,
        /// `123`
        id: &'a str,
        /// `2` in `/_history/2`
        version: Option<&'a str>,
    },
    /// Any other absolute URL or URN (not in RESTful form).
    Url(&'a str),
    /// `urn:uuid:...`, the whole string.
    Uuid(&'a str),
    /// `urn:oid:...`, the whole string.
    Oid(&'a str),
    /// `#id`: a contained resource; `#` alone (empty id) is the containing resource.
    Contained(&'a str),
    /// `Patient?identifier=...`: a conditional reference, resolved by a server in transactions.
    Conditional {
        /// `Patient`
        resource_type: &'static str,
        /// `identifier=...`
        query: &'a str,
    },
}

impl<'a> Literal<'a> {
    /// Parses a reference string per the R4 literal reference rules.
    pub fn parse(text: &'a str) -> Result<Self, ReferenceError> {
        let err = |problem| {
            Err(ReferenceError {
                reference: text.to_owned(),
                problem,
            })
        };
        if text.is_empty() {
            return err("empty reference");
        }
        // Printable ASCII has no whitespace; anything else is checked char by char.
        let printable = |b: u8| (b > b' ') & (b < 0x80);
        if !text.bytes().all(printable) && text.chars().any(char::is_whitespace) {
            return err("whitespace is not allowed in a reference");
        }
        if let Some(id) = text.strip_prefix('#') {
            return if id.is_empty() || is_id(id) {
                Ok(Literal::Contained(id))
            } else {
                err("invalid contained id")
            };
        }
        if let Some(rest) = text.strip_prefix("urn:uuid:") {
            return if crate::primitives::is_valid_uuid(text) && !rest.is_empty() {
                Ok(Literal::Uuid(text))
            } else {
                err("invalid urn:uuid")
            };
        }
        if text.starts_with("urn:oid:") {
            return if crate::primitives::is_valid_oid(text) {
                Ok(Literal::Oid(text))
            } else {
                err("invalid urn:oid")
            };
        }
        // `Type?query` first: the query may itself hold URLs (`identifier=http://x|1`).
        if let Some((ty, query)) = text
            .split_once('?')
            .filter(|(ty, _)| !ty.contains([':', '/']))
        {
            let Some(resource_type) = Resource::type_name(ty) else {
                return err("unknown resource type");
            };
            return if query.is_empty() {
                err("empty search in conditional reference")
            } else {
                Ok(Literal::Conditional {
                    resource_type,
                    query,
                })
            };
        }
        if let Some(scheme_end) = text.find("://") {
            if text[..scheme_end].is_empty() {
                return err("missing URL scheme");
            }
            return Ok(absolute(text).unwrap_or(Literal::Url(text)));
        }
        if text.starts_with("urn:") {
            return Ok(Literal::Url(text));
        }
        let mut parts = text.split('/');
        let (ty, id, version) = match (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            (Some(ty), Some(id), None, _, _) => (ty, id, None),
            (Some(ty), Some(id), Some("_history"), Some(version), None) => (ty, id, Some(version)),
            (_, None, _, _, _) => return err("expected Type/id"),
            _ => return err("expected Type/id or Type/id/_history/version"),
        };
        let Some(resource_type) = Resource::type_name(ty) else {
            return err("unknown resource type");
        };
        if id.is_empty() {
            return err("missing id");
        }
        if !is_id(id) {
            return err("invalid id: [A-Za-z0-9-.]{1,64}");
        }
        if version.is_some_and(|v| !is_id(v)) {
            return err("invalid version id");
        }
        Ok(Literal::Relative {
            resource_type,
            id,
            version,
        })
    }

    /// The resource type the string names, when it names one.
    pub fn resource_type(&self) -> Option<&'static str> {
        match self {
            Literal::Relative { resource_type, .. }
            | Literal::Absolute { resource_type, .. }
            | Literal::Conditional { resource_type, .. } => Some(resource_type),
            _ => None,
        }
    }
}

/// `base/Type/id[/_history/vid]` with a known type, else `None`.
fn absolute(text: &str) -> Option<Literal<'_>> {
    let mut parts = text.rsplitn(5, '/');
    let (ty, id, version, base) = match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some(vid), Some("_history"), Some(id), Some(ty), Some(base)) => (ty, id, Some(vid), base),
        (Some(id), Some(ty), _, _, _) => {
            let base_end = text.len().saturating_sub(id.len() + ty.len() + 2);
            (ty, id, None, &text[..base_end])
        }
        _ => return None,
    };
    let resource_type = Resource::type_name(ty)?;
    if !is_id(id) || version.is_some_and(|v| !is_id(v)) || !base.contains("://") {
        return None;
    }
    Some(Literal::Absolute {
        base,
        resource_type,
        id,
        version,
    })
}

fn is_id(text: &str) -> bool {
    crate::primitives::is_valid_id(text)
}

/// A reference string that is not a valid literal reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceError {
    /// The reference as given.
    pub reference: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid reference \"{}\": {}",
            self.reference, self.problem
        )
    }
}

impl std::error::Error for ReferenceError {}

impl Reference {
    /// The literal reference, parsed; `None` for a logical reference (identifier only) or one
    /// with only a display.
    pub fn literal(&self) -> Option<Result<Literal<'_>, ReferenceError>> {
        self.text().map(Literal::parse)
    }

    /// `Reference.reference` as written, when it has a value.
    pub fn text(&self) -> Option<&str> {
        self.reference.as_ref()?.value().map(|r| r.as_str())
    }

    /// A reference with the given literal string (validated).
    pub fn to_literal(text: &str) -> Result<Reference, ReferenceError> {
        Literal::parse(text)?;
        let value = FhirString::parse(text).map_err(|_| ReferenceError {
            reference: text.to_owned(),
            problem: "not a FHIR string",
        })?;
        Ok(Reference {
            reference: Some(Primitive::new(value)),
            ..Default::default()
        })
    }
}

/// A Reference known to point to a `T`. Typed setters such as `Encounter::set_subject` take
/// these, and their bounds reject resource types the element does not allow at compile time.
pub struct TypedReference<T> {
    reference: Reference,
    marker: PhantomData<fn() -> T>,
}

impl<T> Clone for TypedReference<T> {
    fn clone(&self) -> Self {
        TypedReference {
            reference: self.reference.clone(),
            marker: PhantomData,
        }
    }
}

impl<T> fmt::Debug for TypedReference<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TypedReference")
            .field(&self.reference)
            .finish()
    }
}

impl<T: ConcreteResource> TypedReference<T> {
    /// `Type/id` to a resource with this id.
    pub fn id(id: &str) -> Result<Self, ReferenceError> {
        Self::url(&format!("{}/{id}", T::TYPE_NAME))
    }

    /// A reference to `resource` by its id; `None` when it has no id.
    pub fn to(resource: &T) -> Option<Self> {
        Self::id(resource.id()?.as_str()).ok()
    }

    /// Any literal reference (absolute URL, `urn:uuid:`, conditional) to a `T`. A string that
    /// names another resource type is an error.
    pub fn url(reference: &str) -> Result<Self, ReferenceError> {
        let literal = Literal::parse(reference)?;
        if literal.resource_type().is_some_and(|t| t != T::TYPE_NAME) {
            return Err(ReferenceError {
                reference: reference.to_owned(),
                problem: "names another resource type",
            });
        }
        Ok(TypedReference {
            reference: Reference::to_literal(reference)?,
            marker: PhantomData,
        })
    }

    /// A Reference already known to point to a `T` (checked by the caller).
    pub(crate) fn new_unchecked(reference: Reference) -> Self {
        TypedReference {
            reference,
            marker: PhantomData,
        }
    }

    /// Adds `Reference.display`.
    pub fn display(mut self, text: &str) -> Result<Self, crate::primitives::PrimitiveError> {
        self.reference.display = Some(Primitive::new(FhirString::parse(text)?));
        Ok(self)
    }

    /// Adds `Reference.type` (the target type as a URI), which some receivers want.
    pub fn with_type(mut self) -> Self {
        self.reference.type_ = crate::primitives::Uri::parse(T::TYPE_NAME)
            .ok()
            .map(Primitive::new);
        self
    }
}

impl<T> From<TypedReference<T>> for Reference {
    fn from(typed: TypedReference<T>) -> Reference {
        typed.reference
    }
}

impl<T> std::ops::Deref for TypedReference<T> {
    type Target = Reference;
    fn deref(&self) -> &Reference {
        &self.reference
    }
}

/// A reference that is malformed or names a resource type its element does not allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceIssue {
    /// Element path of the reference.
    pub path: String,
    /// The reference string.
    pub reference: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ReferenceIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (\"{}\")",
            self.path, self.problem, self.reference
        )
    }
}

/// Checks every literal reference in `value`: well-formed, and of a type its element allows
/// (`targetProfile`). Paths start at `root`.
pub fn check_references<T: crate::visit::Walk + ?Sized>(
    value: &T,
    root: &str,
) -> Vec<ReferenceIssue> {
    let mut issues = Vec::new();
    crate::visit::for_each_reference(value, root, |site, reference| {
        let Some(text) = reference.text() else {
            return;
        };
        let problem = match Literal::parse(text) {
            Err(e) => e.problem.to_owned(),
            Ok(literal) => match literal.resource_type() {
                Some(ty) if !site.allows(ty) => format!(
                    "a reference to {ty} is not allowed here; expected {}",
                    site.targets.join(" | ")
                ),
                _ => return,
            },
        };
        issues.push(ReferenceIssue {
            path: site.path.to_owned(),
            reference: text.to_owned(),
            problem,
        });
    });
    issues
}

impl Resource {
    /// [`check_references`] from the resource's root (`Encounter.subject`).
    pub fn check_references(&self) -> Vec<ReferenceIssue> {
        check_references(self, self.resource_type())
    }
}
