//! Decoding helpers called by generated code. Each takes the element's [`Path`] and reports
//! errors as `"{path}: {what}"`; serde_json appends the line and column.

use super::{Path, PrimitiveValue};
use crate::{Element, Primitive};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Implemented by every generated struct: a key table and one decoder per key.
pub trait DecodeStruct: Default {
    /// FHIR path of the struct (`Encounter.participant`), the root of top-level error paths.
    const PATH: &'static str;
    /// `Some("Patient")` for resources, whose JSON carries `resourceType`.
    const RESOURCE_TYPE: Option<&'static str>;
    /// JSON names of the required elements; bit `i` of `seen` marks `REQUIRED[i]` as present.
    const REQUIRED: &'static [&'static str];
    /// The id of a JSON key, `None` for keys the type does not have.
    fn field_id(key: &str) -> Option<u16>;
    /// Decodes the value of the key with id `id` into its field.
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        id: u16,
        map: &mut A,
        at: &Path<'_>,
        seen: &mut u64,
    ) -> Result<(), A::Error>;
    /// Checks that need every key: primitive arrays and their `_name` twins line up.
    fn finish(&self, _at: &Path<'_>) -> Result<(), String> {
        Ok(())
    }
}

/// A value that decodes itself given its element path.
pub trait DecodeValue: Sized {
    /// Decodes one JSON value; errors name `at`.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error>;
}

impl<T: DecodeValue> DecodeValue for Box<T> {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D, at: &Path<'_>) -> Result<Self, D::Error> {
        T::decode(deserializer, at).map(Box::new)
    }
}

/// An error located at `at`.
pub fn error<E: de::Error>(at: &Path<'_>, what: impl fmt::Display) -> E {
    E::custom(format_args!("{at}: {what}"))
}

/// Decodes a JSON object into a generated struct.
pub fn object<'de, D: Deserializer<'de>, T: DecodeStruct>(
    deserializer: D,
    at: &Path<'_>,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor::<T> {
        at,
        expects_type: T::RESOURCE_TYPE.is_some(),
        marker: PhantomData,
    })
}

/// Decodes the rest of a resource object whose `resourceType` has been read already.
pub fn struct_body<'de, A: MapAccess<'de>, T: DecodeStruct>(
    map: A,
    at: &Path<'_>,
) -> Result<T, A::Error> {
    StructVisitor::<T> {
        at,
        expects_type: false,
        marker: PhantomData,
    }
    .visit_map(map)
}

struct StructVisitor<'p, T> {
    at: &'p Path<'p>,
    /// Whether `resourceType` must still be read (and match).
    expects_type: bool,
    marker: PhantomData<T>,
}

impl<'de, T: DecodeStruct> Visitor<'de> for StructVisitor<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object for {}", display_at::<T>(self.at))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let root;
        let at = if self.at.is_root() {
            root = Path::root(T::PATH);
            &root
        } else {
            self.at
        };
        let mut value = T::default();
        let mut seen = 0u64;
        let mut any = false;
        let mut type_seen = !self.expects_type;
        while let Some(key) = map.next_key_seed(KeySeed(T::field_id))? {
            any = true;
            match key {
                Key::Known(id) => value.decode_field(id, &mut map, at, &mut seen)?,
                Key::Unknown(name)
                    if name == "resourceType" && T::RESOURCE_TYPE.is_some() && !type_seen =>
                {
                    let found: String = map.next_value()?;
                    if Some(found.as_str()) != T::RESOURCE_TYPE {
                        return Err(error(
                            at,
                            format_args!("resourceType is `{found}`, expected `{}`", T::PATH),
                        ));
                    }
                    type_seen = true;
                }
                Key::Unknown(name) => {
                    return Err(error(at, format_args!("unknown element `{name}`")))
                }
            }
        }
        if !type_seen {
            return Err(error(at, "missing resourceType"));
        }
        if !any && T::RESOURCE_TYPE.is_none() {
            return Err(error(
                at,
                "empty object: an element must have a value or children (ele-1)",
            ));
        }
        let all = u64::MAX
            .checked_shr(64 - T::REQUIRED.len() as u32)
            .unwrap_or(0);
        if seen != all {
            let missing = (0..T::REQUIRED.len())
                .find(|i| seen & (1 << i) == 0)
                .unwrap_or(0);
            let name = T::REQUIRED.get(missing).copied().unwrap_or("?");
            return Err(error(&at.field(name), "missing required element"));
        }
        value.finish(at).map_err(de::Error::custom)?;
        Ok(value)
    }
}

