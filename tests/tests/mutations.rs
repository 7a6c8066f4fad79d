//! Property tests over mutated official examples: whatever the bytes, decoding returns a
//! `Result` (no panic, no stack overflow); when it succeeds, the value encodes, the output
//! decodes to an equal value, and validation runs without panicking. Lenient reading
//! (`Reader::lenient`) must not panic either and must agree with strict decoding where strict
//! decoding succeeds.
//!
//! Mutations act on the JSON tree (drop, duplicate, rename or retype a member, swap two values,
//! graft a subtree from another example) and then on the bytes (truncate, flip a bit, replace,
//! insert or delete bytes). The runs are deterministic: a fixed RNG seed and no failure
//! persistence files. `MUTATION_CASES=100000` runs longer; `MUTATION_SEED=<u64>` explores
//! other seeds.

use fhir_model::json::Reader;
use fhir_model::validate::validate_resource;
use fhir_model::Resource;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Map, Value};
use std::cell::Cell;
use std::fmt::Write as _;
use std::time::Instant;

/// How many examples are sampled, and the size they are picked from first.
const SAMPLE: usize = 300;
const SMALL_FILE: u64 = 20 * 1024;
const DEFAULT_CASES: u32 = 30_000;

struct Example {
    name: String,
    bytes: Vec<u8>,
    tree: Value,
}

/// A deterministic, evenly spread sample of the official examples, preferring small files.
fn load_sample() -> Option<Vec<Example>> {
    let dir = fhir_tests::r4_examples()?;
    let mut files: Vec<(String, u64)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
        .map(|e| {
            let size = e.metadata().unwrap().len();
            (e.file_name().to_string_lossy().into_owned(), size)
        })
        .collect();
    files.sort();
    let small: Vec<&(String, u64)> = files.iter().filter(|(_, s)| *s <= SMALL_FILE).collect();
    let pool = if small.len() >= SAMPLE {
        small
    } else {
        files.iter().collect()
    };
    let step = (pool.len() / SAMPLE).max(1);
    let sample = pool
        .iter()
        .step_by(step)
        .take(SAMPLE)
        .filter_map(|(name, _)| {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let tree = serde_json::from_slice(&bytes).ok()?;
            Some(Example {
                name: name.clone(),
                bytes,
                tree,
            })
        })
        .collect();
    Some(sample)
}

/// A step from a value to one of its children.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Item(usize),
}

/// Paths of every value under `value` (not `value` itself), in document order.
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(Step::Key(k.clone()));
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(Step::Item(i));
                out.push(prefix.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn all_paths(value: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    paths(value, &mut Vec::new(), &mut out);
    out
}

fn get_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Item(i) => v.get_mut(*i),
    })
}

fn get<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()),
        Step::Item(i) => v.get(*i),
    })
}

/// A replacement value of some JSON type.
#[derive(Clone, Debug)]
enum Kind {
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(&'static str),
    EmptyObject,
    SmallObject(&'static str),
    EmptyArray,
    /// The old value wrapped in an array.
    Wrap,
    /// The first item of an array, or the value of an object's first member.
    Unwrap,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Null),
        any::<bool>().prop_map(Kind::Bool),
        prop_oneof![
            Just(0i64),
            Just(-1),
            Just(2_147_483_648),
            Just(i64::MIN),
            any::<i64>()
        ]
        .prop_map(Kind::Integer),
        prop_oneof![Just(0.5f64), Just(-1e300), Just(1e-7)].prop_map(Kind::Float),
        prop_oneof![
            Just(""),
            Just("x"),
            Just(" padded "),
            Just("1970-01-01"),
            Just("2015-02-07T13:28:17Z"),
            Just("Patient"),
            Just("urn:uuid:c757873d-ec9a-4326-a141-556f43239520"),
            Just("\u{1}"),
            Just("é😀"),
        ]
        .prop_map(Kind::Text),
        Just(Kind::EmptyObject),
        prop_oneof![
            Just("id"),
            Just("url"),
            Just("extension"),
            Just("resourceType")
        ]
        .prop_map(Kind::SmallObject),
        Just(Kind::EmptyArray),
        Just(Kind::Wrap),
        Just(Kind::Unwrap),
    ]
}

