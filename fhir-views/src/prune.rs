//! Leaving out, before decoding, the top-level members of a resource that a view never reads.
//!
//! A view names the elements it reads in its paths; the typed decoder would otherwise build
//! (and then free) every element of every resource: the narrative, identifiers, components,
//! reference ranges. [`MemberFilter`] collects the names a view's paths use (every identifier
//! in them, function names included, so the filter errs on keeping), and [`prune`] copies a
//! line's JSON object without the other top-level members. A choice element is kept when its
//! base name is used (`value` keeps `valueQuantity`), a primitive's `_name` with `name`, and
//! `resourceType`, `id` and the type's required elements always. Paths that can reach elements without naming them
//! (`children()`, `descendants()`, `resolve()`, FHIRPath's `repeat()` ...) turn the filter
//! off.
//!
//! What is left out is not decoded, so it is not checked either: a value the lenient reader
//! would repair, or broken JSON inside a member the view does not read, is not reported.
//! Strict reading (`--strict`) decodes whole resources.

use crate::view::{Iterate, Select, ViewDefinition};
use std::collections::HashSet;

/// Functions that reach elements without naming them: with one of these, nothing is left out.
const REACHING: [&str; 8] = [
    "children",
    "descendants",
    "resolve",
    "repeat",
    "conformsTo",
    "memberOf",
    "htmlChecks",
    "elementDefinition",
];

/// The top-level members a view may read.
#[derive(Debug, Clone)]
pub struct MemberFilter {
    /// The names used, as bytes, sorted (a few dozen at most: a linear search is fastest).
    names: Vec<Vec<u8>>,
    /// For each first byte, the range of `names` that start with it.
    by_first: Box<[(usize, usize); 256]>,
    /// Off: every member is kept.
    all: bool,
}

impl MemberFilter {
    /// The members `view` (as projected: only the columns it computes) may read.
    pub fn for_view(view: &ViewDefinition) -> MemberFilter {
        let mut texts: Vec<&str> = view.filters.iter().map(|p| p.expr.text()).collect();
        for c in &view.all_columns {
            if view.is_needed(c.position) {
                texts.push(c.path.expr.text());
            }
        }
        fn walk<'v>(selects: &'v [Select], texts: &mut Vec<&'v str>) {
            for s in selects {
                match &s.iterate {
                    Iterate::Once => {}
                    Iterate::ForEach(p) | Iterate::ForEachOrNull(p) => texts.push(p.expr.text()),
                    Iterate::Repeat(paths) => texts.extend(paths.iter().map(|p| p.expr.text())),
                }
                walk(&s.select, texts);
                walk(&s.union_all, texts);
            }
        }
        walk(&view.select, &mut texts);
        let mut names = HashSet::new();
        for t in texts {
            identifiers(t, &mut names);
        }
        // Required members stay (the decoder reports them missing otherwise): the names
        // the lenient reader finds missing in an empty resource of the view's type.
        let probe = format!(r#"{{"resourceType":"{}"}}"#, view.resource);
        let prefix = format!("{}.", view.resource);
        if let Ok(read) = fhir_model::json::Reader::lenient().read_resource(probe.as_bytes()) {
            for issue in read.issues {
                if let Some(rest) = issue.path.strip_prefix(&prefix) {
                    let name = rest.split(['.', '[']).next().unwrap_or(rest);
                    names.insert(name.to_owned());
                }
            }
        }
        let all = REACHING.iter().any(|f| names.contains(*f));
        for always in ["resourceType", "id"] {
            names.insert(always.to_owned());
        }
        let mut names: Vec<Vec<u8>> = names.into_iter().map(String::into_bytes).collect();
        names.sort();
        MemberFilter::new(names, all)
    }

    /// The filter that keeps everything.
    pub fn all() -> MemberFilter {
        MemberFilter::new(Vec::new(), true)
    }

