//! Resolving references in Bundles (bundle.html#references), then type + id as a fallback for
//! senders whose `fullUrl`s are search URLs or absent.

use super::index::{BundleIndex, Origin};
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
    /// Fallback where the server is unknown (the referencing entry's fullUrl is absent, a URN
    /// or a search URL): an entry whose resource has the referenced type and id and is not
    /// known to live on another server.
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
        _ => match locate(index, &literal, Some(from)) {
            Ok((entry, rule)) => {
                super::entry_resource(bundle, entry).map(|r| (entry, rule, r.resource_type()))
            }
            Err(miss) => {
                result.problem = miss.problem(&literal);
                None
            }
        },
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

/// Why a literal found no entry.
#[derive(Debug)]
pub(super) enum Miss {
    /// Nothing matches.
    NotFound,
    /// Entries match the URL, but none has the version asked for.
    NoSuchVersion,
    /// The server is unknown and entries on several servers have the type and id.
    Ambiguous(usize),
}

impl Miss {
    fn problem(&self, literal: &Literal<'_>) -> Option<String> {
        match self {
            Miss::NotFound => None,
            Miss::NoSuchVersion => Some(format!(
                "no entry has version {} (meta.versionId)",
                version_of(literal).unwrap_or_default()
            )),
            Miss::Ambiguous(n) => Some(format!(
                "the referencing entry's server is unknown and {n} entries on different servers \
                 have this type and id"
            )),
        }
    }
}

fn version_of<'a>(literal: &Literal<'a>) -> Option<&'a str> {
    match *literal {
        Literal::Relative { version, .. } | Literal::Absolute { version, .. } => version,
        _ => None,
    }
}

/// The entry a literal (other than `#id`) points to, and the rule that found it.
///
/// A reference never crosses servers (bundle.html#references): a relative reference from an
/// entry with a RESTful fullUrl means that server's `base/Type/id`, and an absolute one names
/// its server. Type + id is the fallback only where the server is unknown: the referencing
/// entry's fullUrl is absent, a URN, or a search URL, and the candidate is not known to live
/// on another server.
pub(super) fn locate(
    index: &BundleIndex<'_>,
    literal: &Literal<'_>,
    from: Option<usize>,
) -> Result<(usize, Rule), Miss> {
    let from_origin = from
        .and_then(|f| index.origins.get(f).copied())
        .unwrap_or(Origin::Unknown);
    let exact = |url: &str, version| {
        index
            .by_full_url
            .get(url)
            .map(|entries| pick(index, entries, version))
    };
    let found = |url: &str, version, rule| match exact(url, version) {
        Some(Some(entry)) => Ok((entry, rule)),
        Some(None) => Err(Miss::NoSuchVersion),
        None => Err(Miss::NotFound),
    };
    match *literal {
        Literal::Uuid(urn) | Literal::Oid(urn) => found(urn, None, Rule::Urn),
        Literal::Url(url) => found(url, None, Rule::FullUrl),
        Literal::Absolute {
            base,
            resource_type,
            id,
            version,
        } => match found(
            &format!("{base}/{resource_type}/{id}"),
            version,
            Rule::FullUrl,
        ) {
            Err(Miss::NotFound) => by_type_id(index, resource_type, id, version, Some(base)),
            other => other,
        },
        Literal::Relative {
            resource_type,
            id,
            version,
        } => {
            let on_base = from_origin.base().map(|base| {
                found(
                    &format!("{base}/{resource_type}/{id}"),
                    version,
                    Rule::Relative,
                )
            });
            match (from_origin, on_base) {
                (_, Some(Ok(hit))) => Ok(hit),
                (_, Some(Err(Miss::NoSuchVersion))) => Err(Miss::NoSuchVersion),
                // The server is known: its resource is not in the Bundle.
                (Origin::Restful(_), _) => Err(Miss::NotFound),
                (origin, _) => by_type_id(index, resource_type, id, version, origin.base()),
            }
        }
        Literal::Conditional {
            resource_type,
            query,
        } => index
            .by_condition
            .get(&(resource_type, query))
            .and_then(|v| v.first().copied())
            .map(|e| (e, Rule::Conditional))
            .ok_or(Miss::NotFound),
        Literal::Contained(_) => Err(Miss::NotFound),
    }
}

/// Type + id among the entries that may live on `server` (every entry when it is unknown):
/// those whose fullUrl names no server or names that one. Candidates on more than one server
/// for a reference whose server is unknown are ambiguous, not a guess.
fn by_type_id(
    index: &BundleIndex<'_>,
    resource_type: &'static str,
    id: &str,
    version: Option<&str>,
    server: Option<&str>,
) -> Result<(usize, Rule), Miss> {
    let all = index
        .by_type_id
        .get(&(resource_type, id))
        .ok_or(Miss::NotFound)?;
    let on = |keep: &dyn Fn(Origin<'_>) -> bool| -> Vec<usize> {
        all.iter()
            .copied()
            .filter(|&c| keep(index.origins[c]))
            .collect()
    };
    let candidates = match server {
        // Entries known to be on that server first, then those whose server is unknown.
        Some(server) => {
            let same = on(&|o| o == Origin::Search(server));
            if same.is_empty() {
                on(&|o| o == Origin::Unknown)
            } else {
                same
            }
        }
        None => all.clone(),
    };
    let first = *candidates.first().ok_or(Miss::NotFound)?;
    let server_of = |c: usize| index.origins[c].base();
    if candidates.iter().any(|&c| server_of(c) != server_of(first)) {
        return Err(Miss::Ambiguous(candidates.len()));
    }
    pick(index, &candidates, version)
        .map(|e| (e, Rule::TypeId))
        .ok_or(Miss::NoSuchVersion)
}

/// Among entries for one resource: the one with `version` (`meta.versionId`), or, for a
/// reference without a version, the most recent by `meta.lastUpdated` (the first of equals;
/// an entry without `lastUpdated` counts as oldest).
fn pick(index: &BundleIndex<'_>, entries: &[usize], version: Option<&str>) -> Option<usize> {
    if let Some(version) = version {
        return entries
            .iter()
            .copied()
            .find(|&e| index.versions[e].id == Some(version));
    }
    let mut best = *entries.first()?;
    for &e in &entries[1..] {
        let newer = match (
            index.versions[e].last_updated,
            index.versions[best].last_updated,
        ) {
            (Some(a), Some(b)) => a.cmp_time(b).is_gt(),
            (Some(_), None) => true,
            _ => false,
        };
        if newer {
            best = e;
        }
    }
    Some(best)
}
