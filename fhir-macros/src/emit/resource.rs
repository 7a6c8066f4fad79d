//! `#[derive(FhirResource)]`: `FhirResource` plus `TryFrom` both ways.

use super::navigate::{read_chain, reference_bound, store_leaf, write_to_parent};
use crate::model::{ElementPath, Mapped, What};
use crate::shape::{self, Cardinality, Target};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub struct ResourceInput<'a> {
    pub ident: &'a syn::Ident,
    /// `::fhir_model::resources::Encounter`.
    pub resource: TokenStream,
    /// `Encounter`.
    pub root: &'static str,
    pub fields: Vec<Mapped<'a>>,
    /// `::fhir_model::us_core::US_CORE_PATIENT`: the profile `to_resource` checks against.
    pub profile: Option<TokenStream>,
}

pub fn derive(input: &ResourceInput<'_>) -> TokenStream {
    let ident = input.ident;
    let resource = &input.resource;
    let writes = input.fields.iter().map(|f| write_field(input.root, f));
    let reads = input.fields.iter().map(|f| read_field(input.root, f));
    let names = input.fields.iter().map(|f| f.ident);
    let checks = input.fields.iter().filter_map(target_check);
    let resource_id = resource_id(input);
    let finish = match &input.profile {
        None => quote!(::fhir_model::mapping::checked(__resource)),
        Some(table) => quote!(::fhir_model::mapping::conforming(
            ::fhir_model::mapping::checked(__resource)?,
            &#table,
        )),
    };
    let full_url = input.fields.iter().find(|f| matches!(f.what, What::FullUrl)).map(|f| {
        let name = f.ident;
        let value = match f.shape.cardinality {
            Cardinality::Optional => quote!(self.#name.as_deref()),
            _ => quote!(::std::option::Option::Some(::std::convert::AsRef::<str>::as_ref(&self.#name))),
        };
        quote! {
            fn full_url(&self) -> ::std::option::Option<&str> { #value }
        }
    });
    quote! {
        #[automatically_derived]
        impl ::fhir_model::mapping::FhirResource for #ident {
            type Resource = #resource;

            fn resource_id(&self) -> ::std::option::Option<&str> { #resource_id }

            #full_url

            #[allow(unused_mut, unused_variables)]
            fn to_resource(&self) -> ::std::result::Result<#resource, ::fhir_model::mapping::MappingError> {
                let mut __resource = <#resource as ::std::default::Default>::default();
                #(#writes)*
                #finish
            }

            #[allow(unused_variables)]
            fn from_resource_in(
                __resource: &#resource,
                __cx: &::fhir_model::mapping::Context<'_>,
            ) -> ::std::result::Result<Self, ::fhir_model::mapping::MappingError> {
                ::std::result::Result::Ok(#ident {
                    #(#names: #reads,)*
                })
            }
        }

        #[automatically_derived]
        impl ::std::convert::TryFrom<&#ident> for #resource {
            type Error = ::fhir_model::mapping::MappingError;
            fn try_from(value: &#ident) -> ::std::result::Result<Self, Self::Error> {
                ::fhir_model::mapping::FhirResource::to_resource(value)
            }
        }

        #[automatically_derived]
        impl ::std::convert::TryFrom<&#resource> for #ident {
            type Error = ::fhir_model::mapping::MappingError;
            fn try_from(value: &#resource) -> ::std::result::Result<Self, Self::Error> {
                <#ident as ::fhir_model::mapping::FhirResource>::from_resource(value)
            }
        }

        #(#checks)*
    }
}

/// `Patient.meta`: the path of the element extensions hang on (the root when `host` is empty).
fn host_path(root: &str, host: &[crate::path::Step]) -> String {
    match host {
        [] => root.to_owned(),
        _ => format!("{root}.{}", crate::path::display(host)),
    }
}

/// An extension host that is a primitive: its extensions are in `Primitive::element`.
fn is_primitive(step: &crate::path::Step) -> bool {
    matches!(
        step.kind,
        crate::meta::Kind::Primitive(_) | crate::meta::Kind::Code(_)
    )
}

fn resource_id(input: &ResourceInput<'_>) -> TokenStream {
    let id_field = input.fields.iter().find(|f| {
        matches!(&f.what, What::Element(p) if p.steps.len() == 1 && p.steps[0].element.name == "id")
    });
    match id_field {
        None => quote!(::std::option::Option::None),
        Some(f) => {
            let name = f.ident;
            match f.shape.cardinality {
                Cardinality::Optional => {
                    quote!(self.#name.as_ref().map(|__id| ::std::convert::AsRef::<str>::as_ref(__id)))
                }
                _ => {
                    quote!(::std::option::Option::Some(::std::convert::AsRef::<str>::as_ref(&self.#name)))
                }
            }
        }
    }
}

/// The path expression for errors: a literal, or `format!` with the item index.
fn at_expr(root: &str, path: &ElementPath) -> TokenStream {
    let text = path.at(root);
    if path.spread.is_some() {
        quote!(&::std::format!(#text, __i))
    } else {
        quote!(#text)
    }
}

fn to_element(f: &Mapped<'_>, at: &TokenStream) -> TokenStream {
    let item = f.shape.item;
    quote_spanned!(item.span()=> <#item as ::fhir_model::mapping::ToElement<_>>::to_element(__value, #at)?)
}

fn from_element(f: &Mapped<'_>, at: &TokenStream) -> TokenStream {
    let item = f.shape.item;
    quote_spanned!(item.span()=> <#item as ::fhir_model::mapping::FromElement<_>>::from_element(__e, #at, __cx)?)
}

fn write_field(root: &str, f: &Mapped<'_>) -> TokenStream {
    let name = f.ident;
    let body = match &f.what {
        What::Element(path) => {
            let at = at_expr(root, path);
            let (leaf, parents) = path.steps.split_last().expect("a resolved path has a step");
            let navigate = write_to_parent(parents, path.spread, &at);
            let spread_leaf = path.spread == Some(path.steps.len() - 1);
            let store = store_leaf(
                leaf,
                spread_leaf,
                path.system.as_deref(),
                to_element(f, &at),
                &at,
            );
            quote!(let __n = &mut __resource; #navigate #store)
        }
        What::Extension { host, url } => {
            let at_text = host_path(root, host);
            let at = quote!(#at_text);
            let (navigate, list) = match host.split_last() {
                Some((last, parents)) if is_primitive(last) => {
                    let field = last.field();
                    (
                        write_to_parent(parents, None, &at),
                        quote!(::fhir_model::mapping::primitive_extensions_mut(&mut __n.#field)),
                    )
                }
                _ => (write_to_parent(host, None, &at), quote!(&mut __n.extension)),
            };
            let item = f.shape.item;
            let push = match url {
                Some(url) => {
                    quote_spanned!(item.span()=> ::fhir_model::mapping::push_value::<#item>(#list, #url, __value, #at)?;)
                }
                None => {
                    quote_spanned!(item.span()=> ::fhir_model::mapping::push_extension::<#item>(#list, __value, #at)?;)
                }
            };
            quote!(let __n = &mut __resource; #navigate #push)
        }
        What::Value | What::FullUrl | What::Skip => return TokenStream::new(),
    };
    match f.shape.cardinality {
        Cardinality::One => quote!({ let __value = &self.#name; #body }),
        Cardinality::Optional => {
            quote!(if let ::std::option::Option::Some(__value) = &self.#name { #body })
        }
        Cardinality::Many => {
            quote!(for (__i, __value) in ::std::iter::Iterator::enumerate(self.#name.iter()) { #body })
        }
    }
}

fn read_field(root: &str, f: &Mapped<'_>) -> TokenStream {
    match &f.what {
        What::Element(path) => read_element(root, f, path),
        What::Extension { host, url } => {
            let at_text = host_path(root, host);
            let at = quote!(#at_text);
            let list = match host.split_last() {
                Some((last, parents)) if is_primitive(last) => {
                    let chain = read_chain(
                        quote!(::std::option::Option::Some(__resource)),
                        parents,
                        None,
                        &at,
                    );
                    let field = last.field();
                    quote!(#chain.map(|__n| ::fhir_model::mapping::primitive_extensions(&__n.#field)).unwrap_or(&[]))
                }
                _ => {
                    let chain = read_chain(
                        quote!(::std::option::Option::Some(__resource)),
                        host,
                        None,
                        &at,
                    );
                    quote!(#chain.map(|__n| __n.extension.as_slice()).unwrap_or(&[]))
                }
            };
            let item = f.shape.item;
            let (one, many) = match url {
                Some(url) => (
                    quote_spanned!(item.span()=> ::fhir_model::mapping::read_value::<#item>(#list, #url, #at, __cx)?),
                    quote_spanned!(item.span()=> ::fhir_model::mapping::read_values::<#item>(#list, #url, #at, __cx)?),
                ),
                None => (
                    quote_spanned!(item.span()=> ::fhir_model::mapping::read_extension::<#item>(#list, #at, __cx)?),
                    quote_spanned!(item.span()=> ::fhir_model::mapping::read_extensions::<#item>(#list, #at, __cx)?),
                ),
            };
            let missing = match url {
                Some(url) => format!("{at_text}.extension('{url}')"),
                None => format!("{at_text}.extension"),
            };
            match f.shape.cardinality {
                Cardinality::Optional => one,
                Cardinality::Many => many,
                Cardinality::One => quote!(::fhir_model::mapping::required(#one, #missing)?),
            }
        }
        What::FullUrl => {
            let url = quote!(__cx
                .full_url()
                .map(<::std::string::String as ::std::convert::From<&str>>::from));
            match f.shape.cardinality {
                Cardinality::Optional => url,
                _ => quote!(#url.unwrap_or_default()),
            }
        }
        What::Value | What::Skip => quote!(::std::default::Default::default()),
    }
}

fn read_element(root: &str, f: &Mapped<'_>, path: &ElementPath) -> TokenStream {
    let system = path.system.as_deref();
    match path.spread {
        None => {
            let at_text = path.at(root);
            let at = quote!(#at_text);
            let chain = read_chain(
                quote!(::std::option::Option::Some(__resource)),
                &path.steps,
                system,
                &at,
            );
            let convert = from_element(f, &at);
            match f.shape.cardinality {
                Cardinality::One => quote!(match #chain {
                    ::std::option::Option::Some(__e) => #convert,
                    ::std::option::Option::None => return ::std::result::Result::Err(::fhir_model::mapping::MappingError::missing(#at)),
                }),
                _ => quote!(match #chain {
                    ::std::option::Option::Some(__e) => ::std::option::Option::Some(#convert),
                    ::std::option::Option::None => ::std::option::Option::None,
                }),
            }
        }
        Some(s) => {
            let at = at_expr(root, path);
            let prefix_text = path.at(root).replace("[{}]", "");
            let prefix = read_chain(
                quote!(::std::option::Option::Some(__resource)),
                &path.steps[..s],
                None,
                &quote!(#prefix_text),
            );
            let spread_field = path.steps[s].field();
            let suffix = read_chain(
                quote!(::std::option::Option::Some(__item)),
                &path.steps[s + 1..],
                system,
                &at,
            );
            let convert = from_element(f, &at);
            quote!({
                let mut __out = ::std::vec::Vec::new();
                if let ::std::option::Option::Some(__p) = #prefix {
                    for (__i, __item) in ::std::iter::Iterator::enumerate(__p.#spread_field.iter()) {
                        if let ::std::option::Option::Some(__e) = #suffix {
                            __out.push(#convert);
                        }
                    }
                }
                __out
            })
        }
    }
}

/// A compile-time check that a `Key<T>` or `TypedReference<R>` field points to a type the
/// element's `targetProfile` allows.
fn target_check(f: &Mapped<'_>) -> Option<TokenStream> {
    let What::Element(path) = &f.what else {
        return None;
    };
    let bound = reference_bound(path.steps.last()?)?;
    let bound = syn::Ident::new(bound, proc_macro2::Span::call_site());
    let span = f.shape.item.span();
    let target = match shape::reference_target(f.shape.item)? {
        Target::Key(user) => {
            quote_spanned!(span=> <#user as ::fhir_model::mapping::FhirResource>::Resource)
        }
        Target::Resource(resource) => quote_spanned!(span=> #resource),
    };
    Some(quote_spanned! {span=>
        const _: () = {
            fn __allowed_target<__T: ::fhir_model::targets::#bound>() {}
            fn __check() { __allowed_target::<#target>() }
        };
    })
}
