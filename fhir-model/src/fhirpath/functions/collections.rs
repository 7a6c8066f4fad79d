//! Existence, filtering and projection, subsetting, combining, aggregates, sorting, tree
//! navigation, `iif` and `not`.

use super::builtin::{Builtin, Builtin as F};
use super::{boolean, value, Call};
use crate::fhirpath::eval::Result;
use crate::fhirpath::ops;
use crate::fhirpath::reflect::Nodes;
use crate::fhirpath::value::{Collection, Item, Value};
use std::cmp::Ordering;
use std::collections::HashSet;

fn contains(c: &Collection<'_>, item: &Item<'_>) -> bool {
    c.iter().any(|x| ops::equal(x, item) == Some(true))
}

/// The items of `c` without repeats (by `=`), in their first order. Strings equal only
/// strings, and exactly, so a hash set finds their repeats; the rest (numbers of different
/// scale, dates of different precision, deep equality of nodes) are compared pairwise.
fn distinct<'a>(call: &Call<'_, '_, 'a>, c: Collection<'a>) -> Result<Collection<'a>> {
    distinct_items(c, |n| call.tick(n))
}

/// [`distinct`] for the `|` operator too; `tick` charges the pairwise comparisons to the
/// evaluation's step budget.
pub(crate) fn distinct_items<'a>(
    c: Collection<'a>,
    mut tick: impl FnMut(usize) -> Result<()>,
) -> Result<Collection<'a>> {
    let mut keep = Vec::with_capacity(c.len());
    {
        let mut texts: HashSet<&str> = HashSet::with_capacity(c.len());
        let mut others: Vec<&Item<'a>> = Vec::new();
        for item in &c {
            let new = match item.str() {
                Some(text) => texts.insert(text),
                None => {
                    tick(others.len())?;
                    let new = !others.iter().any(|x| ops::equal(x, item) == Some(true));
                    if new {
                        others.push(item);
                    }
                    new
                }
            };
            keep.push(new);
        }
    }
    Ok(c.into_iter()
        .zip(keep)
        .filter_map(|(item, new)| new.then_some(item))
        .collect())
}

/// All booleans of the focus (`allTrue` ...); a non-boolean is an error.
fn booleans(call: &Call<'_, '_, '_>) -> Result<Vec<bool>> {
    call.focus
        .iter()
        .map(|i| match i.value() {
            Some(Value::Boolean(b)) => Ok(b),
            _ => Err(call.error("needs booleans")),
        })
        .collect()
}