fn make(kind: &Kind, old: Value) -> Value {
    match kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Integer(i) => Value::from(*i),
        Kind::Float(f) => Value::from(*f),
        Kind::Text(t) => Value::from(*t),
        Kind::EmptyObject => Value::Object(Map::new()),
        Kind::SmallObject(key) => {
            let mut map = Map::new();
            let value = if *key == "extension" {
                serde_json::json!([{"url": "http://example.org/x", "valueString": "x"}])
            } else if *key == "resourceType" {
                Value::from("Basic")
            } else {
                Value::from("x")
            };
            map.insert((*key).to_owned(), value);
            Value::Object(map)
        }
        Kind::EmptyArray => Value::Array(Vec::new()),
        Kind::Wrap => Value::Array(vec![old]),
        Kind::Unwrap => match old {
            Value::Array(mut items) if !items.is_empty() => items.swap_remove(0),
            Value::Object(map) => map.into_iter().next().map_or(Value::Null, |(_, v)| v),
            other => other,
        },
    }
}

/// How a member key is renamed.
#[derive(Clone, Debug)]
enum Rename {
    /// `name` <-> `_name`.
    Twin,
    /// Another choice type: `valueString` -> `valueInteger`, `value` -> `valueX`.
    Suffix(&'static str),
    /// A fixed name, possibly one the object already has.
    To(&'static str),
    /// Letter case of the first character flipped.
    Case,
}

#[derive(Clone, Debug)]
enum TreeMutation {
    /// Removes an object member or an array item.
    Drop(Index),
    /// Writes an object member twice; with `Some`, the second time with another value.
    Duplicate(Index, Option<Kind>),
    /// Replaces a value with one of another JSON type.
    Retype(Index, Kind),
    /// Renames an object member.
    Rename(Index, Rename),
    /// Swaps the values of two members of one object.
    Swap(Index, Index),
    /// Replaces a value with a subtree of another example.
    Graft(Index, Index, Index),
}

#[derive(Clone, Debug)]
enum ByteMutation {
    Truncate(Index),
    Flip(Index, u8),
    Replace(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
}

fn rename() -> impl Strategy<Value = Rename> {
    prop_oneof![
        Just(Rename::Twin),
        prop_oneof![
            Just("String"),
            Just("Integer"),
            Just("Quantity"),
            Just("Reference"),
            Just("X"),
            Just("")
        ]
        .prop_map(Rename::Suffix),
        prop_oneof![
            Just("resourceType"),
            Just("id"),
            Just("extension"),
            Just("value"),
            Just("contained"),
            Just("")
        ]
        .prop_map(Rename::To),
        Just(Rename::Case),
    ]
}

fn tree_mutation() -> impl Strategy<Value = TreeMutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(TreeMutation::Drop),
        2 => (any::<Index>(), proptest::option::of(kind()))
            .prop_map(|(i, k)| TreeMutation::Duplicate(i, k)),
        4 => (any::<Index>(), kind()).prop_map(|(i, k)| TreeMutation::Retype(i, k)),
        2 => (any::<Index>(), rename()).prop_map(|(i, r)| TreeMutation::Rename(i, r)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TreeMutation::Swap(a, b)),
        1 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, b, c)| TreeMutation::Graft(a, b, c)),
    ]
}

fn byte_mutation() -> impl Strategy<Value = ByteMutation> {
    let interesting = prop_oneof![
        any::<u8>(),
        Just(b'"'),
        Just(b'{'),
        Just(b'}'),
        Just(b'['),
        Just(b']'),
        Just(b','),
        Just(b':'),
        Just(b'\\'),
        Just(b'0'),
        Just(b'-'),
        Just(b'e'),
        Just(0xff),
        Just(0xc3),
    ];
    prop_oneof![
        2 => any::<Index>().prop_map(ByteMutation::Truncate),
        2 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| ByteMutation::Flip(i, b)),
        3 => (any::<Index>(), interesting.clone()).prop_map(|(i, b)| ByteMutation::Replace(i, b)),
        2 => (any::<Index>(), proptest::collection::vec(interesting, 1..8))
            .prop_map(|(i, b)| ByteMutation::Insert(i, b)),
        1 => (any::<Index>(), 1usize..64).prop_map(|(i, n)| ByteMutation::Delete(i, n)),
    ]
}

#[derive(Clone, Debug)]
struct Case {
    example: Index,
    tree: Vec<TreeMutation>,
    bytes: Vec<ByteMutation>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<Index>(),
        proptest::collection::vec(tree_mutation(), 0..3),
        proptest::collection::vec(byte_mutation(), 0..3),
    )
        .prop_map(|(example, tree, bytes)| Case {
            example,
            tree,
            bytes,
        })
}

/// Member paths (those ending in a key) of `value`.
fn members(value: &Value) -> Vec<Vec<Step>> {
    all_paths(value)
        .into_iter()
        .filter(|p| matches!(p.last(), Some(Step::Key(_))))
        .collect()
}

