//! Serde types for the StructureDefinitions of an extra package (profiles and extension
//! definitions): what the core types leave out, namely element ids, slicing, type profiles and
//! `fixed[x]` / `pattern[x]` values.

use super::structure_definition::{Binding, Constraint, Extension};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileDefinition {
    pub id: String,
    pub url: String,
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The constrained type (`Patient`, `Extension`).
    #[serde(rename = "type")]
    pub type_name: String,
    pub kind: String,
    pub derivation: Option<String>,
    pub snapshot: Option<ProfileSnapshot>,
}

impl ProfileDefinition {
    pub fn elements(&self) -> &[ProfileElement] {
        self.snapshot.as_ref().map_or(&[], |s| &s.element)
    }

    pub fn element(&self, id: &str) -> Option<&ProfileElement> {
        self.elements().iter().find(|e| e.id() == id)
    }
}

#[derive(Debug, Deserialize)]
pub struct ProfileSnapshot {
    pub element: Vec<ProfileElement>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileElement {
    /// `Patient.extension:race`; older definitions may leave it out (then the path is used).
    pub id: Option<String>,
    pub path: String,
    pub slice_name: Option<String>,
    pub short: Option<String>,
    #[serde(default)]
    pub min: u32,
    pub max: Option<String>,
    #[serde(rename = "type", default)]
    pub types: Vec<ProfileType>,
    pub binding: Option<Binding>,
    pub slicing: Option<Slicing>,
    #[serde(default)]
    pub constraint: Vec<Constraint>,
    /// Everything else; `fixed[x]` and `pattern[x]` are read from here.
    #[serde(flatten)]
    pub rest: BTreeMap<String, Value>,
}

impl ProfileElement {
    pub fn id(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.path)
    }

    /// The `fixed[x]` value, if any.
    pub fn fixed(&self) -> Option<&Value> {
        self.prefixed("fixed")
    }

    /// The `pattern[x]` value, if any.
    pub fn pattern(&self) -> Option<&Value> {
        self.prefixed("pattern")
    }

    fn prefixed(&self, prefix: &str) -> Option<&Value> {
        self.rest.iter().find_map(|(k, v)| {
            let rest = k.strip_prefix(prefix)?;
            rest.starts_with(|c: char| c.is_ascii_uppercase())
                .then_some(v)
        })
    }

    /// `None` for `*`; an error text for anything that is not a number.
    pub fn max(&self) -> Result<Option<u32>, String> {
        match self.max.as_deref() {
            None | Some("*") => Ok(None),
            Some(n) => n
                .parse()
                .map(Some)
                .map_err(|_| format!("unsupported max cardinality {n:?}")),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileType {
    pub code: String,
    /// Profiles the value conforms to (an extension slice names its extension definition here).
    #[serde(default)]
    pub profile: Vec<String>,
    #[serde(default)]
    pub extension: Vec<Extension>,
}

impl ProfileType {
    /// The FHIR type, reading FHIRPath system types as core does.
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
pub struct Slicing {
    #[serde(default)]
    pub discriminator: Vec<Discriminator>,
}

#[derive(Debug, Deserialize)]
pub struct Discriminator {
    /// `value`, `pattern`, `type`, `profile` or `exists`.
    #[serde(rename = "type")]
    pub kind: String,
    pub path: String,
}
