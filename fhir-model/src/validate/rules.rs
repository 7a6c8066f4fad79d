//! What the generator's translated constraints call: FHIRPath's three-valued logic over
//! `Option<bool>` (empty is `None`) and the few operations on primitive items they use.
//! Collections arrive as iterators of references, so nothing is collected or cloned.

use crate::code::CodeEnum;
use crate::primitives::{Canonical, Code, FhirString, Id, Markdown, Oid, Uri, Url, Uuid, Xhtml};
use crate::Primitive;

/// `a and b` (`b` only evaluated when it can change the result).
pub fn and(a: Option<bool>, b: impl FnOnce() -> Option<bool>) -> Option<bool> {
    match a {
        Some(false) => Some(false),
        Some(true) => b(),
        None => match b() {
            Some(false) => Some(false),
            _ => None,
        },
    }
}

/// `a or b`.
pub fn or(a: Option<bool>, b: impl FnOnce() -> Option<bool>) -> Option<bool> {
    match a {
        Some(true) => Some(true),
        Some(false) => b(),
        None => match b() {
            Some(true) => Some(true),
            _ => None,
        },
    }
}

/// `a implies b`.
pub fn implies(a: Option<bool>, b: impl FnOnce() -> Option<bool>) -> Option<bool> {
    match a {
        Some(false) => Some(true),
        Some(true) => b(),
        None => match b() {
            Some(true) => Some(true),
            _ => None,
        },
    }
}

/// `a xor b`.
pub fn xor(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    Some(a? != b?)
}

/// `not()`.
pub fn not(a: Option<bool>) -> Option<bool> {
    a.map(|b| !b)
}

/// `=` between two booleans.
pub fn bool_eq(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    Some(a? == b?)
}

/// `exists()`.
pub fn exists<T>(mut items: impl Iterator<Item = T>) -> Option<bool> {
    Some(items.next().is_some())
}

/// `empty()`.
pub fn empty<T>(mut items: impl Iterator<Item = T>) -> Option<bool> {
    Some(items.next().is_none())
}

/// `count()`.
pub fn count<T>(items: impl Iterator<Item = T>) -> i64 {
    items.count() as i64
}

/// The one item of a collection, `None` when it is empty; more than one is `Err`.
fn single<T>(mut items: impl Iterator<Item = T>) -> Result<Option<T>, ()> {
    let first = items.next();
    match items.next() {
        None => Ok(first),
        Some(_) => Err(()),
    }
}

/// `hasValue()`: a single primitive with a value.
pub fn has_value<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
) -> Option<bool> {
    Some(matches!(single(items), Ok(Some(p)) if p.has_value()))
}

/// `= 'text'` on a collection of string-like primitives: empty when the collection (or its
/// one value) is empty, false when it has several items (collections of different sizes).
pub fn text_eq<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    text: &str,
) -> Option<bool> {
    match single(items) {
        Ok(item) => Some(item?.text()? == text),
        Err(()) => Some(false),
    }
}

/// `=` between two collections of string-like primitives (`path = type`), as the engine
/// reads it: empty when either side is empty; otherwise true when both have the same size
/// and the same texts in order (an item without a value equals nothing).
pub fn texts_eq<'x, 'y, A, B>(
    a: impl Iterator<Item = &'x A>,
    b: impl Iterator<Item = &'y B>,
) -> Option<bool>
where
    A: PrimitiveItem + ?Sized + 'x,
    B: PrimitiveItem + ?Sized + 'y,
{
    let (mut a, mut b) = (a.peekable(), b.peekable());
    a.peek()?;
    b.peek()?;
    let mut equal = true;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) => {
                equal &= matches!((x.text(), y.text()), (Some(m), Some(n)) if m == n);
            }
            (None, None) => return Some(equal),
            _ => return Some(false),
        }
    }
}

/// `toInteger()` on a single string-like primitive: its value when the whole text is an
/// integer (`(\+|-)?\d+`), else empty.
pub fn to_integer<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
) -> Option<i64> {
    let text = single_text(items)?;
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A single integer element (`integer`, `unsignedInt`, `positiveInt`) as a number.
pub fn single_int<'x, T: IntegerItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
) -> Option<i64> {
    single(items).ok()??.integer()
}

