//! Reads each file, finds every Patient (the resource itself, or inside a Bundle), and prints
//! one JSON line per Patient with its US Core race and ethnicity and its US Core Patient
//! validation (profile and base rules; `issues` lists the paths of errors):
//! `{"path": "Bundle.entry[2].resource", "race": {"text": "White", "omb": []}, "ethnicity":
//! {"text": "Hispanic", "omb": ["2135-2"]}, "valid": true|false, "issues": [paths]}`.
//! A file that cannot be read prints `{"file": ..., "error": ...}`. Exits 0 (2 on bad arguments).
//!
//! `cargo run -p fhir-model --example us_core -- FILE...`

use fhir_model::datatypes::Coding;
use fhir_model::resources::Patient;
use fhir_model::us_core::UsCorePatient;
use fhir_model::validate::{validate_resource, Severity};
use fhir_model::Resource;
use serde_json::json;
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: us_core FILE... (Patient or Bundle JSON)");
        return ExitCode::from(2);
    }
    for file in &files {
        let resource = std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| fhir_model::json::from_slice(&bytes).map_err(|e| e.to_string()));
        match resource {
            Ok(resource) => {
                for line in lines(resource) {
                    println!("{line}");
                }
            }
            Err(e) => println!("{}", json!({ "file": file, "error": e })),
        }
    }
    ExitCode::SUCCESS
}

/// The output lines for one decoded file.
pub fn lines(resource: Resource) -> Vec<String> {
    patients(resource)
        .into_iter()
        .map(|(path, patient)| report(&path, patient))
        .collect()
}

/// The Patients of a resource with their paths: itself, or the entries of a Bundle.
fn patients(resource: Resource) -> Vec<(String, Patient)> {
    match resource {
        Resource::Patient(p) => vec![("Patient".to_owned(), *p)],
        Resource::Bundle(bundle) => bundle
            .entry
            .into_iter()
            .enumerate()
            .filter_map(|(i, entry)| match entry.resource {
                Some(Resource::Patient(p)) => Some((format!("Bundle.entry[{i}].resource"), *p)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn report(path: &str, patient: Patient) -> String {
    let view = UsCorePatient::new(patient);
    let race = view
        .race()
        .map(|r| category(r.text().map(|t| t.as_str()), r.omb_category()));
    let ethnicity = view.ethnicity().map(|e| {
        category(
            e.text().map(|t| t.as_str()),
            e.omb_category().into_iter().collect(),
        )
    });
    let mut issues = view.validate();
    issues.extend(validate_resource(&Resource::from(view.into_inner())));
    // Errors only (a missing narrative, dom-6, is a warning). Paths start at the Patient;
    // inside a Bundle they continue from where it was found.
    let paths: Vec<String> = issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| match i.path.strip_prefix("Patient") {
            Some(rest) if path != "Patient" => format!("{path}{rest}"),
            _ => i.path.clone(),
        })
        .collect();
    let valid = paths.is_empty();
    // Written by hand to keep the documented key order.
    format!(
        "{{\"path\": {}, \"race\": {}, \"ethnicity\": {}, \"valid\": {valid}, \"issues\": {}}}",
        json!(path),
        race.unwrap_or_else(|| "null".to_owned()),
        ethnicity.unwrap_or_else(|| "null".to_owned()),
        json!(paths)
    )
}

/// `{"text": ..., "omb": [...]}`, keys in the documented order.
fn category(text: Option<&str>, omb: Vec<&Coding>) -> String {
    let codes: Vec<&str> = omb
        .iter()
        .filter_map(|c| c.code.as_ref()?.value().map(|c| c.as_str()))
        .collect();
    format!("{{\"text\": {}, \"omb\": {}}}", json!(text), json!(codes))
}
