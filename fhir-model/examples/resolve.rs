//! Resolves every reference of each Bundle given and prints one JSON line per reference:
//! `{"path": ..., "reference": ..., "entry": N|null, "rule": ..., "target": ...}`.
//!
//! `cargo run -p fhir-model --example resolve -- FILE...`

use fhir_model::Resource;
use serde_json::json;
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: resolve FILE... (JSON Bundles)");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for file in &files {
        let resource = match std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice::<Resource>(&b).map_err(|e| e.to_string()))
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{file}: {e}");
                failed = true;
                continue;
            }
        };
        let Resource::Bundle(bundle) = resource else {
            eprintln!("{file}: not a Bundle ({})", resource.resource_type());
            continue;
        };
        for r in bundle.resolve_references() {
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
            println!("{line}");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