    fn new(names: Vec<Vec<u8>>, all: bool) -> MemberFilter {
        let mut by_first = Box::new([(0, 0); 256]);
        for (i, name) in names.iter().enumerate() {
            let Some(&first) = name.first() else {
                continue;
            };
            let range = &mut by_first[usize::from(first)];
            if range.0 == range.1 {
                *range = (i, i);
            }
            range.1 = i + 1;
        }
        MemberFilter {
            names,
            by_first,
            all,
        }
    }

    /// Whether this filter leaves anything out.
    pub fn is_active(&self) -> bool {
        !self.all
    }

    /// Whether the member named `key` (raw JSON key bytes, without quotes) is kept.
    pub fn keeps(&self, key: &[u8]) -> bool {
        if self.all || key.contains(&b'\\') {
            return true;
        }
        let key = key.strip_prefix(b"_").unwrap_or(key);
        let Some(&first) = key.first() else {
            return false;
        };
        let (from, to) = self.by_first[usize::from(first)];
        // The name itself, or a choice's base name (`value` for `valueQuantity`).
        self.names[from..to]
            .iter()
            .any(|n| key.starts_with(n) && key.get(n.len()).is_none_or(|c| c.is_ascii_uppercase()))
    }
}

/// Adds the identifiers of a FHIRPath expression's text (outside string literals; the
/// content of a `` `quoted` `` identifier as well).
fn identifiers(text: &str, out: &mut HashSet<String>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'`' => {
                let start = i + 1;
                let len = b[start..]
                    .iter()
                    .position(|&c| c == b'`')
                    .unwrap_or(b.len() - start);
                out.insert(text[start..start + len].to_owned());
                i = start + len + 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.insert(text[start..i].to_owned());
            }
            _ => i += 1,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The index after the string starting at `i` (a `"`).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        let at = quote_or_backslash(b, i)?;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        i = at + 2;
    }
}

/// The first `"` or `\` at or after `i`. Most strings of a resource are short: their first
/// 64 bytes are searched eight at a time in place, longer ones (narratives) with `memchr2`.
fn quote_or_backslash(b: &[u8], mut i: usize) -> Option<usize> {
    let short_end = b.len().min(i.saturating_add(64));
    while i + 8 <= short_end {
        let word = u64::from_le_bytes(b[i..i + 8].try_into().ok()?);
        let found = zero_bytes(word ^ repeat(b'"')) | zero_bytes(word ^ repeat(b'\\'));
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    Some(i + memchr::memchr2(b'"', b'\\', b.get(i..)?)?)
}

/// `byte` in each of the eight bytes of a word.
const fn repeat(byte: u8) -> u64 {
    0x0101_0101_0101_0101 * byte as u64
}

/// A word with the high bit set in the lowest zero byte of `x` (bytes above it may be set
/// too: only the lowest set bit is exact, and only it is used).
const fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(repeat(1)) & !x & repeat(0x80)
}

/// The index after the JSON value starting at `i`; `None` when it is cut short. Only the
/// nesting is followed: the content is checked by the decoder if the value is kept.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let len = b[i..]
                .iter()
                .position(|&c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(b.len() - i);
            (len > 0).then_some(i + len)
        }
    }
}

