//! Reading options: strict or lenient, the nesting limit and the string limit. The decode helpers consult the
//! current options only when something is wrong (and for the depth check), through a
//! thread-local set for the duration of one [`Reader::read`].

use super::de::error;
use super::Path;
use crate::primitives::{replace_string_limit, MAX_STRING_CHARS};
use crate::validate::{Issue, IssueCode};
use serde::de;
use std::cell::{Cell, RefCell};
use std::fmt::Display;

/// Default limit on element nesting, in path segments (`Questionnaire.item[0].item[0]` is 5).
///
/// An element's path has as many segments as JSON objects and arrays enclose it, so this is
/// serde_json's own limit (it refuses a 128th level of objects and arrays): whatever serde_json
/// reads, the reader accepts. The official examples nest at most 21 levels; 50 nested
/// Questionnaire items make 101. It is also the most [`Reader::max_depth`] allows.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// The deepest nesting any reader accepts, whatever [`Reader::max_depth`] says. serde_json's
/// limit bounds the recursion of one deserializer, but a resource whose `resourceType` is not
/// its first member is decoded again by a new deserializer that starts counting from zero;
/// the element path runs on through it, so this limit bounds the recursion (and the stack)
/// of every decode. The deepest input it allows needs about 1.25 MiB of stack in a debug
/// build (nested contained resources with `resourceType` last), within the 2 MiB of a
/// spawned thread.
const DEPTH_CEILING: usize = 128;

thread_local! {
    /// `Some` while reading leniently: the issues so far.
    static LENIENT: RefCell<Option<Vec<Issue>>> = const { RefCell::new(None) };
    /// The nesting limit in force, already capped at [`DEPTH_CEILING`]. A `Cell` of its own:
    /// it is read for every object decoded.
    static MAX_DEPTH: Cell<usize> = const { Cell::new(DEFAULT_MAX_DEPTH) };
}

/// The nesting limit in force.
pub(crate) fn max_depth() -> usize {
    MAX_DEPTH.with(Cell::get)
}

/// A problem at `at`: an error when reading strictly; when reading leniently, an issue (at
/// `issue_path`, or `at`) and `Ok`, so the caller can keep what it can and go on.
pub(crate) fn recover<E: de::Error>(
    at: &Path<'_>,
    issue_path: Option<String>,
    code: IssueCode,
    message: impl Display,
) -> Result<(), E> {
    LENIENT.with(|s| match s.borrow_mut().as_mut() {
        Some(issues) => {
            issues.push(Issue::error(
                code,
                issue_path.unwrap_or_else(|| at.to_string()),
                message.to_string(),
            ));
            Ok(())
        }
        None => Err(error(at, message)),
    })
}

/// How to read FHIR JSON.
#[derive(Clone, Debug)]
pub struct Reader {
    lenient: bool,
    max_depth: usize,
    max_string_chars: usize,
}

/// What a read produced: the value and, when reading leniently, what was repaired or kept.
#[derive(Debug)]
pub struct Read<T> {
    /// The decoded value.
    pub value: T,
    /// Issues with element paths and JSON positions (always empty when strict).
    pub issues: Vec<Issue>,
}

impl Reader {
    /// Any problem rejects the input (what `serde_json::from_slice` does too).
    pub fn strict() -> Self {
        Reader {
            lenient: false,
            max_depth: DEFAULT_MAX_DEPTH,
            max_string_chars: MAX_STRING_CHARS,
        }
    }

    /// Keeps going where it can: unknown elements are skipped and reported, invalid values
    /// are kept as text in an `originalText` extension and reported, missing required
    /// elements, duplicates and empty arrays are reported. Malformed JSON is still an error.
    pub fn lenient() -> Self {
        Reader {
            lenient: true,
            max_depth: DEFAULT_MAX_DEPTH,
            max_string_chars: MAX_STRING_CHARS,
        }
    }

    /// Sets the nesting limit (path segments); deeper input is an error, never a stack overflow.
    /// Limits above [`DEFAULT_MAX_DEPTH`] (128) act as 128: serde_json refuses deeper JSON
    /// anyway, and the limit is what keeps the stack bounded where a new deserializer starts.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets the longest `string`, `code`, `id` or `markdown` accepted, in characters. The
    /// default is the spec's 1 MB ([`MAX_STRING_CHARS`]); a longer value is an error (kept as
    /// text and reported when reading leniently). `base64Binary` has no such limit.
    pub fn max_string_chars(mut self, chars: usize) -> Self {
        self.max_string_chars = chars;
        self
    }

    /// Reads a `Resource` from JSON bytes: [`Reader::read`] compiled once in this crate, so
    /// a program that calls it links the decoder instead of compiling it again.
    pub fn read_resource(&self, bytes: &[u8]) -> Result<Read<crate::Resource>, Issue> {
        self.read(bytes)
    }

    /// Reads one value (a `Resource`, a concrete resource, or a datatype) from JSON bytes.
    /// Generic: each crate calling it compiles the decoder of `T`; prefer
    /// [`Reader::read_resource`] for resources.
    pub fn read<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Result<Read<T>, Issue> {
        let previous = (
            LENIENT.with(|s| s.replace(self.lenient.then(Vec::new))),
            MAX_DEPTH.with(|s| s.replace(self.max_depth.min(DEPTH_CEILING))),
            replace_string_limit(self.max_string_chars),
        );
        let result = serde_json::from_slice::<T>(bytes);
        let issues = LENIENT.with(|s| s.replace(previous.0)).unwrap_or_default();
        MAX_DEPTH.with(|s| s.set(previous.1));
        replace_string_limit(previous.2);
        match result {
            Ok(value) => {
                let issues = issues
                    .into_iter()
                    .map(|i| super::position::locate_issue(bytes, i))
                    .collect();
                Ok(Read { value, issues })
            }
            Err(e) => Err(Issue::from_json_error(&e)),
        }
    }
}
