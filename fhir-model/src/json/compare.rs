//! Strict JSON parsing and structural comparison that keeps number text.
//!
//! The conformance tests decode every official FHIR example, encode it again
//! and need to know whether the output is *the same JSON* as the input. In
//! FHIR the spelling of a number is significant (`0.10` records a different
//! precision than `0.1`), so numbers must be compared by their exact source
//! text. `serde_json::Value` normalises numbers unless the
//! `arbitrary_precision` feature is enabled, and that feature changes
//! behaviour for every crate in the build, so this module brings its own
//! small, dependency-free parser and comparator instead.
//!
//! The parser is deliberately strict (RFC 8259 with no extensions, plus a
//! ban on duplicate keys and byte order marks): a lenient parser could hide
//! encoder bugs by accepting output that other FHIR servers would reject.

use std::collections::HashMap;
use std::collections::HashSet;
use std::fmt;
use std::fmt::Write as _;

/// Deepest container nesting the parser accepts.
///
/// The parser recurses once per nested array or object; the limit keeps the
/// stack bounded (even in debug builds on small test-thread stacks) so that
/// hostile input produces an error instead of a crash. Real FHIR documents
/// nest a few dozen levels at most.
pub const MAX_DEPTH: usize = 512;

/// Objects with more members than this use a hash table for key look-ups;
/// smaller ones (nearly all FHIR objects) are faster to scan linearly.
const LINEAR_LOOKUP_LIMIT: usize = 16;

/// Approximate length limit for the value renderings in a [`Difference`], so
/// that a mismatch inside a huge resource still yields a readable message.
const RENDER_LIMIT: usize = 80;

/// Text used in a [`Difference`] for the side on which a key does not exist.
const ABSENT: &str = "(absent)";

/// A parsed JSON document that keeps number text exactly.
///
/// Numbers stay as their source text because the comparison must see
/// `1.0` and `1` as different; object members stay in source order so that
/// difference reports are deterministic and follow the document.
///
/// There is intentionally no `PartialEq`: derived equality would be
/// sensitive to key order, which is not JSON equality. Use [`compare`].
#[derive(Debug, Clone)]
pub enum JsonTree {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number exactly as written in the source, e.g. `"-0.10e+3"`.
    Number(Box<str>),
    /// The string content with all escapes resolved, so that differently
    /// escaped spellings of the same text compare equal.
    String(String),
    /// Elements in order.
    Array(Vec<JsonTree>),
    /// Members in source order; keys are unique (the parser enforces it).
    Object(Vec<(String, JsonTree)>),
}

impl JsonTree {
    /// Parses one complete JSON document.
    ///
    /// Takes bytes rather than `&str` so that invalid UTF-8 in a test file is
    /// reported as a parse error with a location instead of failing earlier
    /// in some unrelated conversion. Never panics and never overflows the
    /// stack, whatever the input (see [`MAX_DEPTH`]).
    ///
    /// # Errors
    ///
    /// Returns the first syntax violation found, with its position.
    pub fn parse(bytes: &[u8]) -> Result<JsonTree, ParseError> {
        if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            return Err(ParseError::at(bytes, 0, "byte order mark is not allowed"));
        }
        // Validating everything up front lets the rest of the parser slice
        // `&str` freely, and std's validator is fast even in debug builds.
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => return Err(ParseError::at(bytes, e.valid_up_to(), "invalid UTF-8")),
        };
        let mut parser = Parser {
            text,
            bytes,
            pos: 0,
        };
        parser.skip_whitespace();
        let value = parser.parse_value(0)?;
        parser.skip_whitespace();
        if parser.pos != bytes.len() {
            return Err(parser.error("unexpected characters after the JSON value"));
        }
        Ok(value)
    }
}

/// Why and where a document failed to parse.
///
/// Carries both the byte offset (for tools) and line/column (for humans
/// reading a failing example file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending input from the start of the document.
    pub offset: usize,
    /// 1-based line number; lines are separated by `\n`.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes) within the line.
    pub column: usize,
    /// Fixed description of the problem; static so errors never allocate.
    pub message: &'static str,
}

impl ParseError {
    /// Builds an error and derives line and column from the offset. Done
    /// only on failure, so the parser never tracks lines while scanning.
    fn at(bytes: &[u8], offset: usize, message: &'static str) -> ParseError {
        let offset = offset.min(bytes.len());
        let before = &bytes[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        // Count characters by skipping UTF-8 continuation bytes.
        let column = 1 + before[line_start..]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        ParseError {
            offset,
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {} (byte {})",
            self.message, self.line, self.column, self.offset
        )
    }
}

impl std::error::Error for ParseError {}

/// First difference found, with a JSONPath-like location such as
/// `$.entry[2].resource.name[0].given[1]`.
///
/// Only the first difference is reported: one is enough to fail a
/// round-trip test, and stopping early keeps comparison cheap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Where the documents diverge. Keys that are not plain identifiers are
    /// written in bracket form, e.g. `$["a b"]`.
    pub path: String,
    /// Short rendering (about 80 characters at most) of the left value, or
    /// `(absent)` when the key only exists on the right.
    pub left: String,
    /// Short rendering of the right value, or `(absent)`.
    pub right: String,
    /// Kind of mismatch, e.g. `"number text differs"`; static so callers
    /// can match on it.
    pub what: &'static str,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {} vs {}",
            self.path, self.what, self.left, self.right
        )
    }
}

