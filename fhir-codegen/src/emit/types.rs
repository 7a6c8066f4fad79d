//! Rust types for value types and fields. One rule set:
//! - every single-valued element is an `Option` (absent is representable; a missing required
//!   element is a decode error, not a type-level impossibility, so lenient reading can keep it);
//! - single complex values are boxed (the structs are large and mostly absent);
//! - primitives with a JSON `_name` twin are `Primitive<T>`, attributes are bare values.

use crate::ir::{Field, FieldKind, Primitive, TypeDef, ValueType};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The runtime value type of a primitive (in `crate::primitives`).
pub fn primitive_value(ty: Primitive) -> TokenStream {
    match ty {
        Primitive::Boolean => quote!(bool),
        Primitive::Integer => quote!(i32),
        other => {
            let name = match other {
                Primitive::String => "FhirString".to_owned(),
                _ => crate::ir::names::upper_first(other.code()),
            };
            let name = ident(&name);
            quote!(#name)
        }
    }
}

/// The type of one value of an element, before cardinality.
pub fn value(ty: &ValueType) -> TokenStream {
    match ty {
        ValueType::Primitive {
            ty,
            extensible: true,
        } => {
            let inner = primitive_value(*ty);
            quote!(Primitive<#inner>)
        }
        ValueType::Primitive {
            ty,
            extensible: false,
        } => primitive_value(*ty),
        ValueType::Code(name) => {
            let name = ident(name);
            quote!(Primitive<codes::#name>)
        }
        ValueType::Complex { name, .. } | ValueType::Backbone(name) => {
            let name = ident(&crate::ir::names::struct_name(name));
            quote!(#name)
        }
        ValueType::Resource => quote!(Resource),
    }
}

fn is_boxed(ty: &ValueType) -> bool {
    matches!(ty, ValueType::Complex { .. } | ValueType::Backbone(_))
}

/// A choice variant's payload type: complex values boxed, primitives as `Primitive<T>`.
pub fn variant(ty: &ValueType) -> TokenStream {
    let inner = value(ty);
    if is_boxed(ty) {
        quote!(Box<#inner>)
    } else {
        inner
    }
}

pub fn field(def: &TypeDef, field: &Field) -> TokenStream {
    match &field.kind {
        FieldKind::Choice(index) => {
            let name = ident(&def.choices[*index].name);
            quote!(Option<#name>)
        }
        FieldKind::Value(ty) => {
            let inner = value(ty);
            if field.many {
                quote!(Vec<#inner>)
            } else if is_boxed(ty) {
                quote!(Option<Box<#inner>>)
            } else {
                quote!(Option<#inner>)
            }
        }
    }
}

/// A short note on what a field's value is, for its rustdoc (`Reference to Patient | Group`).
pub fn note(ty: &ValueType) -> Option<String> {
    match ty {
        ValueType::Complex { name, targets } if name == "Reference" && !targets.is_empty() => {
            Some(format!("Reference to {}", targets.join(" | ")))
        }
        ValueType::Primitive { ty, .. } => Some(format!("FHIR `{}`", ty.code())),
        _ => None,
    }
}
