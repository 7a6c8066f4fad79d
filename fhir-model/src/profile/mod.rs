//! Profiles: constraints on a base type from an Implementation Guide (US Core), and extension
//! definitions.
//!
//! fhir-codegen turns each profile of a package into a static [`ProfileMeta`] table, a typed view
//! over the base resource, and typed extensions (in a feature-gated module such as
//! [`crate::us_core`]). This module is the runtime they share: the table types, [`validate`]
//! and the [`extension`] helpers that read and write extensions losslessly.

mod check;
#[cfg(feature = "fhirpath")]
mod constraints;
pub mod extension;
mod meta;

pub use check::{validate, validate_json};
#[cfg(feature = "fhirpath")]
pub use constraints::check_constraints;
pub use meta::{Check, ElementMeta, ProfileConstraint, ProfileMeta, Rule, SliceMeta};
