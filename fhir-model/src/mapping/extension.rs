//! Extensions on user types: simple ones (a `value[x]` in a user field) and complex ones (a
//! user type deriving `FhirExtension`, whose fields are sub-extensions).

use super::{Context, MappingError};
use crate::datatypes::*;
use crate::primitives::*;
use crate::Primitive;

/// A user type standing for one extension definition (`#[derive(FhirExtension)]`).
pub trait FhirExtension: Sized {
    /// The extension's canonical URL (or, for a sub-extension, its short name).
    const URL: &'static str;
    /// The extension, `url` included.
    fn to_extension(&self, at: &str) -> Result<Extension, MappingError>;
    /// Reads an extension whose `url` is [`Self::URL`]; `at` is its path.
    fn from_extension(
        extension: &Extension,
        at: &str,
        cx: &Context<'_>,
    ) -> Result<Self, MappingError>;
}

/// A user value that can be an extension's `value[x]` (`String` is `valueString`, `i32`
/// `valueInteger`, a `Coding` `valueCoding` ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the value[x] of an extension",
    label = "not a FHIR value[x] type",
    note = "use a model datatype (`Coding`, `Quantity`, ...), a primitive (`DateTime`, `Code`, ...), `String`, `bool` or `i32`"
)]
pub trait ToValue {
    /// The `value[x]`; `at` is its path, for errors.
    fn to_value(&self, at: &str) -> Result<ExtensionValue, MappingError>;
}

/// A user value that can be read from an extension's `value[x]` of one type.
#[diagnostic::on_unimplemented(
    message = "an extension's value[x] cannot be read into `{Self}`",
    label = "not a FHIR value[x] type",
    note = "use a model datatype (`Coding`, `Quantity`, ...), a primitive (`DateTime`, `Code`, ...), `String`, `bool` or `i32`"
)]
pub trait FromValue: Sized {
    /// Reads the value, which must be of this type; `at` is its path, for errors.
    fn from_value(value: &ExtensionValue, at: &str, cx: &Context<'_>)
        -> Result<Self, MappingError>;
}

/// A new extension with this URL and no content.
pub fn new_extension(url: &str, at: &str) -> Result<Extension, MappingError> {
    let url = Uri::parse(url).map_err(|e| MappingError::new(at, e))?;
    Ok(Extension::new(url))
}

/// Appends a simple extension with `value`.
pub fn push_value<U: ToValue + ?Sized>(
    list: &mut Vec<Extension>,
    url: &str,
    value: &U,
    at: &str,
) -> Result<(), MappingError> {
    let at = format!("{at}.extension[{}]", list.len());
    let mut extension = new_extension(url, &at)?;
    extension.value = Some(value.to_value(&format!("{at}.value[x]"))?);
    list.push(extension);
    Ok(())
}

/// Appends a complex extension made by a user type.
pub fn push_extension<X: FhirExtension>(
    list: &mut Vec<Extension>,
    value: &X,
    at: &str,
) -> Result<(), MappingError> {
    let at = format!("{at}.extension[{}]", list.len());
    list.push(value.to_extension(&at)?);
    Ok(())
}

/// The extensions in `list` with this URL, with their indices.
fn with_url<'a>(
    list: &'a [Extension],
    url: &'a str,
) -> impl Iterator<Item = (usize, &'a Extension)> + 'a {
    list.iter()
        .enumerate()
        .filter(move |(_, e)| crate::profile::extension::has_url(e, url))
}

/// At most one extension with this URL: more is an error, since the field holds one.
fn at_most_one<'a>(
    list: &'a [Extension],
    url: &'a str,
    at: &str,
) -> Result<Option<(usize, &'a Extension)>, MappingError> {
    let mut found = with_url(list, url);
    let first = found.next();
    if let Some((i, _)) = found.next() {
        return Err(MappingError::new(
            format!("{at}.extension[{i}]"),
            format!("a second extension {url}, where the field holds one"),
        ));
    }
    Ok(first)
}

fn value_of<U: FromValue>(
    (i, extension): (usize, &Extension),
    at: &str,
    cx: &Context<'_>,
) -> Result<U, MappingError> {
    let at = format!("{at}.extension[{i}]");
    match &extension.value {
        Some(value) => U::from_value(value, &format!("{at}.value[x]"), cx),
        None => Err(MappingError::new(at, "extension has no value[x]")),
    }
}

/// The value of the only extension with this URL, if there is one.
pub fn read_value<U: FromValue>(
    list: &[Extension],
    url: &str,
    at: &str,
    cx: &Context<'_>,
) -> Result<Option<U>, MappingError> {
    at_most_one(list, url, at)?
        .map(|found| value_of(found, at, cx))
        .transpose()
}

/// The values of every extension with this URL, in order.
pub fn read_values<U: FromValue>(
    list: &[Extension],
    url: &str,
    at: &str,
    cx: &Context<'_>,
) -> Result<Vec<U>, MappingError> {
    with_url(list, url)
        .map(|found| value_of(found, at, cx))
        .collect()
}

