//! Code enums for required bindings.

use super::docs;
use super::root::Root;
use super::types::ident;
use crate::ir::CodeEnum;
use proc_macro2::TokenStream;
use quote::quote;

pub fn code_enum(e: &CodeEnum, cfg: TokenStream, root: Root) -> TokenStream {
    let name = ident(&e.name);
    let krate = root.path();
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
    let text_impls = text_impls(&name, root);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name { #(#variants)* }

        #cfg
        impl #krate::CodeEnum for #name {
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
        #text_impls
    }
}

/// `Display`, `FromStr` and `FhirPrimitive`: fhir-model's own macro inside it, written out in a
/// user's crate (the macro is private to fhir-model).
fn text_impls(name: &proc_macro2::Ident, root: Root) -> TokenStream {
    if root == Root::Model {
        return quote!(crate::impl_code_enum!(#name););
    }
    quote! {
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::fhir_model::CodeEnum::code(*self))
            }
        }

        impl ::fhir_model::primitives::FhirPrimitive for #name {
            const FHIR_TYPE: &'static str = "code";
        }

        impl ::std::str::FromStr for #name {
            type Err = ::fhir_model::UnknownCode;
            fn from_str(code: &str) -> ::std::result::Result<Self, Self::Err> {
                <Self as ::fhir_model::CodeEnum>::from_code(code).ok_or_else(|| ::fhir_model::UnknownCode {
                    code: code.to_owned(),
                    value_set: <Self as ::fhir_model::CodeEnum>::VALUE_SET,
                })
            }
        }
    }
}
