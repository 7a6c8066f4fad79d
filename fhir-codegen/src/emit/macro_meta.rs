//! The element metadata `fhir-macros` checks user attributes against: for every struct of the
//! model, its elements with JSON name, Rust field, cardinality and types. Emitted from the same
//! type space as the model, so the derive macros and the model cannot drift apart.

use super::builders::{reference_targets, target_trait};
use crate::ir::profile::{Common, ProfilePackage};
use crate::ir::{DefKind, Field, FieldKind, Struct, TypeDef, TypeSpace, ValueType};
use proc_macro2::TokenStream;
use quote::quote;

/// `metadata.rs` of `fhir-macros/src/generated/`: every struct, sorted by Rust name so the
/// macro can binary-search it.
pub fn metadata_file(space: &TypeSpace) -> TokenStream {
    let mut structs: Vec<(&TypeDef, &Struct)> = space
        .datatypes
        .iter()
        .chain(&space.resources)
        .flat_map(|def| def.structs.iter().map(move |s| (def, s)))
        .collect();
    structs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let entries = structs.iter().map(|(def, s)| struct_entry(def, s));
    let doc = format!(
        " Every struct of the model generated from `{}` and its elements, for checking \
         `#[fhir(...)]` attributes at compile time.",
        space.package
    );
    quote! {
        #![doc = #doc]
        use crate::meta::{Element as E, Kind::*, Module, Struct};

        /// Sorted by `name`.
        pub static STRUCTS: &[Struct] = &[#(#entries),*];
    }
}

fn struct_entry(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = &s.name;
    let path = &s.path;
    let module = match def.kind {
        DefKind::Datatype => quote!(Module::Datatypes),
        DefKind::Resource => quote!(Module::Resources),
    };
    let elements = s.fields.iter().map(|f| element_entry(def, s, f));
    quote! {
        Struct {
            name: #name,
            path: #path,
            module: #module,
            elements: &[#(#elements),*],
        }
    }
}

fn element_entry(def: &TypeDef, s: &Struct, field: &Field) -> TokenStream {
    let name = &field.json_name;
    let rust = &field.rust_name;
    let min = proc_macro2::Literal::u32_unsuffixed(field.min);
    let many = field.many;
    match &field.kind {
        FieldKind::Value(ty) => {
            let bound = reference_targets(field).map(|_| target_trait(s, field));
            let kind = kind(ty, bound.as_deref());
            quote!(E::new(#name, #rust, #min, #many, &[("", #kind)]))
        }
        FieldKind::Choice(index) => {
            let choice = &def.choices[*index];
            let enum_name = &choice.name;
            let variants = choice.variants.iter().map(|v| {
                let suffix = &v.suffix;
                let kind = kind(&v.ty, None);
                quote!((#suffix, #kind))
            });
            quote!(E::choice(#name, #rust, #min, #enum_name, &[#(#variants),*]))
        }
    }
}

fn kind(ty: &ValueType, bound: Option<&str>) -> TokenStream {
    match ty {
        ValueType::Primitive { ty, extensible } => {
            let code = ty.code();
            if *extensible {
                quote!(Primitive(#code))
            } else {
                quote!(Attribute(#code))
            }
        }
        ValueType::Code(name) => quote!(Code(#name)),
        ValueType::Complex { name, targets } if name == "Reference" => {
            let bound = match bound {
                Some(b) => quote!(Some(#b)),
                None => quote!(None),
            };
            quote!(Reference(&[#(#targets),*], #bound))
        }
        ValueType::Complex { name, .. } => {
            let name = crate::ir::names::struct_name(name);
            quote!(Complex(#name))
        }
        ValueType::Backbone(name) => {
            let name = crate::ir::names::struct_name(name);
            quote!(Backbone(#name))
        }
        ValueType::Resource => quote!(AnyResource),
    }
}

/// `profiles.rs` of `fhir-macros/src/generated/`: each constraining profile with its base and
/// the top-level elements it requires, for `#[fhir(resource = ..., profile = ...)]`.
pub fn profiles_file(space: &TypeSpace) -> TokenStream {
    let entries = space.profiles.iter().flat_map(|package| {
        package.profiles.iter().map(move |profile| {
            let common = &profile.common;
            let (id, url, base, table) = (&common.id, &common.url, &common.base, &common.table);
            let module = &package.module;
            let required = required(common);
            quote! {
                Profile {
                    id: #id,
                    url: #url,
                    base: #base,
                    module: #module,
                    table: #table,
                    required: &[#(#required),*],
                }
            }
        })
    });
    quote! {
        //! Constraining profiles of the profile packages, for `#[fhir(profile = "...")]`.
        use crate::meta::Profile;

        pub static PROFILES: &[Profile] = &[#(#entries),*];
    }
}

/// The derive macros' view of a user's package: one line per profile with its id, URL, base,
/// the Rust path of its table in the user's crate and its required top-level elements
/// (tab-separated; the elements comma-separated). fhir-macros reads it from `OUT_DIR`.
pub fn user_profiles_table(package: &ProfilePackage, module_path: &str) -> String {
    let mut out = format!(
        "# @generated by fhir-codegen from {}: profiles for #[fhir(profile = ...)]\n",
        package.id
    );
    for profile in &package.profiles {
        let c = &profile.common;
        out.push_str(&format!(
            "{}\t{}\t{}\t{module_path}::{}\t{}\n",
            c.id,
            c.url,
            c.base,
            c.table,
            required(c).join(",")
        ));
    }
    out
}

/// The top-level elements a profile requires (min >= 1), base requirements included.
fn required(common: &Common) -> Vec<&str> {
    let prefix = format!("{}.", common.base);
    common
        .meta
        .elements
        .iter()
        .filter_map(|e| {
            let name = e.id.strip_prefix(&prefix)?;
            (e.min > 0 && !name.contains(['.', ':'])).then_some(name)
        })
        .collect()
}
