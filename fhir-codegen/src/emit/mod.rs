//! Stage 3: type space -> Rust files (tokens with `quote`, formatted with `prettyplease`).

mod builders;
mod choices;
mod codes;
mod decode;
mod docs;
mod encode;
pub mod features;
mod keys;
mod macro_meta;
mod profiles;
mod reflect;
mod resource;
mod root;
mod structs;
mod types;
mod validate;
mod walk;

pub use macro_meta::user_profiles_table;
pub use profiles::user_file;

use crate::error::{Error, Result};
use crate::ir::{DefKind, FieldKind, TypeDef, TypeSpace};
use proc_macro2::TokenStream;
use quote::quote;
use std::path::PathBuf;

/// One generated file, its path relative to the output folder.
#[derive(Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Every file of the generated module tree, in a stable order.
pub fn emit(space: &TypeSpace) -> Result<Vec<GeneratedFile>> {
    let mut files = Vec::new();
    let header = header(&space.package);
    let types = crate::fhirpath::Types::new(space);
    for (folder, defs) in [
        ("datatypes", &space.datatypes),
        ("resources", &space.resources),
    ] {
        let mut mods = Vec::new();
        let mut cfgs = Vec::new();
        for def in defs.iter() {
            cfgs.push(features::cfg(def));
            let module = crate::ir::names::module_name(&def.name);
            files.push(file(
                &header,
                &format!("{folder}/{module}.rs"),
                definition_file(def, &types),
                &module,
            )?);
            mods.push(types::ident(&module));
        }
        let doc = match folder {
            "datatypes" => "Complex datatypes (datatypes.html), each with its nested elements.",
            _ => "Resources, each with its backbone elements and choice types.",
        };
        let tokens = quote! {
            #![doc = #doc]
            #(#cfgs mod #mods; #cfgs pub use #mods::*;)*
        };
        files.push(file(&header, &format!("{folder}/mod.rs"), tokens, folder)?);
    }
    let users = features::code_users(space);
    let code_enums = space.codes.iter().map(|c| {
        let cfg = features::code_cfg(&users, &c.name);
        codes::code_enum(c, cfg, root::Root::Model)
    });
    let member_of = reflect::member_of_fn(&space.codes, |name| features::code_cfg(&users, name));
    let codes = quote! {
        //! Enums for the codes of required bindings to enumerable ValueSets.
        #(#code_enums)*
        #member_of
    };
    files.push(file(&header, "codes.rs", codes, "codes")?);
    files.push(file(
        &header,
        "resource.rs",
        {
            let body = resource::resource_enum(&space.resources);
            let reflect = reflect::resource_reflect_impl(&space.resources);
            let domain = validate::domain_resource_fn(space, &types);
            quote!(#body #reflect #domain)
        },
        "resource",
    )?);
    files.push(file(
        &header,
        "targets.rs",
        builders::targets_file(space),
        "targets",
    )?);
    let root = quote! {
        pub mod codes;
        pub mod datatypes;
        pub mod profiles;
        mod resource;
        pub mod resources;
        pub mod targets;
        pub use resource::Resource;
    };
    files.extend(profiles::files(space)?);
    files.push(file(&header, "mod.rs", root, "mod")?);
    Ok(files)
}

/// The files of `fhir-macros/src/generated/`: the element metadata the derives check against.
pub fn macro_files(space: &TypeSpace) -> Result<Vec<GeneratedFile>> {
    let header = header(&space.package);
    let root = quote! {
        mod metadata;
        mod profiles;
        pub use metadata::STRUCTS;
        pub use profiles::PROFILES;
    };
    Ok(vec![
        file(
            &header,
            "metadata.rs",
            macro_meta::metadata_file(space),
            "metadata",
        )?,
        file(
            &header,
            "profiles.rs",
            macro_meta::profiles_file(space),
            "profiles",
        )?,
        file(&header, "mod.rs", root, "mod")?,
    ])
}

/// One definition's file: structs, their JSON impls and the choice enums they use.
pub fn definition_file(def: &TypeDef, types: &crate::fhirpath::Types<'_>) -> TokenStream {
    let mut items = Vec::new();
    for (i, s) in def.structs.iter().enumerate() {
        items.push(structs::struct_def(def, s, i == 0));
        items.push(decode::decode_impl(def, s, i == 0));
        items.push(encode::serialize_impl(def, s, i == 0));
        items.push(walk::walk_impl(def, s, i == 0));
        items.push(validate::validate_impl(def, s, i == 0, types));
        items.push(builders::builders_impl(def, s));
        items.push(reflect::reflect_impl(def, s, i == 0));
        for f in &s.fields {
            if let FieldKind::Choice(index) = f.kind {
                items.push(choices::choice_enum(&def.choices[index], &f.json_name));
                items.push(walk::choice_walk_impl(&def.choices[index], &f.json_name));
                items.push(validate::choice_validate_impl(
                    &def.choices[index],
                    &f.json_name,
                ));
                items.push(reflect::choice_reflect_impl(&def.choices[index]));
            }
        }
        if i == 0 && def.kind == DefKind::Resource {
            items.push(resource::concrete_impls(def));
        }
    }
    let body = quote!(#(#items)*);
    let text = body.to_string();
    let mut uses = vec![quote!(
        use crate::json::{de, ser, Path};
    )];
    if def.kind == DefKind::Resource || text.contains("Primitive <") || text.contains("Box <") {
        uses.push(quote!(
            use crate::datatypes::*;
        ));
    }
    if text.contains("Primitive <") || is_primitive_user(&text) {
        uses.push(quote!(
            use crate::primitives::*;
        ));
    }
    let mut crate_items = Vec::new();
    if text.contains("codes ::") {
        crate_items.push(quote!(codes));
    }
    if text.contains("Primitive <") {
        crate_items.push(quote!(Primitive));
    }
    if text.contains("Resource >") || def.kind == DefKind::Resource {
        crate_items.push(quote!(Resource));
    }
    if !crate_items.is_empty() {
        uses.push(quote!(use crate::{#(#crate_items),*};));
    }
    quote!(#(#uses)* #body)
}

fn is_primitive_user(text: &str) -> bool {
    ["FhirString", "Uri", "Xhtml", "Id >"]
        .iter()
        .any(|t| text.contains(t))
}

fn header(package: &str) -> String {
    format!("// @generated by fhir-codegen from {package}. Do not edit by hand: run `cargo run -p fhir-codegen`.\n\n")
}

fn file(header: &str, path: &str, tokens: TokenStream, what: &str) -> Result<GeneratedFile> {
    let syntax: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::definition(
            std::path::Path::new(path),
            what,
            format!("emitted tokens do not parse: {e}"),
        )
    })?;
    Ok(GeneratedFile {
        path: PathBuf::from(path),
        contents: format!("{header}{}", space_items(&prettyplease::unparse(&syntax))),
    })
}

/// prettyplease packs top-level items together; a blank line between them reads better.
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 20);
    let mut previous = "";
    for line in code.lines() {
        let starts_item = !line.starts_with([' ', '}', ')']) && !line.is_empty();
        let after_item = previous == "}" || (previous.ends_with(';') && !previous.starts_with(' '));
        let both_uses = previous.starts_with("use ") && line.starts_with("use ");
        if starts_item && after_item && !both_uses {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_fixture_emits_readable_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        let space = crate::ir::build_type_space(&crate::load::load_package(&dir).unwrap()).unwrap();
        let files = emit(&space).unwrap();
        for f in &files {
            insta::assert_snapshot!(f.path.display().to_string().replace('/', "__"), &f.contents);
        }
        for f in &macro_files(&space).unwrap() {
            let name = format!("macros__{}", f.path.display());
            insta::assert_snapshot!(name, &f.contents);
        }
    }

    #[test]
    fn emission_is_deterministic() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        let space = crate::ir::build_type_space(&crate::load::load_package(&dir).unwrap()).unwrap();
        assert_eq!(emit(&space).unwrap(), emit(&space).unwrap());
    }
}
