//! `fhir-codegen`: reads FHIR StructureDefinitions and writes the generated part of `fhir-model`.
//!
//! load (JSON -> definitions) -> ir (type space) -> emit (tokens -> formatted files).

mod emit;
mod error;
mod ir;
mod load;

use error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: fhir-codegen [--check] [--definitions DIR] [--out DIR]

Regenerates fhir-model/src/generated/ from definitions/hl7.fhir.r4.core/.
  --check          compare with the committed files instead of writing; exit 1 if stale";

struct Options {
    check: bool,
    definitions: PathBuf,
    out: PathBuf,
}

fn parse_args() -> std::result::Result<Options, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().unwrap_or(manifest);
    let mut options = Options {
        check: false,
        definitions: root.join("definitions/hl7.fhir.r4.core"),
        out: root.join("fhir-model/src/generated"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => options.check = true,
            "--definitions" => {
                options.definitions = args.next().ok_or("--definitions needs a folder")?.into()
            }
            "--out" => options.out = args.next().ok_or("--out needs a folder")?.into(),
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
    let space = ir::build_type_space(&package)?;
    let files = emit::emit(&space)?;
    if options.check {
        check(&options.out, &files)?;
    } else {
        write(&options.out, &files)?;
    }
    Ok(files.len())
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
