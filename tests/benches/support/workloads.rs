//! The input data and one timed closure per (workload, reader), shared by the criterion groups
//! and the report so both measure exactly the same work.
//!
//! Every closure returns the time of its measured part only. Decoders keep what they decode
//! until the pass ends (as a caller that holds the result would) and free it outside the timed
//! part; the NDJSON stream is the exception: it decodes a line, drops it, and reads the next.
//! Throughput is always input bytes per second: the example files as published (pretty-printed),
//! the NDJSON buffer, or the encoded bundle; encode rows use the same byte count as the matching
//! decode row, so ratios within a row are ratios of time.

use fhir_model::codes::BundleType;
use fhir_model::primitives::{Id, Uri};
use fhir_model::resources::{Bundle, BundleEntry};
use fhir_model::{Primitive, Resource};
use serde::de::IgnoredAny;
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Entries in the synthetic `collection` bundle.
pub const BUNDLE_ENTRIES: usize = 10_000;
/// Entries in quick mode (when a bench binary runs as a test, without `--bench`).
const QUICK_BUNDLE_ENTRIES: usize = 100;
/// Files read in quick mode.
const QUICK_FILES: usize = 100;

/// One official example that our decoder accepts.
pub struct Example {
    pub name: String,
    pub resource_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The inputs of every workload, built once.
pub struct Corpus {
    /// Accepted examples, sorted by file name; every reader gets exactly these.
    pub examples: Vec<Example>,
    /// Files in the folder that our decoder rejects (the invalid examples), left out.
    pub rejected: Vec<String>,
    /// One accepted example per line, minified by our encoder.
    pub ndjson: Vec<u8>,
    /// A `collection` bundle of [`BUNDLE_ENTRIES`] entries, encoded by our encoder.
    pub bundle: Vec<u8>,
    /// Entries in `bundle`.
    pub bundle_entries: usize,
}

impl Corpus {
    /// Reads the official examples (`None`, with a note on stderr, when they are absent).
    /// `quick` takes only the first few files and a small bundle, for a smoke run.
    pub fn load(quick: bool) -> Option<Corpus> {
        let dir = fhir_tests::r4_examples()?;
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("examples folder")
            .map(|e| e.expect("folder entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        if quick {
            paths.truncate(QUICK_FILES);
        }
        let mut examples = Vec::new();
        let mut rejected = Vec::new();
        let mut ndjson = Vec::new();
        let mut members: Vec<Resource> = Vec::new();
        for path in &paths {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(path).expect("readable example");
            match serde_json::from_slice::<Resource>(&bytes) {
                Ok(resource) => {
                    serde_json::to_writer(&mut ndjson, &resource).expect("encodes");
                    ndjson.push(b'\n');
                    let resource_type = resource.resource_type();
                    if !matches!(resource, Resource::Bundle(_)) {
                        members.push(resource);
                    }
                    examples.push(Example {
                        name,
                        resource_type,
                        bytes,
                    });
                }
                Err(_) => rejected.push(name),
            }
        }
        let entries = if quick {
            QUICK_BUNDLE_ENTRIES
        } else {
            BUNDLE_ENTRIES
        };
        let bundle = serde_json::to_vec(&collection_bundle(&members, entries)).expect("encodes");
        Some(Corpus {
            examples,
            rejected,
            ndjson,
            bundle,
            bundle_entries: entries,
        })
    }

    /// Bytes of all accepted examples as published.
    pub fn example_bytes(&self) -> usize {
        self.examples.iter().map(|e| e.bytes.len()).sum()
    }

    /// The lines of the NDJSON buffer.
    pub fn ndjson_lines(&self) -> impl Iterator<Item = &[u8]> {
        self.ndjson.split(|&b| b == b'\n').filter(|l| !l.is_empty())
    }

    /// The closures of one workload, with their inputs prepared (untimed) here.
    pub fn group(&self, workload: Workload) -> Group<'_> {
        let files: Vec<&[u8]> = self.examples.iter().map(|e| &e.bytes[..]).collect();
        let (bytes, cases) = match workload {
            Workload::ExamplesDecode => (self.example_bytes(), decode_cases(files)),
            Workload::ExamplesDecodeValidate => {
                let mut cases = decode_cases(files.clone());
                cases[0] = validate_case(files);
                (self.example_bytes(), cases)
            }
            Workload::ExamplesEncode => (self.example_bytes(), encode_cases(&files)),
            Workload::ExamplesRoundTrip => (self.example_bytes(), round_trip_cases(files)),
            Workload::NdjsonDecode => {
                let lines: Vec<&[u8]> = self.ndjson_lines().collect();
                (self.ndjson.len(), stream_cases(lines))
            }
            Workload::BundleDecode => (self.bundle.len(), decode_cases(vec![&self.bundle[..]])),
            Workload::BundleEncode => (self.bundle.len(), encode_cases(&[&self.bundle[..]])),
            Workload::BundleResolve => (self.bundle.len(), vec![resolve_case(&self.bundle)]),
        };
        Group { bytes, cases }
    }
}

/// A `collection` bundle of `entries` entries cycling through `members`, each with a
/// deterministic `urn:uuid:` fullUrl.
fn collection_bundle(members: &[Resource], entries: usize) -> Resource {
    assert!(!members.is_empty(), "no non-Bundle example was accepted");
    let entry = members
        .iter()
        .cycle()
        .take(entries)
        .enumerate()
        .map(|(i, resource)| BundleEntry {
            full_url: Some(Primitive::new(
                Uri::parse(&format!("urn:uuid:{}", uuid(i as u64))).expect("valid uri"),
            )),
            resource: Some(resource.clone()),
            ..Default::default()
        })
        .collect();
    Resource::from(Bundle {
        id: Some(Primitive::new(
            Id::parse("bench-collection").expect("valid id"),
        )),
        type_: Some(Primitive::new(BundleType::Collection)),
        entry,
        ..Default::default()
    })
}

/// A version-4-shaped UUID derived from `n` (splitmix64), the same on every run.
fn uuid(n: u64) -> String {
    fn splitmix64(mut x: u64) -> u64 {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }
    let (a, b) = (splitmix64(2 * n), splitmix64(2 * n + 1));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// What is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// Decode every accepted example (results held, freed untimed).
    ExamplesDecode,
    /// Decode every accepted example, then validate it (`validate_resource`); the baselines
    /// decode only (fhirkit reports its own issues while it decodes).
    ExamplesDecodeValidate,
    /// Encode every decoded example to a fresh `Vec`/`String`.
    ExamplesEncode,
    /// Decode and encode each example in turn, freeing as it goes.
    ExamplesRoundTrip,
    /// Decode the NDJSON buffer line by line, dropping each resource before the next line.
    NdjsonDecode,
    /// Decode the synthetic bundle (held, freed untimed).
    BundleDecode,
    /// Encode the decoded synthetic bundle.
    BundleEncode,
    /// Resolve every reference of the decoded synthetic bundle (`Bundle::resolve_references`;
    /// ours only).
    BundleResolve,
}

impl Workload {
    pub const ALL: [Workload; 8] = [
        Workload::ExamplesDecode,
        Workload::ExamplesDecodeValidate,
        Workload::ExamplesEncode,
        Workload::ExamplesRoundTrip,
        Workload::NdjsonDecode,
        Workload::BundleDecode,
        Workload::BundleEncode,
        Workload::BundleResolve,
    ];

