//! Extra package -> profile space, resolved against the core package.

use super::extension::shape;
use super::rules::{core_type, meta_table, Context};
use super::*;
use crate::error::{Error, Result};
use crate::ir::bindings::{CodeEnums, Terminology};
use crate::ir::names;
use crate::load::{Loaded, Package, StructureDefinition};
use std::collections::{BTreeMap, BTreeSet};

/// Every constraining profile on a resource and every extension definition of `extra`.
/// Other definitions (profiles on datatypes, logical models, specializations) are skipped.
pub fn build_profile_package(core: &Package, extra: &Package) -> Result<ProfilePackage> {
    let wanted: Vec<&Loaded<StructureDefinition>> = extra
        .structures
        .values()
        .filter(|l| l.value.derivation.as_deref() == Some("constraint"))
        .filter(|l| l.value.type_name == "Extension" || l.value.kind == "resource")
        .collect();
    let extension_tables: BTreeMap<String, String> = wanted
        .iter()
        .filter(|l| l.value.type_name == "Extension")
        .map(|l| (l.value.url.clone(), names::table_name(&l.value.id)))
        .collect();
    let extension_types: BTreeMap<&str, String> = wanted
        .iter()
        .filter(|l| l.value.type_name == "Extension")
        .map(|l| (l.value.url.as_str(), names::profile_type(&l.value.name)))
        .collect();
    let mut package = ProfilePackage {
        id: extra.id(),
        module: names::package_module(&extra.name),
        features: Vec::new(),
        profiles: Vec::new(),
        extensions: Vec::new(),
        codes: own_code_enums(core, extra),
    };
    let mut features = BTreeSet::new();
    let mut used_names = BTreeMap::new();
    for loaded in wanted {
        let sd = &loaded.value;
        let cx = Context {
            core,
            terms: Terminology::with_package(core, extra),
            extension_tables: &extension_tables,
            file: &loaded.file,
        };
        let common = common(&cx, sd)?;
        if let Some(other) = used_names.insert(common.rust_name.clone(), sd.url.clone()) {
            return Err(Error::definition(
                &loaded.file,
                &sd.id,
                format!("Rust name {} is also used for {other}", common.rust_name),
            ));
        }
        if sd.type_name == "Extension" {
            package.extensions.push(ExtensionDef {
                common,
                shape: shape(sd),
            });
        } else {
            features.insert(names::module_name(&sd.type_name));
            package.profiles.push(ProfileDef {
                extension_slices: extension_slices(sd, &extension_types),
                common,
            });
        }
    }
    package.features = features.into_iter().collect();
    package
        .profiles
        .sort_by(|a, b| a.common.id.cmp(&b.common.id));
    package
        .extensions
        .sort_by(|a, b| a.common.id.cmp(&b.common.id));
    Ok(package)
}

/// An enum for every ValueSet of the package that can be enumerated, sorted by name.
fn own_code_enums(core: &Package, extra: &Package) -> Vec<crate::ir::CodeEnum> {
    let terms = Terminology::with_package(core, extra);
    let mut enums = CodeEnums::default();
    for url in extra.value_sets.keys() {
        enums.for_value_set(terms, url);
    }
    enums.into_sorted()
}

fn common(cx: &Context, sd: &StructureDefinition) -> Result<Common> {
    let base = &sd.type_name;
    for (field, value) in [("id", &sd.id), ("name", &sd.name)] {
        if value.is_empty() {
            let message = format!("a profile needs an {field}");
            return Err(Error::definition(cx.file, &sd.url, message));
        }
    }
    if core_type(cx.core, base).is_none() {
        return Err(Error::definition(
            cx.file,
            base,
            "the constrained type is not in the core package",
        ));
    }
    match sd.elements().first() {
        None => {
            return Err(Error::definition(
                cx.file,
                &sd.id,
                "no snapshot; differential-only profiles are not supported",
            ))
        }
        Some(root) if root.path != *base => {
            return Err(Error::definition(
                cx.file,
                &root.path,
                format!("first snapshot element should be {base}"),
            ))
        }
        Some(_) => {}
    }
    Ok(Common {
        id: sd.id.clone(),
        url: sd.url.clone(),
        rust_name: names::profile_type(&sd.name),
        module: names::profile_module(&sd.id),
        table: names::table_name(&sd.id),
        title: sd.title.clone().unwrap_or_else(|| sd.name.clone()),
        description: sd.description.clone().unwrap_or_default(),
        base: base.clone(),
        meta: meta_table(cx, sd)?,
    })
}

/// Slices of the root's `extension` that name an extension definition.
fn extension_slices(
    sd: &StructureDefinition,
    extension_types: &BTreeMap<&str, String>,
) -> Vec<ExtensionSlice> {
    let path = format!("{}.extension", sd.type_name);
    sd.elements()
        .iter()
        .filter(|e| e.path == path)
        .filter_map(|e| {
            let name = e.slice_name.as_deref()?;
            let url = e.types.iter().find_map(|t| t.profile.first())?;
            let rust_type = extension_types.get(url.as_str()).cloned();
            Some(ExtensionSlice {
                name: name.to_owned(),
                accessor: names::slice_accessor(name, rust_type.as_deref()),
                url: url.clone(),
                min: e.min,
                max: e.max().ok().flatten(),
                rust_type,
            })
        })
        .collect()
}
