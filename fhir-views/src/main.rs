//! `fhir-views run VIEW.json --input DIR --output OUT [--format parquet|csv|ndjson]`

use fhir_views::arrow::{ArrowOptions, DecimalAs, TemporalAs};
use fhir_views::ndjson::{list_files, Scan, ScanOptions};
use fhir_views::output::Format;
use fhir_views::ViewDefinition;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: fhir-views run VIEW.json --input DIR|FILE --output OUT [options]

Runs a SQL on FHIR v2 ViewDefinition over NDJSON files (.ndjson, .jsonl, gzipped too).

options:
  --format parquet|csv|ndjson   output format (default: from OUT's extension, else parquet);
                                csv and ndjson write the file OUT, parquet a directory OUT
                                of part-NNNNN.parquet files
  --threads N                   worker threads (default: all cores)
  --partition-rows N            rows per Parquet file (default 1000000)
  --decimal P,S                 decimals as decimal128(P, S) instead of exact text
  --native-dates                date as Date32, dateTime/instant as UTC timestamps
  --strict                      lines the FHIR reader would have to repair are issues
  --quiet                       no progress bar and no summary

  fhir-views check VIEW.json    checks a view and prints its columns";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("fhir-views: {message}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    view: PathBuf,
    input: Option<PathBuf>,
    output: Option<PathBuf>,
    format: Option<Format>,
    partition_rows: usize,
    quiet: bool,
    options: ScanOptions,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let view = it
        .next()
        .ok_or_else(|| format!("missing VIEW.json\n{USAGE}"))?;
    let mut out = Args {
        view: PathBuf::from(view),
        input: None,
        output: None,
        format: None,
        partition_rows: 1_000_000,
        quiet: false,
        options: ScanOptions::default(),
    };
    let mut arrow = ArrowOptions::default();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--input" | "-i" => out.input = Some(PathBuf::from(value(arg)?)),
            "--output" | "-o" => out.output = Some(PathBuf::from(value(arg)?)),
            "--format" | "-f" => out.format = Some(value(arg)?.parse()?),
            "--threads" => {
                out.options.threads = value(arg)?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--threads needs a positive number")?
            }
            "--partition-rows" => {
                out.partition_rows = value(arg)?
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or("--partition-rows needs a positive number")?
            }
            "--decimal" => {
                let v = value(arg)?;
                let (p, s) = v
                    .split_once(',')
                    .and_then(|(p, s)| Some((p.parse::<u8>().ok()?, s.parse::<i8>().ok()?)))
                    .filter(|(p, s)| (1..=38).contains(p) && *s >= 0 && *s as u8 <= *p)
                    .ok_or("--decimal needs PRECISION,SCALE with 1 <= P <= 38 and 0 <= S <= P")?;
                arrow.decimal = DecimalAs::Decimal128 {
                    precision: p,
                    scale: s,
                };
            }
            "--native-dates" => arrow.temporal = TemporalAs::Native,
            "--strict" => out.options.strict = true,
            "--quiet" | "-q" => out.quiet = true,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    out.options.arrow = arrow;
    Ok(out)
}

fn load_view(path: &PathBuf) -> Result<ViewDefinition, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the view {}: {e}", path.display()))?;
    let view =
        ViewDefinition::from_json_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    view.check()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(view)
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("run") => run_view(parse_args(&args[1..])?),
        Some("check") => {
            let path = args
                .get(1)
                .ok_or_else(|| format!("missing VIEW.json\n{USAGE}"))?;
            let view = load_view(&PathBuf::from(path))?;
            println!(
                "{} view on {}: ok",
                view.name.as_deref().unwrap_or("unnamed"),
                view.resource
            );
            for c in &view.columns {
                let many = if c.collection { " (collection)" } else { "" };
                println!(
                    "  {} {}{many}",
                    c.name,
                    c.fhir_type.as_deref().unwrap_or("string")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_owned()),
    }
}

fn run_view(args: Args) -> Result<ExitCode, String> {
    let view = load_view(&args.view)?;
    let input = args.input.ok_or("missing --input DIR")?;
    let output = args.output.ok_or("missing --output OUT")?;
    let format = args
        .format
        .unwrap_or_else(|| match output.extension().and_then(|e| e.to_str()) {
            Some("csv") => Format::Csv,
            Some("ndjson" | "jsonl" | "json") => Format::Ndjson,
            _ => Format::Parquet,
        });
    let files = list_files(&input).map_err(|e| format!("cannot list {}: {e}", input.display()))?;
    if files.is_empty() {
        return Err(format!(
            "no .ndjson or .ndjson.gz files in {}",
            input.display()
        ));
    }
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut sink = fhir_views::output::Sink::create(format, &output, args.partition_rows)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    let started = Instant::now();
    let scan = Scan::start(&view, files.clone(), &args.options);
    sink.start(scan.schema())
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    let done = Arc::new(AtomicBool::new(false));
    let ticker = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let progress = scan.progress().clone();
        let done = done.clone();
        let files_total = files.len();
        std::thread::spawn(move || {
            let bar = indicatif::ProgressBar::new(files_total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg}",
            ) {
                bar.set_style(style);
            }
            let start = Instant::now();
            while !done.load(Ordering::Relaxed) {
                let s = progress.summary();
                let secs = start.elapsed().as_secs_f64().max(1e-3);
                bar.set_position(s.files as u64);
                bar.set_message(format!(
                    "{} resources, {} rows, {:.1} MB/s{}",
                    s.resources,
                    s.rows,
                    s.bytes as f64 / 1e6 / secs,
                    if s.issues > 0 {
                        format!(", {} issues", s.issues)
                    } else {
                        String::new()
                    }
                ));
                bar.tick();
                std::thread::sleep(Duration::from_millis(200));
            }
            bar.finish_and_clear();
        })
    });
    let mut scan = scan;
    let mut write_error = None;
    for batch in scan.by_ref() {
        if let Err(e) = sink.write(&batch) {
            write_error = Some(e);
            break;
        }
    }
    let issues = scan.progress().issues();
    let summary = scan.finish();
    done.store(true, Ordering::Relaxed);
    if let Some(t) = ticker {
        let _ = t.join();
    }
    if let Some(e) = write_error {
        return Err(format!("cannot write {}: {e}", output.display()));
    }
    let written = sink
        .finish()
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    let secs = started.elapsed().as_secs_f64();
    if !args.quiet {
        let mut err = std::io::stderr().lock();
        for issue in issues.iter().take(20) {
            let _ = writeln!(err, "issue: {issue}");
        }
        if summary.issues > 20 {
            let _ = writeln!(err, "... {} issues in all", summary.issues);
        }
        let _ = writeln!(
            err,
            "{summary}; {:.1} s, {:.1} MB/s ({:.1} MB on disk); wrote {}",
            secs,
            summary.bytes as f64 / 1e6 / secs.max(1e-9),
            total_bytes as f64 / 1e6,
            written.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
