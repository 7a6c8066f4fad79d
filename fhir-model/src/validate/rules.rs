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

/// `in ('a' | 'b')` on a collection of string-like primitives. Several items on the left
/// are an error in FHIRPath; here they give no result.
pub fn text_in<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    list: &[&str],
) -> Option<bool> {
    let text = single(items).ok()??.text()?;
    Some(list.contains(&text))
}

/// `startsWith('prefix')` on a single string-like primitive.
pub fn starts_with<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    prefix: &str,
) -> Option<bool> {
    let text = single(items).ok()??.text()?;
    Some(text.starts_with(prefix))
}

/// `matches('pattern')` on a single string-like primitive: the pattern found anywhere in the
/// text (R4's FHIRPath reads it unanchored). The generator emits only patterns that compile
/// (others stay with the engine, which reports them).
#[cfg(feature = "fhirpath")]
pub fn matches<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    pattern: &str,
) -> Option<bool> {
    let text = single(items).ok()??.text()?;
    let re = crate::fhirpath::compiled_regex(pattern, false).ok()?;
    Some(re.is_match(text))
}

/// `contains('part')` on a single string-like primitive.
pub fn contains_text<'x, T: PrimitiveItem + ?Sized + 'x>(
    items: impl Iterator<Item = &'x T>,
    part: &str,
) -> Option<bool> {
    let text = single(items).ok()??.text()?;
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
        match bytes[i] {
            b'<' => {
                let start = i + 1;
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(bytes.len(), |n| start + n);
                let tag = &bytes[start..end];
                let name = tag_name(tag);
                let script =
                    (start..end).any(|k| bytes[k] == b':' && script_scheme_before(bytes, k));
                if script
                    || ACTIVE_ELEMENTS
                        .iter()
                        .any(|a| a.as_bytes().eq_ignore_ascii_case(name))
                    || has_event_attribute(tag)
                {
                    return false;
                }
                image |= name.eq_ignore_ascii_case(b"img");
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
