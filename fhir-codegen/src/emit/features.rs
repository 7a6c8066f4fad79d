//! Cargo features: one per resource (its snake_case module name), one per spec category
//! (`clinical`, `financial`, ...), one per profile package (`us_core`, with the resources it
//! constrains), and `all`. Datatypes are always compiled; a code enum is
//! compiled when a datatype or an enabled resource uses it.

use crate::ir::{DefKind, FieldKind, TypeDef, TypeSpace, ValueType};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

pub fn feature_name(def: &TypeDef) -> String {
    crate::ir::names::module_name(&def.name)
}

/// `#[cfg(feature = "patient")]` for a resource; nothing for a datatype.
pub fn cfg(def: &TypeDef) -> TokenStream {
    match def.kind {
        DefKind::Resource => {
            let feature = feature_name(def);
            quote!(#[cfg(feature = #feature)])
        }
        DefKind::Datatype => quote!(),
    }
}

/// For each code enum, the resource features that use it; `None` when a datatype uses it
/// (then it is always compiled).
pub fn code_users(space: &TypeSpace) -> BTreeMap<&str, Option<BTreeSet<String>>> {
    let mut users: BTreeMap<&str, Option<BTreeSet<String>>> = BTreeMap::new();
    for def in space.datatypes.iter().chain(&space.resources) {
        for s in &def.structs {
            for f in &s.fields {
                let FieldKind::Value(ValueType::Code(name)) = &f.kind else {
                    continue;
                };
                let entry = users
                    .entry(name.as_str())
                    .or_insert_with(|| Some(BTreeSet::new()));
                match (def.kind, entry.as_mut()) {
                    (DefKind::Datatype, _) => *entry = None,
                    (DefKind::Resource, Some(set)) => {
                        set.insert(feature_name(def));
                    }
                    (DefKind::Resource, None) => {}
                }
            }
        }
    }
    users
}

/// `#[cfg(any(feature = ...))]` for a code enum.
pub fn code_cfg(users: &BTreeMap<&str, Option<BTreeSet<String>>>, name: &str) -> TokenStream {
    match users.get(name) {
        Some(Some(features)) if features.len() == 1 => {
            let feature = features.iter().next();
            quote!(#[cfg(feature = #feature)])
        }
        Some(Some(features)) => quote!(#[cfg(any(#(feature = #features),*))]),
        _ => quote!(),
    }
}

/// Features of hand-written fhir-model modules (declared in the hand-written part of the
/// manifest), which `all` switches on with the model.
const MODULE_FEATURES: &[&str] = &["fhirpath"];

/// The generated part of fhir-model's `[features]` table (`default` is hand-written above it:
/// what users get by default is a product decision, not a consequence of the definitions).
pub fn manifest_section(space: &TypeSpace) -> String {
    let mut groups: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut out = String::new();
    for def in &space.resources {
        groups
            .entry(def.category.as_deref().unwrap_or("other"))
            .or_default()
            .push(feature_name(def));
    }
    // `all` is the whole model: every category, every profile package and the hand-written
    // modules that have a feature of their own.
    let all: Vec<String> = groups
        .keys()
        .map(|g| g.to_string())
        .chain(MODULE_FEATURES.iter().map(|m| m.to_string()))
        .chain(space.profiles.iter().map(|p| p.module.clone()))
        .map(|g| format!("\"{g}\""))
        .collect();
    out.push_str(&format!("all = [{}]\n", all.join(", ")));
    for (group, members) in &groups {
        let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
        out.push_str(&format!("{group} = [{}]\n", quoted.join(", ")));
    }
    for def in &space.resources {
        out.push_str(&format!("{} = []\n", feature_name(def)));
    }
    for package in &space.profiles {
        let quoted: Vec<String> = package
            .features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect();
        out.push_str(&format!("{} = [{}]\n", package.module, quoted.join(", ")));
    }
    out
}
