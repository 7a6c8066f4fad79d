//! Required bindings to enumerable ValueSets become Rust enums.
//!
//! A ValueSet is enumerable when every `include` lists its codes, or names a complete CodeSystem
//! of the package without filters (recursively through included ValueSets). Anything else (an
//! external system such as BCP-47, a filter) stays an open `code`.

use super::names;
use crate::load::{Concept, Package};
use std::collections::{BTreeMap, BTreeSet};

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
    pub fn for_value_set(&mut self, package: &Package, url: &str) -> Option<String> {
        if !self.by_url.contains_key(url) {
            let made = expand(package, url, &mut BTreeSet::new()).map(|codes| {
                let vs = &package.value_sets[url].value;
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
pub fn value_set_codes(package: &Package, url: &str) -> Option<Vec<String>> {
    let codes = expand(package, url, &mut BTreeSet::new())?;
    Some(codes.into_iter().map(|c| c.code).collect())
}

/// Codes in definition order, deduplicated by code text; `None` if not enumerable.
fn expand(package: &Package, url: &str, visiting: &mut BTreeSet<String>) -> Option<Vec<Concept>> {
    if !visiting.insert(url.to_owned()) {
        return None; // A cycle of includes cannot be enumerated.
    }
    let compose = package.value_sets.get(url)?.value.compose.as_ref()?;
    let mut codes: Vec<Concept> = Vec::new();
    for set in &compose.include {
        if !set.filter.is_empty() {
            return None;
        }
        if !set.concept.is_empty() {
            let system = set
                .system
                .as_deref()
                .and_then(|s| package.code_systems.get(s));
            for c in &set.concept {
                let from_system = system.and_then(|s| find(&s.value.concept, &c.code));
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
            let cs = &package.code_systems.get(system)?.value;
            if cs.content != "complete" {
                return None;
            }
            flatten(&cs.concept, &mut codes);
        }
        for nested in &set.value_set {
            codes.extend(expand(
                package,
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