    /// Criterion group id.
    pub fn id(self) -> &'static str {
        match self {
            Workload::ExamplesDecode => "examples-decode",
            Workload::ExamplesDecodeValidate => "examples-decode-validate",
            Workload::ExamplesEncode => "examples-encode",
            Workload::ExamplesRoundTrip => "examples-roundtrip",
            Workload::NdjsonDecode => "ndjson-stream-decode",
            Workload::BundleDecode => "bundle-decode",
            Workload::BundleEncode => "bundle-encode",
            Workload::BundleResolve => "bundle-resolve-references",
        }
    }

    /// Row label in the report.
    pub fn label(self) -> &'static str {
        match self {
            Workload::ExamplesDecode => "examples: decode",
            Workload::ExamplesDecodeValidate => "examples: decode + validate with all invariants",
            Workload::ExamplesEncode => "examples: encode",
            Workload::ExamplesRoundTrip => "examples: decode + encode",
            Workload::NdjsonDecode => "NDJSON: stream decode",
            Workload::BundleDecode => "collection bundle: decode",
            Workload::BundleEncode => "collection bundle: encode",
            Workload::BundleResolve => "collection bundle: resolve references",
        }
    }
}

/// Who does the work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// `fhir_model::Resource` through serde_json.
    Ours,
    /// `fhirkit::r4::Resource` (fhirkit 0.1.0: its own JSON tree, then typed decode).
    Fhirkit,
    /// `serde_json::Value` (parse, write, or both, as the workload says).
    Value,
    /// `serde_json::from_slice::<IgnoredAny>`: tokenizing only, the ceiling of a serde reader.
    IgnoredAny,
}

