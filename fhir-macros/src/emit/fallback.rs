//! Impls emitted next to a derive's errors, with bodies that are never run (the crate does not
//! compile), so that code using the trait does not add errors of its own to the one that matters
//! (as thiserror's `fallback.rs`).

use proc_macro2::TokenStream;
use quote::quote;

/// `FhirResource`, when the resource type is known (the associated type needs one).
pub fn resource(ident: &syn::Ident, resource: Option<&str>) -> TokenStream {
    let Some(resource) = resource else {
        return TokenStream::new();
    };
    let resource = syn::Ident::new(resource, proc_macro2::Span::call_site());
    quote! {
        #[automatically_derived]
        impl ::fhir_model::mapping::FhirResource for #ident {
            type Resource = ::fhir_model::resources::#resource;
            fn resource_id(&self) -> ::std::option::Option<&str> {
                ::std::unreachable!()
            }
            fn to_resource(
                &self,
            ) -> ::std::result::Result<Self::Resource, ::fhir_model::mapping::MappingError> {
                ::std::unreachable!()
            }
            fn from_resource_in(
                _: &Self::Resource,
                _: &::fhir_model::mapping::Context<'_>,
            ) -> ::std::result::Result<Self, ::fhir_model::mapping::MappingError> {
                ::std::unreachable!()
            }
        }
    }
}

pub fn extension(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::fhir_model::mapping::FhirExtension for #ident {
            const URL: &'static str = "";
            fn to_extension(
                &self,
                _: &str,
            ) -> ::std::result::Result<::fhir_model::datatypes::Extension, ::fhir_model::mapping::MappingError> {
                ::std::unreachable!()
            }
            fn from_extension(
                _: &::fhir_model::datatypes::Extension,
                _: &str,
                _: &::fhir_model::mapping::Context<'_>,
            ) -> ::std::result::Result<Self, ::fhir_model::mapping::MappingError> {
                ::std::unreachable!()
            }
        }
    }
}

pub fn bundle(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::fhir_model::mapping::FhirBundle for #ident {
            fn to_bundle(
                &self,
            ) -> ::std::result::Result<::fhir_model::resources::Bundle, ::fhir_model::mapping::MappingError> {
                ::std::unreachable!()
            }
            fn from_bundle(
                _: &::fhir_model::resources::Bundle,
            ) -> ::std::result::Result<Self, ::fhir_model::mapping::MappingError> {
                ::std::unreachable!()
            }
        }
    }
}
