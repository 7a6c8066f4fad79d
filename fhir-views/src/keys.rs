//! SQL on FHIR's `getResourceKey()` and `getReferenceKey([Type])`, added to FHIRPath through
//! its host-function hook.
//!
//! A resource's key is its `id`; a reference's key is the id part of its literal reference
//! (`Patient/p1`, `http://server/fhir/Patient/p1/_history/2` and `urn:uuid:X` give `p1`,
//! `p1` and `X`), so `patient.getResourceKey() = observation.subject.getReferenceKey(Patient)`
//! joins. With a type, a reference whose type is known (from the literal or from
//! `Reference.type`) and differs gives nothing, and so does one whose type cannot be known;
//! contained references (`#x`) and logical references (identifier only) have no key.

use fhir_model::fhirpath::{
    Collection, EvalError, Item, Prim, Reflect, UserCall, UserFunctions, Value,
};

/// The host functions of SQL on FHIR.
pub struct KeyFunctions;

impl UserFunctions for KeyFunctions {
    fn call<'a>(&self, call: &UserCall<'_, 'a>) -> Option<Result<Collection<'a>, EvalError>> {
        match call.name() {
            "getResourceKey" => Some(resource_keys(call)),
            "getReferenceKey" => Some(reference_keys(call)),
            _ => None,
        }
    }
}

fn resource_keys<'a>(call: &UserCall<'_, 'a>) -> Result<Collection<'a>, EvalError> {
    if call.arg_count() != 0 {
        return Err(call.error("takes no arguments"));
    }
    let mut out = Vec::new();
    for item in call.focus() {
        let Item::Node(node) = item else {
            return Err(call.error("needs a resource as its focus, not a value"));
        };
        if !node
            .fhir_type()
            .starts_with(|c: char| c.is_ascii_uppercase())
        {
            return Err(call.error(format!("needs a resource, not {}", node.fhir_type())));
        }
        if let Some(id) = text_child(*node, "id") {
            out.push(Item::Value(Value::String(id.to_owned())));
        }
    }
    Ok(out)
}

fn reference_keys<'a>(call: &UserCall<'_, 'a>) -> Result<Collection<'a>, EvalError> {
    let wanted = match call.arg_count() {
        0 => None,
        1 => Some(
            call.type_arg(0)
                .ok_or_else(|| call.error("the argument must be a resource type name"))?,
        ),
        n => return Err(call.error(format!("takes 0 or 1 arguments, got {n}"))),
    };
    let mut out = Vec::new();
    for item in call.focus() {
        let Item::Node(node) = item else {
            return Err(call.error("needs a Reference as its focus, not a value"));
        };
        if node.fhir_type() != "Reference" {
            return Err(call.error(format!("needs a Reference, not {}", node.fhir_type())));
        }
        let Some(reference) = text_child(*node, "reference") else {
            continue;
        };
        let Some((ty, id)) = split_reference(reference) else {
            continue;
        };
        let ty =
            ty.or_else(|| text_child(*node, "type").map(|t| t.rsplit('/').next().unwrap_or(t)));
        if let Some(wanted) = &wanted {
            if ty != Some(wanted.as_str()) {
                continue;
            }
        }
        out.push(Item::Value(Value::String(id.to_owned())));
    }
    Ok(out)
}

/// The type (when the literal has one) and id of a literal reference.
pub fn split_reference(reference: &str) -> Option<(Option<&str>, &str)> {
    if reference.starts_with('#') || reference.is_empty() {
        return None;
    }
    if let Some(rest) = reference
        .strip_prefix("urn:uuid:")
        .or_else(|| reference.strip_prefix("urn:oid:"))
    {
        return Some((None, rest));
    }
    let path = reference.split(['?', '#']).next().unwrap_or(reference);
    // From the end: the segments after a `_history` (the version) are left out, then the
    // last two are type and id.
    let mut segments = path.rsplit('/').filter(|p| !p.is_empty());
    if path.split('/').any(|p| p == "_history") {
        segments.by_ref().find(|p| *p == "_history");
    }
    let id = segments.next()?;
    match segments.next() {
        None => Some((None, id)),
        Some(ty) if ty.starts_with(|c: char| c.is_ascii_uppercase()) => Some((Some(ty), id)),
        Some(_) => None,
    }
}

/// A resource's `id`, if it has one.
pub fn resource_id(node: &dyn Reflect) -> Option<&str> {
    text_child(node, "id")
}

/// The text of a primitive child (`id`, `reference`, `type`).
fn text_child<'a>(node: &'a dyn Reflect, name: &str) -> Option<&'a str> {
    let mut found = Vec::new();
    Item::Node(node).children(name, &mut found);
    match found.into_iter().next()? {
        Item::Node(n) => match n.primitive()? {
            Prim::String(s) => Some(s),
            _ => None,
        },
        Item::Value(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::split_reference;

    /// A reference, and its type and id (`None`: no key).
    type Case = (&'static str, Option<(Option<&'static str>, &'static str)>);

    #[test]
    fn splits_literal_references() {
        let cases: [Case; 12] = [
            ("Patient/p1", Some((Some("Patient"), "p1"))),
            (
                "http://server/fhir/Patient/p1/_history/2",
                Some((Some("Patient"), "p1")),
            ),
            ("Patient/p1/_history", Some((Some("Patient"), "p1"))),
            ("Patient/p1?_format=json", Some((Some("Patient"), "p1"))),
            ("/Patient//p1/", Some((Some("Patient"), "p1"))),
            ("urn:uuid:1234", Some((None, "1234"))),
            ("urn:oid:1.2.3", Some((None, "1.2.3"))),
            ("p1", Some((None, "p1"))),
            ("#contained", None),
            ("", None),
            ("lower/p1", None),
            ("_history/2", None),
        ];
        for (reference, expected) in cases {
            assert_eq!(split_reference(reference), expected, "{reference}");
        }
    }
}
