//! Resolving references in Bundles (bundle.html#references), then type + id as a fallback for
//! senders whose `fullUrl`s are search URLs or absent.

use super::index::BundleIndex;
use crate::datatypes::Reference;
use crate::reference::Literal;
use crate::resources::Bundle;
use crate::visit::{for_each_reference_in, ReferenceSite};
use crate::Resource;
use std::fmt::Write as _;

/// Which rule found the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// An absolute reference equal to an entry's `fullUrl` (version-specific ones without the
    /// version).
    FullUrl,
    /// A relative reference resolved against the base of the referencing entry's `fullUrl`.
    Relative,
    /// A `urn:uuid:` / `urn:oid:` equal to an entry's `fullUrl`.
    Urn,
    /// `#id` inside the same resource, or `#` for the containing resource.
    Contained,
    /// Fallback: an entry whose resource has the referenced type and id.
    TypeId,
    /// A conditional reference (`Patient?identifier=...`) matching an entry's search-form
    /// `fullUrl` or its `request.ifNoneExist`.
    Conditional,
    /// No literal reference (identifier or display only): nothing to resolve in the Bundle.
    Logical,
    /// The reference string is malformed.
    Invalid,
    /// Nothing in the Bundle matches.
    Dangling,
}

impl Rule {
    /// The name used in reports (`"type-id"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::FullUrl => "fullUrl",
            Rule::Relative => "relative",
            Rule::Urn => "urn",
            Rule::Contained => "contained",
            Rule::TypeId => "type-id",
            Rule::Conditional => "conditional",
            Rule::Logical => "logical",
            Rule::Invalid => "invalid",
            Rule::Dangling => "dangling",
        }
    }
}

/// The outcome for one reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// Element path of the reference (`Bundle.entry[1].resource.subject`).
    pub path: String,
    /// The reference string, if it has one.
    pub reference: Option<String>,
    /// Index of the entry it points to (the containing entry for contained targets).
    pub entry: Option<usize>,
    /// How it was resolved.
    pub rule: Rule,
    /// Resource type of the target.
    pub target: Option<&'static str>,
    /// Why the reference is wrong although it resolved (type mismatch, type not allowed by the
    /// element), or why it is invalid.
    pub problem: Option<String>,
}

impl Resolution {
    /// Dangling, invalid, or resolved to the wrong kind of resource.
    pub fn is_problem(&self) -> bool {
        matches!(self.rule, Rule::Dangling | Rule::Invalid) || self.problem.is_some()
    }
}

pub(super) fn resolve_all(bundle: &Bundle, index: &BundleIndex<'_>) -> Vec<Resolution> {
    let mut out = Vec::new();
    let mut path = String::with_capacity(128);
    for (i, entry) in bundle.entry.iter().enumerate() {
        let Some(resource) = &entry.resource else {
            continue;
        };
        path.clear();
        let _ = write!(path, "Bundle.entry[{i}].resource");
        for_each_reference_in(resource, &mut path, |site, reference| {
            out.push(resolve_one(bundle, index, i, resource, site, reference));
        });
    }
    out
}

fn resolve_one(
    bundle: &Bundle,
    index: &BundleIndex<'_>,
    from: usize,
    resource: &Resource,
    site: &ReferenceSite<'_>,
    reference: &Reference,
) -> Resolution {
    let text = reference.text().map(str::to_owned);
    let mut result = Resolution {
        path: site.path.to_owned(),
        reference: text,
        entry: None,
        rule: Rule::Dangling,
        target: None,
        problem: None,
    };
    let literal = match reference.literal() {
        None => {
            result.rule = Rule::Logical;
            return result;
        }
        Some(Err(e)) => {
            result.rule = Rule::Invalid;
            result.problem = Some(e.to_string());
            return result;
        }
        Some(Ok(literal)) => literal,
    };
    let found = match literal {
        Literal::Contained("") => Some((from, Rule::Contained, resource.resource_type())),
        Literal::Contained(id) => contained(resource, id).map(|t| (from, Rule::Contained, t)),
        _ => locate(index, &literal, Some(from)).and_then(|(entry, rule)| {
            Some((
                entry,
                rule,
                super::entry_resource(bundle, entry)?.resource_type(),
            ))
        }),
    };
    let Some((entry, rule, target)) = found else {
        return result;
    };
    result.entry = Some(entry);
    result.rule = rule;
    result.target = Some(target);
    if let Some(named) = literal.resource_type().filter(|named| *named != target) {
        result.problem = Some(format!("names a {named} but resolves to a {target}"));
    } else if !site.allows(target) {
        result.problem = Some(format!(
            "a {target} is not allowed here; expected {}",
            site.targets.join(" | ")
        ));
    }
    result
}

fn contained(resource: &Resource, id: &str) -> Option<&'static str> {
    resource
        .contained()
        .iter()
        .find(|c| c.id().is_some_and(|i| i.as_str() == id))
        .map(|c| c.resource_type())
}

/// The entry a literal (other than `#id`) points to, and the rule that found it.
pub(super) fn locate(
    index: &BundleIndex<'_>,
    literal: &Literal<'_>,
    from: Option<usize>,
) -> Option<(usize, Rule)> {
    let exact = |url: &str| index.by_full_url.get(url).and_then(|v| v.first().copied());
    let from_base = from.and_then(|f| index.bases.get(f).copied().flatten());
    match *literal {
        Literal::Uuid(urn) | Literal::Oid(urn) => exact(urn).map(|e| (e, Rule::Urn)),
        Literal::Url(url) => exact(url).map(|e| (e, Rule::FullUrl)),
        Literal::Absolute {
            base,
            resource_type,
            id,
            ..
        } => exact(&format!("{base}/{resource_type}/{id}"))
            .map(|e| (e, Rule::FullUrl))
            .or_else(|| by_type_id(index, resource_type, id, Some(base))),
        Literal::Relative {
            resource_type, id, ..
        } => from_base
            .and_then(|base| exact(&format!("{base}/{resource_type}/{id}")))
            .map(|e| (e, Rule::Relative))
            .or_else(|| by_type_id(index, resource_type, id, from_base)),
        Literal::Conditional {
            resource_type,
            query,
        } => index
            .by_condition
            .get(&(resource_type, query))
            .and_then(|v| v.first().copied())
            .map(|e| (e, Rule::Conditional)),
        Literal::Contained(_) => None,
    }
}

/// Type + id; with several candidates, the one on the same base wins.
fn by_type_id(
    index: &BundleIndex<'_>,
    resource_type: &'static str,
    id: &str,
    base: Option<&str>,
) -> Option<(usize, Rule)> {
    let candidates = index.by_type_id.get(&(resource_type, id))?;
    let same_base = candidates
        .iter()
        .copied()
        .find(|&c| base.is_some() && index.bases[c] == base);
    same_base
        .or(candidates.first().copied())
        .map(|e| (e, Rule::TypeId))
}
