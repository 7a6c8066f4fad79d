//! [`Config`]: generating a user's own Implementation Guide from a build script.

use crate::error::{Error, Result};
use crate::{assemble, emit, output};
use std::path::{Path, PathBuf};

/// The environment variable naming the core package folder when [`Config::core_definitions`]
/// is not called.
pub const CORE_ENV: &str = "FHIR_R4_CORE_DEFINITIONS";

/// Where the core package is when neither [`Config::core_definitions`] nor [`CORE_ENV`] says:
/// this workspace's `definitions/` folder, present when fhir-codegen comes from a path or git
/// dependency on the workspace.
const BUNDLED_CORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../definitions/hl7.fhir.r4.core"
);

/// Generates Rust for FHIR profile packages, for a build script (like `prost_build::Config`).
///
/// ```no_run
/// // in build.rs's main:
/// fhir_codegen::Config::new()
///     .package("fhir/acme.fhir.lab-1.0.0.tgz")
///     .generate()
///     .unwrap_or_else(|e| panic!("{e}"));
/// ```
///
/// Each package becomes one file in the output folder named after its module
/// (`acme.fhir.lab` -> `acme_fhir_lab.rs`) that the crate includes in a module of that name:
/// `pub mod acme_fhir_lab { include!(concat!(env!("OUT_DIR"), "/acme_fhir_lab.rs")); }`.
/// Next to it, `acme_fhir_lab.fhir-profiles.tsv` tells `#[derive(FhirResource)]` about the
/// package's profiles.
#[derive(Clone, Debug, Default)]
pub struct Config {
    packages: Vec<PathBuf>,
    core: Option<PathBuf>,
    module_paths: Vec<(PathBuf, String)>,
    quiet: bool,
}

impl Config {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a profile package: a folder of JSON definitions with `package.json`, or an
    /// npm-style `.tgz` (its `package/` folder).
    pub fn package(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.packages.push(path.as_ref().to_owned());
        self
    }

    /// The folder of the FHIR R4 core package (`hl7.fhir.r4.core`, unpacked) that profiles are
    /// resolved against. Otherwise [`CORE_ENV`] names it, or this workspace's copy is used.
    pub fn core_definitions(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.core = Some(dir.as_ref().to_owned());
        self
    }

    /// Where the crate includes the generated file of `package` (default `crate::<module>`),
    /// so that `#[fhir(profile = ...)]` can name the profile's table.
    pub fn module_path(&mut self, package: impl AsRef<Path>, rust_path: &str) -> &mut Self {
        let package = package.as_ref().to_owned();
        self.module_paths.retain(|(p, _)| *p != package);
        self.module_paths.push((package, rust_path.to_owned()));
        self
    }

    /// Leaves out the `cargo:rerun-if-changed` lines (for use outside a build script).
    pub fn quiet(&mut self) -> &mut Self {
        self.quiet = true;
        self
    }

    /// [`Config::generate_to`] the `OUT_DIR` cargo gives build scripts.
    pub fn generate(&self) -> Result<Vec<PathBuf>> {
        let out = std::env::var_os("OUT_DIR").ok_or_else(|| Error::Definition {
            file: PathBuf::from("OUT_DIR"),
            element: "OUT_DIR".into(),
            message: "not set: call generate() from a build script, or use generate_to(dir)".into(),
        })?;
        self.generate_to(out)
    }

    /// Writes each package's file and profile table into `out`; returns the paths written.
    /// A file whose text did not change is left untouched.
    pub fn generate_to(&self, out: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
        let out = out.as_ref();
        let core = self.core_dir();
        // Printed first, so that a failed run is retried once an input changes.
        self.print(&self.input_lines(&core));
        if !core.join("package.json").is_file() {
            return Err(Error::definition(
                &core,
                "hl7.fhir.r4.core",
                format!(
                    "no FHIR R4 core package here; give its folder with \
                     Config::core_definitions or ${CORE_ENV}"
                ),
            ));
        }
        let space = assemble::type_space(&core, &self.packages)?;
        let mut written = Vec::new();
        for (path, package) in self.packages.iter().zip(&space.profiles) {
            let code = emit::user_file(&space, package)?;
            let module_path = self
                .module_paths
                .iter()
                .find(|(p, _)| p == path)
                .map_or_else(|| format!("crate::{}", package.module), |(_, m)| m.clone());
            let table = emit::user_profiles_table(package, &module_path);
            for (name, text) in [
                (code.path, code.contents),
                (
                    format!("{}.fhir-profiles.tsv", package.module).into(),
                    table,
                ),
            ] {
                let file = out.join(name);
                output::write_file(&file, &text)?;
                written.push(file);
            }
        }
        self.print(&output_lines(&written));
        Ok(written)
    }

