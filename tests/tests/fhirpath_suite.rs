//! The official FHIRPath suite for R4 (`../shared/conformance/fhirpath/tests-fhir-r4.json`,
//! 935 tests) judged as its README describes: `invalid` tests must fail to parse or evaluate,
//! `predicate` results are converted with `exists()`, the rest must match every output in
//! order (`ordered: false`: in any order). Tests listed in `conformance/fhirpath-skips.tsv`
//! may fail; listed tests that pass are reported too, so the list stays honest.

use fhir_model::fhirpath::{item_type, Context, Expression, Item, Value};
use fhir_model::Resource;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const SKIPS: &str = include_str!("../conformance/fhirpath-skips.tsv");

fn skips() -> BTreeMap<&'static str, &'static str> {
    SKIPS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, reason) = l.split_once('\t').expect("name<TAB>reason");
            assert!(!reason.trim().is_empty(), "skip {name} has no reason");
            (name, reason)
        })
        .collect()
}

fn load(dir: &Path, inputfile: &str) -> Resource {
    let file = dir.join("inputs").join(
        Path::new(inputfile)
            .with_extension("json")
            .file_name()
            .unwrap(),
    );
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_slice(&bytes)
        .or_else(|_| {
            fhir_model::json::Reader::lenient()
                .read::<Resource>(&bytes)
                .map(|r| r.value)
        })
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The text an output's `value` gives for an item (dates without `@`, quantities `1 'cm'`).
fn shown(item: &Item<'_>) -> String {
    item.to_string()
}

fn matches(item: &Item<'_>, ty: Option<&str>, expected: &str) -> bool {
    let expected = expected
        .strip_prefix("@T")
        .or_else(|| expected.strip_prefix('@'))
        .unwrap_or(expected);
    if let Some(ty) = ty {
        if item_type(item) != ty {
            return false;
        }
    }
    shown(item) == expected
}

/// `None` when the test passes, else what went wrong.
fn judge(test: &Json, resource: Option<&Resource>) -> Option<String> {
    let expression = test["expression"].as_str().unwrap();
    let invalid = test["invalid"].as_str().is_some();
    let expr = match Expression::parse(expression) {
        Ok(e) => e,
        Err(e) if invalid => {
            return (e.position > expression.chars().count()).then(|| "bad position".into())
        }
        Err(e) => return Some(format!("parse error {e}")),
    };
    let ctx = match resource {
        Some(r) => Context::new(r),
        None => Context::empty(),
    };
    let result = match expr.evaluate_with(&ctx) {
        Ok(r) => r,
        Err(_) if invalid => return None,
        Err(e) => return Some(format!("evaluation error {e}")),
    };
    if invalid {
        return Some(format!("expected an error, got {result:?}"));
    }
    let result = if test["predicate"].as_bool() == Some(true) {
        vec![Item::Value(Value::Boolean(!result.is_empty()))]
    } else {
        result
    };
    let outputs: Vec<(Option<&str>, &str)> = test["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["type"].as_str(), o["value"].as_str().unwrap()))
        .collect();
    let got: Vec<String> = result
        .iter()
        .map(|i| format!("{}:{}", item_type(i), shown(i)))
        .collect();
    if result.len() != outputs.len() {
        return Some(format!("expected {outputs:?}, got {got:?}"));
    }
    let ok = if test["ordered"].as_bool() == Some(false) {
        let mut used = BTreeSet::new();
        outputs.iter().all(|(ty, v)| {
            (0..result.len())
                .any(|i| !used.contains(&i) && matches(&result[i], *ty, v) && used.insert(i))
        })
    } else {
        result
            .iter()
            .zip(&outputs)
            .all(|(i, (ty, v))| matches(i, *ty, v))
    };
    (!ok).then(|| format!("expected {outputs:?}, got {got:?}"))
}

#[test]
fn fhirpath_suite() {
    let Some(suite_file) = fhir_tests::shared_file("conformance/fhirpath/tests-fhir-r4.json")
    else {
        return;
    };
    let dir = suite_file.parent().unwrap().to_path_buf();
    let suite: Json = serde_json::from_slice(&std::fs::read(&suite_file).unwrap()).unwrap();
    let skips = skips();
    let mut inputs: BTreeMap<String, Resource> = BTreeMap::new();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut unexpected = Vec::new();
    let mut stale_skips = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for group in suite["groups"].as_array().unwrap() {
        for test in group["tests"].as_array().unwrap() {
            let name = test["name"].as_str().unwrap();
            seen.insert(name);
            let resource = test["inputfile"].as_str().map(|f| {
                inputs
                    .entry(f.to_owned())
                    .or_insert_with(|| load(&dir, f))
                    .clone()
            });
            // Each test on its own thread would be slow; a panic here is a bug to see anyway.
            let outcome = judge(test, resource.as_ref());
            match (outcome, skips.contains_key(name)) {
                (None, false) => passed += 1,
                (None, true) => {
                    passed += 1;
                    stale_skips.insert(name);
                }
                (Some(_), true) => skipped += 1,
                (Some(why), false) => {
                    failed += 1;
                    unexpected.push(format!(
                        "{name}: `{}`: {why}",
                        test["expression"].as_str().unwrap()
                    ));
                }
            }
        }
    }
    println!("fhirpath suite: {passed} passed, {failed} failed, {skipped} skipped");
    for line in &unexpected {
        println!("  FAILED {line}");
    }
    let unknown: Vec<_> = skips.keys().filter(|k| !seen.contains(*k)).collect();
    assert!(
        unknown.is_empty(),
        "skips name tests the suite does not have: {unknown:?}"
    );
    assert!(
        stale_skips.is_empty(),
        "listed in fhirpath-skips.tsv but passing now (remove them): {stale_skips:?}"
    );
    assert!(
        unexpected.is_empty(),
        "{failed} tests failed that are not in fhirpath-skips.tsv"
    );
    assert!(passed >= 900, "only {passed} of 935 passed");
}
