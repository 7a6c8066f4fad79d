//! `ig/acme.fhir.lab-1.0.0.tgz` (what build.rs reads) is rebuilt from `ig/package/` by
//! `ig/build-tgz.sh`: both must generate the same code, or the archive is stale.

use std::path::{Path, PathBuf};

fn generate(package: &Path, out: &Path) -> Vec<String> {
    let written = fhir_codegen::Config::new()
        .package(package)
        .quiet()
        .generate_to(out)
        .unwrap_or_else(|e| panic!("{e}"));
    written
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

#[test]
fn the_archive_generates_what_the_package_folder_does() {
    let ig = Path::new(env!("CARGO_MANIFEST_DIR")).join("ig");
    let temp = |name: &str| -> PathBuf {
        std::env::temp_dir().join(format!("acme-ig-{name}-{}", std::process::id()))
    };
    let (from_tgz, from_folder) = (temp("tgz"), temp("folder"));
    let tgz = generate(&ig.join("acme.fhir.lab-1.0.0.tgz"), &from_tgz);
    let folder = generate(&ig.join("package"), &from_folder);
    std::fs::remove_dir_all(&from_tgz).unwrap();
    std::fs::remove_dir_all(&from_folder).unwrap();
    // Not assert_eq: the files are long, and which one differs is what matters.
    assert!(
        tgz == folder,
        "ig/acme.fhir.lab-1.0.0.tgz is stale: run ig/build-tgz.sh"
    );
    assert!(tgz[0].contains("pub struct AcmeLabResult"));
}