    fn core_dir(&self) -> PathBuf {
        self.core
            .clone()
            .or_else(|| std::env::var_os(CORE_ENV).map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from(BUNDLED_CORE))
    }

    /// What cargo watches on the input side: the core folder, its variable, each package.
    fn input_lines(&self, core: &Path) -> Vec<String> {
        let mut lines = vec![
            format!("cargo:rerun-if-env-changed={CORE_ENV}"),
            format!("cargo:rerun-if-changed={}", core.display()),
        ];
        for package in &self.packages {
            lines.push(format!("cargo:rerun-if-changed={}", package.display()));
        }
        lines
    }

    fn print(&self, lines: &[String]) {
        if !self.quiet {
            for line in lines {
                println!("{line}");
            }
        }
    }
}

/// The outputs too: a deleted file makes cargo run the build script again. Unchanged files are
/// not rewritten, so this settles after one more run.
fn output_lines(written: &[PathBuf]) -> Vec<String> {
    written
        .iter()
        .map(|file| format!("cargo:rerun-if-changed={}", file.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
    }

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("fhir-codegen-{name}-{}", std::process::id()))
    }

    #[test]
    fn writes_the_package_file_and_the_derive_table_named_after_the_module() {
        let out = temp("config");
        let written = Config::new()
            .core_definitions(fixtures().join("tiny"))
            .package(fixtures().join("tiny-profile"))
            .module_path(fixtures().join("tiny-profile"), "::tiny_user::tiny")
            .quiet()
            .generate_to(&out)
            .unwrap();
        let names: Vec<_> = written
            .iter()
            .map(|p| p.strip_prefix(&out).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                Path::new("example_tiny_profile.rs"),
                Path::new("example_tiny_profile.fhir-profiles.tsv")
            ]
        );
        let table = std::fs::read_to_string(&written[1]).unwrap();
        assert!(
            table.contains("tiny-thing\thttp://example.org/StructureDefinition/tiny-thing\tThing\t::tiny_user::tiny::TINY_THING\t"),
            "{table}"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn cargo_reruns_for_the_inputs_and_for_a_deleted_output() {
        let mut config = Config::new();
        config.package("ig/acme.tgz");
        let core = Path::new("/defs/core");
        assert_eq!(
            config.input_lines(core),
            [
                format!("cargo:rerun-if-env-changed={CORE_ENV}"),
                "cargo:rerun-if-changed=/defs/core".to_owned(),
                "cargo:rerun-if-changed=ig/acme.tgz".to_owned(),
            ]
        );
        let written = [
            PathBuf::from("/out/acme.rs"),
            PathBuf::from("/out/acme.fhir-profiles.tsv"),
        ];
        assert_eq!(
            output_lines(&written),
            [
                "cargo:rerun-if-changed=/out/acme.rs",
                "cargo:rerun-if-changed=/out/acme.fhir-profiles.tsv"
            ]
        );
    }

    #[test]
    fn an_unchanged_output_is_not_rewritten() {
        let out = temp("config-unchanged");
        let mut config = Config::new();
        config
            .core_definitions(fixtures().join("tiny"))
            .package(fixtures().join("tiny-profile"))
            .quiet();
        let written = config.generate_to(&out).unwrap();
        let before = std::fs::metadata(&written[0]).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        config.generate_to(&out).unwrap();
        let after = std::fs::metadata(&written[0]).unwrap().modified().unwrap();
        assert_eq!(before, after);
        std::fs::remove_file(&written[0]).unwrap();
        config.generate_to(&out).unwrap();
        assert!(written[0].is_file(), "a deleted output is written again");
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_missing_core_package_or_package_is_an_error_that_names_it() {
        let out = temp("config-missing");
        let err = Config::new()
            .core_definitions("/nonexistent/core")
            .quiet()
            .generate_to(&out)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/nonexistent/core: "), "{err}");
        assert!(err.contains("Config::core_definitions"), "{err}");
        let err = Config::new()
            .core_definitions(fixtures().join("tiny"))
            .package("/nonexistent/acme.tgz")
            .quiet()
            .generate_to(&out)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/nonexistent/acme.tgz: "), "{err}");
        assert!(!out.exists(), "nothing is written on error");
    }
}
