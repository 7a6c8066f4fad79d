//! Bundles (bundle.html): resolving the references between entries, assembling message,
//! transaction, batch, document, collection and searchset Bundles, and the bdl invariants.

mod build;
mod index;
mod invariants;
mod resolve;
mod uuid;

pub use build::{BuildError, BundleBuilder};
pub use index::BundleIndex;
pub use invariants::Violation;
pub use resolve::{Resolution, Rule};

use crate::resources::Bundle;
use crate::{ConcreteResource, Resource};

impl Bundle {
    /// Every entry resource of type `T`, in entry order.
    pub fn resources<T: ConcreteResource + 'static>(&self) -> impl Iterator<Item = &T> {
        self.entry
            .iter()
            .filter_map(|e| e.resource.as_ref().and_then(T::from_resource))
    }

    /// The entry resource a reference points to, if it resolves (by `fullUrl`, or by type and
    /// id) to a `T`. Indexes the Bundle on each call; use [`BundleIndex`] for many look-ups.
    pub fn resolve<T: ConcreteResource>(
        &self,
        reference: &crate::datatypes::Reference,
    ) -> Option<&T> {
        BundleIndex::new(self)
            .resolve(reference, None)
            .and_then(|i| self.entry[i].resource.as_ref())
            .and_then(T::from_resource)
    }

    /// Resolves every reference of every entry (bundle.html#references). Dangling references
    /// are reported with [`Rule::Dangling`], never dropped.
    pub fn resolve_references(&self) -> Vec<Resolution> {
        resolve::resolve_all(self, &BundleIndex::new(self))
    }

    /// Like [`Bundle::resolve_references`], but any dangling, malformed or mistyped reference
    /// is an error (all of them, in entry order).
    pub fn resolve_references_strict(&self) -> Result<Vec<Resolution>, Vec<Resolution>> {
        let all = self.resolve_references();
        let bad: Vec<Resolution> = all.iter().filter(|r| r.is_problem()).cloned().collect();
        if bad.is_empty() {
            Ok(all)
        } else {
            Err(bad)
        }
    }

    /// Checks the R4 Bundle invariants bdl-1 to bdl-12.
    pub fn check_invariants(&self) -> Vec<Violation> {
        invariants::check(self)
    }
}

/// The resource of an entry, if any.
fn entry_resource(bundle: &Bundle, entry: usize) -> Option<&Resource> {
    bundle.entry.get(entry)?.resource.as_ref()
}
