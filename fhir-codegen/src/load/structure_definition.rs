//! Serde types for StructureDefinition and ElementDefinition: one model for the core package's
//! specializations and for the profiles and extension definitions of profile packages. Only the
//! fields the generator reads are modelled.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StructureDefinition {
    /// `us-core-patient`: a profile's name for users and macros (core fixtures may leave it out).
    #[serde(default)]
    pub id: String,
    pub url: String,
    /// The computer name (`USCorePatientProfile`), from which Rust type names are made.
    #[serde(default)]
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
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

    /// The first element with this path (in a profile, the unsliced one).
    pub fn element(&self, path: &str) -> Option<&ElementDefinition> {
        self.elements().iter().find(|e| e.path == path)
    }

    /// The element with this id (`Patient.extension:race`).
    pub fn element_by_id(&self, id: &str) -> Option<&ElementDefinition> {
        self.elements().iter().find(|e| e.id() == id)
    }
}

#[derive(Debug, Deserialize)]
pub struct Snapshot {
    pub element: Vec<ElementDefinition>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementDefinition {
    /// `Patient.extension:race`; older definitions may leave it out (then the path is used).
    pub id: Option<String>,
    pub path: String,
    pub slice_name: Option<String>,
    pub short: Option<String>,
    pub definition: Option<String>,
    #[serde(default)]
    pub min: u32,
    /// `"1"`, `"*"`, `"0"`, or another number: read it with [`ElementDefinition::max`].
    pub max: Option<String>,
    pub base: Option<Base>,
    #[serde(rename = "type", default)]
    pub types: Vec<TypeRef>,
    /// `#Questionnaire.item`: this element has the content of another one.
    pub content_reference: Option<String>,
    pub binding: Option<Binding>,
    pub slicing: Option<Slicing>,
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
    /// `fixed[x]` and `pattern[x]` (read through [`ElementDefinition::fixed`] and
    /// [`ElementDefinition::pattern`]); other keys are dropped while reading.
    #[serde(flatten, deserialize_with = "fixed_and_pattern")]
    pub values: BTreeMap<String, Value>,
}

impl ElementDefinition {
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
        self.values.iter().find_map(|(k, v)| {
            k.strip_prefix(prefix)
                .is_some_and(is_type_suffix)
                .then_some(v)
        })
    }

    /// The maximum cardinality: `None` for `*` or when absent; an error text for anything that
    /// is not a number.
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

/// `Quantity` in `fixedQuantity`: a type name after the prefix.
fn is_type_suffix(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_uppercase())
}

/// Keeps only the `fixed[x]` and `pattern[x]` entries of the keys no field takes, so the
/// descriptions and mappings of the core package are not kept as JSON values.
fn fixed_and_pattern<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Value>, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = BTreeMap<String, Value>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the other keys of an ElementDefinition")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut kept = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                let wanted = ["fixed", "pattern"]
                    .iter()
                    .any(|p| key.strip_prefix(p).is_some_and(is_type_suffix));
                if wanted {
                    kept.insert(key, map.next_value()?);
                } else {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
            Ok(kept)
        }
    }
    deserializer.deserialize_map(Visitor)
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
    /// Profiles the value conforms to (an extension slice names its extension definition here).
    #[serde(default)]
    pub profile: Vec<String>,
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
    pub strength: BindingStrength,
    /// Canonical URL, possibly with a `|version` suffix.
    pub value_set: Option<String>,
}

/// How strongly an element is bound to its ValueSet; only `required` restricts the codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BindingStrength {
    Required,
    Extensible,
    Preferred,
    Example,
}

impl std::fmt::Display for BindingStrength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BindingStrength::Required => "required",
            BindingStrength::Extensible => "extensible",
            BindingStrength::Preferred => "preferred",
            BindingStrength::Example => "example",
        })
    }
}

/// How a sliced element's items are told apart.
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
