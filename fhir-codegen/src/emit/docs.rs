//! Rustdoc text from element definitions: short text, cardinality, binding, flags.

use crate::ir::{BindingInfo, Doc, Field};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes, one per line, so prettyplease renders them as `///` comments.
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* }
}

/// A type's docs: its short text, then the definition when it says more.
pub fn for_type(doc: &Doc, path: &str, extra: &str) -> Vec<String> {
    let mut lines = vec![escape(&sentence(&doc.short))];
    if !doc.definition.is_empty() && doc.definition != doc.short {
        lines.push(String::new());
        lines.extend(paragraph(&doc.definition));
    }
    lines.push(String::new());
    lines.push(format!("FHIR path: `{path}`{extra}"));
    lines
}

/// A field's docs: short text, then one line of facts (cardinality, binding, flags).
pub fn for_field(field: &Field, type_note: Option<&str>) -> Vec<String> {
    let mut lines = vec![escape(&sentence(&field.doc.short))];
    let mut facts = vec![format!(
        "`{}..{}`",
        field.min,
        if field.many { "*" } else { "1" }
    )];
    if let Some(note) = type_note {
        facts.push(note.to_owned());
    }
    if let Some(b) = &field.binding {
        facts.push(binding(b));
    }
    if field.is_modifier {
        facts.push("modifier".to_owned());
    }
    if field.is_summary {
        facts.push("summary".to_owned());
    }
    lines.push(String::new());
    lines.push(facts.join(" · "));
    lines
}

fn binding(b: &BindingInfo) -> String {
    format!("binding {}: <{}>", b.strength, b.value_set)
}

/// Definitions are markdown-ish; keep them as plain paragraphs.
pub fn paragraph(text: &str) -> Vec<String> {
    text.split(['\n', '\r']).map(|l| escape(l.trim())).collect()
}

fn sentence(text: &str) -> String {
    let text = text.split(['\n', '\r']).next().unwrap_or("").trim();
    if text.is_empty() {
        "(no description in the definition)".to_owned()
    } else {
        text.to_owned()
    }
}

/// Escapes what rustdoc would read as links or HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}