fn display_at<T: DecodeStruct>(at: &Path<'_>) -> String {
    if at.is_root() {
        T::PATH.to_owned()
    } else {
        at.to_string()
    }
}

/// A map key: the id of a known element, or the unknown name (kept for the error).
pub enum Key {
    /// A key of the type's table.
    Known(u16),
    /// Any other key.
    Unknown(String),
}

/// Matches keys against a type's table without allocating for known keys.
pub struct KeySeed(pub fn(&str) -> Option<u16>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an element name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match (self.0)(key) {
            Some(id) => Key::Known(id),
            None => Key::Unknown(key.to_owned()),
        })
    }
}

/// Seed decoding one [`DecodeValue`] at a path.
struct Seed<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'p, T> Seed<'p, T> {
    fn new(at: &'p Path<'p>) -> Self {
        Seed(at, PhantomData)
    }
}

impl<'de, T: DecodeValue> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer, self.0)
    }
}

/// Seed decoding one primitive value at a path.
struct ValueSeed<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'de, T: PrimitiveValue> DeserializeSeed<'de> for ValueSeed<'_, T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer, self.0)
    }
}

/// Seed decoding a JSON array: non-empty, each item at `path[i]`. `nulls` allows `null`
/// items (primitive arrays, aligned with their `_name` twin).
struct ArraySeed<'p, S> {
    at: &'p Path<'p>,
    nulls: bool,
    marker: PhantomData<S>,
}

/// What an array item decodes with.
trait ItemDecoder {
    type Item;
    fn decode_item<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<Self::Item, D::Error>;
}

struct Values<T>(PhantomData<T>);
impl<T: DecodeValue> ItemDecoder for Values<T> {
    type Item = T;
    fn decode_item<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<T, D::Error> {
        T::decode(deserializer, at)
    }
}

struct PrimitiveValues<T>(PhantomData<T>);
impl<T: PrimitiveValue> ItemDecoder for PrimitiveValues<T> {
    type Item = T;
    fn decode_item<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<T, D::Error> {
        T::decode(deserializer, at)
    }
}

/// An item that may be `null`.
struct Nullable<'p, S>(&'p Path<'p>, PhantomData<S>);

impl<'de, S: ItemDecoder> DeserializeSeed<'de> for Nullable<'_, S> {
    type Value = Option<S::Item>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, S: ItemDecoder> Visitor<'de> for Nullable<'_, S> {
    type Value = Option<S::Item>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value or null at {}", self.0)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        S::decode_item(deserializer, self.0).map(Some)
    }
}

struct Item<'p, S>(&'p Path<'p>, PhantomData<S>);

impl<'de, S: ItemDecoder> DeserializeSeed<'de> for Item<'_, S> {
    type Value = S::Item;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Item, D::Error> {
        S::decode_item(deserializer, self.0)
    }
}

impl<'de, S: ItemDecoder> DeserializeSeed<'de> for ArraySeed<'_, S> {
    type Value = Vec<Option<S::Item>>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, S: ItemDecoder> Visitor<'de> for ArraySeed<'_, S> {
    type Value = Vec<Option<S::Item>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON array at {}", self.at)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            let at = self.at.index(items.len());
            let item = if self.nulls {
                seq.next_element_seed(Nullable::<S>(&at, PhantomData))?
            } else {
                seq.next_element_seed(Item::<S>(&at, PhantomData))?
                    .map(Some)
            };
            match item {
                Some(item) => items.push(item),
                None => break,
            }
        }
        if items.is_empty() {
            return Err(error(
                self.at,
                "empty array: arrays must have at least one item (json.html)",
            ));
        }
        Ok(items)
    }
}

