//! The `Resource` enum over every concrete resource, with its JSON dispatch. Each resource is
//! behind its cargo feature, so every per-resource line carries that `cfg`; matches go through
//! `*self` so that they still compile when no resource is enabled.

use super::features::cfg;
use super::types::ident;
use crate::ir::TypeDef;
use proc_macro2::TokenStream;
use quote::quote;

pub fn resource_enum(resources: &[TypeDef]) -> TokenStream {
    let cfgs: Vec<TokenStream> = resources.iter().map(cfg).collect();
    let names: Vec<_> = resources.iter().map(|r| ident(&r.name)).collect();
    let type_names: Vec<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    let features: Vec<String> = resources
        .iter()
        .map(super::features::feature_name)
        .collect();
    let contained_arms = resources.iter().zip(&cfgs).map(|(r, cfg)| {
        let name = ident(&r.name);
        if r.root().fields.iter().any(|f| f.json_name == "contained") {
            quote!(#cfg Resource::#name(ref r) => &r.contained,)
        } else {
            quote!(#cfg Resource::#name(_) => &[],)
        }
    });
    let text_arms = resources.iter().zip(&cfgs).map(|(r, cfg)| {
        let name = ident(&r.name);
        if r.root().fields.iter().any(|f| f.json_name == "text") {
            quote!(#cfg Resource::#name(ref r) => Some(r.text.as_deref()),)
        } else {
            quote!(#cfg Resource::#name(_) => None,)
        }
    });
    let variants = resources.iter().zip(&cfgs).map(|(r, cfg)| {
        let name = ident(&r.name);
        let doc = format!(" {}", super::docs::escape(r.root().doc.short.trim()));
        quote!(#[doc = #doc] #cfg #name(Box<#name>),)
    });
    quote! {
        use crate::json::{de, Path};
        #[allow(unused_imports)]
        use crate::resources::*;

        /// Any FHIR R4 resource, tagged in JSON by `resourceType`.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Resource { #(#variants)* }

        impl Resource {
            /// Every R4 resource type name, sorted (whether or not its feature is enabled).
            pub const TYPE_NAMES: &'static [&'static str] = &[#(#type_names),*];

            /// The cargo feature of each name in [`Resource::TYPE_NAMES`].
            pub const FEATURES: &'static [&'static str] = &[#(#features),*];

            /// The `resourceType` of this resource.
            pub fn resource_type(&self) -> &'static str {
                match *self { #(#cfgs Resource::#names(_) => #type_names,)* }
            }

            /// The logical id (`Resource.id`), if it has one.
            pub fn id(&self) -> Option<&crate::primitives::Id> {
                match *self { #(#cfgs Resource::#names(ref r) => crate::ConcreteResource::id(&**r),)* }
            }

            /// Metadata about the resource (`Resource.meta`).
            pub fn meta(&self) -> Option<&crate::datatypes::Meta> {
                match *self { #(#cfgs Resource::#names(ref r) => r.meta.as_deref(),)* }
            }

            /// Resources contained in this one (none for Bundle, Binary and Parameters).
            pub fn contained(&self) -> &[Resource] {
                match *self { #(#contained_arms)* }
            }

            /// The narrative (`DomainResource.text`): `None` for Bundle, Binary and Parameters,
            /// which are not DomainResources; `Some(None)` when a DomainResource has none.
            pub fn narrative(&self) -> Option<Option<&crate::datatypes::Narrative>> {
                match *self { #(#text_arms)* }
            }

            /// The resource type name as written, if `name` is one (`"Patient"`).
            pub fn type_name(name: &str) -> Option<&'static str> {
                Self::TYPE_NAMES.binary_search(&name).ok().map(|i| Self::TYPE_NAMES[i])
            }
        }

        impl crate::validate::Validate for Resource {
            const IS_RESOURCE: bool = true;
            #[allow(unused_variables)]
            fn validate<'a>(&'a self, v: &mut crate::validate::Validator<'a>) {
                match *self { #(#cfgs Resource::#names(ref r) => r.validate(v),)* }
            }
        }

        // With no resource feature enabled the enum is empty and the matches have no arms.
        #[allow(unused_variables)]
        impl crate::visit::Walk for Resource {
            fn walk(&self, w: &mut crate::visit::Walker<'_>) {
                match *self { #(#cfgs Resource::#names(ref r) => r.walk(w),)* }
            }
            fn walk_mut(&mut self, w: &mut crate::visit::WalkerMut<'_>) {
                match *self { #(#cfgs Resource::#names(ref mut r) => r.walk_mut(w),)* }
            }
        }

        #[allow(unused_variables)]
        impl serde::Serialize for Resource {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match *self { #(#cfgs Resource::#names(ref r) => r.serialize(serializer),)* }
            }
        }

        impl de::ResourceBody for Resource {
            #[allow(unreachable_code)]
            fn decode_body<'de, A: serde::de::MapAccess<'de>>(
                resource_type: &str,
                map: A,
                at: &Path<'_>,
            ) -> Result<Option<Self>, A::Error> {
                Ok(Some(match resource_type {
                    #(#cfgs #type_names => de::resource_body::<A, #names>(map, at)?,)*
                    _ => {
                        let _ = (map, at);
                        return Ok(None);
                    }
                }))
            }
        }
    }
}

/// `ConcreteResource` and `From` for one resource, emitted in its own (feature-gated) file.
pub fn concrete_impls(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    quote! {
        impl crate::ConcreteResource for #name {
            const TYPE_NAME: &'static str = #type_name;
            fn id(&self) -> Option<&crate::primitives::Id> {
                self.id.as_ref()?.value()
            }
            fn from_resource(resource: &Resource) -> Option<&Self> {
                match resource {
                    Resource::#name(r) => Some(r),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
            fn from_resource_mut(resource: &mut Resource) -> Option<&mut Self> {
                match resource {
                    Resource::#name(r) => Some(r),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        impl From<#name> for Resource {
            fn from(r: #name) -> Self {
                Resource::#name(Box::new(r))
            }
        }
    }
}
