//! Conversion functions (`toX`, `convertsToX`) and the precision functions `precision`,
//! `lowBoundary`, `highBoundary`, `comparable`.

use super::builtin::Builtin;
use super::{boolean, opt, Call};
use crate::fhirpath::decimal::{Dec, MAX_SCALE};
use crate::fhirpath::eval::Result;
use crate::fhirpath::temporal::{Kind, Temporal};
use crate::fhirpath::value::{calendar_ucum, Collection, Quantity, Value};

fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal_text(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

pub fn to_boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Boolean(b) => Some(*b),
        Value::Integer(1) => Some(true),
        Value::Integer(0) => Some(false),
        Value::Decimal(d) if *d == Dec::from_int(1) => Some(true),
        Value::Decimal(d) if d.is_zero() => Some(false),
        Value::String(s) => match s.to_lowercase().as_str() {
            "true" | "t" | "yes" | "y" | "1" | "1.0" => Some(true),
            "false" | "f" | "no" | "n" | "0" | "0.0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn to_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(*i),
        Value::Boolean(b) => Some(i64::from(*b)),
        Value::String(s) if is_integer_text(s) => s.parse().ok(),
        _ => None,
    }
}

fn to_decimal(v: &Value) -> Option<Dec> {
    match v {
        Value::Integer(i) => Some(Dec::from_int(*i)),
        Value::Decimal(d) => Some(*d),
        Value::Boolean(b) => Some(Dec::new(i128::from(*b) * 10, 1)),
        Value::String(s) if is_decimal_text(s) => Dec::parse(s),
        _ => None,
    }
}

fn to_string(v: &Value) -> Option<String> {
    match v {
        Value::Type { .. } => None,
        other => Some(other.to_string()),
    }
}

fn to_temporal(v: &Value, kind: Kind) -> Option<Temporal> {
    match (v, kind) {
        (Value::Temporal(t), Kind::Date) if t.kind != Kind::Time => {
            let mut t = t.clone();
            t.kind = Kind::Date;
            t.precision = t.precision.min(crate::fhirpath::temporal::Precision::Day);
            t.offset = None;
            Some(t)
        }
        (Value::Temporal(t), Kind::DateTime) if t.kind != Kind::Time => {
            let mut t = t.clone();
            t.kind = Kind::DateTime;
            Some(t)
        }
        (Value::Temporal(t), Kind::Time) if t.kind == Kind::Time => Some(t.clone()),
        (Value::String(s), Kind::Time) => Temporal::parse_time(s.strip_prefix('T').unwrap_or(s)),
        (Value::String(s), _) => Temporal::parse_date_time(s, kind),
        _ => None,
    }
}

/// `'5 mg'`, `'5 \'mg\''`, `'1 day'`, `'1.0'`.
pub fn parse_quantity(s: &str) -> Option<Quantity> {
    let s = s.trim();
    let (number, unit) = match s.find(' ') {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    };
    if !is_decimal_text(number) {
        return None;
    }
    let value = Dec::parse(number)?;
    let unit = if unit.is_empty() {
        "1".to_owned()
    } else if let Some(quoted) = unit.strip_prefix('\'').and_then(|u| u.strip_suffix('\'')) {
        quoted.to_owned()
    } else if calendar_ucum(unit).is_some() {
        unit.to_owned()
    } else {
        return None;
    };
    Some(Quantity { value, unit })
}

fn to_quantity(v: &Value) -> Option<Quantity> {
    match v {
        Value::Integer(i) => Some(Quantity {
            value: Dec::from_int(*i),
            unit: "1".into(),
        }),
        Value::Decimal(d) => Some(Quantity {
            value: *d,
            unit: "1".into(),
        }),
        Value::Boolean(b) => Some(Quantity {
            value: Dec::new(i128::from(*b) * 10, 1),
            unit: "1".into(),
        }),
        Value::Quantity(q) => Some(q.clone()),
        Value::String(s) => parse_quantity(s),
        _ => None,
    }
}

/// Decimal boundaries: `v ± half a unit of its last digit`, shown with `digits` decimals.
fn decimal_boundary(d: Dec, digits: i64, high: bool) -> Option<Dec> {
    if !(0..=MAX_SCALE as i64).contains(&digits) {
        return None;
    }
    let digits = digits as u32;
    let half = Dec::new(5, d.scale + 1);
    let b = if high { d.add(&half)? } else { d.sub(&half)? };
    if digits >= b.scale {
        return b.upscale(digits);
    }
    // Below one unit of the requested precision the boundary shows as a signed zero.
    if b.abs() < Dec::new(1, digits) {
        let mut zero = Dec::new(0, digits);
        zero.negative_zero = b.mantissa < 0;
        return Some(zero);
    }
    Some(if high {
        b.ceil_to(digits)
    } else {
        b.floor_to(digits)
    })
}

