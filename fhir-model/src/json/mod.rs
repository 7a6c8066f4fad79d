//! FHIR JSON (json.html) through serde.
//!
//! Generated structs implement [`de::DecodeStruct`] and `serde::Serialize`; the helpers here do
//! the per-element work, so generated code stays one line per element. Decoding threads a
//! [`Path`] down the tree (on the stack, no allocation) so every error names its element path.

pub mod compare;
pub mod de;
mod entry;
mod path;
mod position;
mod read;
pub mod ser;
mod value;

pub use entry::{
    from_reader, from_slice, from_str, to_string, to_string_pretty, to_vec, to_writer,
};
pub use path::Path;

/// Extension under which lenient reading keeps the text of a value it could not accept.
pub const KEPT_TEXT_URL: &str = "http://hl7.org/fhir/StructureDefinition/originalText";
pub use read::{Read, Reader, DEFAULT_MAX_DEPTH};
pub use value::{Checked, PrimitiveValue};

/// `DecodeValue` and `Deserialize` for a generated struct, in terms of [`de::DecodeStruct`].
macro_rules! impl_json {
    ($name:ident) => {
        impl crate::json::de::DecodeValue for $name {
            fn decode<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
                at: &crate::json::Path<'_>,
            ) -> Result<Self, D::Error> {
                crate::json::de::object(deserializer, at)
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::json::de::object(deserializer, &crate::json::Path::ROOT)
            }
        }
    };
}
pub(crate) use impl_json;

/// The [`de::Variant`] pair for a primitive variant of a choice enum (`ObservationValue::String`).
macro_rules! variant {
    ($choice:ident :: $variant:ident) => {
        (
            |c| match c {
                $choice::$variant(v) => Some(v),
                #[allow(unreachable_patterns)]
                _ => None,
            },
            $choice::$variant,
        )
    };
}
pub(crate) use variant;
