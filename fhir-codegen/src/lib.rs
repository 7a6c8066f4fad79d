//! `fhir-codegen`: reads FHIR StructureDefinitions and writes Rust.
//!
//! load (JSON -> definitions) -> ir (type space) -> emit (tokens -> formatted files).
//!
//! Two uses share these stages:
//! - [`Config`]: a build script turns a user's own Implementation Guide package into one file
//!   in `OUT_DIR` (profile views, typed extensions, tables, code enums) compiled against
//!   `fhir-model` as a dependency;
//! - [`Model`]: the `fhir-codegen` binary regenerates this workspace's `fhir-model` and
//!   `fhir-macros` (and checks them with `--check`).

mod assemble;
mod config;
mod emit;
mod error;
mod fhirpath;
mod ir;
mod load;
mod manifest;
mod model;
mod output;

pub use config::Config;
pub use error::{Error, Result};
pub use model::Model;
