//! Decoding helpers called by generated code. Each takes the element's [`Path`] and reports
//! errors as `"{path}: {what}"`; serde_json appends the line and column.

use super::read::recover;
use super::value::Checked;
use super::{Path, PrimitiveValue};
use crate::validate::IssueCode;
use crate::{Element, Primitive};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
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

/// A JSON value of the wrong type at `at`, in serde's wording but with the path in front.
pub fn wrong_type<E: de::Error>(at: &Path<'_>, found: de::Unexpected<'_>, expected: &str) -> E {
    error(
        at,
        format_args!("invalid type: {found}, expected {expected}"),
    )
}

/// Visitor methods that turn every JSON type but the expected one into [`wrong_type`]; the
/// visitor provides `fn here(&self) -> Path` and `const EXPECTED: &str`.
macro_rules! refuse_other_types {
    ($($method:ident),*) => {
        crate::json::de::refuse_other_types!(@scalars);
        $(crate::json::de::refuse_other_types!(@$method);)*
    };
    (@scalars) => {
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Bool(v), Self::EXPECTED))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Signed(v), Self::EXPECTED))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Unsigned(v), Self::EXPECTED))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Float(v), Self::EXPECTED))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Str(&crate::json::de::excerpt(v)), Self::EXPECTED))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Other("null"), Self::EXPECTED))
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Other("null"), Self::EXPECTED))
        }
    };
    (@map) => {
        fn visit_map<M: serde::de::MapAccess<'de>>(self, _map: M) -> Result<Self::Value, M::Error> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Map, Self::EXPECTED))
        }
    };
    (@seq) => {
        fn visit_seq<S: serde::de::SeqAccess<'de>>(self, _seq: S) -> Result<Self::Value, S::Error> {
            Err(crate::json::de::wrong_type(&self.here(), serde::de::Unexpected::Seq, Self::EXPECTED))
        }
    };
}
pub(crate) use refuse_other_types;

/// An error located at `at`.
pub fn error<E: serde::de::Error>(at: &Path<'_>, what: impl fmt::Display) -> E {
    E::custom(format_args!("{at}: {what}"))
}

/// Names the element an error happened in when the error does not name one already:
/// serde_json's syntax errors (`NaN`, `01`, a trailing comma, a missing colon) know only the
/// line and column. Errors of ours start with their path and pass unchanged. Only failures
/// come here, so the success path pays one untaken branch per value.
#[cold]
#[inline(never)]
pub(crate) fn located<E: de::Error>(at: &Path<'_>, e: E) -> E {
    let message = e.to_string();
    let path = at.to_string();
    let root = path.split(['.', '[']).next().unwrap_or_default();
    let named = message
        .strip_prefix(root)
        .is_some_and(|rest| rest.starts_with(['.', '[', ':']));
    if named {
        return e;
    }
    // serde_json adds the position again as the error leaves its deserializer.
    E::custom(format_args!(
        "{path}: {INVALID_JSON}{}",
        without_position(&message)
    ))
}

/// What [`located`] puts before a syntax error's own text, so that the kind of failure stays
/// recognisable once the error carries a path (serde_json then counts it as a data error).
pub const INVALID_JSON: &str = "invalid JSON: ";

/// `message` without serde_json's trailing ` at line L column C`.
fn without_position(message: &str) -> &str {
    let Some(start) = message.rfind(" at line ") else {
        return message;
    };
    let tail = &message[start + " at line ".len()..];
    let positional = tail.split_once(" column ").is_some_and(|(line, column)| {
        !line.is_empty()
            && !column.is_empty()
            && line.bytes().all(|b| b.is_ascii_digit())
            && column.bytes().all(|b| b.is_ascii_digit())
    });
    if positional {
        &message[..start]
    } else {
        message
    }
}

/// Decodes a JSON object into a generated struct.
pub fn object<'de, D: Deserializer<'de>, T: DecodeStruct>(
    deserializer: D,
    at: &Path<'_>,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(StructVisitor::<T> {
        at,
        expects_type: T::RESOURCE_TYPE.is_some(),
        marker: PhantomData,
    })
}

