//! Items of a FHIRPath collection: nodes borrowed from the model, or values computed by the
//! expression (literals, arithmetic, function results).

use super::decimal::Dec;
use super::reflect::{Prim, Reflect};
use super::temporal::{Kind, Temporal};
use super::ucum;
use std::cmp::Ordering;
use std::fmt;

/// One item of a collection.
#[derive(Clone)]
pub enum Item<'a> {
    /// An element of the model (a resource, a datatype, a primitive element).
    Node(&'a dyn Reflect),
    /// A computed value.
    Value(Value),
}

/// A collection: what every expression evaluates to.
pub type Collection<'a> = Vec<Item<'a>>;

/// A System (FHIRPath) value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `true`, `false`.
    Boolean(bool),
    /// A 64-bit integer.
    Integer(i64),
    /// An exact decimal.
    Decimal(Dec),
    /// A string.
    String(String),
    /// A date, dateTime or time with its precision.
    Temporal(Temporal),
    /// A quantity with a UCUM unit or a calendar duration (`year`, `day`).
    Quantity(Quantity),
    /// The result of `type()`: `namespace` and `name`.
    Type {
        /// `System` or `FHIR`.
        namespace: &'static str,
        /// `Integer`, `Patient`, `boolean`.
        name: String,
    },
}

/// A quantity: exact value and unit (a UCUM code, or a calendar keyword `year` .. `millisecond`).
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The amount.
    pub value: Dec,
    /// The unit as written (`mg`, `[in_i]`, `week`).
    pub unit: String,
}

impl PartialEq for Temporal {
    fn eq(&self, other: &Temporal) -> bool {
        self.kind == other.kind && self.compare(other) == Some(Ordering::Equal)
    }
}

/// Calendar keywords and the UCUM unit they equal (years and months have no exact UCUM twin).
pub fn calendar_ucum(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "year" | "years" => "year",
        "month" | "months" => "month",
        "week" | "weeks" => "wk",
        "day" | "days" => "d",
        "hour" | "hours" => "h",
        "minute" | "minutes" => "min",
        "second" | "seconds" => "s",
        "millisecond" | "milliseconds" => "ms",
        _ => return None,
    })
}

/// The calendar unit for date arithmetic (`day` for `days`, `'d'`; `None` for `'a'`, `'mo'`).
pub fn calendar_unit(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "year" | "years" => "year",
        "month" | "months" => "month",
        "week" | "weeks" | "wk" => "week",
        "day" | "days" | "d" => "day",
        "hour" | "hours" | "h" => "hour",
        "minute" | "minutes" | "min" => "minute",
        "second" | "seconds" | "s" => "second",
        "millisecond" | "milliseconds" | "ms" => "millisecond",
        _ => return None,
    })
}

impl Quantity {
    /// The unit for comparison: calendar keywords from `week` down as their UCUM code.
    fn ucum(&self) -> &str {
        match calendar_ucum(&self.unit) {
            Some(u) => u,
            None => &self.unit,
        }
    }

    /// Compares when the units are comparable; `None` otherwise (year vs `'a'` included).
    pub fn compare(&self, other: &Quantity) -> Option<Ordering> {
        let (a, b) = (self.ucum(), other.ucum());
        if a == b {
            return Some(self.value.cmp(&other.value));
        }
        if matches!(a, "year" | "month") || matches!(b, "year" | "month") {
            return None;
        }
        let (ca, cb) = (ucum::canonical(a)?, ucum::canonical(b)?);
        if ca.dims != cb.dims {
            return None;
        }
        let va = self.value.mul(&ca.factor)?;
        let vb = other.value.mul(&cb.factor)?;
        Some(va.cmp(&vb))
    }

    /// Whether the units can be compared.
    pub fn comparable(&self, other: &Quantity) -> bool {
        let (a, b) = (self.ucum(), other.ucum());
        a == b
            || match (ucum::canonical(a), ucum::canonical(b)) {
                (Some(x), Some(y)) => x.dims == y.dims,
                _ => false,
            }
    }

    /// Product or quotient in base units.
    pub fn combine(&self, other: &Quantity, divide: bool) -> Option<Quantity> {
        let (ca, cb) = (
            ucum::canonical(self.ucum())?,
            ucum::canonical(other.ucum())?,
        );
        let va = self.value.mul(&ca.factor)?;
        let vb = other.value.mul(&cb.factor)?;
        let mut dims = ca.dims;
        for (d, o) in dims.iter_mut().zip(cb.dims) {
            *d = if divide {
                d.checked_sub(o)?
            } else {
                d.checked_add(o)?
            };
        }
        let value = if divide { va.div(&vb)? } else { va.mul(&vb)? };
        Some(Quantity {
            value,
            unit: ucum::unit_of(&dims),
        })
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if calendar_ucum(&self.unit).is_some() {
            write!(f, "{} {}", self.value, self.unit)
        } else {
            write!(f, "{} '{}'", self.value, self.unit)
        }
    }
}

