//! Compile-time checks of the typed API: each file under `ui/` must fail to compile with the
//! error recorded next to it.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
