//! The shape of an extension definition: a simple value, or sub-extensions by URL.

use super::{ExtensionShape, ExtensionValue, SubExtension};
use crate::load::{ElementDefinition, StructureDefinition};

/// Simple when `Extension.value[x]` is allowed; complex otherwise, with one part per slice of
/// `Extension.extension` that has a fixed `url`.
pub fn shape(sd: &StructureDefinition) -> ExtensionShape {
    match value_at(sd, "Extension") {
        Some(value) => ExtensionShape::Simple(value),
        None => ExtensionShape::Complex(
            sd.elements()
                .iter()
                .filter(|e| e.path == "Extension.extension")
                .filter_map(|e| sub_extension(sd, e))
                .collect(),
        ),
    }
}

fn sub_extension(sd: &StructureDefinition, slice: &ElementDefinition) -> Option<SubExtension> {
    let name = slice.slice_name.as_deref()?;
    let url = sd
        .element_by_id(&format!("{}.url", slice.id()))?
        .fixed()?
        .as_str()?
        .to_owned();
    Some(SubExtension {
        name: name.to_owned(),
        accessor: crate::ir::names::field_name(name),
        url,
        min: slice.min,
        max: slice.max().ok().flatten(),
        value: value_at(sd, slice.id()),
        short: slice.short.clone().unwrap_or_default(),
    })
}

/// The `value[x]` of the extension with element id `id`, unless it is prohibited (`0..0`).
fn value_at(sd: &StructureDefinition, id: &str) -> Option<ExtensionValue> {
    let value = sd.element_by_id(&format!("{id}.value[x]"))?;
    if value.max.as_deref() == Some("0") || value.types.is_empty() {
        return None;
    }
    Some(ExtensionValue {
        min: value.min,
        types: value
            .types
            .iter()
            .map(|t| t.fhir_type().to_owned())
            .collect(),
    })
}