impl std::error::Error for Difference {}

/// Outcome of [`compare_bytes`] when the documents are not equal, keeping
/// "could not even read it" apart from "read both, they differ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareError {
    /// One input is not valid JSON; `side` is `"left"` or `"right"`.
    Parse {
        /// Which input failed: `"left"` or `"right"`.
        side: &'static str,
        /// What went wrong and where.
        error: ParseError,
    },
    /// Both inputs parsed but are not equal.
    Differ(Difference),
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::Parse { side, error } => {
                write!(f, "{side} document is not valid JSON: {error}")
            }
            CompareError::Differ(difference) => difference.fmt(f),
        }
    }
}

// The inner error is already part of the Display text, so it is not also
// exposed as `source()` (that would print it twice in error chains).
impl std::error::Error for CompareError {}

/// Checks two JSON trees for equality: object key order is ignored, numbers
/// are compared by exact text, strings by unescaped content.
///
/// The first difference is chosen deterministically: depth first, walking
/// each left object's keys in source order, then keys only on the right.
/// Recursion depth equals the tree depth, which [`JsonTree::parse`] bounds
/// by [`MAX_DEPTH`].
///
/// # Errors
///
/// Returns the first [`Difference`] when the trees are not equal.
pub fn compare(left: &JsonTree, right: &JsonTree) -> Result<(), Difference> {
    let mut path = Vec::new();
    compare_at(left, right, &mut path)
}

/// Parses both inputs and compares them; the one-call form the conformance
/// test uses on raw file contents and encoder output.
///
/// # Errors
///
/// [`CompareError::Parse`] if either input is not strict JSON (the left one
/// is checked first), otherwise [`CompareError::Differ`] with the first
/// difference.
pub fn compare_bytes(left: &[u8], right: &[u8]) -> Result<(), CompareError> {
    let left = JsonTree::parse(left).map_err(|error| CompareError::Parse {
        side: "left",
        error,
    })?;
    let right = JsonTree::parse(right).map_err(|error| CompareError::Parse {
        side: "right",
        error,
    })?;
    compare(&left, &right).map_err(CompareError::Differ)
}

// ---------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------