/// The order of two integers; empty when either is.
pub fn int_cmp(a: Option<i64>, b: Option<i64>) -> Option<std::cmp::Ordering> {
    Some(a?.cmp(&b?))
}

/// `iif(criterion, then, otherwise)` with boolean results: `otherwise` unless the
/// criterion is true (an empty criterion counts as not true).
pub fn iif(
    criterion: Option<bool>,
    then: impl FnOnce() -> Option<bool>,
    otherwise: impl FnOnce() -> Option<bool>,
) -> Option<bool> {
    if criterion == Some(true) {
        then()
    } else {
        otherwise()
    }
}

/// `<`, `>`, `<=`, `>=` between two single items (dates, times, numbers, quantities), by the
/// engine's comparison: empty when either is empty, has no value, or the two do not compare
/// (`2020` and `2020-01-02`; units of different dimensions).
#[cfg(feature = "fhirpath")]
pub fn order<'x, 'y, A, B>(
    a: impl Iterator<Item = &'x A>,
    b: impl Iterator<Item = &'y B>,
) -> Option<std::cmp::Ordering>
where
    A: crate::fhirpath::Reflect + 'x,
    B: crate::fhirpath::Reflect + 'y,
{
    let x = crate::fhirpath::Item::Node(single(a).ok()??).value()?;
    let y = crate::fhirpath::Item::Node(single(b).ok()??).value()?;
    crate::fhirpath::compare_values(&x, &y).ok()?
}

/// `<`, `>`, `<=`, `>=` between a single item and an integer literal (`duration >= 0`).
#[cfg(feature = "fhirpath")]
pub fn order_to_int<'x, A: crate::fhirpath::Reflect + 'x>(
    a: impl Iterator<Item = &'x A>,
    n: i64,
) -> Option<std::cmp::Ordering> {
    let x = crate::fhirpath::Item::Node(single(a).ok()??).value()?;
    crate::fhirpath::compare_values(&x, &crate::fhirpath::Value::Integer(n)).ok()?
}

/// An integer primitive item as the translated constraints see it.
pub trait IntegerItem {
    /// The value, if there is one.
    fn integer(&self) -> Option<i64>;
}

impl IntegerItem for Primitive<i32> {
    fn integer(&self) -> Option<i64> {
        self.value.map(i64::from)
    }
}

impl IntegerItem for Primitive<crate::primitives::PositiveInt> {
    fn integer(&self) -> Option<i64> {
        self.value.map(|v| i64::from(v.get()))
    }
}

impl IntegerItem for Primitive<crate::primitives::UnsignedInt> {
    fn integer(&self) -> Option<i64> {
        self.value.map(|v| i64::from(v.get()))
    }
}

/// `in ('a' | 'b')` on a collection of string-like primitives. Several items on the left
/// are an error in FHIRPath; here they give no result.
pub fn text_in<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    list: &[&str],
) -> Option<bool> {
    let text = single_text(items)?;
    Some(list.contains(&text))
}

/// `startsWith('prefix')` on a single string-like primitive.
pub fn starts_with<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    prefix: &str,
) -> Option<bool> {
    starts_with_computed(items, Some(prefix))
}

/// `startsWith()` with a computed prefix (`%resource.snapshot.element.first().path & '.'`):
/// empty when the prefix is.
pub fn starts_with_computed<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    prefix: Option<&str>,
) -> Option<bool> {
    let text = single_text(items)?;
    Some(text.starts_with(prefix?))
}

/// The text of a single string-like primitive, as an operand of `&`.
pub fn single_text<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
) -> Option<&'x str> {
    single(items).ok()??.text()
}

/// `a & b`: an empty operand counts as the empty string.
pub fn concat(a: Option<&str>, b: Option<&str>) -> String {
    [a.unwrap_or_default(), b.unwrap_or_default()].concat()
}

