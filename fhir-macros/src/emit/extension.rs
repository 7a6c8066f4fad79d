//! `#[derive(FhirExtension)]`: a user type for one extension definition; its fields are
//! sub-extensions (by short URL) or the extension's own `value[x]`.

use crate::model::{Mapped, What};
use crate::shape::Cardinality;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub fn derive(ident: &syn::Ident, url: &str, fields: &[Mapped<'_>]) -> TokenStream {
    let writes = fields.iter().map(write_field);
    let reads = fields.iter().map(read_field);
    let names = fields.iter().map(|f| f.ident);
    quote! {
        #[automatically_derived]
        impl ::fhir_model::mapping::FhirExtension for #ident {
            const URL: &'static str = #url;

            #[allow(unused_mut)]
            fn to_extension(
                &self,
                __at: &str,
            ) -> ::std::result::Result<::fhir_model::datatypes::Extension, ::fhir_model::mapping::MappingError> {
                let mut __ext = ::fhir_model::mapping::new_extension(#url, __at)?;
                #(#writes)*
                ::std::result::Result::Ok(__ext)
            }

            #[allow(unused_variables)]
            fn from_extension(
                __ext: &::fhir_model::datatypes::Extension,
                __at: &str,
                __cx: &::fhir_model::mapping::Context<'_>,
            ) -> ::std::result::Result<Self, ::fhir_model::mapping::MappingError> {
                ::std::result::Result::Ok(#ident {
                    #(#names: #reads,)*
                })
            }
        }
    }
}

fn write_field(f: &Mapped<'_>) -> TokenStream {
    let name = f.ident;
    let item = f.shape.item;
    let body = match &f.what {
        What::Extension { url: Some(url), .. } => quote_spanned!(item.span()=>
            ::fhir_model::mapping::push_value::<#item>(&mut __ext.extension, #url, __value, __at)?;),
        What::Extension { url: None, .. } => quote_spanned!(item.span()=>
            ::fhir_model::mapping::push_extension::<#item>(&mut __ext.extension, __value, __at)?;),
        What::Value => quote_spanned!(item.span()=>
            __ext.value = ::std::option::Option::Some(
                <#item as ::fhir_model::mapping::ToValue>::to_value(__value, &::std::format!("{}.value[x]", __at))?);),
        _ => return TokenStream::new(),
    };
    match f.shape.cardinality {
        Cardinality::One => quote!({ let __value = &self.#name; #body }),
        Cardinality::Optional => {
            quote!(if let ::std::option::Option::Some(__value) = &self.#name { #body })
        }
        Cardinality::Many => quote!(for __value in self.#name.iter() { #body }),
    }
}

fn read_field(f: &Mapped<'_>) -> TokenStream {
    let item = f.shape.item;
    let (one, many, missing) = match &f.what {
        What::Extension { url: Some(url), .. } => (
            quote_spanned!(item.span()=> ::fhir_model::mapping::read_value::<#item>(&__ext.extension, #url, __at, __cx)?),
            quote_spanned!(item.span()=> ::fhir_model::mapping::read_values::<#item>(&__ext.extension, #url, __at, __cx)?),
            quote!(&::std::format!("{}.extension('{}')", __at, #url)),
        ),
        What::Extension { url: None, .. } => (
            quote_spanned!(item.span()=> ::fhir_model::mapping::read_extension::<#item>(&__ext.extension, __at, __cx)?),
            quote_spanned!(item.span()=> ::fhir_model::mapping::read_extensions::<#item>(&__ext.extension, __at, __cx)?),
            quote!(
                &::std::format!("{}.extension('{}')", __at, <#item as ::fhir_model::mapping::FhirExtension>::URL)
            ),
        ),
        What::Value => (
            quote_spanned!(item.span()=> match &__ext.value {
                ::std::option::Option::Some(__e) => ::std::option::Option::Some(
                    <#item as ::fhir_model::mapping::FromValue>::from_value(__e, &::std::format!("{}.value[x]", __at), __cx)?),
                ::std::option::Option::None => ::std::option::Option::None,
            }),
            TokenStream::new(),
            quote!(&::std::format!("{}.value[x]", __at)),
        ),
        _ => return quote!(::std::default::Default::default()),
    };
    match f.shape.cardinality {
        Cardinality::Optional => one,
        Cardinality::Many => many,
        Cardinality::One => quote!(::fhir_model::mapping::required(#one, #missing)?),
    }
}