pub fn call<'a>(call: &Call<'_, '_, 'a>, f: Builtin) -> Result<Option<Collection<'a>>> {
    let focus = &call.focus;
    let pos = call.pos;
    Ok(Some(match f {
        F::Empty => {
            call.arity(0, 0)?;
            boolean(focus.is_empty())
        }
        F::Exists => {
            call.arity(0, 1)?;
            if call.args.is_empty() {
                boolean(!focus.is_empty())
            } else {
                let mut found = false;
                for (i, item) in focus.iter().enumerate() {
                    let r = call.lambda(0, item, i)?;
                    if call.ev.boolean(&r, pos)? == Some(true) {
                        found = true;
                        break;
                    }
                }
                boolean(found)
            }
        }
        F::All => {
            call.arity(1, 1)?;
            let mut all = true;
            for (i, item) in focus.iter().enumerate() {
                let r = call.lambda(0, item, i)?;
                if call.ev.boolean(&r, pos)? != Some(true) {
                    all = false;
                    break;
                }
            }
            boolean(all)
        }
        F::AllTrue => boolean(booleans(call)?.iter().all(|b| *b)),
        F::AnyTrue => boolean(booleans(call)?.iter().any(|b| *b)),
        F::AllFalse => boolean(booleans(call)?.iter().all(|b| !*b)),
        F::AnyFalse => boolean(booleans(call)?.iter().any(|b| !*b)),
        F::SubsetOf | F::SupersetOf => {
            call.arity(1, 1)?;
            let other = call.arg(0)?;
            call.tick(focus.len() * other.len())?;
            let (small, big) = if f == F::SubsetOf {
                (focus, &other)
            } else {
                (&other, focus)
            };
            boolean(small.iter().all(|i| contains(big, i)))
        }
        F::Count => {
            call.arity(0, 0)?;
            value(Value::Integer(focus.len() as i64))
        }
        F::Distinct => {
            call.arity(0, 0)?;
            distinct(call, focus.clone())?
        }
        F::IsDistinct => {
            call.arity(0, 0)?;
            boolean(distinct(call, focus.clone())?.len() == focus.len())
        }
        F::Where => {
            call.arity(1, 1)?;
            let mut out = Vec::new();
            for (i, item) in focus.iter().enumerate() {
                let r = call.lambda(0, item, i)?;
                if call.ev.boolean(&r, pos)? == Some(true) {
                    out.push(item.clone());
                }
            }
            out
        }
        F::Select => {
            call.arity(1, 1)?;
            let mut out = Vec::new();
            for (i, item) in focus.iter().enumerate() {
                out.extend(call.lambda(0, item, i)?);
                call.ev.check_size(&out, pos)?;
            }
            out
        }
        F::Repeat => {
            call.arity(1, 1)?;
            let mut out: Collection<'a> = Vec::new();
            let mut queue = focus.clone();
            while !queue.is_empty() {
                let mut next = Vec::new();
                for (i, item) in queue.iter().enumerate() {
                    for found in call.lambda(0, item, i)? {
                        call.tick(out.len() / 64 + 1)?;
                        if !contains(&out, &found) {
                            out.push(found.clone());
                            next.push(found);
                        }
                    }
                }
                call.ev.check_size(&out, pos)?;
                queue = next;
            }
            out
        }
        F::Single => {
            call.arity(0, 0)?;
            match focus.len() {
                0 | 1 => focus.clone(),
                n => return Err(call.error(format!("focus has {n} items"))),
            }
        }
        F::First => focus.first().cloned().into_iter().collect(),
        F::Last => focus.last().cloned().into_iter().collect(),
        F::Tail => focus.iter().skip(1).cloned().collect(),
        F::Skip | F::Take => {
            call.arity(1, 1)?;
            let n = call.arg_integer(0)?.unwrap_or(0).max(0) as usize;
            if f == F::Skip {
                focus.iter().skip(n).cloned().collect()
            } else {
                focus.iter().take(n).cloned().collect()
            }
        }
        F::Intersect => {
            call.arity(1, 1)?;
            let other = call.arg(0)?;
            call.tick(focus.len() * other.len())?;
            let kept: Collection<'a> = focus
                .iter()
                .filter(|i| contains(&other, i))
                .cloned()
                .collect();
            distinct(call, kept)?
        }
        F::Exclude => {
            call.arity(1, 1)?;
            let other = call.arg(0)?;
            call.tick(focus.len() * other.len())?;
            focus
                .iter()
                .filter(|i| !contains(&other, i))
                .cloned()
                .collect()
        }
        F::Union => {
            call.arity(1, 1)?;
            let mut all = focus.clone();
            all.extend(call.arg(0)?);
            distinct(call, all)?
        }
        F::Combine => {
            call.arity(1, 1)?;
            let mut all = focus.clone();
            all.extend(call.arg(0)?);
            all
        }
        F::Aggregate => {
            call.arity(1, 2)?;
            let mut total = if call.args.len() == 2 {
                call.arg(1)?
            } else {
                Vec::new()
            };
            for (i, item) in focus.iter().enumerate() {
                total = call.lambda_with_total(0, item, i, total)?;
            }
            total
        }
        F::Sort => sort(call)?,
        F::Children => {
            call.arity(0, 0)?;
            let mut out = Vec::new();
            for item in focus {
                children(item, &mut out);
                call.ev.check_size(&out, pos)?;
            }
            out
        }
        F::Descendants => {
            call.arity(0, 0)?;
            let mut out = Vec::new();
            let mut level: Collection<'a> = focus.clone();
            let mut depth = 0;
            while !level.is_empty() && depth < 256 {
                let mut next = Vec::new();
                for item in &level {
                    children(item, &mut next);
                }
                call.tick(next.len())?;
                out.extend(next.iter().cloned());
                call.ev.check_size(&out, pos)?;
                level = next;
                depth += 1;
            }
            out
        }
        F::Iif => {
            call.arity(2, 3)?;
            if focus.len() > 1 {
                return Err(call.error("needs a single item as its focus"));
            }
            // On an explicit focus (`'x'.iif(...)`) the arguments see it as `$this`.
            let arg = |i: usize| match (call.has_target, focus.first()) {
                (true, Some(item)) => call.lambda(i, item, 0),
                _ => call.arg(i),
            };
            let criterion = arg(0)?;
            let decided = match criterion.len() {
                0 => false,
                1 => match criterion[0].value() {
                    Some(Value::Boolean(b)) => b,
                    _ => return Err(call.error("the criterion is not a Boolean")),
                },
                n => return Err(call.error(format!("the criterion has {n} items"))),
            };
            if decided {
                arg(1)?
            } else if call.args.len() == 3 {
                arg(2)?
            } else {
                Vec::new()
            }
        }
        F::Not => {
            call.arity(0, 0)?;
            match call.ev.boolean(focus, pos)? {
                Some(b) => boolean(!b),
                None => Vec::new(),
            }
        }
        _ => return Ok(None),
    }))
}

