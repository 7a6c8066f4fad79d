//! A definition's metadata table: its elements, how its slices are recognised, and the rules it
//! adds to the base type (cardinality that differs from the base, fixed and pattern values,
//! required bindings to ValueSets we can enumerate, narrowed choices, extension definitions).

use super::{ElementRow, MetaTable, RuleCheck, RuleRow, SliceRow};
use crate::error::{Error, Result};
use crate::ir::bindings::{value_set_codes, Terminology};
use crate::ir::invariants::from_constraints;
use crate::ir::Invariant;
use crate::load::{BindingStrength, ElementDefinition, Package, StructureDefinition};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

pub struct Context<'a> {
    pub core: &'a Package,
    /// The package's own ValueSets in front of core's, for required bindings.
    pub terms: Terminology<'a>,
    /// Extension URL -> the table name of its definition in this package.
    pub extension_tables: &'a BTreeMap<String, String>,
    pub file: &'a Path,
}

pub fn meta_table(cx: &Context, sd: &StructureDefinition) -> Result<MetaTable> {
    let mut table = MetaTable::default();
    for e in sd.elements() {
        table.elements.push(ElementRow {
            id: e.id().to_owned(),
            min: e.min,
            max: e.max().map_err(|m| cx.error(e, m))?,
            types: e.types.iter().map(|t| t.fhir_type().to_owned()).collect(),
        });
    }
    let mut unresolved = Vec::new();
    for e in sd.elements().iter().filter(|e| e.slicing.is_some()) {
        for slice in slices_of(sd, e) {
            match discriminators(sd, e, slice) {
                Some(discriminators) => table.slices.push(SliceRow {
                    id: slice.id().to_owned(),
                    discriminators,
                }),
                None => unresolved.push(slice.id().to_owned()),
            }
        }
    }
    table.constraints = own_constraints(cx, sd)?;
    for e in sd.elements().iter().skip(1) {
        if unresolved.iter().any(|u| is_within(e.id(), u)) {
            continue;
        }
        for check in checks(cx, sd, e)? {
            table.rules.push(RuleRow {
                id: e.id().to_owned(),
                check,
            });
        }
    }
    Ok(table)
}

/// The constraints the definition adds to its base type's. Those on a slice are checked
/// where the sliced element carries the same one (US Core's vs-3 on each component slice);
/// any other is left out with a warning, since items are not sorted into slices at runtime.
fn own_constraints(cx: &Context, sd: &StructureDefinition) -> Result<Vec<(String, Invariant)>> {
    let mut own = Vec::new();
    for e in sd.elements() {
        let base_keys: Vec<&str> = base_element(cx.core, sd, &e.path)
            .map(|b| b.constraint.iter().map(|c| c.key.as_str()).collect())
            .unwrap_or_default();
        let invariants = from_constraints(&e.constraint).map_err(|m| cx.error(e, m))?;
        for invariant in invariants {
            if base_keys.contains(&invariant.key.as_str()) {
                continue;
            }
            if e.id().contains(':') {
                let covered = sd.element_by_id(&e.path).is_some_and(|unsliced| {
                    unsliced.constraint.iter().any(|u| u.key == invariant.key)
                });
                if !covered {
                    eprintln!(
                        "fhir-codegen: {}: constraint {} on slice {} is not checked",
                        sd.url,
                        invariant.key,
                        e.id()
                    );
                }
                continue;
            }
            own.push((e.id().to_owned(), invariant));
        }
    }
    Ok(own)
}

impl Context<'_> {
    fn error(&self, e: &ElementDefinition, message: impl Into<String>) -> Error {
        Error::definition(self.file, e.id(), message)
    }
}

/// `id` is the slice `slice` or inside it.
fn is_within(id: &str, slice: &str) -> bool {
    id.strip_prefix(slice)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', ':']))
}

/// The slices of a sliced element: `Patient.extension:race` for `Patient.extension`.
fn slices_of<'a>(
    sd: &'a StructureDefinition,
    sliced: &'a ElementDefinition,
) -> impl Iterator<Item = &'a ElementDefinition> + 'a {
    sd.elements().iter().filter(move |s| {
        s.slice_name
            .as_ref()
            .is_some_and(|name| s.id() == format!("{}:{name}", sliced.id()))
    })
}

