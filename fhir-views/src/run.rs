//! Running a view on resources: the `where` filter, then each select's rows (forEach,
//! forEachOrNull, repeat, nested selects and unionAll combined as the specification says),
//! each cell typed as its column.

use crate::error::{RunError, ViewError};
use crate::keys::KeyFunctions;
use crate::view::{Column, ColumnKind, Iterate, Path, Select, ViewDefinition};
use fhir_model::fhirpath::{Collection, Context, Item, Prim, Reflect, Value};
use fhir_model::Resource;

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// A `boolean` column's value.
    Bool(bool),
    /// An integer column's value.
    Int(i64),
    /// Every other column's value, as text (decimals exactly as written).
    Text(String),
    /// A `collection: true` column's values.
    List(Vec<Cell>),
}

/// One output row, a cell per column of [`ViewDefinition::columns`].
pub type Row = Vec<Cell>;

static KEYS: KeyFunctions = KeyFunctions;

impl ViewDefinition {
    /// Checks the paths once on an empty resource of the view's type, so a view that calls an
    /// unknown function, names a missing constant or misuses a function's arguments is
    /// rejected before any data is read.
    pub fn check(&self) -> Result<(), ViewError> {
        let Some(empty) = crate::view::empty_resource(&self.resource) else {
            return Err(ViewError::new(
                "resource",
                format!("\"{}\" is not an R4 resource type", self.resource),
            ));
        };
        let node: &dyn Reflect = &empty;
        let ctx = self.context(Some(node), node, 0);
        for path in self
            .filters
            .iter()
            .chain(self.all_columns.iter().map(|c| &c.path))
        {
            check_path(path, &ctx)?;
        }
        for select in &self.select {
            check_select(select, &ctx)?;
        }
        Ok(())
    }

    /// The rows of `resource` (none when it is of another type or filtered out by `where`).
    pub fn rows(&self, resource: &Resource) -> Result<Vec<Row>, RunError> {
        let mut out = Vec::new();
        self.rows_into(resource, &mut out)?;
        Ok(out)
    }

    /// Appends the rows of `resource` to `out`; returns how many.
    pub fn rows_into(&self, resource: &Resource, out: &mut Vec<Row>) -> Result<usize, RunError> {
        let node: &dyn Reflect = resource;
        if node.fhir_type() != self.resource {
            return Ok(0);
        }
        let run = Run {
            view: self,
            resource: node,
        };
        run.rows_into(out).map_err(|(at, message)| RunError {
            resource: describe(resource),
            at,
            message,
        })
    }

    fn context<'a>(
        &'a self,
        node: Option<&'a dyn Reflect>,
        resource: &'a dyn Reflect,
        row_index: usize,
    ) -> Context<'a> {
        let mut ctx = match node {
            Some(n) => Context::new(n),
            None => Context::empty(),
        }
        .resource(resource)
        .functions(&KEYS)
        // A name the focus's type does not have selects nothing (as in the reference
        // implementation): `repeat` applies its paths to nodes of several types.
        .lenient();
        for c in &self.constants {
            ctx = ctx.variable(&c.name, c.value.clone());
        }
        if self.uses_row_index {
            ctx = ctx.variable("rowIndex", row_index as i64);
        }
        ctx
    }
}

fn check_path(path: &Path, ctx: &Context<'_>) -> Result<(), ViewError> {
    path.expr
        .evaluate_with(ctx)
        .map(drop)
        .map_err(|e| ViewError::new(&path.at, format!("\"{}\": {e}", path.expr.text())))
}

fn check_select(select: &Select, ctx: &Context<'_>) -> Result<(), ViewError> {
    match &select.iterate {
        Iterate::Once => {}
        Iterate::ForEach(p) | Iterate::ForEachOrNull(p) => check_path(p, ctx)?,
        Iterate::Repeat(paths) => {
            for p in paths {
                check_path(p, ctx)?;
            }
        }
    }
    for s in select.select.iter().chain(&select.union_all) {
        check_select(s, ctx)?;
    }
    Ok(())
}