/// Decodes the rest of a resource of type `T` into a `Resource`. Kept out of line so that the
/// `resourceType` dispatch's stack frame does not hold every resource struct at once (which
/// made each nested resource level cost hundreds of KiB of stack in debug builds).
#[inline(never)]
pub fn resource_body<'de, A: MapAccess<'de>, T: DecodeStruct + Into<crate::Resource>>(
    map: A,
    at: &Path<'_>,
) -> Result<crate::Resource, A::Error> {
    struct_body::<A, T>(map, at).map(Into::into)
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

impl<T: DecodeStruct> StructVisitor<'_, T> {
    const EXPECTED: &'static str = "a JSON object";

    fn here(&self) -> Path<'_> {
        if self.at.is_root() {
            Path::root(T::PATH)
        } else {
            *self.at
        }
    }
}

impl<'de, T: DecodeStruct> Visitor<'de> for StructVisitor<'_, T> {
    type Value = T;

    refuse_other_types!(seq);

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
        check_depth(at)?;
        let mut value = T::default();
        let mut seen = 0u64;
        let mut any = false;
        let mut type_seen = !self.expects_type;
        while let Some(key) = map
            .next_key_seed(KeySeed(T::field_id))
            .map_err(|e| located(at, e))?
        {
            any = true;
            match key {
                Key::Known(id) => value.decode_field(id, &mut map, at, &mut seen)?,
                Key::Unknown(name) if name == "resourceType" && T::RESOURCE_TYPE.is_some() => {
                    if type_seen {
                        duplicate(&mut map, at, "resourceType given more than once")?;
                        continue;
                    }
                    let found = map.next_value_seed(TypeNameSeed(at))?;
                    if Some(found.as_str()) != T::RESOURCE_TYPE {
                        return Err(error(
                            at,
                            format_args!(
                                "resourceType is `{}`, expected `{}`",
                                excerpt(&found),
                                T::PATH
                            ),
                        ));
                    }
                    type_seen = true;
                }
                Key::Unknown(name) => {
                    let name = excerpt(&name);
                    let issue_path = Some(format!("{at}.{name}"));
                    recover(
                        at,
                        issue_path,
                        IssueCode::Structure,
                        format_args!("unknown element `{name}`"),
                    )?;
                    map.next_value::<IgnoredAny>().map_err(|e| located(at, e))?;
                }
            }
        }
        if !type_seen {
            return Err(error(at, "missing resourceType"));
        }
        if !any && T::RESOURCE_TYPE.is_none() {
            recover(
                at,
                None,
                IssueCode::Structure,
                "empty object: an element must have a value or children (ele-1)",
            )?;
        }
        let all = u64::MAX
            .checked_shr(64 - T::REQUIRED.len() as u32)
            .unwrap_or(0);
        for (i, name) in T::REQUIRED.iter().enumerate() {
            if seen & all & (1 << i) == 0 {
                recover(
                    &at.field(name),
                    None,
                    IssueCode::Required,
                    "missing required element",
                )?;
            }
        }
        if let Err(message) = value.finish(at) {
            // The message names its own path; strict reading reports it as it is.
            match recover::<A::Error>(at, None, IssueCode::Structure, &message) {
                Ok(()) => {}
                Err(_) => return Err(de::Error::custom(message)),
            }
        }
        Ok(value)
    }
}

/// An error when `at` is nested deeper than the reader's limit ([`max_depth`]).
///
/// [`max_depth`]: super::Reader::max_depth
pub(crate) fn check_depth<E: de::Error>(at: &Path<'_>) -> Result<(), E> {
    let max = super::read::max_depth();
    if at.depth() > max {
        return Err(error(
            at,
            format_args!("nested deeper than {max} elements (the reader's limit)"),
        ));
    }
    Ok(())
}

/// At most 64 characters of a name from the input, so a huge key makes no huge message.
pub(crate) fn excerpt(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(64) {
        Some((cut, _)) => format!("{}…", &name[..cut]).into(),
        None => name.into(),
    }
}

fn display_at<T: DecodeStruct>(at: &Path<'_>) -> String {
    if at.is_root() {
        T::PATH.to_owned()
    } else {
        at.to_string()
    }
}

/// Seed reading the value of `resourceType`: a string, or an error that names `at`.
pub struct TypeNameSeed<'p>(pub &'p Path<'p>);

impl TypeNameSeed<'_> {
    const EXPECTED: &'static str = "a resource type name (a JSON string)";
}

