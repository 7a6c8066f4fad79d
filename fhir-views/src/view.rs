//! The ViewDefinition resource (SQL on FHIR v2): parsed from JSON into a checked model.
//!
//! Parsing checks the shape (every element where the specification puts it, of the right
//! JSON type), the FHIRPath syntax of every path, column names (unique, SQL-safe), column
//! types, and that the branches of a `unionAll` have the same columns in the same order.
//! Errors name the element path in the view (`select[1].column[0].type`).

use crate::error::ViewError;
use fhir_model::fhirpath::{Dec, Expression, Temporal, TemporalKind as Kind, Value};
use serde_json::{Map, Value as Json};

/// A parsed and checked ViewDefinition.
#[derive(Debug, Clone)]
pub struct ViewDefinition {
    /// `name`, when given.
    pub name: Option<String>,
    /// The resource type the view reads (`Patient`).
    pub resource: String,
    /// `constant[]`: values usable as `%name` in every path.
    pub constants: Vec<Constant>,
    /// The top-level `select[]`, all evaluated on the resource.
    pub select: Vec<Select>,
    /// View-level `where[]`: a resource is kept when every path is `true`.
    pub filters: Vec<Path>,
    /// Output columns in order (the flattened tree).
    pub columns: Vec<Column>,
    /// Every column of the tree, union branches included ([`Select::columns`] indexes it).
    pub(crate) all_columns: Vec<Column>,
    /// Whether some path uses `%rowIndex`.
    pub(crate) uses_row_index: bool,
    /// After [`ViewDefinition::project`]: which output positions are computed.
    pub(crate) needed: Option<Vec<bool>>,
}

/// A `constant[]` entry.
#[derive(Debug, Clone)]
pub struct Constant {
    /// The name used as `%name`.
    pub name: String,
    /// Its FHIRPath value.
    pub value: Value,
}

/// A FHIRPath expression with where it came from in the view.
#[derive(Debug, Clone)]
pub struct Path {
    /// The parsed expression.
    pub expr: Expression,
    /// The element path in the view (`select[0].column[2].path`), for errors.
    pub at: String,
}

/// One `select[]` (or `unionAll[]` branch).
#[derive(Debug, Clone)]
pub struct Select {
    /// How the select iterates.
    pub iterate: Iterate,
    /// This select's own columns (indices into the view's list of all columns).
    pub columns: Vec<usize>,
    /// Nested `select[]`.
    pub select: Vec<Select>,
    /// `unionAll[]` branches.
    pub union_all: Vec<Select>,
    /// How many output columns this select produces (own, nested and union).
    pub width: usize,
}

/// `forEach`, `forEachOrNull`, `repeat` or none.
#[derive(Debug, Clone)]
pub enum Iterate {
    /// Evaluated once on the input node.
    Once,
    /// One row group per item of the path; none when empty.
    ForEach(Path),
    /// Like `ForEach`, but one row of nulls when empty.
    ForEachOrNull(Path),
    /// Every node reachable by applying the paths again and again (depth first).
    Repeat(Vec<Path>),
}

/// An output column.
#[derive(Debug, Clone)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// The path that computes it.
    pub path: Path,
    /// The FHIR type given in the view (`string`, `integer`), if any.
    pub fhir_type: Option<String>,
    /// How it is stored.
    pub kind: ColumnKind,
    /// `collection: true`: a list of all values instead of one value.
    pub collection: bool,
    /// Its position in the full output (union branches share the first branch's).
    pub position: usize,
}

/// How a column's values are stored (the Arrow type in [`crate::arrow`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// `boolean`.
    Boolean,
    /// `integer`, `positiveInt`, `unsignedInt`, `integer64` (64-bit).
    Integer,
    /// `decimal`: exact text by default, or decimal128 when asked.
    Decimal,
    /// `date`: text by default, or Date32 when asked.
    Date,
    /// `dateTime`, `instant`: text by default, or a UTC timestamp when asked.
    DateTime,
    /// `time`: text.
    Time,
    /// Every other primitive (`string`, `code`, `id`, `uri` ...), and complex values as JSON.
    Text,
}

