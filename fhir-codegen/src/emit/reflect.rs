//! `fhirpath::Reflect` impls: FHIRPath navigates the typed model through them. Per struct one
//! `match` from FHIR element name to field, so the generated code stays small; a choice field
//! answers to its base name (`value`) and to its typed names (`valueQuantity`) through the
//! choice enum's `fhirpath::Choice` impl. Everything is behind the `fhirpath` feature.

use super::types::ident;
use crate::ir::{Choice, FieldKind, Struct, TypeDef, ValueType};
use proc_macro2::TokenStream;
use quote::quote;

fn is_boxed(ty: &ValueType) -> bool {
    matches!(ty, ValueType::Complex { .. } | ValueType::Backbone(_))
}

pub fn reflect_impl(def: &TypeDef, s: &Struct, is_root: bool) -> TokenStream {
    let name = ident(&s.name);
    // A struct's FHIR type: the definition's name at its root, `BackboneElement` inside
    // (`Element` for the few nested parts of datatypes), as `type()` reports it.
    let type_name = if is_root {
        def.name.clone()
    } else if def.kind == crate::ir::DefKind::Resource {
        "BackboneElement".to_owned()
    } else {
        "Element".to_owned()
    };
    let elements = s.fields.iter().map(|f| {
        let json = &f.json_name;
        let card = match f.kind {
            FieldKind::Choice(_) => quote!(Choice),
            FieldKind::Value(_) if f.many => quote!(Many),
            FieldKind::Value(_) => quote!(One),
        };
        quote!((#json, crate::fhirpath::Card::#card))
    });
    // One arm per element, by its index in `elements()`: an integer match compiles to a
    // jump table, far less code than matching names. Lookup by name (and by typed choice
    // name) is done once, in `fhirpath::reflect`, for every type.
    let arms: Vec<TokenStream> = s
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            let field = ident(&f.rust_name);
            // One line per field; `opt`/`many` are tiny helpers instantiated once per type.
            match &f.kind {
                FieldKind::Choice(_) => quote!(#i => out.choice(self.#field.as_ref()),),
                FieldKind::Value(_) if f.many => quote!(#i => out.many(&self.#field),),
                FieldKind::Value(ty) if is_boxed(ty) => {
                    quote!(#i => out.opt(self.#field.as_deref()),)
                }
                FieldKind::Value(_) => quote!(#i => out.opt(self.#field.as_ref()),),
            }
        })
        .collect();
    let (index_param, out_param) = if arms.is_empty() {
        (quote!(_index), quote!(_out))
    } else {
        (quote!(index), quote!(out))
    };
    let invariants = s.all_invariants().next().is_some().then(|| {
        quote! {
            fn invariants(&self) -> &'static [crate::validate::Invariant] {
                <Self as crate::validate::Validate>::INVARIANTS
            }
        }
    });
    quote! {
        #[cfg(feature = "fhirpath")]
        impl crate::fhirpath::Reflect for #name {
            fn fhir_type(&self) -> &'static str { #type_name }
            #invariants
            fn elements(&self) -> &'static [(&'static str, crate::fhirpath::Card)] {
                &[#(#elements),*]
            }
            fn child_at<'a>(&'a self, #index_param: usize, #out_param: &mut crate::fhirpath::Nodes<'a>) {
                match #index_param { #(#arms)* _ => {} }
            }
        }
    }
}

pub fn choice_reflect_impl(choice: &Choice) -> TokenStream {
    let name = ident(&choice.name);
    let arms = choice.variants.iter().map(|v| {
        let variant = ident(&v.suffix);
        if is_boxed(&v.ty) {
            quote!(Self::#variant(v) => &**v,)
        } else {
            quote!(Self::#variant(v) => v,)
        }
    });
    quote! {
        #[cfg(feature = "fhirpath")]
        impl crate::fhirpath::Choice for #name {
            fn value(&self) -> &dyn crate::fhirpath::Reflect {
                match self { #(#arms)* }
            }
        }
    }
}

/// `Reflect` for the `Resource` enum: every call goes to the concrete resource.
pub fn resource_reflect_impl(resources: &[TypeDef]) -> TokenStream {
    let cfgs: Vec<TokenStream> = resources.iter().map(super::features::cfg).collect();
    let names: Vec<_> = resources.iter().map(|r| ident(&r.name)).collect();
    quote! {
        #[cfg(feature = "fhirpath")]
        impl Resource {
            /// The concrete resource as a FHIRPath node.
            pub fn as_reflect(&self) -> &dyn crate::fhirpath::Reflect {
                match *self { #(#cfgs Resource::#names(ref r) => &**r,)* }
            }
        }
    }
}

/// `memberOf()` support: whether a code is in a ValueSet the model enumerates (the ValueSets
/// of required bindings, one arm per code enum); `None` for a ValueSet it does not know.
pub fn member_of_fn(
    codes: &[crate::ir::CodeEnum],
    cfg: impl Fn(&str) -> TokenStream,
) -> TokenStream {
    let arms = codes.iter().map(|c| {
        let name = ident(&c.name);
        let url = &c.value_set;
        let cfg = cfg(&c.name);
        quote!(#cfg #url => Some(<#name as crate::CodeEnum>::from_code(code).is_some()),)
    });
    quote! {
        /// Whether `code` is in the ValueSet `url` (without version), for FHIRPath `memberOf()`,
        /// or `None` when the ValueSet is not one the model enumerates.
        #[cfg(feature = "fhirpath")]
        pub fn member_of(url: &str, code: &str) -> Option<bool> {
            match url {
                #(#arms)*
                _ => {
                    let _ = code;
                    None
                }
            }
        }
    }
}
