//! Assembling Bundles. The builder fills in what the Bundle type requires (entry order,
//! `request`, `urn:uuid` fullUrls) and `build` checks the bdl invariants, so a finished Bundle
//! is valid on those points.

use super::invariants::Violation;
use crate::codes::{BundleType, HttpVerb, SearchEntryMode};
#[cfg(feature = "composition")]
use crate::datatypes::Identifier;
use crate::datatypes::Reference;
use crate::primitives::{Decimal, Id, Instant, UnsignedInt, Uri};
use crate::reference::Literal;
#[cfg(feature = "composition")]
use crate::resources::Composition;
#[cfg(feature = "message_header")]
use crate::resources::MessageHeader;
use crate::resources::{Bundle, BundleEntry, BundleEntryRequest, BundleEntrySearch};
use crate::visit::{for_each_reference_mut, rewrite_uris};
use crate::{Primitive, Resource};
use std::collections::HashMap;
use std::fmt;

/// Builds a Bundle of one type; see the constructors.
#[derive(Debug)]
pub struct BundleBuilder {
    bundle: Bundle,
    kind: BundleType,
    problems: Vec<String>,
}

/// Why `build` refused: broken invariants, or entries that could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// Broken bdl invariants.
    pub violations: Vec<Violation>,
    /// Other problems, such as an update of a resource without an id.
    pub problems: Vec<String>,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot build the Bundle:")?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

impl BundleBuilder {
    fn new(kind: BundleType) -> Self {
        let bundle = Bundle {
            type_: Some(Primitive::new(kind)),
            ..Default::default()
        };
        BundleBuilder {
            bundle,
            kind,
            problems: Vec::new(),
        }
    }

    #[cfg(feature = "message_header")]
    /// A message: `header` becomes the first entry (bdl-12). Add its focus with [`Self::focus`].
    pub fn message(header: MessageHeader) -> Self {
        let mut builder = Self::new(BundleType::Message);
        builder.push(header.into(), None);
        builder
    }

    #[cfg(feature = "composition")]
    /// A document: `composition` first (bdl-11), with the identifier and date it needs
    /// (bdl-9, bdl-10).
    pub fn document(composition: Composition, identifier: Identifier, date: Instant) -> Self {
        let mut builder = Self::new(BundleType::Document);
        builder.bundle.identifier = Some(Box::new(identifier));
        builder.bundle.timestamp = Some(Primitive::new(date));
        builder.push(composition.into(), None);
        builder
    }

    /// A transaction: entries get `urn:uuid:` fullUrls and a `request`, and references between
    /// them (`Patient/1`) are rewritten to those fullUrls when the Bundle is built.
    pub fn transaction() -> Self {
        Self::new(BundleType::Transaction)
    }

    /// A batch: like a transaction, but the server processes each entry on its own.
    pub fn batch() -> Self {
        Self::new(BundleType::Batch)
    }

    /// A collection of resources.
    pub fn collection() -> Self {
        Self::new(BundleType::Collection)
    }

    /// Search results; `total` is the number of matches on the server, if known.
    pub fn searchset(total: Option<u32>) -> Self {
        let mut builder = Self::new(BundleType::Searchset);
        if let Some(total) = total {
            match UnsignedInt::new(total) {
                Ok(t) => builder.bundle.total = Some(Primitive::new(t)),
                Err(e) => builder.problems.push(format!("Bundle.total: {e}")),
            }
        }
        builder
    }

    /// Sets `Bundle.id`.
    pub fn id(mut self, id: Id) -> Self {
        self.bundle.id = Some(Primitive::new(id));
        self
    }

    /// The Bundle's type.
    pub fn kind(&self) -> BundleType {
        self.kind
    }

    /// Entries added so far.
    pub fn len(&self) -> usize {
        self.bundle.entry.len()
    }

    /// Whether no entry was added yet.
    pub fn is_empty(&self) -> bool {
        self.bundle.entry.is_empty()
    }