impl Reader {
    pub const ALL: [Reader; 4] = [
        Reader::Ours,
        Reader::Fhirkit,
        Reader::Value,
        Reader::IgnoredAny,
    ];

    /// Criterion function id.
    pub fn id(self) -> &'static str {
        match self {
            Reader::Ours => "fhir-model",
            Reader::Fhirkit => "fhirkit",
            Reader::Value => "serde_json-Value",
            Reader::IgnoredAny => "IgnoredAny",
        }
    }
}

/// A timed closure: runs one pass and returns the time of its measured part.
pub type Run<'a> = Box<dyn FnMut() -> Duration + 'a>;

pub struct Case<'a> {
    pub reader: Reader,
    pub run: Run<'a>,
}

pub struct Group<'a> {
    /// Bytes one pass reads (the throughput denominator).
    pub bytes: usize,
    pub cases: Vec<Case<'a>>,
}

/// Times `work`, then drops what it returned, untimed.
fn timed<T>(work: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    let out = black_box(work());
    let elapsed = start.elapsed();
    drop(out);
    elapsed
}

/// fhirkit reads `&str`; the UTF-8 check is part of its pass (it is a small fraction).
pub fn fhirkit_decode(bytes: &[u8]) -> Option<fhirkit::r4::Resource> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    fhirkit::from_json::<fhirkit::r4::Resource>(text)
        .expect("fhirkit reads the JSON")
        .0
}

pub fn ours_decode(bytes: &[u8]) -> Resource {
    serde_json::from_slice(bytes).expect("accepted example")
}

pub fn value_decode(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("JSON")
}

fn ignore(bytes: &[u8]) -> IgnoredAny {
    serde_json::from_slice(bytes).expect("JSON")
}

fn decode_cases(inputs: Vec<&[u8]>) -> Vec<Case<'_>> {
    let inputs = std::rc::Rc::new(inputs);
    Reader::ALL
        .into_iter()
        .map(|reader| {
            let inputs = inputs.clone();
            let run: Run<'_> = match reader {
                Reader::Ours => Box::new(move || {
                    timed(|| inputs.iter().map(|b| ours_decode(b)).collect::<Vec<_>>())
                }),
                Reader::Fhirkit => Box::new(move || {
                    timed(|| inputs.iter().map(|b| fhirkit_decode(b)).collect::<Vec<_>>())
                }),
                Reader::Value => Box::new(move || {
                    timed(|| inputs.iter().map(|b| value_decode(b)).collect::<Vec<_>>())
                }),
                Reader::IgnoredAny => {
                    Box::new(move || timed(|| inputs.iter().map(|b| ignore(b)).collect::<Vec<_>>()))
                }
            };
            Case { reader, run }
        })
        .collect()
}

/// Ours: decode each input and validate it; results and issues held, freed untimed.
fn validate_case(inputs: Vec<&[u8]>) -> Case<'_> {
    Case {
        reader: Reader::Ours,
        run: Box::new(move || {
            timed(|| {
                inputs
                    .iter()
                    .map(|b| {
                        let resource = ours_decode(b);
                        let issues = fhir_model::validate::validate_resource(&resource);
                        (resource, issues)
                    })
                    .collect::<Vec<_>>()
            })
        }),
    }
}

/// Ours: the bundle decoded once (untimed); each pass resolves every reference in it.
fn resolve_case(bundle: &[u8]) -> Case<'_> {
    let Resource::Bundle(bundle) = ours_decode(bundle) else {
        panic!("the synthetic bundle is a Bundle")
    };
    Case {
        reader: Reader::Ours,
        run: Box::new(move || timed(|| bundle.resolve_references())),
    }
}

/// How many references the synthetic bundle has, and how many resolve to an entry.
pub fn bundle_references(bundle: &[u8]) -> (usize, usize) {
    let Resource::Bundle(bundle) = ours_decode(bundle) else {
        panic!("the synthetic bundle is a Bundle")
    };
    let all = bundle.resolve_references();
    let found = all.iter().filter(|r| r.entry.is_some()).count();
    (all.len(), found)
}

