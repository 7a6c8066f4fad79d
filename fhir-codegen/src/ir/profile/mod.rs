//! The profile space: constraining profiles and extension definitions of extra packages
//! (`--package`), resolved against the core type space. Emission reads only this.
//!
//! A profile becomes a typed view over its base resource plus a metadata table (elements with
//! cardinality and types, slices, rules); an extension definition becomes a typed extension
//! (simple: one value; complex: sub-extensions) plus the same kind of table.

mod build;
mod extension;
mod rules;

pub use build::build_profile_package;

/// One extra package, emitted as one feature-gated module.
#[derive(Debug)]
pub struct ProfilePackage {
    /// `name#version`.
    pub id: String,
    /// Module and Cargo feature name (`us_core`).
    pub module: String,
    /// Resource features the module needs (the profiles' base types).
    pub features: Vec<String>,
    pub profiles: Vec<ProfileDef>,
    pub extensions: Vec<ExtensionDef>,
    /// Enums for the package's own enumerable ValueSets (emitted for a user's crate).
    pub codes: Vec<crate::ir::CodeEnum>,
}

/// What profiles and extension definitions share: names, docs and the metadata table.
#[derive(Debug)]
pub struct Common {
    /// StructureDefinition id (`us-core-patient`): the profile's name for users and macros.
    pub id: String,
    pub url: String,
    /// Rust type (`UsCorePatient`).
    pub rust_name: String,
    /// File / module (`us_core_patient`).
    pub module: String,
    /// Name of the static table (`US_CORE_PATIENT`).
    pub table: String,
    pub title: String,
    pub description: String,
    /// The constrained type (`Patient`, `Extension`).
    pub base: String,
    pub meta: MetaTable,
}

/// A constraining profile on a resource.
#[derive(Debug)]
pub struct ProfileDef {
    pub common: Common,
    /// Extension slices on the resource root, for typed accessors.
    pub extension_slices: Vec<ExtensionSlice>,
}

/// `Patient.extension:race`: an extension slice of a profile's root.
#[derive(Debug)]
pub struct ExtensionSlice {
    /// Slice name (`race`).
    pub name: String,
    /// Accessor name (`race`, `birth_sex`).
    pub accessor: String,
    pub url: String,
    pub min: u32,
    pub max: Option<u32>,
    /// The typed extension of this package for `url`, if there is one.
    pub rust_type: Option<String>,
}

/// An extension definition.
#[derive(Debug)]
pub struct ExtensionDef {
    pub common: Common,
    pub shape: ExtensionShape,
}

#[derive(Debug)]
pub enum ExtensionShape {
    /// One `value[x]` of these types.
    Simple(ExtensionValue),
    /// Sub-extensions, each with its own URL.
    Complex(Vec<SubExtension>),
}

#[derive(Debug, Clone)]
pub struct ExtensionValue {
    pub min: u32,
    /// FHIR type codes allowed (`Coding`, `string`).
    pub types: Vec<String>,
}

/// `Extension.extension:ombCategory`.
#[derive(Debug)]
pub struct SubExtension {
    pub name: String,
    pub accessor: String,
    /// The fixed `url` (`ombCategory`).
    pub url: String,
    pub min: u32,
    pub max: Option<u32>,
    /// `None` when the sub-extension is itself complex (no typed accessor then).
    pub value: Option<ExtensionValue>,
    pub short: String,
}

/// The static metadata of one definition (see `fhir_model::profile::ProfileMeta`).
#[derive(Debug, Default)]
pub struct MetaTable {
    pub elements: Vec<ElementRow>,
    pub slices: Vec<SliceRow>,
    pub rules: Vec<RuleRow>,
    /// The definition's own FHIRPath constraints (not those of the base type), by element id.
    pub constraints: Vec<(String, crate::ir::Invariant)>,
}

#[derive(Debug)]
pub struct ElementRow {
    pub id: String,
    pub min: u32,
    pub max: Option<u32>,
    pub types: Vec<String>,
}

#[derive(Debug)]
pub struct SliceRow {
    pub id: String,
    /// Relative path and the JSON text of the value found there.
    pub discriminators: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct RuleRow {
    pub id: String,
    pub check: RuleCheck,
}

#[derive(Debug)]
pub enum RuleCheck {
    Cardinality {
        min: u32,
        max: Option<u32>,
    },
    Fixed(String),
    Pattern(String),
    Binding {
        value_set: String,
        codes: Vec<String>,
    },
    Types(Vec<String>),
    /// Checked against an extension definition of the same package, by its table name.
    Profile(String),
}
