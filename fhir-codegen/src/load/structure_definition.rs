//! Serde types for StructureDefinition and ElementDefinition (the subset the generator reads).

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StructureDefinition {
    pub url: String,
    /// The type this definition defines or constrains (`Patient`, `string`, ...).
    #[serde(rename = "type")]
    pub type_name: String,
    /// `primitive-type`, `complex-type`, `resource` or `logical`.
    pub kind: String,
    #[serde(rename = "abstract", default)]
    pub is_abstract: bool,
    /// `specialization` or `constraint`; absent for the root types `Element` and `Resource`.
    pub derivation: Option<String>,
    #[serde(default)]
    pub extension: Vec<Extension>,
    pub snapshot: Option<Snapshot>,
}

impl StructureDefinition {
    /// The spec's category (`Clinical.Diagnostics`), from its `structuredefinition-category`
    /// extension.
    pub fn category(&self) -> Option<&str> {
        const CATEGORY: &str =
            "http://hl7.org/fhir/StructureDefinition/structuredefinition-category";
        self.extension
            .iter()
            .find(|e| e.url == CATEGORY)?
            .value_string
            .as_deref()
    }

    pub fn elements(&self) -> &[ElementDefinition] {
        self.snapshot.as_ref().map_or(&[], |s| &s.element)
    }

    pub fn element(&self, path: &str) -> Option<&ElementDefinition> {
        self.elements().iter().find(|e| e.path == path)
    }
}

#[derive(Debug, Deserialize)]
pub struct Snapshot {
    pub element: Vec<ElementDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementDefinition {
    pub path: String,
    pub slice_name: Option<String>,
    pub short: Option<String>,
    pub definition: Option<String>,
    #[serde(default)]
    pub min: u32,
    /// `"1"`, `"*"`, `"0"`, or another number.
    pub max: Option<String>,
    pub base: Option<Base>,
    #[serde(rename = "type", default)]
    pub types: Vec<TypeRef>,
    /// `#Questionnaire.item`: this element has the content of another one.
    pub content_reference: Option<String>,
    pub binding: Option<Binding>,
    #[serde(default)]
    pub is_modifier: bool,
    #[serde(default)]
    pub is_summary: bool,
    /// `xmlAttr` marks elements serialised without the primitive `_name` twin.
    #[serde(default)]
    pub representation: Vec<String>,
    /// Invariants, written in FHIRPath, that every instance of the element must meet.
    #[serde(default)]
    pub constraint: Vec<Constraint>,
}

/// `ElementDefinition.constraint`.
#[derive(Debug, Deserialize)]
pub struct Constraint {
    /// `per-1`
    pub key: String,
    /// `error` or `warning`.
    pub severity: String,
    /// The rule in words, for messages.
    pub human: String,
    /// FHIRPath; absent on a few constraints that only have XPath.
    pub expression: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Base {
    pub path: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeRef {
    pub code: String,
    #[serde(default)]
    pub target_profile: Vec<String>,
    #[serde(default)]
    pub extension: Vec<Extension>,
}

impl TypeRef {
    /// For FHIRPath system types (`http://hl7.org/fhirpath/System.String`) the FHIR type lives
    /// in the `structuredefinition-fhir-type` extension; otherwise it is the code itself.
    pub fn fhir_type(&self) -> &str {
        const FHIR_TYPE: &str =
            "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";
        self.extension
            .iter()
            .find(|e| e.url == FHIR_TYPE)
            .and_then(|e| e.value_url.as_deref())
            .unwrap_or(&self.code)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    pub url: String,
    pub value_url: Option<String>,
    pub value_string: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    pub strength: String,
    /// Canonical URL, possibly with a `|version` suffix.
    pub value_set: Option<String>,
}
