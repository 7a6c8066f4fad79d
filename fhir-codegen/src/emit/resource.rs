//! The `Resource` enum over every concrete resource, with its JSON dispatch.

use super::types::ident;
use crate::ir::TypeDef;
use proc_macro2::TokenStream;
use quote::quote;

pub fn resource_enum(resources: &[TypeDef]) -> TokenStream {
    let names: Vec<_> = resources.iter().map(|r| ident(&r.name)).collect();
    let type_names: Vec<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    let contained_arms = resources.iter().map(|r| {
        let name = ident(&r.name);
        if r.root().fields.iter().any(|f| f.json_name == "contained") {
            quote!(Resource::#name(r) => &r.contained,)
        } else {
            quote!(Resource::#name(_) => &[],)
        }
    });
    let variants = resources.iter().map(|r| {
        let name = ident(&r.name);
        let doc = format!(" {}", super::docs::escape(r.root().doc.short.trim()));
        quote!(#[doc = #doc] #name(Box<#name>),)
    });
    quote! {
        use crate::json::{de, Path};
        use crate::resources::*;

        /// Any FHIR R4 resource, tagged in JSON by `resourceType`.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Resource { #(#variants)* }

        impl Resource {
            /// Every resource type name, sorted.
            pub const TYPE_NAMES: &'static [&'static str] = &[#(#type_names),*];

            /// The `resourceType` of this resource.
            pub fn resource_type(&self) -> &'static str {
                match self { #(Resource::#names(_) => #type_names,)* }
            }

            /// The logical id (`Resource.id`), if it has one.
            pub fn id(&self) -> Option<&crate::primitives::Id> {
                match self { #(Resource::#names(r) => crate::ConcreteResource::id(&**r),)* }
            }

            /// Metadata about the resource (`Resource.meta`).
            pub fn meta(&self) -> Option<&crate::datatypes::Meta> {
                match self { #(Resource::#names(r) => r.meta.as_deref(),)* }
            }

            /// Resources contained in this one (none for Bundle, Binary and Parameters).
            pub fn contained(&self) -> &[Resource] {
                match self { #(#contained_arms)* }
            }

            /// The resource type name as written, if `name` is one (`"Patient"`).
            pub fn type_name(name: &str) -> Option<&'static str> {
                Self::TYPE_NAMES.binary_search(&name).ok().map(|i| Self::TYPE_NAMES[i])
            }
        }

        impl crate::visit::Walk for Resource {
            fn walk(&self, w: &mut crate::visit::Walker<'_>) {
                match self { #(Resource::#names(r) => r.walk(w),)* }
            }
            fn walk_mut(&mut self, w: &mut crate::visit::WalkerMut<'_>) {
                match self { #(Resource::#names(r) => r.walk_mut(w),)* }
            }
        }

        impl serde::Serialize for Resource {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self { #(Resource::#names(r) => r.serialize(serializer),)* }
            }
        }

        impl de::ResourceBody for Resource {
            fn decode_body<'de, A: serde::de::MapAccess<'de>>(
                resource_type: &str,
                map: A,
                at: &Path<'_>,
            ) -> Result<Option<Self>, A::Error> {
                Ok(Some(match resource_type {
                    #(#type_names => Resource::#names(Box::new(de::struct_body(map, at)?)),)*
                    _ => return Ok(None),
                }))
            }
        }

        #(
            impl crate::ConcreteResource for #names {
                const TYPE_NAME: &'static str = #type_names;
                fn id(&self) -> Option<&crate::primitives::Id> {
                    self.id.as_ref()?.value()
                }
                fn from_resource(resource: &Resource) -> Option<&Self> {
                    match resource {
                        Resource::#names(r) => Some(r),
                        _ => None,
                    }
                }
                fn from_resource_mut(resource: &mut Resource) -> Option<&mut Self> {
                    match resource {
                        Resource::#names(r) => Some(r),
                        _ => None,
                    }
                }
            }
            impl From<#names> for Resource {
                fn from(r: #names) -> Self {
                    Resource::#names(Box::new(r))
                }
            }
        )*
    }
}
