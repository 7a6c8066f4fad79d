//! `#[derive(FhirBundle)]`: a struct whose fields are user resources, assembled into one
//! Bundle in field order and taken apart again with references resolved through it.

use crate::shape::{Cardinality, Shape};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub enum Role {
    /// `Bundle.id`.
    Id,
    /// `Bundle.timestamp`.
    Timestamp,
    /// Entries no other field takes, as model resources.
    Rest,
    /// A user resource type (or `Option`/`Vec` of one).
    Resource,
    Skip,
}

pub struct BundleField<'a> {
    pub ident: &'a syn::Ident,
    pub shape: Shape<'a>,
    pub role: Role,
}

pub fn derive(ident: &syn::Ident, kind: &str, fields: &[BundleField<'_>]) -> TokenStream {
    let variant = syn::Ident::new(
        match kind {
            "message" => "Message",
            "transaction" => "Transaction",
            "batch" => "Batch",
            _ => "Collection",
        },
        proc_macro2::Span::call_site(),
    );
    let kind_path = quote!(::fhir_model::codes::BundleType::#variant);
    let mut resources = fields.iter().filter(|f| matches!(f.role, Role::Resource));
    let start = if kind == "message" {
        let header = resources.next().map(|f| {
            let name = f.ident;
            let item = f.shape.item;
            quote_spanned!(item.span()=> ::fhir_model::mapping::message::<#item>(&self.#name)?)
        });
        quote!(let mut __b = #header;)
    } else {
        quote!(let mut __b = ::fhir_model::mapping::builder(#kind_path)?;)
    };
    let adds = resources.map(|f| {
        let name = f.ident;
        match f.shape.cardinality {
            Cardinality::One => quote!(__b = ::fhir_model::mapping::add(__b, &self.#name)?;),
            Cardinality::Optional => quote!(if let ::std::option::Option::Some(__v) = &self.#name { __b = ::fhir_model::mapping::add(__b, __v)?; }),
            Cardinality::Many => quote!(for __v in &self.#name { __b = ::fhir_model::mapping::add(__b, __v)?; }),
        }
    });
    let rests = fields
        .iter()
        .filter(|f| matches!(f.role, Role::Rest))
        .map(|f| {
            let name = f.ident;
            quote!(for __r in &self.#name { __b = __b.entry(::std::clone::Clone::clone(__r)); })
        });
    let attributes = fields.iter().filter_map(|f| {
        let name = f.ident;
        let (field, at) = match f.role {
            Role::Id => (quote!(id), "Bundle.id"),
            Role::Timestamp => (quote!(timestamp), "Bundle.timestamp"),
            _ => return None,
        };
        let item = f.shape.item;
        let convert = quote_spanned!(item.span()=> <#item as ::fhir_model::mapping::ToElement<_>>::to_element(__value, #at)?);
        Some(match f.shape.cardinality {
            Cardinality::Optional => quote!(if let ::std::option::Option::Some(__value) = &self.#name { __bundle.#field = ::std::option::Option::Some(#convert); }),
            _ => quote!({ let __value = &self.#name; __bundle.#field = ::std::option::Option::Some(#convert); }),
        })
    });
    let reads = fields.iter().map(|f| {
        let name = f.ident;
        let item = f.shape.item;
        let field_name = name.to_string();
        let value = match f.role {
            Role::Resource => match f.shape.cardinality {
                Cardinality::One => quote_spanned!(item.span()=> __entries.one::<#item>(#field_name)?),
                Cardinality::Optional => quote_spanned!(item.span()=> __entries.optional::<#item>()?),
                Cardinality::Many => quote_spanned!(item.span()=> __entries.all::<#item>()?),
            },
            Role::Id | Role::Timestamp => {
                let (field, at) = match f.role {
                    Role::Id => (quote!(id), "Bundle.id"),
                    _ => (quote!(timestamp), "Bundle.timestamp"),
                };
                let convert = quote_spanned!(item.span()=> <#item as ::fhir_model::mapping::FromElement<_>>::from_element(__e, #at, &__cx)?);
                match f.shape.cardinality {
                    Cardinality::Optional => quote!(match &__bundle.#field {
                        ::std::option::Option::Some(__e) => ::std::option::Option::Some(#convert),
                        ::std::option::Option::None => ::std::option::Option::None,
                    }),
                    _ => quote!(match &__bundle.#field {
                        ::std::option::Option::Some(__e) => #convert,
                        ::std::option::Option::None => return ::std::result::Result::Err(::fhir_model::mapping::MappingError::missing(#at)),
                    }),
                }
            }
            Role::Rest => quote!(::std::default::Default::default()),
            Role::Skip => quote!(::std::default::Default::default()),
        };
        (name, value)
    });
    let (read_names, read_values): (Vec<_>, Vec<_>) = reads.unzip();
    // Resources are read in field order; `rest` fields take what is left after all of them.
    let rest_takes = fields
        .iter()
        .filter(|f| matches!(f.role, Role::Rest))
        .map(|f| {
            let name = f.ident;
            quote!(__value.#name = __entries.rest();)
        });
    quote! {
        #[automatically_derived]
        impl ::fhir_model::mapping::FhirBundle for #ident {
            fn to_bundle(&self) -> ::std::result::Result<::fhir_model::resources::Bundle, ::fhir_model::mapping::MappingError> {
                #start
                #(#adds)*
                #(#rests)*
                let mut __bundle = ::fhir_model::mapping::finish(__b)?;
                #(#attributes)*
                ::std::result::Result::Ok(__bundle)
            }

            #[allow(unused_mut)]
            fn from_bundle(__bundle: &::fhir_model::resources::Bundle) -> ::std::result::Result<Self, ::fhir_model::mapping::MappingError> {
                let __index = ::fhir_model::bundle::BundleIndex::new(__bundle);
                let __cx = ::fhir_model::mapping::Context::standalone();
                let mut __entries = ::fhir_model::mapping::Entries::new(__bundle, &__index, #kind_path)?;
                let mut __value = #ident {
                    #(#read_names: #read_values,)*
                };
                #(#rest_takes)*
                __entries.finish()?;
                ::std::result::Result::Ok(__value)
            }
        }
    }
}
