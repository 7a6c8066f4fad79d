//! `fhir-codegen`: reads FHIR StructureDefinitions and writes the generated part of `fhir-model`.
//!
//! load (JSON -> definitions) -> ir (type space) -> emit (tokens -> formatted files).

mod emit;
mod error;
mod fhirpath;
mod ir;
mod load;

use error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: fhir-codegen [--check] [--definitions DIR] [--out DIR] [--macros-out DIR]
                    [--package DIR_OR_TGZ]...

Regenerates fhir-model/src/generated/ and fhir-macros/src/generated/ from
definitions/hl7.fhir.r4.core/ and the profile packages (definitions/us-core/ and every
--package).
  --check          compare with the committed files instead of writing; exit 1 if stale
  --package PATH   also generate a feature-gated module for this package of profiles and
                   extensions (a folder or .tgz of StructureDefinitions, with package.json)";

struct Options {
    check: bool,
    definitions: PathBuf,
    /// Profile packages (folders or `.tgz`), each generated as a feature-gated module.
    packages: Vec<PathBuf>,
    out: PathBuf,
    /// The derive macros' element metadata, generated from the same type space.
    macros_out: PathBuf,
    /// fhir-model's Cargo.toml, whose `[features]` table is generated too.
    manifest: PathBuf,
}

