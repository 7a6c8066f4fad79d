//! JSON for primitive values: which JSON type each FHIR primitive uses (json.html#primitive)
//! and the validation done while reading it. A value that fails is returned as
//! [`Checked::Invalid`] with its source text, so lenient reading can keep it.

use super::de::error;
use super::Path;
use crate::primitives::*;
use crate::validate::IssueCode;
use crate::CodeEnum;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, Serializer};
use std::fmt;

/// A primitive as read from JSON.
pub enum Checked<T> {
    /// A valid value.
    Valid(T),
    /// A value that is not valid for the type, with its JSON text.
    Invalid {
        /// The JSON text of what was found (a string's content, a number's digits).
        text: String,
        /// Why it was refused.
        reason: String,
        /// The kind of problem.
        code: IssueCode,
    },
}

/// A primitive value type: how it reads from and writes to one JSON value.
pub trait PrimitiveValue: Sized {
    /// The FHIR type name, for messages.
    const FHIR_TYPE: &'static str;
    /// Reads one JSON value of any JSON type; an unfit value comes back as `Invalid`.
    fn decode_checked<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<Checked<Self>, D::Error>;
    /// Reads and validates one JSON value; errors name `at`.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
        match Self::decode_checked(deserializer, at)? {
            Checked::Valid(v) => Ok(v),
            Checked::Invalid { reason, .. } => Err(error(at, reason)),
        }
    }
    /// Writes the value as its JSON type.
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// For `uri`, `url` and `canonical`: offers the text to `rewrite` and takes what it
    /// returns if that is valid for the type (see [`crate::visit::rewrite_uris`]).
    #[doc(hidden)]
    fn rewrite_uri(&mut self, _rewrite: &mut dyn FnMut(&str) -> Option<String>) {}
}

/// The JSON type a primitive is written as.
#[derive(Clone, Copy)]
enum Json {
    String,
    Integer,
    Boolean,
}

/// One visitor for every primitive family: the expected JSON type goes to its parser; any
/// other JSON value becomes `Invalid`, after being consumed whole.
struct PrimitiveVisitor<T> {
    expects: Json,
    fhir_type: &'static str,
    text: fn(&str) -> Result<T, (String, IssueCode)>,
    owned: fn(String) -> Result<T, (String, IssueCode)>,
    integer: fn(i64) -> Result<T, String>,
    boolean: fn(bool) -> Option<T>,
}

impl<T> PrimitiveVisitor<T> {
    fn wrong(&self, found: &str, text: String) -> Checked<T> {
        let expected = match self.expects {
            Json::String => "a JSON string",
            Json::Integer => "a JSON integer",
            Json::Boolean => "true or false",
        };
        Checked::Invalid {
            text,
            reason: format!("expected {expected} ({}), found {found}", self.fhir_type),
            code: IssueCode::Structure,
        }
    }
}

fn none<T>(_: bool) -> Option<T> {
    None
}

fn no_integer<T>(_: i64) -> Result<T, String> {
    Err(String::new())
}

fn no_text<T>(_: &str) -> Result<T, (String, IssueCode)> {
    Err((String::new(), IssueCode::Structure))
}

fn no_owned<T>(_: String) -> Result<T, (String, IssueCode)> {
    Err((String::new(), IssueCode::Structure))
}

