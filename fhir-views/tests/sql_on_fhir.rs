//! The official SQL on FHIR v2 test suite (`shared/conformance/sql-on-fhir/tests`), run as the
//! reference runner does: each view over its file's resources, rows compared as a multiset,
//! numbers numerically. Every test passes except those listed with a reason in
//! `tests/sql-on-fhir-skips.tsv`; a listed test that passes, or a `shareable` test in the
//! list, fails the run too, so the list stays honest.

use fhir_views::arrow::{schema, ArrowOptions, BatchBuilder};
use fhir_views::output::row_json;
use fhir_views::prune::{prune, MemberFilter};
use fhir_views::ViewDefinition;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn suite_dir() -> Option<PathBuf> {
    let root = match std::env::var_os("FHIR_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    let dir = root.join("conformance/sql-on-fhir/tests");
    dir.is_dir().then_some(dir)
}

/// `file \t title \t reason` lines; `#` starts a comment.
fn skips() -> BTreeMap<(String, String), String> {
    let text = include_str!("sql-on-fhir-skips.tsv");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(file), Some(title), Some(reason)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("bad line in sql-on-fhir-skips.tsv (file, title, reason by tabs): {line}");
        };
        assert!(!reason.trim().is_empty(), "a skip needs a reason: {line}");
        out.insert((file.to_owned(), title.to_owned()), reason.to_owned());
    }
    out
}

/// Runs one test; `Ok` when it passes, `Err(why)` otherwise.
fn run_test(
    texts: &[String],
    resources: &[fhir_model::Resource],
    test: &Json,
) -> Result<(), String> {
    let expect_error = test.get("expectError").and_then(Json::as_bool) == Some(true);
    let result = evaluate(resources, &test["view"]);
    if expect_error {
        return match result {
            Err(_) => Ok(()),
            Ok(rows) => Err(format!("expected an error, got {} rows", rows.1.len())),
        };
    }
    let (columns, rows) = result?;
    // The NDJSON reader leaves out the members a view does not read: same rows.
    let pruned = evaluate_pruned(texts, &test["view"])?;
    if pruned != (columns.clone(), rows.clone()) {
        return Err(format!(
            "rows differ when unread members are left out: {} against {}",
            Json::Array(pruned.1),
            Json::Array(rows)
        ));
    }
    if let Some(expected) = test.get("expectColumns").and_then(Json::as_array) {
        let expected: Vec<&str> = expected.iter().filter_map(Json::as_str).collect();
        if columns != expected {
            return Err(format!("columns {columns:?}, expected {expected:?}"));
        }
    }
    let Some(expected) = test.get("expect").and_then(Json::as_array) else {
        return Err("the test has neither expect nor expectError".into());
    };
    if expected.len() != rows.len() {
        return Err(format!(
            "{} rows, expected {}:\n  got {}\n  expected {}",
            rows.len(),
            expected.len(),
            Json::Array(rows.clone()),
            Json::Array(expected.clone())
        ));
    }
    let mut unmatched: Vec<&Json> = rows.iter().collect();
    for want in expected {
        match unmatched.iter().position(|got| same(got, want)) {
            Some(i) => {
                unmatched.swap_remove(i);
            }
            None => {
                return Err(format!(
                    "no row matches {want}:\n  got {}",
                    Json::Array(rows.clone())
                ))
            }
        }
    }
    Ok(())
}

type Rows = (Vec<String>, Vec<Json>);

fn evaluate(resources: &[fhir_model::Resource], view: &Json) -> Result<Rows, String> {
    let view = ViewDefinition::from_json(view).map_err(|e| e.to_string())?;
    view.check().map_err(|e| e.to_string())?;
    let mut builder = BatchBuilder::new(schema(&view, &ArrowOptions::default()));
    for resource in resources {
        for row in view.rows(resource).map_err(|e| e.to_string())? {
            builder.push(&row)?;
        }
    }
    let batch = builder.finish();
    let mut rows = Vec::new();
    let mut line = String::new();
    for i in 0..batch.num_rows() {
        line.clear();
        row_json(&batch, i, &mut line);
        rows.push(
            serde_json::from_str(&line)
                .map_err(|e| format!("row {i} is not JSON ({e}): {line}"))?,
        );
    }
    let columns = view.column_names().into_iter().map(str::to_owned).collect();
    Ok((columns, rows))
}

/// [`evaluate`] on the resources decoded without the top-level members the view does not
/// read (as the NDJSON reader decodes them).
fn evaluate_pruned(texts: &[String], view: &Json) -> Result<Rows, String> {
    let parsed = ViewDefinition::from_json(view).map_err(|e| e.to_string())?;
    let filter = MemberFilter::for_view(&parsed);
    let mut kept = Vec::new();
    let mut resources = Vec::new();
    for text in texts {
        // Only resources of the view's type (the reader skips the others undecoded).
        let ours = text.contains(&format!(r#""resourceType":"{}""#, parsed.resource));
        let bytes = if ours && prune(text.as_bytes(), &filter, &mut kept) {
            &kept[..]
        } else {
            text.as_bytes()
        };
        resources.push(fhir_model::json::from_slice(bytes).map_err(|e| e.to_string())?);
    }
    evaluate(&resources, view)
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn sql_on_fhir_suite() {
    let Some(dir) = suite_dir() else {
        eprintln!(
            "SKIPPED: sql-on-fhir suite not found (set FHIR_SHARED_DIR or put shared/ beside the workspace)"
        );
        println!("sql-on-fhir suite: 0 passed, 0 failed, 0 skipped (suite not found)");
        return;
    };
    let skips = skips();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("suite directory readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for path in &files {
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = std::fs::read_to_string(path).expect("test file readable");
        let json: Json = serde_json::from_str(&text).expect("test file is JSON");
        let texts: Vec<String> = json["resources"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
            .iter()
            .map(Json::to_string)
            .collect();
        let resources: Vec<fhir_model::Resource> = texts
            .iter()
            .map(|r| {
                fhir_model::json::from_str(r)
                    .unwrap_or_else(|e| panic!("{file}: fixture does not read: {e}"))
            })
            .collect();
        for test in json["tests"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or_default()
        {
            let title = test["title"].as_str().unwrap_or_default().to_owned();
            let shareable = test["tags"]
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t == "shareable"));
            let key = (file.clone(), title.clone());
            let result = run_test(&texts, &resources, test);
            match (result, skips.get(&key)) {
                (Ok(()), None) => passed += 1,
                (Ok(()), Some(_)) => {
                    passed += 1;
                    problems.push(format!(
                        "{file} \"{title}\": passes but is listed in the skips; remove it"
                    ));
                }
                (Err(why), Some(reason)) => {
                    skipped += 1;
                    eprintln!("skipped {file} \"{title}\": {reason} ({why})");
                    if shareable {
                        problems.push(format!(
                            "{file} \"{title}\": a shareable test may not be skipped"
                        ));
                    }
                }
                (Err(why), None) => {
                    failed += 1;
                    problems.push(format!("{file} \"{title}\": {why}"));
                }
            }
            seen.insert(key);
        }
    }
    for key in skips.keys() {
        if !seen.contains(key) {
            problems.push(format!(
                "skip list names a test that does not exist: {key:?}"
            ));
        }
    }
    println!("sql-on-fhir suite: {passed} passed, {failed} failed, {skipped} skipped");
    assert!(
        passed + failed + skipped >= 134,
        "expected the 134 tests, found {}",
        passed + failed + skipped
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
