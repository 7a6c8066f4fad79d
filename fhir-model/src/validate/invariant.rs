//! The FHIRPath constraints of the definitions (`ElementDefinition.constraint`), as data that
//! `fhir-codegen` emits for every struct. Evaluating them needs the FHIRPath engine.

use super::Severity;

/// One constraint, exactly as the definitions write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invariant {
    /// `per-1`: the key every message starts with.
    pub key: &'static str,
    /// Error or warning, from the definition.
    pub severity: Severity,
    /// The rule in words (`if present, start SHALL have a lower value than end`).
    pub human: &'static str,
    /// The FHIRPath expression, evaluated with the element as `%context` / `$this`.
    pub expression: &'static str,
    /// The field the constraint sits on (`div` for txt-1 on `Narrative`), evaluated on each
    /// of its items; `None` when it sits on the struct itself.
    pub element: Option<&'static str>,
}
