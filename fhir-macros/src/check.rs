//! Which `#[fhir(...)]` keys each derive reads, checked once after parsing: a key a derive does
//! not use is an error, not silently ignored. Keys with a message of their own elsewhere (`value`
//! on a resource field, Bundle roles on other derives' fields) are left to it.

use crate::attrs::{Container, FieldAttrs};
use crate::ctxt::Ctxt;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    Resource,
    Extension,
    Bundle,
}

impl Derive {
    fn name(self) -> &'static str {
        match self {
            Derive::Resource => "FhirResource",
            Derive::Extension => "FhirExtension",
            Derive::Bundle => "FhirBundle",
        }
    }

    /// Keys on the struct.
    fn container_keys(self) -> &'static [&'static str] {
        match self {
            Derive::Resource => &["resource", "profile"],
            Derive::Extension => &["url"],
            Derive::Bundle => &["bundle"],
        }
    }

    /// Field keys reported here when present (the others are read, or have their own message).
    fn foreign_field_keys(self) -> &'static [&'static str] {
        match self {
            Derive::Resource | Derive::Extension => &[],
            Derive::Bundle => &["extension", "value", "full_url"],
        }
    }

    /// Field keys that map the field on their own: any other key beside one is not used.
    fn exclusive_field_keys(self) -> &'static [&'static str] {
        match self {
            Derive::Resource => &["skip", "full_url"],
            Derive::Extension => &["skip", "value"],
            Derive::Bundle => &["skip", "id", "timestamp", "rest"],
        }
    }
}

/// Struct keys the derive does not use.
pub fn container(derive: Derive, attrs: &Container, cx: &mut Ctxt) {
    for (key, span) in &attrs.keys {
        if !derive.container_keys().contains(key) {
            cx.error(
                *span,
                format!("`{key}` is not an attribute of {}", derive.name()),
            );
        }
    }
}

/// Field keys the derive does not use, alone or beside a key that maps the field by itself.
pub fn field(derive: Derive, attrs: &FieldAttrs, cx: &mut Ctxt) {
    for (key, span) in &attrs.keys {
        if derive.foreign_field_keys().contains(key) {
            cx.error(
                *span,
                format!("`{key}` is not an attribute of {} fields", derive.name()),
            );
        }
    }
    let exclusive = attrs
        .keys
        .iter()
        .find(|(k, _)| derive.exclusive_field_keys().contains(k));
    if let Some((alone, _)) = exclusive {
        for (key, span) in &attrs.keys {
            if key != alone && !derive.foreign_field_keys().contains(key) {
                cx.error(*span, format!("`{key}` is not used beside `{alone}`"));
            }
        }
    }
}
