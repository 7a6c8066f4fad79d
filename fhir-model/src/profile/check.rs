//! Profile validation: the rules of a [`ProfileMeta`] applied to the JSON form of a resource.
//!
//! The JSON form is what profiles are written against (element ids, slices by `url` or by
//! pattern), and the model writes it losslessly, so checking it sees exactly what a sender wrote.
//! Issues have the same paths as base validation (`Patient.name`, `Patient.extension[1].url`).

use super::meta::{Check, ProfileMeta, Rule};
use crate::validate::{Issue, IssueCode};
use serde_json::{Map, Value};

/// Checks a resource (or an extension) against a profile; only what the profile adds to the base
/// type is reported, so combine with [`crate::validate::validate_resource`] for the full picture.
pub fn validate<T: serde::Serialize + ?Sized>(value: &T, profile: &ProfileMeta) -> Vec<Issue> {
    match serde_json::to_value(value) {
        Ok(json) => validate_json(&json, profile),
        Err(e) => vec![Issue::error(
            IssueCode::Structure,
            profile.base.to_owned(),
            format!("cannot write as JSON: {e}"),
        )],
    }
}

/// Checks JSON against a profile, paths starting at the profile's base type.
pub fn validate_json(json: &Value, profile: &ProfileMeta) -> Vec<Issue> {
    let mut issues = Vec::new();
    let root = Item {
        value: Some(json),
        twin: None,
        key: String::new(),
        path: profile.base.to_owned(),
    };
    check_item(profile, &root, &mut issues);
    issues
}

/// One instance of an element: its JSON value, the `_name` twin of a primitive, the JSON key it
/// was found under and its path.
#[derive(Clone)]
struct Item<'a> {
    value: Option<&'a Value>,
    twin: Option<&'a Value>,
    key: String,
    path: String,
}

fn check_item(profile: &ProfileMeta, root: &Item, issues: &mut Vec<Issue>) {
    for rule in profile.rules {
        let Some((parent_id, last)) = rule.id.rsplit_once('.') else {
            continue;
        };
        for parent in resolve(profile, root, parent_id) {
            let items = children(profile, &parent, parent_id, last);
            apply(profile, rule, &parent, last, &items, issues);
        }
    }
}

/// Every instance of the element `id` under `root` (whose id is the first segment of `id`).
fn resolve<'a>(profile: &ProfileMeta, root: &Item<'a>, id: &str) -> Vec<Item<'a>> {
    let mut current = vec![root.clone()];
    let mut segments = id.split('.');
    let mut prefix = segments.next().unwrap_or("").to_owned();
    for segment in segments {
        current = current
            .iter()
            .flat_map(|item| children(profile, item, &prefix, segment))
            .collect();
        prefix.push('.');
        prefix.push_str(segment);
    }
    current
}

/// The instances of `segment` (`name`, `value[x]` or `name:slice`) inside `item`.
fn children<'a>(
    profile: &ProfileMeta,
    item: &Item<'a>,
    parent_id: &str,
    segment: &str,
) -> Vec<Item<'a>> {
    let (name, slice) = match segment.split_once(':') {
        Some((name, slice)) => (name, Some(slice)),
        None => (segment, None),
    };
    let Some(object) = item
        .value
        .and_then(Value::as_object)
        .or_else(|| item.twin.and_then(Value::as_object))
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for key in keys(object, name) {
        let value = object.get(&key);
        let twin = object.get(&format!("_{key}"));
        match (value, twin) {
            (Some(Value::Array(_)), _) | (_, Some(Value::Array(_))) => {
                let len = value.map_or(0, array_len).max(twin.map_or(0, array_len));
                for i in 0..len {
                    found.push(Item {
                        value: value.and_then(|v| v.get(i)).filter(|v| !v.is_null()),
                        twin: twin.and_then(|t| t.get(i)).filter(|t| !t.is_null()),
                        key: key.clone(),
                        path: format!("{}.{key}[{i}]", item.path),
                    });
                }
            }
            (None, None) => {}
            _ => found.push(Item {
                value,
                twin,
                path: format!("{}.{key}", item.path),
                key,
            }),
        }
    }
    match slice {
        None => found,
        Some(_) => {
            let id = format!("{parent_id}.{segment}");
            match profile.slices.iter().find(|s| s.id == id) {
                Some(meta) => found
                    .into_iter()
                    .filter(|i| {
                        meta.discriminators
                            .iter()
                            .all(|(path, json)| discriminates(i, path, json))
                    })
                    .collect(),
                None => Vec::new(),
            }
        }
    }
}

fn array_len(v: &Value) -> usize {
    v.as_array().map_or(1, Vec::len)
}

/// The JSON keys of an element: its name, or for `value[x]` each `valueX` present.
fn keys(object: &Map<String, Value>, name: &str) -> Vec<String> {
    match name.strip_suffix("[x]") {
        Some(base) => {
            let mut found: Vec<String> = object
                .keys()
                .map(|k| k.strip_prefix('_').unwrap_or(k))
                .filter(|k| {
                    k.strip_prefix(base)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
                })
                .map(str::to_owned)
                .collect();
            found.dedup();
            found
        }
        None if object.contains_key(name) || object.contains_key(&format!("_{name}")) => {
            vec![name.to_owned()]
        }
        None => Vec::new(),
    }
}

