//! `decimal`.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde_json::value::RawValue;

use super::{FhirPrimitive, PrimitiveError};

const FHIR_TYPE: &str = "decimal";

/// FHIR `decimal` (<https://hl7.org/fhir/R4/datatypes.html#decimal>).
///
/// Stored as the JSON number text (a [`RawValue`]) instead of `f64`, because
/// FHIR treats the written digits as significant: `0.10` and `0.1` differ,
/// and values like `1.000000000000000000001` must survive a round trip.
/// Serializing the raw value with serde_json writes it back verbatim.
///
/// Equality and hashing compare the text, so `1.0 != 1.00` here: they state
/// different precision. Use [`Decimal::to_f64`] for numeric comparison.
pub struct Decimal {
    raw: Box<RawValue>,
}

/// Checks `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, which is also
/// exactly the JSON number grammar.
fn check_decimal(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let is_digit = |i: usize| matches!(at(i), Some(b'0'..=b'9'));
    let mut i = 0;
    if at(0) == Some(b'-') {
        i = 1;
    }
    match at(i) {
        Some(b'0') => {
            i += 1;
            if is_digit(i) {
                return Err("leading zeros are not allowed");
            }
        }
        Some(b'1'..=b'9') => {
            while is_digit(i) {
                i += 1;
            }
        }
        None => return Err("a digit is required"),
        Some(b'+') => return Err("a leading '+' is not allowed"),
        Some(b'.') => return Err("a digit is required before '.'"),
        Some(_) => return Err("expected a digit"),
    }
    if at(i) == Some(b'.') {
        i += 1;
        if !is_digit(i) {
            return Err("a digit is required after '.'");
        }
        while is_digit(i) {
            i += 1;
        }
    }
    if matches!(at(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(at(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !is_digit(i) {
            return Err("exponent needs at least one digit");
        }
        while is_digit(i) {
            i += 1;
        }
    }
    if i == b.len() {
        Ok(())
    } else {
        Err("unexpected character in number")
    }
}

impl Decimal {
    /// Validates `text` as a FHIR `decimal` and copies it.
    pub fn parse(text: &str) -> Result<Self, PrimitiveError> {
        match check_decimal(text) {
            Ok(()) => Self::wrap_checked(text.to_owned()),
            Err(reason) => Err(PrimitiveError::new(FHIR_TYPE, reason, text)),
        }
    }

    /// Moves text that passed `check_decimal` into a `RawValue`.
    fn wrap_checked(text: String) -> Result<Self, PrimitiveError> {
        match RawValue::from_string(text) {
            Ok(raw) => Ok(Decimal { raw }),
            // Unreachable: the decimal grammar is a subset of JSON numbers.
            Err(_) => Err(PrimitiveError::new(FHIR_TYPE, "not a JSON number", "")),
        }
    }

    /// Wraps a raw JSON value, rejecting anything but a number (for example
    /// the JSON string `"1.0"`, `true` or `null`).
    pub fn from_raw(raw: Box<RawValue>) -> Result<Self, PrimitiveError> {
        Self::from_raw_or_back(raw).map_err(|(e, _)| e)
    }

    /// Like [`Decimal::from_raw`], handing the text back on error (so a valid number costs
    /// no copy of its text).
    pub(crate) fn from_raw_or_back(
        raw: Box<RawValue>,
    ) -> Result<Self, (PrimitiveError, Box<RawValue>)> {
        match check_decimal(raw.get()) {
            Ok(()) => Ok(Decimal { raw }),
            Err(reason) => Err((PrimitiveError::new(FHIR_TYPE, reason, raw.get()), raw)),
        }
    }

    /// The number text, exactly as it was given.
    pub fn as_str(&self) -> &str {
        self.raw.get()
    }

    /// The number as a raw JSON value, for verbatim serialization.
    pub fn as_raw(&self) -> &RawValue {
        &self.raw
    }

    /// Gives up the raw JSON value without copying it.
    pub fn into_raw(self) -> Box<RawValue> {
        self.raw
    }

    /// The nearest `f64`. Lossy: digits beyond `f64` precision are rounded,
    /// and out-of-range exponents give infinity or zero.
    pub fn to_f64(&self) -> f64 {
        // The grammar is a subset of what `f64::from_str` accepts, so this
        // cannot fail for a validated value.
        self.as_str().parse().unwrap_or(f64::NAN)
    }

    /// Builds a decimal from the text of an integer, which is always valid.
    fn from_integer_text(text: String) -> Self {
        match Self::try_from(text) {
            Ok(decimal) => decimal,
            Err(e) => unreachable!("integer text is a valid decimal: {e}"),
        }
    }
}

impl FhirPrimitive for Decimal {
    const FHIR_TYPE: &'static str = FHIR_TYPE;
}

impl TryFrom<String> for Decimal {
    type Error = PrimitiveError;

    /// Validates and keeps the `String`'s allocation.
    fn try_from(text: String) -> Result<Self, Self::Error> {
        match check_decimal(&text) {
            Ok(()) => Self::wrap_checked(text),
            Err(reason) => Err(PrimitiveError::new(FHIR_TYPE, reason, &text)),
        }
    }
}

impl TryFrom<&str> for Decimal {
    type Error = PrimitiveError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}

impl TryFrom<Box<RawValue>> for Decimal {
    type Error = PrimitiveError;

    fn try_from(raw: Box<RawValue>) -> Result<Self, Self::Error> {
        Self::from_raw(raw)
    }
}

impl std::str::FromStr for Decimal {
    type Err = PrimitiveError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl From<i32> for Decimal {
    fn from(value: i32) -> Self {
        Self::from_integer_text(value.to_string())
    }
}

impl From<u32> for Decimal {
    fn from(value: u32) -> Self {
        Self::from_integer_text(value.to_string())
    }
}

impl From<Decimal> for Box<RawValue> {
    fn from(value: Decimal) -> Self {
        value.raw
    }
}

impl Clone for Decimal {
    fn clone(&self) -> Self {
        Decimal {
            raw: self.raw.clone(),
        }
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Decimal {}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_table_round_trips() {
        let good = [
            "0",
            "-0",
            "0.10",
            "1.000000000000000000001",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "-1.5e-10",
            "0.0",
            "-0.0",
            "123456789012345678901234567890",
            "3.14159",
            "0e0",
            "10",
            "1.0e00",
        ];
        for s in good {
            let d = Decimal::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
            assert_eq!(d.as_str(), s);
            assert_eq!(d.as_raw().get(), s);
            assert_eq!(d.to_string(), s);
            assert_eq!(serde_json::to_string(d.as_raw()).unwrap(), s);
        }
    }

    #[test]
    fn reject_table() {
        let bad = [
            "",
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "-.5",
            "+1",
            "1e",
            "1e+",
            "1e-",
            "e3",
            "-",
            "1.5.5",
            "1,5",
            " 1",
            "1 ",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x10",
            "1_000",
            "１",
            "1e3.5",
            "--1",
            "\"1.0\"",
        ];
        for s in bad {
            assert!(Decimal::parse(s).is_err(), "{s:?} should be rejected");
            assert!(Decimal::try_from(s.to_string()).is_err(), "{s:?}");
        }
    }

    #[test]
    fn error_reasons() {
        let reason = |s: &str| Decimal::parse(s).unwrap_err().reason();
        assert_eq!(reason("01"), "leading zeros are not allowed");
        assert_eq!(reason("1."), "a digit is required after '.'");
        assert_eq!(reason(".5"), "a digit is required before '.'");
        assert_eq!(reason("+1"), "a leading '+' is not allowed");
        assert_eq!(
            Decimal::parse("1x").unwrap_err().to_string(),
            "invalid decimal \"1x\": unexpected character in number"
        );
    }

    #[test]
    fn from_raw_accepts_numbers_only() {
        let raw = |s: &str| RawValue::from_string(s.to_string()).unwrap();
        let d = Decimal::from_raw(raw("0.10")).unwrap();
        assert_eq!(d.as_str(), "0.10");
        for not_number in ["\"1.0\"", "true", "false", "null", "[1]", "{\"a\":1}"] {
            let e = Decimal::from_raw(raw(not_number)).unwrap_err();
            assert_eq!(e.fhir_type(), "decimal");
        }
        // A number read out of a document keeps its digits.
        let doc: std::collections::BTreeMap<String, Box<RawValue>> =
            serde_json::from_str(r#"{"v": 1.000000000000000000001 }"#).unwrap();
        let d = Decimal::from_raw(doc.into_values().next().unwrap()).unwrap();
        assert_eq!(d.as_str(), "1.000000000000000000001");
        assert_eq!(Box::<RawValue>::from(d).get(), "1.000000000000000000001");
    }

    #[test]
    fn equality_is_textual() {
        let p = |s: &str| Decimal::parse(s).unwrap();
        assert_ne!(p("1.0"), p("1.00"));
        assert_eq!(p("1.0"), p("1.0"));
        assert_eq!(p("1.0").to_f64(), p("1.00").to_f64());
        let mut set = std::collections::HashSet::new();
        set.insert(p("0.10"));
        assert!(set.contains(&p("0.10")));
        assert!(!set.contains(&p("0.1")));
    }

    #[test]
    fn integers_convert_exactly() {
        assert_eq!(Decimal::from(i32::MIN).as_str(), "-2147483648");
        assert_eq!(Decimal::from(0i32).as_str(), "0");
        assert_eq!(Decimal::from(u32::MAX).as_str(), "4294967295");
        assert_eq!(Decimal::from(u32::MAX).to_f64(), 4294967295.0);
    }

    #[test]
    fn to_f64_and_traits() {
        let d: Decimal = "-1.5e3".parse().unwrap();
        assert_eq!(d.to_f64(), -1500.0);
        assert_eq!(Decimal::parse("1e999").unwrap().to_f64(), f64::INFINITY);
        assert_eq!(format!("{d:?}"), "Decimal(-1.5e3)");
        assert_eq!(d.clone(), d);
        let s = String::from("0.10");
        assert_eq!(Decimal::try_from(s).unwrap().as_str(), "0.10");
        assert_eq!(Decimal::try_from("2").unwrap().as_str(), "2");
    }
}