impl<'de> DeserializeSeed<'de> for TypeNameSeed<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TypeNameSeed<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", Self::EXPECTED, self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Err(wrong_type(self.0, de::Unexpected::Bool(v), Self::EXPECTED))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Err(wrong_type(
            self.0,
            de::Unexpected::Signed(v),
            Self::EXPECTED,
        ))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Err(wrong_type(
            self.0,
            de::Unexpected::Unsigned(v),
            Self::EXPECTED,
        ))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Err(wrong_type(self.0, de::Unexpected::Float(v), Self::EXPECTED))
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(wrong_type(
            self.0,
            de::Unexpected::Other("null"),
            Self::EXPECTED,
        ))
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        self.visit_unit()
    }
    fn visit_map<M: MapAccess<'de>>(self, _map: M) -> Result<String, M::Error> {
        Err(wrong_type(self.0, de::Unexpected::Map, Self::EXPECTED))
    }
    fn visit_seq<S: SeqAccess<'de>>(self, _seq: S) -> Result<String, S::Error> {
        Err(wrong_type(self.0, de::Unexpected::Seq, Self::EXPECTED))
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
        T::decode(deserializer, self.0).map_err(|e| located(self.0, e))
    }
}

/// Seed reading one primitive value at a path, valid or not.
struct CheckedSeed<'p, T>(&'p Path<'p>, PhantomData<T>);

impl<'de, T: PrimitiveValue> DeserializeSeed<'de> for CheckedSeed<'_, T> {
    type Value = Checked<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Checked<T>, D::Error> {
        T::decode_checked(deserializer, self.0).map_err(|e| located(self.0, e))
    }
}

/// Seed decoding a JSON array: each item at `path[i]`, straight into the `Vec` it is kept in.
struct ArraySeed<'p, S> {
    at: &'p Path<'p>,
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

/// Items of a repeating primitive's value array, made into primitives as they are read:
/// `null` gives one without a value (its `_name` item must supply the element part).
struct PrimitiveItems<T>(PhantomData<T>);
impl<T: PrimitiveValue> ItemDecoder for PrimitiveItems<T> {
    type Item = Primitive<T>;
    fn decode_item<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<Primitive<T>, D::Error> {
        let mut primitive = Primitive::default();
        let checked =
            deserializer.deserialize_option(Nullable::<CheckedValues<T>>(at, PhantomData))?;
        if let Some(checked) = checked {
            store::<D::Error, T>(&mut primitive, checked, at)?;
        }
        Ok(primitive)
    }
}

struct CheckedValues<T>(PhantomData<T>);
impl<T: PrimitiveValue> ItemDecoder for CheckedValues<T> {
    type Item = Checked<T>;
    fn decode_item<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<Checked<T>, D::Error> {
        T::decode_checked(deserializer, at)
    }
}

/// Items that may be `null` (primitive arrays, aligned with their `_name` twin).
struct OrNull<S>(PhantomData<S>);
impl<S: ItemDecoder> ItemDecoder for OrNull<S> {
    type Item = Option<S::Item>;
    fn decode_item<'de, D: Deserializer<'de>>(
        deserializer: D,
        at: &Path<'_>,
    ) -> Result<Option<S::Item>, D::Error> {
        deserializer.deserialize_option(Nullable::<S>(at, PhantomData))
    }
}

/// Visitor of an item that may be `null`.
struct Nullable<'p, S>(&'p Path<'p>, PhantomData<S>);

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
        S::decode_item(deserializer, self.0).map_err(|e| located(self.0, e))
    }
}

impl<'de, S: ItemDecoder> DeserializeSeed<'de> for ArraySeed<'_, S> {
    type Value = Vec<S::Item>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<S> ArraySeed<'_, S> {
    const EXPECTED: &'static str = "a JSON array";

    fn here(&self) -> Path<'_> {
        *self.at
    }
}

impl<'de, S: ItemDecoder> Visitor<'de> for ArraySeed<'_, S> {
    type Value = Vec<S::Item>;

    refuse_other_types!(map);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON array at {}", self.at)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        loop {
            let at = self.at.index(items.len());
            match seq
                .next_element_seed(Item::<S>(&at, PhantomData))
                .map_err(|e| located(self.at, e))?
            {
                Some(item) => items.push(item),
                None => break,
            }
        }
        if items.is_empty() {
            recover(
                self.at,
                None,
                IssueCode::Structure,
                "empty array: arrays must have at least one item (json.html)",
            )?;
        }
        Ok(items)
    }
}

fn array<'de, A: MapAccess<'de>, S: ItemDecoder>(
    map: &mut A,
    at: &Path<'_>,
) -> Result<Vec<S::Item>, A::Error> {
    map.next_value_seed(ArraySeed::<S> {
        at,
        marker: PhantomData,
    })
}

