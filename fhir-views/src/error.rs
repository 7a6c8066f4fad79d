//! Errors: a view that is not valid, and a view that fails on a resource.

use std::fmt;

/// A ViewDefinition that cannot be used: what is wrong and where in the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewError {
    /// The element path in the view (`select[0].column[1].path`); empty for the whole view.
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl ViewError {
    /// A problem at `at`.
    pub fn new(at: &str, message: impl Into<String>) -> ViewError {
        ViewError {
            at: at.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            write!(f, "invalid ViewDefinition: {}", self.message)
        } else {
            write!(f, "invalid ViewDefinition at {}: {}", self.at, self.message)
        }
    }
}

impl std::error::Error for ViewError {}

/// Running a view on one resource failed (a path error, a non-boolean `where`, several values
/// in a non-collection column, a value of the wrong type for its column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunError {
    /// The resource (`Patient/123`, or the type alone when it has no id).
    pub resource: String,
    /// The element path in the view.
    pub at: String,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: at {}: {}", self.resource, self.at, self.message)
    }
}

impl std::error::Error for RunError {}