impl ColumnKind {
    /// The kind for a FHIR type name; `None` for a name that is no FHIR type.
    pub fn from_fhir_type(name: &str) -> Option<ColumnKind> {
        Some(match name {
            "boolean" => ColumnKind::Boolean,
            "integer" | "positiveInt" | "unsignedInt" | "integer64" => ColumnKind::Integer,
            "decimal" => ColumnKind::Decimal,
            "date" => ColumnKind::Date,
            "dateTime" | "instant" => ColumnKind::DateTime,
            "time" => ColumnKind::Time,
            "string" | "code" | "id" | "uri" | "url" | "canonical" | "oid" | "uuid"
            | "markdown" | "base64Binary" | "xhtml" => ColumnKind::Text,
            // Complex types are written as their JSON text.
            other if is_complex_type(other) => ColumnKind::Text,
            _ => return None,
        })
    }
}

/// Complex datatypes a column may hold (as JSON text).
fn is_complex_type(name: &str) -> bool {
    matches!(
        name,
        "Address"
            | "Age"
            | "Annotation"
            | "Attachment"
            | "CodeableConcept"
            | "Coding"
            | "ContactPoint"
            | "Count"
            | "Distance"
            | "Duration"
            | "HumanName"
            | "Identifier"
            | "Money"
            | "Period"
            | "Quantity"
            | "Range"
            | "Ratio"
            | "Reference"
            | "SampledData"
            | "Signature"
            | "Timing"
            | "Meta"
            | "Narrative"
            | "Extension"
            | "Dosage"
            | "ContactDetail"
            | "UsageContext"
            | "Expression"
            | "RelatedArtifact"
            | "TriggerDefinition"
            | "DataRequirement"
            | "ParameterDefinition"
            | "BackboneElement"
            | "Element"
    )
}

impl ViewDefinition {
    /// Parses a ViewDefinition from JSON text.
    pub fn from_json_str(text: &str) -> Result<ViewDefinition, ViewError> {
        let json: Json = serde_json::from_str(text)
            .map_err(|e| ViewError::new("", format!("not valid JSON: {e}")))?;
        ViewDefinition::from_json(&json)
    }

    /// Parses and checks a ViewDefinition given as JSON.
    pub fn from_json(json: &Json) -> Result<ViewDefinition, ViewError> {
        let obj = json
            .as_object()
            .ok_or_else(|| ViewError::new("", "a ViewDefinition must be a JSON object"))?;
        if let Some(rt) = obj.get("resourceType") {
            if rt.as_str() != Some("ViewDefinition") {
                return Err(ViewError::new(
                    "resourceType",
                    format!("expected \"ViewDefinition\", found {rt}"),
                ));
            }
        }
        let resource = match obj.get("resource") {
            None => {
                return Err(ViewError::new(
                    "resource",
                    "missing: the view needs a resource type",
                ))
            }
            Some(Json::String(s)) if is_resource_type(s) => s.clone(),
            Some(Json::String(s)) => {
                return Err(ViewError::new(
                    "resource",
                    format!("\"{s}\" is not an R4 resource type"),
                ))
            }
            Some(other) => {
                return Err(ViewError::new(
                    "resource",
                    format!("must be a string, found {other}"),
                ))
            }
        };
        let name = optional_string(obj, "name", "")?;
        let mut parser = Parser {
            constants: parse_constants(obj)?,
            ..Parser::default()
        };
        let filters = match obj.get("where") {
            None => Vec::new(),
            Some(Json::Array(items)) => {
                let mut out = Vec::new();
                for (i, w) in items.iter().enumerate() {
                    let at = format!("where[{i}]");
                    let w = w
                        .as_object()
                        .ok_or_else(|| ViewError::new(&at, "must be an object with a path"))?;
                    out.push(parser.path(w.get("path"), &format!("{at}.path"))?);
                }
                out
            }
            Some(_) => return Err(ViewError::new("where", "must be an array")),
        };
        let select = parser.selects(obj.get("select"), "select", true)?;
        let mut names = std::collections::HashSet::new();
        let mut top = Vec::new();
        collect_names(&select, &mut top);
        for &c in &top {
            let col = &parser.columns[c];
            if !names.insert(col.name.as_str()) {
                return Err(ViewError::new(
                    col.path.at.trim_end_matches(".path"),
                    format!("column name \"{}\" is used twice", col.name),
                ));
            }
        }
        let mut position = 0;
        assign_positions(&select, &mut parser.columns, &mut position);
        let columns: Vec<Column> = top.iter().map(|&c| parser.columns[c].clone()).collect();
        Ok(ViewDefinition {
            name,
            resource,
            constants: parser.constants,
            select,
            filters,
            columns,
            all_columns: parser.columns,
            uses_row_index: parser.uses_row_index,
            needed: None,
        })
    }

