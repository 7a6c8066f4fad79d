//! Generates `$OUT_DIR/acme_fhir_lab.rs` (and the derive's profile table) from the package in
//! ig/; the core package is this workspace's definitions/hl7.fhir.r4.core.

const PACKAGE: &str = "ig/acme.fhir.lab-1.0.0.tgz";

fn main() {
    fhir_codegen::Config::new()
        .package(PACKAGE)
        // Derives in tests and other crates name the tables through the crate's name (the
        // default, `crate::acme_fhir_lab`, works only inside this crate).
        .module_path(PACKAGE, "::fhir_user_package::acme_fhir_lab")
        .generate()
        .unwrap_or_else(|e| panic!("fhir-codegen: {e}"));
}
