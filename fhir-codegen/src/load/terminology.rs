//! Serde types for ValueSet and CodeSystem, enough to enumerate the codes of required bindings.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct ValueSet {
    pub url: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub compose: Option<ValueSetCompose>,
}

#[derive(Debug, Deserialize)]
pub struct ValueSetCompose {
    #[serde(default)]
    pub include: Vec<ConceptSet>,
    #[serde(default)]
    pub exclude: Vec<ConceptSet>,
}

/// One `compose.include` or `compose.exclude` entry.
#[derive(Debug, Deserialize)]
pub struct ConceptSet {
    pub system: Option<String>,
    #[serde(default)]
    pub concept: Vec<Concept>,
    /// Filters make a set open-ended for our purposes: it is then not turned into an enum.
    #[serde(default)]
    pub filter: Vec<serde_json::Value>,
    #[serde(rename = "valueSet", default)]
    pub value_set: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct CodeSystem {
    pub url: String,
    /// Only `complete` code systems can be enumerated.
    pub content: String,
    #[serde(default)]
    pub concept: Vec<Concept>,
}

/// A code with its display; CodeSystem concepts nest, ValueSet ones do not.
#[derive(Debug, Deserialize)]
pub struct Concept {
    pub code: String,
    pub display: Option<String>,
    pub definition: Option<String>,
    #[serde(default)]
    pub concept: Vec<Concept>,
}
