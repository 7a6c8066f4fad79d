//! Issues as an OperationOutcome resource (operationoutcome.html).

use super::{Issue, IssueCode, Severity};
use crate::codes::{IssueSeverity, IssueType};
use crate::primitives::FhirString;
use crate::resources::{OperationOutcome, OperationOutcomeIssue};
use crate::Primitive;

/// An OperationOutcome with one issue per item, `expression` holding the element path. With no
/// issues it carries the single informational "all OK" issue the spec asks for.
pub fn to_operation_outcome(issues: &[Issue]) -> OperationOutcome {
    let mut outcome = OperationOutcome::default();
    for issue in issues {
        let mut item = OperationOutcomeIssue::new(severity(issue.severity), code(issue.code));
        let mut diagnostics = issue.message.clone();
        if let (Some(line), Some(column)) = (issue.line, issue.column) {
            diagnostics.push_str(&format!(" (line {line}, column {column})"));
        }
        item.diagnostics = FhirString::try_from(diagnostics).ok().map(Primitive::new);
        item.expression = FhirString::parse(&issue.path)
            .ok()
            .map(Primitive::new)
            .into_iter()
            .collect();
        outcome.issue.push(item);
    }
    if outcome.issue.is_empty() {
        let mut ok =
            OperationOutcomeIssue::new(IssueSeverity::Information, IssueType::Informational);
        ok.diagnostics = FhirString::parse("no issues found")
            .ok()
            .map(Primitive::new);
        outcome.issue.push(ok);
    }
    outcome
}

fn severity(s: Severity) -> IssueSeverity {
    match s {
        Severity::Error => IssueSeverity::Error,
        Severity::Warning => IssueSeverity::Warning,
        Severity::Information => IssueSeverity::Information,
    }
}

fn code(c: IssueCode) -> IssueType {
    match c {
        IssueCode::Structure => IssueType::Structure,
        IssueCode::Required => IssueType::Required,
        IssueCode::Value => IssueType::Value,
        IssueCode::Invariant => IssueType::Invariant,
        IssueCode::CodeInvalid => IssueType::CodeInvalid,
        IssueCode::Duplicate => IssueType::Duplicate,
        IssueCode::TooCostly => IssueType::TooCostly,
    }
}
