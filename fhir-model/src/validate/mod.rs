//! Validation of a resource beyond what its types guarantee: cardinality (min), reference
//! targets, ele-1 (every element has a value or children), ext-1 (an extension has a value or
//! nested extensions, not both), the Bundle invariants and the FHIRPath constraints of the
//! definitions: those the generator translated to Rust always, the rest (and the operands it
//! could not translate) with the `fhirpath` feature's engine. Primitive formats and required
//! bindings are guaranteed by the types (`Date`, code enums), except where lenient reading kept
//! an invalid value as text, which is reported here too.

#[cfg(feature = "fhirpath")]
mod constraints;
mod invariant;
mod issue;
#[cfg(feature = "operation_outcome")]
mod outcome;
#[doc(hidden)]
pub mod rules;

pub use invariant::Invariant;
pub use issue::{Issue, IssueCode, Severity};
#[cfg(feature = "operation_outcome")]
pub use outcome::to_operation_outcome;

use crate::datatypes::Reference;
use crate::visit::{push_step, Step};
use crate::{Primitive, Resource};

/// Implemented by every generated struct, choice enum and `Resource`.
pub trait Validate {
    /// Resources are not elements: ele-1 does not apply to them.
    const IS_RESOURCE: bool = false;
    /// The FHIRPath constraints of the definitions on this struct and its fields (per-1 on
    /// `Period`, pat-1 on `Patient.contact`), except ele-1 and ext-1, which are checked
    /// natively.
    const INVARIANTS: &'static [Invariant] = &[];
    /// Reports what is wrong inside `self` to the validator.
    fn validate<'a>(&'a self, v: &mut Validator<'a>);
}

/// Validates a resource and returns every issue found, paths starting at its type.
pub fn validate_resource(resource: &Resource) -> Vec<Issue> {
    let mut v = Validator::new(resource.resource_type());
    resource.validate(&mut v);
    v.issues
}

/// Validation state: the current path and what has been found.
pub struct Validator<'a> {
    path: String,
    issues: Vec<Issue>,
    /// Whether the element being checked has a value or a child (ele-1).
    has_content: bool,
    /// The resources around the element being checked, for interpreted constraints.
    #[cfg(feature = "fhirpath")]
    resources: constraints::Resources<'a>,
    #[cfg(not(feature = "fhirpath"))]
    resources: std::marker::PhantomData<&'a ()>,
}

/// A value that holds zero or more items of an element (`Option`, `Vec`, `Box`).
pub trait Items {
    /// The item type.
    type Item: ?Sized;
    /// Calls `f` with each item and its index (`None` for a single value).
    fn each<'s>(&'s self, f: impl FnMut(Option<usize>, &'s Self::Item));
    /// How many items there are.
    fn count(&self) -> usize;
}

impl<T> Items for Option<T> {
    type Item = T;
    fn each<'s>(&'s self, mut f: impl FnMut(Option<usize>, &'s T)) {
        if let Some(x) = self {
            f(None, x);
        }
    }
    fn count(&self) -> usize {
        usize::from(self.is_some())
    }
}

impl<T> Items for Vec<T> {
    type Item = T;
    fn each<'s>(&'s self, mut f: impl FnMut(Option<usize>, &'s T)) {
        for (i, x) in self.iter().enumerate() {
            f(Some(i), x);
        }
    }
    fn count(&self) -> usize {
        self.len()
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    const IS_RESOURCE: bool = T::IS_RESOURCE;
    fn validate<'a>(&'a self, v: &mut Validator<'a>) {
        (**self).validate(v);
    }
}

impl<T> Validate for Primitive<T> {
    fn validate<'a>(&'a self, v: &mut Validator<'a>) {
        if self.value.is_some() {
            v.has_content = true;
        }
        if let Some(element) = &self.element {
            if let Some(kept) = element.extension.iter().find(|e| {
                e.url
                    .as_ref()
                    .is_some_and(|u| u.as_str() == crate::json::KEPT_TEXT_URL)
            }) {
                let text = match &kept.value {
                    Some(crate::datatypes::ExtensionValue::String(s)) => {
                        s.value().map_or("", |s| s.as_str())
                    }
                    _ => "",
                };
                v.issue(
                    IssueCode::Value,
                    format!("invalid value kept as text: {text}"),
                );
            }
            v.field("extension", &element.extension, 0);
        }
    }
}

impl<'a> Validator<'a> {
    /// A validator whose paths start at `root` (a type name).
    pub fn new(root: &str) -> Self {
        Validator {
            path: root.to_owned(),
            issues: Vec::new(),
            has_content: false,
            resources: Default::default(),
        }
    }

    /// The issues found so far.
    pub fn into_issues(self) -> Vec<Issue> {
        self.issues
    }

    /// Records an issue (severity error) at the current path.
    pub fn issue(&mut self, code: IssueCode, message: String) {
        self.issues
            .push(Issue::error(code, self.path.clone(), message));
    }

    fn at<R>(&mut self, name: &str, index: Option<usize>, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.path.len();
        let step = index.map_or(Step::One, Step::Index);
        push_step(&mut self.path, name, step);
        let r = f(self);
        self.path.truncate(len);
        r
    }

