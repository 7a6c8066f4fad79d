//! Issues found while reading leniently or validating, shaped like OperationOutcome issues.

use std::fmt;

/// How bad an issue is (the IssueSeverity value set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The content is invalid.
    Error,
    /// The content is valid but questionable.
    Warning,
    /// For information only.
    Information,
}

/// What kind of issue (a subset of the IssueType value set).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IssueCode {
    /// JSON that does not fit the structure (unknown element, wrong JSON type).
    Structure,
    /// A required element is missing.
    Required,
    /// A value is not valid for its type.
    Value,
    /// An invariant (ele-1, ext-1, bdl-*) is broken.
    Invariant,
    /// A code is not in the required ValueSet.
    CodeInvalid,
    /// An element is given twice.
    Duplicate,
    /// Content that could not be processed (too deep, too large).
    TooCostly,
}

impl IssueCode {
    /// The IssueType code (`structure`, `required`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::Structure => "structure",
            IssueCode::Required => "required",
            IssueCode::Value => "value",
            IssueCode::Invariant => "invariant",
            IssueCode::CodeInvalid => "code-invalid",
            IssueCode::Duplicate => "duplicate",
            IssueCode::TooCostly => "too-costly",
        }
    }
}

/// One issue, located by element path (and by JSON position when read from text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// How bad it is.
    pub severity: Severity,
    /// What kind of issue.
    pub code: IssueCode,
    /// Element path with zero-based indices (`Patient.name[1].given[0]`).
    pub path: String,
    /// What is wrong, for people.
    pub message: String,
    /// 1-based line in the JSON, when known.
    pub line: Option<usize>,
    /// 1-based column in the JSON, when known.
    pub column: Option<usize>,
}

impl Issue {
    /// An error issue without a position.
    pub fn error(code: IssueCode, path: String, message: String) -> Self {
        Issue {
            severity: Severity::Error,
            code,
            path,
            message,
            line: None,
            column: None,
        }
    }
}

impl Issue {
    /// A failed FHIRPath constraint: its severity, its key first in the message.
    pub fn invariant(invariant: &super::Invariant, path: String) -> Self {
        Issue {
            severity: invariant.severity,
            ..Issue::error(
                IssueCode::Invariant,
                path,
                format!("{}: {}", invariant.key, invariant.human),
            )
        }
    }

    /// A constraint the engine could not evaluate here: a warning, not a failure of the
    /// resource for what may be the engine's limit.
    pub fn not_evaluated(invariant: &super::Invariant, path: String, error: &str) -> Self {
        Issue::warning(
            IssueCode::Invariant,
            path,
            format!("{}: not evaluated ({error})", invariant.key),
        )
    }
}

impl Issue {
    /// A warning issue without a position: valid, but questionable (a best practice unmet).
    pub fn warning(code: IssueCode, path: String, message: String) -> Self {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(code, path, message)
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " at line {line} column {column}")?;
        }
        Ok(())
    }
}

impl Issue {
    /// The issue a strict decode failed with: the element path our decoder puts before `": "`,
    /// serde_json's line and column, and a code from the kind of failure.
    pub fn from_json_error(error: &serde_json::Error) -> Self {
        let text = error.to_string();
        let position = format!(" at line {} column {}", error.line(), error.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        let (path, what) = match message.split_once(": ") {
            Some((path, what)) if !path.is_empty() && !path.contains(' ') => (path, what),
            _ => ("", message),
        };
        let code = if what.contains("recursion limit exceeded")
            || what.contains("nested deeper than")
        {
            // Refused to protect the stack, not malformed: IssueType `too-costly`.
            IssueCode::TooCostly
        } else if error.is_syntax()
            || error.is_eof()
            || what.starts_with(crate::json::de::INVALID_JSON)
        {
            IssueCode::Structure
        } else if what.contains("missing required element") || what.contains("missing resourceType")
        {
            IssueCode::Required
        } else if what.contains("is not in the required ValueSet") {
            IssueCode::CodeInvalid
        } else if what.contains("more than once") || what.contains("only one value") {
            IssueCode::Duplicate
        } else if what.contains("unknown element")
            || what.contains("invalid type")
            || what.contains("empty")
        {
            IssueCode::Structure
        } else {
            IssueCode::Value
        };
        Issue {
            severity: Severity::Error,
            code,
            path: path.to_owned(),
            message: what.to_owned(),
            line: (error.line() > 0).then_some(error.line()),
            column: (error.line() > 0).then_some(error.column()),
        }
    }
}

impl std::error::Error for Issue {}
