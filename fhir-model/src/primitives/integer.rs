//! `integer`, `positiveInt` and `unsignedInt`.

use std::fmt;

use super::{FhirPrimitive, PrimitiveError};

/// FHIR `integer` (<https://hl7.org/fhir/R4/datatypes.html#integer>): a
/// signed 32-bit value, which `i32` represents exactly, so no wrapper is
/// needed. Use [`integer_from_i64`] / [`integer_from_u64`] to range-check
/// numbers read from JSON.
pub type Integer = i32;

impl FhirPrimitive for bool {
    const FHIR_TYPE: &'static str = "boolean";
}

impl FhirPrimitive for i32 {
    const FHIR_TYPE: &'static str = "integer";
}

const INTEGER_RANGE: &str = "out of range for integer (-2147483648..=2147483647)";

/// Range-checks a JSON integer for a FHIR `integer` element, whose values
/// must fit in 32 bits even though JSON numbers are unbounded.
pub fn integer_from_i64(value: i64) -> Result<Integer, PrimitiveError> {
    i32::try_from(value)
        .map_err(|_| PrimitiveError::new("integer", INTEGER_RANGE, &value.to_string()))
}

/// Like [`integer_from_i64`], for values a JSON reader produced as `u64`.
pub fn integer_from_u64(value: u64) -> Result<Integer, PrimitiveError> {
    i32::try_from(value)
        .map_err(|_| PrimitiveError::new("integer", INTEGER_RANGE, &value.to_string()))
}

/// Largest value of every FHIR integer type (they are all 32-bit signed).
const MAX: u32 = i32::MAX as u32;

