//! String-like primitives: `string`, `markdown`, `code`, `id`, `uri`, `url`,
//! `canonical`, `oid`, `uuid`, `base64Binary` and `xhtml`.
//!
//! Every FHIR primitive string must be non-empty (absent values are omitted,
//! never `""`), so every validator rejects the empty string.

use std::cell::Cell;

/// Adds the read-only `str` views on top of [`str_newtype!`]; these types are
/// plain text, so they also order and borrow like `str` (usable as map keys
/// looked up by `&str`).
macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident, $fhir:literal, $check:path) => {
        str_newtype! {
            $(#[$meta])*
            #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            $name, $fhir, $check
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

const EMPTY: &str = "must not be empty";
const CONTROL: &str = "control characters are not allowed";

/// Bytes per block of the block-wise scans below: each block is checked without an early
/// exit, which the compiler turns into vector instructions.
const BLOCK: usize = 32;

/// Whether no byte of `text` is flagged by `bad` (1 for a bad byte, 0 for a good one),
/// checked a block at a time. `bad` must be branch-free (`u8::from` of comparisons combined
/// with `&`/`|`): an OR of `u8`s over a block vectorizes, a fold over `bool`s does not.
#[inline(always)]
fn no_byte(text: &[u8], bad: impl Fn(u8) -> u8) -> bool {
    let mut blocks = text.chunks_exact(BLOCK);
    for block in &mut blocks {
        if block.iter().fold(0, |any, &b| any | bad(b)) != 0 {
            return false;
        }
    }
    blocks.remainder().iter().fold(0, |any, &b| any | bad(b)) == 0
}

/// 1 for a control character other than tab, CR and LF: below U+0020 only those are allowed
/// in any FHIR string. Every byte of a multi-byte UTF-8 char is >= 0x80, so a byte scan
/// suffices.
#[inline(always)]
fn forbidden_control(b: u8) -> u8 {
    u8::from(b < 0x20) & u8::from(b != b'\t') & u8::from(b != b'\r') & u8::from(b != b'\n')
}

/// 1 unless printable ASCII other than space (which is neither whitespace nor control).
#[inline(always)]
fn not_printable_ascii(b: u8) -> u8 {
    u8::from(b <= b' ') | u8::from(b >= 0x80)
}

/// The longest `string` (and `code`, `id`, `markdown`) allowed by default: "strings SHALL NOT
/// exceed 1MB in size" (datatypes.html#string), counted as 1,048,576 characters.
/// `base64Binary` is not a string type and has no such limit.
pub const MAX_STRING_CHARS: usize = 1_048_576;

thread_local! {
    /// The limit in force; a reader option ([`crate::json::Reader::max_string_chars`]) sets
    /// it for the duration of one read.
    static STRING_LIMIT: Cell<usize> = const { Cell::new(MAX_STRING_CHARS) };
}

/// Sets the string limit for this thread and returns the previous one.
pub(crate) fn replace_string_limit(limit: usize) -> usize {
    STRING_LIMIT.with(|l| l.replace(limit))
}

const TOO_LONG: &str = "longer than the string limit (1,048,576 characters unless the reader \
                        sets another; datatypes.html#string)";

/// Whether `text` is within the string limit. Bytes bound characters from above, so only a
/// text longer in bytes than the limit is counted.
fn within_limit(text: &str) -> bool {
    let limit = STRING_LIMIT.with(Cell::get);
    text.len() <= limit || text.chars().count() <= limit
}

fn check_string(text: &str) -> Result<(), &'static str> {
    check_text(text)?;
    if within_limit(text) {
        Ok(())
    } else {
        Err(TOO_LONG)
    }
}

/// Non-empty, no control characters: what every string-like type requires.
fn check_text(text: &str) -> Result<(), &'static str> {
    if text.is_empty() {
        Err(EMPTY)
    } else if !no_byte(text.as_bytes(), forbidden_control) {
        Err(CONTROL)
    } else {
        Ok(())
    }
}

/// Whitespace as the spec's regexes mean it: they are XML Schema regexes, where `\s` is
/// space, tab, CR and LF only (a no-break space is not whitespace there).
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// `[^\s]+(\s[^\s]+)*` (XML Schema's `\s`), plus the string rules against control characters
/// and over-long text.
fn check_code(text: &str) -> Result<(), &'static str> {
    if text.is_empty() {
        return Err(EMPTY);
    }
    if !within_limit(text) {
        return Err(TOO_LONG);
    }
    // Printable ASCII without spaces (nearly every code) is one token: nothing to check.
    if no_byte(text.as_bytes(), not_printable_ascii) {
        return Ok(());
    }
    // Start as if after whitespace so leading whitespace is caught.
    let mut after_space = true;
    for (i, c) in text.char_indices() {
        if c < ' ' && !matches!(c, '\t' | '\r' | '\n') {
            return Err(CONTROL);
        }
        let space = is_xml_space(c);
        if space && after_space {
            return Err(if i == 0 {
                "leading whitespace is not allowed"
            } else {
                "consecutive whitespace is not allowed"
            });
        }
        after_space = space;
    }
    if after_space {
        Err("trailing whitespace is not allowed")
    } else {
        Ok(())
    }
}

