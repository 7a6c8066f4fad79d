//! The checked model of a derive input: every field's attribute resolved against the FHIR
//! definitions, with all problems collected (see `check`). Emission only reads this.

use crate::attrs::{self, Arg, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::meta::{self, Kind, Struct};
use crate::path::{self, Step};
use crate::shape::{self, Cardinality, Shape};
use proc_macro2::Span;
use syn::{Field, Ident, Type};

/// A mapped struct field.
pub struct Mapped<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub shape: Shape<'a>,
    pub what: What,
}

/// What a field maps to.
pub enum What {
    /// An element reached by a path.
    Element(ElementPath),
    /// Extensions with one URL on the resource or on the element at `host`.
    Extension {
        host: Vec<Step>,
        /// `None`: the field's type implements `FhirExtension` and knows its URL.
        url: Option<String>,
    },
    /// The extension's own `value[x]` (FhirExtension only).
    Value,
    /// The Bundle entry's `fullUrl`.
    FullUrl,
    /// Not mapped.
    Skip,
}

pub struct ElementPath {
    pub steps: Vec<Step>,
    pub system: Option<String>,
    /// The step whose items the field's `Vec` spreads over.
    pub spread: Option<usize>,
    pub span: Span,
}

impl ElementPath {
    /// `Encounter.diagnosis[{}].condition` with `{}` at the spread step, for `format!`.
    pub fn at(&self, root: &str) -> String {
        let mut out = root.to_owned();
        for (i, step) in self.steps.iter().enumerate() {
            out.push('.');
            out.push_str(&step.display());
            if Some(i) == self.spread {
                out.push_str("[{}]");
            }
        }
        out
    }
}

/// Resolves one field of a resource (or extension host) struct.
pub fn field<'a>(
    root: &'static Struct,
    field: &'a Field,
    extension_only: bool,
    cx: &mut Ctxt,
) -> Option<Mapped<'a>> {
    let ident = field.ident.as_ref()?;
    let attrs = attrs::field(&field.attrs, cx);
    let derive = if extension_only {
        crate::check::Derive::Extension
    } else {
        crate::check::Derive::Resource
    };
    crate::check::field(derive, &attrs, cx);
    let shape = shape::shape(&field.ty);
    let what = what(root, &attrs, &shape, extension_only, ident, cx)?;
    Some(Mapped {
        ident,
        ty: &field.ty,
        shape,
        what,
    })
}

fn what(
    root: &'static Struct,
    attrs: &FieldAttrs,
    shape: &Shape<'_>,
    extension_only: bool,
    ident: &Ident,
    cx: &mut Ctxt,
) -> Option<What> {
    for (flag, name) in [
        (attrs.id, "id"),
        (attrs.timestamp, "timestamp"),
        (attrs.rest, "rest"),
    ] {
        if let Some(span) = flag {
            cx.error(
                span,
                format!(
                    "`{name}` is an attribute of FhirBundle fields; use `path = \"{name}\"` here"
                ),
            );
        }
    }
    if attrs.skip.is_some() {
        return Some(What::Skip);
    }
    if let Some(span) = attrs.full_url {
        if extension_only {
            cx.error(
                span,
                "an extension has no Bundle entry and so no `full_url`",
            );
            return None;
        }
        return Some(What::FullUrl);
    }
    if let Some(span) = attrs.value {
        if !extension_only {
            cx.error(
                span,
                "`value` maps an extension's value[x]; on a resource use `path`",
            );
            return None;
        }
        return Some(What::Value);
    }
    if let Some(url) = &attrs.extension {
        let host = match (&attrs.path, extension_only) {
            (Some(p), false) => host_path(root, p, cx)?,
            (Some(p), true) => {
                cx.error(p.span, "sub-extensions have no `path`");
                return None;
            }
            (None, _) => Vec::new(),
        };
        if let Some(system) = &attrs.system {
            cx.error(
                system.span,
                "`system` selects among Identifiers or Codings; not for extensions",
            );
        }
        return Some(What::Extension {
            host,
            url: url.as_ref().map(|u| u.value.clone()),
        });
    }
    if extension_only {
        cx.error(
            ident,
            "map each field of an extension with `#[fhir(extension = \"name\")]`, `#[fhir(value)]` or `#[fhir(skip)]`",
        );
        return None;
    }
    let Some(path) = &attrs.path else {
        cx.error(
            ident,
            format!(
                "`{ident}` maps to no element of {}: add `#[fhir(path = \"...\")]`, `#[fhir(extension = \"url\")]` or `#[fhir(skip)]`",
                root.path
            ),
        );
        return None;
    };
    let steps = match path::resolve(root, &path.value) {
        Ok(steps) => steps,
        Err(message) => {
            cx.error(path.span, message);
            return None;
        }
    };
    let element = check_element(root, path, steps, attrs.system.as_ref(), shape, cx)?;
    Some(What::Element(element))
}

