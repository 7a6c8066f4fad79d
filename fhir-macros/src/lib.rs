//! Derive macros that map user structs onto FHIR R4 resources.
//!
//! The derives arrive with the derive-macro issue; this crate exists now so that the workspace
//! layout, and the metadata `fhir-codegen` will emit into it, have a settled home.