pub fn call<'a>(call: &Call<'_, '_, 'a>, f: Builtin) -> Result<Option<Collection<'a>>> {
    let name = f.name();
    let (base, check) = match name.strip_prefix("convertsTo") {
        Some(rest) => (rest, true),
        None => match name.strip_prefix("to") {
            Some(rest) if name != "toChars" => (rest, false),
            _ => (name, false),
        },
    };
    let known = matches!(
        base,
        "Boolean" | "Integer" | "Decimal" | "String" | "Date" | "DateTime" | "Time" | "Quantity"
    );
    if known {
        call.arity(0, if base == "Quantity" { 1 } else { 0 })?;
        let Some(v) = call.focus_value()? else {
            return Ok(Some(Vec::new()));
        };
        let out = match base {
            "Boolean" => to_boolean(&v).map(Value::Boolean),
            "Integer" => to_integer(&v).map(Value::Integer),
            "Decimal" => to_decimal(&v).map(Value::Decimal),
            "String" => to_string(&v).map(Value::String),
            "Date" => to_temporal(&v, Kind::Date).map(Value::Temporal),
            "DateTime" => to_temporal(&v, Kind::DateTime).map(Value::Temporal),
            "Time" => to_temporal(&v, Kind::Time).map(Value::Temporal),
            _ => {
                let q = to_quantity(&v);
                match (q, call.args.is_empty()) {
                    (q, true) => q.map(Value::Quantity),
                    (Some(q), false) => {
                        let unit = call.arg_string(0)?.unwrap_or_default();
                        let target = Quantity {
                            value: Dec::from_int(1),
                            unit: unit.clone(),
                        };
                        if q.unit == unit {
                            Some(Value::Quantity(q))
                        } else if q.comparable(&target) {
                            let from = crate::fhirpath::ucum::canonical(&q.unit);
                            let to = crate::fhirpath::ucum::canonical(&unit);
                            match (from, to) {
                                (Some(f), Some(t)) => q
                                    .value
                                    .mul(&f.factor)
                                    .and_then(|v| v.div(&t.factor))
                                    .map(|value| Value::Quantity(Quantity { value, unit })),
                                _ => None,
                            }
                        } else {
                            None
                        }
                    }
                    (None, false) => None,
                }
            }
        };
        return Ok(Some(if check {
            boolean(out.is_some())
        } else {
            opt(out)
        }));
    }
    Ok(Some(match name {
        "precision" => {
            call.arity(0, 0)?;
            opt(match call.focus_value()? {
                Some(Value::Decimal(d)) => Some(Value::Integer(i64::from(d.scale))),
                Some(Value::Integer(_)) => Some(Value::Integer(0)),
                Some(Value::Temporal(t)) => Some(Value::Integer(t.precision_digits())),
                Some(other) => {
                    return Err(call.error(format!("not defined for {}", other.type_name())))
                }
                None => None,
            })
        }
        "lowBoundary" | "highBoundary" => {
            call.arity(0, 1)?;
            let high = name == "highBoundary";
            let digits = if call.args.is_empty() {
                None
            } else {
                call.arg_integer(0)?
            };
            opt(match call.focus_value()? {
                None => None,
                Some(Value::Integer(i)) => {
                    decimal_boundary(Dec::from_int(i), digits.unwrap_or(8), high)
                        .map(Value::Decimal)
                }
                Some(Value::Decimal(d)) => {
                    decimal_boundary(d, digits.unwrap_or(8), high).map(Value::Decimal)
                }
                Some(Value::Quantity(q)) => decimal_boundary(q.value, digits.unwrap_or(8), high)
                    .map(|value| {
                        Value::Quantity(Quantity {
                            value,
                            unit: q.unit,
                        })
                    }),
                Some(Value::Temporal(t)) => {
                    let default = match t.kind {
                        Kind::Date => 8,
                        Kind::DateTime => 17,
                        Kind::Time => 9,
                    };
                    t.boundary(digits.unwrap_or(default), high)
                        .map(Value::Temporal)
                }
                Some(other) => {
                    return Err(call.error(format!("not defined for {}", other.type_name())))
                }
            })
        }
        "comparable" => {
            call.arity(1, 1)?;
            match (call.focus_value()?, call.arg_value(0)?) {
                (Some(Value::Quantity(a)), Some(Value::Quantity(b))) => boolean(a.comparable(&b)),
                (None, _) | (_, None) => Vec::new(),
                _ => return Err(call.error("needs two Quantities")),
            }
        }
        _ => return Ok(None),
    }))
}
