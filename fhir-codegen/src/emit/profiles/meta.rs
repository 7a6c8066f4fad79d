//! The static `ProfileMeta` table of a profile or extension definition.

use crate::emit::root::Root;
use crate::emit::types::ident;
use crate::ir::profile::{Common, RuleCheck};
use crate::ir::{Invariant, Severity};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

pub fn table(common: &Common, root: Root) -> TokenStream {
    let krate = root.path();
    let name = ident(&common.table);
    let (id, url, base) = (&common.id, &common.url, &common.base);
    let elements = common.meta.elements.iter().map(|e| {
        let (eid, min, max) = (&e.id, num(e.min), max(e.max));
        let types = &e.types;
        quote!(ElementMeta { id: #eid, min: #min, max: #max, types: &[#(#types),*] })
    });
    let slices = common.meta.slices.iter().map(|s| {
        let sid = &s.id;
        let ds = s.discriminators.iter().map(|(p, v)| quote!((#p, #v)));
        quote!(SliceMeta { id: #sid, discriminators: &[#(#ds),*] })
    });
    let rules = common.meta.rules.iter().map(|r| {
        let rid = &r.id;
        let check = match &r.check {
            RuleCheck::Cardinality { min, max: m } => {
                let (min, m) = (num(*min), max(*m));
                quote!(Check::Cardinality { min: #min, max: #m })
            }
            RuleCheck::Fixed(json) => quote!(Check::Fixed(#json)),
            RuleCheck::Pattern(json) => quote!(Check::Pattern(#json)),
            RuleCheck::Binding { value_set, codes } => {
                quote!(Check::Binding { value_set: #value_set, codes: &[#(#codes),*] })
            }
            RuleCheck::Types(types) => quote!(Check::Types(&[#(#types),*])),
            RuleCheck::Profile(table) => {
                let table = ident(table);
                quote!(Check::Profile(&super::#table))
            }
        };
        quote!(Rule { id: #rid, check: #check })
    });
    let constraints = common.meta.constraints.iter().map(|(cid, invariant)| {
        let invariant = invariant_value(invariant, root);
        quote!(#krate::profile::ProfileConstraint { id: #cid, invariant: #invariant })
    });
    let doc = format!(
        " The table of `{id}`: its {} elements with cardinality and types, {} slices, {} rules \
         and {} constraints.",
        common.meta.elements.len(),
        common.meta.slices.len(),
        common.meta.rules.len(),
        common.meta.constraints.len()
    );
    quote! {
        #[doc = #doc]
        pub static #name: ProfileMeta = ProfileMeta {
            id: #id,
            url: #url,
            base: #base,
            elements: &[#(#elements),*],
            slices: &[#(#slices),*],
            rules: &[#(#rules),*],
            constraints: &[#(#constraints),*],
        };
    }
}

/// A profile constraint as a `validate::Invariant` value (a profile's are on no field).
fn invariant_value(i: &Invariant, root: Root) -> TokenStream {
    let krate = root.path();
    let (key, human, expression) = (&i.key, &i.human, &i.expression);
    let severity = match i.severity {
        Severity::Error => quote!(#krate::validate::Severity::Error),
        Severity::Warning => quote!(#krate::validate::Severity::Warning),
    };
    quote! {
        #krate::validate::Invariant {
            key: #key,
            severity: #severity,
            human: #human,
            expression: #expression,
            element: None,
        }
    }
}

fn num(n: u32) -> Literal {
    Literal::u32_unsuffixed(n)
}

fn max(max: Option<u32>) -> TokenStream {
    match max {
        Some(n) => {
            let n = num(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}
