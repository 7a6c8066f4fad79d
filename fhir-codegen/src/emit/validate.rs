//! `Validate` impls: cardinality, reference targets and recursion into children, one call per
//! element; the rules themselves (ele-1, ext-1, bdl-*) live in the runtime's `validate` module.

use super::builders::reference_targets;
use super::types::ident;
use crate::fhirpath::{Check, Types};
use crate::ir::{
    Choice, DefKind, FieldKind, Invariant, Severity, Struct, TypeDef, TypeSpace, ValueType,
};
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
    let table = quote!(Self::INVARIANTS);
    let shared = is_resource.then(|| domain_invariants(s)).flatten();
    let all: Vec<(Option<&str>, &Invariant)> = s.all_invariants().collect();
    let in_shared = |i: usize| shared.as_ref().is_some_and(|range| range.contains(&i));
    // DomainResource's constraints: one call, where the first of them stands.
    let mut shared_call = shared.as_ref().map(|range| {
        let start = Literal::usize_unsuffixed(range.start);
        let end = Literal::usize_unsuffixed(range.end);
        quote! {
            crate::generated::resource::domain_resource_invariants(
                v,
                &Self::INVARIANTS[#start..#end],
                crate::generated::resource::DomainParts {
                    contained: &self.contained,
                    text: &self.text,
                },
            );
        }
    });
    let mut checks = Vec::new();
    for (i, &(element, invariant)) in all.iter().enumerate() {
        // Constraints with the same expression on the same element (txt-1 and txt-2 are both
        // `htmlChecks()`) are evaluated once, with the first, and reported under each key.
        let same = |j: &usize| {
            let (e, other) = all[*j];
            !in_shared(*j) && e == element && other.expression == invariant.expression
        };
        if in_shared(i) {
            if shared.as_ref().is_some_and(|range| range.start == i) {
                checks.extend(shared_call.take());
            }
            continue;
        }
        if (0..i).any(|j| same(&j)) {
            continue;
        }
        let indices: Vec<usize> = (i..all.len()).filter(same).collect();
        let check = crate::fhirpath::check(types, def, s, element, invariant);
        checks.push(invariant_check(
            s,
            &table,
            &quote!(self),
            &indices,
            element,
            check,
        ));
    }
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

/// The keys of DomainResource's own constraints, inherited unchanged by every resource but
/// Bundle, Binary and Parameters.
const DOMAIN_KEYS: [&str; 5] = ["dom-2", "dom-3", "dom-4", "dom-5", "dom-6"];

/// Where a resource's constraint list holds DomainResource's constraints, in order. They are
/// checked by one shared function (`domain_resource_fn`) instead of ~100 lines per resource.
fn domain_invariants(s: &Struct) -> Option<std::ops::Range<usize>> {
    let keys: Vec<(Option<&str>, &str)> = s
        .all_invariants()
        .map(|(element, i)| (element, i.key.as_str()))
        .collect();
    let start = keys
        .iter()
        .position(|&(element, key)| element.is_none() && key == DOMAIN_KEYS[0])?;
    let range = start..start + DOMAIN_KEYS.len();
    let found = keys.get(range.clone())?;
    let same = found
        .iter()
        .zip(DOMAIN_KEYS)
        .all(|(&(element, key), want)| element.is_none() && key == want);
    same.then_some(range)
}

/// `domain_resource_invariants` and the borrowed parts it reads, compiled once from the
/// first resource that inherits DomainResource's constraints (they read only `contained`
/// and `text`, which every such resource has with the same types).
pub fn domain_resource_fn(space: &TypeSpace, types: &Types<'_>) -> TokenStream {
    let Some((def, s, range)) = space.resources.iter().find_map(|def| {
        let s = def.structs.first()?;
        domain_invariants(s).map(|range| (def, s, range))
    }) else {
        return quote!();
    };
    let table = quote!(invariants);
    let checks = s
        .all_invariants()
        .enumerate()
        .filter(|(i, _)| range.contains(i))
        .map(|(i, (element, invariant))| {
            let check = crate::fhirpath::check(types, def, s, element, invariant);
            invariant_check(
                s,
                &table,
                &quote!(&parts),
                &[i - range.start],
                element,
                check,
            )
        });
    quote! {
        /// What DomainResource's constraints read of a resource.
        pub(crate) struct DomainParts<'a> {
            pub contained: &'a [Resource],
            pub text: &'a Option<Box<crate::datatypes::Narrative>>,
        }

        /// dom-2 to dom-6 (`invariants`, in that order) on one resource, shared by every
        /// resource that inherits them. Unused when no such resource's feature is on.
        #[allow(dead_code)]
        pub(crate) fn domain_resource_invariants<'a>(
            v: &mut crate::validate::Validator<'a>,
            invariants: &'static [crate::validate::Invariant],
            parts: DomainParts<'a>,
        ) {
            #(#checks)*
        }
    }
}

/// The statement that checks the constraints `indices` of `table` (one expression) on
/// `subject` (the struct), or on each item of the field `element` of `self`.
fn invariant_check(
    s: &Struct,
    table: &TokenStream,
    subject: &TokenStream,
    indices: &[usize],
    element: Option<&str>,
    check: Check,
) -> TokenStream {
    let invariants: Vec<TokenStream> = indices
        .iter()
        .map(|&i| {
            let i = Literal::usize_unsuffixed(i);
            quote!(&#table[#i])
        })
        .collect();
    let report = |holds: TokenStream| match &invariants[..] {
        [one] => quote!(v.invariant(#one, #holds);),
        many => quote! {
            let holds = #holds;
            #(v.invariant(#many, holds);)*
        },
    };
    let (body, engine) = match check {
        Check::Compiled(holds) => (report(holds), false),
        Check::Mixed(holds) | Check::CompiledFhirpath(holds) => (report(holds), true),
        Check::Interpreted(_) => (quote!(#(v.interpret_invariant(#invariants, this);)*), true),
    };
    let cfg = engine.then(|| quote!(#[cfg(feature = "fhirpath")]));
    match element {
        None => quote!(#cfg { let this = #subject; #body }),
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
