//! The derive checks `#[fhir(profile = ...)]` against this crate's own package at compile time:
//! each file under `ui/` must fail with the error recorded next to it.

#[test]
fn ui() {
    // trybuild compiles the cases as a crate without a build script; give it this crate's
    // OUT_DIR, where build.rs wrote the profile table the derive reads.
    std::env::set_var("OUT_DIR", env!("OUT_DIR"));
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