/// The element an extension hangs on: single elements only, with an `extension` list.
fn host_path(root: &'static Struct, path: &Arg, cx: &mut Ctxt) -> Option<Vec<Step>> {
    let steps = match path::resolve(root, &path.value) {
        Ok(steps) => steps,
        Err(message) => {
            cx.error(path.span, message);
            return None;
        }
    };
    let Some(last) = steps.last() else {
        return Some(steps);
    };
    if steps.iter().any(|s| s.element.many && s.index.is_none()) {
        cx.error(
            path.span,
            "an extension's host must be one element: index repeating ones (`name[0]`)",
        );
        return None;
    }
    let has_extensions = matches!(last.kind, Kind::Primitive(_) | Kind::Code(_))
        || last
            .kind
            .struct_name()
            .and_then(meta::find_struct)
            .is_some_and(|s| s.elements.iter().any(|e| e.name == "extension"));
    if !has_extensions || last.element.choice.is_some() {
        cx.error(
            path.span,
            format!(
                "`{}` cannot carry extensions here (a FHIR {})",
                last.json,
                last.kind.fhir_name()
            ),
        );
        return None;
    }
    Some(steps)
}

const SYSTEM_TYPES: &[&str] = &["Identifier", "Coding", "CodeableConcept", "ContactPoint"];

fn check_element(
    root: &'static Struct,
    path: &Arg,
    steps: Vec<Step>,
    system: Option<&Arg>,
    shape: &Shape<'_>,
    cx: &mut Ctxt,
) -> Option<ElementPath> {
    let full = format!("{}.{}", root.path, path::display(&steps));
    let leaf = steps.last()?;
    if matches!(leaf.kind, Kind::AnyResource) {
        cx.error(
            path.span,
            format!("`{full}` holds whole resources, which a field cannot map"),
        );
        return None;
    }
    if let Some(system) = system {
        let fits = matches!(leaf.kind, Kind::Complex(name) if SYSTEM_TYPES.contains(&name));
        if !fits || leaf.element.choice.is_some() {
            cx.error(
                system.span,
                format!(
                    "`system` picks among {}; `{full}` is a FHIR {}",
                    SYSTEM_TYPES.join(", "),
                    leaf.kind.fhir_name()
                ),
            );
            return None;
        }
    }
    let last = steps.len() - 1;
    let repeating: Vec<usize> = steps
        .iter()
        .enumerate()
        .filter(|(i, s)| s.element.many && s.index.is_none() && !(*i == last && system.is_some()))
        .map(|(i, _)| i)
        .collect();
    if repeating.len() > 1 {
        let names: Vec<&str> = repeating.iter().map(|&i| steps[i].json.as_str()).collect();
        cx.error(
            path.span,
            format!(
                "`{full}` repeats at `{}`; pick one item of all but one with an index, e.g. `{}[0]`",
                names.join("` and `"),
                names[0]
            ),
        );
        return None;
    }
    let spread = repeating.first().copied();
    let cardinality = cardinality_text(&steps);
    match (shape.cardinality, spread) {
        (Cardinality::Many, None) => {
            cx.error(
                path.span,
                format!("`{full}` is {cardinality}: a `Vec` field cannot map it; use `Option<_>`"),
            );
            return None;
        }
        (Cardinality::One | Cardinality::Optional, Some(i)) => {
            let element = &steps[i];
            cx.error(
                path.span,
                format!(
                    "`{}.{}` is {}: map it with a `Vec<_>` field, or pick one item with `{}[0]`",
                    element.owner.path,
                    element.json,
                    element.element.cardinality(),
                    element.json
                ),
            );
            return None;
        }
        (Cardinality::One, None) => {
            let optional = steps.iter().find(|s| {
                s.element.min == 0 || s.index.is_some_and(|i| i > 0) || s.variant.is_some()
            });
            if let Some(step) = optional.or(system.and(steps.last())) {
                let why = if system.is_some() && step.element.min > 0 {
                    "may lack that system".to_owned()
                } else {
                    format!("is {}", step_cardinality(step))
                };
                cx.error(
                    path.span,
                    format!(
                        "`{}.{}` {why}: reading it into a field needs `Option<_>`",
                        step.owner.path, step.json
                    ),
                );
                return None;
            }
        }
        _ => {}
    }
    Some(ElementPath {
        steps,
        system: system.map(|s| s.value.clone()),
        spread,
        span: path.span,
    })
}

