//! The `fhir-views` command line: a run to NDJSON and CSV, and a clear failure for an invalid
//! view.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fhir-views-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).expect("temp dir");
    dir
}

const VIEW: &str = r#"{"resourceType":"ViewDefinition","name":"patients","resource":"Patient","select":[
  {"column":[{"name":"id","path":"getResourceKey()","type":"id"},
             {"name":"active","path":"active","type":"boolean"},
             {"name":"family","path":"name.first().family","type":"string"}]}]}"#;

fn setup(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("view.json"), VIEW).expect("view");
    std::fs::write(
        dir.join("in/Patient.ndjson"),
        concat!(
            r#"{"resourceType":"Patient","id":"a","active":true,"name":[{"family":"O'Brien, Jr"}]}"#,
            "\n",
            r#"{"resourceType":"Patient","id":"b"}"#,
            "\n",
            "{oops\n"
        ),
    )
    .expect("data");
    dir
}

fn fhir_views(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fhir-views"))
        .args(args)
        .output()
        .expect("runs")
}

/// `fhir-views run VIEW --input DIR/in --output OUT` and `extra` arguments.
fn run(dir: &Path, view: &Path, out: &Path, extra: &[&str]) -> Output {
    let text = |p: &Path| p.to_str().expect("utf-8 path").to_owned();
    let input = text(&dir.join("in"));
    let (view, out) = (text(view), text(out));
    let mut args = vec!["run", &view, "--input", &input, "--output", &out];
    args.extend_from_slice(extra);
    fhir_views(&args)
}

#[test]
fn run_writes_one_json_object_per_row() {
    let dir = setup("ndjson");
    let out = dir.join("out.ndjson");
    let result = run(&dir, &dir.join("view.json"), &out, &["--format", "ndjson"]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(result.status.success(), "{stderr}");
    let text = std::fs::read_to_string(&out).expect("output");
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            r#"{"id":"a","active":true,"family":"O'Brien, Jr"}"#,
            r#"{"id":"b","active":null,"family":null}"#
        ]
    );
    assert!(
        stderr.contains("Patient.ndjson:3: not a FHIR resource"),
        "{stderr}"
    );
    assert!(stderr.contains("2 rows, 1 issues"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn run_writes_csv_with_a_header() {
    let dir = setup("csv");
    let out = dir.join("out.csv");
    let result = run(&dir, &dir.join("view.json"), &out, &["--threads", "1"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("output");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,active,family"));
    let mut rest: Vec<&str> = lines.collect();
    rest.sort();
    assert_eq!(rest, ["a,true,\"O'Brien, Jr\"", "b,,"]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_invalid_view_fails_with_a_clear_message() {
    let dir = setup("invalid");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"resource":"Patient","select":[{"column":[{"name":"x","path":"name.nosuchfunction()","type":"string"}]}]}"#,
    )
    .expect("view");
    let out = dir.join("out.ndjson");
    let result = run(&dir, &bad, &out, &[]);
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("select[0].column[0].path"), "{stderr}");
    assert!(
        stderr.contains("unknown function nosuchfunction()"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written for an invalid view");

    std::fs::write(
        &bad,
        r#"{"resource":"Patient","select":[{"column":[{"name":"x","path":"id","type":"strin"}]}]}"#,
    )
    .expect("view");
    let result = fhir_views(&["check", bad.to_str().expect("path")]);
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("select[0].column[0].type: \"strin\" is not a FHIR type"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).ok();
}