/// `Patient/123`, or `Patient` when the resource has no id.
fn describe(resource: &Resource) -> String {
    let node: &dyn Reflect = resource;
    let id = crate::keys::resource_id(node);
    match id {
        Some(id) => format!("{}/{id}", node.fhir_type()),
        None => node.fhir_type().to_owned(),
    }
}

type Failure = (String, String);

struct Run<'a> {
    view: &'a ViewDefinition,
    resource: &'a dyn Reflect,
}

impl<'a> Run<'a> {
    fn rows_into(&self, out: &mut Vec<Row>) -> Result<usize, Failure> {
        let ctx = self.view.context(Some(self.resource), self.resource, 0);
        for filter in &self.view.filters {
            let result = eval(filter, &ctx)?;
            match result.as_slice() {
                [] => return Ok(0),
                [item] => match boolean(item) {
                    Some(true) => {}
                    Some(false) => return Ok(0),
                    None => {
                        return Err((
                            filter.at.clone(),
                            format!(
                                "a where path must give a boolean; \"{}\" gave {}",
                                filter.expr.text(),
                                type_of(item)
                            ),
                        ))
                    }
                },
                many => {
                    return Err((
                        filter.at.clone(),
                        format!(
                            "a where path must give one boolean; \"{}\" gave {} items",
                            filter.expr.text(),
                            many.len()
                        ),
                    ))
                }
            }
        }
        let rows = self.product(
            &self.view.select,
            Some(Item::Node(self.resource)),
            0,
            Vec::new(),
            Some(&ctx),
        )?;
        let n = rows.len();
        out.extend(rows);
        Ok(n)
    }

    /// The rows of a list of sibling selects on `node`: the cross product of each one's rows.
    /// `known` is the context of `node` at `row_index` when one has been built already
    /// (selects on the same node share it).
    fn product(
        &self,
        selects: &[Select],
        node: Option<Item<'a>>,
        row_index: usize,
        prefix: Row,
        known: Option<&Context<'a>>,
    ) -> Result<Vec<Row>, Failure> {
        let mut rows = vec![prefix];
        for s in selects {
            let part = self.select(s, node.clone(), row_index, known)?;
            rows = cross(rows, part);
            if rows.is_empty() {
                break;
            }
        }
        Ok(rows)
    }