/// The JSON each discriminator path must hold in an item of the slice; `None` when a
/// discriminator cannot be resolved to a value (then the slice is not checked).
fn discriminators(
    sd: &StructureDefinition,
    sliced: &ElementDefinition,
    slice: &ElementDefinition,
) -> Option<Vec<(String, String)>> {
    let slicing = sliced.slicing.as_ref()?;
    if slicing.discriminator.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    for d in &slicing.discriminator {
        if d.kind != "value" && d.kind != "pattern" {
            return None;
        }
        let at = if d.path == "$this" {
            Some(slice)
        } else {
            sd.element_by_id(&format!("{}.{}", slice.id(), d.path))
        };
        let value = at.and_then(|e| e.fixed().or_else(|| e.pattern()));
        let json = match value {
            Some(v) => canonical(v),
            // An extension slice names its definition, whose url is fixed there.
            None if d.path == "url" => {
                let url = slice.types.iter().find_map(|t| t.profile.first())?;
                canonical(&Value::String(url.clone()))
            }
            None => return None,
        };
        found.push((d.path.clone(), json));
    }
    Some(found)
}

fn checks(cx: &Context, sd: &StructureDefinition, e: &ElementDefinition) -> Result<Vec<RuleCheck>> {
    let mut checks = Vec::new();
    let base = base_element(cx.core, sd, &e.path);
    let max = e.max().map_err(|m| cx.error(e, m))?;
    let base_card = base.map(|b| (b.min, b.max().ok().flatten()));
    if e.slice_name.is_some() || base_card != Some((e.min, max)) {
        checks.push(RuleCheck::Cardinality { min: e.min, max });
    }
    if let Some(v) = e.fixed() {
        checks.push(RuleCheck::Fixed(canonical(v)));
    }
    if let Some(v) = e.pattern() {
        checks.push(RuleCheck::Pattern(canonical(v)));
    }
    if let Some(binding) = e
        .binding
        .as_ref()
        .filter(|b| b.strength == BindingStrength::Required)
    {
        let url = binding.value_set.as_deref().map(without_version);
        let base_url = base
            .and_then(|b| b.binding.as_ref())
            .filter(|b| b.strength == BindingStrength::Required)
            .and_then(|b| b.value_set.as_deref())
            .map(without_version);
        if let Some(url) = url.filter(|u| Some(*u) != base_url) {
            if let Some(codes) = value_set_codes(cx.terms, url) {
                checks.push(RuleCheck::Binding {
                    value_set: url.to_owned(),
                    codes,
                });
            }
        }
    }
    if e.path.ends_with("[x]") {
        let base_types = base.map_or(usize::MAX, |b| b.types.len());
        if e.types.len() < base_types && !e.types.is_empty() {
            let types = e.types.iter().map(|t| t.fhir_type().to_owned()).collect();
            checks.push(RuleCheck::Types(types));
        }
    }
    if e.slice_name.is_some() {
        let table = e
            .types
            .iter()
            .filter(|t| t.code == "Extension")
            .flat_map(|t| &t.profile)
            .find_map(|url| cx.extension_tables.get(url));
        if let Some(table) = table {
            checks.push(RuleCheck::Profile(table.clone()));
        }
    }
    Ok(checks)
}

fn without_version(url: &str) -> &str {
    url.split('|').next().unwrap_or(url)
}

/// The core element a profile element constrains: by path in the base type, or through the
/// type of an ancestor (`Extension.extension.value[x]` is `Extension.value[x]`;
/// `Observation.component.value[x].code` is `Quantity.code` when the profile makes it a Quantity).
fn base_element<'a>(
    core: &'a Package,
    sd: &StructureDefinition,
    path: &str,
) -> Option<&'a ElementDefinition> {
    let root = path.split('.').next()?;
    let core_sd = &core_type(core, root)?;
    if let Some(e) = core_sd.element(path) {
        return Some(e);
    }
    let segments: Vec<&str> = path.split('.').collect();
    for i in (1..segments.len()).rev() {
        let prefix = segments[..i].join(".");
        let ty = sd
            .elements()
            .iter()
            .find(|e| e.path == prefix && e.types.len() == 1)
            .map(|e| e.types[0].fhir_type())
            .or_else(|| match core_sd.element(&prefix)?.types.as_slice() {
                [t] => Some(t.fhir_type()),
                _ => None,
            });
        if let Some(ty) = ty.filter(|t| *t != "BackboneElement" && *t != "Element") {
            let rest = segments[i..].join(".");
            let inner = core_type(core, ty)?;
            return inner.element(&format!("{ty}.{rest}"));
        }
    }
    None
}

/// The core definition of a type, by type name (a specialization, not a profile).
pub fn core_type<'a>(core: &'a Package, name: &str) -> Option<&'a StructureDefinition> {
    core.structures
        .values()
        .map(|l| &l.value)
        .find(|sd| sd.type_name == name && sd.derivation.as_deref() != Some("constraint"))
}

/// JSON text with object keys sorted, whatever serde_json's map order: stable output.
pub fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let items: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", items.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}
