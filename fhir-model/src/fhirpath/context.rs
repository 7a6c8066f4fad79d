//! The evaluation context: the input, `%resource`, `%rootResource`, `%context`, user
//! variables and the `trace()` sink.

use super::error::EvalError;
use super::reflect::Reflect;
use super::value::{Collection, Item, Value};
use std::collections::HashMap;

/// Where `trace(name)` sends what it sees.
pub type TraceSink<'a> = Box<dyn Fn(&str, &[Item<'a>]) + 'a>;

/// What an expression is evaluated on. Build one per evaluation; it borrows the model.
///
/// ```
/// # use fhir_model::fhirpath::{Context, Expression};
/// # let patient = fhir_model::resources::Patient::default();
/// let expr = Expression::parse("%threshold > 3")?;
/// let ctx = Context::new(&patient).variable("threshold", 5);
/// assert_eq!(expr.evaluate_bool_with(&ctx)?, Some(true));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Context<'a> {
    pub(crate) input: Collection<'a>,
    pub(crate) resource: Option<&'a dyn Reflect>,
    pub(crate) root_resource: Option<&'a dyn Reflect>,
    vars: HashMap<String, Collection<'a>>,
    pub(crate) trace: Option<TraceSink<'a>>,
    /// Whether a name no item of the focus has gives empty rather than an error.
    pub(crate) lenient: bool,
    /// Functions the host adds, asked for names the engine does not know.
    pub(crate) functions: Option<&'a dyn UserFunctions>,
}

/// Functions a host application adds to FHIRPath (SQL on FHIR's `getResourceKey()`). The
/// engine asks for every function name it does not know itself.
pub trait UserFunctions: Sync {
    /// Evaluates `call`, or returns `None` when this host has no function of that name (the
    /// engine then reports an unknown function).
    fn call<'a>(&self, call: &UserCall<'_, 'a>) -> Option<Result<Collection<'a>, EvalError>>;
}

/// A call of a host function: its name, focus and arguments.
pub struct UserCall<'r, 'a> {
    pub(crate) inner: &'r crate::fhirpath::functions::Call<'r, 'r, 'a>,
}

impl<'a> UserCall<'_, 'a> {
    /// The function's name.
    pub fn name(&self) -> &str {
        self.inner.name
    }

    /// The collection the function is called on.
    pub fn focus(&self) -> &[Item<'a>] {
        &self.inner.focus
    }

    /// How many arguments were written.
    pub fn arg_count(&self) -> usize {
        self.inner.args.len()
    }

    /// Argument `i` evaluated as an expression (on the same input as the call).
    pub fn arg(&self, i: usize) -> Result<Collection<'a>, EvalError> {
        if i >= self.inner.args.len() {
            return Err(self.error(format!("has no argument {}", i + 1)));
        }
        self.inner.arg(i)
    }

    /// Argument `i` read as a type name (`Patient`, `FHIR.Patient`), as `ofType()` reads it.
    pub fn type_arg(&self, i: usize) -> Option<String> {
        self.inner.args.get(i)?.as_type_spec().map(|t| t.name)
    }

    /// An error at the call's position, prefixed with the function's name.
    pub fn error(&self, message: impl std::fmt::Display) -> EvalError {
        self.inner.error(message)
    }
}

impl<'a> Context<'a> {
    /// Evaluate on `node` (a resource, or any element of one). It is `%context`, and also
    /// `%resource` and `%rootResource` until [`Context::resource`] says otherwise.
    pub fn new(node: &'a dyn Reflect) -> Self {
        Context {
            input: vec![Item::Node(node)],
            resource: Some(node),
            root_resource: Some(node),
            vars: HashMap::new(),
            trace: None,
            lenient: false,
            functions: None,
        }
    }

    /// Evaluate with no input (literals and variables only).
    pub fn empty() -> Self {
        Context {
            input: Vec::new(),
            resource: None,
            root_resource: None,
            vars: HashMap::new(),
            trace: None,
            lenient: false,
            functions: None,
        }
    }

