//! Codes of required bindings as Rust enums.

/// A generated enum over the codes of a required ValueSet binding.
pub trait CodeEnum: Copy + Sized + 'static {
    /// Canonical URL of the ValueSet the codes come from.
    const VALUE_SET: &'static str;
    /// The code as written in JSON.
    fn code(self) -> &'static str;
    /// The variant for a code, or `None` when the code is outside the ValueSet.
    fn from_code(code: &str) -> Option<Self>;
}

/// A code outside the ValueSet of a required binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode {
    /// The code as given.
    pub code: String,
    /// Canonical URL of the ValueSet it is not in.
    pub value_set: &'static str,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "code `{}` is not in the required ValueSet {}",
            self.code, self.value_set
        )
    }
}

impl std::error::Error for UnknownCode {}

/// `Display` and `FromStr` for a code enum, in terms of [`CodeEnum`].
macro_rules! impl_code_enum {
    ($name:ident) => {
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(crate::CodeEnum::code(*self))
            }
        }
        impl crate::primitives::FhirPrimitive for $name {
            const FHIR_TYPE: &'static str = "code";
        }
        impl std::str::FromStr for $name {
            type Err = crate::code::UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                <Self as crate::CodeEnum>::from_code(code).ok_or_else(|| crate::code::UnknownCode {
                    code: code.to_owned(),
                    value_set: <Self as crate::CodeEnum>::VALUE_SET,
                })
            }
        }
    };
}
pub(crate) use impl_code_enum;