    /// The same view producing only some of its columns (indices into
    /// [`ViewDefinition::columns`], any order, repeats ignored); the rest are not evaluated.
    /// Rows are the same (iteration does not depend on columns), and the columns come in the
    /// view's order: reorder the batch if another order is wanted.
    pub fn project(&self, indices: &[usize]) -> Result<ViewDefinition, ViewError> {
        let total = self
            .all_columns
            .iter()
            .map(|c| c.position + 1)
            .max()
            .unwrap_or(0);
        let mut needed = vec![false; total];
        for &i in indices {
            let Some(&pos) = self.columns.get(i).map(|c| &c.position) else {
                return Err(ViewError::new(
                    "",
                    format!("no column {i}: the view has {}", self.columns.len()),
                ));
            };
            needed[pos] = true;
        }
        let mut view = self.clone();
        view.columns.retain(|c| needed[c.position]);
        view.needed = Some(needed);
        Ok(view)
    }

    /// Whether the column at output `position` is computed.
    pub(crate) fn is_needed(&self, position: usize) -> bool {
        match &self.needed {
            None => true,
            Some(n) => n.get(position).copied().unwrap_or(false),
        }
    }

    /// The output column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }
}

/// Output columns in order: a select's own, then its nested selects', then its first union
/// branch's (the other branches have the same names and are mapped onto them).
fn collect_names(selects: &[Select], out: &mut Vec<usize>) {
    for s in selects {
        out.extend(&s.columns);
        collect_names(&s.select, out);
        if let Some(first) = s.union_all.first() {
            collect_names(std::slice::from_ref(first), out);
        }
    }
}

/// Numbers the output positions: a select's columns, its nested selects', then its union's,
/// every branch from the same start.
fn assign_positions(selects: &[Select], all: &mut [Column], next: &mut usize) {
    for s in selects {
        for &c in &s.columns {
            all[c].position = *next;
            *next += 1;
        }
        assign_positions(&s.select, all, next);
        let start = *next;
        for branch in &s.union_all {
            let mut p = start;
            assign_positions(std::slice::from_ref(branch), all, &mut p);
            *next = (*next).max(p);
        }
    }
}

#[derive(Default)]
struct Parser {
    constants: Vec<Constant>,
    columns: Vec<Column>,
    uses_row_index: bool,
}

impl Parser {
    fn path(&mut self, value: Option<&Json>, at: &str) -> Result<Path, ViewError> {
        let text = match value {
            Some(Json::String(s)) => s,
            Some(other) => {
                return Err(ViewError::new(
                    at,
                    format!("must be a FHIRPath string, found {other}"),
                ))
            }
            None => return Err(ViewError::new(at, "missing")),
        };
        let expr = Expression::parse(text)
            .map_err(|e| ViewError::new(at, format!("invalid FHIRPath \"{text}\": {e}")))?;
        self.check_variables(text, at)?;
        Ok(Path {
            expr,
            at: at.to_owned(),
        })
    }

