//! Assembling a Bundle from user resources and taking one apart into them
//! (`#[derive(FhirBundle)]`).

use super::{Context, FhirResource, MappingError};
use crate::bundle::{BundleBuilder, BundleIndex};
use crate::codes::BundleType;
use crate::primitives::Uri;
use crate::resources::Bundle;
use crate::{ConcreteResource, Resource};

/// A user struct whose fields are the resources of one Bundle.
pub trait FhirBundle: Sized {
    /// The Bundle, with `fullUrl`s and invariants (bdl-1..12) checked.
    fn to_bundle(&self) -> Result<Bundle, MappingError>;
    /// Reads a Bundle: every entry goes to a field, references resolve through the Bundle.
    fn from_bundle(bundle: &Bundle) -> Result<Self, MappingError>;
}

/// A builder for `kind`; a message starts from its header (the first entry, bdl-12).
pub fn builder(kind: BundleType) -> Result<BundleBuilder, MappingError> {
    match kind {
        BundleType::Collection => Ok(BundleBuilder::collection()),
        BundleType::Transaction => Ok(BundleBuilder::transaction()),
        BundleType::Batch => Ok(BundleBuilder::batch()),
        other => Err(MappingError::new(
            "Bundle.type",
            format!(
                "`{}` Bundles are not assembled from fields",
                crate::CodeEnum::code(other)
            ),
        )),
    }
}

/// A message Bundle headed by `header`.
#[cfg(feature = "message_header")]
pub fn message<T>(header: &T) -> Result<BundleBuilder, MappingError>
where
    T: FhirResource<Resource = crate::resources::MessageHeader>,
{
    let mut builder = BundleBuilder::message(header.to_resource()?);
    if let Some(url) = header.full_url() {
        builder = builder.header_full_url(parse_url(url, 0)?);
    }
    Ok(builder)
}

fn parse_url(url: &str, entry: usize) -> Result<Uri, MappingError> {
    Uri::parse(url).map_err(|e| MappingError::new(format!("Bundle.entry[{entry}].fullUrl"), e))
}

/// Adds one user resource: with its own `fullUrl` when it has one. In a transaction or
/// batch, a resource with an id is an update (`PUT Type/id`), one without a create.
pub fn add<T: FhirResource>(
    builder: BundleBuilder,
    value: &T,
) -> Result<BundleBuilder, MappingError> {
    let resource = value.to_resource()?;
    let entry = builder.len();
    Ok(match (builder.kind(), value.full_url()) {
        (BundleType::Transaction | BundleType::Batch, Some(_)) => {
            return Err(MappingError::new(
                format!("Bundle.entry[{entry}].fullUrl"),
                "a transaction assigns fullUrls itself; leave the field empty",
            ))
        }
        (BundleType::Transaction | BundleType::Batch, None) if resource.id().is_some() => {
            builder.update(resource)
        }
        (_, Some(url)) => builder.entry_with_full_url(resource, parse_url(url, entry)?),
        (_, None) => builder.entry(resource),
    })
}

/// Builds and checks the Bundle.
pub fn finish(builder: BundleBuilder) -> Result<Bundle, MappingError> {
    builder.build().map_err(|e| MappingError::new("Bundle", e))
}

/// Hands out the entries of a received Bundle to the fields of a user struct, in order, and
/// makes sure none is left over.
pub struct Entries<'b> {
    bundle: &'b Bundle,
    index: &'b BundleIndex<'b>,
    taken: Vec<bool>,
}

impl<'b> Entries<'b> {
    /// Fails unless `bundle` is of `kind`.
    pub fn new(
        bundle: &'b Bundle,
        index: &'b BundleIndex<'b>,
        kind: BundleType,
    ) -> Result<Self, MappingError> {
        let found = bundle.type_.as_ref().and_then(|t| t.value().copied());
        if found != Some(kind) {
            return Err(MappingError::new(
                "Bundle.type",
                format!(
                    "expected a {} Bundle, found {}",
                    crate::CodeEnum::code(kind),
                    found.map_or("none", crate::CodeEnum::code)
                ),
            ));
        }
        Ok(Entries {
            bundle,
            index,
            taken: vec![false; bundle.entry.len()],
        })
    }

    fn next<T: FhirResource>(&mut self) -> Option<(usize, &'b T::Resource)> {
        let bundle = self.bundle;
        let (i, resource) = bundle.entry.iter().enumerate().find_map(|(i, e)| {
            let resource = e.resource.as_ref()?;
            (!self.taken[i])
                .then(|| T::Resource::from_resource(resource))
                .flatten()
                .map(|r| (i, r))
        })?;
        self.taken[i] = true;
        Some((i, resource))
    }

    fn read<T: FhirResource>(
        &self,
        entry: usize,
        resource: &T::Resource,
    ) -> Result<T, MappingError> {
        let cx = Context::entry(self.bundle, self.index, entry);
        T::from_resource_in(resource, &cx).map_err(|e| MappingError {
            path: entry_path(entry, &e.path),
            message: e.message,
        })
    }

    /// The next entry of `T`'s resource type, which must exist.
    pub fn one<T: FhirResource>(&mut self, field: &str) -> Result<T, MappingError> {
        match self.next::<T>() {
            Some((i, r)) => self.read(i, r),
            None => Err(MappingError::new(
                "Bundle.entry",
                format!(
                    "no {} entry for the field `{field}`",
                    T::Resource::TYPE_NAME
                ),
            )),
        }
    }

    /// The next entry of `T`'s resource type, if any.
    pub fn optional<T: FhirResource>(&mut self) -> Result<Option<T>, MappingError> {
        self.next::<T>().map(|(i, r)| self.read(i, r)).transpose()
    }

    /// Every remaining entry of `T`'s resource type.
    pub fn all<T: FhirResource>(&mut self) -> Result<Vec<T>, MappingError> {
        let mut out = Vec::new();
        while let Some((i, r)) = self.next::<T>() {
            out.push(self.read(i, r)?);
        }
        Ok(out)
    }

    /// Every entry not taken yet, as model resources.
    pub fn rest(&mut self) -> Vec<Resource> {
        let mut out = Vec::new();
        for (i, entry) in self.bundle.entry.iter().enumerate() {
            if let (false, Some(resource)) = (self.taken[i], &entry.resource) {
                self.taken[i] = true;
                out.push(resource.clone());
            }
        }
        out
    }

    /// Fails when an entry was taken by no field: nothing is dropped silently.
    pub fn finish(self) -> Result<(), MappingError> {
        match self.taken.iter().position(|taken| !taken) {
            None => Ok(()),
            Some(i) => {
                let what = self.bundle.entry[i]
                    .resource
                    .as_ref()
                    .map_or("an entry without a resource", |r| r.resource_type());
                Err(MappingError::new(
                    format!("Bundle.entry[{i}]"),
                    format!(
                        "{what} has no field to go to (add a `#[fhir(rest)]` field to keep it)"
                    ),
                ))
            }
        }
    }
}

/// `Encounter.subject` in entry 1 -> `Bundle.entry[1].resource.subject`.
fn entry_path(entry: usize, path: &str) -> String {
    match path.split_once('.') {
        Some((_, rest)) => format!("Bundle.entry[{entry}].resource.{rest}"),
        None => format!("Bundle.entry[{entry}].resource"),
    }
}
