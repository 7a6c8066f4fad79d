//! The side-by-side table of `tests/BENCHMARKS.md`: MB/s of fhir-model and of each baseline on
//! the same bytes (best of a few passes after warm-up passes, timed with `Instant`), the memory
//! a decoded corpus holds (counted by this binary's global allocator), the cost of freeing it,
//! and decode speed per resource type.

use super::workloads::{fhirkit_decode, ours_decode, value_decode, Corpus, Reader, Workload};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The system allocator, counting live bytes and allocations while [`COUNTING`] is on (it is
/// off while anything is timed, so timings pay only for one relaxed load per call).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; the counters do not touch memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() && COUNTING.load(Relaxed) {
            LIVE_BYTES.fetch_add(layout.size() as isize, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() && COUNTING.load(Relaxed) {
            LIVE_BYTES.fetch_add(layout.size() as isize, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        System.dealloc(p, layout);
        if COUNTING.load(Relaxed) {
            LIVE_BYTES.fetch_sub(layout.size() as isize, Relaxed);
        }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = System.realloc(p, layout, new_size);
        if !q.is_null() && COUNTING.load(Relaxed) {
            LIVE_BYTES.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
            ALLOCATIONS.fetch_add(1, Relaxed);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Net bytes allocated and allocation calls made by `work`, with what it returns (kept).
fn counted<T>(work: impl FnOnce() -> T) -> (T, isize, usize) {
    LIVE_BYTES.store(0, Relaxed);
    ALLOCATIONS.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let out = black_box(work());
    COUNTING.store(false, Relaxed);
    (out, LIVE_BYTES.load(Relaxed), ALLOCATIONS.load(Relaxed))
}

struct Settings {
    warm_up: usize,
    passes: usize,
}

/// Best (shortest) of `passes` runs after `warm_up` runs.
fn best(settings: &Settings, mut run: impl FnMut() -> Duration) -> Duration {
    for _ in 0..settings.warm_up {
        run();
    }
    (0..settings.passes)
        .map(|_| run())
        .min()
        .expect("at least one pass")
}

fn mb_per_s(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / 1e6 / time.as_secs_f64()
}

/// Prints the report; `full` is false for a smoke run (one pass, no warm-up).
pub fn run(corpus: &Corpus, full: bool) {
    let settings = if full {
        Settings {
            warm_up: 2,
            passes: 3,
        }
    } else {
        Settings {
            warm_up: 0,
            passes: 1,
        }
    };
    let started = Instant::now();
    println!(
        "\n== report: one thread; best of {} passes after {} warm-up passes; MB = 10^6 bytes of \
         input\n",
        settings.passes, settings.warm_up
    );
    throughput_table(corpus, &settings);
    memory_table(corpus, &settings);
    per_type_table(corpus, &settings);
    println!("\nreport took {:.0} s", started.elapsed().as_secs_f64());
}

fn throughput_table(corpus: &Corpus, settings: &Settings) {
    let mut results: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut sizes = Vec::new();
    for (w, workload) in Workload::ALL.into_iter().enumerate() {
        let mut group = corpus.group(workload);
        sizes.push(group.bytes);
        // Readers take turns pass by pass, so a burst of load from elsewhere on the machine
        // hits all of them rather than one.
        for _ in 0..settings.warm_up {
            group.cases.iter_mut().for_each(|case| _ = (case.run)());
        }
        let mut times = vec![Duration::MAX; group.cases.len()];
        for _ in 0..settings.passes {
            for (time, case) in times.iter_mut().zip(&mut group.cases) {
                *time = (*time).min((case.run)());
            }
        }
        for (time, case) in times.iter().zip(&group.cases) {
            let r = Reader::ALL.iter().position(|&r| r == case.reader).unwrap();
            results.insert((w, r), mb_per_s(group.bytes, *time));
        }
    }
    println!(
        "| workload | MB | fhir-model MB/s | fhirkit 0.1.0 MB/s | ours/fhirkit | \
         serde_json::Value MB/s | ours/Value | IgnoredAny MB/s | ours/IgnoredAny |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (w, workload) in Workload::ALL.into_iter().enumerate() {
        let ours = results[&(w, 0)];
        let mut row = format!(
            "| {} | {:.1} | {:.0} |",
            workload.label(),
            sizes[w] as f64 / 1e6,
            ours
        );
        for r in 1..Reader::ALL.len() {
            match results.get(&(w, r)) {
                Some(&other) => row += &format!(" {other:.0} | {:.2}× |", ours / other),
                None => row += " — | — |",
            }
        }
        println!("{row}");
    }
    let at = |w: Workload, r: Reader| {
        let w = Workload::ALL.iter().position(|&x| x == w).unwrap();
        let r = Reader::ALL.iter().position(|&x| x == r).unwrap();
        results.get(&(w, r)).copied()
    };
    // Issue #7's targets, as ratios of this run.
    let targets = [
        (
            "decode ≥ 5× fhirkit (stretch 7×)",
            Workload::ExamplesDecode,
            Reader::Fhirkit,
            5.0,
        ),
        (
            "decode ≥ 1.5× serde_json::Value parse (stretch 2×)",
            Workload::ExamplesDecode,
            Reader::Value,
            1.5,
        ),
        (
            "encode ≥ 3× fhirkit",
            Workload::ExamplesEncode,
            Reader::Fhirkit,
            3.0,
        ),
    ];
    println!();
    for (name, workload, baseline, target) in targets {
        if let (Some(ours), Some(other)) = (at(workload, Reader::Ours), at(workload, baseline)) {
            let ratio = ours / other;
            let verdict = if ratio >= target { "met" } else { "NOT met" };
            println!("target {name}: {ratio:.2}× ({verdict})");
        }
    }
    if let (Some(decode), Some(validate)) = (
        at(Workload::ExamplesDecode, Reader::Ours),
        at(Workload::ExamplesDecodeValidate, Reader::Ours),
    ) {
        // Issue #13: validation with every constraint of the definitions at no less than
        // half the throughput of decode alone.
        let ratio = validate / decode;
        let verdict = if ratio >= 0.5 { "met" } else { "NOT met" };
        println!(
            "target decode + validate with all invariants ≥ 0.5× decode: {ratio:.2}× ({verdict})"
        );
    }
    if let (Some(decode), Some(resolve)) = (
        at(Workload::BundleDecode, Reader::Ours),
        at(Workload::BundleResolve, Reader::Ours),
    ) {
        // Same bytes in both rows, so the ratio of rates is the inverse ratio of times.
        let (references, found) = super::workloads::bundle_references(&corpus.bundle);
        let bytes = corpus.bundle.len();
        println!(
            "\nReference resolution of the {}-entry bundle: {references} references ({found} \
             found in the bundle), {:.1} ms, {:.1} % of its decode time ({:.1} ms; target \
             ≤ 5 %: {}).",
            corpus.bundle_entries,
            bytes as f64 / 1e3 / resolve,
            100.0 * decode / resolve,
            bytes as f64 / 1e3 / decode,
            if decode / resolve <= 0.05 {
                "met"
            } else {
                "NOT met"
            },
        );
    }
    println!(
        "\nValue column: parse for decode rows (decode + validate included), write for encode \
         rows, parse+write for decode + encode; fhirkit and IgnoredAny likewise decode only in \
         the decode + validate row. Encode and resolve rows count the same input bytes as \
         their decode rows. Decoded results are held to the end of a pass and freed untimed, \
         except in the NDJSON stream and decode + encode, which free as they go."
    );
}

/// Memory held by everything decoded, and the time to free it, per typed/tree reader.
fn memory_table(corpus: &Corpus, settings: &Settings) {
    let files: Vec<&[u8]> = corpus.examples.iter().map(|e| &e.bytes[..]).collect();
    let input = corpus.example_bytes();
    println!(
        "\n| all examples decoded | held bytes | held / JSON bytes | allocations | \
         bytes per allocation | decode s | free s | free / decode |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let held = memory_row("fhir-model", input, settings, || {
        files.iter().map(|b| ours_decode(b)).collect::<Vec<_>>()
    });
    memory_row("fhirkit 0.1.0", input, settings, || {
        files.iter().map(|b| fhirkit_decode(b)).collect::<Vec<_>>()
    });
    memory_row("serde_json::Value", input, settings, || {
        files.iter().map(|b| value_decode(b)).collect::<Vec<_>>()
    });
    let verdict = if held <= 1.5 { "met" } else { "NOT met" };
    println!("\ntarget memory held ≤ 1.5× the JSON: {held:.2}× ({verdict})");
    let bundle = [&corpus.bundle[..]];
    println!(
        "\n| {}-entry bundle decoded ({:.1} MB) | held bytes | held / JSON bytes | allocations | \
         bytes per allocation | decode s | free s | free / decode |",
        corpus.bundle_entries,
        corpus.bundle.len() as f64 / 1e6
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let bundle_settings = Settings {
        warm_up: 0,
        passes: 1,
    };
    memory_row("fhir-model", corpus.bundle.len(), &bundle_settings, || {
        ours_decode(bundle[0])
    });
    memory_row(
        "fhirkit 0.1.0",
        corpus.bundle.len(),
        &bundle_settings,
        || fhirkit_decode(bundle[0]),
    );
    memory_row(
        "serde_json::Value",
        corpus.bundle.len(),
        &bundle_settings,
        || value_decode(bundle[0]),
    );

    // The same file set for everyone: say what fhirkit thinks of it.
    let complaints: Vec<&str> = corpus
        .examples
        .iter()
        .filter(|e| {
            let text = std::str::from_utf8(&e.bytes).expect("UTF-8");
            let (value, issues) =
                fhirkit::from_json::<fhirkit::r4::Resource>(text).expect("fhirkit reads JSON");
            value.is_none()
                || issues
                    .iter()
                    .any(|i| i.severity == fhirkit::Severity::Error)
        })
        .map(|e| e.name.as_str())
        .collect();
    println!(
        "\nfhirkit reports errors in {} of these {} files{}{}",
        complaints.len(),
        corpus.examples.len(),
        if complaints.is_empty() { "" } else { ": " },
        complaints.join(", ")
    );
}

/// Held bytes (one counted decode), then decode and free timed separately (best of passes).
/// Returns held bytes / input bytes.
fn memory_row<T>(name: &str, input: usize, settings: &Settings, decode: impl Fn() -> T) -> f64 {
    let (held, bytes, allocations) = counted(&decode);
    drop(held);
    let mut decode_time = Duration::MAX;
    let mut free_time = Duration::MAX;
    for pass in 0..settings.warm_up + settings.passes {
        let start = Instant::now();
        let out = black_box(decode());
        let decoded = start.elapsed();
        let start = Instant::now();
        drop(out);
        let freed = start.elapsed();
        if pass >= settings.warm_up {
            decode_time = decode_time.min(decoded);
            free_time = free_time.min(freed);
        }
    }
    println!(
        "| {name} | {:.1} MB | {:.1}× | {:.2} M | {:.0} | {:.3} | {:.3} | {:.0} % |",
        bytes as f64 / 1e6,
        bytes as f64 / input as f64,
        allocations as f64 / 1e6,
        bytes as f64 / allocations.max(1) as f64,
        decode_time.as_secs_f64(),
        free_time.as_secs_f64(),
        100.0 * free_time.as_secs_f64() / decode_time.as_secs_f64()
    );
    bytes as f64 / input as f64
}

/// Decode speed per resource type, ours against `serde_json::Value` on the same files: which
/// types are slow for us beyond what their JSON costs anyone. Small groups are decoded several
/// times per timing (about 1 MB of input), so every type gets a usable figure.
fn per_type_table(corpus: &Corpus, settings: &Settings) {
    let mut by_type: BTreeMap<&str, Vec<&[u8]>> = BTreeMap::new();
    for e in &corpus.examples {
        by_type.entry(e.resource_type).or_default().push(&e.bytes);
    }
    let mut rows = Vec::new();
    for (resource_type, files) in &by_type {
        let bytes: usize = files.iter().map(|f| f.len()).sum();
        let reps = (1_000_000 / bytes.max(1)).max(1);
        let ours = best(settings, || {
            (0..reps)
                .map(|_| {
                    let start = Instant::now();
                    let out: Vec<_> = files.iter().map(|b| ours_decode(b)).collect();
                    let time = start.elapsed();
                    drop(black_box(out));
                    time
                })
                .sum()
        });
        let value = best(settings, || {
            (0..reps)
                .map(|_| {
                    let start = Instant::now();
                    let out: Vec<_> = files.iter().map(|b| value_decode(b)).collect();
                    let time = start.elapsed();
                    drop(black_box(out));
                    time
                })
                .sum()
        });
        rows.push(TypeRow {
            resource_type,
            files: files.len(),
            bytes,
            ours: mb_per_s(bytes * reps, ours),
            value: mb_per_s(bytes * reps, value),
        });
    }
    rows.sort_by(|a, b| (a.ours / a.value).total_cmp(&(b.ours / b.value)));
    println!(
        "\nDecode by resource type ({} types; as above, freeing is not timed), lowest ours/Value \
         first:\n",
        rows.len()
    );
    println!("| resourceType | files | MB | fhir-model MB/s | Value MB/s | ours/Value |");
    println!("|---|---:|---:|---:|---:|---:|");
    let (low, high) = (12, 4);
    for (i, row) in rows.iter().enumerate() {
        if i < low || i + high >= rows.len() {
            row.print();
        } else if i == low {
            println!("| … | | | | | |");
        }
    }
    rows.sort_by(|a, b| a.ours.total_cmp(&b.ours));
    println!("\nSlowest for fhir-model in MB/s:\n");
    println!("| resourceType | files | MB | fhir-model MB/s | Value MB/s | ours/Value |");
    println!("|---|---:|---:|---:|---:|---:|");
    rows.iter().take(8).for_each(TypeRow::print);
}

struct TypeRow<'a> {
    resource_type: &'a str,
    files: usize,
    bytes: usize,
    ours: f64,
    value: f64,
}

impl TypeRow<'_> {
    fn print(&self) {
        println!(
            "| {} | {} | {:.3} | {:.0} | {:.0} | {:.2}× |",
            self.resource_type,
            self.files,
            self.bytes as f64 / 1e6,
            self.ours,
            self.value,
            self.ours / self.value
        );
    }
}
