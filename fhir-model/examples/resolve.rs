//! Resolves every reference of each Bundle given and prints one JSON line per reference:
//! `{"path": ..., "reference": ..., "entry": N|null, "rule": ..., "target": ...}`.
//!
//! `cargo run -p fhir-model --example resolve -- FILE...`
//!
//! Bundles are read leniently: a problem elsewhere in the Bundle (an Observation without
//! `status`) is reported on standard error, and every reference is still resolved.

use fhir_model::json::Reader;
use fhir_model::validate::Issue;
use fhir_model::Resource;
use serde_json::json;
use std::process::ExitCode;

/// What one file gave: the output lines, and the reading issues for standard error.
#[derive(Debug)]
pub struct Report {
    pub lines: Vec<String>,
    pub issues: Vec<Issue>,
}

/// Reads `bytes` leniently and resolves the references of the Bundle in it.
pub fn report(bytes: &[u8]) -> Result<Report, String> {
    let read = Reader::lenient()
        .read_resource(bytes)
        .map_err(|e| e.to_string())?;
    let Resource::Bundle(bundle) = read.value else {
        return Err(format!("not a Bundle ({})", read.value.resource_type()));
    };
    let lines = bundle
        .resolve_references()
        .into_iter()
        .map(|r| {
            // Keys in the documented order (serde_json's `json!` would sort them).
            let mut line = format!(
                "{{\"path\": {}, \"reference\": {}, \"entry\": {}, \"rule\": {}, \"target\": {}",
                json!(r.path),
                json!(r.reference),
                json!(r.entry),
                json!(r.rule.as_str()),
                json!(r.target)
            );
            if let Some(problem) = &r.problem {
                line.push_str(&format!(", \"problem\": {}", json!(problem)));
            }
            line.push('}');
            line
        })
        .collect();
    Ok(Report {
        lines,
        issues: read.issues,
    })
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: resolve FILE... (JSON Bundles)");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for file in &files {
        let report = std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| report(&bytes));
        match report {
            Ok(report) => {
                for issue in &report.issues {
                    eprintln!("{file}: {issue}");
                }
                for line in &report.lines {
                    println!("{line}");
                }
            }
            Err(e) => {
                eprintln!("{file}: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