impl Value {
    /// The System type name (`Boolean`, `Integer`, `Decimal`, `String`, `Date`, `DateTime`,
    /// `Time`, `Quantity`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Boolean(_) => "Boolean",
            Value::Integer(_) => "Integer",
            Value::Decimal(_) => "Decimal",
            Value::String(_) => "String",
            Value::Temporal(t) => match t.kind {
                Kind::Date => "Date",
                Kind::DateTime => "DateTime",
                Kind::Time => "Time",
            },
            Value::Quantity(_) => "Quantity",
            Value::Type { .. } => "TypeInfo",
        }
    }

    /// The lower-case name the test suite and the example print (`dateTime`, `Quantity`).
    pub fn output_type(&self) -> &'static str {
        match self.type_name() {
            "Boolean" => "boolean",
            "Integer" => "integer",
            "Decimal" => "decimal",
            "String" => "string",
            "Date" => "date",
            "DateTime" => "dateTime",
            "Time" => "time",
            other => other,
        }
    }
}

impl fmt::Display for Value {
    /// The FHIRPath string form (`toString()`): `1.0`, `2014-01-01`, `5 'mg'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Boolean(b) => write!(f, "{b}"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::String(s) => f.write_str(s),
            Value::Temporal(t) => write!(f, "{t}"),
            Value::Quantity(q) => write!(f, "{q}"),
            Value::Type { namespace, name } => write!(f, "{namespace}.{name}"),
        }
    }
}

/// A primitive node's value as a System value (`None` when it has none or it does not parse).
pub fn from_prim(p: Prim<'_>) -> Option<Value> {
    Some(match p {
        Prim::Boolean(b) => Value::Boolean(b),
        Prim::Integer(i) => Value::Integer(i),
        Prim::Decimal(d) => Value::Decimal(Dec::parse(d)?),
        Prim::String(s) => Value::String(s.to_owned()),
        Prim::Date(s) => Value::Temporal(Temporal::parse_date_time(s, Kind::Date)?),
        Prim::DateTime(s) => Value::Temporal(Temporal::parse_date_time(s, Kind::DateTime)?),
        Prim::Time(s) => Value::Temporal(Temporal::parse_time(s)?),
    })
}

/// FHIR types that are Quantities (`Age is Quantity`).
pub fn is_quantity_type(name: &str) -> bool {
    matches!(
        name,
        "Quantity" | "Age" | "Count" | "Distance" | "Duration" | "MoneyQuantity" | "SimpleQuantity"
    )
}

impl<'a> Item<'a> {
    /// The System value of this item: computed values as they are, primitive nodes by their
    /// value, FHIR Quantities as System Quantities; `None` for other complex nodes.
    pub fn value(&self) -> Option<Value> {
        match self {
            Item::Value(v) => Some(v.clone()),
            Item::Node(n) => {
                if let Some(p) = n.primitive() {
                    return from_prim(p);
                }
                if is_quantity_type(n.fhir_type()) {
                    return node_quantity(*n).map(Value::Quantity);
                }
                None
            }
        }
    }

    /// The string of a string-like item without copying when it is a node.
    pub fn str(&self) -> Option<&str> {
        match self {
            Item::Value(Value::String(s)) => Some(s),
            Item::Node(n) => match n.primitive()? {
                Prim::String(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// The FHIR or System type name this item reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Item::Node(n) => n.fhir_type(),
            Item::Value(v) => v.type_name(),
        }
    }

    /// Children with this name (empty for values and unknown names).
    pub fn children(&self, name: &str, out: &mut Collection<'a>) {
        match self {
            Item::Node(n) => {
                // Pushed straight onto `out`: no buffer per step.
                let mut nodes = super::reflect::Nodes {
                    items: std::mem::take(out),
                };
                n.child(name, &mut nodes);
                *out = nodes.items;
            }
            Item::Value(Value::Type { namespace, name: n }) => match name {
                "namespace" => out.push(Item::Value(Value::String((*namespace).to_owned()))),
                "name" => out.push(Item::Value(Value::String(n.clone()))),
                _ => {}
            },
            Item::Value(_) => {}
        }
    }
}

/// A FHIR Quantity node as a System Quantity: the UCUM `code` when the system is UCUM,
/// else the `unit` text (or `1` when there is neither).
pub fn node_quantity(node: &dyn Reflect) -> Option<Quantity> {
    let first = |name: &str| -> Option<Value> {
        let mut nodes = super::reflect::Nodes::new();
        node.child(name, &mut nodes);
        nodes.items.first()?.value()
    };
    let Some(Value::Decimal(value)) = first("value") else {
        return None;
    };
    let text = |v: Option<Value>| match v {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let system = text(first("system"));
    let code = text(first("code"));
    let unit = match (system.as_deref(), code) {
        (Some("http://unitsofmeasure.org"), Some(code)) => code,
        (_, code) => text(first("unit"))
            .or(code)
            .unwrap_or_else(|| "1".to_owned()),
    };
    Some(Quantity { value, unit })
}

impl fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Node(n) => match n.primitive() {
                Some(p) => write!(f, "{}({p:?})", n.fhir_type()),
                None => write!(f, "{}{{..}}", n.fhir_type()),
            },
            Item::Value(v) => write!(f, "{v:?}"),
        }
    }
}
