//! A profile's own FHIRPath constraints (US Core's us-core-6, vs-2), evaluated by the engine
//! on every instance of their element, found by walking the element id through the model.

use super::meta::ProfileMeta;
use crate::fhirpath::{Card, Context, Expression, Item, Nodes, Reflect};
use crate::validate::Issue;
use crate::visit::{push_step, Step};

/// Checks `resource` against the constraints of `profile`; issues have the same paths and
/// key-first messages as base validation (`Observation.component[1]`).
pub fn check_constraints(resource: &dyn Reflect, profile: &ProfileMeta) -> Vec<Issue> {
    let mut issues = Vec::new();
    for constraint in profile.constraints {
        let invariant = &constraint.invariant;
        let expression = match Expression::parse(invariant.expression) {
            Ok(e) => e,
            Err(e) => {
                let path = profile.base.to_owned();
                issues.push(Issue::not_evaluated(invariant, path, &e.to_string()));
                continue;
            }
        };
        let mut nodes = vec![(profile.base.to_owned(), resource)];
        for segment in constraint.id.split('.').skip(1) {
            let name = segment.strip_suffix("[x]").unwrap_or(segment);
            nodes = nodes
                .into_iter()
                .flat_map(|(path, node)| children(path, node, name))
                .collect();
        }
        for (path, node) in nodes {
            let context = Context::new(node)
                .resource(resource)
                .root_resource(resource)
                .lenient();
            match expression.evaluate_bool_with(&context) {
                Ok(Some(false)) => issues.push(Issue::invariant(invariant, path)),
                Ok(_) => {}
                Err(e) => issues.push(Issue::not_evaluated(invariant, path, &e.to_string())),
            }
        }
    }
    issues
}

/// The items of element `name` of `node`, with their paths (`.component[0]`,
/// `.effectiveDateTime`).
fn children<'a>(path: String, node: &'a dyn Reflect, name: &str) -> Vec<(String, &'a dyn Reflect)> {
    let Some(index) = node.elements().iter().position(|(n, _)| *n == name) else {
        return Vec::new();
    };
    let card = node.elements()[index].1;
    let mut items = Nodes::new();
    node.child_at(index, &mut items);
    items
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let Item::Node(child) = item else {
                return None;
            };
            let step = match card {
                Card::Many => Step::Index(i),
                Card::Choice => Step::Choice(child.fhir_type()),
                Card::One => Step::One,
            };
            let mut child_path = path.clone();
            push_step(&mut child_path, name, step);
            Some((child_path, *child))
        })
        .collect()
}