/// Whether the values at `path` in an item (`$this`: the item) contain the JSON `expected`.
fn discriminates(item: &Item, path: &str, expected: &str) -> bool {
    let Ok(expected) = serde_json::from_str::<Value>(expected) else {
        return false;
    };
    let mut values: Vec<&Value> = item.value.into_iter().collect();
    if path != "$this" {
        for name in path.split('.') {
            values = values
                .into_iter()
                .filter_map(|v| v.get(name))
                .flat_map(|v| match v {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                })
                .collect();
        }
    }
    values.into_iter().any(|v| contains(v, &expected))
}

/// Pattern matching (`pattern[x]`): every property of the pattern is in the value, every item
/// of a pattern array matches some item of the value's array, and scalars are equal.
fn contains(value: &Value, pattern: &Value) -> bool {
    match (value, pattern) {
        (Value::Object(v), Value::Object(p)) => p
            .iter()
            .all(|(k, pv)| v.get(k).is_some_and(|vv| contains(vv, pv))),
        (Value::Array(v), Value::Array(p)) => {
            p.iter().all(|pv| v.iter().any(|vv| contains(vv, pv)))
        }
        (v, p) => v == p,
    }
}

fn apply(
    profile: &ProfileMeta,
    rule: &Rule,
    parent: &Item,
    segment: &str,
    items: &[Item],
    issues: &mut Vec<Issue>,
) {
    let (name, slice) = match segment.split_once(':') {
        Some((name, slice)) => (name, Some(slice)),
        None => (segment, None),
    };
    let element = name.strip_suffix("[x]").unwrap_or(name);
    let what = match slice {
        Some(slice) => format!("slice {slice} of profile {}", profile.id),
        None => format!("profile {}", profile.id),
    };
    let mut issue = |code, path: String, message: String| {
        issues.push(Issue::error(code, path, message));
    };
    match &rule.check {
        Check::Cardinality { min, max } => {
            let count = items.len();
            let path = format!("{}.{element}", parent.path);
            if count < *min as usize {
                issue(
                    IssueCode::Required,
                    path,
                    format!("missing required element (minimum cardinality {min} in {what})"),
                );
            } else if let Some(max) = max.filter(|m| count > *m as usize) {
                let message = if max == 0 {
                    format!("element not allowed (maximum cardinality 0 in {what})")
                } else {
                    format!("{count} items, at most {max} allowed in {what}")
                };
                issue(IssueCode::Structure, path, message);
            }
        }
        Check::Fixed(json) => {
            let expected: Option<Value> = serde_json::from_str(json).ok();
            for item in items.iter().filter(|i| i.value != expected.as_ref()) {
                issue(
                    IssueCode::Value,
                    item.path.clone(),
                    format!("value must be exactly {json} ({what})"),
                );
            }
        }
        Check::Pattern(json) => {
            let Ok(pattern) = serde_json::from_str::<Value>(json) else {
                return;
            };
            for item in items {
                if !item.value.is_some_and(|v| contains(v, &pattern)) {
                    issue(
                        IssueCode::Value,
                        item.path.clone(),
                        format!("value does not match the pattern {json} ({what})"),
                    );
                }
            }
        }
        Check::Binding { value_set, codes } => {
            for item in items {
                let found = item.value.map(codes_of).unwrap_or_default();
                if !found.iter().any(|c| codes.contains(c)) {
                    let shown = if found.is_empty() {
                        "no code".to_owned()
                    } else {
                        found.join(", ")
                    };
                    issue(
                        IssueCode::CodeInvalid,
                        item.path.clone(),
                        format!("{shown}: not in the required ValueSet {value_set} ({what})"),
                    );
                }
            }
        }
        Check::Types(types) => {
            for item in items {
                let suffix = item.key.strip_prefix(element).unwrap_or(&item.key);
                if !types.iter().any(|t| upper_first_eq(t, suffix)) {
                    issue(
                        IssueCode::Structure,
                        item.path.clone(),
                        format!(
                            "type {suffix} is not allowed; expected {} ({what})",
                            types.join(" | ")
                        ),
                    );
                }
            }
        }
        Check::Profile(extension) => {
            for item in items {
                check_item(extension, item, issues);
            }
        }
    }
}

/// The codes in a `code` (string), `Coding` or `CodeableConcept` value.
fn codes_of(value: &Value) -> Vec<&str> {
    match value {
        Value::String(code) => vec![code.as_str()],
        Value::Object(o) => match o.get("coding").and_then(Value::as_array) {
            Some(codings) => codings
                .iter()
                .filter_map(|c| c.get("code")?.as_str())
                .collect(),
            None => o.get("code").and_then(Value::as_str).into_iter().collect(),
        },
        _ => Vec::new(),
    }
}

/// `Coding` == `Coding`, `dateTime` == `DateTime` (a JSON suffix).
fn upper_first_eq(type_code: &str, suffix: &str) -> bool {
    let mut t = type_code.chars();
    let mut s = suffix.chars();
    match (t.next(), s.next()) {
        (Some(a), Some(b)) => a.to_ascii_uppercase() == b && t.as_str() == s.as_str(),
        _ => false,
    }
}