    /// Every `%name` must be a constant, `%rowIndex`, or a standard variable.
    fn check_variables(&mut self, text: &str, at: &str) -> Result<(), ViewError> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut quote = None;
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) => {
                    if b == b'\\' {
                        i += 1;
                    } else if b == q {
                        quote = None;
                    }
                }
                None if b == b'\'' || b == b'`' => quote = Some(b),
                None if b == b'%' => {
                    let start = i + 1;
                    let mut end = start;
                    while end < bytes.len()
                        && (bytes[end].is_ascii_alphanumeric()
                            || bytes[end] == b'_'
                            || bytes[end] == b'-')
                    {
                        end += 1;
                    }
                    let name = &text[start..end];
                    if name == "rowIndex" {
                        self.uses_row_index = true;
                    } else if !name.is_empty()
                        && !self.constants.iter().any(|c| c.name == name)
                        && !is_standard_variable(name)
                    {
                        return Err(ViewError::new(
                            at,
                            format!("%{name} is not a constant of this view"),
                        ));
                    }
                    i = end;
                    continue;
                }
                None => {}
            }
            i += 1;
        }
        Ok(())
    }

    fn selects(
        &mut self,
        value: Option<&Json>,
        at: &str,
        required: bool,
    ) -> Result<Vec<Select>, ViewError> {
        match value {
            None if required => Err(ViewError::new(
                at,
                "missing: the view needs at least one select",
            )),
            None => Ok(Vec::new()),
            Some(Json::Array(items)) => {
                if required && items.is_empty() {
                    return Err(ViewError::new(at, "must not be empty"));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.select(s, &format!("{at}[{i}]")))
                    .collect()
            }
            Some(_) => Err(ViewError::new(at, "must be an array of selects")),
        }
    }

    fn select(&mut self, json: &Json, at: &str) -> Result<Select, ViewError> {
        let obj = json
            .as_object()
            .ok_or_else(|| ViewError::new(at, "a select must be an object"))?;
        for key in obj.keys() {
            if !matches!(
                key.as_str(),
                "column"
                    | "select"
                    | "forEach"
                    | "forEachOrNull"
                    | "repeat"
                    | "unionAll"
                    | "id"
                    | "extension"
                    | "modifierExtension"
            ) {
                return Err(ViewError::new(
                    &format!("{at}.{key}"),
                    "unknown element of a select",
                ));
            }
        }
        let count = ["forEach", "forEachOrNull", "repeat"]
            .iter()
            .filter(|k| obj.contains_key(**k))
            .count();
        if count > 1 {
            return Err(ViewError::new(
                at,
                "only one of forEach, forEachOrNull and repeat may be given",
            ));
        }
        let iterate = if let Some(p) = obj.get("forEach") {
            Iterate::ForEach(self.path(Some(p), &format!("{at}.forEach"))?)
        } else if let Some(p) = obj.get("forEachOrNull") {
            Iterate::ForEachOrNull(self.path(Some(p), &format!("{at}.forEachOrNull"))?)
        } else if let Some(r) = obj.get("repeat") {
            let items = r.as_array().filter(|a| !a.is_empty()).ok_or_else(|| {
                ViewError::new(
                    &format!("{at}.repeat"),
                    "must be a non-empty array of paths",
                )
            })?;
            let mut paths = Vec::new();
            for (i, p) in items.iter().enumerate() {
                paths.push(self.path(Some(p), &format!("{at}.repeat[{i}]"))?);
            }
            Iterate::Repeat(paths)
        } else {
            Iterate::Once
        };
        let mut columns = Vec::new();
        match obj.get("column") {
            None => {}
            Some(Json::Array(cols)) => {
                for (i, c) in cols.iter().enumerate() {
                    columns.push(self.column(c, &format!("{at}.column[{i}]"))?);
                }
            }
            Some(_) => return Err(ViewError::new(&format!("{at}.column"), "must be an array")),
        }
        let select = self.selects(obj.get("select"), &format!("{at}.select"), false)?;
        let union_all = self.selects(obj.get("unionAll"), &format!("{at}.unionAll"), false)?;
        if let Some(first) = union_all.first() {
            let mut expected = Vec::new();
            collect_names(std::slice::from_ref(first), &mut expected);
            let describe = |cols: &[usize]| -> Vec<String> {
                cols.iter()
                    .map(|&c| {
                        let col = &self.columns[c];
                        let ty = col.fhir_type.as_deref().unwrap_or("string");
                        let many = if col.collection { "*" } else { "" };
                        format!("{} {ty}{many}", col.name)
                    })
                    .collect()
            };
            let expected = describe(&expected);
            for (i, branch) in union_all.iter().enumerate().skip(1) {
                let mut names = Vec::new();
                collect_names(std::slice::from_ref(branch), &mut names);
                let names = describe(&names);
                if names != expected {
                    return Err(ViewError::new(
                        &format!("{at}.unionAll[{i}]"),
                        format!(
                            "a unionAll branch must have the columns (names and types) of the first branch in the same order: expected [{}], found [{}]",
                            expected.join(", "),
                            names.join(", ")
                        ),
                    ));
                }
            }
        }
        if columns.is_empty() && select.is_empty() && union_all.is_empty() {
            return Err(ViewError::new(
                at,
                "a select needs a column, a select or a unionAll",
            ));
        }
        let width = columns.len()
            + select.iter().map(|s| s.width).sum::<usize>()
            + union_all.first().map_or(0, |u| u.width);
        Ok(Select {
            iterate,
            columns,
            select,
            union_all,
            width,
        })
    }

    fn column(&mut self, json: &Json, at: &str) -> Result<usize, ViewError> {
        let obj = json
            .as_object()
            .ok_or_else(|| ViewError::new(at, "a column must be an object"))?;
        let name = match obj.get("name") {
            Some(Json::String(s)) if is_column_name(s) => s.clone(),
            Some(Json::String(s)) => {
                return Err(ViewError::new(
                    &format!("{at}.name"),
                    format!("\"{s}\" is not a valid column name (letters, digits and _, starting with a letter)"),
                ))
            }
            Some(other) => return Err(ViewError::new(&format!("{at}.name"), format!("must be a string, found {other}"))),
            None => return Err(ViewError::new(&format!("{at}.name"), "missing")),
        };
        let path = self.path(obj.get("path"), &format!("{at}.path"))?;
        let fhir_type = optional_string(obj, "type", at)?;
        let kind = match &fhir_type {
            None => ColumnKind::Text,
            Some(t) => ColumnKind::from_fhir_type(t).ok_or_else(|| {
                ViewError::new(
                    &format!("{at}.type"),
                    format!("\"{t}\" is not a FHIR type a column can have"),
                )
            })?,
        };
        let collection = match obj.get("collection") {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                return Err(ViewError::new(
                    &format!("{at}.collection"),
                    format!("must be true or false, found {other}"),
                ))
            }
        };
        self.columns.push(Column {
            name,
            path,
            fhir_type,
            kind,
            collection,
            position: 0,
        });
        Ok(self.columns.len() - 1)
    }
}

