//! Required bindings to enumerable ValueSets become Rust enums.
//!
//! A ValueSet is enumerable when every `include` lists its codes, or names a complete CodeSystem
//! of the package without filters (recursively through included ValueSets). Anything else (an
//! external system such as BCP-47, a filter) stays an open `code`.

use super::names;
use crate::load::{CodeSystem, Concept, Package, ValueSet};
use std::collections::{BTreeMap, BTreeSet};

/// Where ValueSets and CodeSystems are looked up: a profile package's own first, then core's,
/// so that a package can bind to its own ValueSets.
#[derive(Clone, Copy)]
pub struct Terminology<'a> {
    core: &'a Package,
    own: Option<&'a Package>,
}

impl<'a> Terminology<'a> {
    /// Core's ValueSets and CodeSystems only.
    pub fn core(core: &'a Package) -> Self {
        Terminology { core, own: None }
    }

    /// A profile package's terminology in front of core's.
    pub fn with_package(core: &'a Package, own: &'a Package) -> Self {
        Terminology {
            core,
            own: Some(own),
        }
    }

    fn value_set(&self, url: &str) -> Option<&'a ValueSet> {
        let own = self.own.and_then(|p| p.value_sets.get(url));
        own.or_else(|| self.core.value_sets.get(url))
            .map(|l| &l.value)
    }

    fn code_system(&self, url: &str) -> Option<&'a CodeSystem> {
        let own = self.own.and_then(|p| p.code_systems.get(url));
        own.or_else(|| self.core.code_systems.get(url))
            .map(|l| &l.value)
    }
}

#[derive(Debug, Clone)]
pub struct CodeEnum {
    pub name: String,
    /// Canonical URL of the ValueSet, without version.
    pub value_set: String,
    pub title: String,
    pub variants: Vec<CodeVariant>,
}

#[derive(Debug, Clone)]
pub struct CodeVariant {
    pub code: String,
    pub rust_name: String,
    pub display: Option<String>,
    pub definition: Option<String>,
}

/// Expands ValueSets on demand and remembers the result (and the names handed out).
#[derive(Default)]
pub struct CodeEnums {
    by_url: BTreeMap<String, Option<CodeEnum>>,
    names: BTreeSet<String>,
}

impl CodeEnums {
    /// The enum for a required binding's ValueSet, or `None` if it cannot be enumerated.
    pub fn for_value_set(&mut self, terms: Terminology, url: &str) -> Option<String> {
        if !self.by_url.contains_key(url) {
            let expanded = expand(terms, url, &mut BTreeSet::new());
            let made = expanded.zip(terms.value_set(url)).map(|(codes, vs)| {
                let base = vs.name.as_deref().map(names::enum_name).unwrap_or_default();
                let name = self.unique_name(base, url);
                CodeEnum {
                    name,
                    value_set: url.to_owned(),
                    title: vs
                        .title
                        .clone()
                        .or_else(|| vs.name.clone())
                        .unwrap_or_default(),
                    variants: variants(codes),
                }
            });
            self.by_url.insert(url.to_owned(), made);
        }
        self.by_url[url].as_ref().map(|e| e.name.clone())
    }

    /// All enums made, sorted by name.
    pub fn into_sorted(self) -> Vec<CodeEnum> {
        let mut all: Vec<CodeEnum> = self.by_url.into_values().flatten().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all
    }

    fn unique_name(&mut self, base: String, url: &str) -> String {
        let mut name = if base.is_empty() {
            names::enum_name(url.rsplit('/').next().unwrap_or("Codes"))
        } else {
            base
        };
        if self.names.contains(&name) {
            name = format!(
                "{name}{}",
                names::enum_name(url.rsplit('/').next().unwrap_or(""))
            );
        }
        while self.names.contains(&name) {
            name.push('_');
        }
        self.names.insert(name.clone());
        name
    }
}

/// The codes of a ValueSet, for profile binding rules; `None` if it cannot be enumerated.
pub fn value_set_codes(terms: Terminology, url: &str) -> Option<Vec<String>> {
    let codes = expand(terms, url, &mut BTreeSet::new())?;
    Some(codes.into_iter().map(|c| c.code).collect())
}

/// Codes in definition order, deduplicated by code text; `None` if not enumerable.
fn expand(terms: Terminology, url: &str, visiting: &mut BTreeSet<String>) -> Option<Vec<Concept>> {
    if !visiting.insert(url.to_owned()) {
        return None; // A cycle of includes cannot be enumerated.
    }
    let compose = terms.value_set(url)?.compose.as_ref()?;
    let mut codes: Vec<Concept> = Vec::new();
    for set in &compose.include {
        if !set.filter.is_empty() {
            return None;
        }
        if !set.concept.is_empty() {
            let system = set.system.as_deref().and_then(|s| terms.code_system(s));
            for c in &set.concept {
                let from_system = system.and_then(|s| find(&s.concept, &c.code));
                codes.push(Concept {
                    code: c.code.clone(),
                    display: c
                        .display
                        .clone()
                        .or_else(|| from_system.and_then(|s| s.display.clone())),
                    definition: from_system.and_then(|s| s.definition.clone()),
                    concept: Vec::new(),
                });
            }
        } else if let Some(system) = &set.system {
            let cs = terms.code_system(system)?;
            if cs.content != "complete" {
                return None;
            }
            flatten(&cs.concept, &mut codes);
        }
        for nested in &set.value_set {
            codes.extend(expand(
                terms,
                nested.split('|').next().unwrap_or(nested),
                visiting,
            )?);
        }
    }
    for set in &compose.exclude {
        if set.concept.is_empty() {
            return None;
        }
        codes.retain(|c| !set.concept.iter().any(|x| x.code == c.code));
    }
    let mut seen = BTreeSet::new();
    codes.retain(|c| seen.insert(c.code.clone()));
    visiting.remove(url);
    (!codes.is_empty()).then_some(codes)
}

fn find<'a>(concepts: &'a [Concept], code: &str) -> Option<&'a Concept> {
    concepts.iter().find_map(|c| {
        if c.code == code {
            Some(c)
        } else {
            find(&c.concept, code)
        }
    })
}

fn flatten(concepts: &[Concept], out: &mut Vec<Concept>) {
    for c in concepts {
        out.push(Concept {
            code: c.code.clone(),
            display: c.display.clone(),
            definition: c.definition.clone(),
            concept: Vec::new(),
        });
        flatten(&c.concept, out);
    }
}

/// Rust variant names, made unique by numbering in code order.
fn variants(codes: Vec<Concept>) -> Vec<CodeVariant> {
    let mut used = BTreeSet::new();
    codes
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut rust_name = names::variant_name(&c.code).unwrap_or_else(|| format!("Code{i}"));
            if !used.insert(rust_name.clone()) {
                let mut n = 2;
                while !used.insert(format!("{rust_name}{n}")) {
                    n += 1;
                }
                rust_name = format!("{rust_name}{n}");
            }
            CodeVariant {
                code: c.code,
                rust_name,
                display: c.display,
                definition: c.definition,
            }
        })
        .collect()
}
