//! Evaluates a FHIRPath expression on FHIR JSON files, one JSON line per file:
//!
//! ```sh
//! cargo run --release -p fhir-model --example fhirpath -- 'Patient.name.given' FILE...
//! echo '{"expression": "name.given", "input": "FILE"}' | cargo run --release -p fhir-model --example fhirpath -- --batch
//! ```
//!
//! `{"file": ..., "result": [{"type": "string", "value": "Peter"}, ...]}` or
//! `{"file": ..., "error": "..."}`. With `--batch`, each input line is a JSON object with
//! `expression` and `input` (a file; absent or null: no input resource), answered in order.

use fhir_model::fhirpath::{item_json, Context, Expression};
use fhir_model::Resource;
use std::io::{BufRead, Write};
use std::process::ExitCode;

fn read(file: &str) -> Result<Resource, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    match serde_json::from_slice::<Resource>(&bytes) {
        Ok(r) => Ok(r),
        // Lenient reading keeps what it can (invalid values as extensions) and goes on.
        Err(strict) => fhir_model::json::Reader::lenient()
            .read::<Resource>(&bytes)
            .map(|read| read.value)
            .map_err(|_| format!("{file}: {strict}")),
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// One answer line: `file` is the input file name, or null.
fn answer(expression: &str, file: Option<&str>) -> String {
    let shown = file.map_or_else(|| "null".to_owned(), json_string);
    let result = Expression::parse(expression)
        .map_err(|e| format!("syntax error {e}"))
        .and_then(|expr| {
            let resource = file.map(read).transpose()?;
            let ctx = match &resource {
                Some(r) => Context::new(r),
                None => Context::empty(),
            };
            expr.evaluate_with(&ctx)
                .map(|items| items.iter().map(item_json).collect::<Vec<_>>())
                .map_err(|e| format!("evaluation error {e}"))
        });
    match result {
        Ok(items) => format!("{{\"file\": {shown}, \"result\": [{}]}}", items.join(", ")),
        Err(e) => format!("{{\"file\": {shown}, \"error\": {}}}", json_string(&e)),
    }
}

/// Answers each request line of `input` with one line on `out`, flushed (so a harness can
/// talk to the process line by line).
fn batch(input: impl BufRead, out: &mut impl Write) {
    for line in input.lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let reply = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(request) => match request["expression"].as_str() {
                Some(expr) => answer(expr, request["input"].as_str()),
                None => format!(
                    "{{\"file\": null, \"error\": {}}}",
                    json_string("each line needs an \"expression\" string")
                ),
            },
            Err(e) => format!(
                "{{\"file\": null, \"error\": {}}}",
                json_string(&format!("invalid request line: {e}"))
            ),
        };
        if writeln!(out, "{reply}").and_then(|_| out.flush()).is_err() {
            break;
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.first().map(String::as_str) == Some("--batch") {
        batch(std::io::stdin().lock(), &mut out);
        return ExitCode::SUCCESS;
    }
    let Some((expression, files)) = args.split_first() else {
        eprintln!("usage: fhirpath EXPR FILE... | fhirpath --batch < requests.jsonl");
        return ExitCode::from(2);
    };
    if files.is_empty() {
        let _ = writeln!(out, "{}", answer(expression, None));
    }
    for file in files {
        if writeln!(out, "{}", answer(expression, Some(file))).is_err() {
            break;
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Patient in a temporary file of its own (tests run in parallel threads).
    fn patient_file(test: &str) -> std::path::PathBuf {
        let name = format!("fhirpath-example-{}-{test}.json", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::write(
            &path,
            r#"{"resourceType":"Patient","name":[{"family":"Chalmers","given":["Peter","James"]}],
                "birthDate":"1974-12-25","multipleBirthInteger":2}"#,
        )
        .unwrap();
        path
    }

    #[test]
    fn prints_typed_results() {
        let file = patient_file("typed");
        let f = file.to_str().unwrap();
        let shown = json_string(f);
        assert_eq!(
            answer("name.given", Some(f)),
            format!(
                r#"{{"file": {shown}, "result": [{{"type": "string", "value": "Peter"}}, {{"type": "string", "value": "James"}}]}}"#
            )
        );
        assert_eq!(
            answer("name.family.length() + 0.50", Some(f)),
            format!(r#"{{"file": {shown}, "result": [{{"type": "decimal", "value": 8.50}}]}}"#)
        );
        assert_eq!(
            answer("birthDate + 1 year", Some(f)),
            format!(
                r#"{{"file": {shown}, "result": [{{"type": "date", "value": "1975-12-25"}}]}}"#
            )
        );
        assert_eq!(
            answer("name", Some(f)),
            format!(
                r#"{{"file": {shown}, "result": [{{"type": "HumanName", "value": {{"family":"Chalmers","given":["Peter","James"]}}}}]}}"#
            )
        );
        assert_eq!(
            answer("2.5 'mg'", None),
            r#"{"file": null, "result": [{"type": "Quantity", "value": 2.5, "unit": "mg"}]}"#
        );
        let _ = std::fs::remove_file(file);
    }

    #[test]
    fn reports_errors_as_lines() {
        let line = answer("name.given.first(", None);
        assert!(
            line.starts_with(r#"{"file": null, "error": "syntax error at character 17"#),
            "{line}"
        );
        let line = answer("name", Some("/nonexistent/file.json"));
        assert!(
            line.contains(r#""error": "cannot read /nonexistent/file.json"#),
            "{line}"
        );
    }

    #[test]
    fn batch_answers_each_line() {
        let file = patient_file("batch");
        let input = format!(
            "{{\"expression\": \"name.given.count()\", \"input\": {}}}\n\nnot json\n{{\"expression\": \"1 + 1\"}}\n",
            json_string(file.to_str().unwrap())
        );
        let mut out = Vec::new();
        batch(input.as_bytes(), &mut out);
        let lines: Vec<String> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0].ends_with(r#""result": [{"type": "integer", "value": 2}]}"#),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("invalid request line"), "{}", lines[1]);
        assert_eq!(
            lines[2],
            r#"{"file": null, "result": [{"type": "integer", "value": 2}]}"#
        );
        let _ = std::fs::remove_file(file);
    }
}
