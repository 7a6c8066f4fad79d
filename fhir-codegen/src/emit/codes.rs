//! Code enums for required bindings.

use super::docs;
use super::types::ident;
use crate::ir::CodeEnum;
use proc_macro2::TokenStream;
use quote::quote;

pub fn code_enum(e: &CodeEnum, cfg: TokenStream) -> TokenStream {
    let name = ident(&e.name);
    let url = &e.value_set;
    let doc = docs::attrs(&[
        docs::escape(&e.title),
        String::new(),
        format!("Codes of the ValueSet <{url}>, bound with `required` strength."),
    ]);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let mut lines = vec![format!(
            "`{}`{}",
            v.code,
            v.display
                .as_deref()
                .map(|d| format!(": {}", docs::escape(d)))
                .unwrap_or_default()
        )];
        if let Some(def) = v
            .definition
            .as_deref()
            .filter(|d| Some(*d) != v.display.as_deref())
        {
            lines.push(String::new());
            lines.extend(docs::paragraph(def));
        }
        let doc = docs::attrs(&lines);
        quote!(#doc #variant,)
    });
    let to_code = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let code = &v.code;
        quote!(Self::#variant => #code,)
    });
    let from_code = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let code = &v.code;
        quote!(#code => Self::#variant,)
    });
    quote! {
        #doc
        #cfg
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name { #(#variants)* }

        #cfg
        impl crate::CodeEnum for #name {
            const VALUE_SET: &'static str = #url;
            fn code(self) -> &'static str {
                match self { #(#to_code)* }
            }
            fn from_code(code: &str) -> Option<Self> {
                Some(match code {
                    #(#from_code)*
                    _ => return None,
                })
            }
        }
        #cfg
        crate::impl_code_enum!(#name);
    }
}