/// The only extension of type `X`, if there is one.
pub fn read_extension<X: FhirExtension>(
    list: &[Extension],
    at: &str,
    cx: &Context<'_>,
) -> Result<Option<X>, MappingError> {
    at_most_one(list, X::URL, at)?
        .map(|(i, e)| X::from_extension(e, &format!("{at}.extension[{i}]"), cx))
        .transpose()
}

/// Every extension of type `X`, in order.
pub fn read_extensions<X: FhirExtension>(
    list: &[Extension],
    at: &str,
    cx: &Context<'_>,
) -> Result<Vec<X>, MappingError> {
    with_url(list, X::URL)
        .map(|(i, e)| X::from_extension(e, &format!("{at}.extension[{i}]"), cx))
        .collect()
}

fn wrong_type(at: &str, expected: &str, found: &ExtensionValue) -> MappingError {
    MappingError::new(
        at,
        format!("expected value{expected}, found value{}", suffix(found)),
    )
}

/// Every `value[x]` type, as (variant, model type); primitives are wrapped in `Primitive`,
/// the others boxed. The match in `suffix` makes the lists exhaustive.
macro_rules! extension_values {
    (primitive: $($p:ident: $pty:ty),*; complex: $($c:ident),*) => {
        /// The type suffix of a `value[x]` (`Quantity` in `valueQuantity`).
        pub fn suffix(value: &ExtensionValue) -> &'static str {
            match value {
                $(ExtensionValue::$p(_) => stringify!($p),)*
                $(ExtensionValue::$c(_) => stringify!($c),)*
            }
        }
        $(
            impl ToValue for $pty {
                fn to_value(&self, _: &str) -> Result<ExtensionValue, MappingError> {
                    Ok(ExtensionValue::$p(Primitive::new(self.clone())))
                }
            }
            impl ToValue for Primitive<$pty> {
                fn to_value(&self, _: &str) -> Result<ExtensionValue, MappingError> {
                    Ok(ExtensionValue::$p(self.clone()))
                }
            }
            impl FromValue for $pty {
                fn from_value(
                    element: &ExtensionValue,
                    at: &str,
                    _: &Context<'_>,
                ) -> Result<Self, MappingError> {
                    match element {
                        ExtensionValue::$p(p) => p
                            .value()
                            .cloned()
                            .ok_or_else(|| MappingError::new(at, "has extensions but no value")),
                        other => Err(wrong_type(at, stringify!($p), other)),
                    }
                }
            }
            impl FromValue for Primitive<$pty> {
                fn from_value(
                    element: &ExtensionValue,
                    at: &str,
                    _: &Context<'_>,
                ) -> Result<Self, MappingError> {
                    match element {
                        ExtensionValue::$p(p) => Ok(p.clone()),
                        other => Err(wrong_type(at, stringify!($p), other)),
                    }
                }
            }
        )*
        $(
            impl ToValue for $c {
                fn to_value(&self, _: &str) -> Result<ExtensionValue, MappingError> {
                    Ok(ExtensionValue::$c(Box::new(self.clone())))
                }
            }
            impl FromValue for $c {
                fn from_value(
                    element: &ExtensionValue,
                    at: &str,
                    _: &Context<'_>,
                ) -> Result<Self, MappingError> {
                    match element {
                        ExtensionValue::$c(c) => Ok((**c).clone()),
                        other => Err(wrong_type(at, stringify!($c), other)),
                    }
                }
            }
        )*
    };
}

extension_values! {
    primitive: Base64Binary: Base64Binary, Boolean: bool, Canonical: Canonical, Code: Code,
        Date: Date, DateTime: DateTime, Decimal: Decimal, Id: Id, Instant: Instant,
        Integer: i32, Markdown: Markdown, Oid: Oid, PositiveInt: PositiveInt,
        String: FhirString, Time: Time, UnsignedInt: UnsignedInt, Uri: Uri, Url: Url,
        Uuid: Uuid;
    complex: Address, Age, Annotation, Attachment, CodeableConcept, Coding, ContactPoint, Count,
        Distance, Duration, HumanName, Identifier, Money, Period, Quantity, Range, Ratio,
        Reference, SampledData, Signature, Timing, ContactDetail, Contributor, DataRequirement,
        Expression, ParameterDefinition, RelatedArtifact, TriggerDefinition, UsageContext,
        Dosage, Meta
}

/// Text is written as `valueString` and read only from one.
impl ToValue for String {
    fn to_value(&self, at: &str) -> Result<ExtensionValue, MappingError> {
        self.as_str().to_value(at)
    }
}

impl ToValue for str {
    fn to_value(&self, at: &str) -> Result<ExtensionValue, MappingError> {
        FhirString::parse(self)
            .map(|s| ExtensionValue::String(Primitive::new(s)))
            .map_err(|e| MappingError::new(at, e))
    }
}

impl FromValue for String {
    fn from_value(
        element: &ExtensionValue,
        at: &str,
        cx: &Context<'_>,
    ) -> Result<Self, MappingError> {
        FhirString::from_value(element, at, cx).map(String::from)
    }
}
