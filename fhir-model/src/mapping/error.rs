//! The one error of mapping between user types and resources: what is wrong, and where.

use std::fmt;

/// A value that cannot be mapped, at an element path (`Encounter.period.start`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingError {
    /// The element path, zero-based indices included (`Patient.name[1].given[0]`).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl MappingError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl fmt::Display) -> Self {
        MappingError {
            path: path.into(),
            message: message.to_string(),
        }
    }

    /// A required element that is absent.
    pub fn missing(path: impl Into<String>) -> Self {
        MappingError::new(path, "required element is missing")
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for MappingError {}