fn array<'de, A: MapAccess<'de>, S: ItemDecoder>(
    map: &mut A,
    at: &Path<'_>,
    nulls: bool,
) -> Result<Vec<Option<S::Item>>, A::Error> {
    map.next_value_seed(ArraySeed::<S> {
        at,
        nulls,
        marker: PhantomData,
    })
}

fn duplicate<E: de::Error>(at: &Path<'_>) -> E {
    error(at, "element given more than once")
}

/// A single complex, backbone or resource value.
pub fn single<'de, A: MapAccess<'de>, T: DecodeValue>(
    map: &mut A,
    slot: &mut Option<T>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(duplicate(at));
    }
    *slot = Some(map.next_value_seed(Seed::<T>::new(at))?);
    Ok(())
}

/// A single complex value, boxed.
pub fn boxed<'de, A: MapAccess<'de>, T: DecodeValue>(
    map: &mut A,
    slot: &mut Option<Box<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    single(map, slot, at)
}

/// A repeating complex, backbone or resource element.
pub fn many<'de, A: MapAccess<'de>, T: DecodeValue>(
    map: &mut A,
    slot: &mut Vec<T>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if !slot.is_empty() {
        return Err(duplicate(at));
    }
    *slot = array::<A, Values<T>>(map, at, false)?
        .into_iter()
        .flatten()
        .collect();
    Ok(())
}

/// A primitive without a `_name` twin (`Element.id`, `Extension.url`, `Narrative.div`).
pub fn attr<'de, A: MapAccess<'de>, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Option<T>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(duplicate(at));
    }
    *slot = Some(map.next_value_seed(ValueSeed::<T>(at, PhantomData))?);
    Ok(())
}

/// The value of a single primitive element (`"birthDate": "1970"`).
pub fn prim_value<'de, A: MapAccess<'de>, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Option<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    let primitive = slot.get_or_insert_with(Primitive::default);
    if primitive.value.is_some() {
        return Err(duplicate(at));
    }
    primitive.value = Some(map.next_value_seed(ValueSeed::<T>(at, PhantomData))?);
    Ok(())
}

/// The `_name` object of a single primitive element.
pub fn prim_ext<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    slot: &mut Option<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    let primitive = slot.get_or_insert_with(Primitive::default);
    if primitive.element.is_some() {
        return Err(duplicate(at));
    }
    primitive.element = Some(map.next_value_seed(Seed::<Box<Element>>::new(at))?);
    Ok(())
}

/// The values of a repeating primitive (`"given": ["A", null]`); `null` only where `_given` has
/// the matching item.
pub fn prim_values<'de, A: MapAccess<'de>, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Vec<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.iter().any(|p| p.value.is_some()) {
        return Err(duplicate(at));
    }
    let values = array::<A, PrimitiveValues<T>>(map, at, true)?;
    merge(slot, values, at, |p, v| p.value = v)
}

/// The `_name` array of a repeating primitive.
pub fn prim_exts<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    slot: &mut Vec<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.iter().any(|p| p.element.is_some()) {
        return Err(duplicate(at));
    }
    let elements = array::<A, Values<Box<Element>>>(map, at, true)?;
    merge(slot, elements, at, |p, e| p.element = e)
}

fn merge<T, V, E: de::Error>(
    slot: &mut Vec<Primitive<T>>,
    items: Vec<Option<V>>,
    at: &Path<'_>,
    set: impl Fn(&mut Primitive<T>, Option<V>),
) -> Result<(), E> {
    if slot.is_empty() {
        slot.reserve_exact(items.len());
        for item in items {
            let mut primitive = Primitive::default();
            set(&mut primitive, item);
            slot.push(primitive);
        }
        return Ok(());
    }
    if slot.len() != items.len() {
        return Err(error(
            at,
            format_args!(
                "value array has {} items but its `_` array has {}; they must line up",
                slot.len().max(items.len()),
                slot.len().min(items.len())
            ),
        ));
    }
    for (primitive, item) in slot.iter_mut().zip(items) {
        set(primitive, item);
    }
    Ok(())
}

