//! The NDJSON directory reader: plain and gzipped files read in parallel, rows equal to a
//! one-thread read, broken lines reported with file and line, nothing dropped silently.

use arrow_array::cast::AsArray;
use arrow_array::RecordBatch;
use fhir_views::ndjson::{list_files, Scan, ScanOptions, Summary};
use fhir_views::ViewDefinition;
use std::io::Write;
use std::path::{Path, PathBuf};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fhir-views-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn patient(i: usize) -> String {
    format!(
        r#"{{"resourceType":"Patient","id":"p{i}","gender":"female","name":[{{"family":"F{i}","given":["A","B"]}}]}}"#
    )
}

fn observation(i: usize) -> String {
    format!(
        r#"{{"resourceType":"Observation","id":"o{i}","status":"final","code":{{"text":"x"}},"subject":{{"reference":"Patient/p{i}"}}}}"#
    )
}

fn write(path: &Path, lines: &[String], gzip: bool) {
    let mut text = lines.join("\n");
    text.push('\n');
    let file = std::fs::File::create(path).expect("create");
    if gzip {
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        gz.write_all(text.as_bytes()).expect("write gz");
        gz.finish().expect("finish gz");
    } else {
        std::io::BufWriter::new(file)
            .write_all(text.as_bytes())
            .expect("write");
    }
}

/// 8 files, 4 gzipped: 400 patients and 400 observations in all, plus one broken line
/// (file `Patient.3.ndjson`, line 3), a blank line, and a resource the reader must repair.
fn fixture(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let mut n = 0;
    for f in 0..8 {
        let gzip = f % 2 == 1;
        let mut lines = Vec::new();
        for _ in 0..50 {
            lines.push(patient(n));
            lines.push(observation(n));
            n += 1;
        }
        if f == 3 {
            lines.insert(2, r#"{"resourceType":"Patient","id":"broken","#.to_owned());
            lines.insert(5, String::new());
        }
        if f == 4 {
            lines.push(r#"{"resourceType":"Patient","id":"repaired","gender":"femme"}"#.to_owned());
        }
        let ext = if gzip { "ndjson.gz" } else { "ndjson" };
        write(&dir.join(format!("Patient.{f}.{ext}")), &lines, gzip);
    }
    std::fs::write(dir.join("README.txt"), "not data").expect("write");
    dir
}

fn view() -> ViewDefinition {
    let view = ViewDefinition::from_json_str(
        r#"{"resourceType":"ViewDefinition","resource":"Patient","select":[
            {"column":[{"name":"id","path":"getResourceKey()","type":"id"},
                       {"name":"gender","path":"gender","type":"code"}]},
            {"forEach":"name.given","column":[{"name":"given","path":"$this","type":"string"}]}]}"#,
    )
    .expect("view parses");
    view.check().expect("view checks");
    view
}

fn scan(dir: &Path, threads: usize) -> (Vec<RecordBatch>, Summary, Vec<fhir_views::ndjson::Issue>) {
    let files = list_files(dir).expect("list");
    let options = ScanOptions {
        threads,
        batch_rows: 64,
        ..ScanOptions::default()
    };
    let mut scan = Scan::start(&view(), files, &options);
    let batches: Vec<RecordBatch> = scan.by_ref().collect();
    let issues = scan.progress().issues();
    (batches, scan.finish(), issues)
}

fn ids(batches: &[RecordBatch]) -> Vec<String> {
    let mut out: Vec<String> = batches
        .iter()
        .flat_map(|b| {
            let ids = b.column(0).as_string::<i32>();
            let given = b.column(2).as_string::<i32>();
            (0..b.num_rows())
                .map(|i| format!("{}/{}", ids.value(i), given.value(i)))
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn lists_ndjson_and_gzip_files_only() {
    let dir = fixture("list");
    let files = list_files(&dir).expect("list");
    assert_eq!(files.len(), 8);
    assert_eq!(
        files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "gz"))
            .count(),
        4
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn parallel_read_matches_one_thread_and_reports_the_broken_line() {
    let dir = fixture("parallel");
    let (one, one_summary, _) = scan(&dir, 1);
    let (four, summary, issues) = scan(&dir, 4);
    assert_eq!(ids(&one), ids(&four));
    assert_eq!(one_summary, summary);
    // 400 patients + the repaired one, 2 given names each except the repaired one (none).
    assert_eq!(summary.files, 8);
    assert_eq!(summary.resources, 401);
    assert_eq!(summary.other_types, 400);
    assert_eq!(summary.rows, 800);
    assert_eq!(
        summary.lines, 802,
        "blank lines are not counted, the broken one is"
    );
    assert!(
        four.len() > 8,
        "batches are bounded: {} batches",
        four.len()
    );
    assert!(four.iter().all(|b| b.num_rows() <= 64 + 2));
    assert_eq!(summary.issues, 2, "{issues:?}");
    let broken = issues
        .iter()
        .find(|i| i.message.starts_with("not a FHIR resource"))
        .expect("the broken line is reported");
    assert!(broken.file.ends_with("Patient.3.ndjson.gz"), "{broken}");
    assert_eq!(broken.line, 3, "{broken}");
    let repaired = issues
        .iter()
        .find(|i| i.message.starts_with("repaired"))
        .expect("the repaired resource is reported");
    assert!(repaired.file.ends_with("Patient.4.ndjson"), "{repaired}");
    assert_eq!(repaired.line, 101);
    assert!(
        repaired
            .to_string()
            .contains("Patient.4.ndjson:101: repaired"),
        "{repaired}"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_view_error_on_one_resource_is_an_issue_not_a_stop() {
    let dir = temp_dir("view-error");
    write(
        &dir.join("p.ndjson"),
        &[
            patient(1),
            r#"{"resourceType":"Patient","id":"two","name":[{"family":"A"},{"family":"B"}]}"#
                .to_owned(),
            patient(3),
        ],
        false,
    );
    let view = ViewDefinition::from_json_str(
        r#"{"resource":"Patient","select":[{"column":[{"name":"family","path":"name.family","type":"string"}]}]}"#,
    )
    .expect("view");
    let mut scan = Scan::start(
        &view,
        list_files(&dir).expect("list"),
        &ScanOptions::default(),
    );
    let rows: usize = scan.by_ref().map(|b| b.num_rows()).sum();
    let issues = scan.progress().issues();
    let summary = scan.finish();
    assert_eq!(rows, 2);
    assert_eq!(summary.issues, 1);
    assert_eq!(issues[0].line, 2);
    assert!(issues[0].message.contains("Patient/two"), "{}", issues[0]);
    assert!(
        issues[0].message.contains("not a collection"),
        "{}",
        issues[0]
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn dropping_a_scan_early_stops_the_workers() {
    let dir = fixture("early");
    let files = list_files(&dir).expect("list");
    let options = ScanOptions {
        threads: 2,
        batch_rows: 4,
        ..ScanOptions::default()
    };
    let mut scan = Scan::start(&view(), files, &options);
    assert!(scan.next().is_some());
    drop(scan);
    std::fs::remove_dir_all(dir).ok();
}