    /// `%resource`: the resource holding the element evaluated on (for a constraint on
    /// `Patient.contact`, the Patient). Also `%rootResource` unless that is set.
    pub fn resource(mut self, resource: &'a dyn Reflect) -> Self {
        if self.root_resource.map(thin) == self.resource.map(thin) {
            self.root_resource = Some(resource);
        }
        self.resource = Some(resource);
        self
    }

    /// `%rootResource`: the outermost resource (the Bundle or the container of a contained
    /// resource); `resolve()` looks for contained and Bundle targets in it.
    pub fn root_resource(mut self, root: &'a dyn Reflect) -> Self {
        self.root_resource = Some(root);
        self
    }

    /// Evaluates as the HL7 validator does the definitions' constraints: navigating to an
    /// element that no item of the focus has gives empty instead of an error (dom-2's
    /// `contained.contained` meets a contained Parameters, ras-1's `low` a decimal), and the
    /// `as()` function filters a collection rather than requiring one item (dom-3).
    pub fn lenient(mut self) -> Self {
        self.lenient = true;
        self
    }

    /// Host functions, asked for function names the engine does not know.
    pub fn functions(mut self, functions: &'a dyn UserFunctions) -> Self {
        self.functions = Some(functions);
        self
    }

    /// A user variable `%name` with any value that converts into a collection.
    pub fn variable(mut self, name: &str, value: impl IntoCollection<'a>) -> Self {
        self.vars.insert(name.to_owned(), value.into_collection());
        self
    }

    /// Receives `trace(name [, projection])` output; without one, `trace` does nothing.
    pub fn trace(mut self, sink: impl Fn(&str, &[Item<'a>]) + 'a) -> Self {
        self.trace = Some(Box::new(sink));
        self
    }

    /// `%name`: user variables first, then the standard ones.
    pub(crate) fn variable_value(&self, name: &str) -> Option<Collection<'a>> {
        if let Some(v) = self.vars.get(name) {
            return Some(v.clone());
        }
        let node = |n: Option<&'a dyn Reflect>| n.map(Item::Node).into_iter().collect();
        let text = |s: String| Some(vec![Item::Value(Value::String(s))]);
        match name {
            "context" => Some(self.input.clone()),
            "resource" => Some(node(self.resource)),
            "rootResource" => Some(node(self.root_resource)),
            "ucum" => text("http://unitsofmeasure.org".into()),
            "sct" => text("http://snomed.info/sct".into()),
            "loinc" => text("http://loinc.org".into()),
            _ => {
                if let Some(vs) = name.strip_prefix("vs-") {
                    text(format!("http://hl7.org/fhir/ValueSet/{vs}"))
                } else if let Some(ext) = name.strip_prefix("ext-") {
                    text(format!("http://hl7.org/fhir/StructureDefinition/{ext}"))
                } else {
                    None
                }
            }
        }
    }
}

fn thin(r: &dyn Reflect) -> *const () {
    r as *const dyn Reflect as *const ()
}

/// Values a user variable can hold.
pub trait IntoCollection<'a> {
    /// The value as a FHIRPath collection.
    fn into_collection(self) -> Collection<'a>;
}

impl<'a> IntoCollection<'a> for Collection<'a> {
    fn into_collection(self) -> Collection<'a> {
        self
    }
}

impl<'a> IntoCollection<'a> for Value {
    fn into_collection(self) -> Collection<'a> {
        vec![Item::Value(self)]
    }
}

impl<'a> IntoCollection<'a> for &'a dyn Reflect {
    fn into_collection(self) -> Collection<'a> {
        vec![Item::Node(self)]
    }
}

impl<'a> IntoCollection<'a> for &str {
    fn into_collection(self) -> Collection<'a> {
        vec![Item::Value(Value::String(self.to_owned()))]
    }
}

impl<'a> IntoCollection<'a> for i64 {
    fn into_collection(self) -> Collection<'a> {
        vec![Item::Value(Value::Integer(self))]
    }
}

impl<'a> IntoCollection<'a> for i32 {
    fn into_collection(self) -> Collection<'a> {
        vec![Item::Value(Value::Integer(i64::from(self)))]
    }
}

impl<'a> IntoCollection<'a> for bool {
    fn into_collection(self) -> Collection<'a> {
        vec![Item::Value(Value::Boolean(self))]
    }
}