/// Recursive-descent parser over already validated UTF-8.
///
/// Keeps both views of the input: bytes for fast scanning and `&str` for
/// slicing out string and number text without re-validation.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &'static str) -> ParseError {
        ParseError::at(self.bytes, self.pos, message)
    }

    fn error_at(&self, offset: usize, message: &'static str) -> ParseError {
        ParseError::at(self.bytes, offset, message)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Slices the source text. All callers cut at ASCII delimiters, so the
    /// error branch is unreachable; it exists so the parser can never panic.
    fn slice(&self, start: usize, end: usize) -> Result<&'a str, ParseError> {
        self.text.get(start..end).ok_or_else(|| {
            self.error_at(
                start,
                "internal error: slice is not on a character boundary",
            )
        })
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Parses the value at the current position (no leading whitespace).
    /// `depth` is the number of containers enclosing this value.
    fn parse_value(&mut self, depth: usize) -> Result<JsonTree, ParseError> {
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => self.parse_object(depth),
            Some(b'[') => self.parse_array(depth),
            Some(b'"') => Ok(JsonTree::String(self.parse_string()?)),
            Some(b't') => self.parse_literal(b"true", JsonTree::Bool(true)),
            Some(b'f') => self.parse_literal(b"false", JsonTree::Bool(false)),
            Some(b'n') => self.parse_literal(b"null", JsonTree::Null),
            Some(b'-' | b'0'..=b'9') => self.parse_number(),
            Some(_) => Err(self.error("unexpected character, expected a JSON value")),
        }
    }

    fn parse_literal(&mut self, word: &[u8], value: JsonTree) -> Result<JsonTree, ParseError> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("invalid literal, expected true, false or null"))
        }
    }

    fn parse_array(&mut self, depth: usize) -> Result<JsonTree, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JsonTree::Array(items));
        }
        loop {
            items.push(self.parse_value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        return Err(self.error("trailing comma in array"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonTree::Array(items));
                }
                None => return Err(self.error("unexpected end of input in array")),
                Some(_) => return Err(self.error("expected ',' or ']' in array")),
            }
        }
    }

    fn parse_object(&mut self, depth: usize) -> Result<JsonTree, ParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.pos += 1; // '{'
        let mut members: Vec<(String, JsonTree)> = Vec::new();
        // Duplicate detection: a linear scan while the object is small, a
        // key set once it grows, so huge objects stay linear overall.
        let mut seen: Option<HashSet<String>> = None;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JsonTree::Object(members));
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("unexpected end of input in object")),
                Some(_) => return Err(self.error("expected a string key in object")),
            }
            let key_offset = self.pos;
            let key = self.parse_string()?;
            let duplicate = match &mut seen {
                Some(set) => !set.insert(key.clone()),
                None => members.iter().any(|(k, _)| *k == key),
            };
            if duplicate {
                return Err(self.error_at(key_offset, "duplicate key"));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after object key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.parse_value(depth + 1)?;
            members.push((key, value));
            if seen.is_none() && members.len() > LINEAR_LOOKUP_LIMIT {
                seen = Some(members.iter().map(|(k, _)| k.clone()).collect());
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b'}') {
                        return Err(self.error("trailing comma in object"));
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonTree::Object(members));
                }
                None => return Err(self.error("unexpected end of input in object")),
                Some(_) => return Err(self.error("expected ',' or '}' in object")),
            }
        }
    }

    /// Parses a string starting at its opening quote and returns the
    /// unescaped content.
    fn parse_string(&mut self) -> Result<String, ParseError> {
        let start = self.pos + 1;
        let bytes = self.bytes;
        let mut i = start;
        // Fast path: most strings have no escapes and can be copied whole.
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'"' {
                let content = self.slice(start, i)?;
                self.pos = i + 1;
                return Ok(content.to_owned());
            }
            if b == b'\\' || b < 0x20 {
                break;
            }
            i += 1;
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(self.slice(start, i)?);
        self.pos = i;
        self.parse_string_rest(&mut out)?;
        Ok(out)
    }

    /// Slow path of [`Parser::parse_string`]: continues at the first escape
    /// or problem byte, copying unescaped runs in bulk.
    fn parse_string_rest(&mut self, out: &mut String) -> Result<(), ParseError> {
        let bytes = self.bytes;
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => self.parse_escape(out)?,
                Some(b) if b < 0x20 => {
                    return Err(self.error("unescaped control character in string"));
                }
                Some(_) => {
                    let run_start = self.pos;
                    let mut i = run_start;
                    while i < bytes.len() {
                        let b = bytes[i];
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        i += 1;
                    }
                    out.push_str(self.slice(run_start, i)?);
                    self.pos = i;
                }
            }
        }
    }

    /// Decodes one escape sequence starting at its backslash.
    fn parse_escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let escape_start = self.pos;
        let decoded = match self.bytes.get(self.pos + 1) {
            None => return Err(self.error("unterminated string")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(self.pos + 2)?;
                self.pos += 6;
                let code = match first {
                    0xD800..=0xDBFF => {
                        // A high surrogate is only valid as the first half
                        // of a pair written as two consecutive escapes.
                        if self.bytes.get(self.pos) != Some(&b'\\')
                            || self.bytes.get(self.pos + 1) != Some(&b'u')
                        {
                            return Err(self.error_at(escape_start, "unpaired high surrogate"));
                        }
                        let second = self.hex4(self.pos + 2)?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(self.error_at(escape_start, "unpaired high surrogate"));
                        }
                        self.pos += 6;
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.error_at(escape_start, "unpaired low surrogate"));
                    }
                    other => other,
                };
                match char::from_u32(code) {
                    Some(c) => out.push(c),
                    None => return Err(self.error_at(escape_start, "invalid \\u escape")),
                }
                return Ok(());
            }
            Some(_) => return Err(self.error("invalid escape sequence")),
        };
        out.push(decoded);
        self.pos += 2;
        Ok(())
    }

    /// Reads the four hex digits of a `\u` escape at `at`.
    fn hex4(&self, at: usize) -> Result<u32, ParseError> {
        let Some(digits) = self.bytes.get(at..at + 4) else {
            return Err(self.error_at(at, "incomplete \\u escape"));
        };
        let mut value = 0u32;
        for (k, &b) in digits.iter().enumerate() {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error_at(at + k, "invalid hex digit in \\u escape")),
            };
            value = value * 16 + u32::from(digit);
        }
        Ok(value)
    }

    /// Validates the RFC 8259 number grammar and keeps the text verbatim.
    fn parse_number(&mut self) -> Result<JsonTree, ParseError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if let Some(b'0'..=b'9') = bytes.get(i) {
                    return Err(self.error_at(start, "leading zeros are not allowed"));
                }
            }
            Some(b'1'..=b'9') => i = skip_digits(bytes, i + 1),
            _ => return Err(self.error_at(i, "expected a digit")),
        }
        if bytes.get(i) == Some(&b'.') {
            let fraction = skip_digits(bytes, i + 1);
            if fraction == i + 1 {
                return Err(self.error_at(i + 1, "expected a digit after the decimal point"));
            }
            i = fraction;
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            let exponent = skip_digits(bytes, i);
            if exponent == i {
                return Err(self.error_at(i, "expected a digit in the exponent"));
            }
            i = exponent;
        }
        let text = self.slice(start, i)?;
        self.pos = i;
        Ok(JsonTree::Number(text.into()))
    }
}

