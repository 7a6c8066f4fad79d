//! One pass over the entries, so that resolving every reference is linear, not quadratic.

use crate::datatypes::Reference;
use crate::reference::Literal;
use crate::resources::Bundle;
use std::collections::HashMap;

/// Entries of a Bundle by `fullUrl` and by resource type + id.
pub struct BundleIndex<'b> {
    pub(super) by_full_url: HashMap<&'b str, Vec<usize>>,
    pub(super) by_type_id: HashMap<(&'static str, &'b str), Vec<usize>>,
    /// Where each entry's resource lives, as far as its `fullUrl` tells.
    pub(super) origins: Vec<Origin<'b>>,
    /// Entries by the `Type?query` of a search-form `fullUrl` or of `request.ifNoneExist`.
    pub(super) by_condition: HashMap<(&'static str, &'b str), Vec<usize>>,
    /// `meta.versionId` and `meta.lastUpdated` of each entry's resource, for choosing among
    /// entries that share a fullUrl (bdl-7 allows it when their versions differ).
    pub(super) versions: Vec<Version<'b>>,
}

/// What an entry's `fullUrl` says about the server its resource lives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Origin<'b> {
    /// A RESTful URL `base/Type/id`: the resource is known to live at `base`.
    Restful(&'b str),
    /// A search URL `base/Type?query` (Redox's style): the server is `base`, the resource's
    /// own URL is not given.
    Search(&'b str),
    /// No fullUrl, a URN, or another URL: the server is unknown.
    Unknown,
}

impl<'b> Origin<'b> {
    /// The server, when the fullUrl names one.
    pub(super) fn base(self) -> Option<&'b str> {
        match self {
            Origin::Restful(base) | Origin::Search(base) => Some(base),
            Origin::Unknown => None,
        }
    }
}

/// The version fields of an entry's resource.
#[derive(Clone, Copy, Default)]
pub(super) struct Version<'b> {
    pub(super) id: Option<&'b str>,
    pub(super) last_updated: Option<&'b crate::primitives::Instant>,
}

impl<'b> BundleIndex<'b> {
    /// Indexes the entries of `bundle`.
    pub fn new(bundle: &'b Bundle) -> Self {
        let mut index = BundleIndex {
            by_full_url: HashMap::new(),
            by_type_id: HashMap::new(),
            origins: Vec::with_capacity(bundle.entry.len()),
            by_condition: HashMap::new(),
            versions: Vec::with_capacity(bundle.entry.len()),
        };
        for (i, entry) in bundle.entry.iter().enumerate() {
            let full_url = entry
                .full_url
                .as_ref()
                .and_then(|u| u.value())
                .map(|u| u.as_str());
            if let Some(url) = full_url {
                index.by_full_url.entry(url).or_default().push(i);
                if let Some(condition) = search_form(url) {
                    index.by_condition.entry(condition).or_default().push(i);
                }
            }
            if let Some(condition) = entry
                .request
                .as_ref()
                .and_then(|r| if_none_exist(r, entry.resource.as_ref()))
            {
                index.by_condition.entry(condition).or_default().push(i);
            }
            index
                .origins
                .push(full_url.map_or(Origin::Unknown, origin_of));
            let mut version = Version::default();
            if let Some(resource) = &entry.resource {
                if let Some(id) = resource.id() {
                    index
                        .by_type_id
                        .entry((resource.resource_type(), id.as_str()))
                        .or_default()
                        .push(i);
                }
                if let Some(meta) = resource.meta() {
                    version.id = meta
                        .version_id
                        .as_ref()
                        .and_then(|v| v.value())
                        .map(|v| v.as_str());
                    version.last_updated = meta.last_updated.as_ref().and_then(|l| l.value());
                }
            }
            index.versions.push(version);
        }
        index
    }

    /// The entry a reference points to, following the spec's rules and then type + id where
    /// the server is unknown. `from` is the referencing entry, whose `fullUrl` base applies to
    /// relative references.
    pub fn resolve(&self, reference: &Reference, from: Option<usize>) -> Option<usize> {
        let literal = reference.literal()?.ok()?;
        super::resolve::locate(self, &literal, from)
            .ok()
            .map(|(entry, _)| entry)
    }
}

/// `(Type, query)` of a fullUrl written as a search: `https://x/fhir/Patient?identifier=...`.
fn search_form(full_url: &str) -> Option<(&'static str, &str)> {
    let (path, query) = full_url.split_once('?')?;
    let ty = crate::Resource::type_name(path.rsplit('/').next()?)?;
    Some((ty, query))
}

/// `(Type, query)` of a conditional create.
fn if_none_exist<'b>(
    request: &'b crate::resources::BundleEntryRequest,
    resource: Option<&crate::Resource>,
) -> Option<(&'static str, &'b str)> {
    let query = request.if_none_exist.as_ref()?.value()?.as_str();
    Some((resource?.resource_type(), query.trim_start_matches('?')))
}

/// The server a fullUrl names: `https://x/fhir` in `https://x/fhir/Patient/1`, and in the
/// search form `https://x/fhir/Patient?identifier=...` that some senders use.
pub(super) fn origin_of(full_url: &str) -> Origin<'_> {
    if let Ok(Literal::Absolute { base, .. }) = Literal::parse(full_url) {
        return Origin::Restful(base);
    }
    let search = full_url.split_once('?').and_then(|(path, _)| {
        let (base, ty) = path.rsplit_once('/')?;
        (crate::Resource::type_name(ty).is_some() && base.contains("://")).then_some(base)
    });
    search.map_or(Origin::Unknown, Origin::Search)
}