    fn cardinality(&mut self, name: &str, count: usize, min: usize) {
        if count > 0 && name != "id" {
            self.has_content = true;
        }
        if count < min {
            self.at(name, None, |v| {
                v.issue(
                    IssueCode::Required,
                    format!("missing required element (minimum cardinality {min})"),
                )
            });
        }
    }

    /// One item of an element: checked for ele-1 unless it is a resource.
    fn item<T: Validate + ?Sized>(&mut self, item: &'a T) {
        let outer = std::mem::replace(&mut self.has_content, false);
        item.validate(self);
        if !self.has_content && !T::IS_RESOURCE {
            self.issue(
                IssueCode::Invariant,
                "ele-1: All FHIR elements must have a @value or children".into(),
            );
        }
        self.has_content = outer;
    }

    /// A complex, backbone, resource or primitive element with minimum cardinality `min`.
    pub fn field<C: Items>(&mut self, name: &str, value: &'a C, min: usize)
    where
        C::Item: Validate,
    {
        self.cardinality(name, value.count(), min);
        value.each(|i, item| self.at(name, i, |v| v.item(item)));
    }

    /// A primitive without a `_name` twin (`Element.id`, `Extension.url`): presence only.
    pub fn attr<T>(&mut self, name: &str, value: &Option<T>, min: usize) {
        self.cardinality(name, value.count(), min);
    }

    /// A Reference element; `targets` are the allowed resource types (empty: any).
    pub fn refs<C: Items<Item = R>, R: AsReference + Validate>(
        &mut self,
        name: &str,
        value: &'a C,
        min: usize,
        targets: &[&str],
    ) {
        self.cardinality(name, value.count(), min);
        value.each(|i, item| {
            self.at(name, i, |v| {
                v.check_target(item.as_reference(), targets);
                v.item(item);
            })
        });
    }

    /// A choice element: at most one variant by construction; its enum names the variant.
    pub fn choice<T: Validate>(&mut self, name: &str, value: &'a Option<T>, min: usize) {
        if value.is_some() {
            self.has_content = true;
        } else if min > 0 {
            self.at(name, None, |v| {
                v.issue(
                    IssueCode::Required,
                    format!("missing required element {name}[x] (minimum cardinality {min})"),
                )
            });
        }
        if let Some(x) = value {
            x.validate(self);
        }
    }

    /// The variant present in a choice, under its JSON name (`valueQuantity`).
    pub fn variant<T: Validate + ?Sized>(&mut self, json_name: &str, value: &'a T) {
        self.at(json_name, None, |v| v.item(value));
    }

    /// A Reference variant of a choice.
    pub fn variant_ref(&mut self, json_name: &str, value: &'a Reference, targets: &[&str]) {
        self.at(json_name, None, |v| {
            v.check_target(value, targets);
            v.item(value);
        });
    }

    fn check_target(&mut self, reference: &Reference, targets: &[&str]) {
        match reference.literal() {
            Some(Err(e)) => self.issue(IssueCode::Value, e.to_string()),
            Some(Ok(literal)) => {
                if let Some(ty) = literal
                    .resource_type()
                    .filter(|t| !targets.is_empty() && !targets.contains(t))
                {
                    self.issue(
                        IssueCode::Value,
                        format!(
                            "a reference to {ty} is not allowed here; expected {}",
                            targets.join(" | ")
                        ),
                    );
                }
            }
            None => {}
        }
    }

    /// Reports `invariant` when it evaluated to false (a translated constraint's result).
    pub fn invariant(&mut self, invariant: &'static Invariant, holds: Option<bool>) {
        #[cfg(feature = "fhirpath")]
        if let Some(error) = self.resources.take_error() {
            self.not_evaluated(invariant, &error);
            return;
        }
        if holds == Some(false) {
            self.issues
                .push(Issue::invariant(invariant, self.path.clone()));
        }
    }

    /// Checks constraints on each item of a field, at the item's path.
    pub fn each<C: Items>(
        &mut self,
        name: &str,
        value: &'a C,
        mut check: impl FnMut(&mut Self, &'a C::Item),
    ) {
        value.each(|i, item| self.at(name, i, |v| check(v, item)));
    }

    /// ext-1: an extension has nested extensions or a value, not both (and not neither).
    pub fn ext_1(&mut self, has_value: bool, has_extensions: bool) {
        if has_value == has_extensions {
            self.issue(
                IssueCode::Invariant,
                "ext-1: Must have either extensions or value[x], not both".into(),
            );
        }
    }

    /// The Bundle invariants bdl-1 .. bdl-12.
    #[cfg(feature = "bundle")]
    pub fn bundle(&mut self, bundle: &crate::resources::Bundle) {
        for violation in bundle.check_invariants() {
            let message = format!("{}: {}", violation.key, violation.message);
            self.issues
                .push(Issue::error(IssueCode::Invariant, violation.path, message));
        }
    }
}

/// Access to the Reference in a Reference-typed element.
pub trait AsReference {
    /// The reference.
    fn as_reference(&self) -> &Reference;
}

impl AsReference for Reference {
    fn as_reference(&self) -> &Reference {
        self
    }
}

impl AsReference for Box<Reference> {
    fn as_reference(&self) -> &Reference {
        self
    }
}
