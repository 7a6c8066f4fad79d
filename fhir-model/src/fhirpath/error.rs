//! Errors: syntax errors carry the character position; evaluation errors are values.

use std::fmt;

/// A syntax error at a character position (0-based) of the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset where the problem starts.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(position: usize, message: impl Into<String>) -> Self {
        ParseError {
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for ParseError {}

/// An evaluation error (`single()` on two items, a wrong argument type, an unknown function).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// Character offset of the operator or function that failed.
    pub position: usize,
    /// What went wrong.
    pub message: String,
}

impl EvalError {
    pub(crate) fn new(position: usize, message: impl Into<String>) -> Self {
        EvalError {
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for EvalError {}
