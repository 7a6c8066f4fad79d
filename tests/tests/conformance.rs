//! Every official R4 example decodes into `Resource` and encodes back to the same JSON
//! (exact number text), except the listed invalid ones, which are rejected at the listed path.

use fhir_model::json::compare::compare_bytes;
use fhir_model::validate::Severity;
use std::collections::BTreeMap;

const REJECTED: &str = include_str!("../conformance/rejected.tsv");
const VALIDATION_ERRORS: &str = include_str!("../conformance/validation-errors.tsv");

struct Expected<'a> {
    path: &'a str,
    rule: &'a str,
}

fn rejected_list() -> BTreeMap<&'static str, Expected<'static>> {
    table(REJECTED).collect()
}

/// `file -> [element path]` of the validation errors expected in accepted examples.
/// Per file, the errors expected: `path` alone, or `path key` for a constraint whose rule
/// column starts with its key (`txt-1: ...`).
fn validation_errors() -> BTreeMap<&'static str, Vec<String>> {
    let mut map: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (file, expected) in table(VALIDATION_ERRORS) {
        let key = constraint_key(expected.rule);
        map.entry(file).or_default().push(match key {
            Some(key) => format!("{} {key}", expected.path),
            None => expected.path.to_owned(),
        });
    }
    map
}

/// `txt-1` in `txt-1: ...`: the key a constraint's message starts with.
fn constraint_key(text: &str) -> Option<&str> {
    let key = text.split(':').next()?;
    let (prefix, number) = key.rsplit_once('-')?;
    (!prefix.is_empty()
        && prefix.bytes().all(|b| b.is_ascii_lowercase())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit()))
    .then_some(key)
}

fn table(text: &'static str) -> impl Iterator<Item = (&'static str, Expected<'static>)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '\t');
            let file = parts.next().unwrap();
            let path = parts.next().expect("path column");
            let rule = parts.next().expect("rule column");
            (file, Expected { path, rule })
        })
}

#[test]
fn official_examples_round_trip_exactly() {
    let Some(dir) = fhir_tests::r4_examples() else {
        return;
    };
    let expected = rejected_list();
    let expected_issues = validation_errors();
    let mut listed_issues = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut exact, mut rejected, mut warnings) = (0, 0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let input = std::fs::read(file).unwrap();
        match (fhir_tests::roundtrip(&input), expected.get(name)) {
            (Ok(output), None) => {
                match compare_bytes(&input, &output) {
                    Ok(()) => exact += 1,
                    Err(e) => failures.push(format!("{name}: differs: {e}")),
                }
                let resource: fhir_model::Resource = serde_json::from_slice(&input).unwrap();
                let listed: &[String] = expected_issues.get(name).map(Vec::as_slice).unwrap_or(&[]);
                let mut errors = Vec::new();
                for issue in fhir_model::validate::validate_resource(&resource) {
                    match issue.severity {
                        Severity::Error => errors.push(issue),
                        _ => warnings += 1,
                    }
                }
                let paths: Vec<String> = errors
                    .iter()
                    .map(|i| match constraint_key(&i.message) {
                        Some(key) => format!("{} {key}", i.path),
                        None => i.path.clone(),
                    })
                    .collect();
                if paths == listed {
                    listed_issues += paths.len();
                } else {
                    for issue in &errors {
                        failures.push(format!("{name}: validation: {issue}"));
                    }
                    failures.push(format!("{name}: expected validation errors at {listed:?}"));
                }
            }
            (Ok(_), Some(x)) => failures.push(format!(
                "{name}: accepted, but listed as invalid ({})",
                x.rule
            )),
            (Err(e), None) => failures.push(format!("{name}: rejected: {e}")),
            (Err(e), Some(x)) => {
                let message = e.to_string();
                if message.starts_with(&format!("{}: ", x.path)) {
                    rejected += 1;
                } else {
                    failures.push(format!(
                        "{name}: rejected at the wrong place: {message} (expected {})",
                        x.path
                    ));
                }
            }
        }
    }
    println!(
        "conformance: {} files, {exact} exact, {rejected} rejected as listed, {listed_issues} listed validation errors, {warnings} validation warnings, {} failures",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(
        rejected,
        expected.len(),
        "every listed file is present and rejected"
    );
    assert!(
        exact > 5000,
        "expected thousands of examples, found {exact}"
    );
}