    #[cfg(feature = "message_header")]
    /// Message only: the `fullUrl` of the MessageHeader entry.
    pub fn header_full_url(mut self, full_url: Uri) -> Self {
        match self.bundle.entry.first_mut() {
            Some(entry) if self.kind == BundleType::Message => {
                entry.full_url = Some(Primitive::new(full_url))
            }
            _ => self
                .problems
                .push("header_full_url: only a message Bundle has a header entry".into()),
        }
        self
    }

    /// Sets `Bundle.timestamp`.
    pub fn timestamp(mut self, timestamp: Instant) -> Self {
        self.bundle.timestamp = Some(Primitive::new(timestamp));
        self
    }

    /// Adds a resource. In a transaction or batch this is a create (`POST Type`).
    pub fn entry(self, resource: impl Into<Resource>) -> Self {
        match self.kind {
            BundleType::Transaction | BundleType::Batch => self.create(resource),
            _ => {
                let mut this = self;
                this.push(resource.into(), None);
                this
            }
        }
    }

    /// Adds a resource with the given `fullUrl`.
    pub fn entry_with_full_url(mut self, resource: impl Into<Resource>, full_url: Uri) -> Self {
        self.push(resource.into(), Some(full_url));
        self
    }

    #[cfg(feature = "message_header")]
    /// Message only: adds `resource` and a reference to it in `MessageHeader.focus`.
    pub fn focus(mut self, resource: impl Into<Resource>) -> Self {
        let resource = resource.into();
        let reference = match resource.id() {
            Some(id) => {
                Reference::to_literal(&format!("{}/{}", resource.resource_type(), id.as_str()))
            }
            None => {
                let urn = super::uuid::new_urn();
                let reference = Reference::to_literal(&urn);
                self.push(resource, Uri::parse(&urn).ok());
                return self.add_focus(reference);
            }
        };
        self.push(resource, None);
        self.add_focus(reference)
    }

    #[cfg(feature = "message_header")]
    fn add_focus(mut self, reference: Result<Reference, crate::reference::ReferenceError>) -> Self {
        let header = self
            .bundle
            .entry
            .first_mut()
            .and_then(|e| e.resource.as_mut())
            .and_then(<MessageHeader as crate::ConcreteResource>::from_resource_mut);
        match (header, reference) {
            (Some(header), Ok(reference)) => header.focus.push(reference),
            (None, _) => self
                .problems
                .push("focus: only a message Bundle has a MessageHeader to point from".into()),
            (_, Err(e)) => self.problems.push(format!("focus: {e}")),
        }
        self
    }

    /// Transaction or batch: create `resource` (`POST Type`) under a new `urn:uuid:` fullUrl.
    pub fn create(mut self, resource: impl Into<Resource>) -> Self {
        let resource = resource.into();
        let request = request(HttpVerb::Post, resource.resource_type());
        self.push_request(Some(resource), request, true);
        self
    }

    /// Transaction or batch: create `resource` unless the server has a match for `query`
    /// (`ifNoneExist`, for example `identifier=http://x|1`).
    pub fn create_if_none_exist(mut self, resource: impl Into<Resource>, query: &str) -> Self {
        let resource = resource.into();
        let mut request = request(HttpVerb::Post, resource.resource_type());
        match crate::primitives::FhirString::parse(query) {
            Ok(q) => request.if_none_exist = Some(Primitive::new(q)),
            Err(e) => self.problems.push(format!("ifNoneExist: {e}")),
        }
        self.push_request(Some(resource), request, true);
        self
    }

    /// Transaction or batch: update `resource` (`PUT Type/id`); it needs an id.
    pub fn update(mut self, resource: impl Into<Resource>) -> Self {
        let resource = resource.into();
        let Some(id) = resource.id().map(|i| i.as_str().to_owned()) else {
            self.problems.push(format!(
                "update: the {} has no id",
                resource.resource_type()
            ));
            return self;
        };
        let request = request(HttpVerb::Put, &format!("{}/{id}", resource.resource_type()));
        self.push_request(Some(resource), request, false);
        self
    }

