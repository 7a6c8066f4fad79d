//! A crate with its own Implementation Guide, `acme.fhir.lab` (in `ig/`): build.rs generates
//! its profile view, typed extension, tables and code enums, included here.

// The derive names profile tables as `::fhir_user_package::...` (see build.rs), here too.
extern crate self as fhir_user_package;

/// `acme.fhir.lab` 1.0.0: the ACME Lab Result profile and its Specimen Collection extension.
pub mod acme_fhir_lab {
    include!(concat!(env!("OUT_DIR"), "/acme_fhir_lab.rs"));
}
