//! The `fhir-codegen` command: regenerates (or checks) this workspace's generated code through
//! [`fhir_codegen::Model`].

use fhir_codegen::Model;
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str =
    "usage: fhir-codegen [--check] [--definitions DIR] [--out DIR] [--macros-out DIR]
                    [--package DIR_OR_TGZ]...

Regenerates fhir-model/src/generated/ and fhir-macros/src/generated/ from
definitions/hl7.fhir.r4.core/ and the profile packages (definitions/us-core/ and every
--package).
  --check          compare with the committed files instead of writing; exit 1 if stale
  --package PATH   also generate a feature-gated module for this package of profiles and
                   extensions (a folder or .tgz of StructureDefinitions, with package.json)

A crate of your own generates its package from build.rs instead: see fhir_codegen::Config.";

fn parse_args() -> Result<Model, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut model = Model::in_workspace(manifest.parent().unwrap_or(manifest));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |what: &str| args.next().ok_or(format!("{arg} needs {what}"));
        match arg.as_str() {
            "--check" => model.check = true,
            "--definitions" => model.definitions = value("a folder")?.into(),
            "--package" => model.packages.push(value("a folder or .tgz")?.into()),
            "--out" => model.out = value("a folder")?.into(),
            "--macros-out" => model.macros_out = value("a folder")?.into(),
            "--manifest" => model.manifest = value("a Cargo.toml")?.into(),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(model)
}

fn main() -> ExitCode {
    let model = match parse_args() {
        Ok(m) => m,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    match model.run() {
        Ok(count) => {
            let verb = if model.check { "checked" } else { "wrote" };
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
