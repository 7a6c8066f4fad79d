//! Equality, equivalence, ordering and arithmetic on items (FHIRPath "Operations").

use super::decimal::Dec;
use super::reflect::Reflect;
use super::temporal::Kind;
use super::value::{calendar_unit, Item, Quantity, Value};
use std::cmp::Ordering;

/// A value for comparison: integers become decimals so `1 = 1.0`.
fn numeric(v: &Value) -> Option<Dec> {
    match v {
        Value::Integer(i) => Some(Dec::from_int(*i)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// `=` on two items: `Some(true/false)`, or `None` when unknown (dates of different precision).
pub fn equal(a: &Item<'_>, b: &Item<'_>) -> Option<bool> {
    // Strings equal only strings: compared where they lie, without making System values.
    if let (Some(x), Some(y)) = (a.str(), b.str()) {
        return Some(x == y);
    }
    if let (Item::Node(x), Item::Node(y)) = (a, b) {
        if x.primitive().is_none() && y.primitive().is_none() {
            return Some(nodes_equal(*x, *y, 0));
        }
    }
    match (a.value(), b.value()) {
        (Some(x), Some(y)) => values_equal(&x, &y),
        // A complex node never equals a System value; a primitive without value is no value.
        _ => Some(false),
    }
}

pub fn values_equal(x: &Value, y: &Value) -> Option<bool> {
    if let (Some(m), Some(n)) = (numeric(x), numeric(y)) {
        return Some(m == n);
    }
    match (x, y) {
        (Value::Boolean(m), Value::Boolean(n)) => Some(m == n),
        (Value::String(m), Value::String(n)) => Some(m == n),
        (Value::Temporal(m), Value::Temporal(n)) => Some(m.compare(n)? == Ordering::Equal),
        (Value::Quantity(m), Value::Quantity(n)) => Some(m.compare(n)? == Ordering::Equal),
        (Value::Type { name: m, .. }, Value::Type { name: n, .. }) => Some(m == n),
        _ => Some(false),
    }
}

/// Deep equality of complex nodes: same type, same children in the same order.
fn nodes_equal(x: &dyn Reflect, y: &dyn Reflect, depth: usize) -> bool {
    if x.fhir_type() != y.fhir_type() || depth > 200 {
        return false;
    }
    for &(name, _) in x.elements() {
        let (mut cx, mut cy) = (Vec::new(), Vec::new());
        Item::Node(x).children(name, &mut cx);
        Item::Node(y).children(name, &mut cy);
        if cx.len() != cy.len() {
            return false;
        }
        for (a, b) in cx.iter().zip(&cy) {
            let same = match (a, b) {
                (Item::Node(p), Item::Node(q))
                    if p.primitive().is_none() && q.primitive().is_none() =>
                {
                    nodes_equal(*p, *q, depth + 1)
                }
                _ => equal(a, b) == Some(true) || (a.value().is_none() && b.value().is_none()),
            };
            if !same {
                return false;
            }
        }
    }
    if x.primitive().is_some() || y.primitive().is_some() {
        return equal(&Item::Node(x), &Item::Node(y)) == Some(true);
    }
    true
}

/// `~`: strings ignoring case and whitespace runs, decimals at the lesser precision, dates of
/// different precision not equivalent; never unknown.
pub fn equivalent(a: &Item<'_>, b: &Item<'_>) -> bool {
    if let (Item::Node(x), Item::Node(y)) = (a, b) {
        if x.primitive().is_none() && y.primitive().is_none() {
            return nodes_equal(*x, *y, 0);
        }
    }
    let (Some(x), Some(y)) = (a.value(), b.value()) else {
        return false;
    };
    if let (Some(m), Some(n)) = (numeric(&x), numeric(&y)) {
        let scale = m.scale.min(n.scale);
        return m.round(scale) == n.round(scale);
    }
    match (&x, &y) {
        (Value::String(m), Value::String(n)) => normalize(m) == normalize(n),
        (Value::Temporal(m), Value::Temporal(n)) => {
            m.precision.min(super::temporal::Precision::Second)
                == n.precision.min(super::temporal::Precision::Second)
                && m.compare(n) == Some(Ordering::Equal)
        }
        (Value::Quantity(m), Value::Quantity(n)) => quantity_equivalent(m, n),
        _ => values_equal(&x, &y) == Some(true),
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Ordering for `<`, `>`: `Ok(None)` when unknown (precision), `Err` when not comparable.
pub fn compare(x: &Value, y: &Value) -> Result<Option<Ordering>, String> {
    if let (Some(m), Some(n)) = (numeric(x), numeric(y)) {
        return Ok(Some(m.cmp(&n)));
    }
    match (x, y) {
        (Value::String(m), Value::String(n)) => Ok(Some(m.cmp(n))),
        (Value::Temporal(m), Value::Temporal(n)) => {
            let date_like = |k: Kind| k != Kind::Time;
            if date_like(m.kind) != date_like(n.kind) {
                return Err(format!(
                    "cannot compare {} with {}",
                    x.type_name(),
                    y.type_name()
                ));
            }
            Ok(m.compare(n))
        }
        (Value::Quantity(m), Value::Quantity(n)) => Ok(m.compare(n)),
        _ => Err(format!(
            "cannot compare {} with {}",
            x.type_name(),
            y.type_name()
        )),
    }
}

/// Arithmetic on two singletons. `Ok(None)` is an empty result (division by zero, overflow).
pub fn arithmetic(op: &str, x: &Value, y: &Value) -> Result<Option<Value>, String> {
    let mismatch = || {
        format!(
            "`{op}` is not defined for {} and {}",
            x.type_name(),
            y.type_name()
        )
    };
    match (x, y) {
        (Value::Integer(a), Value::Integer(b)) => {
            return Ok(match op {
                "+" => a.checked_add(*b).map(Value::Integer),
                "-" => a.checked_sub(*b).map(Value::Integer),
                "*" => a.checked_mul(*b).map(Value::Integer),
                "/" => Dec::from_int(*a)
                    .div(&Dec::from_int(*b))
                    .map(Value::Decimal),
                "div" => (*b != 0)
                    .then(|| a.checked_div(*b))
                    .flatten()
                    .map(Value::Integer),
                "mod" => (*b != 0)
                    .then(|| a.checked_rem(*b))
                    .flatten()
                    .map(Value::Integer),
                _ => return Err(mismatch()),
            })
        }
        (Value::String(a), Value::String(b)) if op == "+" => {
            return Ok(Some(Value::String(format!("{a}{b}"))))
        }
        (Value::Temporal(t), Value::Quantity(q)) if op == "+" || op == "-" => {
            let unit = calendar_unit(&q.unit)
                .ok_or_else(|| format!("cannot add '{}' to a date: not a calendar unit", q.unit))?;
            let amount = q.value.to_i64().ok_or("quantity out of range")?;
            let amount = if op == "-" { -amount } else { amount };
            return Ok(t.add(amount, unit).map(Value::Temporal));
        }
        (Value::Quantity(a), Value::Quantity(b)) => {
            return Ok(match op {
                "+" | "-" => {
                    let b_in_a = if a.unit == b.unit {
                        Some(b.value)
                    } else {
                        convert(b, &a.unit)
                    };
                    let Some(bv) = b_in_a else {
                        return Err(mismatch());
                    };
                    let value = if op == "+" {
                        a.value.add(&bv)
                    } else {
                        a.value.sub(&bv)
                    };
                    value.map(|value| {
                        Value::Quantity(Quantity {
                            value,
                            unit: a.unit.clone(),
                        })
                    })
                }
                "*" => a.combine(b, false).map(Value::Quantity),
                "/" => {
                    if b.value.is_zero() {
                        None
                    } else {
                        a.combine(b, true).map(Value::Quantity)
                    }
                }
                _ => return Err(mismatch()),
            });
        }
        (Value::Quantity(a), n) | (n, Value::Quantity(a))
            if matches!(op, "*" | "/") && numeric(n).is_some() =>
        {
            let n = numeric(n).unwrap_or(Dec::from_int(1));
            let quantity_first = matches!(x, Value::Quantity(_));
            if op == "/" && !quantity_first {
                return Err(mismatch());
            }
            let value = if op == "*" {
                a.value.mul(&n)
            } else {
                a.value.div(&n)
            };
            return Ok(value.map(|value| {
                Value::Quantity(Quantity {
                    value,
                    unit: a.unit.clone(),
                })
            }));
        }
        _ => {}
    }
    let (Some(a), Some(b)) = (numeric(x), numeric(y)) else {
        return Err(mismatch());
    };
    Ok(match op {
        "+" => a.add(&b),
        "-" => a.sub(&b),
        "*" => a.mul(&b),
        "/" => a.div(&b),
        "div" => a
            .div(&b)
            .map(|q| q.rescale_trunc(0))
            .map(|q| Dec::new(q.mantissa, 0)),
        "mod" => a.div(&b).and_then(|q| {
            let whole = q.rescale_trunc(0);
            a.sub(&b.mul(&whole)?)
        }),
        _ => return Err(mismatch()),
    }
    .map(|d| {
        if op == "div" {
            Value::Integer(d.to_i64().unwrap_or(0))
        } else {
            Value::Decimal(d)
        }
    }))
}

/// A quantity's value in another unit of the same dimension.
fn convert(q: &Quantity, unit: &str) -> Option<Dec> {
    let from = super::ucum::canonical(&q.unit)?;
    let to = super::ucum::canonical(unit)?;
    if from.dims != to.dims {
        return None;
    }
    q.value.mul(&from.factor)?.div(&to.factor)
}

/// Quantities are equivalent when equal at the lesser precision of the two, in one unit.
fn quantity_equivalent(m: &Quantity, n: &Quantity) -> bool {
    if m.compare(n) == Some(Ordering::Equal) {
        return true;
    }
    let Some(n_in_m) = convert(n, &m.unit) else {
        return false;
    };
    let scale = m.value.scale.min(n.value.scale);
    m.value.round(scale) == n_in_m.round(scale)
}