/// An element given twice: an error, or (lenient) reported with the second value skipped.
fn duplicate<'de, A: MapAccess<'de>>(
    map: &mut A,
    at: &Path<'_>,
    what: &str,
) -> Result<(), A::Error> {
    let code = if what.starts_with("a choice") {
        IssueCode::Structure
    } else {
        IssueCode::Duplicate
    };
    recover(at, None, code, what)?;
    map.next_value::<IgnoredAny>()?;
    Ok(())
}

const TWICE: &str = "element given more than once";
const SECOND_CHOICE: &str =
    "a choice element ([x]) may have only one value, but another type was given too";

/// A single complex, backbone or resource value.
pub fn single<'de, A: MapAccess<'de>, T: DecodeValue>(
    map: &mut A,
    slot: &mut Option<T>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return duplicate(map, at, TWICE);
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
        return duplicate(map, at, TWICE);
    }
    *slot = array::<A, Values<T>>(map, at)?;
    Ok(())
}

/// A primitive without a `_name` twin (`Element.id`, `Extension.url`, `Narrative.div`). With
/// no element part to keep an invalid value in, lenient reading reports it with its text.
pub fn attr<'de, A: MapAccess<'de>, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Option<T>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return duplicate(map, at, TWICE);
    }
    match map.next_value_seed(CheckedSeed::<T>(at, PhantomData))? {
        Checked::Valid(v) => *slot = Some(v),
        Checked::Invalid { text, reason, code } => {
            recover(at, None, code, &reason)?;
            recover(
                at,
                None,
                code,
                format_args!("value dropped (no place to keep it): {text}"),
            )?;
        }
    }
    Ok(())
}

/// Keeps the text of an invalid value in the element's `originalText` extension.
fn keep_text<T>(primitive: &mut Primitive<T>, text: String) {
    use crate::datatypes::{Extension, ExtensionValue};
    let Ok(url) = crate::primitives::Uri::parse(super::KEPT_TEXT_URL) else {
        return;
    };
    let mut extension = Extension::new(url);
    // The text may be what broke the string limit: keep it whole all the same.
    let limit = crate::primitives::replace_string_limit(usize::MAX);
    let value = crate::primitives::FhirString::try_from(text.clone())
        .or_else(|_| crate::primitives::FhirString::try_from(text.escape_default().to_string()));
    crate::primitives::replace_string_limit(limit);
    if let Ok(value) = value {
        extension.value = Some(ExtensionValue::String(Primitive::new(value)));
        primitive.element_mut().extension.push(extension);
    }
}

/// Stores a value read for a primitive, or (lenient) keeps an invalid one as text.
fn store<E: de::Error, T>(
    primitive: &mut Primitive<T>,
    checked: Checked<T>,
    at: &Path<'_>,
) -> Result<(), E> {
    match checked {
        Checked::Valid(v) => primitive.value = Some(v),
        Checked::Invalid { text, reason, code } => {
            recover::<E>(at, None, code, &reason)?;
            keep_text(primitive, text);
        }
    }
    Ok(())
}

/// The value of a single primitive element (`"birthDate": "1970"`).
pub fn prim_value<'de, A: MapAccess<'de>, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Option<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.as_ref().is_some_and(|p| p.value.is_some()) {
        return duplicate(map, at, TWICE);
    }
    let checked = map.next_value_seed(CheckedSeed::<T>(at, PhantomData))?;
    store::<A::Error, T>(slot.get_or_insert_with(Primitive::default), checked, at)
}

/// The `_name` object of a single primitive element.
pub fn prim_ext<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    slot: &mut Option<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.as_ref().is_some_and(has_element_part) {
        return duplicate(map, at, TWICE);
    }
    let element = map.next_value_seed(Seed::<Box<Element>>::new(at))?;
    attach(slot.get_or_insert_with(Primitive::default), element);
    Ok(())
}

/// Whether the `_name` object has been read: an element part other than a kept invalid value.
fn has_element_part<T>(primitive: &Primitive<T>) -> bool {
    primitive.element.as_ref().is_some_and(|e| {
        e.id.is_some()
            || e.extension.iter().any(|x| {
                x.url
                    .as_ref()
                    .map_or(true, |u| u.as_str() != super::KEPT_TEXT_URL)
            })
    })
}