fn parse_args() -> std::result::Result<Options, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().unwrap_or(manifest);
    let mut options = Options {
        check: false,
        definitions: root.join("definitions/hl7.fhir.r4.core"),
        packages: vec![root.join("definitions/us-core")],
        out: root.join("fhir-model/src/generated"),
        macros_out: root.join("fhir-macros/src/generated"),
        manifest: root.join("fhir-model/Cargo.toml"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--definitions" => {
                options.definitions = args.next().ok_or("--definitions needs a folder")?.into()
            }
            "--package" => options.packages.push(
                args.next()
                    .ok_or("--package needs a folder or .tgz")?
                    .into(),
            ),
            "--out" => options.out = args.next().ok_or("--out needs a folder")?.into(),
            "--macros-out" => {
                options.macros_out = args.next().ok_or("--macros-out needs a folder")?.into()
            }
            "--manifest" => {
                options.manifest = args.next().ok_or("--manifest needs a Cargo.toml")?.into()
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    match run(&options) {
        Ok(count) => {
            let verb = if options.check { "checked" } else { "wrote" };
            eprintln!(
                "fhir-codegen: {verb} {count} files in {:.2?}",
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fhir-codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<usize> {
    let package = load::load_package(&options.definitions)?;
    let mut space = ir::build_type_space(&package)?;
    for path in &options.packages {
        let extra = load::load_extra_package(path)?;
        let built = ir::profile::build_profile_package(&package, &extra)?;
        if space.profiles.iter().any(|p| p.module == built.module) {
            let message = format!("module {} is generated twice", built.module);
            return Err(Error::definition(path, &extra.name, message));
        }
        space.profiles.push(built);
    }
    eprintln!("fhir-codegen: {}", ir::invariants::summary(&space));
    eprintln!("fhir-codegen: {}", fhirpath::report(&space));
    let files = emit::emit(&space)?;
    let macro_files = emit::macro_files(&space)?;
    let manifest =
        std::fs::read_to_string(&options.manifest).map_err(|e| Error::io(&options.manifest, e))?;
    let updated = with_features(&manifest, &emit::features::manifest_section(&space));
    if options.check {
        let mut stale = Vec::new();
        for result in [
            check(&options.out, &files),
            check(&options.macros_out, &macro_files),
        ] {
            match result {
                Ok(()) => {}
                Err(Error::Stale(paths)) => stale.extend(paths),
                Err(e) => return Err(e),
            }
        }
        if updated != manifest {
            stale.push(options.manifest.clone());
        }
        if !stale.is_empty() {
            return Err(Error::Stale(stale));
        }
    } else {
        write(&options.out, &files)?;
        write(&options.macros_out, &macro_files)?;
        if updated != manifest {
            std::fs::write(&options.manifest, updated)
                .map_err(|e| Error::io(&options.manifest, e))?;
        }
    }
    Ok(files.len() + macro_files.len() + 1)
}

const FEATURES_BEGIN: &str =
    "# @generated by fhir-codegen: a feature per resource and per category (do not edit)\n";
const FEATURES_END: &str = "# end of generated features\n";

/// The manifest with its generated `[features]` block replaced (or appended).
fn with_features(manifest: &str, section: &str) -> String {
    let block = format!("{FEATURES_BEGIN}{section}{FEATURES_END}");
    match (manifest.find(FEATURES_BEGIN), manifest.find(FEATURES_END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!(
                "{}{block}{}",
                &manifest[..begin],
                &manifest[end + FEATURES_END.len()..]
            )
        }
        _ => format!("{}\n[features]\n{block}", manifest.trim_end()),
    }
}

/// Replaces the output folder whole, so files of removed definitions disappear too.
fn write(out: &Path, files: &[emit::GeneratedFile]) -> Result<()> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| Error::io(out, e))?;
    }
    for f in files {
        let path = out.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, &f.contents).map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// Names every file that differs, is missing, or should not be there.
fn check(out: &Path, files: &[emit::GeneratedFile]) -> Result<()> {
    let mut stale = Vec::new();
    for f in files {
        let path = out.join(&f.path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(f.contents.as_str()) {
            stale.push(path);
        }
    }
    let expected: std::collections::BTreeSet<PathBuf> =
        files.iter().map(|f| out.join(&f.path)).collect();
    let mut present = Vec::new();
    list_files(out, &mut present);
    stale.extend(present.into_iter().filter(|p| !expected.contains(p)));
    if stale.is_empty() {
        Ok(())
    } else {
        stale.sort();
        Err(Error::Stale(stale))
    }
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_files() -> Vec<emit::GeneratedFile> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        let space = ir::build_type_space(&load::load_package(&dir).unwrap()).unwrap();
        emit::emit(&space).unwrap()
    }

    #[test]
    fn check_passes_after_write_and_names_hand_edited_extra_and_missing_files() {
        let out = std::env::temp_dir().join(format!("fhir-codegen-check-{}", std::process::id()));
        let files = tiny_files();
        write(&out, &files).unwrap();
        check(&out, &files).unwrap();

        let edited = out.join("resources/thing.rs");
        let text = std::fs::read_to_string(&edited).unwrap();
        std::fs::write(
            &edited,
            text.replace("pub struct Thing", "pub struct Thingy"),
        )
        .unwrap();
        std::fs::write(out.join("resources/stray.rs"), "// left behind\n").unwrap();
        std::fs::remove_file(out.join("codes.rs")).unwrap();
        let Err(Error::Stale(stale)) = check(&out, &files) else {
            panic!("check passed on edited files")
        };
        let names: Vec<_> = stale
            .iter()
            .map(|p| p.strip_prefix(&out).unwrap().to_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            ["codes.rs", "resources/stray.rs", "resources/thing.rs"]
        );

        write(&out, &files).unwrap();
        check(&out, &files).unwrap();
        std::fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn features_block_is_appended_once_then_replaced_in_place() {
        let manifest = "[package]\nname = \"x\"\n";
        let once = with_features(manifest, "a = []\n");
        assert_eq!(
            once,
            format!("[package]\nname = \"x\"\n[features]\n{FEATURES_BEGIN}a = []\n{FEATURES_END}")
        );
        assert_eq!(
            with_features(&once, "a = []\n"),
            once,
            "regenerating is stable"
        );
        let changed = with_features(&once, "b = []\n");
        assert!(
            changed.contains("b = []") && !changed.contains("a = []"),
            "{changed}"
        );
    }

    #[test]
    fn every_generated_file_is_marked() {
        for f in tiny_files() {
            assert!(
                f.contents
                    .starts_with("// @generated by fhir-codegen from example.tiny#0.0.1."),
                "{}",
                f.path.display()
            );
        }
    }
}
