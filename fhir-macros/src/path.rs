//! Element paths in attributes (`period.start`, `name[0].given`, `valueQuantity.value`):
//! parsed, then resolved step by step against the generated metadata.

use crate::meta::{self, Element, Kind, Struct};
use crate::suggest::did_you_mean;

/// One resolved step of a path.
pub struct Step {
    pub owner: &'static Struct,
    pub element: &'static Element,
    /// The type suffix of a choice (`Quantity` of `valueQuantity`).
    pub variant: Option<&'static str>,
    pub kind: Kind,
    /// `[n]`: one item of a repeating element.
    pub index: Option<usize>,
    /// As written in JSON (`valueQuantity`).
    pub json: String,
}

impl Step {
    /// The Rust field on the owner.
    pub fn field(&self) -> syn::Ident {
        syn::Ident::new(self.element.field, proc_macro2::Span::call_site())
    }

    /// Whether the value is boxed when single (complex values are; primitives are not).
    pub fn boxed(&self) -> bool {
        matches!(
            self.kind,
            Kind::Complex(_) | Kind::Backbone(_) | Kind::Reference(..)
        )
    }

    /// `name[0]`, `valueQuantity`.
    pub fn display(&self) -> String {
        match self.index {
            Some(i) => format!("{}[{i}]", self.json),
            None => self.json.clone(),
        }
    }
}

/// `a.b[0].c` into names and indices.
fn parse(text: &str) -> Result<Vec<(&str, Option<usize>)>, String> {
    if text.is_empty() {
        return Err("the path is empty".into());
    }
    text.split('.')
        .map(|segment| {
            let (name, index) = match segment.split_once('[') {
                Some((name, rest)) => {
                    let digits = rest
                        .strip_suffix(']')
                        .ok_or_else(|| format!("`{segment}`: an index is written `[0]`"))?;
                    let index = digits
                        .parse::<usize>()
                        .map_err(|_| format!("`{segment}`: the index must be a number"))?;
                    (name, Some(index))
                }
                None => (segment, None),
            };
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(format!("`{segment}` is not an element name"));
            }
            Ok((name, index))
        })
        .collect()
}

/// The JSON names an element can be written as (a choice: one per type).
fn json_names(element: &'static Element) -> Vec<String> {
    match element.choice {
        None => vec![element.name.to_owned()],
        Some(_) => element
            .types
            .iter()
            .map(|(suffix, _)| format!("{}{suffix}", element.name))
            .collect(),
    }
}

fn find_element(
    owner: &'static Struct,
    name: &str,
) -> Option<(&'static Element, Option<&'static str>, Kind)> {
    owner.elements.iter().find_map(|e| match e.choice {
        None => (e.name == name).then(|| (e, None, e.types[0].1)),
        Some(_) => {
            let suffix = name.strip_prefix(e.name)?;
            e.types
                .iter()
                .find(|(s, _)| *s == suffix)
                .map(|(s, k)| (e, Some(*s), *k))
        }
    })
}

/// Resolves `text` from `root`, or explains what is wrong with the nearest valid name.
pub fn resolve(root: &'static Struct, text: &str) -> Result<Vec<Step>, String> {
    let mut owner = root;
    let mut steps: Vec<Step> = Vec::new();
    let segments = parse(text)?;
    let count = segments.len();
    for (position, (name, index)) in segments.into_iter().enumerate() {
        let here = match steps.last() {
            None => root.path.to_owned(),
            Some(_) => format!("{}.{}", root.path, display(&steps)),
        };
        let Some((element, variant, kind)) = find_element(owner, name) else {
            let candidates: Vec<String> = owner.elements.iter().flat_map(json_names).collect();
            let bare_choice = owner
                .elements
                .iter()
                .find(|e| e.choice.is_some() && e.name == name);
            if let Some(choice) = bare_choice {
                return Err(format!(
                    "`{here}.{name}[x]` is a choice of types; name one, e.g. `{}`",
                    json_names(choice).join("`, `")
                ));
            }
            return Err(format!(
                "{here} has no element `{name}`{}",
                did_you_mean(name, candidates.iter().map(|s| s.as_str()))
            ));
        };
        if index.is_some() && !element.many {
            return Err(format!(
                "`{here}.{name}` is {} and has no items to index",
                element.cardinality()
            ));
        }
        steps.push(Step {
            owner,
            element,
            variant,
            kind,
            index,
            json: name.to_owned(),
        });
        if position + 1 < count {
            let next = kind.struct_name().and_then(meta::find_struct);
            owner = match (kind, next) {
                (Kind::Complex(_) | Kind::Backbone(_) | Kind::Reference(..), Some(s)) => s,
                _ => {
                    return Err(format!(
                        "`{here}.{name}` is a FHIR {} and has no elements to map into",
                        kind.fhir_name()
                    ))
                }
            };
        }
    }
    Ok(steps)
}

/// The path as written, from a resolved list (`name[0].given`).
pub fn display(steps: &[Step]) -> String {
    steps
        .iter()
        .map(Step::display)
        .collect::<Vec<_>>()
        .join(".")
}
