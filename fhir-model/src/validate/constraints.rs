//! Evaluating the definitions' FHIRPath constraints ([`super::Validate::INVARIANTS`]) on a
//! resource, through the FHIRPath engine: each element that carries constraints is the
//! context of its own, with `%resource` the resource holding it and `%rootResource` its
//! container (the resource itself unless it is contained).

use super::{Invariant, Issue, IssueCode, Severity};
use crate::fhirpath::{Card, Context, Expression, Item, Nodes, Reflect};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

/// Every expression parsed once per process, by its text.
type Parsed = Result<Arc<Expression>, String>;
static PARSED: LazyLock<RwLock<HashMap<&'static str, Parsed>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

fn parsed(expression: &'static str) -> Parsed {
    if let Some(found) = PARSED.read().ok().and_then(|m| m.get(expression).cloned()) {
        return found;
    }
    let made = Expression::parse(expression)
        .map(Arc::new)
        .map_err(|e| e.to_string());
    if let Ok(mut map) = PARSED.write() {
        map.insert(expression, made.clone());
    }
    made
}

/// The issues of every constraint that fails in `resource`, with zero-based element paths
/// (`Patient.contact[0]`, `Bundle.entry[2].resource.period`).
pub fn check(resource: &crate::Resource) -> Vec<Issue> {
    let node = resource.as_reflect();
    let mut walk = Walk {
        path: resource.resource_type().to_owned(),
        issues: Vec::new(),
    };
    walk.node(node, node, node, None);
    walk.issues
}

struct Walk {
    path: String,
    issues: Vec<Issue>,
}

/// The resources an element is evaluated against.
#[derive(Clone, Copy)]
struct Holders<'a> {
    resource: &'a dyn Reflect,
    root: &'a dyn Reflect,
}

impl Walk {
    /// Checks `node`'s own constraints (and, with `element`, those its parent puts on the
    /// field holding it), then walks its children.
    fn node<'a>(
        &mut self,
        node: &'a dyn Reflect,
        resource: &'a dyn Reflect,
        root: &'a dyn Reflect,
        from_parent: Option<&[&'static Invariant]>,
    ) {
        let holders = Holders { resource, root };
        for invariant in from_parent.into_iter().flatten() {
            self.evaluate(invariant, node, holders);
        }
        let own = node.invariants();
        for invariant in own.iter().filter(|i| i.element.is_none()) {
            self.evaluate(invariant, node, holders);
        }
        for (index, &(name, card)) in node.elements().iter().enumerate() {
            let mut children = Nodes::new();
            node.child_at(index, &mut children);
            if children.items.is_empty() {
                continue;
            }
            let on_field: Vec<&'static Invariant> =
                own.iter().filter(|i| i.element == Some(name)).collect();
            let len = self.path.len();
            for (i, item) in children.items.iter().enumerate() {
                let Item::Node(child) = item else {
                    continue;
                };
                self.path.push('.');
                self.path.push_str(name);
                match card {
                    Card::Many => crate::visit::push_index(&mut self.path, i),
                    Card::Choice => push_type_suffix(&mut self.path, child.fhir_type()),
                    Card::One => {}
                }
                // A resource inside a resource: contained ones keep their container as
                // %rootResource; Bundle entries and Parameters values are their own root.
                let (child_resource, child_root) =
                    if crate::Resource::type_name(child.fhir_type()).is_some() {
                        if name == "contained" {
                            (*child, resource)
                        } else {
                            (*child, *child)
                        }
                    } else {
                        (resource, root)
                    };
                self.node(*child, child_resource, child_root, Some(&on_field));
                self.path.truncate(len);
            }
        }
    }

    fn evaluate(
        &mut self,
        invariant: &'static Invariant,
        node: &dyn Reflect,
        holders: Holders<'_>,
    ) {
        let outcome = parsed(invariant.expression).and_then(|expression| {
            let context = Context::new(node)
                .resource(holders.resource)
                .root_resource(holders.root)
                .lenient();
            expression
                .evaluate_bool_with(&context)
                .map_err(|e| e.to_string())
        });
        match outcome {
            Ok(Some(false)) => self.issues.push(Issue {
                severity: invariant.severity,
                ..Issue::error(
                    IssueCode::Invariant,
                    self.path.clone(),
                    format!("{}: {}", invariant.key, invariant.human),
                )
            }),
            Ok(_) => {}
            // The expression could not be evaluated here: say so, without failing the
            // resource for what may be the engine's limit.
            Err(e) => self.issues.push(Issue {
                severity: Severity::Warning,
                ..Issue::error(
                    IssueCode::Invariant,
                    self.path.clone(),
                    format!("{}: not evaluated ({e})", invariant.key),
                )
            }),
        }
    }
}

/// `Quantity` after `value` for `valueQuantity`, `DateTime` for a `dateTime`.
fn push_type_suffix(path: &mut String, fhir_type: &str) {
    let mut chars = fhir_type.chars();
    if let Some(first) = chars.next() {
        path.push(first.to_ascii_uppercase());
        path.push_str(chars.as_str());
    }
}
