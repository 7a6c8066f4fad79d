//! JSON for primitive values: which JSON type each FHIR primitive uses (json.html#primitive)
//! and the validation done while reading it.

use super::de::error;
use super::Path;
use crate::primitives::*;
use crate::CodeEnum;
use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A primitive value type: how it reads from and writes to one JSON value.
pub trait PrimitiveValue: Sized {
    /// The FHIR type name, for messages.
    const FHIR_TYPE: &'static str;
    /// Reads and validates one JSON value; errors name `at`.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error>;
    /// Writes the value as its JSON type.
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Visitor for primitives written as JSON strings.
struct TextVisitor<'p, T> {
    at: &'p Path<'p>,
    parse: fn(&str) -> Result<T, String>,
    parse_owned: fn(String) -> Result<T, String>,
    fhir_type: &'static str,
    marker: PhantomData<T>,
}

impl<'de, T> Visitor<'de> for TextVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON string ({}) at {}", self.fhir_type, self.at)
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.parse)(text).map_err(|e| error(self.at, e))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        (self.parse_owned)(text).map_err(|e| error(self.at, e))
    }
}

/// `PrimitiveValue` for the validated string types of `crate::primitives`.
macro_rules! text_value {
    ($($ty:ident),*) => {$(
        impl PrimitiveValue for $ty {
            const FHIR_TYPE: &'static str = <$ty as FhirPrimitive>::FHIR_TYPE;
            fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
                deserializer.deserialize_str(TextVisitor {
                    at,
                    parse: |s| $ty::parse(s).map_err(|e| e.to_string()),
                    parse_owned: |s| $ty::try_from(s).map_err(|e| e.to_string()),
                    fhir_type: <Self as PrimitiveValue>::FHIR_TYPE,
                    marker: PhantomData,
                })
            }
            fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    )*};
}

text_value!(
    FhirString,
    Markdown,
    Code,
    Id,
    Uri,
    Url,
    Canonical,
    Oid,
    Uuid,
    Base64Binary,
    Xhtml,
    Date,
    DateTime,
    Instant,
    Time
);

impl<C: CodeEnum> PrimitiveValue for C {
    const FHIR_TYPE: &'static str = "code";
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
        fn parse<C: CodeEnum>(code: &str) -> Result<C, String> {
            C::from_code(code).ok_or_else(|| {
                format!(
                    "code `{code}` is not in the required ValueSet {}",
                    C::VALUE_SET
                )
            })
        }
        deserializer.deserialize_str(TextVisitor {
            at,
            parse: parse::<C>,
            parse_owned: |s| parse::<C>(&s),
            fhir_type: "code",
            marker: PhantomData,
        })
    }
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

struct BoolVisitor<'p>(&'p Path<'p>);

impl Visitor<'_> for BoolVisitor<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "true or false (boolean) at {}", self.0)
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }
}

impl PrimitiveValue for bool {
    const FHIR_TYPE: &'static str = "boolean";
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_bool(BoolVisitor(at))
    }
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*self)
    }
}

/// Integers arrive as JSON numbers without fraction or exponent; a float (`1.0`) is rejected.
struct IntegerVisitor<'p, T> {
    at: &'p Path<'p>,
    check: fn(i64) -> Result<T, PrimitiveError>,
    fhir_type: &'static str,
}

impl<T> Visitor<'_> for IntegerVisitor<'_, T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON integer ({}) at {}", self.fhir_type, self.at)
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        (self.check)(value).map_err(|e| error(self.at, e))
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        let value = i64::try_from(value).map_err(|_| {
            error(
                self.at,
                format_args!("{value} is out of range for {}", self.fhir_type),
            )
        })?;
        self.visit_i64(value)
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        Err(error(
            self.at,
            format_args!("{value} is not an integer ({})", self.fhir_type),
        ))
    }
}

macro_rules! integer_value {
    ($ty:ty, $fhir:literal, $check:expr) => {
        impl PrimitiveValue for $ty {
            const FHIR_TYPE: &'static str = $fhir;
            fn decode<'de, D: Deserializer<'de>>(
                deserializer: D,
                at: &Path<'_>,
            ) -> Result<Self, D::Error> {
                deserializer.deserialize_i64(IntegerVisitor {
                    at,
                    check: $check,
                    fhir_type: $fhir,
                })
            }
            fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(i64::from(*self))
            }
        }
    };
}

integer_value!(i32, "integer", integer_from_i64);
integer_value!(PositiveInt, "positiveInt", PositiveInt::try_from);
integer_value!(UnsignedInt, "unsignedInt", UnsignedInt::try_from);

impl PrimitiveValue for Decimal {
    const FHIR_TYPE: &'static str = "decimal";
    /// Reads the number's source text (serde_json's `RawValue`), so `0.10` stays `0.10`.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
        let raw =
            <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
        Decimal::from_raw(raw).map_err(|e| error(at, e))
    }
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_raw().serialize(serializer)
    }
}
