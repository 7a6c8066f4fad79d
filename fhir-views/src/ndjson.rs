//! Reading Bulk Data NDJSON (`.ndjson`, `.jsonl`, and the same gzipped) through a view, in
//! parallel: workers take whole files from a shared list, read them line by line with one
//! reused buffer, and send record batches of bounded size through a bounded channel, so each
//! worker holds one line, one batch in progress and the batches waiting in the channel.
//!
//! Reading is lenient: a line that is not JSON, not a resource, or on which the view fails
//! is counted and reported with its file and line ([`Issue`]), never dropped silently;
//! values the lenient FHIR reader had to repair are reported the same way while the resource
//! is kept. Lines of other resource types are counted, not parsed (the `resourceType` is
//! looked up in the raw line first). Top-level members the view does not read are left out
//! before decoding (see [`crate::prune`]; not when reading strictly).

use crate::arrow::{schema, ArrowOptions, BatchBuilder};
use crate::lines::Lines;
use crate::prune::{prune, MemberFilter};
use crate::view::ViewDefinition;
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How many issues are kept with their text; all are counted.
pub const MAX_KEPT_ISSUES: usize = 1000;

/// A problem with one line (or a whole file, with line 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line; 0 for the file as a whole (cannot be opened, broken gzip).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
        }
    }
}

/// Scan settings.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Worker threads (default: the number of cores).
    pub threads: usize,
    /// Rows per record batch.
    pub batch_rows: usize,
    /// Arrow type choices.
    pub arrow: ArrowOptions,
    /// Reject values the FHIR reader would repair (the line becomes an issue).
    pub strict: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch_rows: 8192,
            arrow: ArrowOptions::default(),
            strict: false,
        }
    }
}

/// Counters, updated by the workers as they go (for progress display and the final report).
#[derive(Debug, Default)]
pub struct Progress {
    /// Files finished.
    pub files_done: AtomicUsize,
    /// Files to read.
    pub files_total: AtomicUsize,
    /// Bytes of NDJSON read (uncompressed).
    pub bytes: AtomicU64,
    /// Non-empty lines read.
    pub lines: AtomicU64,
    /// Resources of the view's type read.
    pub resources: AtomicU64,
    /// Lines of other resource types.
    pub other_types: AtomicU64,
    /// Rows produced.
    pub rows: AtomicU64,
    /// Issues found.
    pub issues: AtomicU64,
    kept: Mutex<Vec<Issue>>,
}

impl Progress {
    fn issue(&self, file: &Path, line: u64, message: String) {
        self.issues.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut kept) = self.kept.lock() {
            if kept.len() < MAX_KEPT_ISSUES {
                kept.push(Issue {
                    file: file.to_owned(),
                    line,
                    message,
                });
            }
        }
    }

    /// The issues kept so far (at most [`MAX_KEPT_ISSUES`]), in the order found.
    pub fn issues(&self) -> Vec<Issue> {
        self.kept.lock().map(|k| k.clone()).unwrap_or_default()
    }

    /// A snapshot of the counters.
    pub fn summary(&self) -> Summary {
        Summary {
            files: self.files_done.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            lines: self.lines.load(Ordering::Relaxed),
            resources: self.resources.load(Ordering::Relaxed),
            other_types: self.other_types.load(Ordering::Relaxed),
            rows: self.rows.load(Ordering::Relaxed),
            issues: self.issues.load(Ordering::Relaxed),
        }
    }
}

/// What a scan read and produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Bytes of NDJSON (uncompressed).
    pub bytes: u64,
    /// Non-empty lines.
    pub lines: u64,
    /// Resources of the view's type.
    pub resources: u64,
    /// Lines of other resource types.
    pub other_types: u64,
    /// Rows produced.
    pub rows: u64,
    /// Issues (lines not used, or repaired).
    pub issues: u64,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} files, {} lines ({:.1} MB), {} resources of the view's type, {} of other types, {} rows, {} issues",
            self.files,
            self.lines,
            self.bytes as f64 / 1e6,
            self.resources,
            self.other_types,
            self.rows,
            self.issues
        )
    }
}