/// Applies one tree mutation; `dup` collects the member to write twice.
fn apply_tree(
    tree: &mut Value,
    mutation: &TreeMutation,
    sample: &[Example],
    dup: &mut Option<(Vec<Step>, Option<Value>)>,
) {
    match mutation {
        TreeMutation::Drop(i) => {
            let all = all_paths(tree);
            if all.is_empty() {
                return;
            }
            let path = &all[i.index(all.len())];
            let (last, parent) = path.split_last().unwrap();
            match (get_mut(tree, parent), last) {
                (Some(Value::Object(map)), Step::Key(k)) => {
                    map.remove(k);
                }
                (Some(Value::Array(items)), Step::Item(n)) => {
                    items.remove(*n);
                }
                _ => {}
            }
        }
        TreeMutation::Duplicate(i, other) => {
            let all = members(tree);
            if all.is_empty() {
                return;
            }
            let path = all[i.index(all.len())].clone();
            let second = other.as_ref().map(|k| {
                let old = get(tree, &path).cloned().unwrap_or(Value::Null);
                make(k, old)
            });
            *dup = Some((path, second));
        }
        TreeMutation::Retype(i, kind) => {
            let all = all_paths(tree);
            if all.is_empty() {
                return;
            }
            if let Some(slot) = get_mut(tree, &all[i.index(all.len())]) {
                let old = slot.take();
                *slot = make(kind, old);
            }
        }
        TreeMutation::Rename(i, how) => {
            let all = members(tree);
            if all.is_empty() {
                return;
            }
            let path = &all[i.index(all.len())];
            let (Some(Step::Key(key)), parent) = (path.last(), &path[..path.len() - 1]) else {
                return;
            };
            let new = match how {
                Rename::Twin => match key.strip_prefix('_') {
                    Some(plain) => plain.to_owned(),
                    None => format!("_{key}"),
                },
                Rename::Suffix(suffix) => {
                    let stem = key
                        .find(|c: char| c.is_ascii_uppercase())
                        .map_or(key.as_str(), |at| &key[..at]);
                    format!("{stem}{suffix}")
                }
                Rename::To(name) => (*name).to_owned(),
                Rename::Case => {
                    let mut chars = key.chars();
                    match chars.next() {
                        Some(c) if c.is_ascii_lowercase() => {
                            c.to_ascii_uppercase().to_string() + chars.as_str()
                        }
                        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
                        None => "x".to_owned(),
                    }
                }
            };
            if let Some(Value::Object(map)) = get_mut(tree, parent) {
                if let Some(v) = map.remove(key) {
                    map.insert(new, v);
                }
            }
        }
        TreeMutation::Swap(a, b) => {
            let all = members(tree);
            if all.is_empty() {
                return;
            }
            let path = &all[a.index(all.len())];
            let parent = &path[..path.len() - 1];
            if let Some(Value::Object(map)) = get_mut(tree, parent) {
                let keys: Vec<String> = map.keys().cloned().collect();
                let Some(Step::Key(first)) = path.last() else {
                    return;
                };
                let second = &keys[b.index(keys.len())];
                if first != second {
                    let x = map.remove(first).unwrap();
                    let y = map.insert(second.clone(), x).unwrap();
                    map.insert(first.clone(), y);
                }
            }
        }
        TreeMutation::Graft(at, from, node) => {
            let donor = &sample[from.index(sample.len())].tree;
            let donor_paths = all_paths(donor);
            let all = all_paths(tree);
            if all.is_empty() || donor_paths.is_empty() {
                return;
            }
            let subtree = get(donor, &donor_paths[node.index(donor_paths.len())])
                .cloned()
                .unwrap_or(Value::Null);
            if let Some(slot) = get_mut(tree, &all[at.index(all.len())]) {
                *slot = subtree;
            }
        }
    }
}

/// Writes JSON with `resourceType` first in each object and, optionally, one member twice.
fn write(
    value: &Value,
    at: &mut Vec<Step>,
    dup: &Option<(Vec<Step>, Option<Value>)>,
    out: &mut String,
) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| *k != "resourceType");
            let mut first = true;
            for key in keys {
                let v = &map[key.as_str()];
                at.push(Step::Key(key.clone()));
                let twice = dup.as_ref().filter(|(p, _)| same_path(p, at));
                let mut member = |v: &Value, at: &mut Vec<Step>, out: &mut String| {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&serde_json::to_string(key).unwrap());
                    out.push(':');
                    write(v, at, dup, out);
                };
                member(v, at, out);
                if let Some((_, second)) = twice {
                    member(second.as_ref().unwrap_or(v), at, out);
                }
                at.pop();
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                at.push(Step::Item(i));
                write(v, at, dup, out);
                at.pop();
            }
            out.push(']');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

fn same_path(a: &[Step], b: &[Step]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Step::Key(x), Step::Key(y)) => x == y,
            (Step::Item(x), Step::Item(y)) => x == y,
            _ => false,
        })
}

