//! Choice elements (`value[x]`) as enums, one variant per allowed type.

use super::docs;
use super::keys::is_extensible;
use super::types::{self, ident};
use crate::ir::{Choice, ValueType};
use proc_macro2::TokenStream;
use quote::quote;

pub fn choice_enum(choice: &Choice, json_base: &str) -> TokenStream {
    let name = ident(&choice.name);
    let examples: Vec<String> = choice
        .variants
        .iter()
        .take(2)
        .map(|v| format!("`{json_base}{}`", v.suffix))
        .collect();
    let doc = docs::attrs(&[
        format!("Choice of types for `{}`.", choice.path),
        String::new(),
        format!(
            "In JSON the element name carries the type ({}, ...).",
            examples.join(", ")
        ),
    ]);
    let variants = choice.variants.iter().map(|v| {
        let variant = ident(&v.suffix);
        let ty = types::variant(&v.ty);
        let note = match &v.ty {
            ValueType::Complex { name, targets } if name == "Reference" && !targets.is_empty() => {
                format!(" (to {})", targets.join(" | "))
            }
            _ => String::new(),
        };
        let doc = format!(" `{json_base}{}`{note}", v.suffix);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let arms = choice.variants.iter().map(|v| {
        let variant = ident(&v.suffix);
        let json = format!("{json_base}{}", v.suffix);
        if is_extensible(&v.ty) {
            let ext = format!("_{json}");
            quote!(Self::#variant(v) => ser::prim_one(map, #json, #ext, v),)
        } else {
            quote!(Self::#variant(v) => map.serialize_entry(#json, v),)
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name { #(#variants)* }

        impl ser::EncodeChoice for #name {
            fn encode<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
                match self { #(#arms)* }
            }
        }
    }
}
