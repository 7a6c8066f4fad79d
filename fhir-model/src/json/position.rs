//! Finds where an element path points in JSON text, to give lenient issues a line and column.
//! Runs only when there are issues; a small scanner, not a parser: it trusts that serde_json
//! has already accepted the text.

use crate::validate::Issue;

enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The issue with its line and column filled in, when its path can be found.
pub(crate) fn locate_issue(bytes: &[u8], mut issue: Issue) -> Issue {
    if let Some(offset) = locate(bytes, &issue.path) {
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        issue.line = Some(line);
        issue.column = Some(column);
    }
    issue
}

/// Byte offset of the value at `path` (`Patient.name[1].given`), skipping the root type name.
fn locate(bytes: &[u8], path: &str) -> Option<usize> {
    let steps = parse_path(path)?;
    let mut pos = skip_ws(bytes, 0);
    for step in steps {
        pos = match step {
            Step::Key(key) => {
                find_key(bytes, pos, key).or_else(|| find_key(bytes, pos, &format!("_{key}")))?
            }
            Step::Index(i) => find_index(bytes, pos, i)?,
        };
    }
    Some(pos)
}

fn parse_path(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    // The first segment is the root type name, which is not in the JSON.
    for segment in path.split('.').skip(1) {
        let (name, rest) = segment.split_once('[').unwrap_or((segment, ""));
        if !name.is_empty() {
            steps.push(Step::Key(name));
        }
        for index in rest.split('[') {
            if let Some(i) = index.strip_suffix(']').and_then(|i| i.parse().ok()) {
                steps.push(Step::Index(i));
            }
        }
    }
    Some(steps)
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

/// End of the string starting at `pos` (which holds `"`), just past the closing quote.
fn skip_string(bytes: &[u8], mut pos: usize) -> Option<usize> {
    pos += 1;
    while pos < bytes.len() {
        match bytes[pos] {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            _ => pos += 1,
        }
    }
    None
}

/// Just past the value starting at `pos`.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    let start = skip_ws(bytes, pos);
    match *bytes.get(start)? {
        b'"' => skip_string(bytes, start),
        b'{' | b'[' => {
            let (mut depth, mut p) = (0usize, start);
            loop {
                match *bytes.get(p)? {
                    b'"' => {
                        p = skip_string(bytes, p)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(p + 1);
                        }
                    }
                    _ => {}
                }
                p += 1;
            }
        }
        _ => {
            let mut p = start;
            while p < bytes.len()
                && !matches!(bytes[p], b',' | b'}' | b']')
                && !bytes[p].is_ascii_whitespace()
            {
                p += 1;
            }
            Some(p)
        }
    }
}

/// Offset of the value of `key` in the object starting at `pos`.
fn find_key(bytes: &[u8], pos: usize, key: &str) -> Option<usize> {
    let mut pos = skip_ws(bytes, pos);
    if bytes.get(pos) != Some(&b'{') {
        return None;
    }
    pos += 1;
    loop {
        pos = skip_ws(bytes, pos);
        match bytes.get(pos)? {
            b'}' => return None,
            b',' => {
                pos += 1;
                continue;
            }
            b'"' => {}
            _ => return None,
        }
        let end = skip_string(bytes, pos)?;
        let name = &bytes[pos + 1..end - 1];
        pos = skip_ws(bytes, end);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(bytes, pos + 1);
        if name == key.as_bytes() {
            return Some(pos);
        }
        pos = skip_value(bytes, pos)?;
    }
}

/// Offset of item `index` of the array starting at `pos`.
fn find_index(bytes: &[u8], pos: usize, index: usize) -> Option<usize> {
    let mut pos = skip_ws(bytes, pos);
    if bytes.get(pos) != Some(&b'[') {
        return None;
    }
    pos = skip_ws(bytes, pos + 1);
    for _ in 0..index {
        pos = skip_value(bytes, pos)?;
        pos = skip_ws(bytes, pos);
        if bytes.get(pos) != Some(&b',') {
            return None;
        }
        pos = skip_ws(bytes, pos + 1);
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_indices() {
        let json = b"{\n  \"resourceType\": \"Patient\",\n  \"name\": [\n    {\"family\": \"A\"},\n    {\"given\": [\"x\", 1]}\n  ]\n}";
        let offset = locate(json, "Patient.name[1].given[1]").unwrap();
        assert_eq!(json[offset], b'1');
        let issue = locate_issue(
            json,
            Issue::error(
                crate::validate::IssueCode::Value,
                "Patient.name[1]".into(),
                String::new(),
            ),
        );
        assert_eq!((issue.line, issue.column), (Some(5), Some(5)));
        assert!(locate(json, "Patient.nothing").is_none());
        assert!(locate(b"{\"a\":", "X.a.b").is_none());
    }
}
