//! Reads each file strictly, validates it fully, and prints one JSON line per file:
//! `{"file": ..., "valid": true|false, "outcome": {OperationOutcome}}`. Exits 0 whatever the
//! files hold (2 on bad arguments).
//!
//! `cargo run -p fhir-model --example validate -- [--lenient] PATH...` (files or folders)

use fhir_model::json::Reader;
use fhir_model::validate::{to_operation_outcome, validate_resource, Issue, Severity};
use fhir_model::Resource;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let lenient = args.first().is_some_and(|a| a.as_os_str() == "--lenient");
    if lenient {
        args.remove(0);
    }
    let reader = if lenient {
        Reader::lenient()
    } else {
        Reader::strict()
    };
    if args.is_empty() {
        eprintln!("usage: validate [--lenient] PATH... (JSON files or folders of them)");
        return ExitCode::from(2);
    }
    for arg in &args {
        let files = match files_of(arg) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("{}: {e}", arg.display());
                return ExitCode::from(2);
            }
        };
        for file in files {
            let issues = check(&reader, &file);
            let valid = !issues.iter().any(|i| i.severity == Severity::Error);
            let outcome = Resource::from(to_operation_outcome(&issues));
            let line = format!(
                "{{\"file\": {}, \"valid\": {valid}, \"outcome\": {}}}",
                json!(file.display().to_string()),
                fhir_model::json::to_string(&outcome)
                    .unwrap_or_else(|e| json!({ "error": e.to_string() }).to_string())
            );
            println!("{line}");
        }
    }
    ExitCode::SUCCESS
}

fn check(reader: &Reader, file: &Path) -> Vec<Issue> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            return vec![Issue::error(
                fhir_model::validate::IssueCode::Structure,
                String::new(),
                format!("cannot read: {e}"),
            )];
        }
    };
    match reader.read_resource(&bytes) {
        Ok(read) => {
            let mut issues = read.issues;
            issues.extend(validate_resource(&read.value));
            issues
        }
        Err(issue) => vec![issue],
    }
}

/// The file itself, or the `.json` files of a folder (`folder/name`), sorted.
fn files_of(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}