fn apply_bytes(bytes: &mut Vec<u8>, mutation: &ByteMutation) {
    let len = bytes.len();
    match mutation {
        ByteMutation::Truncate(i) => bytes.truncate(i.index(len + 1)),
        ByteMutation::Flip(i, bit) if len > 0 => bytes[i.index(len)] ^= 1 << bit,
        ByteMutation::Replace(i, b) if len > 0 => bytes[i.index(len)] = *b,
        ByteMutation::Insert(i, new) => {
            let at = i.index(len + 1);
            bytes.splice(at..at, new.iter().copied());
        }
        ByteMutation::Delete(i, n) if len > 0 => {
            let at = i.index(len);
            bytes.drain(at..(at + n).min(len));
        }
        _ => {}
    }
}

/// The mutated document of a case.
fn mutate(sample: &[Example], case: &Case) -> (usize, Vec<u8>) {
    let index = case.example.index(sample.len());
    let example = &sample[index];
    let mut bytes = if case.tree.is_empty() {
        example.bytes.clone()
    } else {
        let mut tree = example.tree.clone();
        let mut dup = None;
        for m in &case.tree {
            apply_tree(&mut tree, m, sample, &mut dup);
        }
        let mut out = String::with_capacity(example.bytes.len() + 64);
        write(&tree, &mut Vec::new(), &dup, &mut out);
        out.into_bytes()
    };
    for m in &case.bytes {
        apply_bytes(&mut bytes, m);
    }
    (index, bytes)
}

/// The property: decoding never panics; what decodes re-encodes to an equal value and
/// validates without panicking. The lenient reader never panics either, and on input that
/// strict decoding accepts it gives the same value and no issues. Returns whether the input
/// decoded strictly.
fn check(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let lenient = Reader::lenient().read::<Resource>(bytes);
    if let Ok(read) = &lenient {
        serde_json::to_vec(&read.value).map_err(|e| {
            TestCaseError::fail(format!("read leniently, but encoding failed: {e}"))
        })?;
        let _issues = validate_resource(&read.value);
    }
    let Ok(resource) = serde_json::from_slice::<Resource>(bytes) else {
        return Ok(false);
    };
    match &lenient {
        Ok(read) => {
            prop_assert!(
                read.issues.is_empty(),
                "strict decoding accepts, lenient reading reports {:?}",
                read.issues
            );
            prop_assert!(read.value == resource, "lenient and strict values differ");
        }
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "strict decoding accepts, lenient reading rejects: {e}"
            )))
        }
    }
    let output = serde_json::to_vec(&resource)
        .map_err(|e| TestCaseError::fail(format!("decoded, but encoding failed: {e}")))?;
    let again: Resource = serde_json::from_slice(&output).map_err(|e| {
        TestCaseError::fail(format!(
            "decoded, but the output is rejected: {e}\noutput: {}",
            String::from_utf8_lossy(&output)
        ))
    })?;
    prop_assert!(
        again == resource,
        "the output decodes to another value\noutput: {}",
        String::from_utf8_lossy(&output)
    );
    let _issues = validate_resource(&resource);
    Ok(true)
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let rng = match std::env::var("MUTATION_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
        }
        None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    };
    TestRunner::new_with_rng(config, rng)
}

fn cases() -> u32 {
    std::env::var("MUTATION_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

#[test]
fn mutated_examples_never_panic_and_round_trip_when_accepted() {
    let Some(sample) = load_sample() else {
        return;
    };
    assert!(
        sample.len() >= 100,
        "only {} examples sampled",
        sample.len()
    );
    let started = Instant::now();
    let (accepted, total) = (Cell::new(0u32), Cell::new(0u32));
    let result = runner(cases()).run(&case(), |case| {
        let (index, bytes) = mutate(&sample, &case);
        total.set(total.get() + 1);
        let decoded = check(&bytes).map_err(|e| {
            TestCaseError::fail(format!(
                "{e}\nexample: {}\ninput: {}",
                sample[index].name,
                String::from_utf8_lossy(&bytes)
            ))
        })?;
        accepted.set(accepted.get() + u32::from(decoded));
        Ok(())
    });
    println!(
        "mutations: {} cases on {} examples, {} decoded, in {:.1?}",
        total.get(),
        sample.len(),
        accepted.get(),
        started.elapsed()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn sampled_examples_pass_the_property_unmutated() {
    let Some(sample) = load_sample() else {
        return;
    };
    let mut failures = String::new();
    for example in &sample {
        if let Err(e) = check(&example.bytes) {
            let _ = writeln!(failures, "{}: {e}", example.name);
        }
    }
    assert!(failures.is_empty(), "{failures}");
}
