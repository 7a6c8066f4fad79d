//! Profile packages: one feature-gated module per extra package (`profiles/us_core/`), one file
//! per profile or extension definition with its typed API and its static table.

mod extension;
mod meta;
mod user;
mod values;
mod view;

pub use user::user_file;

use super::{file, header, GeneratedFile};
use crate::emit::root::Root;
use crate::emit::types::ident;
use crate::error::Result;
use crate::ir::profile::ProfilePackage;
use crate::ir::TypeSpace;
use proc_macro2::TokenStream;
use quote::quote;

/// `profiles/mod.rs` and the files of every package, in a stable order.
pub fn files(space: &TypeSpace) -> Result<Vec<GeneratedFile>> {
    let mut files = Vec::new();
    for package in &space.profiles {
        files.extend(package_files(space, package)?);
    }
    let modules = space.profiles.iter().map(|p| {
        let module = ident(&p.module);
        let feature = &p.module;
        let doc = format!(
            " `{}`: profiles and extensions (feature `{feature}`).",
            p.id
        );
        quote!(#[doc = #doc] #[cfg(feature = #feature)] pub mod #module;)
    });
    let root = quote! {
        //! Profile packages given to fhir-codegen (`--package`), one feature-gated module each.
        #(#modules)*
    };
    files.push(file(
        &header(&space.package),
        "profiles/mod.rs",
        root,
        "profiles",
    )?);
    Ok(files)
}

fn package_files(space: &TypeSpace, package: &ProfilePackage) -> Result<Vec<GeneratedFile>> {
    let header = header(&format!("{} on {}", package.id, space.package));
    let folder = format!("profiles/{}", package.module);
    let mut files = Vec::new();
    let mut modules = Vec::new();
    let mut tables = Vec::new();
    for def in &package.extensions {
        let tokens = extension_items(space, def, Root::Model);
        let path = format!("{folder}/{}.rs", def.common.module);
        files.push(file(&header, &path, tokens, &def.common.id)?);
        modules.push(ident(&def.common.module));
        tables.push(ident(&def.common.table));
    }
    for def in &package.profiles {
        let tokens = profile_items(def, Root::Model);
        let path = format!("{folder}/{}.rs", def.common.module);
        files.push(file(&header, &path, tokens, &def.common.id)?);
        modules.push(ident(&def.common.module));
        tables.push(ident(&def.common.table));
    }
    let doc = format!(
        " Profiles and extensions of `{}`: typed views, typed extensions and their tables.",
        package.id
    );
    let root = quote! {
        #![doc = #doc]
        #(mod #modules; pub use #modules::*;)*

        /// Every profile and extension definition of the package, by id.
        pub static DEFINITIONS: &[&crate::profile::ProfileMeta] = &[#(&#tables),*];

        /// The table of the profile or extension definition with this id (`us-core-patient`).
        pub fn definition(id: &str) -> Option<&'static crate::profile::ProfileMeta> {
            DEFINITIONS.iter().copied().find(|d| d.id == id)
        }
    };
    files.push(file(
        &header,
        &format!("{folder}/mod.rs"),
        root,
        &package.module,
    )?);
    Ok(files)
}

/// A typed extension and its table, with the `use` lines they need.
fn extension_items(
    space: &TypeSpace,
    def: &crate::ir::profile::ExtensionDef,
    root: Root,
) -> TokenStream {
    let body = extension::extension_type(space, def, root);
    let table = meta::table(&def.common, root);
    with_uses(quote!(#body #table), root)
}

/// A profile view and its table, with the `use` lines they need.
fn profile_items(def: &crate::ir::profile::ProfileDef, root: Root) -> TokenStream {
    let krate = root.path();
    let base = ident(&def.common.base);
    let body = view::profile_view(def, root);
    let table = meta::table(&def.common, root);
    let tokens = with_uses(quote!(#body #table), root);
    quote!(use #krate::resources::#base; #tokens)
}

/// The same `use` lines for every definition, allowed unused: choosing them by what the tokens
/// mention missed names (a `DateTime` sub-extension), and a missed name is a build error.
fn with_uses(body: TokenStream, root: Root) -> TokenStream {
    let krate = root.path();
    quote! {
        #[allow(unused_imports)]
        use #krate::{
            datatypes::*,
            primitives::*,
            profile::{extension, Check, ElementMeta, ProfileMeta, Rule, SliceMeta},
            Primitive,
        };
        #[allow(unused_imports)]
        use super::*;
        #body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn tiny_with_profile() -> TypeSpace {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let core = crate::load::load_package(&fixtures.join("tiny")).unwrap();
        let extra = crate::load::load_package(&fixtures.join("tiny-profile")).unwrap();
        let mut space = crate::ir::build_type_space(&core).unwrap();
        let package = crate::ir::profile::build_profile_package(&core, &extra).unwrap();
        space.profiles.push(package);
        space
    }

    #[test]
    fn tiny_profile_emits_a_view_and_its_table() {
        let space = tiny_with_profile();
        for f in files(&space).unwrap() {
            let name = f.path.display().to_string().replace('/', "__");
            insta::assert_snapshot!(name, &f.contents);
        }
    }

    #[test]
    fn a_user_file_is_one_file_that_names_fhir_model_absolutely() {
        let space = tiny_with_profile();
        let f = user_file(&space, &space.profiles[0]).unwrap();
        assert_eq!(f.path.to_str(), Some("example_tiny_profile.rs"));
        let text = &f.contents;
        assert!(text.starts_with("// @generated by fhir-codegen from example.tiny.profile#0.0.1"));
        assert!(!text.contains("crate::"), "{text}");
        assert!(
            !text.contains("#![") && !text.contains("//!"),
            "include! takes no inner attributes"
        );
        for wanted in [
            "mod tiny_thing {",
            "use ::fhir_model::resources::Thing;",
            "pub static TINY_THING: ProfileMeta",
            "pub fn validate(&self) -> Vec<::fhir_model::validate::Issue>",
            "pub static DEFINITIONS: &[&::fhir_model::profile::ProfileMeta] = &[&TINY_THING];",
        ] {
            assert!(text.contains(wanted), "{wanted} missing from\n{text}");
        }
    }

    #[test]
    fn tiny_profile_rules_are_what_the_profile_adds() {
        use crate::ir::profile::RuleCheck;
        let space = tiny_with_profile();
        let rules: Vec<String> = space.profiles[0].profiles[0]
            .common
            .meta
            .rules
            .iter()
            .map(|r| match &r.check {
                RuleCheck::Cardinality { min, max } => format!("{} {min}..{max:?}", r.id),
                RuleCheck::Binding { codes, .. } => format!("{} in {codes:?}", r.id),
                RuleCheck::Pattern(json) => format!("{} ~ {json}", r.id),
                RuleCheck::Fixed(json) => format!("{} = {json}", r.id),
                RuleCheck::Types(types) => format!("{} : {types:?}", r.id),
                RuleCheck::Profile(table) => format!("{} @ {table}", r.id),
            })
            .collect();
        assert_eq!(
            rules,
            [
                "Thing.subject 1..Some(1)",
                "Thing.value[x] ~ \"hello\"",
                "Thing.value[x] : [\"string\"]",
                "Thing.note 1..Some(2)",
                "Thing.note in [\"active\", \"entered-in-error\"]",
                "Thing.part.amount = 1",
                "Thing.part.part 0..Some(0)",
            ]
        );
    }

    #[test]
    fn a_profile_on_an_unknown_type_names_file_and_type() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let core = crate::load::load_package(&fixtures.join("tiny")).unwrap();
        let mut extra = crate::load::load_package(&fixtures.join("tiny-profile")).unwrap();
        for loaded in extra.structures.values_mut() {
            loaded.value.type_name = "Thingy".into();
        }
        let err = crate::ir::profile::build_profile_package(&core, &extra)
            .unwrap_err()
            .to_string();
        assert!(err.contains("StructureDefinition-tiny-thing.json: Thingy: the constrained type is not in the core package"), "{err}");
    }
}