/// Every child of a node (all elements, in definition order).
/// Every child of `item`, element by element: by index, as names would be looked up again.
fn children<'a>(item: &Item<'a>, out: &mut Collection<'a>) {
    if let Item::Node(n) = item {
        let mut nodes = Nodes {
            items: std::mem::take(out),
        };
        for index in 0..n.elements().len() {
            n.child_at(index, &mut nodes);
        }
        *out = nodes.items;
    }
}

/// `sort([key, ...])`: ascending by each key; a key written `-expr` sorts descending.
fn sort<'a>(call: &Call<'_, '_, 'a>) -> Result<Collection<'a>> {
    use crate::fhirpath::ast::Node;
    let focus = &call.focus;
    let mut keyed: Vec<(Vec<Option<Value>>, Item<'a>)> = Vec::new();
    let mut descending = Vec::new();
    for arg in call.args {
        descending.push(matches!(arg.node, Node::Neg(_)));
    }
    for (i, item) in focus.iter().enumerate() {
        let mut keys = Vec::new();
        if call.args.is_empty() {
            keys.push(item.value());
        }
        for arg in call.args {
            let expr = match &arg.node {
                Node::Neg(inner) => inner.as_ref(),
                _ => arg,
            };
            let scope = crate::fhirpath::eval::Scope {
                this: Some(item.clone()),
                index: Some(i as i64),
                total: None,
            };
            let r = call.ev.eval(expr, std::slice::from_ref(item), &scope)?;
            keys.push(call.ev.singleton(&r, arg.pos)?);
        }
        keyed.push((keys, item.clone()));
    }
    let mut failed = None;
    keyed.sort_by(|(a, _), (b, _)| {
        for (k, (x, y)) in a.iter().zip(b).enumerate() {
            let ord = match (x, y) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => match ops::compare(x, y) {
                    Ok(o) => o.unwrap_or(Ordering::Equal),
                    Err(m) => {
                        failed = Some(m);
                        Ordering::Equal
                    }
                },
            };
            let ord = if descending.get(k).copied().unwrap_or(false) {
                ord.reverse()
            } else {
                ord
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
    if let Some(m) = failed {
        return Err(call.error(m));
    }
    Ok(keyed.into_iter().map(|(_, i)| i).collect())
}