/// `[A-Za-z0-9\-\.]{1,64}`.
fn check_id(text: &str) -> Result<(), &'static str> {
    if text.is_empty() {
        Err(EMPTY)
    } else if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        Err("only A-Z, a-z, 0-9, '-' and '.' are allowed")
    } else if text.len() > 64 {
        Err("longer than 64 characters")
    } else {
        Ok(())
    }
}

/// `\S*`, non-empty, and no control characters.
fn check_uri(text: &str) -> Result<(), &'static str> {
    if text.is_empty() {
        return Err(EMPTY);
    }
    // Printable ASCII (and DEL) is neither whitespace nor control: the usual case.
    if no_byte(text.as_bytes(), not_printable_ascii) {
        return Ok(());
    }
    for c in text.chars() {
        if is_xml_space(c) {
            return Err("whitespace is not allowed");
        }
        if c < ' ' {
            return Err(CONTROL);
        }
    }
    Ok(())
}

/// Whether `text` is a valid FHIR `id`, without making one.
pub(crate) fn is_valid_id(text: &str) -> bool {
    check_id(text).is_ok()
}

/// Whether `text` is a valid FHIR `oid`, without making one.
pub(crate) fn is_valid_oid(text: &str) -> bool {
    check_oid(text).is_ok()
}

/// Whether `text` is a valid FHIR `uuid`, without making one.
pub(crate) fn is_valid_uuid(text: &str) -> bool {
    check_uuid(text).is_ok()
}

/// `urn:oid:[0-2](\.(0|[1-9][0-9]*))+`.
fn check_oid(text: &str) -> Result<(), &'static str> {
    let Some(rest) = text.strip_prefix("urn:oid:") else {
        return Err("must start with \"urn:oid:\"");
    };
    let b = rest.as_bytes();
    let is_digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if !matches!(b.first(), Some(b'0'..=b'2')) {
        return Err("first arc must be 0, 1 or 2");
    }
    let mut i = 1;
    if i == b.len() {
        return Err("at least two arcs are required");
    }
    while i < b.len() {
        if b.get(i) != Some(&b'.') {
            return Err("arcs must be digits separated by '.'");
        }
        i += 1;
        match b.get(i) {
            Some(b'0') => {
                i += 1;
                if is_digit(i) {
                    return Err("arcs must not have leading zeros");
                }
            }
            Some(b'1'..=b'9') => {
                while is_digit(i) {
                    i += 1;
                }
            }
            _ => return Err("arcs must be digits separated by '.'"),
        }
    }
    Ok(())
}

/// `urn:uuid:` followed by a lowercase 8-4-4-4-12 hex UUID.
fn check_uuid(text: &str) -> Result<(), &'static str> {
    let Some(rest) = text.strip_prefix("urn:uuid:") else {
        return Err("must start with \"urn:uuid:\"");
    };
    let b = rest.as_bytes();
    if b.len() != 36 {
        return Err("expected 36 characters after \"urn:uuid:\"");
    }
    for (i, &c) in b.iter().enumerate() {
        match (i, c) {
            (8 | 13 | 18 | 23, b'-') => {}
            (8 | 13 | 18 | 23, _) => return Err("expected '-' in 8-4-4-4-12 layout"),
            (_, b'0'..=b'9' | b'a'..=b'f') => {}
            (_, b'A'..=b'F') => return Err("hex digits must be lowercase"),
            _ => return Err("expected a hex digit"),
        }
    }
    Ok(())
}