/// After both halves are read: every item has a value or an element part.
pub fn check_aligned<T>(slot: &[Primitive<T>], at: &Path<'_>) -> Result<(), String> {
    match slot
        .iter()
        .position(|p| p.value.is_none() && p.element.is_none())
    {
        Some(i) => Err(format!(
            "{}: null in both the value array and its `_` array",
            at.index(i)
        )),
        None => Ok(()),
    }
}

/// A complex variant of a choice element (`valueQuantity`).
pub fn choice<'de, A: MapAccess<'de>, C, T: DecodeValue>(
    map: &mut A,
    slot: &mut Option<C>,
    at: &Path<'_>,
    wrap: fn(Box<T>) -> C,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(second_choice(at));
    }
    *slot = Some(wrap(map.next_value_seed(Seed::<Box<T>>::new(at))?));
    Ok(())
}

fn second_choice<E: de::Error>(at: &Path<'_>) -> E {
    error(
        at,
        "a choice element ([x]) may have only one value, but another type was given too",
    )
}

/// A primitive variant of a choice enum: how to reach it and how to make it
/// (see [`variant!`](crate::json::variant)).
pub type Variant<C, T> = (
    fn(&mut C) -> Option<&mut Primitive<T>>,
    fn(Primitive<T>) -> C,
);

/// Finds or makes the primitive variant of a choice; errors when another variant is present.
fn choice_primitive<'s, C, T, E: de::Error>(
    slot: &'s mut Option<C>,
    at: &Path<'_>,
    get: fn(&mut C) -> Option<&mut Primitive<T>>,
    wrap: fn(Primitive<T>) -> C,
) -> Result<&'s mut Primitive<T>, E> {
    let choice = slot.get_or_insert_with(|| wrap(Primitive::default()));
    get(choice).ok_or_else(|| second_choice(at))
}

/// The value of a primitive variant of a choice (`valueString`).
pub fn choice_value<'de, A: MapAccess<'de>, C, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Option<C>,
    at: &Path<'_>,
    (get, wrap): Variant<C, T>,
) -> Result<(), A::Error> {
    let primitive = choice_primitive(slot, at, get, wrap)?;
    if primitive.value.is_some() {
        return Err(duplicate(at));
    }
    primitive.value = Some(map.next_value_seed(ValueSeed::<T>(at, PhantomData))?);
    Ok(())
}

/// The `_name` object of a primitive variant of a choice (`_valueString`).
pub fn choice_ext<'de, A: MapAccess<'de>, C, T>(
    map: &mut A,
    slot: &mut Option<C>,
    at: &Path<'_>,
    (get, wrap): Variant<C, T>,
) -> Result<(), A::Error> {
    let primitive = choice_primitive(slot, at, get, wrap)?;
    if primitive.element.is_some() {
        return Err(duplicate(at));
    }
    primitive.element = Some(map.next_value_seed(Seed::<Box<Element>>::new(at))?);
    Ok(())
}

/// The element part of a primitive is a small struct of its own.
impl DecodeStruct for Element {
    const PATH: &'static str = "Element";
    const RESOURCE_TYPE: Option<&'static str> = None;
    const REQUIRED: &'static [&'static str] = &[];
    fn field_id(key: &str) -> Option<u16> {
        match key {
            "id" => Some(0),
            "extension" => Some(1),
            _ => None,
        }
    }
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        id: u16,
        map: &mut A,
        at: &Path<'_>,
        _seen: &mut u64,
    ) -> Result<(), A::Error> {
        match id {
            0 => attr(map, &mut self.id, &at.field("id")),
            _ => many(map, &mut self.extension, &at.field("extension")),
        }
    }
}

super::impl_json!(Element);

/// Resource dispatch on `resourceType`, implemented by the generated `Resource` enum.
pub trait ResourceBody: Sized {
    /// `Ok(None)` when `resource_type` names no known resource.
    fn decode_body<'de, A: MapAccess<'de>>(
        resource_type: &str,
        map: A,
        at: &Path<'_>,
    ) -> Result<Option<Self>, A::Error>;
}
