//! String functions (FHIRPath 5.6, plus 2.1's `trim`, `split`, `join`, `encode`, `decode`,
//! `escape`, `unescape`, `matchesFull`). Positions count characters, not bytes.

use super::builtin::{Builtin, Builtin as F};
use super::{boolean, opt, value, Call};
use crate::fhirpath::eval::Result;
use crate::fhirpath::value::{Collection, Value};
use regex::Regex;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Longest regex pattern accepted; the `regex` crate runs in linear time, this bounds the
/// compile cost.
const MAX_PATTERN: usize = 10_000;

/// Compiled patterns, shared by all evaluations: expressions are parsed once and evaluated
/// many times (invariants), so compiling `matches()` patterns each time would dominate. The
/// `Arc` keeps one regex (and its pool of match caches) per pattern: a cloned `Regex` would
/// start with an empty pool and allocate its search state again on every call.
type Patterns = HashMap<String, Arc<Regex>>;
/// Partial-match patterns (`matches`) and whole-string ones (`matchesFull`).
static REGEXES: Mutex<(Option<Patterns>, Option<Patterns>)> = Mutex::new((None, None));

/// Entries kept before the cache starts over (patterns built from data must not grow it).
const CACHE_LIMIT: usize = 512;

fn regex(call: &Call<'_, '_, '_>, pattern: &str, full: bool) -> Result<Arc<Regex>> {
    compiled_regex(pattern, full).map_err(|e| call.error(e))
}

/// `pattern` compiled as FHIRPath's `matches` (`full == false`) or `matchesFull` reads it:
/// `.` matches new lines, and the pattern's size is bounded.
pub(crate) fn compiled_regex(pattern: &str, full: bool) -> std::result::Result<Arc<Regex>, String> {
    if pattern.len() > MAX_PATTERN {
        return Err("pattern too long".into());
    }
    if let Ok(cache) = REGEXES.lock() {
        let map = if full { &cache.1 } else { &cache.0 };
        if let Some(re) = map.as_ref().and_then(|m| m.get(pattern)) {
            return Ok(Arc::clone(re));
        }
    }
    let text = if full {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_owned()
    };
    let re = regex::RegexBuilder::new(&text)
        .dot_matches_new_line(true)
        .size_limit(1 << 20)
        .build()
        .map(Arc::new)
        .map_err(|e| format!("invalid regular expression: {e}"))?;
    if let Ok(mut cache) = REGEXES.lock() {
        let map = if full { &mut cache.1 } else { &mut cache.0 };
        let map = map.get_or_insert_with(Default::default);
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(pattern.to_owned(), Arc::clone(&re));
    }
    Ok(re)
}

fn text<'a>(s: String) -> Collection<'a> {
    value(Value::String(s))
}

