//! The constraints (or operands of them) that the generator could not translate to Rust,
//! evaluated by the FHIRPath engine during the validator's walk: the element is `%context`,
//! `%resource` the resource holding it and `%rootResource` that resource's container (itself
//! unless it is contained).

use super::{Invariant, Issue, Validator};
use crate::fhirpath::{Choice, Context, Expression, Reflect};
use crate::visit::{push_step, Step};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

/// Every expression parsed once per process. Keyed by the address of the generated
/// `&'static str`, which is stable and cheap to hash (the texts run to 500 bytes).
type Parsed = Result<Arc<Expression>, String>;
static PARSED: LazyLock<RwLock<HashMap<usize, Parsed>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

fn parsed(expression: &'static str) -> Parsed {
    let key = expression.as_ptr() as usize;
    if let Some(found) = PARSED.read().ok().and_then(|m| m.get(&key).cloned()) {
        return found;
    }
    let made = Expression::parse(expression)
        .map(Arc::new)
        .map_err(|e| e.to_string());
    if let Ok(mut map) = PARSED.write() {
        map.insert(key, made.clone());
    }
    made
}

/// The resources the validator is inside, innermost last, and the first error an
/// interpreted operand met since the last constraint was reported.
#[derive(Default)]
pub(super) struct Resources<'a> {
    stack: Vec<Holders<'a>>,
    error: RefCell<Option<String>>,
}

#[derive(Clone, Copy)]
struct Holders<'a> {
    resource: &'a dyn Reflect,
    root: &'a dyn Reflect,
}

impl Resources<'_> {
    pub(super) fn take_error(&mut self) -> Option<String> {
        self.error.get_mut().take()
    }
}

impl<'a> Validator<'a> {
    /// Entering a resource: it is `%resource` inside; `%rootResource` too, unless it is
    /// contained, where its container stays the root.
    pub fn enter_resource(&mut self, resource: &'a dyn Reflect) {
        let contained = self
            .path
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with("contained["));
        let root = match self.resources.stack.last() {
            Some(outer) if contained => outer.resource,
            _ => resource,
        };
        self.resources.stack.push(Holders { resource, root });
    }

    /// `%resource` as its Rust type, for translated constraints that read it away from the
    /// resource's root (sdf-8 on `StructureDefinition.snapshot`); `None` outside a resource
    /// or when it is another type.
    pub fn resource_as<T: 'static>(&self) -> Option<&'a T> {
        let resource: &'a dyn Reflect = self.resources.stack.last()?.resource;
        resource.as_any().downcast_ref()
    }

    /// Leaving the resource entered last.
    pub fn leave_resource(&mut self) {
        self.resources.stack.pop();
    }

    fn context<'n>(&self, node: &'n dyn Reflect) -> Context<'n>
    where
        'a: 'n,
    {
        let context = Context::new(node).lenient();
        match self.resources.stack.last() {
            Some(h) => context.resource(h.resource).root_resource(h.root),
            None => context,
        }
    }

    /// A whole constraint evaluated by the engine on `node`.
    pub fn interpret_invariant(&mut self, invariant: &'static Invariant, node: &dyn Reflect) {
        let outcome = parsed(invariant.expression).and_then(|expression| {
            expression
                .evaluate_bool_with(&self.context(node))
                .map_err(|e| e.to_string())
        });
        match outcome {
            Ok(holds) => self.invariant(invariant, holds),
            Err(e) => self.not_evaluated(invariant, &e),
        }
    }

    /// One boolean operand of a translated constraint, evaluated by the engine on `node`;
    /// an error is kept and reported with the constraint.
    pub fn interpret(&self, expression: &'static str, node: &dyn Reflect) -> Option<bool> {
        let outcome = parsed(expression).and_then(|e| {
            e.evaluate_bool_with(&self.context(node))
                .map_err(|e| e.to_string())
        });
        outcome.unwrap_or_else(|e| {
            self.resources.error.borrow_mut().get_or_insert(e);
            None
        })
    }

    /// Checks constraints on the value of a choice field, at its typed name
    /// (`probabilityRange`).
    pub fn each_choice<T: Choice>(
        &mut self,
        name: &str,
        value: &'a Option<T>,
        check: impl FnOnce(&mut Self, &'a dyn Reflect),
    ) {
        if let Some(choice) = value {
            let node = choice.value();
            let len = self.path.len();
            push_step(&mut self.path, name, Step::Choice(node.fhir_type()));
            check(self, node);
            self.path.truncate(len);
        }
    }

    pub(super) fn not_evaluated(&mut self, invariant: &Invariant, error: &str) {
        self.issues
            .push(Issue::not_evaluated(invariant, self.path.clone(), error));
    }
}
