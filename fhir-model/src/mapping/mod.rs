//! Your own types as FHIR: the runtime behind `#[derive(FhirResource)]`,
//! `#[derive(FhirExtension)]` and `#[derive(FhirBundle)]` (crate `fhir-macros`).
//!
//! The macros check every `#[fhir(...)]` attribute against the R4 definitions when they
//! expand, then emit code that calls only what is public here, so that a user's struct maps to
//! and from the model through the same checked paths as hand-written code would.

#[cfg(feature = "bundle")]
mod bundle;
mod context;
mod convert;
mod error;
mod extension;
mod key;
mod select;

#[cfg(all(feature = "bundle", feature = "message_header"))]
pub use bundle::message;
#[cfg(feature = "bundle")]
pub use bundle::{add, builder, finish, Entries, FhirBundle};
pub use context::Context;
pub use convert::{FromElement, ToElement};
pub use error::MappingError;
pub use extension::{
    new_extension, push_extension, push_value, read_extension, read_extensions, read_value,
    read_values, suffix, FhirExtension, FromValue, ToValue,
};
#[cfg(feature = "derive")]
pub use fhir_macros::{FhirBundle, FhirExtension, FhirResource};
pub use key::Key;
pub use select::{
    item_mut, one_mut, primitive_extensions, primitive_extensions_mut, select, select_mut,
    with_system_mut, BySystem,
};

use crate::validate::{Severity, Validate, Validator};
use crate::ConcreteResource;

/// A user struct mapped onto one resource type (`#[derive(FhirResource)]`).
pub trait FhirResource: Sized {
    /// The resource type it maps onto.
    type Resource: ConcreteResource;

    /// The logical id, for references to it ([`Key::of`]).
    fn resource_id(&self) -> Option<&str>;

    /// The `fullUrl` its Bundle entry should have, from a `#[fhir(full_url)]` field.
    fn full_url(&self) -> Option<&str> {
        None
    }

    /// The resource. Fails, naming the element path, when a value does not fit its element or
    /// the result breaks a rule of the definitions (a required element left empty).
    fn to_resource(&self) -> Result<Self::Resource, MappingError>;

    /// Reads the mapped elements of `resource`; `cx` says where it came from.
    fn from_resource_in(resource: &Self::Resource, cx: &Context<'_>) -> Result<Self, MappingError>;

    /// Reads the mapped elements of a resource on its own.
    fn from_resource(resource: &Self::Resource) -> Result<Self, MappingError> {
        Self::from_resource_in(resource, &Context::standalone())
    }
}

/// The resource if validation finds no error, else the first error as a [`MappingError`].
/// Every `to_resource` ends here, so a mapped struct never yields an invalid resource.
pub fn checked<R: ConcreteResource + Validate>(resource: R) -> Result<R, MappingError> {
    let mut validator = Validator::new(R::TYPE_NAME);
    resource.validate(&mut validator);
    match validator
        .into_issues()
        .into_iter()
        .find(|i| i.severity == Severity::Error)
    {
        Some(issue) => Err(MappingError::new(issue.path, issue.message)),
        None => Ok(resource),
    }
}

/// The resource if it also conforms to `profile` (a `#[fhir(profile = "...")]` struct), else
/// the first error of profile validation.
pub fn conforming<R: ConcreteResource + serde::Serialize>(
    resource: R,
    profile: &crate::profile::ProfileMeta,
) -> Result<R, MappingError> {
    match crate::profile::validate(&resource, profile)
        .into_iter()
        .find(|i| i.severity == Severity::Error)
    {
        Some(issue) => Err(MappingError::new(
            issue.path,
            format!("{} (profile {})", issue.message, profile.id),
        )),
        None => Ok(resource),
    }
}

/// The value of a required element, or the error that names it.
pub fn required<T>(value: Option<T>, at: &str) -> Result<T, MappingError> {
    value.ok_or_else(|| MappingError::missing(at))
}
