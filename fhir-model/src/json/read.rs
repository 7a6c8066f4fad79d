//! Reading options: strict or lenient, and the nesting limit. The decode helpers consult the
//! current options only when something is wrong (and for the depth check), through a
//! thread-local set for the duration of one [`Reader::read`].

use super::de::error;
use super::Path;
use crate::validate::{Issue, IssueCode};
use serde::de;
use std::cell::RefCell;
use std::fmt::Display;

/// Default limit on element nesting (path segments); every official example is well within it.
/// serde_json also refuses JSON nested more than 128 levels, whatever this says.
pub const DEFAULT_MAX_DEPTH: usize = 100;

struct State {
    /// `Some` while reading leniently: the issues so far.
    lenient: Option<Vec<Issue>>,
    max_depth: usize,
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State { lenient: None, max_depth: DEFAULT_MAX_DEPTH }) };
}

/// The nesting limit in force.
pub(crate) fn max_depth() -> usize {
    STATE.with(|s| s.borrow().max_depth)
}

/// A problem at `at`: an error when reading strictly; when reading leniently, an issue (at
/// `issue_path`, or `at`) and `Ok`, so the caller can keep what it can and go on.
pub(crate) fn recover<E: de::Error>(
    at: &Path<'_>,
    issue_path: Option<String>,
    code: IssueCode,
    message: impl Display,
) -> Result<(), E> {
    STATE.with(|s| match s.borrow_mut().lenient.as_mut() {
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
        }
    }

    /// Keeps going where it can: unknown elements are skipped and reported, invalid values
    /// are kept as text in an `originalText` extension and reported, missing required
    /// elements, duplicates and empty arrays are reported. Malformed JSON is still an error.
    pub fn lenient() -> Self {
        Reader {
            lenient: true,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// Sets the nesting limit (path segments); deeper input is an error, never a stack overflow.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Reads one value (a `Resource`, a concrete resource, or a datatype) from JSON bytes.
    pub fn read<T: serde::de::DeserializeOwned>(&self, bytes: &[u8]) -> Result<Read<T>, Issue> {
        let previous = STATE.with(|s| {
            let mut s = s.borrow_mut();
            let previous = (s.lenient.take(), s.max_depth);
            s.lenient = self.lenient.then(Vec::new);
            s.max_depth = self.max_depth;
            previous
        });
        let result = serde_json::from_slice::<T>(bytes);
        let issues = STATE.with(|s| {
            let mut s = s.borrow_mut();
            let issues = s.lenient.take().unwrap_or_default();
            (s.lenient, s.max_depth) = previous;
            issues
        });
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
