//! Where a resource being read into a user type came from: alone, or an entry of a Bundle
//! (whose references then resolve through the Bundle).

#[cfg(feature = "bundle")]
use crate::bundle::BundleIndex;
use crate::datatypes::Reference;
#[cfg(feature = "bundle")]
use crate::resources::Bundle;

/// The surroundings of a resource being mapped into a user type.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    #[cfg(feature = "bundle")]
    bundle: Option<(&'a Bundle, &'a BundleIndex<'a>, usize)>,
    full_url: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// A resource on its own.
    pub fn standalone() -> Self {
        Context {
            #[cfg(feature = "bundle")]
            bundle: None,
            full_url: None,
        }
    }

    /// Entry `entry` of `bundle`, indexed by `index`.
    #[cfg(feature = "bundle")]
    pub fn entry(bundle: &'a Bundle, index: &'a BundleIndex<'a>, entry: usize) -> Self {
        let full_url = bundle
            .entry
            .get(entry)
            .and_then(|e| e.full_url.as_ref())
            .and_then(|u| u.value())
            .map(|u| u.as_str());
        Context {
            bundle: Some((bundle, index, entry)),
            full_url,
        }
    }

    /// The `fullUrl` of the entry being read, if any.
    pub fn full_url(&self) -> Option<&'a str> {
        self.full_url
    }

    /// Inside a Bundle: the type and id of the entry `reference` resolves to, or the
    /// reference text when it does not resolve. `None` for a resource on its own.
    pub fn resolve(
        &self,
        reference: &Reference,
    ) -> Option<Result<(&'static str, Option<&'a str>), String>> {
        #[cfg(feature = "bundle")]
        if let Some((bundle, index, from)) = self.bundle {
            let found = index
                .resolve(reference, Some(from))
                .and_then(|i| bundle.entry.get(i))
                .and_then(|e| e.resource.as_ref());
            return Some(match found {
                Some(resource) => Ok((resource.resource_type(), resource.id().map(|i| i.as_str()))),
                None => Err(reference.text().unwrap_or_default().to_owned()),
            });
        }
        let _ = reference;
        None
    }
}

impl Default for Context<'_> {
    fn default() -> Self {
        Context::standalone()
    }
}