    /// Transaction or batch: delete `Type/id`.
    pub fn delete(mut self, resource_type: &str, id: &Id) -> Self {
        if Resource::type_name(resource_type).is_none() {
            self.problems
                .push(format!("delete: unknown resource type {resource_type}"));
            return self;
        }
        let request = request(
            HttpVerb::Delete,
            &format!("{resource_type}/{}", id.as_str()),
        );
        self.push_request(None, request, false);
        self
    }

    /// Searchset: adds a match (`search.mode = match`) with an optional score.
    pub fn search_match(
        mut self,
        resource: impl Into<Resource>,
        full_url: Uri,
        score: Option<Decimal>,
    ) -> Self {
        self.push(resource.into(), Some(full_url));
        if let Some(entry) = self.bundle.entry.last_mut() {
            entry.search = Some(Box::new(BundleEntrySearch {
                mode: Some(Primitive::new(SearchEntryMode::Match)),
                score: score.map(Primitive::new),
                ..Default::default()
            }));
        }
        self
    }

    fn push(&mut self, resource: Resource, full_url: Option<Uri>) {
        self.bundle.entry.push(BundleEntry {
            full_url: full_url.map(Primitive::new),
            resource: Some(resource),
            ..Default::default()
        });
    }

    fn push_request(&mut self, resource: Option<Resource>, request: BundleEntryRequest, urn: bool) {
        if !matches!(self.kind, BundleType::Transaction | BundleType::Batch) {
            self.problems
                .push("requests belong in a transaction or batch Bundle".into());
            return;
        }
        let full_url = if urn {
            Uri::parse(&super::uuid::new_urn()).ok()
        } else {
            None
        };
        self.bundle.entry.push(BundleEntry {
            full_url: full_url.map(Primitive::new),
            resource,
            request: Some(Box::new(request)),
            ..Default::default()
        });
    }

    /// Finishes the Bundle: rewrites references between transaction entries to their
    /// `urn:uuid:` fullUrls, then checks the invariants.
    pub fn build(mut self) -> Result<Bundle, BuildError> {
        if matches!(self.kind, BundleType::Transaction | BundleType::Batch) {
            rewrite_to_urns(&mut self.bundle);
        }
        let violations = self.bundle.check_invariants();
        if violations.is_empty() && self.problems.is_empty() {
            Ok(self.bundle)
        } else {
            Err(BuildError {
                violations,
                problems: self.problems,
            })
        }
    }
}

fn request(method: HttpVerb, url: &str) -> BundleEntryRequest {
    BundleEntryRequest {
        method: Some(Primitive::new(method)),
        url: Uri::parse(url).ok().map(Primitive::new),
        ..Default::default()
    }
}

/// `Type/id` references to an entry that has a `urn:uuid:` fullUrl become that URN, and so do
/// `uri`, `url` and `canonical` elements whose value is that `Type/id`: a server replaces a
/// created entry's URL wherever it appears (http.html#trules), not only in References.
fn rewrite_to_urns(bundle: &mut Bundle) {
    let mut urns: HashMap<(&'static str, String), String> = HashMap::new();
    for entry in &bundle.entry {
        let (Some(resource), Some(url)) = (
            &entry.resource,
            entry.full_url.as_ref().and_then(|u| u.value()),
        ) else {
            continue;
        };
        if let (Some(id), true) = (resource.id(), url.as_str().starts_with("urn:uuid:")) {
            urns.insert(
                (resource.resource_type(), id.as_str().to_owned()),
                url.as_str().to_owned(),
            );
        }
    }
    for entry in &mut bundle.entry {
        let Some(resource) = &mut entry.resource else {
            continue;
        };
        for_each_reference_mut(resource, "", |_, reference| {
            let urn = match reference.literal() {
                Some(Ok(Literal::Relative {
                    resource_type,
                    id,
                    version: None,
                })) => urns.get(&(resource_type, id.to_owned())),
                _ => None,
            };
            if let Some(rewritten) = urn.and_then(|u| Reference::to_literal(u).ok()) {
                reference.reference = rewritten.reference;
            }
        });
        rewrite_uris(resource, |text| {
            let (ty, id) = text.split_once('/')?;
            let ty = Resource::type_name(ty)?;
            urns.get(&(ty, id.to_owned())).cloned()
        });
    }
}
