//! The R4 Bundle invariants (bundle.html#invs), bdl-1 to bdl-12 (there is no bdl-6).

use crate::codes::BundleType;
use crate::resources::Bundle;
use crate::Resource;
use std::collections::HashMap;
use std::fmt;

/// A broken invariant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The invariant's key (`bdl-7`).
    pub key: &'static str,
    /// Element path where it is broken.
    pub path: String,
    /// The rule, in words.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.message, self.key)
    }
}

pub(super) fn check(bundle: &Bundle) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut fail = |key, path: String, message: &str| {
        out.push(Violation {
            key,
            path,
            message: message.to_owned(),
        })
    };
    let ty = bundle.type_.as_ref().and_then(|t| t.value()).copied();
    let is = |t: BundleType| ty == Some(t);
    let search_or_history = is(BundleType::Searchset) || is(BundleType::History);
    if bundle.total.is_some() && !search_or_history {
        fail(
            "bdl-1",
            "Bundle.total".into(),
            "total only when a search or history",
        );
    }
    let needs_request =
        is(BundleType::Batch) || is(BundleType::Transaction) || is(BundleType::History);
    let needs_response = is(BundleType::BatchResponse)
        || is(BundleType::TransactionResponse)
        || is(BundleType::History);
    let mut full_urls: HashMap<&str, Vec<Option<&str>>> = HashMap::new();
    for (i, entry) in bundle.entry.iter().enumerate() {
        let at = format!("Bundle.entry[{i}]");
        if entry.search.is_some() && !is(BundleType::Searchset) {
            fail(
                "bdl-2",
                format!("{at}.search"),
                "entry.search only when a search",
            );
        }
        match (entry.request.is_some(), needs_request) {
            (false, true) => fail(
                "bdl-3",
                format!("{at}.request"),
                "entry.request mandatory for batch/transaction/history",
            ),
            (true, false) => fail(
                "bdl-3",
                format!("{at}.request"),
                "entry.request prohibited outside batch/transaction/history",
            ),
            _ => {}
        }
        match (entry.response.is_some(), needs_response) {
            (false, true) => fail(
                "bdl-4",
                format!("{at}.response"),
                "entry.response mandatory for batch-response/transaction-response/history",
            ),
            (true, false) => fail(
                "bdl-4",
                format!("{at}.response"),
                "entry.response prohibited outside batch-response/transaction-response/history",
            ),
            _ => {}
        }
        if entry.resource.is_none() && entry.request.is_none() && entry.response.is_none() {
            fail(
                "bdl-5",
                at.clone(),
                "must be a resource unless there's a request or response",
            );
        }
        if let Some(url) = entry.full_url.as_ref().and_then(|u| u.value()) {
            if url.as_str().contains("/_history/") {
                fail(
                    "bdl-8",
                    format!("{at}.fullUrl"),
                    "fullUrl cannot be a version specific reference",
                );
            }
            let version = entry.resource.as_ref().and_then(version_id);
            full_urls.entry(url.as_str()).or_default().push(version);
            let seen = &full_urls[url.as_str()];
            let repeated =
                seen.len() > 1 && (version.is_none() || seen[..seen.len() - 1].contains(&version));
            if repeated && !is(BundleType::History) {
                fail("bdl-7", format!("{at}.fullUrl"), "fullUrl must be unique in a bundle, or else entries with the same fullUrl must have different meta.versionId");
            }
        }
    }
    if is(BundleType::Document) {
        let identified = bundle
            .identifier
            .as_ref()
            .is_some_and(|id| id.system.is_some() && id.value.is_some());
        if !identified {
            fail(
                "bdl-9",
                "Bundle.identifier".into(),
                "a document must have an identifier with a system and a value",
            );
        }
        if bundle.timestamp.as_ref().and_then(|t| t.value()).is_none() {
            fail(
                "bdl-10",
                "Bundle.timestamp".into(),
                "a document must have a date",
            );
        }
        if first_type(bundle) != Some("Composition") {
            fail(
                "bdl-11",
                "Bundle.entry[0].resource".into(),
                "a document must have a Composition as the first resource",
            );
        }
    }
    if is(BundleType::Message) && first_type(bundle) != Some("MessageHeader") {
        fail(
            "bdl-12",
            "Bundle.entry[0].resource".into(),
            "a message must have a MessageHeader as the first resource",
        );
    }
    out
}

fn first_type(bundle: &Bundle) -> Option<&'static str> {
    Some(bundle.entry.first()?.resource.as_ref()?.resource_type())
}

fn version_id(resource: &Resource) -> Option<&str> {
    resource
        .meta()?
        .version_id
        .as_ref()?
        .value()
        .map(|v| v.as_str())
}