fn optional_string(
    obj: &Map<String, Json>,
    key: &str,
    at: &str,
) -> Result<Option<String>, ViewError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ViewError::new(
            &join(at, key),
            format!("must be a string, found {other}"),
        )),
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

fn parse_constants(obj: &Map<String, Json>) -> Result<Vec<Constant>, ViewError> {
    let items = match obj.get("constant") {
        None => return Ok(Vec::new()),
        Some(Json::Array(items)) => items,
        Some(_) => return Err(ViewError::new("constant", "must be an array")),
    };
    let mut out: Vec<Constant> = Vec::new();
    for (i, c) in items.iter().enumerate() {
        let at = format!("constant[{i}]");
        let c = c
            .as_object()
            .ok_or_else(|| ViewError::new(&at, "a constant must be an object"))?;
        let name = match c.get("name") {
            Some(Json::String(s)) if is_column_name(s) => s.clone(),
            _ => {
                return Err(ViewError::new(
                    &format!("{at}.name"),
                    "missing or not a valid name",
                ))
            }
        };
        if out.iter().any(|o| o.name == name) || name == "rowIndex" {
            return Err(ViewError::new(
                &format!("{at}.name"),
                format!("constant \"{name}\" is defined twice"),
            ));
        }
        let mut value = None;
        for (key, v) in c {
            if let Some(ty) = key.strip_prefix("value") {
                if value.is_some() {
                    return Err(ViewError::new(&at, "a constant has exactly one value[x]"));
                }
                value = Some(constant_value(ty, v, &format!("{at}.{key}"))?);
            }
        }
        let value = value
            .ok_or_else(|| ViewError::new(&at, format!("constant \"{name}\" has no value[x]")))?;
        out.push(Constant { name, value });
    }
    Ok(out)
}

