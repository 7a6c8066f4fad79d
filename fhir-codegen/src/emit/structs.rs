//! Struct definitions with their rustdoc.

use super::{docs, types};
use crate::ir::{DefKind, FieldKind, Struct, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn struct_def(def: &TypeDef, s: &Struct, is_root: bool) -> TokenStream {
    let kind = match (def.kind, is_root) {
        (DefKind::Resource, true) => format!(" (resource, defined by <{}>)", def.url),
        (DefKind::Datatype, true) => format!(" (datatype, defined by <{}>)", def.url),
        _ => " (backbone element)".to_owned(),
    };
    let doc = docs::attrs(&docs::for_type(&s.doc, &s.path, &kind));
    let name = types::ident(&s.name);
    let fields = s.fields.iter().map(|f| {
        let note = match &f.kind {
            FieldKind::Value(v) => types::note(v),
            FieldKind::Choice(i) => Some(format!(
                "one of {}",
                def.choices[*i]
                    .variants
                    .iter()
                    .map(|v| v.suffix.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        let doc = docs::attrs(&docs::for_field(f, note.as_deref()));
        let ident = types::ident(&f.rust_name);
        let ty = types::field(def, f);
        quote! { #doc pub #ident: #ty, }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name { #(#fields)* }
    }
}