/// Standard base64 alphabet, `=` padding (at most two) only at the end,
/// whitespace allowed anywhere, significant length a multiple of 4.
fn check_base64(text: &str) -> Result<(), &'static str> {
    let mut significant = 0usize;
    let mut padding = 0usize;
    for block in text.as_bytes().chunks(BLOCK) {
        // Blocks of the alphabet alone (the bulk of any value) are counted whole.
        if padding == 0 && block.iter().fold(0, |any, &b| any | not_base64_alphabet(b)) == 0 {
            significant += block.len();
            continue;
        }
        for &b in block {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => {
                    if padding > 0 {
                        return Err("data after '=' padding");
                    }
                    significant += 1;
                }
                b'=' => {
                    padding += 1;
                    significant += 1;
                    if padding > 2 {
                        return Err("more than two '=' padding characters");
                    }
                }
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => return Err("invalid base64 character"),
            }
        }
    }
    if significant == 0 {
        Err(EMPTY)
    } else if significant % 4 != 0 {
        Err("length is not a multiple of 4")
    } else {
        Ok(())
    }
}

/// 0 for `A-Z a-z 0-9 + /`, 1 for anything else; branch-free.
#[inline(always)]
fn not_base64_alphabet(b: u8) -> u8 {
    let alphabet = u8::from(b.wrapping_sub(b'A') < 26)
        | u8::from(b.wrapping_sub(b'a') < 26)
        | u8::from(b.wrapping_sub(b'0') < 10)
        | u8::from(b == b'+')
        | u8::from(b == b'/');
    alphabet ^ 1
}

/// Non-empty string whose first element is the narrative `<div`.
/// Narrative is not a `string`: the 1 MB limit does not apply (the official examples have
/// narratives of 1.8 MB).
fn check_xhtml(text: &str) -> Result<(), &'static str> {
    check_text(text)?;
    let body = text.trim_start_matches([' ', '\t', '\r', '\n']).as_bytes();
    let opens_div = body.starts_with(b"<div")
        && matches!(
            body.get(4),
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/')
        );
    if opens_div {
        Ok(())
    } else {
        Err("must start with a <div> element")
    }
}

text_type! {
    /// FHIR `string` (<https://hl7.org/fhir/R4/datatypes.html#string>).
    /// Named `FhirString` to avoid shadowing `std::string::String`. Rejects
    /// empty text and control characters other than tab, CR and LF.
    FhirString, "string", check_string
}

text_type! {
    /// FHIR `markdown` (<https://hl7.org/fhir/R4/datatypes.html#markdown>).
    /// Same rules as `string`; a separate type so renderers know to treat it
    /// as markdown.
    Markdown, "markdown", check_string
}

text_type! {
    /// FHIR `code` (<https://hl7.org/fhir/R4/datatypes.html#code>): tokens
    /// separated by single whitespace characters, none leading or trailing,
    /// so codes compare reliably by exact text.
    Code, "code", check_code
}

text_type! {
    /// FHIR `id` (<https://hl7.org/fhir/R4/datatypes.html#id>): 1-64 of
    /// `A-Z a-z 0-9 - .`, safe to place in a URL path segment.
    Id, "id", check_id
}

text_type! {
    /// FHIR `uri` (<https://hl7.org/fhir/R4/datatypes.html#uri>): any text
    /// without whitespace. URI syntax beyond that is not checked, as the
    /// spec's own regex does not.
    Uri, "uri", check_uri
}

text_type! {
    /// FHIR `url` (<https://hl7.org/fhir/R4/datatypes.html#url>): a `uri`
    /// that is meant to be resolvable. Same lexical rule as `uri`.
    Url, "url", check_uri
}

text_type! {
    /// FHIR `canonical` (<https://hl7.org/fhir/R4/datatypes.html#canonical>):
    /// a `uri` naming a canonical resource, optionally with `|version`.
    /// Same lexical rule as `uri`.
    Canonical, "canonical", check_uri
}

text_type! {
    /// FHIR `oid` (<https://hl7.org/fhir/R4/datatypes.html#oid>):
    /// `urn:oid:` then dotted arcs, first arc 0-2, no leading zeros.
    Oid, "oid", check_oid
}

text_type! {
    /// FHIR `uuid` (<https://hl7.org/fhir/R4/datatypes.html#uuid>):
    /// `urn:uuid:` then a UUID. Lowercase hex only, as the spec requires, so
    /// equal UUIDs are equal strings.
    Uuid, "uuid", check_uuid
}

