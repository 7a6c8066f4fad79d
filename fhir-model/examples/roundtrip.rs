//! Decodes each FHIR JSON file into `Resource`, encodes it again and compares the two as JSON
//! (exact number text, key order ignored).
//!
//! `cargo run --release -p fhir-model --example roundtrip -- PATH...` (files or folders)

use fhir_model::json::compare::{compare_bytes, CompareError};
use fhir_model::Resource;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: roundtrip PATH... (JSON files or folders of them)");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for arg in &args {
        if let Err(e) = collect(arg, &mut files) {
            eprintln!("{}: {e}", arg.display());
            return ExitCode::from(2);
        }
    }
    let (mut exact, mut differ, mut rejected) = (0usize, 0usize, 0usize);
    for file in &files {
        let input = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("{}: rejected: cannot read: {e}", file.display());
                rejected += 1;
                continue;
            }
        };
        match roundtrip(&input) {
            Ok(()) => exact += 1,
            Err(Outcome::Rejected(reason)) => {
                println!("{}: rejected: {reason}", file.display());
                rejected += 1;
            }
            Err(Outcome::Differs(reason)) => {
                println!("{}: differs: {reason}", file.display());
                differ += 1;
            }
        }
    }
    println!("roundtrip: {exact} exact, {differ} differ, {rejected} rejected");
    ExitCode::SUCCESS
}

enum Outcome {
    Rejected(String),
    Differs(String),
}

fn roundtrip(input: &[u8]) -> Result<(), Outcome> {
    let resource: Resource =
        fhir_model::json::from_slice(input).map_err(|e| Outcome::Rejected(e.to_string()))?;
    let output = fhir_model::json::to_vec(&resource)
        .map_err(|e| Outcome::Differs(format!("cannot encode: {e}")))?;
    match compare_bytes(input, &output) {
        Ok(()) => Ok(()),
        Err(CompareError::Differ(d)) => Err(Outcome::Differs(d.to_string())),
        Err(e) => Err(Outcome::Differs(e.to_string())),
    }
}

/// Files given directly, or the `.json` files of a folder, sorted by name.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        entries.sort();
        out.extend(entries);
    } else {
        out.push(path.to_owned());
    }
    Ok(())
}
