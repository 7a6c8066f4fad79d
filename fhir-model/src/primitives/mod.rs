//! FHIR R4 primitive datatypes (<https://hl7.org/fhir/R4/datatypes.html#primitive>).
//!
//! Each type is validated once, when it is constructed, so the rest of the
//! model can trust it without re-checking. Values keep the exact source text
//! (`"2015-02"`, `"0.10"`), because in FHIR the written precision carries
//! meaning and a decode/encode round trip must not change it.
//!
//! Validators are hand-written byte scanners: they allocate nothing, and a
//! successful parse costs exactly one allocation for the stored text (none
//! when an owned `String` is handed over).

/// Stamps out a validated newtype over `Box<str>` with the API shared by the
/// temporal and text types. `$check` is `fn(&str) -> Result<(), &'static str>`.
macro_rules! str_newtype {
    ($(#[$meta:meta])* $name:ident, $fhir:literal, $check:path) => {
        $(#[$meta])*
        pub struct $name(Box<str>);

        impl $name {
            #[doc = concat!("Validates `text` as a FHIR `", $fhir, "` and copies it.")]
            pub fn parse(text: &str) -> Result<Self, super::PrimitiveError> {
                match $check(text) {
                    Ok(()) => Ok($name(Box::from(text))),
                    Err(reason) => Err(super::PrimitiveError::new($fhir, reason, text)),
                }
            }

            /// The validated text, exactly as it was given.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Gives up the stored text without copying it.
            pub fn into_boxed_str(self) -> Box<str> {
                self.0
            }
        }

        impl super::FhirPrimitive for $name {
            const FHIR_TYPE: &'static str = $fhir;
        }

        impl TryFrom<String> for $name {
            type Error = super::PrimitiveError;

            /// Validates and keeps the `String`'s allocation.
            fn try_from(text: String) -> Result<Self, Self::Error> {
                match $check(&text) {
                    Ok(()) => Ok($name(text.into_boxed_str())),
                    Err(reason) => Err(super::PrimitiveError::new($fhir, reason, &text)),
                }
            }
        }

        impl TryFrom<&str> for $name {
            type Error = super::PrimitiveError;

            fn try_from(text: &str) -> Result<Self, Self::Error> {
                $name::parse(text)
            }
        }

        impl std::str::FromStr for $name {
            type Err = super::PrimitiveError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $name::parse(text)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for Box<str> {
            fn from(value: $name) -> Box<str> {
                value.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0.into_string()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&&*self.0).finish()
            }
        }
    };
}

mod decimal;
mod error;
mod integer;
mod temporal;
mod text;

pub use decimal::Decimal;
pub use error::PrimitiveError;
pub use integer::{integer_from_i64, integer_from_u64, Integer, PositiveInt, UnsignedInt};
pub use temporal::{Date, DatePrecision, DateTime, Instant, Time};
pub(crate) use text::replace_string_limit;
pub(crate) use text::{is_valid_id, is_valid_oid, is_valid_uuid};
pub use text::{
    Base64Binary, Canonical, Code, FhirString, Id, Markdown, Oid, Uri, Url, Uuid, Xhtml,
    MAX_STRING_CHARS,
};

/// Implemented by every primitive type so generic code (decoders, error
/// reporting) can name the FHIR type it is handling.
pub trait FhirPrimitive {
    /// The FHIR type name as written in the spec, e.g. `"dateTime"`.
    const FHIR_TYPE: &'static str;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs that stress scanners: truncations of valid values, wrong
    /// characters in every position, multi-byte chars where ASCII is expected.
    fn hostile_inputs() -> Vec<String> {
        let valid = [
            "2015",
            "2015-02-07",
            "2015-02-07T13:28:17.239+02:00",
            "2016-02-29T23:59:60Z",
            "13:28:17.2390",
            "-12.340e+05",
            "urn:oid:1.2.840.10008",
            "urn:uuid:c757873d-ec9a-4326-a141-556f43239520",
            "QUJD RA==",
            "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>",
            "a b c",
            "http://example.org/fhir|1.0",
        ];
        let mut out = Vec::new();
        for v in valid {
            for (i, _) in v.char_indices() {
                out.push(v[..i].to_string());
                out.push(v[i..].to_string());
                // Replace one char with a multi-byte char and with a control char.
                let mut swapped = String::from(&v[..i]);
                swapped.push('é');
                swapped.push_str(&v[i + 1..]);
                out.push(swapped);
                let mut ctrl = String::from(&v[..i]);
                ctrl.push('\u{1}');
                ctrl.push_str(&v[i + 1..]);
                out.push(ctrl);
            }
            out.push(v.to_string());
            out.push(format!("{v}😀"));
            out.push(format!(" {v} "));
        }
        for odd in [
            "",
            " ",
            "\0",
            "\u{FEFF}",
            "€",
            "😀😀😀😀",
            "-",
            ".",
            "e",
            "T",
            ":",
            "Z",
            "+",
            "=",
            "----",
            "2015-0é-07",
            "20€5",
            "2015-02-07T",
            "2015-02-07T1€:00:00Z",
            "2015-02-07T13:28:17.ü",
            "2015-02-07T13:28:17+0€:00",
            "1e",
            "1e+",
            "-.",
            "urn:oid:",
            "urn:uuid:",
            "<div",
            "<",
            "\u{85}\u{A0}\u{3000}",
        ] {
            out.push(odd.to_string());
        }
        // Byte soup decoded lossily: every byte value in several positions.
        for b in 0u8..=255 {
            let bytes = [b'2', b'0', b, b'5', b'-', b, b'2', b'T', b];
            out.push(String::from_utf8_lossy(&bytes).into_owned());
            out.push(String::from_utf8_lossy(&[b; 5]).into_owned());
        }
        out
    }

    #[test]
    fn no_parser_panics_on_hostile_input() {
        let inputs = hostile_inputs();
        assert!(inputs.len() > 1000);
        for s in &inputs {
            let owned = || s.clone();
            if let Ok(v) = Date::parse(s) {
                let _ = (v.year(), v.month(), v.day(), v.precision());
            }
            if let Ok(v) = DateTime::parse(s) {
                let _ = (v.year(), v.month(), v.day(), v.precision(), v.timezone());
                let _ = (v.hour(), v.minute(), v.second());
            }
            if let Ok(v) = Instant::parse(s) {
                let _ = (v.year(), v.month(), v.day(), v.precision(), v.timezone());
                let _ = (v.hour(), v.minute(), v.second());
            }
            if let Ok(v) = Time::parse(s) {
                let _ = (v.hour(), v.minute(), v.second(), v.precision());
            }
            if let Ok(v) = Decimal::parse(s) {
                let _ = v.to_f64();
            }
            let _ = Date::try_from(owned());
            let _ = DateTime::try_from(owned());
            let _ = Instant::try_from(owned());
            let _ = Time::try_from(owned());
            let _ = Decimal::try_from(owned());
            let _ = FhirString::parse(s);
            let _ = Markdown::parse(s);
            let _ = Code::parse(s);
            let _ = Id::parse(s);
            let _ = Uri::parse(s);
            let _ = Url::parse(s);
            let _ = Canonical::parse(s);
            let _ = Oid::parse(s);
            let _ = Uuid::parse(s);
            let _ = Base64Binary::parse(s);
            let _ = Xhtml::parse(s);
            let _ = Base64Binary::try_from(owned());
            if let Ok(raw) = serde_json::value::RawValue::from_string(owned()) {
                let _ = Decimal::from_raw(raw);
            }
            if let Ok(n) = s.parse::<i64>() {
                let _ = PositiveInt::try_from(n);
                let _ = UnsignedInt::try_from(n);
                let _ = integer_from_i64(n);
            }
        }
    }

    #[test]
    fn fhir_type_names() {
        fn name<T: FhirPrimitive>() -> &'static str {
            T::FHIR_TYPE
        }
        assert_eq!(name::<Date>(), "date");
        assert_eq!(name::<DateTime>(), "dateTime");
        assert_eq!(name::<Instant>(), "instant");
        assert_eq!(name::<Time>(), "time");
        assert_eq!(name::<Decimal>(), "decimal");
        assert_eq!(name::<Integer>(), "integer");
        assert_eq!(name::<PositiveInt>(), "positiveInt");
        assert_eq!(name::<UnsignedInt>(), "unsignedInt");
        assert_eq!(name::<FhirString>(), "string");
        assert_eq!(name::<Markdown>(), "markdown");
        assert_eq!(name::<Code>(), "code");
        assert_eq!(name::<Id>(), "id");
        assert_eq!(name::<Uri>(), "uri");
        assert_eq!(name::<Url>(), "url");
        assert_eq!(name::<Canonical>(), "canonical");
        assert_eq!(name::<Oid>(), "oid");
        assert_eq!(name::<Uuid>(), "uuid");
        assert_eq!(name::<Base64Binary>(), "base64Binary");
        assert_eq!(name::<Xhtml>(), "xhtml");
    }

    #[test]
    fn errors_name_the_type() {
        let e = DateTime::parse("2015-13").unwrap_err();
        assert_eq!(e.fhir_type(), "dateTime");
        assert_eq!(
            e.to_string(),
            "invalid dateTime \"2015-13\": month out of range 01-12"
        );
    }
}
