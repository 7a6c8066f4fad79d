//! What every concrete resource type shares, for typed access through [`Resource`].

use crate::Resource;

/// A concrete resource type (`Patient`, `Encounter`, ...), convertible to and from [`Resource`].
pub trait ConcreteResource: Into<Resource> + Sized + 'static {
    /// The `resourceType` in JSON.
    const TYPE_NAME: &'static str;
    /// The logical id (`Resource.id`), if it has one.
    fn id(&self) -> Option<&crate::primitives::Id>;
    /// The resource as this type, if it is one.
    fn from_resource(resource: &Resource) -> Option<&Self>;
    /// The resource as this type, mutably, if it is one.
    fn from_resource_mut(resource: &mut Resource) -> Option<&mut Self>;
}

use crate::json::de::{error, DecodeValue, Key, KeySeed, ResourceBody, TypeNameSeed};
use crate::json::Path;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

impl DecodeValue for Resource {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ResourceVisitor { at })
    }
}

impl<'de> serde::Deserialize<'de> for Resource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Resource::decode(deserializer, &Path::ROOT)
    }
}

/// Dispatches on `resourceType` without buffering when it comes first (as it nearly always
/// does); otherwise the members are buffered as raw JSON and decoded again with it in front.
struct ResourceVisitor<'p> {
    at: &'p Path<'p>,
}

fn resource_type_key(key: &str) -> Option<u16> {
    (key == "resourceType").then_some(0)
}

impl ResourceVisitor<'_> {
    const EXPECTED: &'static str = "a JSON object with a resourceType";

    fn here(&self) -> Path<'_> {
        if self.at.is_root() {
            Path::root("Resource")
        } else {
            *self.at
        }
    }
}

impl<'de> Visitor<'de> for ResourceVisitor<'_> {
    type Value = Resource;

    crate::json::de::refuse_other_types!(seq);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_root() {
            f.write_str("a JSON object with a resourceType")
        } else {
            write!(f, "a JSON object with a resourceType at {}", self.at)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Resource, A::Error> {
        let root = Path::root("Resource");
        let here = if self.at.is_root() { &root } else { self.at };
        let resource_type: String = match map.next_key_seed(KeySeed(resource_type_key))? {
            Some(Key::Known(_)) => map.next_value_seed(TypeNameSeed(here))?,
            Some(Key::Unknown(first)) => return reorder(first, map, self.at),
            None => return Err(error(here, "empty object: a resource needs a resourceType")),
        };
        match Resource::decode_body(&resource_type, map, self.at)? {
            Some(resource) => Ok(resource),
            None => Err(error(
                here,
                format_args!(
                    "unknown resourceType `{}`",
                    crate::json::de::excerpt(&resource_type)
                ),
            )),
        }
    }
}

/// The slow path for objects where `resourceType` is not the first member (valid JSON, rare):
/// rebuild the object with it first. Needs a serde_json deserializer underneath (raw values).
fn reorder<'de, A: MapAccess<'de>>(
    first: String,
    mut map: A,
    at: &Path<'_>,
) -> Result<Resource, A::Error> {
    use serde_json::value::RawValue;
    let root = Path::root("Resource");
    let here = if at.is_root() { &root } else { at };
    // The decode below starts a new serde_json deserializer, whose own recursion limit starts
    // again: only the element path, which runs on through it, bounds the nesting. Check it
    // before buffering too, so deep nesting costs no copying.
    crate::json::de::check_depth(here)?;
    let mut members: Vec<(String, Box<RawValue>)> = Vec::new();
    let mut resource_type: Option<Box<RawValue>> = None;
    let mut key = Some(first);
    while let Some(k) = key {
        let value: Box<RawValue> = map.next_value()?;
        if k == "resourceType" {
            if resource_type.replace(value).is_some() {
                return Err(error(here, "resourceType given more than once"));
            }
        } else {
            members.push((k, value));
        }
        key = map.next_key()?;
    }
    let Some(resource_type) = resource_type else {
        return Err(error(here, "missing resourceType"));
    };
    let mut buffer = String::with_capacity(
        members
            .iter()
            .map(|(k, v)| k.len() + v.get().len() + 4)
            .sum::<usize>()
            + 32,
    );
    buffer.push_str("{\"resourceType\":");
    buffer.push_str(resource_type.get());
    for (k, v) in &members {
        buffer.push(',');
        buffer.push_str(&serde_json::to_string(k).map_err(de::Error::custom)?);
        buffer.push(':');
        buffer.push_str(v.get());
    }
    buffer.push('}');
    let mut inner = serde_json::Deserializer::from_str(&buffer);
    inner.deserialize_any(ResourceVisitor { at }).map_err(|e| {
        // Positions inside the rebuilt text mean nothing to the caller; the outer
        // deserializer adds its own.
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        de::Error::custom(text.strip_suffix(&position).unwrap_or(&text))
    })
}