/// Sets the element part read from `_name`, after any kept invalid value's extension.
fn attach<T>(primitive: &mut Primitive<T>, element: Box<Element>) {
    match primitive.element.as_mut() {
        Some(existing) => {
            existing.id = element.id;
            existing.extension.extend(element.extension);
        }
        None => primitive.element = Some(element),
    }
}

/// The values of a repeating primitive (`"given": ["A", null]`); `null` only where `_given` has
/// the matching item.
pub fn prim_values<'de, A: MapAccess<'de>, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Vec<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.iter().any(|p| p.value.is_some()) {
        return duplicate(map, at, TWICE);
    }
    let primitives = array::<A, PrimitiveItems<T>>(map, at)?;
    merge(slot, primitives, at, |p, mut new| {
        p.value = new.value.take();
        if let Some(kept) = new.element {
            p.element_mut().extension.extend(kept.extension);
        }
    })
}

/// The `_name` array of a repeating primitive.
pub fn prim_exts<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    slot: &mut Vec<Primitive<T>>,
    at: &Path<'_>,
) -> Result<(), A::Error> {
    if slot.iter().any(has_element_part) {
        return duplicate(map, at, TWICE);
    }
    let elements = array::<A, OrNull<Values<Box<Element>>>>(map, at)?;
    let primitives = elements
        .into_iter()
        .map(|element| Primitive {
            value: None,
            element,
        })
        .collect();
    merge(slot, primitives, at, |p, new| {
        if let Some(element) = new.element {
            attach(p, element);
        }
    })
}

/// Lines up the value array and the `_` array of a repeating primitive, whichever came first.
fn merge<T, E: de::Error>(
    slot: &mut Vec<Primitive<T>>,
    items: Vec<Primitive<T>>,
    at: &Path<'_>,
    combine: impl Fn(&mut Primitive<T>, Primitive<T>),
) -> Result<(), E> {
    if slot.is_empty() {
        *slot = items;
        return Ok(());
    }
    if slot.len() != items.len() {
        let (a, b) = (slot.len().max(items.len()), slot.len().min(items.len()));
        recover(
            at,
            None,
            IssueCode::Structure,
            format_args!("value array has {a} items but its `_` array has {b}; they must line up"),
        )?;
        slot.resize_with(a, Primitive::default);
    }
    for (primitive, item) in slot.iter_mut().zip(items) {
        combine(primitive, item);
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
        return duplicate(map, at, SECOND_CHOICE);
    }
    *slot = Some(wrap(map.next_value_seed(Seed::<Box<T>>::new(at))?));
    Ok(())
}

/// A primitive variant of a choice enum: how to reach it and how to make it
/// (see [`variant!`](crate::json::variant)).
pub type Variant<C, T> = (
    fn(&mut C) -> Option<&mut Primitive<T>>,
    fn(Primitive<T>) -> C,
);

/// The primitive variant of a choice, made if absent; `None` when another variant is present.
fn choice_primitive<C, T>(
    slot: &mut Option<C>,
    (get, wrap): Variant<C, T>,
) -> Option<&mut Primitive<T>> {
    get(slot.get_or_insert_with(|| wrap(Primitive::default())))
}

/// The value of a primitive variant of a choice (`valueString`).
pub fn choice_value<'de, A: MapAccess<'de>, C, T: PrimitiveValue>(
    map: &mut A,
    slot: &mut Option<C>,
    at: &Path<'_>,
    variant: Variant<C, T>,
) -> Result<(), A::Error> {
    match choice_primitive(slot, variant) {
        None => duplicate(map, at, SECOND_CHOICE),
        Some(p) if p.value.is_some() => duplicate(map, at, TWICE),
        Some(p) => {
            let checked = map.next_value_seed(CheckedSeed::<T>(at, PhantomData))?;
            store::<A::Error, T>(p, checked, at)
        }
    }
}

/// The `_name` object of a primitive variant of a choice (`_valueString`).
pub fn choice_ext<'de, A: MapAccess<'de>, C, T>(
    map: &mut A,
    slot: &mut Option<C>,
    at: &Path<'_>,
    variant: Variant<C, T>,
) -> Result<(), A::Error> {
    match choice_primitive(slot, variant) {
        None => duplicate(map, at, SECOND_CHOICE),
        Some(p) if has_element_part(p) => duplicate(map, at, TWICE),
        Some(p) => {
            let element = map.next_value_seed(Seed::<Box<Element>>::new(at))?;
            attach(p, element);
            Ok(())
        }
    }
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
