//! Counting the FHIRPath constraints the type space carries, for the generator's report.

use super::{Invariant, Severity, TypeSpace};
use crate::load::Constraint;
use std::collections::BTreeSet;

/// An element's FHIRPath constraints, except those the runtime checks natively with the
/// same keys: ele-1 (every element has a value or children), ext-1 (an extension has a
/// value or sub-extensions, not both) and the Bundle's bdl-*; and the few with XPath only.
pub fn from_constraints(constraints: &[Constraint]) -> Result<Vec<Invariant>, String> {
    const NATIVE: [&str; 2] = ["ele-1", "ext-1"];
    let mut out = Vec::new();
    for c in constraints {
        if NATIVE.contains(&c.key.as_str()) || c.key.starts_with("bdl-") {
            continue;
        }
        let severity = match c.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => return Err(format!("constraint {}: unknown severity {other:?}", c.key)),
        };
        let Some(expression) = &c.expression else {
            continue;
        };
        out.push(Invariant {
            key: c.key.clone(),
            severity,
            human: c.human.clone(),
            expression: expression.clone(),
        });
    }
    Ok(out)
}

/// `invariants: 218 distinct (186 error, 32 warning) at 1,060 places` style line.
pub fn summary(space: &TypeSpace) -> String {
    let mut distinct = BTreeSet::new();
    let mut places = 0;
    let structs = space
        .datatypes
        .iter()
        .chain(&space.resources)
        .flat_map(|d| &d.structs);
    for s in structs {
        for (_, i) in s.all_invariants() {
            places += 1;
            distinct.insert((i.key.as_str(), i.severity == Severity::Error));
        }
    }
    let errors = distinct.iter().filter(|(_, error)| *error).count();
    format!(
        "invariants: {} distinct ({errors} error, {} warning) at {places} places, \
         excluding ele-1, ext-1 and bdl-* (checked natively)",
        distinct.len(),
        distinct.len() - errors
    )
}
