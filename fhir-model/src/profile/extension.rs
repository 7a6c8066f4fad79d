//! Reading and writing extensions by URL without disturbing the others: what typed extensions
//! and profile views are built on. Writers change values in place, keep each extension's `id`
//! and nested extensions, and keep the order of everything else, so reading an extension and
//! writing it back changes nothing.

use crate::datatypes::{Extension, ExtensionValue};
use crate::primitives::Uri;

/// Whether an extension has this URL.
pub fn has_url(extension: &Extension, url: &str) -> bool {
    extension.url.as_ref().is_some_and(|u| u.as_str() == url)
}

/// The extensions with this URL, in order.
pub fn with_url<'a>(
    extensions: &'a [Extension],
    url: &'a str,
) -> impl Iterator<Item = &'a Extension> + 'a {
    extensions.iter().filter(move |e| has_url(e, url))
}

/// The values of the extensions with this URL, in order (extensions without a value skipped).
pub fn values<'a>(
    extensions: &'a [Extension],
    url: &'a str,
) -> impl Iterator<Item = &'a ExtensionValue> + 'a {
    with_url(extensions, url).filter_map(|e| e.value.as_ref())
}

/// An extension with a URL and nothing else.
pub fn new(url: &str) -> Extension {
    Extension {
        url: url.parse::<Uri>().ok(),
        ..Extension::default()
    }
}

/// Replaces the extensions with this URL by `replacements`: the first ones take the places of
/// the old ones, old ones left over are removed, new ones left over go after the last old one
/// (or at the end). Extensions with other URLs do not move.
pub fn replace(extensions: &mut Vec<Extension>, url: &str, replacements: Vec<Extension>) {
    let positions: Vec<usize> = (0..extensions.len())
        .filter(|&i| has_url(&extensions[i], url))
        .collect();
    let count = replacements.len();
    let mut new = replacements.into_iter();
    for (&i, replacement) in positions.iter().zip(new.by_ref()) {
        extensions[i] = replacement;
    }
    for &i in positions.iter().skip(count).rev() {
        extensions.remove(i);
    }
    let at = match positions.get(count.min(positions.len()).saturating_sub(1)) {
        Some(&last) if count > 0 => last + 1,
        _ => extensions.len(),
    };
    extensions.splice(at..at, new);
}

/// Sets the values of the (sub-)extensions with this URL: existing ones keep their `id` and
/// nested extensions and get a new value in place; see [`replace`] for the rest.
pub fn set_values(extensions: &mut Vec<Extension>, url: &str, values: Vec<ExtensionValue>) {
    let mut old: std::vec::IntoIter<Extension> = with_url(extensions, url)
        .cloned()
        .collect::<Vec<_>>()
        .into_iter();
    let replacements = values
        .into_iter()
        .map(|value| {
            let mut extension = old.next().unwrap_or_else(|| new(url));
            extension.value = Some(value);
            extension
        })
        .collect();
    replace(extensions, url, replacements);
}
