//! `#[fhir(...)]` attributes parsed once into typed values, each keeping its span for errors.

use crate::ctxt::Ctxt;
use proc_macro2::Span;
use syn::{Attribute, LitStr};

/// A string argument and where it was written.
#[derive(Clone)]
pub struct Arg {
    pub value: String,
    pub span: Span,
}

impl Arg {
    fn from(lit: LitStr) -> Self {
        Arg {
            value: lit.value(),
            span: lit.span(),
        }
    }
}

/// A flag and where it was written.
pub type Flag = Option<Span>;

/// Attributes of the struct.
#[derive(Default)]
pub struct Container {
    /// `resource = "Encounter"` (FhirResource).
    pub resource: Option<Arg>,
    /// `profile = "us-core-patient"` (FhirResource): a profile of the resource to conform to.
    pub profile: Option<Arg>,
    /// `url = "http://..."` (FhirExtension).
    pub url: Option<Arg>,
    /// `bundle = "message"` (FhirBundle).
    pub bundle: Option<Arg>,
    /// Every key as written, for [`crate::check`].
    pub keys: Vec<(&'static str, Span)>,
}

/// Attributes of one field.
#[derive(Default)]
pub struct FieldAttrs {
    /// `path = "period.start"`: the element, from the resource (or the extension host).
    pub path: Option<Arg>,
    /// `system = "urn:..."`: pick the Identifier/Coding/CodeableConcept/ContactPoint of it.
    pub system: Option<Arg>,
    /// `extension = "url"`, or a bare `extension` (the field's type says the URL).
    pub extension: Option<Option<Arg>>,
    pub extension_span: Flag,
    /// `value`: the extension's own `value[x]` (FhirExtension).
    pub value: Flag,
    /// `full_url`: the Bundle entry's `fullUrl`, not part of the resource.
    pub full_url: Flag,
    /// `skip`: not mapped; `Default` when reading.
    pub skip: Flag,
    /// `id`, `timestamp`, `rest`: Bundle-level fields (FhirBundle).
    pub id: Flag,
    pub timestamp: Flag,
    pub rest: Flag,
    /// Every key as written, for [`crate::check`].
    pub keys: Vec<(&'static str, Span)>,
}

const CONTAINER_KEYS: &[&str] = &["resource", "profile", "url", "bundle"];
const FIELD_KEYS: &[&str] = &[
    "path",
    "system",
    "extension",
    "value",
    "full_url",
    "skip",
    "id",
    "timestamp",
    "rest",
];

fn fhir_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("fhir"))
}

/// Records `key` (one of `allowed`), or errs if the same attribute list already had it.
fn record(
    keys: &mut Vec<(&'static str, Span)>,
    allowed: &[&'static str],
    key: &syn::Path,
) -> syn::Result<()> {
    let Some(name) = allowed.iter().copied().find(|k| key.is_ident(k)) else {
        return Err(unknown(key, allowed));
    };
    if keys.iter().any(|(k, _)| *k == name) {
        return Err(syn::Error::new_spanned(
            key,
            format!("`{name}` is given twice"),
        ));
    }
    keys.push((
        name,
        key.get_ident().map_or_else(Span::call_site, |i| i.span()),
    ));
    Ok(())
}

fn unknown(key: &syn::Path, allowed: &[&str]) -> syn::Error {
    let name = key.get_ident().map(|i| i.to_string()).unwrap_or_default();
    syn::Error::new_spanned(
        key,
        format!(
            "unknown fhir attribute `{name}`{}; expected one of: {}",
            crate::suggest::did_you_mean(&name, allowed.iter().copied()),
            allowed.join(", ")
        ),
    )
}

pub fn container(attrs: &[Attribute], cx: &mut Ctxt) -> Container {
    let mut out = Container::default();
    for attr in fhir_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            record(&mut out.keys, CONTAINER_KEYS, &meta.path)?;
            let slot = if meta.path.is_ident("resource") {
                &mut out.resource
            } else if meta.path.is_ident("profile") {
                &mut out.profile
            } else if meta.path.is_ident("url") {
                &mut out.url
            } else if meta.path.is_ident("bundle") {
                &mut out.bundle
            } else {
                return Err(unknown(&meta.path, CONTAINER_KEYS));
            };
            *slot = Some(Arg::from(meta.value()?.parse()?));
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
    out
}

pub fn field(attrs: &[Attribute], cx: &mut Ctxt) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in fhir_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            record(&mut out.keys, FIELD_KEYS, &meta.path)?;
            let span = meta
                .path
                .get_ident()
                .map_or_else(Span::call_site, |i| i.span());
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            match key.as_str() {
                "path" => out.path = Some(Arg::from(meta.value()?.parse()?)),
                "system" => out.system = Some(Arg::from(meta.value()?.parse()?)),
                "extension" => {
                    out.extension_span = Some(span);
                    out.extension = Some(if meta.input.peek(syn::Token![=]) {
                        Some(Arg::from(meta.value()?.parse()?))
                    } else {
                        None
                    });
                }
                "value" => out.value = Some(span),
                "full_url" => out.full_url = Some(span),
                "skip" => out.skip = Some(span),
                "id" => out.id = Some(span),
                "timestamp" => out.timestamp = Some(span),
                "rest" => out.rest = Some(span),
                _ => return Err(unknown(&meta.path, FIELD_KEYS)),
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.push(e);
        }
    }
    out
}