/// Decodes the inputs once per reader (untimed); the closures encode them.
fn encode_cases<'a>(inputs: &[&[u8]]) -> Vec<Case<'a>> {
    let ours: Vec<Resource> = inputs.iter().map(|b| ours_decode(b)).collect();
    let kit: Vec<fhirkit::r4::Resource> = inputs
        .iter()
        .map(|b| fhirkit_decode(b).expect("fhirkit decodes it"))
        .collect();
    let values: Vec<Value> = inputs.iter().map(|b| value_decode(b)).collect();
    vec![
        Case {
            reader: Reader::Ours,
            run: Box::new(move || {
                timed(|| {
                    ours.iter()
                        .map(|r| black_box(serde_json::to_vec(r).expect("encodes")).len())
                        .sum::<usize>()
                })
            }),
        },
        Case {
            reader: Reader::Fhirkit,
            run: Box::new(move || {
                timed(|| {
                    kit.iter()
                        .map(|r| black_box(fhirkit::to_json(r)).len())
                        .sum::<usize>()
                })
            }),
        },
        Case {
            reader: Reader::Value,
            run: Box::new(move || {
                timed(|| {
                    values
                        .iter()
                        .map(|v| black_box(serde_json::to_vec(v).expect("encodes")).len())
                        .sum::<usize>()
                })
            }),
        },
    ]
}

fn round_trip_cases(inputs: Vec<&[u8]>) -> Vec<Case<'_>> {
    let inputs = std::rc::Rc::new(inputs);
    let (a, b, c) = (inputs.clone(), inputs.clone(), inputs);
    vec![
        Case {
            reader: Reader::Ours,
            run: Box::new(move || {
                timed(|| {
                    a.iter()
                        .map(|b| serde_json::to_vec(&ours_decode(b)).expect("encodes").len())
                        .sum::<usize>()
                })
            }),
        },
        Case {
            reader: Reader::Fhirkit,
            run: Box::new(move || {
                timed(|| {
                    b.iter()
                        .map(|b| fhirkit::to_json(&fhirkit_decode(b).expect("decodes")).len())
                        .sum::<usize>()
                })
            }),
        },
        Case {
            reader: Reader::Value,
            run: Box::new(move || {
                timed(|| {
                    c.iter()
                        .map(|b| serde_json::to_vec(&value_decode(b)).expect("encodes").len())
                        .sum::<usize>()
                })
            }),
        },
    ]
}

/// Constant memory: each line's result is dropped (inside the timed part) before the next.
fn stream_cases(lines: Vec<&[u8]>) -> Vec<Case<'_>> {
    let lines = std::rc::Rc::new(lines);
    Reader::ALL
        .into_iter()
        .map(|reader| {
            let lines = lines.clone();
            let run: Run<'_> = match reader {
                Reader::Ours => Box::new(move || {
                    timed(|| lines.iter().for_each(|l| drop(black_box(ours_decode(l)))))
                }),
                Reader::Fhirkit => Box::new(move || {
                    timed(|| {
                        lines
                            .iter()
                            .for_each(|l| drop(black_box(fhirkit_decode(l))))
                    })
                }),
                Reader::Value => Box::new(move || {
                    timed(|| lines.iter().for_each(|l| drop(black_box(value_decode(l)))))
                }),
                Reader::IgnoredAny => {
                    Box::new(move || timed(|| lines.iter().for_each(|l| _ = black_box(ignore(l)))))
                }
            };
            Case { reader, run }
        })
        .collect()
}

/// What was read, and a check that the left-out files are the listed invalid ones.
pub fn describe(corpus: &Corpus) -> String {
    let bundle_check = match serde_json::from_slice::<Resource>(&corpus.bundle) {
        Ok(Resource::Bundle(b)) => b.entry.len(),
        _ => 0,
    };
    let listed: Vec<&str> = include_str!("../../conformance/rejected.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    let unlisted: Vec<&str> = corpus
        .rejected
        .iter()
        .map(String::as_str)
        .filter(|name| !listed.contains(name))
        .collect();
    let rejected = if unlisted.is_empty() {
        "all listed in tests/conformance/rejected.tsv".to_string()
    } else {
        format!("NOT in rejected.tsv: {}", unlisted.join(", "))
    };
    format!(
        "{} accepted examples ({:.1} MB), {} rejected and left out ({}); NDJSON {:.1} MB; \
         bundle of {} entries ({} decoded back), {:.1} MB",
        corpus.examples.len(),
        corpus.example_bytes() as f64 / 1e6,
        corpus.rejected.len(),
        rejected,
        corpus.ndjson.len() as f64 / 1e6,
        corpus.bundle_entries,
        bundle_check,
        corpus.bundle.len() as f64 / 1e6,
    )
}
