//! Throughput of decoding and encoding the official R4 examples, an NDJSON stream of them and a
//! synthetic 10,000-entry bundle, with `fhirkit` 0.1.0, `serde_json::Value` and `IgnoredAny` as
//! baselines on the same bytes: first as criterion groups, then as one side-by-side table with
//! memory figures (see `tests/BENCHMARKS.md`).
//!
//! ```sh
//! nice cargo bench -p fhir-tests --bench throughput             # criterion groups, then the report
//! nice cargo bench -p fhir-tests --bench throughput -- report   # the report alone
//! nice cargo bench -p fhir-tests --bench throughput -- bundle   # criterion groups matching `bundle`
//! ```
//!
//! Without `--bench` (as under `cargo test --benches`) everything runs once on a small subset.
//! One binary rather than two: each binary that decodes `Resource` instantiates the whole
//! model's serde code, which costs minutes of release compile time.

mod support;

use criterion::{Criterion, SamplingMode, Throughput};
use std::time::Duration;
use support::workloads::{self, Corpus, Workload};

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let filter = criterion_filter();
    let Some(corpus) = Corpus::load(!full) else {
        return;
    };
    println!("{}", workloads::describe(&corpus));
    if filter.as_deref() != Some("report") {
        let mut criterion = Criterion::default()
            .without_plots()
            .nresamples(10_000)
            .configure_from_args();
        criterion_groups(&mut criterion, &corpus, filter.as_deref());
        criterion.final_summary();
    }
    let report = match filter.as_deref() {
        None => true,
        Some(f) => f.contains("report"),
    };
    if report {
        support::report::run(&corpus, full);
    }
}

fn criterion_groups(c: &mut Criterion, corpus: &Corpus, filter: Option<&str>) {
    for workload in Workload::ALL {
        if !may_match(filter, workload.id()) {
            continue; // saves preparing inputs criterion would not use
        }
        let mut group = corpus.group(workload);
        let mut bench = c.benchmark_group(workload.id());
        bench
            // Bytes per second, shown in decimal MB/s (10^6 bytes) like the report.
            .throughput(Throughput::BytesDecimal(group.bytes as u64))
            // Passes take 0.02–1.5 s: ten samples (of one pass each for the slow ones) after a
            // short warm-up, so the criterion part stays near two minutes.
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for case in &mut group.cases {
            bench.bench_function(case.reader.id(), |b| {
                b.iter_custom(|passes| (0..passes).map(|_| (case.run)()).sum())
            });
        }
        bench.finish();
    }
}

/// Whether a criterion filter may select benchmarks of group `id`. Plain filters (letters,
/// digits, `-`, `_`, `/`) are matched as substrings; anything else may be a regex, so it is
/// left to criterion.
fn may_match(filter: Option<&str>, id: &str) -> bool {
    let Some(f) = filter else {
        return true;
    };
    let plain = f
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'));
    !plain || id.contains(f) || f.starts_with(&format!("{id}/"))
}

/// The benchmark filter (criterion's one positional argument), if any: `report` runs only the
/// report, any other filter only the matching criterion benchmarks.
fn criterion_filter() -> Option<String> {
    // Criterion's options that take a separate value.
    const WITH_VALUE: &[&str] = &[
        "-c",
        "--color",
        "-s",
        "--save-baseline",
        "-b",
        "--baseline",
        "--baseline-lenient",
        "--format",
        "--profile-time",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--plotting-backend",
        "--output-format",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if WITH_VALUE.contains(&arg.as_str()) {
            i += 2;
            continue;
        }
        if !arg.starts_with('-') {
            return Some(arg.clone());
        }
        i += 1;
    }
    None
}