/// The NDJSON files of `path`: the file itself, or the `.ndjson`, `.jsonl` (and `.gz` of
/// them) files of a directory and its subdirectories, sorted by path.
pub fn list_files(path: &Path) -> io::Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_owned()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            if p.is_dir() {
                dirs.push(p);
            } else if is_ndjson(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn is_ndjson(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.ends_with(".ndjson") || name.ends_with(".jsonl")
}

/// A running scan: an iterator of record batches, in no particular order.
pub struct Scan {
    schema: SchemaRef,
    receiver: Receiver<RecordBatch>,
    workers: Vec<JoinHandle<()>>,
    progress: Arc<Progress>,
    stop: Arc<AtomicBool>,
}

impl Scan {
    /// Starts reading `files` through `view` on `options.threads` workers.
    pub fn start(view: &ViewDefinition, files: Vec<PathBuf>, options: &ScanOptions) -> Scan {
        let schema = schema(view, &options.arrow);
        let progress = Arc::new(Progress::default());
        progress.files_total.store(files.len(), Ordering::Relaxed);
        let threads = options.threads.clamp(1, files.len().max(1));
        let (sender, receiver) = sync_channel(threads * 2);
        let files = Arc::new(files);
        let next = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let view = Arc::new(view.clone());
        let workers = (0..threads)
            .map(|_| {
                let worker = Worker {
                    view: view.clone(),
                    schema: schema.clone(),
                    options: options.clone(),
                    progress: progress.clone(),
                    send: std_sender(sender.clone()),
                    stop: stop.clone(),
                };
                let (files, next) = (files.clone(), next.clone());
                std::thread::spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    if !worker.file(file) {
                        break;
                    }
                })
            })
            .collect();
        Scan {
            schema,
            receiver,
            workers,
            progress,
            stop,
        }
    }

    /// The schema of the batches.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// The live counters.
    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }

    /// Waits for the workers (after the batches were taken) and returns the totals.
    pub fn finish(mut self) -> Summary {
        self.join();
        self.progress.summary()
    }

    fn join(&mut self) {
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

impl Iterator for Scan {
    type Item = RecordBatch;
    fn next(&mut self) -> Option<RecordBatch> {
        self.receiver.recv().ok()
    }
}

impl Drop for Scan {
    fn drop(&mut self) {
        // Workers blocked on a full channel see it closed and stop.
        self.stop.store(true, Ordering::Relaxed);
        let (_, empty) = sync_channel(0);
        drop(std::mem::replace(&mut self.receiver, empty));
        self.join();
    }
}

/// Hands a batch to the consumer; `false` when it is gone.
pub type BatchSender = Arc<dyn Fn(RecordBatch) -> bool + Send + Sync>;

fn std_sender(sender: SyncSender<RecordBatch>) -> BatchSender {
    Arc::new(move |batch| sender.send(batch).is_ok())
}

/// Reads files through a view, sending batches; shared by [`Scan`] and the DataFusion scan.
pub struct Worker {
    /// The view (possibly projected).
    pub view: Arc<ViewDefinition>,
    /// Its schema.
    pub schema: SchemaRef,
    /// Settings.
    pub options: ScanOptions,
    /// Counters and issues.
    pub progress: Arc<Progress>,
    /// Where batches go; `false` when the consumer is gone.
    pub send: BatchSender,
    /// Set when the consumer is gone.
    pub stop: Arc<AtomicBool>,
}

impl Worker {
    /// Reads one file; `false` when the consumer has gone away.
    pub fn file(&self, path: &Path) -> bool {
        let ok = match std::fs::File::open(path) {
            Ok(f) => {
                let gz = path.extension().is_some_and(|e| e == "gz");
                let reader: Box<dyn Read> = if gz {
                    Box::new(flate2::read::MultiGzDecoder::new(f))
                } else {
                    Box::new(f)
                };
                self.lines(path, Lines::new(reader))
            }
            Err(e) => {
                self.progress.issue(path, 0, format!("cannot open: {e}"));
                true
            }
        };
        self.progress.files_done.fetch_add(1, Ordering::Relaxed);
        ok
    }

    fn lines(&self, path: &Path, mut reader: Lines<impl Read>) -> bool {
        let mut builder = BatchBuilder::new(self.schema.clone());
        let mut rows = Vec::new();
        // Strict reading checks whole resources: nothing is left out.
        let filter = if self.options.strict {
            MemberFilter::all()
        } else {
            MemberFilter::for_view(&self.view)
        };
        let mut kept = Vec::with_capacity(64 * 1024);
        let reader_options = if self.options.strict {
            fhir_model::json::Reader::strict()
        } else {
            fhir_model::json::Reader::lenient()
        };
        let p = &self.progress;
        let mut line_no = 0u64;
        loop {
            let buf = match reader.next_line() {
                Ok(None) => break,
                Ok(Some(line)) => {
                    p.bytes.fetch_add(line.len() as u64, Ordering::Relaxed);
                    line
                }
                Err(e) => {
                    p.issue(
                        path,
                        line_no + 1,
                        format!("read error, rest of file skipped: {e}"),
                    );
                    break;
                }
            };
            line_no += 1;
            let line = trim(buf);
            if line.is_empty() {
                continue;
            }
            p.lines.fetch_add(1, Ordering::Relaxed);
            let ty = top_level_type(line);
            if ty.is_some_and(|ty| ty != self.view.resource.as_bytes()) {
                p.other_types.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            // Decode only the members the view reads; a line with any problem is decoded
            // again whole, so what is reported is the same as without the filter.
            let pruned = ty.is_some() && filter.is_active() && prune(line, &filter, &mut kept);
            let mut result = reader_options.read_resource(if pruned { &kept } else { line });
            if pruned && !matches!(&result, Ok(read) if read.issues.is_empty()) {
                result = reader_options.read_resource(line);
            }
            let read = match result {
                Ok(read) => read,
                Err(issue) => {
                    p.issue(path, line_no, format!("not a FHIR resource: {issue}"));
                    continue;
                }
            };
            let resource = read.value;
            if fhir_model::fhirpath::Reflect::fhir_type(&resource) != self.view.resource {
                p.other_types.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            p.resources.fetch_add(1, Ordering::Relaxed);
            if let Some(first) = read.issues.first() {
                let more = read.issues.len() - 1;
                let more = if more > 0 {
                    format!(" (and {more} more)")
                } else {
                    String::new()
                };
                p.issue(path, line_no, format!("repaired: {first}{more}"));
            }
            rows.clear();
            if let Err(e) = self.view.rows_into(&resource, &mut rows) {
                p.issue(path, line_no, format!("view failed: {e}"));
                continue;
            }
            p.rows.fetch_add(rows.len() as u64, Ordering::Relaxed);
            for row in &rows {
                if let Err(e) = builder.push(row) {
                    p.issue(path, line_no, format!("value stored as null: {e}"));
                }
            }
            if builder.len() >= self.options.batch_rows && !self.send(builder.finish()) {
                return false;
            }
        }
        if !builder.is_empty() {
            return self.send(builder.finish());
        }
        true
    }

    fn send(&self, batch: RecordBatch) -> bool {
        !self.stop.load(Ordering::Relaxed) && (self.send)(batch)
    }
}

fn trim(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() || *first == 0xEF || *first == 0xBB || *first == 0xBF {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() {
            b = rest;
        } else {
            break;
        }
    }
    b
}

/// The value of the top-level `"resourceType"` of a JSON object line, found without parsing
/// it; `None` when it cannot be told cheaply (the line is then parsed).
fn top_level_type(line: &[u8]) -> Option<&[u8]> {
    const KEY: &[u8] = b"\"resourceType\"";
    let mut depth = 0usize;
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                if depth == 1 && line[i..].starts_with(KEY) {
                    let mut j = i + KEY.len();
                    while j < line.len() && line[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if line.get(j) != Some(&b':') {
                        return None;
                    }
                    j += 1;
                    while j < line.len() && line[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if line.get(j) != Some(&b'"') {
                        return None;
                    }
                    let start = j + 1;
                    let len = line[start..].iter().position(|&b| b == b'"')?;
                    let value = &line[start..start + len];
                    return value.iter().all(u8::is_ascii_alphanumeric).then_some(value);
                }
                // Skip the string.
                i += 1;
                while i < line.len() && line[i] != b'"' {
                    if line[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_top_level_type_only() {
        assert_eq!(
            top_level_type(br#"{"resourceType":"Patient","id":"1"}"#),
            Some(&b"Patient"[..])
        );
        assert_eq!(
            top_level_type(
                br#"{"contained":[{"resourceType":"Organization"}], "resourceType" : "Patient"}"#
            ),
            Some(&b"Patient"[..])
        );
        assert_eq!(
            top_level_type(br#"{"note":"\"resourceType\":\"X\"","resourceType":"Obs"}"#),
            Some(&b"Obs"[..])
        );
        assert_eq!(top_level_type(br#"{"id":"1"}"#), None);
    }
}
