//! One pass over the entries, so that resolving every reference is linear, not quadratic.

use crate::datatypes::Reference;
use crate::reference::Literal;
use crate::resources::Bundle;
use std::collections::HashMap;

/// Entries of a Bundle by `fullUrl` and by resource type + id.
pub struct BundleIndex<'b> {
    pub(super) by_full_url: HashMap<&'b str, Vec<usize>>,
    pub(super) by_type_id: HashMap<(&'static str, &'b str), Vec<usize>>,
    /// The RESTful base of each entry's `fullUrl`, when it has one.
    pub(super) bases: Vec<Option<&'b str>>,
    /// Entries by the `Type?query` of a search-form `fullUrl` or of `request.ifNoneExist`.
    pub(super) by_condition: HashMap<(&'static str, &'b str), Vec<usize>>,
}

impl<'b> BundleIndex<'b> {
    /// Indexes the entries of `bundle`.
    pub fn new(bundle: &'b Bundle) -> Self {
        let mut index = BundleIndex {
            by_full_url: HashMap::new(),
            by_type_id: HashMap::new(),
            bases: Vec::with_capacity(bundle.entry.len()),
            by_condition: HashMap::new(),
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
            index.bases.push(full_url.and_then(base_of));
            if let Some(resource) = &entry.resource {
                if let Some(id) = resource.id() {
                    index
                        .by_type_id
                        .entry((resource.resource_type(), id.as_str()))
                        .or_default()
                        .push(i);
                }
            }
        }
        index
    }

    /// The entry a reference points to, following the spec's rules and then type + id.
    /// `from` is the referencing entry, whose `fullUrl` base applies to relative references.
    pub fn resolve(&self, reference: &Reference, from: Option<usize>) -> Option<usize> {
        let literal = reference.literal()?.ok()?;
        super::resolve::locate(self, &literal, from).map(|(entry, _)| entry)
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

/// The RESTful base of a fullUrl: `https://x/fhir` in `https://x/fhir/Patient/1` and in the
/// search form `https://x/fhir/Patient?identifier=...` that some senders use.
pub(super) fn base_of(full_url: &str) -> Option<&str> {
    if let Ok(Literal::Absolute { base, .. }) = Literal::parse(full_url) {
        return Some(base);
    }
    let path = full_url.split_once('?')?.0;
    let (base, ty) = path.rsplit_once('/')?;
    (crate::Resource::type_name(ty).is_some() && base.contains("://")).then_some(base)
}
