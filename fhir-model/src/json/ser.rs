//! Encoding helpers called by generated code: absent elements and empty arrays are skipped,
//! primitives write their value under `name` and their element part under `_name`.

use super::PrimitiveValue;
use crate::Primitive;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// Serializes a primitive value through [`PrimitiveValue::encode`].
struct AsJson<'a, T>(&'a T);

impl<T: PrimitiveValue> Serialize for AsJson<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.encode(serializer)
    }
}

/// An optional value; nothing when absent.
pub fn single<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => map.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// A repeating value; nothing when empty.
pub fn many<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    values: &[T],
) -> Result<(), M::Error> {
    if values.is_empty() {
        Ok(())
    } else {
        map.serialize_entry(key, values)
    }
}

/// A primitive without a `_name` twin.
pub fn attr<M: SerializeMap, T: PrimitiveValue>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => map.serialize_entry(key, &AsJson(v)),
        None => Ok(()),
    }
}

/// An optional primitive element.
pub fn prim<M: SerializeMap, T: PrimitiveValue>(
    map: &mut M,
    key: &'static str,
    ext_key: &'static str,
    value: &Option<Primitive<T>>,
) -> Result<(), M::Error> {
    match value {
        Some(p) => prim_one(map, key, ext_key, p),
        None => Ok(()),
    }
}

/// A primitive element: `key` for the value, `ext_key` for its element part.
pub fn prim_one<M: SerializeMap, T: PrimitiveValue>(
    map: &mut M,
    key: &'static str,
    ext_key: &'static str,
    primitive: &Primitive<T>,
) -> Result<(), M::Error> {
    if let Some(v) = &primitive.value {
        map.serialize_entry(key, &AsJson(v))?;
    }
    if let Some(e) = primitive.element.as_ref().filter(|e| !e.is_empty()) {
        map.serialize_entry(ext_key, e)?;
    }
    Ok(())
}

/// A repeating primitive: the value array and the `_` array, each with `null` where the other
/// half holds the item, and each only when it has something in it.
pub fn prims<M: SerializeMap, T: PrimitiveValue>(
    map: &mut M,
    key: &'static str,
    ext_key: &'static str,
    values: &[Primitive<T>],
) -> Result<(), M::Error> {
    if values.iter().any(|p| p.value.is_some()) {
        map.serialize_entry(key, &ValueColumn(values))?;
    }
    if values
        .iter()
        .any(|p| p.element.as_ref().is_some_and(|e| !e.is_empty()))
    {
        map.serialize_entry(ext_key, &ElementColumn(values))?;
    }
    Ok(())
}

struct ValueColumn<'a, T>(&'a [Primitive<T>]);

impl<T: PrimitiveValue> Serialize for ValueColumn<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for p in self.0 {
            seq.serialize_element(&p.value.as_ref().map(AsJson))?;
        }
        seq.end()
    }
}

struct ElementColumn<'a, T>(&'a [Primitive<T>]);

impl<T> Serialize for ElementColumn<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for p in self.0 {
            seq.serialize_element(&p.element.as_ref().filter(|e| !e.is_empty()))?;
        }
        seq.end()
    }
}

/// Implemented by generated choice enums: writes the one `name[Type]` entry.
pub trait EncodeChoice {
    /// Writes the entry (and `_` entry) of the variant present.
    fn encode<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

/// An optional choice element.
pub fn choice<M: SerializeMap, C: EncodeChoice>(
    map: &mut M,
    value: &Option<C>,
) -> Result<(), M::Error> {
    match value {
        Some(c) => c.encode(map),
        None => Ok(()),
    }
}

impl Serialize for crate::Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        attr(&mut map, "id", &self.id)?;
        many(&mut map, "extension", &self.extension)?;
        map.end()
    }
}
