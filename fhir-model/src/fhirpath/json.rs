//! The JSON form of results, as the `fhirpath` example and the test suite print them:
//! `{"type": "string", "value": "Peter"}`; complex values as their FHIR JSON, rebuilt through
//! [`Reflect`] (no `Serialize` bound on the reflection layer keeps generated code small).

use super::reflect::{Card, Prim, Reflect};
use super::value::{Item, Value};

/// The type name of a result item: FHIR types for nodes (`code`, `HumanName`), FHIRPath's
/// for values (`boolean`, `integer`, `decimal`, `string`, `date`, `dateTime`, `time`,
/// `Quantity`).
pub fn item_type(item: &Item<'_>) -> String {
    match item {
        Item::Node(n) => n.fhir_type().to_owned(),
        Item::Value(v) => v.output_type().to_owned(),
    }
}

/// `{"type": ..., "value": ...}` for one result item (Quantity values also get `"unit"`).
pub fn item_json(item: &Item<'_>) -> String {
    let mut out = String::from("{\"type\": ");
    string(&item_type(item), &mut out);
    out.push_str(", \"value\": ");
    match item {
        Item::Node(n) => node_json(*n, &mut out, 0),
        Item::Value(Value::Quantity(q)) => {
            out.push_str(&q.value.to_string());
            out.push_str(", \"unit\": ");
            string(&q.unit, &mut out);
        }
        Item::Value(v) => value_json(v, &mut out),
    }
    out.push('}');
    out
}

fn value_json(v: &Value, out: &mut String) {
    match v {
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Integer(i) => out.push_str(&i.to_string()),
        Value::Decimal(d) => out.push_str(&d.to_string()),
        other => string(&other.to_string(), out),
    }
}

pub(crate) fn string(s: &str, out: &mut String) {
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned()));
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A node as FHIR JSON: primitives as their value, complex types as objects.
pub(crate) fn node_json(node: &dyn Reflect, out: &mut String, depth: usize) {
    if let Some(p) = node.primitive() {
        match p {
            Prim::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
            Prim::Integer(i) => out.push_str(&i.to_string()),
            Prim::Decimal(d) => out.push_str(d),
            Prim::String(s) | Prim::Date(s) | Prim::DateTime(s) | Prim::Time(s) => string(s, out),
        }
        return;
    }
    if depth > 200 {
        out.push_str("null");
        return;
    }
    out.push('{');
    let mut first = true;
    let mut key = |k: &str, out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
        string(k, out);
        out.push(':');
    };
    let ty = node.fhir_type();
    if crate::Resource::TYPE_NAMES.binary_search(&ty).is_ok() {
        key("resourceType", out);
        string(ty, out);
    }
    for &(name, card) in node.elements() {
        let mut nodes = super::reflect::Nodes::new();
        node.child(name, &mut nodes);
        let children: Vec<&dyn Reflect> = nodes
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Node(n) => Some(*n),
                Item::Value(_) => None,
            })
            .collect();
        if children.is_empty() {
            continue;
        }
        // Primitive elements with only extensions (JSON's `_name`) are left out.
        let has_value = |n: &&&dyn Reflect| !is_valueless_primitive(**n);
        match card {
            Card::Many => {
                let shown: Vec<_> = children.iter().filter(has_value).collect();
                if shown.is_empty() {
                    continue;
                }
                key(name, out);
                out.push('[');
                for (i, c) in shown.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    node_json(**c, out, depth + 1);
                }
                out.push(']');
            }
            Card::One | Card::Choice => {
                let c = children[0];
                if is_valueless_primitive(c) {
                    continue;
                }
                let k = if card == Card::Choice {
                    format!("{name}{}", upper_first(c.fhir_type()))
                } else {
                    name.to_owned()
                };
                key(&k, out);
                node_json(c, out, depth + 1);
            }
        }
    }
    out.push('}');
}

/// A primitive element without value (only extensions): FHIR type names of primitives
/// start in lower case.
fn is_valueless_primitive(node: &dyn Reflect) -> bool {
    node.primitive().is_none()
        && node
            .fhir_type()
            .starts_with(|c: char| c.is_ascii_lowercase())
}
