//! The generator translates most constraints of the definitions to Rust (issue #13). Here
//! every constraint is evaluated a second time by the FHIRPath engine, as written, on every
//! element of the official examples, and the failures must be the same at the same paths:
//! a translation that reads an expression differently from the engine shows up here.

use fhir_model::fhirpath::{Card, Context, Expression, Item, Reflect};
use fhir_model::validate::{validate_resource, IssueCode};
use fhir_model::Resource;
use std::collections::{BTreeSet, HashMap};

/// Checked natively by the validator, not as FHIRPath.
fn native(key: &str) -> bool {
    matches!(key, "ele-1" | "ext-1") || key.starts_with("bdl-")
}

/// The engine's side: walks the tree through reflection and records `path key: human` for
/// every constraint that evaluates to false.
struct Engine {
    parsed: HashMap<&'static str, Expression>,
    failures: BTreeSet<String>,
}

/// Where the walk is: the resource holding the node and that resource's container.
#[derive(Clone, Copy)]
struct Holders<'a> {
    resource: &'a dyn Reflect,
    root: &'a dyn Reflect,
}

impl Engine {
    fn evaluate<'a>(
        &mut self,
        invariant: &'static fhir_model::validate::Invariant,
        node: &'a dyn Reflect,
        holders: Holders<'a>,
        path: &str,
    ) {
        let expression = self.parsed.entry(invariant.expression).or_insert_with(|| {
            Expression::parse(invariant.expression).expect("the definitions' constraints parse")
        });
        let context = Context::new(node)
            .lenient()
            .resource(holders.resource)
            .root_resource(holders.root);
        if let Ok(Some(false)) = expression.evaluate_bool_with(&context) {
            self.failures
                .insert(format!("{path} {}: {}", invariant.key, invariant.human));
        }
    }

    fn walk<'a>(
        &mut self,
        node: &'a dyn Reflect,
        path: &mut String,
        holders: Holders<'a>,
        contained: bool,
    ) {
        let holders = if node.as_any().downcast_ref::<Resource>().is_some() {
            Holders {
                resource: node,
                root: if contained { holders.resource } else { node },
            }
        } else {
            holders
        };
        let invariants = node.invariants();
        for invariant in invariants {
            if invariant.element.is_none() && !native(invariant.key) {
                self.evaluate(invariant, node, holders, path);
            }
        }
        for &(name, card) in node.elements() {
            let mut children = Vec::new();
            Item::Node(node).children(name, &mut children);
            for (index, child) in children.iter().enumerate() {
                let Item::Node(child) = child else { continue };
                let len = path.len();
                path.push('.');
                path.push_str(name);
                match card {
                    Card::Many => path.push_str(&format!("[{index}]")),
                    Card::Choice => {
                        let ty = child.fhir_type();
                        path.push_str(&ty[..1].to_ascii_uppercase());
                        path.push_str(&ty[1..]);
                    }
                    Card::One => {}
                }
                for invariant in invariants {
                    if invariant.element == Some(name) && !native(invariant.key) {
                        self.evaluate(invariant, *child, holders, path);
                    }
                }
                self.walk(*child, path, holders, name == "contained");
                path.truncate(len);
            }
        }
    }
}

#[test]
fn translated_constraints_fail_where_the_engine_fails_on_every_example() {
    let Some(dir) = fhir_tests::r4_examples() else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut engine = Engine {
        parsed: HashMap::new(),
        failures: BTreeSet::new(),
    };
    let (mut checked, mut failures, mut disagreements) = (0, 0, Vec::new());
    for file in &files {
        let bytes = std::fs::read(file).expect("readable example");
        // The rejected examples are the conformance test's business.
        let Ok(resource) = serde_json::from_slice::<Resource>(&bytes) else {
            continue;
        };
        checked += 1;
        let ours: BTreeSet<String> = validate_resource(&resource)
            .into_iter()
            .filter(|i| i.code == IssueCode::Invariant)
            .filter(|i| !i.message.contains(": not evaluated ("))
            .filter(|i| !native(i.message.split(':').next().unwrap_or_default()))
            .map(|i| format!("{} {}", i.path, i.message))
            .collect();
        engine.failures.clear();
        let node: &dyn Reflect = &resource;
        let holders = Holders {
            resource: node,
            root: node,
        };
        engine.walk(
            node,
            &mut resource.resource_type().to_owned(),
            holders,
            false,
        );
        failures += ours.len();
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        for only in ours.difference(&engine.failures) {
            disagreements.push(format!("{name}: validation only: {only}"));
        }
        for only in engine.failures.difference(&ours) {
            disagreements.push(format!("{name}: engine only: {only}"));
        }
    }
    println!(
        "translated constraints: {checked} examples, {failures} constraint failures, {} disagreements",
        disagreements.len()
    );
    assert!(checked > 5000, "only {checked} examples decoded");
    assert!(
        disagreements.is_empty(),
        "validation and the engine disagree:\n{}",
        disagreements.join("\n")
    );
}
