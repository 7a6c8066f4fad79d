//! The view scan benchmark: `cargo bench -p fhir-views --bench scan -- EXPORT_DIR [passes]`
//! (add `--features datafusion` for the SQL figures).
//!
//! For the patient-demographics and observation-values views (`fhir-views/views/`), over the
//! files of their resource type in EXPORT_DIR (`bench/make-export.py` writes one): rows/s and
//! MB/s of the view scan into Arrow on one thread and on all cores, and their ratio; with the
//! `datafusion` feature, the same through SQL (`SELECT count(*), count(<every column>)` so
//! every column is computed). Each figure is the best of the passes after one warm-up pass.

use fhir_views::ndjson::{list_files, Scan, ScanOptions};
use fhir_views::ViewDefinition;
use std::path::{Path, PathBuf};
use std::time::Instant;

const VIEWS: [(&str, &str); 2] = [
    (
        "patient_demographics",
        include_str!("../views/patient_demographics.json"),
    ),
    (
        "observation_values",
        include_str!("../views/observation_values.json"),
    ),
];

struct Figure {
    secs: f64,
    rows: u64,
    bytes: u64,
}

impl Figure {
    fn line(&self) -> String {
        format!(
            "{:>8.2} s {:>12.0} rows/s {:>8.1} MB/s",
            self.secs,
            self.rows as f64 / self.secs,
            self.bytes as f64 / 1e6 / self.secs
        )
    }
}

fn scan(view: &ViewDefinition, files: &[PathBuf], threads: usize) -> Figure {
    let options = ScanOptions {
        threads,
        ..ScanOptions::default()
    };
    let start = Instant::now();
    let mut scan = Scan::start(view, files.to_vec(), &options);
    let mut rows = 0u64;
    for batch in scan.by_ref() {
        rows += batch.num_rows() as u64;
    }
    let summary = scan.finish();
    assert_eq!(summary.issues, 0, "the benchmark data reads without issues");
    Figure {
        secs: start.elapsed().as_secs_f64(),
        rows,
        bytes: summary.bytes,
    }
}

fn best(passes: usize, mut run: impl FnMut() -> Figure) -> Figure {
    let _warm_up = run();
    let mut best: Option<Figure> = None;
    for _ in 0..passes {
        let f = run();
        let better = match &best {
            None => true,
            Some(b) => f.secs < b.secs,
        };
        if better {
            best = Some(f);
        }
    }
    best.unwrap_or(Figure {
        secs: f64::NAN,
        rows: 0,
        bytes: 0,
    })
}

#[cfg(feature = "datafusion")]
fn sql(json: &str, view: &ViewDefinition, files: &[PathBuf], threads: usize) -> Figure {
    use datafusion::prelude::{SessionConfig, SessionContext};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime");
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let counts: Vec<String> = view
        .columns
        .iter()
        .map(|c| format!("count({})", c.name))
        .collect();
    let query = format!("SELECT count(*), {} FROM v", counts.join(", "));
    runtime.block_on(async {
        let ctx =
            SessionContext::new_with_config(SessionConfig::new().with_target_partitions(threads));
        let table =
            fhir_views::provider::ViewTable::with_files(json, files.to_vec(), Default::default())
                .expect("table");
        ctx.register_table("v", std::sync::Arc::new(table))
            .expect("register");
        let start = Instant::now();
        let batches = ctx
            .sql(&query)
            .await
            .expect("plan")
            .collect()
            .await
            .expect("run");
        let secs = start.elapsed().as_secs_f64();
        let rows = batches
            .first()
            .and_then(|b| {
                b.column(0)
                    .as_any()
                    .downcast_ref::<arrow_array::Int64Array>()
                    .map(|a| a.value(0) as u64)
            })
            .unwrap_or(0);
        Figure { secs, rows, bytes }
    })
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: cargo bench -p fhir-views --bench scan -- EXPORT_DIR [passes]");
        return;
    };
    let passes: usize = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(2);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let all = list_files(Path::new(&dir)).expect("list the export");
    println!(
        "fhir-views scan benchmark: {} ({} files), {cores} cores, best of {passes} after a warm-up",
        dir.display(),
        all.len()
    );
    for (name, json) in VIEWS {
        let view = ViewDefinition::from_json_str(json).expect("view");
        let prefix = format!("{}.", view.resource);
        let files: Vec<PathBuf> = all
            .iter()
            .filter(|f| {
                f.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix))
            })
            .cloned()
            .collect();
        let one = best(passes, || scan(&view, &files, 1));
        let many = best(passes, || scan(&view, &files, cores));
        println!(
            "{name} ({} files, {:.1} MB, {} rows)",
            files.len(),
            one.bytes as f64 / 1e6,
            one.rows
        );
        println!("  scan into Arrow, 1 thread      {}", one.line());
        println!("  scan into Arrow, {cores} threads     {}", many.line());
        println!("  scaling {:.2}x on {cores} cores", one.secs / many.secs);
        #[cfg(feature = "datafusion")]
        {
            let one = best(passes, || sql(json, &view, &files, 1));
            let many = best(passes, || sql(json, &view, &files, cores));
            println!("  DataFusion SQL, 1 partition    {}", one.line());
            println!("  DataFusion SQL, {cores} partitions   {}", many.line());
            println!("  scaling {:.2}x on {cores} cores", one.secs / many.secs);
        }
    }
}
