#![doc = include_str!("../../README.md")]
#![warn(missing_docs)]

pub mod json;
pub mod mapping;
pub mod primitives;
pub mod visit;

mod code;
mod element;
pub mod profile;
#[rustfmt::skip] // prettyplease formats it; `fhir-codegen --check` guards it.
mod generated;
#[cfg(feature = "bundle")]
pub mod bundle;
#[cfg(feature = "fhirpath")]
pub mod fhirpath;
pub mod reference;
mod resource;
pub mod validate;

pub(crate) use code::impl_code_enum;
pub use code::{CodeEnum, UnknownCode};
pub use element::{Element, Primitive};
#[allow(unused_imports)] // empty when no profile package feature is on
pub use generated::profiles::*;
pub use generated::{codes, datatypes, resources, targets, Resource};
pub use reference::TypedReference;
pub use resource::ConcreteResource;
