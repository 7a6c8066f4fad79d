//! Where generated code finds the fhir-model runtime: `crate` inside fhir-model itself,
//! `::fhir_model` in a user's crate (build.rs output), so one emitter serves both.

use proc_macro2::TokenStream;
use quote::quote;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// Code committed in `fhir-model/src/generated/`.
    Model,
    /// Code written to a user's `OUT_DIR` and compiled against fhir-model as a dependency.
    User,
}

impl Root {
    /// The path prefix for runtime items.
    pub fn path(self) -> TokenStream {
        match self {
            Root::Model => quote!(crate),
            Root::User => quote!(::fhir_model),
        }
    }

    /// The same prefix for intra-doc links.
    pub fn doc(self) -> &'static str {
        match self {
            Root::Model => "crate",
            Root::User => "fhir_model",
        }
    }
}
