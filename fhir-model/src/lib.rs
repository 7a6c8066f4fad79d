//! The complete HL7 FHIR R4 model with lossless JSON.
//!
//! Generated from the `hl7.fhir.r4.core` 4.0.1 StructureDefinitions by `fhir-codegen`; the
//! runtime around it (primitives, JSON, errors) is hand-written.

pub mod json;
pub mod primitives;

mod code;
mod element;
#[rustfmt::skip] // prettyplease formats it; `fhir-codegen --check` guards it.
mod generated;
mod resource;

pub(crate) use code::impl_code_enum;
pub use code::CodeEnum;
pub use element::{Element, Primitive};
pub use generated::{codes, datatypes, resources, Resource};
pub use resource::ConcreteResource;