    /// The rows of one select on `node`, after its iteration. Without one, `%rowIndex` stays
    /// that of the enclosing select.
    fn select(
        &self,
        select: &Select,
        node: Option<Item<'a>>,
        row_index: usize,
        known: Option<&Context<'a>>,
    ) -> Result<Vec<Row>, Failure> {
        match &select.iterate {
            Iterate::Once => self.body(select, node, row_index, known),
            Iterate::ForEach(path) | Iterate::ForEachOrNull(path) => {
                let items = match (&node, known) {
                    // The path sees `%rowIndex` 0; without it, contexts differ by nothing.
                    (Some(_), Some(ctx)) if !self.view.uses_row_index => eval(path, ctx)?,
                    (Some(n), _) => eval(path, &self.node_context(n, 0, &path.at)?)?,
                    (None, _) => Vec::new(),
                };
                if items.is_empty() && matches!(select.iterate, Iterate::ForEachOrNull(_)) {
                    return self.body(select, None, 0, None);
                }
                let mut rows = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    rows.extend(self.body(select, Some(item), i, None)?);
                }
                Ok(rows)
            }
            Iterate::Repeat(paths) => {
                let mut items = Vec::new();
                if let Some(n) = &node {
                    self.repeat(paths, n, &mut items, 0)?;
                }
                let mut rows = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    rows.extend(self.body(select, Some(item), i, None)?);
                }
                Ok(rows)
            }
        }
    }

    /// Depth first: each path's results, each followed by what the paths reach from it.
    fn repeat(
        &self,
        paths: &[Path],
        node: &Item<'a>,
        out: &mut Vec<Item<'a>>,
        depth: usize,
    ) -> Result<(), Failure> {
        if depth > 64 || out.len() > 1_000_000 {
            let at = paths.first().map_or(String::new(), |p| p.at.clone());
            return Err((
                at,
                "repeat went deeper than 64 levels or past 1,000,000 nodes".into(),
            ));
        }
        for path in paths {
            let found = eval(path, &self.node_context(node, 0, &path.at)?)?;
            for item in found {
                out.push(item.clone());
                self.repeat(paths, &item, out, depth + 1)?;
            }
        }
        Ok(())
    }

    /// A select's own columns, then its nested selects, then its union, on one node.
    fn body(
        &self,
        select: &Select,
        node: Option<Item<'a>>,
        row_index: usize,
        known: Option<&Context<'a>>,
    ) -> Result<Vec<Row>, Failure> {
        let mut prefix = Vec::with_capacity(select.width);
        let own_needed = select
            .columns
            .iter()
            .any(|&c| self.view.is_needed(self.view.all_columns[c].position));
        let built;
        let mut known = known;
        if own_needed {
            let ctx = match known {
                Some(ctx) => ctx,
                None => {
                    built = match &node {
                        Some(n) => self.node_context(n, row_index, "")?,
                        None => self.view.context(None, self.resource, row_index),
                    };
                    &built
                }
            };
            for &c in &select.columns {
                let column = &self.view.all_columns[c];
                if self.view.is_needed(column.position) {
                    prefix.push(cell(column, ctx)?);
                }
            }
            known = Some(ctx);
        }
        let mut rows = self.product(&select.select, node.clone(), row_index, prefix, known)?;
        if !select.union_all.is_empty() && !rows.is_empty() {
            let mut union = Vec::new();
            for branch in &select.union_all {
                union.extend(self.select(branch, node.clone(), row_index, known)?);
            }
            rows = cross(rows, union);
        }
        Ok(rows)
    }

    fn node_context(
        &self,
        item: &Item<'a>,
        row_index: usize,
        at: &str,
    ) -> Result<Context<'a>, Failure> {
        match item {
            Item::Node(n) => Ok(self.view.context(Some(*n), self.resource, row_index)),
            Item::Value(v) => Err((
                at.to_owned(),
                format!(
                    "forEach and repeat must select elements of the resource, not a computed {}",
                    value_type(v)
                ),
            )),
        }
    }
}

/// Each left row followed by each right row. One right row (the usual case: a select
/// without iteration) moves its cells instead of copying them.
fn cross(left: Vec<Row>, mut right: Vec<Row>) -> Vec<Row> {
    if right.len() == 1 && left.len() == 1 {
        let mut left = left;
        left[0].append(&mut right[0]);
        return left;
    }
    if right.len() == 1 {
        let mut left = left;
        for row in &mut left {
            row.extend(right[0].iter().cloned());
        }
        return left;
    }
    let mut out = Vec::with_capacity(left.len() * right.len());
    for l in &left {
        for r in &right {
            let mut row = l.clone();
            row.extend(r.iter().cloned());
            out.push(row);
        }
    }
    out
}

fn eval<'a>(path: &Path, ctx: &Context<'a>) -> Result<Collection<'a>, Failure> {
    path.expr
        .evaluate_with(ctx)
        .map_err(|e| (path.at.clone(), format!("\"{}\": {e}", path.expr.text())))
}

fn cell(column: &Column, ctx: &Context<'_>) -> Result<Cell, Failure> {
    let result = eval(&column.path, ctx)?;
    if column.collection {
        let mut cells = Vec::with_capacity(result.len());
        for item in result {
            match to_cell(item, column)? {
                Cell::Null => {}
                c => cells.push(c),
            }
        }
        return Ok(Cell::List(cells));
    }
    if result.len() == 1 {
        let item = result.into_iter().next().expect("one item");
        return to_cell(item, column);
    }
    match result.as_slice() {
        [] => Ok(Cell::Null),
        many => Err((
            column.path.at.clone(),
            format!(
                "column \"{}\" is not a collection, but \"{}\" gave {} values (set \"collection\": true to keep them all)",
                column.name,
                column.path.expr.text(),
                many.len()
            ),
        )),
    }
}

