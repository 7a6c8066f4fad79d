//! `Serialize` impls: elements in definition order, `_name` right after `name`.

use super::types::ident;
use crate::ir::{DefKind, FieldKind, Struct, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

pub fn serialize_impl(def: &TypeDef, s: &Struct, is_root: bool) -> TokenStream {
    let name = ident(&s.name);
    let resource_type = if is_root && def.kind == DefKind::Resource {
        let ty = &def.name;
        quote!(map.serialize_entry("resourceType", #ty)?;)
    } else {
        quote!()
    };
    let entries = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let json = &f.json_name;
        let ext = format!("_{json}");
        match &f.kind {
            FieldKind::Choice(_) => quote!(ser::choice(&mut map, &self.#field)?;),
            FieldKind::Value(ty) if super::keys::is_extensible(ty) => {
                if f.many {
                    quote!(ser::prims(&mut map, #json, #ext, &self.#field)?;)
                } else {
                    quote!(ser::prim(&mut map, #json, #ext, &self.#field)?;)
                }
            }
            FieldKind::Value(crate::ir::ValueType::Primitive { .. }) if !f.many => {
                quote!(ser::attr(&mut map, #json, &self.#field)?;)
            }
            FieldKind::Value(_) if f.many => quote!(ser::many(&mut map, #json, &self.#field)?;),
            FieldKind::Value(_) => quote!(ser::single(&mut map, #json, &self.#field)?;),
        }
    });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #resource_type
                #(#entries)*
                map.end()
            }
        }
    }
}
