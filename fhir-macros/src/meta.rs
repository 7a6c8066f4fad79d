//! The shape of the generated element metadata (`generated/metadata.rs`) and look-ups in it.

/// One struct of the model: a resource, a datatype or a backbone element.
pub struct Struct {
    /// Rust name (`EncounterDiagnosis`).
    pub name: &'static str,
    /// FHIR path (`Encounter.diagnosis`).
    pub path: &'static str,
    pub module: Module,
    pub elements: &'static [Element],
}

/// Where the struct lives in `fhir_model`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Module {
    Datatypes,
    Resources,
}

/// One element of a struct.
pub struct Element {
    /// JSON name; for a choice the name without `[x]` (`value`).
    pub name: &'static str,
    /// Rust field name (`type_`).
    pub field: &'static str,
    pub min: u32,
    pub many: bool,
    /// The Rust enum of a choice element (`ObservationValue`).
    pub choice: Option<&'static str>,
    /// `(suffix, kind)`: one entry with an empty suffix, or a choice's variants.
    pub types: &'static [(&'static str, Kind)],
}

/// What one value of an element is.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A primitive with `_name` twin (`Primitive<T>` in the model), by FHIR type code.
    Primitive(&'static str),
    /// A bare primitive (`Element.id`, `Extension.url`), by FHIR type code.
    Attribute(&'static str),
    /// A code bound to a generated enum, by enum name.
    Code(&'static str),
    /// A complex datatype, by struct name.
    Complex(&'static str),
    /// A Reference: allowed target types (empty: any) and the `fhir_model::targets` trait.
    Reference(&'static [&'static str], Option<&'static str>),
    /// A backbone element, by struct name.
    Backbone(&'static str),
    /// Any resource (`contained`).
    AnyResource,
}

impl Element {
    pub const fn new(
        name: &'static str,
        field: &'static str,
        min: u32,
        many: bool,
        types: &'static [(&'static str, Kind)],
    ) -> Self {
        Element {
            name,
            field,
            min,
            many,
            choice: None,
            types,
        }
    }

    pub const fn choice(
        name: &'static str,
        field: &'static str,
        min: u32,
        choice: &'static str,
        types: &'static [(&'static str, Kind)],
    ) -> Self {
        Element {
            name,
            field,
            min,
            many: false,
            choice: Some(choice),
            types,
        }
    }

    /// `0..1`, `1..*`: as the spec writes cardinalities.
    pub fn cardinality(&self) -> String {
        format!("{}..{}", self.min, if self.many { "*" } else { "1" })
    }
}

impl Kind {
    /// The FHIR type name, for messages (`dateTime`, `Coding`, `Reference(Patient | Group)`).
    pub fn fhir_name(&self) -> String {
        match self {
            Kind::Primitive(code) | Kind::Attribute(code) => (*code).to_owned(),
            Kind::Code(codes) => format!("code (codes::{codes})"),
            Kind::Complex(name) => (*name).to_owned(),
            Kind::Reference([], _) => "Reference".to_owned(),
            Kind::Reference(targets, _) => format!("Reference({})", targets.join(" | ")),
            Kind::Backbone(name) => (*name).to_owned(),
            Kind::AnyResource => "Resource".to_owned(),
        }
    }

    /// The struct to descend into for a nested path, if the value has elements.
    pub fn struct_name(&self) -> Option<&'static str> {
        match self {
            Kind::Complex(name) | Kind::Backbone(name) => Some(name),
            Kind::Reference(..) => Some("Reference"),
            _ => None,
        }
    }
}

/// The struct with this Rust name.
pub fn find_struct(name: &str) -> Option<&'static Struct> {
    let all = crate::generated::STRUCTS;
    all.binary_search_by(|s| s.name.cmp(name))
        .ok()
        .map(|i| &all[i])
}

/// The resource with this type name (`Encounter`), not a datatype or backbone.
pub fn find_resource(name: &str) -> Option<&'static Struct> {
    find_struct(name).filter(|s| s.module == Module::Resources && !s.path.contains('.'))
}

/// Every resource type name, for suggestions.
pub fn resource_names() -> impl Iterator<Item = &'static str> {
    crate::generated::STRUCTS
        .iter()
        .filter(|s| s.module == Module::Resources && !s.path.contains('.'))
        .map(|s| s.path)
}

/// A constraining profile of a profile package (`us-core-patient`).
pub struct Profile {
    pub id: &'static str,
    pub url: &'static str,
    /// The resource type it constrains.
    pub base: &'static str,
    /// The `fhir_model` module (and cargo feature) of its package.
    pub module: &'static str,
    /// Its static `ProfileMeta` table in that module.
    pub table: &'static str,
    /// Top-level elements it requires (min >= 1), base requirements included.
    pub required: &'static [&'static str],
}

/// A profile as a derive checks it: one of fhir-model's packages (US Core) or of the user's
/// own package (see [`crate::user_profiles`]).
pub struct ProfileInfo {
    pub id: String,
    pub url: String,
    pub base: String,
    /// The path of its `ProfileMeta` table (`::fhir_model::us_core::US_CORE_PATIENT`).
    pub table: String,
    pub required: Vec<String>,
}

/// Every profile the derive knows: fhir-model's, then those of the crate's build script.
pub fn profiles() -> Result<Vec<ProfileInfo>, String> {
    let model = crate::generated::PROFILES.iter().map(|p| ProfileInfo {
        id: p.id.to_owned(),
        url: p.url.to_owned(),
        base: p.base.to_owned(),
        table: format!("::fhir_model::{}::{}", p.module, p.table),
        required: p.required.iter().map(|r| (*r).to_owned()).collect(),
    });
    let user = crate::user_profiles::load()?
        .into_iter()
        .map(|p| ProfileInfo {
            id: p.id,
            url: p.url,
            base: p.base,
            table: p.table,
            required: p.required,
        });
    Ok(model.chain(user).collect())
}