fn skip_digits(bytes: &[u8], mut i: usize) -> usize {
    while let Some(b'0'..=b'9') = bytes.get(i) {
        i += 1;
    }
    i
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

/// One step of the location being compared. The path is kept as borrowed
/// segments and only formatted when a difference is reported, so equal
/// documents cost no path allocations.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn compare_at<'a>(
    left: &'a JsonTree,
    right: &'a JsonTree,
    path: &mut Vec<Segment<'a>>,
) -> Result<(), Difference> {
    match (left, right) {
        (JsonTree::Null, JsonTree::Null) => Ok(()),
        (JsonTree::Bool(a), JsonTree::Bool(b)) => check(a == b, path, "bool differs", left, right),
        (JsonTree::Number(a), JsonTree::Number(b)) => {
            check(a == b, path, "number text differs", left, right)
        }
        (JsonTree::String(a), JsonTree::String(b)) => {
            check(a == b, path, "string differs", left, right)
        }
        (JsonTree::Array(a), JsonTree::Array(b)) => {
            // Length first: after an inserted or dropped element every later
            // element would mismatch, and the first of those is misleading.
            if a.len() != b.len() {
                return Err(Difference {
                    path: format_path(path),
                    left: render_with_prefix(&format!("{} elements: ", a.len()), left),
                    right: render_with_prefix(&format!("{} elements: ", b.len()), right),
                    what: "array length differs",
                });
            }
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(Segment::Index(index));
                compare_at(x, y, path)?;
                path.pop();
            }
            Ok(())
        }
        (JsonTree::Object(a), JsonTree::Object(b)) => compare_objects(a, b, path),
        _ => check(false, path, "type differs", left, right),
    }
}

fn check(
    equal: bool,
    path: &[Segment<'_>],
    what: &'static str,
    left: &JsonTree,
    right: &JsonTree,
) -> Result<(), Difference> {
    if equal {
        Ok(())
    } else {
        Err(Difference {
            path: format_path(path),
            left: render_with_prefix("", left),
            right: render_with_prefix("", right),
            what,
        })
    }
}

fn compare_objects<'a>(
    left: &'a [(String, JsonTree)],
    right: &'a [(String, JsonTree)],
    path: &mut Vec<Segment<'a>>,
) -> Result<(), Difference> {
    let right_lookup = KeyLookup::new(right);
    for (key, left_value) in left {
        path.push(Segment::Key(key));
        match right_lookup.get(key) {
            Some(right_value) => compare_at(left_value, right_value, path)?,
            None => {
                return Err(Difference {
                    path: format_path(path),
                    left: render_with_prefix("", left_value),
                    right: ABSENT.to_owned(),
                    what: "missing key on right",
                });
            }
        }
        path.pop();
    }
    // Every left key matched. Extra right keys are still possible (the sizes
    // can differ, or a hand-built tree may repeat a key), so look for them.
    let left_lookup = KeyLookup::new(left);
    for (key, right_value) in right {
        if left_lookup.get(key).is_none() {
            path.push(Segment::Key(key));
            return Err(Difference {
                path: format_path(path),
                left: ABSENT.to_owned(),
                right: render_with_prefix("", right_value),
                what: "extra key on right",
            });
        }
    }
    Ok(())
}

/// Key → value look-up for one object, linear for small objects and hashed
/// for large ones. With repeated keys (possible only in hand-built trees)
/// both forms return the first occurrence.
enum KeyLookup<'a> {
    Linear(&'a [(String, JsonTree)]),
    Hashed(HashMap<&'a str, &'a JsonTree>),
}

impl<'a> KeyLookup<'a> {
    fn new(members: &'a [(String, JsonTree)]) -> KeyLookup<'a> {
        if members.len() <= LINEAR_LOOKUP_LIMIT {
            return KeyLookup::Linear(members);
        }
        let mut map = HashMap::with_capacity(members.len());
        for (key, value) in members {
            map.entry(key.as_str()).or_insert(value);
        }
        KeyLookup::Hashed(map)
    }

    fn get(&self, key: &str) -> Option<&'a JsonTree> {
        match self {
            KeyLookup::Linear(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            KeyLookup::Hashed(map) => map.get(key).copied(),
        }
    }
}

/// Formats a path as `$.key[3]`, using `["..."]` for keys that would be
/// ambiguous in dot form.
fn format_path(path: &[Segment<'_>]) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            Segment::Key(key) if is_plain_key(key) => {
                out.push('.');
                out.push_str(key);
            }
            Segment::Key(key) => {
                out.push('[');
                write_json_string(key, &mut out, usize::MAX);
                out.push(']');
            }
            Segment::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    out
}

fn is_plain_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    match bytes.next() {
        Some(b) if b.is_ascii_alphabetic() || b == b'_' => {}
        _ => return false,
    }
    bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Renders a value as compact JSON cut to about [`RENDER_LIMIT`] characters.
/// Rendering stops as soon as the limit is passed, so a difference at the
/// root of a multi-megabyte Bundle does not serialise the whole Bundle.
fn render_with_prefix(prefix: &str, value: &JsonTree) -> String {
    let limit = prefix.len() + RENDER_LIMIT;
    let mut out = String::with_capacity(limit + 8);
    out.push_str(prefix);
    write_compact(value, &mut out, limit);
    if out.len() > limit {
        let mut cut = limit - 3;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

/// Writes compact JSON until `out` exceeds `limit` bytes. Recursion depth is
/// bounded by the limit because every nesting level writes a bracket.
fn write_compact(value: &JsonTree, out: &mut String, limit: usize) {
    if out.len() > limit {
        return;
    }
    match value {
        JsonTree::Null => out.push_str("null"),
        JsonTree::Bool(true) => out.push_str("true"),
        JsonTree::Bool(false) => out.push_str("false"),
        JsonTree::Number(text) => out.push_str(text),
        JsonTree::String(text) => write_json_string(text, out, limit),
        JsonTree::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if out.len() > limit {
                    return;
                }
                if index > 0 {
                    out.push(',');
                }
                write_compact(item, out, limit);
            }
            out.push(']');
        }
        JsonTree::Object(members) => {
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if out.len() > limit {
                    return;
                }
                if index > 0 {
                    out.push(',');
                }
                write_json_string(key, out, limit);
                out.push(':');
                write_compact(item, out, limit);
            }
            out.push('}');
        }
    }
}

