//! `DecodeStruct` impls: a key table and one arm per JSON key, each a call into the runtime's
//! shared helpers (`crate::json::de`), so the per-element code stays one line.

use super::keys::{keys, Action};
use super::types::ident;
use crate::ir::{DefKind, Struct, TypeDef, ValueType};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub fn decode_impl(def: &TypeDef, s: &Struct, is_root: bool) -> TokenStream {
    let name = ident(&s.name);
    let path = &s.path;
    let resource_type = if is_root && def.kind == DefKind::Resource {
        quote!(Some(#path))
    } else {
        quote!(None)
    };
    let required: Vec<&str> = s
        .fields
        .iter()
        .filter(|f| f.min > 0)
        .map(|f| f.json_name.as_str())
        .collect();
    let keys = keys(def, &s.fields);
    let ids = keys.iter().enumerate().map(|(i, k)| {
        let json = &k.json;
        let id = Literal::u16_unsuffixed(i as u16);
        quote!(#json => #id,)
    });
    let arms = keys.iter().enumerate().map(|(i, k)| {
        let id = Literal::u16_unsuffixed(i as u16);
        let field = ident(&k.field.rust_name);
        // Choices are named by their JSON key (`valueQuantity`), which says which type failed.
        let element = match &k.action {
            Action::ChoiceValue { .. } | Action::ChoicePrimitiveValue { .. } | Action::ChoicePrimitiveExt { .. } => {
                k.json.trim_start_matches('_')
            }
            _ => k.field.json_name.as_str(),
        };
        let call = match &k.action {
            Action::Value(ValueType::Primitive { .. }) if !k.field.many => {
                quote!(de::attr(map, &mut self.#field, &at.field(#element)))
            }
            Action::Value(ValueType::Complex { .. } | ValueType::Backbone(_)) if !k.field.many => {
                quote!(de::boxed(map, &mut self.#field, &at.field(#element)))
            }
            Action::Value(_) if k.field.many => {
                quote!(de::many(map, &mut self.#field, &at.field(#element)))
            }
            Action::Value(_) => quote!(de::single(map, &mut self.#field, &at.field(#element))),
            Action::PrimitiveValue if k.field.many => {
                quote!(de::prim_values(map, &mut self.#field, &at.field(#element)))
            }
            Action::PrimitiveValue => {
                quote!(de::prim_value(map, &mut self.#field, &at.field(#element)))
            }
            Action::PrimitiveExt if k.field.many => {
                quote!(de::prim_exts(map, &mut self.#field, &at.field(#element)))
            }
            Action::PrimitiveExt => {
                quote!(de::prim_ext(map, &mut self.#field, &at.field(#element)))
            }
            Action::ChoiceValue { choice, variant } => {
                let (choice, variant) = (ident(choice), ident(variant));
                quote!(de::choice(map, &mut self.#field, &at.field(#element), #choice::#variant))
            }
            Action::ChoicePrimitiveValue { choice, variant }
            | Action::ChoicePrimitiveExt { choice, variant } => {
                let helper = if matches!(k.action, Action::ChoicePrimitiveValue { .. }) {
                    quote!(de::choice_value)
                } else {
                    quote!(de::choice_ext)
                };
                let (choice, variant) = (ident(choice), ident(variant));
                quote!(#helper(map, &mut self.#field, &at.field(#element), crate::json::variant!(#choice::#variant)))
            }
        };
        match required.iter().position(|r| *r == k.field.json_name) {
            Some(bit) => {
                let mask = Literal::u64_unsuffixed(1u64 << bit);
                quote!(#id => { *seen |= #mask; #call })
            }
            None => quote!(#id => #call,),
        }
    });
    let aligned: Vec<TokenStream> = s
        .fields
        .iter()
        .filter(|f| f.many && f.kind_value().is_some_and(super::keys::is_extensible))
        .map(|f| {
            let field = ident(&f.rust_name);
            let element = &f.json_name;
            quote!(de::check_aligned(&self.#field, &at.field(#element))?;)
        })
        .collect();
    let finish = if aligned.is_empty() {
        quote!()
    } else {
        quote! {
            fn finish(&self, at: &Path<'_>) -> Result<(), String> {
                #(#aligned)*
                Ok(())
            }
        }
    };
    let seen = if required.is_empty() {
        quote!(_seen)
    } else {
        quote!(seen)
    };
    quote! {
        impl de::DecodeStruct for #name {
            const PATH: &'static str = #path;
            const RESOURCE_TYPE: Option<&'static str> = #resource_type;
            const REQUIRED: &'static [&'static str] = &[#(#required),*];
            fn field_id(key: &str) -> Option<u16> {
                Some(match key {
                    #(#ids)*
                    _ => return None,
                })
            }
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                id: u16,
                map: &mut A,
                at: &Path<'_>,
                #seen: &mut u64,
            ) -> Result<(), A::Error> {
                match id {
                    #(#arms)*
                    _ => Ok(()),
                }
            }
            #finish
        }
        crate::json::impl_json!(#name);
    }
}