fn constant_value(ty: &str, v: &Json, at: &str) -> Result<Value, ViewError> {
    let text = |v: &Json| {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| ViewError::new(at, format!("must be a string, found {v}")))
    };
    Ok(match ty {
        "Boolean" => Value::Boolean(
            v.as_bool()
                .ok_or_else(|| ViewError::new(at, format!("must be true or false, found {v}")))?,
        ),
        "Integer" | "PositiveInt" | "UnsignedInt" | "Integer64" => Value::Integer(
            v.as_i64()
                .ok_or_else(|| ViewError::new(at, format!("must be an integer, found {v}")))?,
        ),
        "Decimal" => {
            let Json::Number(n) = v else {
                return Err(ViewError::new(at, format!("must be a number, found {v}")));
            };
            Value::Decimal(
                Dec::parse(&n.to_string())
                    .ok_or_else(|| ViewError::new(at, format!("not a decimal: {n}")))?,
            )
        }
        "Date" => Value::Temporal(
            Temporal::parse_date_time(&text(v)?, Kind::Date)
                .ok_or_else(|| ViewError::new(at, format!("not a date: {v}")))?,
        ),
        "DateTime" | "Instant" => Value::Temporal(
            Temporal::parse_date_time(&text(v)?, Kind::DateTime)
                .ok_or_else(|| ViewError::new(at, format!("not a dateTime: {v}")))?,
        ),
        "Time" => Value::Temporal(
            Temporal::parse_time(&text(v)?)
                .ok_or_else(|| ViewError::new(at, format!("not a time: {v}")))?,
        ),
        "String" | "Code" | "Id" | "Uri" | "Url" | "Canonical" | "Oid" | "Uuid" | "Markdown"
        | "Base64Binary" => Value::String(text(v)?),
        other => {
            return Err(ViewError::new(
                at,
                format!("value{other} is not a primitive type a constant can have"),
            ))
        }
    })
}

fn is_column_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_standard_variable(name: &str) -> bool {
    matches!(
        name,
        "context" | "resource" | "rootResource" | "ucum" | "sct" | "loinc"
    ) || name.starts_with("vs-")
        || name.starts_with("ext-")
}

/// Whether `name` is an R4 resource type (checked by decoding an empty resource of it).
pub fn is_resource_type(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && empty_resource(name).is_some()
}

/// An empty resource of type `name`, used to check a view's paths before running it.
pub(crate) fn empty_resource(name: &str) -> Option<fhir_model::Resource> {
    // Lenient: an empty Observation lacks its required `status` and `code`.
    fhir_model::json::Reader::lenient()
        .read_resource(format!("{{\"resourceType\":\"{name}\"}}").as_bytes())
        .ok()
        .map(|read| read.value)
}