/// Writes `text` as a quoted JSON string, stopping once `out` exceeds
/// `limit` bytes. Escaping makes invisible differences (a trailing tab, a
/// control character) visible in the report.
fn write_json_string(text: &str, out: &mut String, limit: usize) {
    out.push('"');
    for c in text.chars() {
        if out.len() > limit {
            return;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> JsonTree {
        match JsonTree::parse(text.as_bytes()) {
            Ok(tree) => tree,
            Err(e) => panic!("failed to parse {text:?}: {e}"),
        }
    }

    fn parse_err(bytes: &[u8]) -> ParseError {
        match JsonTree::parse(bytes) {
            Ok(tree) => panic!("expected an error for {bytes:?}, got {tree:?}"),
            Err(e) => e,
        }
    }

    fn diff(left: &str, right: &str) -> Difference {
        match compare(&parse(left), &parse(right)) {
            Ok(()) => panic!("expected a difference between {left} and {right}"),
            Err(d) => d,
        }
    }

    fn same(left: &str, right: &str) {
        if let Err(d) = compare(&parse(left), &parse(right)) {
            panic!("expected {left} and {right} to be equal, got {d}");
        }
    }

    #[test]
    fn parses_all_value_kinds() {
        let tree = parse(r#" {"a": [null, true, false, -1.5e3, "x"], "b": {}} "#);
        let JsonTree::Object(members) = tree else {
            panic!("not an object")
        };
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].0, "a");
        let JsonTree::Array(items) = &members[0].1 else {
            panic!("not an array")
        };
        assert!(matches!(items[0], JsonTree::Null));
        assert!(matches!(items[1], JsonTree::Bool(true)));
        assert!(matches!(items[2], JsonTree::Bool(false)));
        assert!(matches!(&items[3], JsonTree::Number(n) if &**n == "-1.5e3"));
        assert!(matches!(&items[4], JsonTree::String(s) if s == "x"));
        assert!(matches!(&members[1].1, JsonTree::Object(m) if m.is_empty()));
    }

    #[test]
    fn number_text_is_kept_verbatim() {
        for text in [
            "0",
            "-0",
            "0.10",
            "1E+2",
            "1e-07",
            "-0.0e0",
            "123456789012345678901234567890",
        ] {
            match parse(text) {
                JsonTree::Number(n) => assert_eq!(&*n, text),
                other => panic!("{text} parsed as {other:?}"),
            }
        }
    }

    #[test]
    fn number_text_differences_are_reported() {
        for (left, right) in [
            ("0.10", "0.1"),
            ("1e2", "100"),
            ("1.0", "1"),
            ("1e2", "1E2"),
            ("-0", "0"),
        ] {
            let d = diff(left, right);
            assert_eq!(d.what, "number text differs");
            assert_eq!(d.path, "$");
            assert_eq!(d.left, left);
            assert_eq!(d.right, right);
        }
        same("[0.10, 1e2]", "[0.10,1e2]");
    }

    #[test]
    fn object_key_order_is_ignored() {
        same(
            r#"{"a": 1, "b": {"x": true, "y": null}, "c": [1, 2]}"#,
            r#"{"c": [1, 2], "b": {"y": null, "x": true}, "a": 1}"#,
        );
    }

    #[test]
    fn large_objects_in_any_order_compare_equal() {
        let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let forward = format!("{{{}}}", keys.join(","));
        let mut reversed_keys = keys.clone();
        reversed_keys.reverse();
        let backward = format!("{{{}}}", reversed_keys.join(","));
        same(&forward, &backward);

        let mut changed = keys.clone();
        changed[70] = "\"k70\": 70.0".to_owned();
        let d = diff(&forward, &format!("{{{}}}", changed.join(",")));
        assert_eq!(d.path, "$.k70");
        assert_eq!(d.what, "number text differs");

        let mut renamed = keys;
        renamed[99] = "\"zz\": 99".to_owned();
        let d = diff(&forward, &format!("{{{}}}", renamed.join(",")));
        assert_eq!(d.path, "$.k99");
        assert_eq!(d.what, "missing key on right");
    }

    #[test]
    fn escaped_and_literal_strings_are_equal() {
        same(r#""\u00e9""#, "\"é\"");
        same(r#""a\/b""#, r#""a/b""#);
        same(r#""\u0041\u00DF""#, "\"Aß\"");
        match parse(r#""\"\\\/\b\f\n\r\t""#) {
            JsonTree::String(s) => assert_eq!(s, "\"\\/\u{8}\u{c}\n\r\t"),
            other => panic!("{other:?}"),
        }
        // Keys are unescaped too.
        same(r#"{"\u0061": 1}"#, r#"{"a": 1}"#);
    }

    #[test]
    fn surrogate_pairs_decode_to_one_character() {
        match parse(r#""x\ud83d\uDE00y""#) {
            JsonTree::String(s) => assert_eq!(s, "x\u{1F600}y"),
            other => panic!("{other:?}"),
        }
        same(r#""\uD834\uDD1E""#, "\"\u{1D11E}\"");
    }

    #[test]
    fn lone_surrogates_are_rejected() {
        assert_eq!(parse_err(br#""\ud83d""#).message, "unpaired high surrogate");
        assert_eq!(
            parse_err(br#""\ud83dx""#).message,
            "unpaired high surrogate"
        );
        assert_eq!(
            parse_err(br#""\ud83d\u0041""#).message,
            "unpaired high surrogate"
        );
        assert_eq!(
            parse_err(br#""\ud83d\ud83d""#).message,
            "unpaired high surrogate"
        );
        assert_eq!(parse_err(br#""\ude00""#).message, "unpaired low surrogate");
        let e = parse_err(br#"["ok", "ab\udc00"]"#);
        assert_eq!(e.offset, 10);
    }

    #[test]
    fn invalid_escapes_are_rejected() {
        assert_eq!(parse_err(br#""\x41""#).message, "invalid escape sequence");
        assert_eq!(
            parse_err(br#""\u12G4""#).message,
            "invalid hex digit in \\u escape"
        );
        assert_eq!(parse_err(br#""\u12"#).message, "incomplete \\u escape");
        assert_eq!(parse_err(br#""\"#).message, "unterminated string");
        assert_eq!(parse_err(br#""\'""#).message, "invalid escape sequence");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let e = parse_err(br#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(e.message, "duplicate key");
        assert_eq!(e.offset, 17);
        // Same key written with different escapes is still a duplicate.
        assert_eq!(
            parse_err(br#"{"a": 1, "\u0061": 2}"#).message,
            "duplicate key"
        );
        // Nested objects have their own key space.
        parse(r#"{"a": {"a": 1}, "b": {"a": 2}}"#);
        // Large objects switch to a key set; detection must still work.
        let mut big: Vec<String> = (0..50).map(|i| format!("\"k{i}\": {i}")).collect();
        big.push("\"k3\": 0".to_owned());
        let text = format!("{{{}}}", big.join(","));
        assert_eq!(parse_err(text.as_bytes()).message, "duplicate key");
    }

    #[test]
    fn byte_order_mark_is_rejected() {
        let e = parse_err(b"\xEF\xBB\xBF{}");
        assert_eq!(e.message, "byte order mark is not allowed");
        assert_eq!(e.offset, 0);
        // Not at the start it is just an unexpected character.
        assert!(JsonTree::parse(b"{}\xEF\xBB\xBF").is_err());
    }

    #[test]
    fn trailing_commas_are_rejected() {
        assert_eq!(parse_err(b"[1, 2,]").message, "trailing comma in array");
        assert_eq!(
            parse_err(b"{\"a\": 1,\n}").message,
            "trailing comma in object"
        );
        assert!(JsonTree::parse(b"[,]").is_err());
        assert!(JsonTree::parse(b"[1,,2]").is_err());
        assert!(JsonTree::parse(b"{,}").is_err());
    }

    #[test]
    fn comments_and_non_json_literals_are_rejected() {
        for text in [
            "// c\n1",
            "/* c */ 1",
            "[1 /* c */]",
            "NaN",
            "Infinity",
            "-Infinity",
            "[nan]",
            "tru",
            "nul",
            "True",
            "'a'",
            "{a: 1}",
            "undefined",
        ] {
            assert!(JsonTree::parse(text.as_bytes()).is_err(), "{text} accepted");
        }
    }

    #[test]
    fn malformed_numbers_are_rejected() {
        for text in [
            "01", "-01", "00", "-", "+1", ".5", "1.", "1.e5", "1e", "1e+", "0x10", "1_000", "- 1",
            "2.5E",
        ] {
            assert!(JsonTree::parse(text.as_bytes()).is_err(), "{text} accepted");
        }
        assert_eq!(parse_err(b"[007]").message, "leading zeros are not allowed");
    }

    #[test]
    fn control_characters_in_strings_are_rejected() {
        assert_eq!(
            parse_err(b"\"a\tb\"").message,
            "unescaped control character in string"
        );
        assert_eq!(
            parse_err(b"\"a\nb\"").message,
            "unescaped control character in string"
        );
        assert_eq!(
            parse_err(b"\"a\\n\x01\"").message,
            "unescaped control character in string"
        );
        assert!(JsonTree::parse(b"\"\x00\"").is_err());
        // DEL is not a control character for JSON.
        parse("\"\u{7f}\"");
    }

    #[test]
    fn trailing_garbage_and_empty_input_are_rejected() {
        assert_eq!(
            parse_err(b"{} {}").message,
            "unexpected characters after the JSON value"
        );
        assert!(JsonTree::parse(b"1 2").is_err());
        assert!(JsonTree::parse(b"truex").is_err());
        assert!(JsonTree::parse(b"[1]]").is_err());
        assert!(JsonTree::parse(b"\"a\"\0").is_err());
        assert_eq!(parse_err(b"").message, "unexpected end of input");
        assert_eq!(parse_err(b" \n\t ").message, "unexpected end of input");
        assert!(JsonTree::parse(b"\x0c1").is_err()); // form feed is not whitespace
        assert!(JsonTree::parse(b"[1, 2").is_err());
        assert!(JsonTree::parse(b"{\"a\"").is_err());
        assert!(JsonTree::parse(b"{\"a\":").is_err());
        assert!(JsonTree::parse(b"\"abc").is_err());
        parse(" \r\n\t[ 1 ,\r\n 2 ]\n ");
    }

    #[test]
    fn invalid_utf8_is_rejected() {
        let e = parse_err(b"[\"ab\xFFc\"]");
        assert_eq!(e.message, "invalid UTF-8");
        assert_eq!(e.offset, 4);
        assert!(JsonTree::parse(b"\"\xC0\xAF\"").is_err()); // overlong '/'
        assert!(JsonTree::parse(b"\"\xE2\x82\"").is_err()); // truncated sequence
        assert!(JsonTree::parse(b"\"\xED\xA0\x80\"").is_err()); // encoded surrogate
        assert!(JsonTree::parse(b"\xFF").is_err());
        // Valid multi-byte text is fine.
        same(
            "\"日本語 \u{1F600}\"",
            r#""\u65e5\u672c\u8a9e \ud83d\ude00""#,
        );
    }

    #[test]
    fn deep_nesting_returns_an_error() {
        let deep = vec![b'['; 100_000];
        assert_eq!(parse_err(&deep).message, "nesting too deep");
        let deep_objects = "{\"a\":".repeat(100_000);
        assert_eq!(
            parse_err(deep_objects.as_bytes()).message,
            "nesting too deep"
        );

        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let tree = parse(&ok);
        same(&ok, &ok);
        drop(tree);
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let e = parse_err(too_deep.as_bytes());
        assert_eq!(e.message, "nesting too deep");
        assert_eq!(e.offset, MAX_DEPTH);
    }

    #[test]
    fn error_positions_count_lines_and_characters() {
        let e = parse_err("{\n  \"né\": 1,\n  \"b\": tru\n}".as_bytes());
        assert_eq!(e.line, 3);
        assert_eq!(e.column, 8);
        assert_eq!(e.offset, 21);
        assert_eq!(
            e.to_string(),
            format!("{} at line 3, column 8 (byte 21)", e.message)
        );
        let e = parse_err("\"é\u{1}\"".as_bytes());
        assert_eq!((e.line, e.column, e.offset), (1, 3, 3));
    }

    #[test]
    fn path_format_follows_jsonpath() {
        let left = r#"{"resourceType": "Bundle", "entry": [{}, {}, {"resource": {"name": [{"given": ["A", "B"]}]}}]}"#;
        let right = r#"{"entry": [{}, {}, {"resource": {"name": [{"given": ["A", "C"]}]}}], "resourceType": "Bundle"}"#;
        let d = diff(left, right);
        assert_eq!(d.path, "$.entry[2].resource.name[0].given[1]");
        assert_eq!(d.what, "string differs");
        assert_eq!(d.left, "\"B\"");
        assert_eq!(d.right, "\"C\"");
        assert_eq!(
            d.to_string(),
            "$.entry[2].resource.name[0].given[1]: string differs: \"B\" vs \"C\""
        );

        let d = diff(
            r#"{"a b": {"_x1": [0, {"9": 1}]}}"#,
            r#"{"a b": {"_x1": [0, {"9": 2}]}}"#,
        );
        assert_eq!(d.path, r#"$["a b"]._x1[1]["9"]"#);
        let d = diff(r#"{"q\"": 1}"#, r#"{"q\"": 2}"#);
        assert_eq!(d.path, r#"$["q\""]"#);
    }

    #[test]
    fn missing_and_extra_keys_are_reported() {
        let d = diff(r#"{"a": 1, "b": [true]}"#, r#"{"a": 1}"#);
        assert_eq!(d.what, "missing key on right");
        assert_eq!(d.path, "$.b");
        assert_eq!(d.left, "[true]");
        assert_eq!(d.right, "(absent)");

        let d = diff(r#"{"a": 1}"#, r#"{"z": {"k": "v"}, "a": 1}"#);
        assert_eq!(d.what, "extra key on right");
        assert_eq!(d.path, "$.z");
        assert_eq!(d.left, "(absent)");
        assert_eq!(d.right, r#"{"k":"v"}"#);

        // Same size, different key set: the left walk finds it first.
        let d = diff(r#"{"a": 1, "b": 2}"#, r#"{"a": 1, "c": 2}"#);
        assert_eq!((d.path.as_str(), d.what), ("$.b", "missing key on right"));
    }

    #[test]
    fn array_length_type_and_bool_differences() {
        let d = diff("[1, 2, 3]", "[1, 2]");
        assert_eq!(d.what, "array length differs");
        assert_eq!(d.path, "$");
        assert_eq!(d.left, "3 elements: [1,2,3]");
        assert_eq!(d.right, "2 elements: [1,2]");
        same("[]", "[ ]");

        let d = diff(r#"{"a": "1"}"#, r#"{"a": 1}"#);
        assert_eq!((d.path.as_str(), d.what), ("$.a", "type differs"));
        assert_eq!((d.left.as_str(), d.right.as_str()), ("\"1\"", "1"));
        assert_eq!(diff("null", "false").what, "type differs");
        assert_eq!(diff("[]", "{}").what, "type differs");
        assert_eq!(diff("[[true]]", "[[false]]").what, "bool differs");
        assert_eq!(diff(r#""a""#, r#""a ""#).what, "string differs");
        same("null", "null");
    }

    #[test]
    fn first_difference_follows_left_key_order() {
        let left = r#"{"z": 1, "m": 2, "a": 3, "only_left": 0}"#;
        let right = r#"{"a": 30, "m": 20, "z": 10, "only_right": 0}"#;
        let d = diff(left, right);
        assert_eq!(d.path, "$.z");
        // Differences inside an earlier key win over a later missing key.
        let d = diff(r#"{"a": [1], "b": 1}"#, r#"{"a": [2]}"#);
        assert_eq!(d.path, "$.a[0]");
        // Repeatable.
        for _ in 0..3 {
            assert_eq!(diff(left, right).path, "$.z");
        }
    }

    #[test]
    fn renderings_are_short_and_safe() {
        let long = format!("\"{}\"", "é".repeat(1000));
        let d = diff(&long, "\"x\"");
        assert!(d.left.chars().count() <= RENDER_LIMIT, "{}", d.left);
        assert!(d.left.ends_with("..."));
        assert!(d.left.starts_with("\"éé"));

        let big_array = format!("[{}]", vec!["{\"k\": \"value\"}"; 10_000].join(","));
        let d = diff(&big_array, "[]");
        assert!(d.left.len() <= RENDER_LIMIT + 20, "{}", d.left);
        assert!(d.left.starts_with("10000 elements: [{\"k\":\"value\"}"));

        let d = diff(r#""tab\there""#, r#""tab here""#);
        assert_eq!(d.left, r#""tab\there""#);
        let d = diff(r#""\u0001""#, r#""""#);
        assert_eq!(d.left, r#""\u0001""#);
    }

    #[test]
    fn compare_bytes_reports_parse_errors_and_differences() {
        assert_eq!(compare_bytes(b"{\"a\": 0.10}", b"{ \"a\":0.10 }"), Ok(()));

        let err = compare_bytes(b"{\"a\": 1,}", b"{}").unwrap_err();
        assert!(
            matches!(err, CompareError::Parse { side: "left", .. }),
            "{err:?}"
        );
        assert!(err
            .to_string()
            .starts_with("left document is not valid JSON: trailing comma in object"));

        let err = compare_bytes(b"{}", b"{\"a\": 01}").unwrap_err();
        assert!(
            matches!(err, CompareError::Parse { side: "right", .. }),
            "{err:?}"
        );

        let err = compare_bytes(b"{\"a\": 0.10}", b"{\"a\": 0.1}").unwrap_err();
        match &err {
            CompareError::Differ(d) => assert_eq!(d.path, "$.a"),
            other => panic!("{other:?}"),
        }
        assert_eq!(err.to_string(), "$.a: number text differs: 0.10 vs 0.1");
    }

    /// Feeds truncations and byte mutations of a realistic document to the
    /// parser; it must return (Ok or Err) without panicking every time.
    #[test]
    fn never_panics_on_mangled_input() {
        let doc = "{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"J\\u00e9r\\u00f4me\",\"\\ud83d\\ude00\"]}],\
                   \"birthDate\":\"1970-01-01\",\"x\":[-0.10e+2,true,false,null,{}],\"t\":\"日本\"}";
        let bytes = doc.as_bytes();
        parse(doc);
        for end in 0..bytes.len() {
            let _ = JsonTree::parse(&bytes[..end]);
        }
        let replacements = [
            b'"', b'\\', b'{', b'[', b']', b'}', b',', b':', b'u', b'0', 0x80, 0xFF, b' ', 0,
        ];
        let mut state: u32 = 12345;
        for _ in 0..5_000 {
            // Small linear congruential generator: deterministic, no deps.
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let at = (state >> 8) as usize % bytes.len();
            let with = replacements[(state >> 20) as usize % replacements.len()];
            let mut mangled = bytes.to_vec();
            mangled[at] = with;
            if let Ok(tree) = JsonTree::parse(&mangled) {
                let _ = compare(&tree, &parse(doc));
            }
        }
    }
}