/// `replaceMatches('pattern', 'with')` on a single string-like primitive, as the engine does
/// it (an empty pattern leaves the text alone).
#[cfg(feature = "fhirpath")]
pub fn replace_matches<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    pattern: &str,
    with: &str,
) -> Option<String> {
    let text = single_text(items)?;
    if pattern.is_empty() {
        return Some(text.to_owned());
    }
    let re = crate::fhirpath::compiled_regex(pattern, false).ok()?;
    Some(re.replace_all(text, with).into_owned())
}

/// `matches('pattern')` on a single string-like primitive: the pattern found anywhere in the
/// text (R4's FHIRPath reads it unanchored). The generator emits only patterns that compile
/// (others stay with the engine, which reports them).
#[cfg(feature = "fhirpath")]
pub fn matches<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    pattern: &str,
) -> Option<bool> {
    let text = single_text(items)?;
    let re = crate::fhirpath::compiled_regex(pattern, false).ok()?;
    Some(re.is_match(text))
}

/// `contains('part')` on a single string-like primitive.
pub fn contains_text<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    part: &str,
) -> Option<bool> {
    let text = single_text(items)?;
    Some(text.contains(part))
}

/// `isDistinct()` on string-like primitives: no value repeats (an item with only extensions
/// has no value and equals nothing).
pub fn is_distinct<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
) -> Option<bool> {
    let mut seen = std::collections::HashSet::new();
    Some(items.filter_map(|i| i.text()).all(|text| seen.insert(text)))
}

/// A collection of boolean primitives used as a boolean: its one value, if any.
pub fn single_bool<'x>(items: impl Iterator<Item = &'x Primitive<bool>>) -> Option<bool> {
    single(items).ok()??.value
}

/// `htmlChecks()` on a narrative `div` (txt-1 and txt-2 both call it).
pub fn html_checks<'x>(items: impl Iterator<Item = &'x Xhtml>) -> Option<bool> {
    Some(html_ok(single(items).ok()??.as_str()))
}

/// Elements that embed, run or submit something, refused by txt-1.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script", "object", "applet", "embed", "iframe", "frame", "frameset", "form", "input",
    "button", "select", "textarea", "base", "link", "meta", "style", "head", "body", "html",
];