text_type! {
    /// FHIR `base64Binary` (<https://hl7.org/fhir/R4/datatypes.html#base64Binary>).
    /// Kept as the encoded text (not decoded bytes) so it round-trips
    /// unchanged, whitespace included; the alphabet, padding and length are
    /// checked so decoding it later cannot fail on syntax.
    Base64Binary, "base64Binary", check_base64
}

text_type! {
    /// FHIR `xhtml` narrative (<https://hl7.org/fhir/R4/narrative.html#xhtml>).
    /// Only checks that the text is a non-empty string opening with `<div`;
    /// full XHTML well-formedness and the narrative content rules are out of
    /// scope here and belong to a dedicated validator.
    Xhtml, "xhtml", check_xhtml
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn table<T: std::fmt::Debug>(
        parse: fn(&str) -> Result<T, super::super::PrimitiveError>,
        good: &[&str],
        bad: &[&str],
    ) {
        for s in good {
            if let Err(e) = parse(s) {
                panic!("{s:?} should be accepted: {e}");
            }
        }
        for s in bad {
            if let Ok(v) = parse(s) {
                panic!("{s:?} should be rejected, got {v:?}");
            }
        }
    }

    #[test]
    fn string_and_markdown() {
        let good = [
            "a",
            " ",
            "tab\there",
            "line\r\nbreak",
            "ünïcødé 😀",
            "\u{7f}",
            "\u{85}",
        ];
        let bad = [
            "",
            "\0",
            "bell\u{7}",
            "esc\u{1b}[0m",
            "\u{1f}",
            "x\u{b}y",
            "x\u{c}",
        ];
        table(FhirString::parse, &good, &bad);
        table(Markdown::parse, &good, &bad);
    }

    #[test]
    fn code() {
        let good = [
            "a",
            "active",
            "a b",
            "a\tb",
            "1.2.3",
            "ünï cødé",
            "a b c",
            "x\u{a0}y",
            // Not whitespace for the XML Schema regex (CodeSystem-v2-0550's trailing NBSP).
            "\u{a0}a",
            "a\u{a0}",
            "a\u{3000}\u{3000}b",
        ];
        let bad = [
            "", " ", " a", "a ", "a  b", "a \tb", "\ta", "a\n", "a\r\nb", "a\u{1}b", "a\n\nb",
        ];
        table(Code::parse, &good, &bad);
        assert_eq!(
            Code::parse("a  b").unwrap_err().reason(),
            "consecutive whitespace is not allowed"
        );
    }

    #[test]
    fn id() {
        let max = "a".repeat(64);
        let too_long = "a".repeat(65);
        let good = ["a", "123", "A-b.C", "-", ".", "example", max.as_str()];
        let bad = [
            "",
            too_long.as_str(),
            "a b",
            "a_b",
            "a/b",
            "é",
            "a:b",
            "a\n",
        ];
        table(Id::parse, &good, &bad);
        assert_eq!(
            Id::parse(&too_long).unwrap_err().reason(),
            "longer than 64 characters"
        );
        // 64 bytes but one non-ASCII char: rejected for the char, not the length.
        let wide = format!("{}é", "a".repeat(62));
        assert_eq!(
            Id::parse(&wide).unwrap_err().reason(),
            "only A-Z, a-z, 0-9, '-' and '.' are allowed"
        );
    }

    #[test]
    fn uri_url_canonical() {
        let good = [
            "http://hl7.org/fhir",
            "urn:oid:1.2.3",
            "#local",
            "a",
            "http://example.org/ValueSet/x|1.0.0",
            "http://例え.jp/パス",
            // `\S*` is XML Schema's: only space, tab, CR and LF are whitespace.
            "x\u{a0}y",
            "x\u{3000}",
        ];
        let bad = ["", " ", "http://a b", "http://a\tb", "a\n", "a\r", "\u{1}"];
        table(Uri::parse, &good, &bad);
        table(Url::parse, &good, &bad);
        table(Canonical::parse, &good, &bad);
    }

    #[test]
    fn oid() {
        let good = [
            "urn:oid:1.2",
            "urn:oid:0.0",
            "urn:oid:2.16.840.1.113883",
            "urn:oid:1.2.840.10008.1.2.1",
            "urn:oid:1.0.10",
        ];
        let bad = [
            "",
            "urn:oid:",
            "urn:oid:1",
            "urn:oid:3.1",
            "urn:oid:1.",
            "urn:oid:1..2",
            "urn:oid:1.02",
            "urn:oid:01.2",
            "urn:oid:12.3",
            "URN:OID:1.2",
            "1.2.3",
            "urn:oid:1.2.",
            "urn:oid:1.2a",
            "urn:oid:.1",
        ];
        table(Oid::parse, &good, &bad);
    }

    #[test]
    fn uuid() {
        let good = [
            "urn:uuid:c757873d-ec9a-4326-a141-556f43239520",
            "urn:uuid:00000000-0000-0000-0000-000000000000",
            "urn:uuid:ffffffff-ffff-ffff-ffff-ffffffffffff",
        ];
        let bad = [
            "",
            "urn:uuid:C757873D-EC9A-4326-A141-556F43239520",
            "urn:uuid:c757873d-ec9a-4326-a141-556f4323952F",
            "urn:uuid:c757873d-ec9a-4326-a141-556f4323952",
            "urn:uuid:c757873d-ec9a-4326-a141-556f432395200",
            "urn:uuid:c757873dec9a4326a141556f43239520",
            "urn:uuid:c757873d_ec9a-4326-a141-556f43239520",
            "urn:uuid:g757873d-ec9a-4326-a141-556f43239520",
            "c757873d-ec9a-4326-a141-556f43239520",
            "URN:UUID:c757873d-ec9a-4326-a141-556f43239520",
            "urn:uuid:{c757873d-ec9a-4326-a141-556f43239520}",
            "urn:uuid:c757873d-ec9a-4326-a141-556f4323952é",
        ];
        table(Uuid::parse, &good, &bad);
        assert_eq!(
            Uuid::parse(bad[1]).unwrap_err().reason(),
            "hex digits must be lowercase"
        );
    }

    #[test]
    fn base64() {
        let good = [
            "QUJD",
            "QUI=",
            "QQ==",
            "QUJDRA==",
            "QU JD",
            " QUJD\r\n",
            "QUJD\nRA==",
            "+/+/",
            "QQ= =",
            "AAAA AAAA\n\tAAAA",
        ];
        let bad = [
            "", "   ", "Q", "QU", "QUJ", "QUJDR", "Q===", "====", "=QUJ", "QU=D", "QUJD=",
            "QUJD====", "QQ==QQ==", "QU-_", "QUJ\u{0}", "QUJé", "QUJD.",
        ];
        table(Base64Binary::parse, &good, &bad);
        assert_eq!(
            Base64Binary::parse("QU=D").unwrap_err().reason(),
            "data after '=' padding"
        );
    }

    #[test]
    fn xhtml() {
        let good = [
            "<div xmlns=\"http://www.w3.org/1999/xhtml\">Hi</div>",
            "<div>x</div>",
            "  \n<div>x</div>",
            "<div/>",
            "<div\n  xmlns=\"http://www.w3.org/1999/xhtml\"/>",
        ];
        let bad = [
            "",
            " ",
            "Hi",
            "<p>x</p>",
            "<divx>",
            "<DIV>x</DIV>",
            "<div",
            "<div>\u{1}</div>",
        ];
        table(Xhtml::parse, &good, &bad);
    }

    #[test]
    fn str_like_traits() {
        let s = String::from("http://hl7.org/fhir");
        let ptr = s.as_ptr();
        let uri = Uri::try_from(s).unwrap();
        assert_eq!(uri.as_str().as_ptr(), ptr, "allocation reused");
        assert!(uri.starts_with("http")); // Deref<Target = str>
        assert_eq!(uri.len(), 19);
        assert_eq!(AsRef::<str>::as_ref(&uri), "http://hl7.org/fhir");
        assert_eq!(uri.to_string(), "http://hl7.org/fhir");
        assert_eq!(format!("{uri:?}"), "Uri(\"http://hl7.org/fhir\")");
        assert_eq!(uri, "http://hl7.org/fhir");
        assert_eq!(&*uri.clone().into_boxed_str(), "http://hl7.org/fhir");

        let code: Code = "active".parse().unwrap();
        let mut map = BTreeMap::new();
        map.insert(code.clone(), 1);
        assert_eq!(map.get("active"), Some(&1)); // Borrow<str>
        assert!(Code::try_from("a").unwrap() < Code::try_from("b").unwrap());
        assert_eq!(format!("[{:>8}]", code), "[  active]");

        let err = Id::try_from(String::from("bad id")).unwrap_err();
        assert_eq!(err.fhir_type(), "id");
        assert_eq!(err.excerpt(), "bad id");
    }

    /// datatypes.html#string: at most 1 MB, counted in characters, in `string` and the types
    /// derived from it; `base64Binary` may be longer.
    #[test]
    fn strings_over_one_megabyte_are_rejected() {
        let at_limit = "a".repeat(MAX_STRING_CHARS);
        let over = "a".repeat(MAX_STRING_CHARS + 1);
        assert!(FhirString::parse(&at_limit).is_ok());
        assert!(Markdown::parse(&at_limit).is_ok());
        assert!(Code::parse(&at_limit).is_ok());
        for result in [
            FhirString::parse(&over).map(drop),
            Markdown::parse(&over).map(drop),
            Code::parse(&over).map(drop),
        ] {
            assert_eq!(result.unwrap_err().reason(), TOO_LONG);
        }
        // Characters, not bytes: 1,048,576 two-byte characters are within the limit.
        assert!(FhirString::parse(&"é".repeat(MAX_STRING_CHARS)).is_ok());
        assert!(FhirString::parse(&"é".repeat(MAX_STRING_CHARS + 1)).is_err());
        assert!(Base64Binary::parse(&"QUJD".repeat(MAX_STRING_CHARS / 2)).is_ok());
        assert!(Xhtml::parse(&format!("<div>{over}</div>")).is_ok());
        // The limit is per thread and can be changed (the reader does so for one read).
        let previous = replace_string_limit(3);
        assert!(FhirString::parse("abc").is_ok());
        assert!(FhirString::parse("abcd").is_err());
        replace_string_limit(previous);
        assert!(FhirString::parse("abcd").is_ok());
    }

    /// The block-wise scans: a bad byte anywhere (first block, block boundary, remainder,
    /// last byte) is found, and long valid text passes.
    #[test]
    fn long_text_is_checked_at_every_position() {
        for len in [31, 32, 33, 64, 65, 100, 1000] {
            let ok = "x".repeat(len);
            assert!(FhirString::parse(&ok).is_ok());
            assert!(Uri::parse(&ok).is_ok());
            let narrative = format!("<div>{}\n</div>", ok);
            assert!(Xhtml::parse(&narrative).is_ok());
            for at in [0, 1, 31, 32, 33, len / 2, len - 1] {
                if at >= len {
                    continue;
                }
                let with = |c: &str| format!("{}{c}{}", &ok[..at], &ok[at + 1..]);
                assert!(FhirString::parse(&with("\u{1}")).is_err(), "{len} {at}");
                assert!(FhirString::parse(&with("\n")).is_ok(), "{len} {at}");
                assert!(Uri::parse(&with(" ")).is_err(), "{len} {at}");
                assert!(Uri::parse(&with("\t")).is_err(), "{len} {at}");
                assert!(Uri::parse(&with("\u{a0}")).is_ok(), "{len} {at}");
                assert!(Uri::parse(&with("é")).is_ok(), "{len} {at}");
            }
        }
    }

    #[test]
    fn long_base64_is_checked_across_blocks() {
        let data = "QUJD".repeat(100); // 400 bytes
        assert!(Base64Binary::parse(&data).is_ok());
        assert!(Base64Binary::parse(&format!("{data}QQ==")).is_ok());
        assert!(Base64Binary::parse(&format!("{}\r\n{}", &data[..76], &data[76..])).is_ok());
        // Padding in one block, data in a later all-alphabet block.
        let padded_early = format!("QQ=={data}");
        assert_eq!(
            Base64Binary::parse(&padded_early).unwrap_err().reason(),
            "data after '=' padding"
        );
        assert_eq!(
            Base64Binary::parse(&format!("{data}Q"))
                .unwrap_err()
                .reason(),
            "length is not a multiple of 4"
        );
        for at in [0, 31, 32, 33, 399] {
            let bad = format!("{}-{}", &data[..at], &data[at + 1..]);
            assert_eq!(
                Base64Binary::parse(&bad).unwrap_err().reason(),
                "invalid base64 character"
            );
        }
    }

    #[test]
    fn long_invalid_input_gives_short_error() {
        let big = format!("{}\u{1}", "é".repeat(1_000_000));
        let err = FhirString::parse(&big).unwrap_err();
        assert_eq!(err.excerpt(), format!("{}…", "é".repeat(40)));
        assert!(err.to_string().len() < 200);
    }
}
