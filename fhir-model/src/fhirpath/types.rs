//! Type names for `is`, `as`, `ofType` and `type()`: the System types, the FHIR primitives
//! and datatypes, resources, and the few specialisations R4 defines (`code` is a `string`,
//! `Age` is a `Quantity`, every resource is a `Resource`).

use super::ast::TypeSpec;
use super::reflect::Reflect;
use super::value::{is_quantity_type, Item, Value};

const SYSTEM: &[&str] = &[
    "Boolean", "Integer", "Decimal", "String", "Date", "DateTime", "Time", "Quantity",
];

const PRIMITIVES: &[&str] = &[
    "base64Binary",
    "boolean",
    "canonical",
    "code",
    "date",
    "dateTime",
    "decimal",
    "id",
    "instant",
    "integer",
    "markdown",
    "oid",
    "positiveInt",
    "string",
    "time",
    "unsignedInt",
    "uri",
    "url",
    "uuid",
    "xhtml",
];

/// R4 complex datatypes and the abstract bases.
const COMPLEX: &[&str] = &[
    "Address",
    "Age",
    "Annotation",
    "Attachment",
    "BackboneElement",
    "CodeableConcept",
    "Coding",
    "ContactDetail",
    "ContactPoint",
    "Contributor",
    "Count",
    "DataRequirement",
    "Distance",
    "DomainResource",
    "Dosage",
    "Duration",
    "Element",
    "ElementDefinition",
    "Expression",
    "Extension",
    "HumanName",
    "Identifier",
    "MarketingStatus",
    "Meta",
    "Money",
    "MoneyQuantity",
    "Narrative",
    "ParameterDefinition",
    "Period",
    "Population",
    "ProdCharacteristic",
    "ProductShelfLife",
    "Quantity",
    "Range",
    "Ratio",
    "Reference",
    "RelatedArtifact",
    "Resource",
    "SampledData",
    "Signature",
    "SimpleQuantity",
    "SubstanceAmount",
    "Timing",
    "TriggerDefinition",
    "UsageContext",
];

/// Resources that are not DomainResources.
const PLAIN_RESOURCES: &[&str] = &["Binary", "Bundle", "Parameters"];

fn is_resource_type(name: &str) -> bool {
    crate::Resource::TYPE_NAMES.binary_search(&name).is_ok()
}

/// An error for a type name nothing defines (`as(string1)`).
pub fn check_known(ty: &TypeSpec) -> Result<(), String> {
    let name = ty.name.as_str();
    let known = match ty.namespace.as_deref() {
        // `System.Patient` names nothing, but it is a well-formed question with answer false.
        Some("System") => true,
        Some("FHIR") => fhir_known(name),
        None => SYSTEM.contains(&name) || fhir_known(name),
        Some(other) => return Err(format!("unknown type namespace `{other}`")),
    };
    if known {
        Ok(())
    } else {
        Err(format!("unknown type `{name}`"))
    }
}

fn fhir_known(name: &str) -> bool {
    PRIMITIVES.contains(&name) || COMPLEX.contains(&name) || is_resource_type(name)
}

/// Whether FHIR type `actual` is `wanted` or derives from it.
fn fhir_subtype(actual: &str, wanted: &str) -> bool {
    if actual == wanted {
        return true;
    }
    match wanted {
        "string" => matches!(actual, "code" | "id" | "markdown"),
        "uri" => matches!(actual, "url" | "canonical" | "oid" | "uuid"),
        "integer" => matches!(actual, "positiveInt" | "unsignedInt"),
        "dateTime" => actual == "instant",
        "Quantity" => is_quantity_type(actual),
        "Resource" => is_resource_type(actual),
        "DomainResource" => is_resource_type(actual) && !PLAIN_RESOURCES.contains(&actual),
        "Element" => !is_resource_type(actual),
        _ => false,
    }
}

/// A node is of type `name` (FHIR namespace), for a path's first identifier (`Patient.name`).
pub fn node_is(node: &dyn Reflect, name: &str) -> bool {
    fhir_subtype(node.fhir_type(), name)
}

/// `is`: the item's type is the type or derives from it.
pub fn is(item: &Item<'_>, ty: &TypeSpec) -> bool {
    match item {
        Item::Node(n) => ty.namespace.as_deref() != Some("System") && node_is(*n, &ty.name),
        Item::Value(v) => ty.namespace.as_deref() != Some("FHIR") && v.type_name() == ty.name,
    }
}

/// `as`/`ofType`: primitives only as their own type (`code` is not `as(string)`, as the
/// suite expects); complex types and resources with their specialisations.
pub fn is_exactly(item: &Item<'_>, ty: &TypeSpec) -> bool {
    match item {
        Item::Node(n) if n.primitive().is_some() || PRIMITIVES.contains(&n.fhir_type()) => {
            ty.namespace.as_deref() != Some("System") && n.fhir_type() == ty.name
        }
        _ => is(item, ty),
    }
}

/// `type()`: namespace and name.
pub fn type_of(item: &Item<'_>) -> Value {
    match item {
        Item::Node(n) => Value::Type {
            namespace: "FHIR",
            name: n.fhir_type().to_owned(),
        },
        Item::Value(v) => Value::Type {
            namespace: "System",
            name: v.type_name().to_owned(),
        },
    }
}
