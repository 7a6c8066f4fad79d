//! Math functions. Exact where the result is exact (`abs`, `ceiling`, `floor`, `round`,
//! `truncate`, integer `power`); through f64 for `exp`, `ln`, `log`, `sqrt`, real `power`.

use super::builtin::{Builtin, Builtin as F};
use super::{opt, Call};
use crate::fhirpath::decimal::Dec;
use crate::fhirpath::eval::Result;
use crate::fhirpath::value::{Collection, Value};

fn number(call: &Call<'_, '_, '_>, v: Value) -> Result<Dec> {
    match v {
        Value::Integer(i) => Ok(Dec::from_int(i)),
        Value::Decimal(d) => Ok(d),
        other => Err(call.error(format!("needs a number, not {}", other.type_name()))),
    }
}

fn float(v: f64) -> Option<Value> {
    Dec::from_f64(v).map(Value::Decimal)
}

pub fn call<'a>(call: &Call<'_, '_, 'a>, f: Builtin) -> Result<Option<Collection<'a>>> {
    let arity = match f {
        F::Abs | F::Ceiling | F::Exp | F::Floor | F::Ln | F::Sqrt | F::Truncate => (0, 0),
        F::Log | F::Power => (1, 1),
        F::Round => (0, 1),
        _ => return Ok(None),
    };
    call.arity(arity.0, arity.1)?;
    let Some(v) = call.focus_value()? else {
        return Ok(Some(Vec::new()));
    };
    if let (Value::Quantity(q), F::Abs) = (&v, f) {
        let mut q = q.clone();
        q.value = q.value.abs();
        return Ok(Some(opt(Some(Value::Quantity(q)))));
    }
    let is_int = matches!(v, Value::Integer(_));
    let d = number(call, v.clone())?;
    let to_int = |d: Dec| d.to_i64().map(Value::Integer);
    let out = match f {
        F::Abs => match v {
            Value::Integer(i) => i.checked_abs().map(Value::Integer),
            _ => Some(Value::Decimal(d.abs())),
        },
        F::Ceiling => to_int(d.ceil_to(0)),
        F::Floor => to_int(d.floor_to(0)),
        F::Truncate => to_int(d.rescale_trunc(0)),
        F::Round => {
            let digits = if call.args.is_empty() {
                0
            } else {
                call.arg_integer(0)?.unwrap_or(0)
            };
            if digits < 0 {
                return Err(call.error("precision must not be negative"));
            }
            Some(Value::Decimal(d.round(digits.min(28) as u32)))
        }
        F::Exp => float(d.to_f64().exp()),
        F::Ln => {
            let f = d.to_f64();
            if f <= 0.0 {
                None
            } else {
                float(f.ln())
            }
        }
        F::Sqrt => {
            let f = d.to_f64();
            if f < 0.0 {
                None
            } else {
                float(f.sqrt())
            }
        }
        F::Log => {
            let Some(base) = call.arg_value(0)? else {
                return Ok(Some(Vec::new()));
            };
            let base = number(call, base)?.to_f64();
            let f = d.to_f64();
            if f <= 0.0 || base <= 0.0 || base == 1.0 {
                None
            } else {
                float(f.ln() / base.ln())
            }
        }
        F::Power => {
            let Some(exponent) = call.arg_value(0)? else {
                return Ok(Some(Vec::new()));
            };
            match (is_int, &exponent) {
                (true, Value::Integer(e)) if *e >= 0 => {
                    let base = call.focus_value()?;
                    match base {
                        Some(Value::Integer(b)) => u32::try_from(*e)
                            .ok()
                            .and_then(|e| b.checked_pow(e))
                            .map(Value::Integer),
                        _ => None,
                    }
                }
                _ => {
                    let e = number(call, exponent)?.to_f64();
                    let r = d.to_f64().powf(e);
                    if r.is_nan() {
                        None
                    } else {
                        float(r)
                    }
                }
            }
        }
        _ => return Ok(None),
    };
    Ok(Some(opt(out)))
}
