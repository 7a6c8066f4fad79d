//! `Walk` impls: visit every Reference with its element path and allowed targets, immutably
//! and mutably, from one list of per-field steps.

use super::types::ident;
use crate::ir::{Choice, Struct, TypeDef, ValueType};
use proc_macro2::TokenStream;
use quote::quote;

/// One step of a walk: `w.field("name", ...)`, `w.refs("name", ..., targets)` or `w.choice(...)`.
fn step(json: &str, value: TokenStream, ty: Option<&ValueType>) -> Option<TokenStream> {
    match ty {
        Some(ValueType::Primitive {
            extensible: false, ..
        }) => None,
        Some(ValueType::Complex { name, targets }) if name == "Reference" => {
            Some(quote!(w.refs(#json, #value, &[#(#targets),*]);))
        }
        Some(_) => Some(quote!(w.field(#json, #value);)),
        None => Some(quote!(w.choice(#value);)),
    }
}

pub fn walk_impl(def: &TypeDef, s: &Struct, is_root: bool) -> TokenStream {
    let name = ident(&s.name);
    let steps = |mutable: bool| -> Vec<TokenStream> {
        s.fields
            .iter()
            .filter_map(|f| {
                let field = ident(&f.rust_name);
                let value = if mutable {
                    quote!(&mut self.#field)
                } else {
                    quote!(&self.#field)
                };
                step(&f.json_name, value, f.kind_value())
            })
            .collect()
    };
    let (shared, mutable) = (steps(false), steps(true));
    // A Reference reports itself before walking its own parts (its identifier's assigner).
    let found = (is_root && def.name == "Reference").then(|| quote!(w.reference(self);));
    let param = if shared.is_empty() && found.is_none() {
        quote!(_w)
    } else {
        quote!(w)
    };
    quote! {
        impl crate::visit::Walk for #name {
            fn walk(&self, #param: &mut crate::visit::Walker<'_>) { #found #(#shared)* }
            fn walk_mut(&mut self, #param: &mut crate::visit::WalkerMut<'_>) { #found #(#mutable)* }
        }
    }
}

pub fn choice_walk_impl(choice: &Choice, json_base: &str) -> TokenStream {
    let name = ident(&choice.name);
    // `v` is `&T` or `&mut T` by match ergonomics, so one arm list serves both walks.
    let arms: Vec<TokenStream> = choice
        .variants
        .iter()
        .map(|v| {
            let variant = ident(&v.suffix);
            let json = format!("{json_base}{}", v.suffix);
            let step = step(&json, quote!(v), Some(&v.ty)).unwrap_or_else(|| quote!({}));
            quote!(Self::#variant(v) => { #step })
        })
        .collect();
    quote! {
        impl crate::visit::Walk for #name {
            fn walk(&self, w: &mut crate::visit::Walker<'_>) { match self { #(#arms)* } }
            fn walk_mut(&mut self, w: &mut crate::visit::WalkerMut<'_>) { match self { #(#arms)* } }
        }
    }
}
