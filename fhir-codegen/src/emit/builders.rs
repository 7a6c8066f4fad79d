//! Constructors with the required elements as arguments, and typed reference setters whose
//! bounds make a reference to a disallowed resource type a compile error.

use super::docs;
use super::types::{self, ident};
use crate::ir::{Field, FieldKind, Struct, TypeDef, ValueType};
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The name of the trait listing the allowed targets of a Reference field (`EncounterSubject`).
pub fn target_trait(s: &Struct, field: &Field) -> String {
    format!("{}{}", s.name, field.json_name.to_upper_camel_case())
}

/// Allowed targets of a Reference field, when restricted.
pub fn reference_targets(field: &Field) -> Option<&[String]> {
    match field.kind_value() {
        Some(ValueType::Complex { name, targets })
            if name == "Reference" && !targets.is_empty() =>
        {
            Some(targets)
        }
        _ => None,
    }
}

pub fn builders_impl(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let mut items = Vec::new();
    if let Some(new) = constructor(def, s) {
        items.push(new);
    }
    for field in &s.fields {
        let Some(targets) = reference_targets(field) else {
            continue;
        };
        let field_ident = ident(&field.rust_name);
        let bound = ident(&target_trait(s, field));
        let allowed = targets.join(" | ");
        if field.many {
            let method = format_ident!("push_{}", field.rust_name.trim_end_matches('_'));
            let doc = format!(" Adds a reference to a {allowed} to `{}`.", field.json_name);
            items.push(quote! {
                #[doc = #doc]
                pub fn #method<T: crate::targets::#bound>(&mut self, reference: crate::TypedReference<T>) -> &mut Self {
                    self.#field_ident.push(reference.into());
                    self
                }
            });
        } else {
            let method = format_ident!("set_{}", field.rust_name.trim_end_matches('_'));
            let doc = format!(" Sets `{}` to a reference to a {allowed}.", field.json_name);
            items.push(quote! {
                #[doc = #doc]
                pub fn #method<T: crate::targets::#bound>(&mut self, reference: crate::TypedReference<T>) -> &mut Self {
                    self.#field_ident = Some(Box::new(reference.into()));
                    self
                }
            });
        }
    }
    if items.is_empty() {
        return quote!();
    }
    quote! { impl #name { #(#items)* } }
}

/// `new(required...)`, for structs with required elements.
fn constructor(def: &TypeDef, s: &Struct) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.min > 0).collect();
    if required.is_empty() {
        return None;
    }
    let mut generics = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for (i, f) in required.iter().enumerate() {
        let arg = ident(&f.rust_name);
        let (ty, value) = match &f.kind {
            FieldKind::Choice(index) => {
                let choice = ident(&def.choices[*index].name);
                (quote!(#choice), quote!(Some(#arg)))
            }
            FieldKind::Value(v) => {
                let (ty, one) = match v {
                    ValueType::Primitive {
                        ty,
                        extensible: true,
                    } => {
                        let t = types::primitive_value(*ty);
                        (t, quote!(crate::Primitive::new(#arg)))
                    }
                    ValueType::Primitive {
                        ty,
                        extensible: false,
                    } => (types::primitive_value(*ty), quote!(#arg)),
                    ValueType::Code(code) => {
                        let code = ident(code);
                        (quote!(codes::#code), quote!(crate::Primitive::new(#arg)))
                    }
                    ValueType::Complex { name, .. }
                        if name == "Reference" && reference_targets(f).is_some() =>
                    {
                        let param = format_ident!("T{}", i);
                        let bound = ident(&target_trait(s, f));
                        generics.push(quote!(#param: crate::targets::#bound));
                        (quote!(crate::TypedReference<#param>), quote!(#arg.into()))
                    }
                    ValueType::Complex { .. } | ValueType::Backbone(_) => {
                        (types::value(v), quote!(#arg))
                    }
                    ValueType::Resource => (quote!(Resource), quote!(#arg)),
                };
                let boxed = matches!(v, ValueType::Complex { .. } | ValueType::Backbone(_));
                let value = if f.many {
                    quote!(vec![#one])
                } else if boxed {
                    quote!(Some(Box::new(#one)))
                } else {
                    quote!(Some(#one))
                };
                (ty, value)
            }
        };
        let field = ident(&f.rust_name);
        params.push(quote!(#arg: #ty));
        inits.push(quote!(#field: #value,));
    }
    let names: Vec<String> = required
        .iter()
        .map(|f| {
            format!(
                "`{}`{}",
                f.json_name,
                if f.many { " (its first item)" } else { "" }
            )
        })
        .collect();
    let doc = docs::attrs(&[format!(
        "A new `{}` with its required elements: {}.",
        s.path,
        names.join(", ")
    )]);
    let generics = if generics.is_empty() {
        quote!()
    } else {
        quote!(<#(#generics),*>)
    };
    let name = ident(&s.name);
    // The arguments are the definition's required elements; there are as many as it has.
    let allow = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    Some(quote! {
        #doc
        #allow
        pub fn new #generics (#(#params),*) -> Self {
            #name { #(#inits)* ..Default::default() }
        }
    })
}

/// The `targets` module: one trait per restricted Reference field, implemented by its targets.
pub fn targets_file(space: &crate::ir::TypeSpace) -> TokenStream {
    let mut items = Vec::new();
    for def in space.datatypes.iter().chain(&space.resources) {
        for s in &def.structs {
            for f in &s.fields {
                let Some(targets) = reference_targets(f) else {
                    continue;
                };
                let name = ident(&target_trait(s, f));
                let doc = format!(
                    " Resource types a `{}.{}` reference may point to: {}.",
                    s.path,
                    f.json_name,
                    targets.join(" | ")
                );
                let impls = targets
                    .iter()
                    .filter(|t| space.resources.iter().any(|r| &r.name == *t))
                    .map(|t| {
                        let feature = crate::ir::names::module_name(t);
                        let t = ident(t);
                        quote!(#[cfg(feature = #feature)] impl #name for crate::resources::#t {})
                    });
                let message = format!(
                    "`{{Self}}` is not an allowed target of `{}.{}`",
                    s.path, f.json_name
                );
                let label = format!(
                    "`{}.{}` may refer to {}",
                    s.path,
                    f.json_name,
                    targets.join(" | ")
                );
                items.push(quote! {
                    #[doc = #doc]
                    #[diagnostic::on_unimplemented(message = #message, label = #label)]
                    pub trait #name: crate::ConcreteResource {}
                    #(#impls)*
                });
            }
        }
    }
    quote! {
        //! Allowed target types of Reference elements (from `targetProfile`), as traits, so that
        //! typed setters such as `Encounter::set_subject` only accept those types.
        #(#items)*
    }
}