impl<'de, T> Visitor<'de> for PrimitiveVisitor<T> {
    type Value = Checked<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a FHIR {}", self.fhir_type)
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Checked<T>, E> {
        if !matches!(self.expects, Json::String) {
            return Ok(self.wrong("a string", text.to_owned()));
        }
        Ok(match (self.text)(text) {
            Ok(v) => Checked::Valid(v),
            Err((reason, code)) => Checked::Invalid {
                text: text.to_owned(),
                reason,
                code,
            },
        })
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Checked<T>, E> {
        if !matches!(self.expects, Json::String) {
            return Ok(self.wrong("a string", text));
        }
        let keep = text.clone();
        Ok(match (self.owned)(text) {
            Ok(v) => Checked::Valid(v),
            Err((reason, code)) => Checked::Invalid {
                text: keep,
                reason,
                code,
            },
        })
    }
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Checked<T>, E> {
        if !matches!(self.expects, Json::Integer) {
            return Ok(self.wrong("a number", value.to_string()));
        }
        Ok(match (self.integer)(value) {
            Ok(v) => Checked::Valid(v),
            Err(reason) => Checked::Invalid {
                text: value.to_string(),
                reason,
                code: IssueCode::Value,
            },
        })
    }
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Checked<T>, E> {
        match i64::try_from(value) {
            Ok(v) => self.visit_i64(v),
            Err(_) if matches!(self.expects, Json::Integer) => Ok(Checked::Invalid {
                text: value.to_string(),
                reason: format!("{value} is out of range for {}", self.fhir_type),
                code: IssueCode::Value,
            }),
            Err(_) => Ok(self.wrong("a number", value.to_string())),
        }
    }
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Checked<T>, E> {
        if matches!(self.expects, Json::Integer) {
            return Ok(Checked::Invalid {
                text: value.to_string(),
                reason: format!("{value} is not an integer ({})", self.fhir_type),
                code: IssueCode::Value,
            });
        }
        Ok(self.wrong("a number", value.to_string()))
    }
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Checked<T>, E> {
        match (self.boolean)(value) {
            Some(v) => Ok(Checked::Valid(v)),
            None => Ok(self.wrong("a boolean", value.to_string())),
        }
    }
    fn visit_unit<E: de::Error>(self) -> Result<Checked<T>, E> {
        Ok(self.wrong("null", "null".to_owned()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked<T>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.wrong("an object", "{...}".to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked<T>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.wrong("an array", "[...]".to_owned()))
    }
}

/// `PrimitiveValue` for the validated string types of `crate::primitives`.
macro_rules! text_value {
    ($($ty:ident),*) => {$(
        impl PrimitiveValue for $ty {
            const FHIR_TYPE: &'static str = <$ty as FhirPrimitive>::FHIR_TYPE;
            fn decode_checked<'de, D: Deserializer<'de>>(deserializer: D, _at: &Path<'_>) -> Result<Checked<Self>, D::Error> {
                deserializer.deserialize_any(PrimitiveVisitor {
                    expects: Json::String,
                    fhir_type: <Self as PrimitiveValue>::FHIR_TYPE,
                    text: |s| $ty::parse(s).map_err(|e| (e.to_string(), IssueCode::Value)),
                    owned: |s| $ty::try_from(s).map_err(|e| (e.to_string(), IssueCode::Value)),
                    integer: no_integer,
                    boolean: none,
                })
            }
            fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
            fn rewrite_uri(&mut self, rewrite: &mut dyn FnMut(&str) -> Option<String>) {
                if !matches!(<Self as PrimitiveValue>::FHIR_TYPE, "uri" | "url" | "canonical") {
                    return;
                }
                if let Some(new) = rewrite(self.as_str()).and_then(|t| $ty::try_from(t).ok()) {
                    *self = new;
                }
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

fn code<C: CodeEnum>(text: &str) -> Result<C, (String, IssueCode)> {
    C::from_code(text).ok_or_else(|| {
        (
            format!(
                "code `{text}` is not in the required ValueSet {}",
                C::VALUE_SET
            ),
            IssueCode::CodeInvalid,
        )
    })
}

impl<C: CodeEnum> PrimitiveValue for C {
    const FHIR_TYPE: &'static str = "code";
    fn decode_checked<'de, D: Deserializer<'de>>(
        deserializer: D,
        _at: &Path<'_>,
    ) -> Result<Checked<Self>, D::Error> {
        deserializer.deserialize_any(PrimitiveVisitor {
            expects: Json::String,
            fhir_type: "code",
            text: code::<C>,
            owned: |s| code::<C>(&s),
            integer: no_integer,
            boolean: none,
        })
    }
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl PrimitiveValue for bool {
    const FHIR_TYPE: &'static str = "boolean";
    fn decode_checked<'de, D: Deserializer<'de>>(
        deserializer: D,
        _at: &Path<'_>,
    ) -> Result<Checked<Self>, D::Error> {
        deserializer.deserialize_any(PrimitiveVisitor {
            expects: Json::Boolean,
            fhir_type: "boolean",
            text: no_text,
            owned: no_owned,
            integer: no_integer,
            boolean: Some,
        })
    }
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*self)
    }
}

/// Integers arrive as JSON numbers without fraction or exponent; a float (`1.0`) is refused.
macro_rules! integer_value {
    ($ty:ty, $fhir:literal, $check:expr) => {
        impl PrimitiveValue for $ty {
            const FHIR_TYPE: &'static str = $fhir;
            fn decode_checked<'de, D: Deserializer<'de>>(
                deserializer: D,
                _at: &Path<'_>,
            ) -> Result<Checked<Self>, D::Error> {
                deserializer.deserialize_any(PrimitiveVisitor {
                    expects: Json::Integer,
                    fhir_type: $fhir,
                    text: no_text,
                    owned: no_owned,
                    integer: |v| $check(v).map_err(|e: PrimitiveError| e.to_string()),
                    boolean: none,
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
    fn decode_checked<'de, D: Deserializer<'de>>(
        deserializer: D,
        _at: &Path<'_>,
    ) -> Result<Checked<Self>, D::Error> {
        let raw =
            <Box<serde_json::value::RawValue> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(match Decimal::from_raw_or_back(raw) {
            Ok(d) => Checked::Valid(d),
            Err((e, raw)) => Checked::Invalid {
                text: raw.get().to_owned(),
                reason: e.to_string(),
                code: IssueCode::Value,
            },
        })
    }
    fn encode<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_raw().serialize(serializer)
    }
}
