//! `Validate` impls: cardinality, reference targets and recursion into children, one call per
//! element; the rules themselves (ele-1, ext-1, bdl-*) live in the runtime's `validate` module.

use super::builders::reference_targets;
use super::types::ident;
use crate::fhirpath::{Check, Types};
use crate::ir::{Choice, DefKind, FieldKind, Invariant, Severity, Struct, TypeDef, ValueType};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub fn validate_impl(def: &TypeDef, s: &Struct, is_root: bool, types: &Types<'_>) -> TokenStream {
    let name = ident(&s.name);
    let steps = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let json = &f.json_name;
        let min = Literal::usize_unsuffixed(f.min as usize);
        match &f.kind {
            FieldKind::Choice(_) => quote!(v.choice(#json, &self.#field, #min);),
            FieldKind::Value(ValueType::Primitive {
                extensible: false, ..
            }) => quote!(v.attr(#json, &self.#field, #min);),
            FieldKind::Value(ValueType::Complex { name, .. }) if name == "Reference" => {
                let targets = reference_targets(f).unwrap_or(&[]);
                quote!(v.refs(#json, &self.#field, #min, &[#(#targets),*]);)
            }
            FieldKind::Value(_) => quote!(v.field(#json, &self.#field, #min);),
        }
    });
    let rules = match (is_root, def.name.as_str()) {
        (true, "Extension") => quote!(v.ext_1(self.value.is_some(), !self.extension.is_empty());),
        (true, "Bundle") => quote!(v.bundle(self);),
        _ => quote!(),
    };
    let is_resource = is_root && def.kind == DefKind::Resource;
    let resource = is_resource.then(|| {
        quote!(
            const IS_RESOURCE: bool = true;
        )
    });
    let invariants = invariants_const(s);
    let checks = s
        .all_invariants()
        .enumerate()
        .map(|(i, (element, invariant))| {
            let check = crate::fhirpath::check(types, def, s, element, invariant);
            invariant_check(s, i, element, check)
        });
    // `%resource` and `%rootResource` of interpreted constraints inside.
    let (enter, leave) = if is_resource {
        (
            quote!(#[cfg(feature = "fhirpath")] v.enter_resource(self);),
            quote!(#[cfg(feature = "fhirpath")] v.leave_resource();),
        )
    } else {
        (quote!(), quote!())
    };
    quote! {
        impl crate::validate::Validate for #name {
            #resource
            #invariants
            fn validate<'a>(&'a self, v: &mut crate::validate::Validator<'a>) {
                #enter
                #(#steps)*
                #rules
                #(#checks)*
                #leave
            }
        }
    }
}

/// The statement that checks constraint `index` of `INVARIANTS` on `self`, or on each item
/// of the field `element`.
fn invariant_check(s: &Struct, index: usize, element: Option<&str>, check: Check) -> TokenStream {
    let index = Literal::usize_unsuffixed(index);
    let invariant = quote!(&Self::INVARIANTS[#index]);
    let (body, engine) = match check {
        Check::Compiled(holds) => (quote!(v.invariant(#invariant, #holds);), false),
        Check::Mixed(holds) => (quote!(v.invariant(#invariant, #holds);), true),
        Check::Interpreted(_) => (quote!(v.interpret_invariant(#invariant, this);), true),
    };
    let cfg = engine.then(|| quote!(#[cfg(feature = "fhirpath")]));
    match element {
        None => quote!(#cfg { let this = self; #body }),
        Some(name) => {
            let field = s
                .fields
                .iter()
                .find(|f| f.json_name == name)
                .expect("a field's constraint names the field");
            let rust = ident(&field.rust_name);
            // A choice's value is the context, at its typed name (`probabilityRange`).
            let each = match (&field.kind, engine) {
                (FieldKind::Choice(_), true) => quote!(each_choice),
                _ => quote!(each),
            };
            quote!(#cfg v.#each(#name, &self.#rust, |v, this| { #body });)
        }
    }
}

pub fn choice_validate_impl(choice: &Choice, json_base: &str) -> TokenStream {
    let name = ident(&choice.name);
    let arms = choice.variants.iter().map(|variant| {
        let v_ident = ident(&variant.suffix);
        let json = format!("{json_base}{}", variant.suffix);
        match &variant.ty {
            ValueType::Complex { name, targets } if name == "Reference" => {
                quote!(Self::#v_ident(x) => v.variant_ref(#json, x, &[#(#targets),*]),)
            }
            _ => quote!(Self::#v_ident(x) => v.variant(#json, x),),
        }
    });
    quote! {
        impl crate::validate::Validate for #name {
            fn validate<'a>(&'a self, v: &mut crate::validate::Validator<'a>) {
                match self { #(#arms)* }
            }
        }
    }
}

/// The struct's FHIRPath constraints and those of its fields, as the definitions write them.
fn invariants_const(s: &Struct) -> Option<TokenStream> {
    let entries: Vec<TokenStream> = s
        .all_invariants()
        .map(|(element, i)| invariant(element, i))
        .collect();
    if entries.is_empty() {
        return None;
    }
    Some(quote! {
        const INVARIANTS: &'static [crate::validate::Invariant] = &[#(#entries),*];
    })
}

pub(crate) fn invariant(element: Option<&str>, i: &Invariant) -> TokenStream {
    let Invariant {
        key,
        human,
        expression,
        ..
    } = i;
    let severity = match i.severity {
        Severity::Error => quote!(crate::validate::Severity::Error),
        Severity::Warning => quote!(crate::validate::Severity::Warning),
    };
    let element = match element {
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    quote! {
        crate::validate::Invariant {
            key: #key,
            severity: #severity,
            human: #human,
            expression: #expression,
            element: #element,
        }
    }
}
