//! Stage 2: the type space. Everything emission needs, resolved from the raw definitions once:
//! names, cardinalities, nested (backbone) structs, choices, bindings, reference targets.
//! Emission never looks at the definitions again.

mod bindings;
mod build;
pub mod invariants;
pub mod names;
pub mod profile;

pub use bindings::CodeEnum;
pub use build::build_type_space;

/// The whole model to generate, in a stable order (by name).
#[derive(Debug)]
pub struct TypeSpace {
    /// `name#version` of the source package.
    pub package: String,
    pub datatypes: Vec<TypeDef>,
    pub resources: Vec<TypeDef>,
    pub codes: Vec<CodeEnum>,
    /// Extra packages (`--package`): profiles and extensions, one module each.
    pub profiles: Vec<profile::ProfilePackage>,
}

/// One StructureDefinition: its root struct followed by the structs nested in it.
#[derive(Debug)]
pub struct TypeDef {
    pub name: String,
    pub url: String,
    pub kind: DefKind,
    /// Resources: the spec's top-level category in lowercase (`clinical`), a feature group.
    pub category: Option<String>,
    pub structs: Vec<Struct>,
    pub choices: Vec<Choice>,
}

impl TypeDef {
    pub fn root(&self) -> &Struct {
        &self.structs[0]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefKind {
    Datatype,
    Resource,
}

#[derive(Debug)]
pub struct Struct {
    /// Rust name: the path's segments in UpperCamelCase (`EncounterParticipant`).
    pub name: String,
    /// FHIR path (`Encounter.participant`).
    pub path: String,
    pub doc: Doc,
    pub fields: Vec<Field>,
    /// Constraints on the struct's own element (`per-1` on `Period`, `pat-1` on
    /// `Patient.contact`), evaluated with each instance as the context.
    pub invariants: Vec<Invariant>,
}

/// One FHIRPath constraint of an element (`ElementDefinition.constraint`), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invariant {
    pub key: String,
    pub severity: Severity,
    pub human: String,
    pub expression: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug)]
pub struct Field {
    /// JSON name; for a choice the name without `[x]` (`value`).
    pub json_name: String,
    pub rust_name: String,
    pub min: u32,
    pub many: bool,
    pub kind: FieldKind,
    pub doc: Doc,
    pub binding: Option<BindingInfo>,
    pub is_modifier: bool,
    pub is_summary: bool,
    /// Constraints on the field's element that is not a struct of its own (`txt-1` on
    /// `Narrative.div`), evaluated with each item as the context.
    pub invariants: Vec<Invariant>,
}

#[derive(Debug)]
pub enum FieldKind {
    Value(ValueType),
    /// Index into the owning [`TypeDef::choices`].
    Choice(usize),
}

/// What one JSON value of an element holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    /// A primitive. `extensible` is false for values that have no `_name` twin in JSON: XML
    /// attributes (`Element.id`, `Extension.url`) and the narrative `div`.
    Primitive { ty: Primitive, extensible: bool },
    /// A `code` bound (required) to an enumerable ValueSet: the name of its [`CodeEnum`].
    Code(String),
    /// A complex datatype, by name. `targets` lists allowed resource types of a Reference
    /// (empty: any).
    Complex { name: String, targets: Vec<String> },
    /// A struct nested in the same definition (or named by a `contentReference`).
    Backbone(String),
    /// Any resource (`contained`, `Bundle.entry.resource`).
    Resource,
}

#[derive(Debug)]
pub struct Choice {
    /// Rust enum name: owning struct + field (`ObservationValue`).
    pub name: String,
    pub path: String,
    pub variants: Vec<ChoiceVariant>,
}

#[derive(Debug)]
pub struct ChoiceVariant {
    /// Type suffix of the JSON name and the Rust variant name (`Quantity`, `DateTime`).
    pub suffix: String,
    pub ty: ValueType,
}

#[derive(Debug, Clone)]
pub struct BindingInfo {
    pub strength: crate::load::BindingStrength,
    /// Canonical URL without version.
    pub value_set: String,
}

#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub short: String,
    pub definition: String,
}

/// The FHIR R4 primitive types (datatypes.html#primitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Primitive {
    Base64Binary,
    Boolean,
    Canonical,
    Code,
    Date,
    DateTime,
    Decimal,
    Id,
    Instant,
    Integer,
    Markdown,
    Oid,
    PositiveInt,
    String,
    Time,
    UnsignedInt,
    Uri,
    Url,
    Uuid,
    Xhtml,
}

impl Primitive {
    pub const ALL: [Primitive; 20] = [
        Primitive::Base64Binary,
        Primitive::Boolean,
        Primitive::Canonical,
        Primitive::Code,
        Primitive::Date,
        Primitive::DateTime,
        Primitive::Decimal,
        Primitive::Id,
        Primitive::Instant,
        Primitive::Integer,
        Primitive::Markdown,
        Primitive::Oid,
        Primitive::PositiveInt,
        Primitive::String,
        Primitive::Time,
        Primitive::UnsignedInt,
        Primitive::Uri,
        Primitive::Url,
        Primitive::Uuid,
        Primitive::Xhtml,
    ];

    /// The FHIR type code (`dateTime`).
    pub fn code(self) -> &'static str {
        match self {
            Primitive::Base64Binary => "base64Binary",
            Primitive::Boolean => "boolean",
            Primitive::Canonical => "canonical",
            Primitive::Code => "code",
            Primitive::Date => "date",
            Primitive::DateTime => "dateTime",
            Primitive::Decimal => "decimal",
            Primitive::Id => "id",
            Primitive::Instant => "instant",
            Primitive::Integer => "integer",
            Primitive::Markdown => "markdown",
            Primitive::Oid => "oid",
            Primitive::PositiveInt => "positiveInt",
            Primitive::String => "string",
            Primitive::Time => "time",
            Primitive::UnsignedInt => "unsignedInt",
            Primitive::Uri => "uri",
            Primitive::Url => "url",
            Primitive::Uuid => "uuid",
            Primitive::Xhtml => "xhtml",
        }
    }

    pub fn from_code(code: &str) -> Option<Primitive> {
        Primitive::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl Struct {
    /// The struct's own constraints, then those of its fields with the field's JSON name.
    pub fn all_invariants(&self) -> impl Iterator<Item = (Option<&str>, &Invariant)> {
        let own = self.invariants.iter().map(|i| (None, i));
        let on_fields = self.fields.iter().flat_map(|f| {
            f.invariants
                .iter()
                .map(move |i| (Some(f.json_name.as_str()), i))
        });
        own.chain(on_fields)
    }
}

impl Field {
    /// The value type of a non-choice field.
    pub fn kind_value(&self) -> Option<&ValueType> {
        match &self.kind {
            FieldKind::Value(v) => Some(v),
            FieldKind::Choice(_) => None,
        }
    }
}
