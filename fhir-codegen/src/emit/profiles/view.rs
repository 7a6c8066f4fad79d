//! A profile view: the base resource, owned, with typed accessors for the profile's extension
//! slices and validation against the profile. `Deref` gives the resource's own fields.

use crate::emit::docs;
use crate::emit::root::Root;
use crate::emit::types::ident;
use crate::ir::profile::{ExtensionSlice, ProfileDef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn profile_view(def: &ProfileDef, root: Root) -> TokenStream {
    let c = &def.common;
    let (krate, krate_doc) = (root.path(), root.doc());
    let name = ident(&c.rust_name);
    let base = ident(&c.base);
    let table = ident(&c.table);
    let url = &c.url;
    let mut doc = vec![docs::escape(&c.title), String::new()];
    doc.extend(docs::paragraph(&c.description));
    doc.push(String::new());
    doc.push(format!(
        "Profile `{}` (<{url}>) on [`{}`]; its table is [`{}`].",
        c.id, c.base, c.table
    ));
    let doc = docs::attrs(&doc);
    let accessors = def.extension_slices.iter().filter_map(slice_accessors);
    // The profile's own FHIRPath constraints need the engine: a feature of fhir-model, which a
    // user's crate cannot test with `cfg`, so there they stay with `check_constraints`.
    let validate = if c.meta.constraints.is_empty() || root == Root::User {
        quote!(#krate::profile::validate(&self.resource, &#table))
    } else {
        quote! {
            #[allow(unused_mut)]
            let mut issues = #krate::profile::validate(&self.resource, &#table);
            #[cfg(feature = "fhirpath")]
            issues.extend(#krate::profile::check_constraints(&self.resource, &#table));
            issues
        }
    };
    let validate_doc = format!(" [`{krate_doc}::validate::validate_resource`] for the base rules.");
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            resource: #base,
        }

        impl #name {
            /// The profile's canonical URL.
            pub const URL: &'static str = #url;

            /// Views a resource through the profile (nothing is checked: see [`Self::validate`]).
            pub fn new(resource: #base) -> Self {
                #name { resource }
            }

            /// The resource.
            pub fn into_inner(self) -> #base {
                self.resource
            }

            /// What the profile requires beyond the base type (cardinality, fixed and pattern
            /// values, required bindings, extension slices, its own constraints); combine with
            #[doc = #validate_doc]
            pub fn validate(&self) -> Vec<#krate::validate::Issue> {
                #validate
            }

            #(#accessors)*
        }

        impl From<#base> for #name {
            fn from(resource: #base) -> Self {
                #name { resource }
            }
        }

        impl From<#name> for #base {
            fn from(view: #name) -> #base {
                view.resource
            }
        }

        impl std::ops::Deref for #name {
            type Target = #base;
            fn deref(&self) -> &#base {
                &self.resource
            }
        }

        impl std::ops::DerefMut for #name {
            fn deref_mut(&mut self) -> &mut #base {
                &mut self.resource
            }
        }
    }
}

fn slice_accessors(slice: &ExtensionSlice) -> Option<TokenStream> {
    let ty = ident(slice.rust_type.as_ref()?);
    let getter = ident(&slice.accessor);
    let setter = ident(&format!("set_{}", slice.accessor.trim_end_matches('_')));
    let max = slice.max.map_or("*".to_owned(), |m| m.to_string());
    let facts = format!(
        " Slice `{}` of `extension`: <{}> · `{}..{max}`",
        slice.name, slice.url, slice.min
    );
    Some(if slice.max == Some(1) {
        quote! {
            #[doc = #facts]
            #[doc = ""]
            #[doc = " A copy of the first extension with this URL."]
            pub fn #getter(&self) -> Option<#ty> {
                extension::with_url(&self.resource.extension, #ty::URL)
                    .find_map(|e| #ty::from_extension(e.clone()).ok())
            }
            /// Replaces the extension in place (`None` removes it); other extensions are untouched.
            pub fn #setter(&mut self, value: Option<#ty>) {
                let values = value.into_iter().map(Extension::from).collect();
                extension::replace(&mut self.resource.extension, #ty::URL, values);
            }
        }
    } else {
        quote! {
            #[doc = #facts]
            #[doc = ""]
            #[doc = " Copies of the extensions with this URL."]
            pub fn #getter(&self) -> Vec<#ty> {
                extension::with_url(&self.resource.extension, #ty::URL)
                    .filter_map(|e| #ty::from_extension(e.clone()).ok())
                    .collect()
            }
            /// Replaces these extensions in place; other extensions are untouched.
            pub fn #setter(&mut self, values: Vec<#ty>) {
                let values = values.into_iter().map(Extension::from).collect();
                extension::replace(&mut self.resource.extension, #ty::URL, values);
            }
        }
    })
}