pub fn call<'a>(call: &Call<'_, '_, 'a>, f: Builtin) -> Result<Option<Collection<'a>>> {
    let arity = match f {
        F::Upper | F::Lower | F::Length | F::ToChars | F::Trim => (0, 0),
        F::IndexOf
        | F::StartsWith
        | F::EndsWith
        | F::Contains
        | F::Matches
        | F::MatchesFull
        | F::Encode
        | F::Decode
        | F::Escape
        | F::Unescape
        | F::Split => (1, 1),
        F::Substring => (1, 2),
        F::Replace | F::ReplaceMatches => (2, 2),
        F::Join => (0, 1),
        _ => return Ok(None),
    };
    call.arity(arity.0, arity.1)?;
    if f == F::Join {
        let separator = if call.args.is_empty() {
            String::new()
        } else {
            call.arg_string(0)?.unwrap_or_default()
        };
        // Strings are copied where they lie; other values in their string form; an item
        // without a value is an empty part.
        let mut joined = String::new();
        for (i, item) in call.focus.iter().enumerate() {
            if i > 0 {
                joined.push_str(&separator);
            }
            match item.str() {
                Some(s) => joined.push_str(s),
                None => {
                    if let Some(v) = item.value() {
                        joined.push_str(&v.to_string());
                    }
                }
            }
        }
        return Ok(Some(text(joined)));
    }
    let Some(s) = call.focus_string()? else {
        return Ok(Some(Vec::new()));
    };
    let chars = || s.chars().count() as i64;
    Ok(Some(match f {
        F::Upper => text(s.to_uppercase()),
        F::Lower => text(s.to_lowercase()),
        F::Length => value(Value::Integer(chars())),
        F::Trim => text(s.trim().to_owned()),
        F::ToChars => s
            .chars()
            .map(|c| crate::fhirpath::value::Item::Value(Value::String(c.to_string())))
            .collect(),
        F::IndexOf => match call.arg_string(0)? {
            None => Vec::new(),
            Some(sub) => value(Value::Integer(match s.find(&sub) {
                Some(byte) => s[..byte].chars().count() as i64,
                None => -1,
            })),
        },
        F::Substring => {
            let Some(start) = call.arg_integer(0)? else {
                return Ok(Some(Vec::new()));
            };
            let length = if call.args.len() == 2 {
                call.arg_integer(1)?
            } else {
                None
            };
            if start < 0 || start >= chars() {
                Vec::new()
            } else {
                let taken = s.chars().skip(start as usize);
                text(match length {
                    Some(n) => taken.take(n.max(0) as usize).collect(),
                    None => taken.collect(),
                })
            }
        }
        F::StartsWith => opt(call
            .arg_string(0)?
            .map(|p| Value::Boolean(s.starts_with(&p)))),
        F::EndsWith => opt(call.arg_string(0)?.map(|p| Value::Boolean(s.ends_with(&p)))),
        F::Contains => opt(call.arg_string(0)?.map(|p| Value::Boolean(s.contains(&p)))),
        F::Matches | F::MatchesFull => match call.arg_string(0)? {
            None => Vec::new(),
            Some(p) => boolean(regex(call, &p, f == F::MatchesFull)?.is_match(&s)),
        },
        F::Replace => {
            let (Some(from), Some(to)) = (call.arg_string(0)?, call.arg_string(1)?) else {
                return Ok(Some(Vec::new()));
            };
            let out = if from.is_empty() {
                // '' is found between every two characters (and at both ends).
                let mut out = to.clone();
                for c in s.chars() {
                    out.push(c);
                    out.push_str(&to);
                }
                out
            } else {
                s.replace(&from, &to)
            };
            if out.len() > 100_000_000 {
                return Err(call.error("result too long"));
            }
            text(out)
        }
        F::ReplaceMatches => {
            let (Some(p), Some(to)) = (call.arg_string(0)?, call.arg_string(1)?) else {
                return Ok(Some(Vec::new()));
            };
            if p.is_empty() {
                text(s)
            } else {
                text(
                    regex(call, &p, false)?
                        .replace_all(&s, to.as_str())
                        .into_owned(),
                )
            }
        }
        F::Split => match call.arg_string(0)? {
            None => Vec::new(),
            Some(sep) if sep.is_empty() => text(s),
            Some(sep) => s
                .split(sep.as_str())
                .map(|p| crate::fhirpath::value::Item::Value(Value::String(p.to_owned())))
                .collect(),
        },
        F::Encode | F::Decode | F::Escape | F::Unescape => {
            let Some(format) = call.arg_string(0)? else {
                return Ok(Some(Vec::new()));
            };
            let out = match (f, format.as_str()) {
                (F::Encode, "base64") => Some(base64_encode(s.as_bytes(), false)),
                (F::Encode, "urlbase64") => Some(base64_encode(s.as_bytes(), true)),
                (F::Encode, "hex") => Some(s.bytes().map(|b| format!("{b:02x}")).collect()),
                (F::Decode, "base64" | "urlbase64") => {
                    base64_decode(&s).and_then(|b| String::from_utf8(b).ok())
                }
                (F::Decode, "hex") => hex_decode(&s).and_then(|b| String::from_utf8(b).ok()),
                (F::Escape, "html") => Some(escape_html(&s)),
                (F::Escape, "json") => Some(escape_json(&s)),
                (F::Unescape, "html") => Some(unescape_html(&s)),
                (F::Unescape, "json") => Some(unescape_json(&s)),
                _ => return Err(call.error(format!("unknown format '{format}'"))),
            };
            opt(out.map(Value::String))
        }
        _ => return Ok(None),
    }))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8], url: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                let c = B64[(n >> (18 - 6 * i) & 63) as usize];
                out.push(match (url, c) {
                    (true, b'+') => '-',
                    (true, b'/') => '_',
                    _ => c as char,
                });
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = bits << 6 | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn escape_html(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn escape_json(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len().saturating_sub(1).max(1)].to_owned()
}

/// JSON string escapes undone; quotes that are not escaped stay as they are.
fn unescape_json(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(u) => out.push(u),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