/// txt-1: no active content (the elements above, `on*` event attributes, `javascript:` or
/// `vbscript:` URLs); txt-2: some non-whitespace text (outside the tags) or an image. One
/// pass over the bytes, without copying the narrative.
pub fn html_ok(html: &str) -> bool {
    let bytes = html.as_bytes();
    let (mut image, mut text) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        if text {
            // Once there is text, only tags and colons (`javascript:`) matter: skip to the
            // next one with memchr, as narratives are mostly text.
            match memchr::memchr2(b'<', b':', &bytes[i..]) {
                Some(n) => i += n,
                None => break,
            }
        }
        match bytes[i] {
            b'<' => {
                let start = i + 1;
                let end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |n| start + n);
                let tag = &bytes[start..end];
                let name = tag_name(tag);
                let script =
                    memchr::memchr_iter(b':', tag).any(|k| script_scheme_before(bytes, start + k));
                if script || is_active_element(name) || has_event_attribute(tag) {
                    return false;
                }
                image = image || name.eq_ignore_ascii_case(b"img");
                i = end + 1;
                continue;
            }
            b':' if script_scheme_before(bytes, i) => return false,
            b'>' => {}
            b if b.is_ascii() => text |= !char::from(b).is_whitespace(),
            // Until text is seen, `i` stays on character boundaries (ASCII bytes and whole
            // characters are stepped over), so a non-ASCII character can be read whole.
            _ if !text => {
                if let Some(c) = html.get(i..).and_then(|rest| rest.chars().next()) {
                    text = !c.is_whitespace();
                    i += c.len_utf8();
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    image || text
}

/// Whether `name` is one of [`ACTIVE_ELEMENTS`]; the usual `p`, `td`, `div` are too short to
/// be one, so most tags are settled by their length.
fn is_active_element(name: &[u8]) -> bool {
    (4..=8).contains(&name.len())
        && ACTIVE_ELEMENTS
            .iter()
            .any(|a| a.as_bytes().eq_ignore_ascii_case(name))
}

/// An element's name: the letters and digits at the start of its tag, after a `/`.
fn tag_name(tag: &[u8]) -> &[u8] {
    let tag = tag.strip_prefix(b"/").unwrap_or(tag);
    let len = tag.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    &tag[..len]
}

/// Whether the colon at `colon` ends `javascript` or `vbscript`, in any case.
fn script_scheme_before(bytes: &[u8], colon: usize) -> bool {
    const SCHEMES: [&[u8]; 2] = [b"javascript", b"vbscript"];
    SCHEMES.iter().any(|scheme| {
        colon >= scheme.len() && bytes[colon - scheme.len()..colon].eq_ignore_ascii_case(scheme)
    })
}

/// An `on...=` attribute (an event handler) in a tag's text; the first word is the element
/// name. XML separates attributes with ASCII whitespace only.
fn has_event_attribute(tag: &[u8]) -> bool {
    tag.split(u8::is_ascii_whitespace)
        .skip(1)
        .any(|attr| attr.len() > 2 && attr[..2].eq_ignore_ascii_case(b"on") && attr.contains(&b'='))
}

/// A primitive item as the translated constraints see it.
pub trait PrimitiveItem {
    /// Whether there is a value (not only extensions).
    fn has_value(&self) -> bool;
    /// The value as text, for string-like types and codes.
    fn text(&self) -> Option<&str> {
        None
    }
}

/// A string-like primitive value.
pub trait TextValue {
    /// The value as written in JSON.
    fn as_text(&self) -> &str;
}

impl<E: CodeEnum> TextValue for E {
    fn as_text(&self) -> &str {
        self.code()
    }
}

impl<T: TextOrNot> PrimitiveItem for Primitive<T> {
    fn has_value(&self) -> bool {
        self.value.is_some()
    }
    fn text(&self) -> Option<&str> {
        self.value.as_ref().and_then(TextOrNot::text)
    }
}

/// Every primitive value type: its text when it is string-like.
pub trait TextOrNot {
    /// `Some` for string-like values.
    fn text(&self) -> Option<&str>;
}

impl<T: TextValue> TextOrNot for T {
    fn text(&self) -> Option<&str> {
        Some(self.as_text())
    }
}

macro_rules! text_values {
    ($($t:ty),*) => {$(
        impl TextValue for $t {
            fn as_text(&self) -> &str {
                self.as_str()
            }
        }
        impl PrimitiveItem for $t {
            fn has_value(&self) -> bool {
                true
            }
            fn text(&self) -> Option<&str> {
                Some(self.as_str())
            }
        }
    )*};
}
text_values!(Canonical, Code, FhirString, Id, Markdown, Oid, Uri, Url, Uuid);

macro_rules! other_values {
    ($($t:ty),*) => {$(
        impl TextOrNot for $t {
            fn text(&self) -> Option<&str> {
                None
            }
        }
    )*};
}
other_values!(
    bool,
    i32,
    crate::primitives::Decimal,
    crate::primitives::Date,
    crate::primitives::DateTime,
    crate::primitives::Instant,
    crate::primitives::Time,
    crate::primitives::PositiveInt,
    crate::primitives::UnsignedInt,
    crate::primitives::Base64Binary,
    Xhtml
);

impl PrimitiveItem for Xhtml {
    fn has_value(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_valued_logic_follows_the_fhirpath_tables() {
        let values = [Some(true), Some(false), None];
        for a in values {
            for b in values {
                let and_expected = match (a, b) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                };
                let or_expected = match (a, b) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                };
                let implies_expected = match (a, b) {
                    (Some(false), _) | (_, Some(true)) => Some(true),
                    (Some(true), Some(false)) => Some(false),
                    _ => None,
                };
                assert_eq!(and(a, || b), and_expected, "{a:?} and {b:?}");
                assert_eq!(or(a, || b), or_expected, "{a:?} or {b:?}");
                assert_eq!(implies(a, || b), implies_expected, "{a:?} implies {b:?}");
            }
        }
    }

    #[test]
    fn comparisons_on_primitive_collections() {
        let code = |s: &str| Primitive {
            value: Some(Code::parse(s).unwrap()),
            element: None,
        };
        let none: [&Primitive<Code>; 0] = [];
        assert_eq!(text_eq(none.into_iter(), "a"), None);
        assert_eq!(text_eq([&code("a")].into_iter(), "a"), Some(true));
        assert_eq!(text_eq([&code("b")].into_iter(), "a"), Some(false));
        assert_eq!(
            text_eq([&code("a"), &code("a")].into_iter(), "a"),
            Some(false)
        );
        assert_eq!(text_in([&code("b")].into_iter(), &["a", "b"]), Some(true));
        let absent: Primitive<Code> = Primitive::default();
        assert_eq!(text_eq([&absent].into_iter(), "a"), None);
        assert_eq!(has_value([&absent].into_iter()), Some(false));
        assert_eq!(has_value([&code("a")].into_iter()), Some(true));
        assert_eq!(starts_with([&code("#x")].into_iter(), "#"), Some(true));
        assert_eq!(contains_text([&code("a.b")].into_iter(), "."), Some(true));
        assert_eq!(contains_text([&code("ab")].into_iter(), "."), Some(false));
        assert_eq!(contains_text(none.into_iter(), "."), None);
        assert_eq!(is_distinct(none.into_iter()), Some(true));
        assert_eq!(
            is_distinct([&code("a"), &absent, &absent, &code("b")].into_iter()),
            Some(true)
        );
        assert_eq!(
            is_distinct([&code("a"), &code("b"), &code("a")].into_iter()),
            Some(false)
        );
    }

    #[test]
    fn narrative_checks_refuse_active_content_and_empty_text() {
        let div = |s: &str| {
            html_ok(&format!(
                "<div xmlns=\"http://www.w3.org/1999/xhtml\">{s}</div>"
            ))
        };
        assert!(div("<p>Peter</p>"));
        assert!(div("<img src=\"a.png\"/>"));
        assert!(!div("  <p> </p>\n"));
        assert!(!div("<p>x</p><SCRIPT>alert(1)</SCRIPT>"));
        assert!(!div("<p onClick=\"x()\">x</p>"));
        assert!(!div("<a href=\"JavaScript:x()\">x</a>"));
        assert!(div("<p>one, only</p>"));
        assert!(!div("<a\thref=\"x\"\tonmouseover=\"x()\">x</a>"));
        assert!(!div("<a href=\"VBScript:x\">x</a>"));
        assert!(div(
            "<a href=\"http://x.org/javascript\">javascript, the language</a>"
        ));
        assert!(div("<p class=\"one\">no handler: on=</p>"));
        assert!(!html_ok("vbscript:x"));
        assert!(!div("\u{a0}\u{2003}<br/>"), "Unicode spaces are no text");
        assert!(div("\u{a0}é"));
        assert!(!div("<p>></p>"), "a stray `>` is no text");
    }

    #[cfg(feature = "fhirpath")]
    #[test]
    fn matches_finds_the_pattern_anywhere_in_one_value() {
        let code = |s: &str| Primitive {
            value: Some(Code::parse(s).unwrap()),
            element: None,
        };
        let pattern = "[A-Z]([A-Za-z0-9_]){0,254}";
        assert_eq!(matches([&code("Lab")].into_iter(), pattern), Some(true));
        assert_eq!(
            matches([&code("lab-Result")].into_iter(), pattern),
            Some(true)
        );
        assert_eq!(matches([&code("lab")].into_iter(), pattern), Some(false));
        let none: [&Primitive<Code>; 0] = [];
        assert_eq!(matches(none.into_iter(), pattern), None);
        assert_eq!(matches([&code("A"), &code("B")].into_iter(), pattern), None);
    }
}
