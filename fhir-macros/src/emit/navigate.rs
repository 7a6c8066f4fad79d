//! Code that walks a resolved path in the model: creating elements on the way when writing,
//! following them (`Option` chains) when reading.

use crate::meta::{Kind, Module};
use crate::path::Step;
use proc_macro2::TokenStream;
use quote::quote;

/// `::fhir_model::resources::ObservationValue::Quantity`.
fn variant_path(step: &Step) -> TokenStream {
    let module = match step.owner.module {
        Module::Datatypes => quote!(datatypes),
        Module::Resources => quote!(resources),
    };
    let choice = syn::Ident::new(
        step.element.choice.unwrap_or_default(),
        proc_macro2::Span::call_site(),
    );
    let variant = syn::Ident::new(
        step.variant.unwrap_or_default(),
        proc_macro2::Span::call_site(),
    );
    quote!(::fhir_model::#module::#choice::#variant)
}

fn index_tokens(step: &Step, spread: bool) -> TokenStream {
    match (step.index, spread) {
        (Some(i), _) => quote!(#i),
        (None, true) => quote!(__i),
        (None, false) => quote!(0usize),
    }
}

/// Statements that move `__n` (a `&mut` to the root) down to the element holding the leaf.
/// `at` is the path expression for errors.
pub fn write_to_parent(steps: &[Step], spread: Option<usize>, at: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, step) in steps.iter().enumerate() {
        let field = step.field();
        let statement = if step.element.many {
            let index = index_tokens(step, spread == Some(i));
            quote!(let __n = ::fhir_model::mapping::item_mut(&mut __n.#field, #index);)
        } else if step.variant.is_some() {
            let variant = variant_path(step);
            quote! {
                let __n = match __n.#field.get_or_insert_with(|| #variant(::std::default::Default::default())) {
                    #variant(__x) => &mut **__x,
                    #[allow(unreachable_patterns)]
                    _ => return ::std::result::Result::Err(::fhir_model::mapping::MappingError::new(#at, "the choice already holds another type")),
                };
            }
        } else {
            quote!(let __n = ::fhir_model::mapping::one_mut(&mut __n.#field);)
        };
        out.extend(statement);
    }
    out
}

/// The statement that stores `value` (an expression of the model's type) in the leaf.
pub fn store_leaf(
    leaf: &Step,
    spread: bool,
    system: Option<&str>,
    value: TokenStream,
    at: &TokenStream,
) -> TokenStream {
    let field = leaf.field();
    if let Some(system) = system {
        let node = if leaf.element.many {
            quote!(::fhir_model::mapping::select_mut(&mut __n.#field, #system))
        } else {
            quote!(::fhir_model::mapping::with_system_mut(::fhir_model::mapping::one_mut(&mut __n.#field), #system))
        };
        return quote! {
            let __n = #node.ok_or_else(|| ::fhir_model::mapping::MappingError::new(#at, ::std::concat!("cannot hold system `", #system, "` here")))?;
            *::fhir_model::mapping::BySystem::value_mut(__n, #system) = ::std::option::Option::Some(#value);
        };
    }
    if leaf.element.many {
        let index = index_tokens(leaf, spread);
        return quote!(*::fhir_model::mapping::item_mut(&mut __n.#field, #index) = #value;);
    }
    let wrapped = if leaf.boxed() {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    };
    if leaf.variant.is_some() {
        let variant = variant_path(leaf);
        quote!(__n.#field = ::std::option::Option::Some(#variant(#wrapped));)
    } else {
        quote!(__n.#field = ::std::option::Option::Some(#wrapped);)
    }
}

/// An expression of type `Option<&Leaf>` following `steps` from `start` (an `Option<&_>`).
/// A choice that holds another type is an error (returned from the enclosing function).
pub fn read_chain(
    start: TokenStream,
    steps: &[Step],
    system: Option<&str>,
    at: &TokenStream,
) -> TokenStream {
    let mut chain = start;
    let last = steps.len().saturating_sub(1);
    for (i, step) in steps.iter().enumerate() {
        let field = step.field();
        let leaf = i == last;
        chain = if leaf && system.is_some() {
            let system = system.unwrap_or_default();
            if step.element.many {
                quote!(#chain.and_then(|__n| ::fhir_model::mapping::select(&__n.#field, #system)).and_then(|(_, __x)| ::fhir_model::mapping::BySystem::value_of(__x, #system)))
            } else {
                quote!(#chain.and_then(|__n| __n.#field.as_deref()).filter(|__x| ::fhir_model::mapping::BySystem::has_system(*__x, #system)).and_then(|__x| ::fhir_model::mapping::BySystem::value_of(__x, #system)))
            }
        } else if step.element.many {
            let index = index_tokens(step, false);
            quote!(#chain.and_then(|__n| __n.#field.get(#index)))
        } else if step.variant.is_some() {
            let variant = variant_path(step);
            let payload = if step.boxed() {
                quote!(&**__x)
            } else {
                quote!(__x)
            };
            // Another type in the choice is an error, not an absent value: the data is there.
            let expected = &step.json;
            quote! {
                match #chain.and_then(|__n| __n.#field.as_ref()) {
                    ::std::option::Option::Some(#variant(__x)) => ::std::option::Option::Some(#payload),
                    #[allow(unreachable_patterns)]
                    ::std::option::Option::Some(_) => return ::std::result::Result::Err(
                        ::fhir_model::mapping::MappingError::new(#at, ::std::concat!("holds another type than ", #expected))),
                    ::std::option::Option::None => ::std::option::Option::None,
                }
            }
        } else if step.boxed() {
            quote!(#chain.and_then(|__n| __n.#field.as_deref()))
        } else {
            quote!(#chain.and_then(|__n| __n.#field.as_ref()))
        };
    }
    chain
}

/// Whether the kind of a leaf is a Reference (for target checks).
pub fn reference_bound(leaf: &Step) -> Option<&'static str> {
    match leaf.kind {
        Kind::Reference(_, bound) => bound,
        _ => None,
    }
}