/// One value as a cell of `column`'s type; computed strings move into the cell.
fn to_cell(item: Item<'_>, column: &Column) -> Result<Cell, Failure> {
    let kind = column.kind;
    let mismatch = |found: &str, text: &str| {
        Err((
            column.path.at.clone(),
            format!(
                "column \"{}\" has type {}, but \"{}\" gave a {found} ({text})",
                column.name,
                column.fhir_type.as_deref().unwrap_or("string"),
                column.path.expr.text()
            ),
        ))
    };
    match item {
        Item::Node(n) => match n.primitive() {
            Some(p) => match (p, kind) {
                (Prim::Boolean(b), ColumnKind::Boolean) => Ok(Cell::Bool(b)),
                (Prim::Boolean(b), ColumnKind::Text) => Ok(Cell::Text(b.to_string())),
                (Prim::Integer(i), ColumnKind::Integer) => Ok(Cell::Int(i)),
                (Prim::Integer(i), ColumnKind::Decimal | ColumnKind::Text) => {
                    Ok(Cell::Text(i.to_string()))
                }
                (Prim::Decimal(s), ColumnKind::Decimal | ColumnKind::Text) => {
                    Ok(Cell::Text(s.to_owned()))
                }
                (Prim::String(s), ColumnKind::Text) => Ok(Cell::Text(s.to_owned())),
                (
                    Prim::Date(s) | Prim::DateTime(s) | Prim::Time(s),
                    ColumnKind::Text | ColumnKind::Date | ColumnKind::DateTime | ColumnKind::Time,
                ) => Ok(Cell::Text(s.to_owned())),
                (other, _) => {
                    let text = item.to_string();
                    mismatch(prim_type(&other), &text)
                }
            },
            None if is_primitive_type(n.fhir_type()) => Ok(Cell::Null),
            None if kind == ColumnKind::Text => Ok(Cell::Text(item.to_string())),
            None => mismatch(n.fhir_type(), "a complex element"),
        },
        Item::Value(v) => match (v, kind) {
            (Value::Boolean(b), ColumnKind::Boolean) => Ok(Cell::Bool(b)),
            (Value::Integer(i), ColumnKind::Integer) => Ok(Cell::Int(i)),
            (v @ (Value::Integer(_) | Value::Decimal(_)), ColumnKind::Decimal) => {
                Ok(Cell::Text(v.to_string()))
            }
            (
                v @ Value::Temporal(_),
                ColumnKind::Date | ColumnKind::DateTime | ColumnKind::Time,
            ) => Ok(Cell::Text(v.to_string())),
            (Value::String(s), ColumnKind::Text) => Ok(Cell::Text(s)),
            (v, ColumnKind::Text) => Ok(Cell::Text(v.to_string())),
            (other, _) => mismatch(value_type(&other), &other.to_string()),
        },
    }
}

fn boolean(item: &Item<'_>) -> Option<bool> {
    match item {
        Item::Node(n) => match n.primitive() {
            Some(Prim::Boolean(b)) => Some(b),
            _ => None,
        },
        Item::Value(Value::Boolean(b)) => Some(*b),
        Item::Value(_) => None,
    }
}

fn type_of(item: &Item<'_>) -> String {
    match item {
        Item::Node(n) => n.fhir_type().to_owned(),
        Item::Value(v) => value_type(v).to_owned(),
    }
}

fn prim_type(p: &Prim<'_>) -> &'static str {
    match p {
        Prim::Boolean(_) => "boolean",
        Prim::Integer(_) => "integer",
        Prim::Decimal(_) => "decimal",
        Prim::String(_) => "string",
        Prim::Date(_) => "date",
        Prim::DateTime(_) => "dateTime",
        Prim::Time(_) => "time",
    }
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Boolean(_) => "boolean",
        Value::Integer(_) => "integer",
        Value::Decimal(_) => "decimal",
        Value::String(_) => "string",
        Value::Temporal(_) => "date/time",
        Value::Quantity(_) => "Quantity",
        Value::Type { .. } => "type",
    }
}

/// Primitive FHIR types start with a lower-case letter (`string`, `dateTime`).
fn is_primitive_type(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
}