/// Writes `line` (one JSON object) to `out` without the top-level members `filter` leaves
/// out. `false` (and `out` unusable) when the line is not a well-formed object at the top
/// level: decode the line itself then, so its error is reported as it is.
pub fn prune(line: &[u8], filter: &MemberFilter, out: &mut Vec<u8>) -> bool {
    out.clear();
    let mut i = skip_ws(line, 0);
    if line.get(i) != Some(&b'{') {
        return false;
    }
    out.push(b'{');
    i = skip_ws(line, i + 1);
    if line.get(i) == Some(&b'}') {
        out.push(b'}');
        return skip_ws(line, i + 1) == line.len();
    }
    let mut first = true;
    loop {
        if line.get(i) != Some(&b'"') {
            return false;
        }
        let Some(key_end) = string_end(line, i) else {
            return false;
        };
        let key = &line[i + 1..key_end - 1];
        let colon = skip_ws(line, key_end);
        if line.get(colon) != Some(&b':') {
            return false;
        }
        let value = skip_ws(line, colon + 1);
        let Some(end) = value_end(line, value) else {
            return false;
        };
        if filter.keeps(key) {
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(&line[i..key_end]);
            out.push(b':');
            out.extend_from_slice(&line[value..end]);
        }
        i = skip_ws(line, end);
        match line.get(i) {
            Some(b',') => i = skip_ws(line, i + 1),
            Some(b'}') => {
                out.push(b'}');
                return skip_ws(line, i + 1) == line.len();
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(view: &str) -> MemberFilter {
        let view = ViewDefinition::from_json_str(view).expect("view");
        MemberFilter::for_view(&view)
    }

    const VIEW: &str = r#"{"resource":"Observation","select":[{"column":[
        {"name":"id","path":"getResourceKey()"},
        {"name":"v","path":"value.ofType(Quantity).value"},
        {"name":"s","path":"status.where($this = 'text')"}]}]}"#;

    #[test]
    fn keeps_what_the_paths_name() {
        let f = filter(VIEW);
        assert!(f.is_active());
        for kept in [
            "id",
            "resourceType",
            "valueQuantity",
            "value",
            "status",
            "_status",
        ] {
            assert!(f.keeps(kept.as_bytes()), "{kept}");
        }
        // `text` appears only inside a string literal.
        // `status` and `code` are required in Observation: always kept.
        assert!(f.keeps(b"code"));
        for dropped in ["text", "subject", "valuation", "_text", "category"] {
            assert!(!f.keeps(dropped.as_bytes()), "{dropped}");
        }
        let reaching = filter(
            r#"{"resource":"Patient","select":[{"column":[{"name":"n","path":"descendants().count()"}]}]}"#,
        );
        assert!(!reaching.is_active());
        assert!(reaching.keeps(b"text"));
    }

    /// Strings of every length up to past the in-place search, with quotes and backslashes
    /// escaped at every offset, inside kept and left-out members: the pruned line is the
    /// original object without the left-out members.
    #[test]
    fn finds_string_ends_at_every_offset() {
        let f = filter(VIEW);
        let mut out = Vec::new();
        for len in 0..80 {
            for escape_at in 0..=len {
                let mut text: String = "abcdefghij".chars().cycle().take(len).collect();
                let escape = if escape_at % 2 == 0 { "\\\"" } else { "\\\\" };
                text.insert_str(escape_at, escape);
                let line = format!(
                    r#"{{"resourceType":"Observation","text":{{"div":"{text}","x":["{text}",{{"y":"{text}"}}]}},"status":"{text}","note":"{text}"}}"#
                );
                assert!(prune(line.as_bytes(), &f, &mut out), "{line}");
                let got: serde_json::Value = serde_json::from_slice(&out).expect("pruned JSON");
                let mut want: serde_json::Value = serde_json::from_str(&line).expect("test JSON");
                let object = want.as_object_mut().expect("an object");
                object.remove("text");
                object.remove("note");
                assert_eq!(got, want, "{line}");
            }
        }
    }

    #[test]
    fn leaves_out_unread_members() {
        let f = filter(VIEW);
        let mut out = Vec::new();
        let line = br#" {"resourceType" : "Observation","text":{"div":"<div>a \"}\" ]</div>"},"id":"o1","code":[{"a":[1,2,{"b":null}]}],"status":"final","valueQuantity":{"value":1.50},"issued":true} "#;
        assert!(prune(line, &f, &mut out));
        assert_eq!(
            std::str::from_utf8(&out).expect("utf-8"),
            r#"{"resourceType":"Observation","id":"o1","code":[{"a":[1,2,{"b":null}]}],"status":"final","valueQuantity":{"value":1.50}}"#
        );
        assert!(prune(b"{}", &f, &mut out));
        assert_eq!(out, b"{}");
        for broken in [
            &b"{oops"[..],
            br#"{"id":"x""#,
            br#"{"text":{"div":"x"}"#,
            br#"{"id":"x"} trailing"#,
            br#"{"id":}"#,
            br#"[1]"#,
        ] {
            assert!(
                !prune(broken, &f, &mut out),
                "{}",
                String::from_utf8_lossy(broken)
            );
        }
    }
}
