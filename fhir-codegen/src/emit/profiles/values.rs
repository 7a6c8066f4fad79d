//! How a typed accessor reads and writes one `value[x]` type of an extension: the variant of
//! the core `ExtensionValue` enum, the Rust type handed out, and the wrapping back.

use crate::emit::types::{ident, primitive_value, value as value_type};
use crate::ir::{names, TypeSpace, ValueType};
use proc_macro2::TokenStream;
use quote::quote;

pub struct ValueAccess {
    /// The Rust type accessors take and return (`Coding`, `FhirString`).
    pub rust: TokenStream,
    /// A closure from `&ExtensionValue` to `Option<&rust>`.
    pub read: TokenStream,
    /// A closure from `rust` to `ExtensionValue`.
    pub write: TokenStream,
}

/// Access for a single FHIR type, or the whole `ExtensionValue` when there are several (or the
/// type is not an `ExtensionValue` variant).
pub fn access(space: &TypeSpace, types: &[String]) -> ValueAccess {
    let whole = ValueAccess {
        rust: quote!(ExtensionValue),
        read: quote!(|v: &ExtensionValue| Some(v)),
        write: quote!(|v: ExtensionValue| v),
    };
    let [ty] = types else {
        return whole;
    };
    let suffix = names::upper_first(ty);
    let variant = space
        .datatypes
        .iter()
        .find(|d| d.name == "Extension")
        .and_then(|d| d.choices.first())
        .and_then(|c| c.variants.iter().find(|v| v.suffix == suffix));
    let Some(variant) = variant else {
        return whole;
    };
    let v = ident(&suffix);
    match &variant.ty {
        ValueType::Primitive { ty, .. } => {
            let rust = primitive_value(*ty);
            ValueAccess {
                read: quote!(|v: &ExtensionValue| match v { ExtensionValue::#v(p) => p.value(), _ => None }),
                write: quote!(|v: #rust| ExtensionValue::#v(Primitive::new(v))),
                rust,
            }
        }
        ValueType::Complex { .. } => {
            let rust = value_type(&variant.ty);
            ValueAccess {
                read: quote!(|v: &ExtensionValue| match v { ExtensionValue::#v(x) => Some(&**x), _ => None }),
                write: quote!(|v: #rust| ExtensionValue::#v(Box::new(v))),
                rust,
            }
        }
        _ => whole,
    }
}