/// Stamps out a range-checked `u32` newtype.
macro_rules! bounded_int {
    ($(#[$meta:meta])* $name:ident, $fhir:literal, $min:literal, $reason:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            #[doc = concat!("Checks that `value` is in ", $min, "..=2147483647.")]
            pub fn new(value: u32) -> Result<Self, PrimitiveError> {
                if ($min..=MAX).contains(&value) {
                    Ok($name(value))
                } else {
                    Err(PrimitiveError::new($fhir, $reason, &value.to_string()))
                }
            }

            /// The value.
            pub fn get(self) -> u32 {
                self.0
            }
        }

        impl FhirPrimitive for $name {
            const FHIR_TYPE: &'static str = $fhir;
        }

        impl TryFrom<i64> for $name {
            type Error = PrimitiveError;

            fn try_from(value: i64) -> Result<Self, Self::Error> {
                match u32::try_from(value) {
                    Ok(v) => $name::new(v),
                    Err(_) => Err(PrimitiveError::new($fhir, $reason, &value.to_string())),
                }
            }
        }

        impl TryFrom<u64> for $name {
            type Error = PrimitiveError;

            fn try_from(value: u64) -> Result<Self, Self::Error> {
                match u32::try_from(value) {
                    Ok(v) => $name::new(v),
                    Err(_) => Err(PrimitiveError::new($fhir, $reason, &value.to_string())),
                }
            }
        }

        impl From<$name> for u32 {
            fn from(value: $name) -> u32 {
                value.0
            }
        }

        impl From<$name> for i64 {
            fn from(value: $name) -> i64 {
                i64::from(value.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

bounded_int! {
    /// FHIR `positiveInt` (<https://hl7.org/fhir/R4/datatypes.html#positiveInt>):
    /// 1..=2147483647. Unsigned storage makes negatives unrepresentable; the
    /// upper bound matches `integer` so values stay interchangeable with it.
    PositiveInt, "positiveInt", 1, "out of range 1..=2147483647"
}

bounded_int! {
    /// FHIR `unsignedInt` (<https://hl7.org/fhir/R4/datatypes.html#unsignedInt>):
    /// 0..=2147483647. Unsigned storage makes negatives unrepresentable; the
    /// upper bound matches `integer` so values stay interchangeable with it.
    UnsignedInt, "unsignedInt", 0, "out of range 0..=2147483647"
}

impl From<PositiveInt> for UnsignedInt {
    fn from(value: PositiveInt) -> Self {
        UnsignedInt(value.0)
    }
}

impl From<PositiveInt> for i32 {
    /// Exact: the range ends at `i32::MAX`.
    fn from(value: PositiveInt) -> i32 {
        i32::try_from(value.0).unwrap_or(i32::MAX)
    }
}

impl From<UnsignedInt> for i32 {
    /// Exact: the range ends at `i32::MAX`.
    fn from(value: UnsignedInt) -> i32 {
        i32::try_from(value.0).unwrap_or(i32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_int_range() {
        for ok in [1u32, 2, 100, 2147483646, 2147483647] {
            assert_eq!(PositiveInt::new(ok).unwrap().get(), ok);
        }
        for bad in [0u32, 2147483648, u32::MAX] {
            let e = PositiveInt::new(bad).unwrap_err();
            assert_eq!(e.fhir_type(), "positiveInt");
            assert_eq!(e.excerpt(), bad.to_string());
        }
        assert!(PositiveInt::try_from(1i64).is_ok());
        assert!(PositiveInt::try_from(2147483647i64).is_ok());
        for bad in [i64::MIN, -1, 0, 2147483648, i64::MAX] {
            assert!(PositiveInt::try_from(bad).is_err(), "{bad}");
        }
        for bad in [0u64, 2147483648, u64::MAX] {
            assert!(PositiveInt::try_from(bad).is_err(), "{bad}");
        }
        assert_eq!(PositiveInt::try_from(7u64).unwrap().get(), 7);
    }

    #[test]
    fn unsigned_int_range() {
        for ok in [0u32, 1, 2147483647] {
            assert_eq!(UnsignedInt::new(ok).unwrap().get(), ok);
        }
        for bad in [2147483648u32, u32::MAX] {
            assert!(UnsignedInt::new(bad).is_err());
        }
        assert_eq!(UnsignedInt::try_from(0i64).unwrap().get(), 0);
        for bad in [-1i64, 2147483648, i64::MIN, i64::MAX] {
            assert!(UnsignedInt::try_from(bad).is_err(), "{bad}");
        }
        assert_eq!(
            UnsignedInt::try_from(2147483647u64).unwrap().get(),
            2147483647
        );
        assert!(UnsignedInt::try_from(4294967296u64).is_err());
        let e = UnsignedInt::try_from(-5i64).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid unsignedInt \"-5\": out of range 0..=2147483647"
        );
    }

    #[test]
    fn integer_helpers() {
        assert_eq!(integer_from_i64(-2147483648).unwrap(), i32::MIN);
        assert_eq!(integer_from_i64(2147483647).unwrap(), i32::MAX);
        assert_eq!(integer_from_i64(0).unwrap(), 0);
        assert!(integer_from_i64(-2147483649).is_err());
        assert!(integer_from_i64(2147483648).is_err());
        assert_eq!(integer_from_u64(2147483647).unwrap(), i32::MAX);
        assert!(integer_from_u64(2147483648).is_err());
        let e = integer_from_i64(i64::MAX).unwrap_err();
        assert_eq!(e.fhir_type(), "integer");
        assert_eq!(e.excerpt(), "9223372036854775807");
    }

    #[test]
    fn conversions_and_traits() {
        let p = PositiveInt::new(2147483647).unwrap();
        assert_eq!(i32::from(p), i32::MAX);
        assert_eq!(i64::from(p), 2147483647);
        assert_eq!(u32::from(p), 2147483647);
        assert_eq!(UnsignedInt::from(p).get(), 2147483647);
        assert_eq!(i32::from(UnsignedInt::new(0).unwrap()), 0);
        assert_eq!(p.to_string(), "2147483647");
        assert_eq!(
            format!("{:?}", PositiveInt::new(3).unwrap()),
            "PositiveInt(3)"
        );
        assert_eq!(format!("{:>4}", UnsignedInt::new(3).unwrap()), "   3");
        assert!(PositiveInt::new(1).unwrap() < PositiveInt::new(2).unwrap());
    }
}
