//! Derive macros that map your own structs onto FHIR R4 resources, extensions and Bundles.
//!
//! Every `#[fhir(...)]` attribute is checked against the R4 definitions while the macro
//! expands (the element metadata in `generated/`, emitted by `fhir-codegen` from the same type
//! space as `fhir-model`): unknown resources and elements (with the nearest valid name),
//! cardinality, required elements, the FHIR type behind each field, and Reference targets.
//! The emitted code uses only `fhir_model`'s public API by absolute paths.
//!
//! Use them through `fhir-model` with its `derive` feature: `fhir_model::mapping::FhirResource`.
//! The README's "Your own types" section shows the attribute syntax.

mod attrs;
mod check;
mod ctxt;
mod emit;
#[rustfmt::skip] // prettyplease formats it; `fhir-codegen --check` guards it.
mod generated;
mod meta;
mod model;
mod path;
mod shape;
mod suggest;
mod user_profiles;

use ctxt::Ctxt;
use proc_macro::TokenStream;
use shape::Cardinality;
use syn::{Data, DeriveInput, Fields};

/// Maps a struct onto one resource type: `#[fhir(resource = "Encounter")]` on the struct
/// (optionally `profile = "us-core-patient"`: its required elements are checked too),
/// `#[fhir(path = "period.start")]` (optionally with `system = "..."`),
/// `#[fhir(extension = "url")]`, `#[fhir(full_url)]` or `#[fhir(skip)]` on each field.
#[proc_macro_derive(FhirResource, attributes(fhir))]
pub fn derive_fhir_resource(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    expand_resource(&input)
        .unwrap_or_else(|e| {
            with_fallback(
                &input,
                e,
                emit::fallback::resource(&input.ident, resource_name(&input)),
            )
        })
        .into()
}

/// Maps a struct onto one extension: `#[fhir(url = "...")]` on the struct,
/// `#[fhir(extension = "name")]` (a sub-extension) or `#[fhir(value)]` on each field.
#[proc_macro_derive(FhirExtension, attributes(fhir))]
pub fn derive_fhir_extension(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    expand_extension(&input)
        .unwrap_or_else(|e| with_fallback(&input, e, emit::fallback::extension(&input.ident)))
        .into()
}

/// Assembles a Bundle from fields of user resource types:
/// `#[fhir(bundle = "message" | "transaction" | "batch" | "collection")]` on the struct;
/// fields are resources (one, `Option`, `Vec`), or `#[fhir(id)]`, `#[fhir(timestamp)]`,
/// `#[fhir(rest)]` (entries no field takes), `#[fhir(skip)]`.
#[proc_macro_derive(FhirBundle, attributes(fhir))]
pub fn derive_fhir_bundle(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    expand_bundle(&input)
        .unwrap_or_else(|e| with_fallback(&input, e, emit::fallback::bundle(&input.ident)))
        .into()
}

/// The errors, and an impl of the trait for a plain struct so that they come alone.
fn with_fallback(
    input: &DeriveInput,
    error: syn::Error,
    fallback: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let mut out = error.into_compile_error();
    if input.generics.params.is_empty() {
        out.extend(fallback);
    }
    out
}

/// The Rust name of the resource the struct names, if it names one.
fn resource_name(input: &DeriveInput) -> Option<&'static str> {
    let container = attrs::container(&input.attrs, &mut Ctxt::default());
    meta::find_resource(&container.resource?.value).map(|root| root.name)
}

/// The named fields of a plain struct, or an error naming the derive.
fn named_fields<'a>(
    input: &'a DeriveInput,
    derive: &str,
) -> syn::Result<&'a syn::punctuated::Punctuated<syn::Field, syn::token::Comma>> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            format!("{derive} cannot be derived for a generic type"),
        ));
    }
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Ok(&named.named),
            _ => Err(syn::Error::new_spanned(
                &input.ident,
                format!("{derive} needs a struct with named fields"),
            )),
        },
        _ => Err(syn::Error::new_spanned(
            &input.ident,
            format!("{derive} can only be derived for a struct"),
        )),
    }
}