fn step_cardinality(step: &Step) -> String {
    if step.variant.is_some() {
        "one of several types".to_owned()
    } else if step.index.is_some_and(|i| i > 0) {
        "an item that may not exist".to_owned()
    } else {
        step.element.cardinality()
    }
}

/// `0..1`, or `0..*` when any step repeats.
fn cardinality_text(steps: &[Step]) -> String {
    let min = if steps.iter().all(|s| s.element.min > 0) {
        1
    } else {
        0
    };
    let many = steps.iter().any(|s| s.element.many && s.index.is_none());
    format!("{min}..{}", if many { "*" } else { "1" })
}

/// Every required element of every struct the mapping creates must be mapped by some field:
/// the root's, and those of each element a path passes through.
pub fn check_required(root: &'static Struct, fields: &[Mapped<'_>], span: Span, cx: &mut Ctxt) {
    let paths: Vec<&ElementPath> = fields
        .iter()
        .filter_map(|f| match &f.what {
            What::Element(p) => Some(p),
            _ => None,
        })
        .collect();
    let covered = |prefix: &[Step], name: &str| {
        paths.iter().any(|p| {
            p.steps.len() > prefix.len()
                && same_prefix(&p.steps[..prefix.len()], prefix)
                && p.steps[prefix.len()].element.name == name
        })
    };
    for element in root.elements.iter().filter(|e| e.min > 0) {
        if !maps_root_element(fields, element.name) {
            cx.error(
                span,
                format!(
                    "`{}.{}` is required ({}) but no field maps it; add a field with `#[fhir(path = \"{}\")]`",
                    root.path,
                    element.name,
                    element.cardinality(),
                    example_name(element)
                ),
            );
        }
    }
    let mut reported = Vec::new();
    for p in &paths {
        if p.system.is_some() {
            continue;
        }
        for depth in 1..p.steps.len() {
            let prefix = &p.steps[..depth];
            let Some(node) = prefix[depth - 1]
                .kind
                .struct_name()
                .and_then(meta::find_struct)
            else {
                continue;
            };
            for element in node.elements.iter().filter(|e| e.min > 0) {
                let key = format!("{}.{}", path::display(prefix), element.name);
                if !covered(prefix, element.name) && !reported.contains(&key) {
                    cx.error(
                        p.span,
                        format!(
                            "`{}.{}` is required ({}) in each `{}` this field creates, but no field maps it",
                            root.path,
                            key,
                            element.cardinality(),
                            path::display(prefix)
                        ),
                    );
                    reported.push(key);
                }
            }
        }
    }
}

/// Whether some field's path starts at the root's element `name`.
fn maps_root_element(fields: &[Mapped<'_>], name: &str) -> bool {
    fields
        .iter()
        .any(|f| matches!(&f.what, What::Element(p) if p.steps[0].element.name == name))
}

fn example_name(element: &meta::Element) -> String {
    match element.choice {
        Some(_) => format!("{}{}", element.name, element.types[0].0),
        None => element.name.to_owned(),
    }
}

fn same_prefix(a: &[Step], b: &[Step]) -> bool {
    a.iter().zip(b).all(|(x, y)| {
        std::ptr::eq(x.element, y.element) && x.index == y.index && x.variant == y.variant
    })
}

/// What a profile requires beyond its base must be mapped too (US Core Patient: identifier,
/// name, gender).
pub fn check_profile_required(
    root: &'static Struct,
    profile: &meta::ProfileInfo,
    fields: &[Mapped<'_>],
    span: Span,
    cx: &mut Ctxt,
) {
    for required in &profile.required {
        let name = required.trim_end_matches("[x]");
        let mapped = maps_root_element(fields, name);
        let in_base = root.elements.iter().any(|e| e.name == name && e.min > 0);
        if !mapped && !in_base {
            cx.error(
                span,
                format!(
                    "`{}.{required}` is required by profile `{}` but no field maps it",
                    root.path, profile.id
                ),
            );
        }
    }
}