fn expand_resource(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let mut cx = Ctxt::default();
    let fields = named_fields(input, "FhirResource")?;
    let container = attrs::container(&input.attrs, &mut cx);
    check::container(check::Derive::Resource, &container, &mut cx);
    let Some(resource) = container.resource else {
        cx.error(
            &input.ident,
            "name the resource type: `#[fhir(resource = \"Encounter\")]`",
        );
        cx.check()?;
        unreachable!("an error was recorded");
    };
    let Some(root) = meta::find_resource(&resource.value) else {
        cx.error(
            resource.span,
            format!(
                "`{}` is not an R4 resource type{}",
                resource.value,
                suggest::did_you_mean(&resource.value, meta::resource_names())
            ),
        );
        cx.check()?;
        unreachable!("an error was recorded");
    };
    let profile = container.profile.as_ref().and_then(|arg| {
        let known = match meta::profiles() {
            Ok(known) => known,
            Err(message) => {
                cx.error(arg.span, message);
                return None;
            }
        };
        let found = known
            .iter()
            .position(|p| p.id == arg.value || p.url == arg.value);
        let Some(index) = found else {
            cx.error(
                arg.span,
                format!(
                    "no generated profile `{}`{}",
                    arg.value,
                    suggest::did_you_mean(&arg.value, known.iter().map(|p| p.id.as_str()))
                ),
            );
            return None;
        };
        let profile = known.into_iter().nth(index)?;
        if profile.base != root.path {
            cx.error(
                arg.span,
                format!(
                    "profile `{}` constrains {}, not {}",
                    profile.id, profile.base, root.path
                ),
            );
            return None;
        }
        Some(profile)
    });
    let mapped: Vec<_> = fields
        .iter()
        .filter_map(|f| model::field(root, f, false, &mut cx))
        .collect();
    if mapped.len() == fields.len() {
        model::check_required(root, &mapped, input.ident.span(), &mut cx);
        if let Some(profile) = &profile {
            model::check_profile_required(root, profile, &mapped, input.ident.span(), &mut cx);
        }
    }
    for f in mapped
        .iter()
        .filter(|f| matches!(f.what, model::What::FullUrl))
    {
        if f.shape.cardinality == Cardinality::Many {
            cx.error(
                f.ty,
                "a Bundle entry has one `fullUrl`: use `Option<String>`",
            );
        }
    }
    cx.check()?;
    let name = syn::Ident::new(root.name, proc_macro2::Span::call_site());
    Ok(emit::resource::derive(&emit::resource::ResourceInput {
        ident: &input.ident,
        resource: quote::quote!(::fhir_model::resources::#name),
        root: root.path,
        fields: mapped,
        profile: profile.map(|p| table_path(&p.table)),
    }))
}

fn expand_extension(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    let mut cx = Ctxt::default();
    let fields = named_fields(input, "FhirExtension")?;
    let container = attrs::container(&input.attrs, &mut cx);
    check::container(check::Derive::Extension, &container, &mut cx);
    let root = meta::find_struct("Extension").expect("Extension is in the metadata");
    let mapped: Vec<_> = fields
        .iter()
        .filter_map(|f| model::field(root, f, true, &mut cx))
        .collect();
    let values: Vec<_> = mapped
        .iter()
        .filter(|f| matches!(f.what, model::What::Value))
        .collect();
    let has_children = mapped
        .iter()
        .any(|f| matches!(f.what, model::What::Extension { .. }));
    if let Some(value) = values.first() {
        if has_children {
            cx.error(
                value.ident,
                "an extension has a value or sub-extensions, not both (ext-1)",
            );
        }
        if values.len() > 1 {
            cx.error(values[1].ident, "an extension has one value[x]");
        }
        if value.shape.cardinality == Cardinality::Many {
            cx.error(
                value.ty,
                "`Extension.value[x]` is 0..1: a `Vec` field cannot map it",
            );
        }
    }
    let url = match container.url {
        Some(url) if !url.value.is_empty() => url.value,
        _ => {
            cx.error(
                &input.ident,
                "name the extension: `#[fhir(url = \"http://example.org/StructureDefinition/x\")]`",
            );
            String::new()
        }
    };
    cx.check()?;
    Ok(emit::extension::derive(&input.ident, &url, &mapped))
}

fn expand_bundle(input: &DeriveInput) -> syn::Result<proc_macro2::TokenStream> {
    use emit::bundle::{BundleField, Role};
    let mut cx = Ctxt::default();
    let fields = named_fields(input, "FhirBundle")?;
    let container = attrs::container(&input.attrs, &mut cx);
    check::container(check::Derive::Bundle, &container, &mut cx);
    const KINDS: [&str; 4] = ["message", "transaction", "batch", "collection"];
    let kind = match &container.bundle {
        Some(kind) if KINDS.contains(&kind.value.as_str()) => kind.value.clone(),
        Some(kind) => {
            cx.error(
                kind.span,
                format!(
                    "`{}` is not a Bundle type assembled from fields; expected one of: {}{}",
                    kind.value,
                    KINDS.join(", "),
                    suggest::did_you_mean(&kind.value, KINDS)
                ),
            );
            String::new()
        }
        None => {
            cx.error(
                &input.ident,
                "name the Bundle type: `#[fhir(bundle = \"message\")]`",
            );
            String::new()
        }
    };
    let mut out = Vec::new();
    for field in fields {
        let Some(ident) = field.ident.as_ref() else {
            continue;
        };
        let attrs = attrs::field(&field.attrs, &mut cx);
        check::field(check::Derive::Bundle, &attrs, &mut cx);
        let role = if attrs.skip.is_some() {
            Role::Skip
        } else if attrs.id.is_some() {
            Role::Id
        } else if attrs.timestamp.is_some() {
            Role::Timestamp
        } else if attrs.rest.is_some() {
            Role::Rest
        } else {
            Role::Resource
        };
        for arg in [&attrs.path, &attrs.system].into_iter().flatten() {
            cx.error(
                arg.span,
                "a FhirBundle field is a whole resource; map elements in its own type",
            );
        }
        out.push(BundleField {
            ident,
            shape: shape::shape(&field.ty),
            role,
        });
    }
    let first = out.iter().find(|f| matches!(f.role, Role::Resource));
    if kind == "message" {
        match first {
            Some(f) if f.shape.cardinality != Cardinality::One => cx.error(
                f.ident,
                "the first resource field of a message is its MessageHeader: exactly one",
            ),
            None => cx.error(
                &input.ident,
                "a message needs a first field holding its MessageHeader",
            ),
            _ => {}
        }
    }
    cx.check()?;
    Ok(emit::bundle::derive(&input.ident, &kind, &out))
}

/// A profile table's path as tokens; the tables come from fhir-codegen, so a path that does not
/// parse is left for the compiler to report where the derive is.
fn table_path(path: &str) -> proc_macro2::TokenStream {
    match syn::parse_str::<syn::Path>(path) {
        Ok(path) => quote::quote!(#path),
        Err(e) => e.to_compile_error(),
    }
}
