//! The definitions' FHIRPath constraints, translated to Rust where the generator can (see
//! [`compile`]), for the generated `Validate` impls.

pub mod compile;
mod syntax;

pub use compile::{Check, Item, Types};

use crate::ir::{DefKind, FieldKind, Invariant, Struct, TypeDef, TypeSpace};
use std::collections::BTreeMap;

/// How one constraint of `s` (on the struct itself, or on its field `element`) is checked.
pub fn check(
    types: &Types<'_>,
    def: &TypeDef,
    s: &Struct,
    element: Option<&str>,
    invariant: &Invariant,
) -> Check {
    let (context, root_of) = match element {
        None => {
            let is_root = std::ptr::eq(s, def.root());
            let root_of = (is_root && def.kind == DefKind::Resource).then_some(def.name.as_str());
            (Item::Struct(s.name.clone()), root_of)
        }
        Some(name) => match s
            .fields
            .iter()
            .find(|f| f.json_name == name)
            .map(|f| &f.kind)
        {
            Some(FieldKind::Value(ty)) => (Item::of(ty), None),
            _ => (Item::Choice, None),
        },
    };
    types.compile(&invariant.expression, context, root_of)
}

/// The generator's report: how many distinct constraints were translated, mixed with
/// interpreted operands, or interpreted, naming the interpreted ones.
pub fn report(space: &TypeSpace) -> String {
    let types = Types::new(space);
    let mut how: BTreeMap<&str, &'static str> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, String> = BTreeMap::new();
    for def in space.datatypes.iter().chain(&space.resources) {
        for s in &def.structs {
            for (element, invariant) in s.all_invariants() {
                let kind = match check(&types, def, s, element, invariant) {
                    Check::Compiled(_) | Check::CompiledFhirpath(_) => "compiled",
                    Check::Mixed(_) => "mixed",
                    Check::Interpreted(reason) => {
                        reasons.insert(&invariant.key, reason);
                        "interpreted"
                    }
                };
                // A key checked two ways in different places counts as the weaker.
                let slot = how.entry(&invariant.key).or_insert(kind);
                if rank(kind) > rank(slot) {
                    *slot = kind;
                }
            }
        }
    }
    let count = |k: &str| how.values().filter(|v| **v == k).count();
    let interpreted: Vec<String> = how
        .iter()
        .filter(|(_, v)| **v == "interpreted")
        .map(|(key, _)| format!("{key} ({})", reasons[key]))
        .collect();
    format!(
        "constraints: {} compiled to Rust, {} compiled with interpreted operands, {} interpreted: {}",
        count("compiled"),
        count("mixed"),
        count("interpreted"),
        interpreted.join("; ")
    )
}

fn rank(kind: &str) -> u8 {
    match kind {
        "compiled" => 0,
        "mixed" => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::syntax::{parse, Kind, Op};
    use super::*;

    fn tiny() -> TypeSpace {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
        crate::ir::build_type_space(&crate::load::load_package(&dir).unwrap()).unwrap()
    }

    #[test]
    fn operators_bind_as_fhirpath_says_and_spans_cut_operands() {
        let text = "a.exists() or b = 'x' and c.count() + 1 > 2 implies d";
        let e = parse(text).unwrap();
        let Kind::Binary(Op::Implies, left, _) = &e.kind else {
            panic!("implies is loosest: {e:?}")
        };
        let Kind::Binary(Op::Or, first, and) = &left.kind else {
            panic!("or next: {left:?}")
        };
        assert_eq!(text[first.span.0..first.span.1].trim(), "a.exists()");
        assert!(matches!(and.kind, Kind::Binary(Op::And, _, _)));
        let Kind::Binary(Op::Eq, name, literal) = parse("name = 'it\\'s'").unwrap().kind else {
            panic!("an equality")
        };
        assert_eq!(name.kind, Kind::Member(None, "name".into()));
        assert_eq!(
            (literal.kind, literal.span),
            (Kind::Str("it's".into()), (7, 14))
        );
        assert!(parse("value is Quantity").is_err());
        assert!(parse("a.b(").is_err());
    }

    #[test]
    fn the_tiny_fixture_has_one_constraint_of_each_kind() {
        let space = tiny();
        let types = Types::new(&space);
        let def = &space.resources[0];
        let kinds: Vec<(String, &str)> = def
            .structs
            .iter()
            .flat_map(|s| s.all_invariants().map(move |(e, i)| (s, e, i)))
            .map(|(s, e, i)| {
                let kind = match check(&types, def, s, e, i) {
                    Check::Compiled(_) => "compiled",
                    Check::CompiledFhirpath(_) => "compiled, needs fhirpath",
                    Check::Mixed(_) => "mixed",
                    Check::Interpreted(_) => "interpreted",
                };
                (i.key.clone(), kind)
            })
            .collect();
        let expected = [
            ("thg-1", "compiled"),
            ("thg-3", "compiled, needs fhirpath"),
            ("thg-5", "mixed"),
            ("thg-4", "interpreted"),
            ("thg-2", "compiled"),
        ];
        let expected: Vec<(String, &str)> =
            expected.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(kinds, expected);
        assert!(report(&space).starts_with(
            "constraints: 3 compiled to Rust, 1 compiled with interpreted operands, 1 interpreted: thg-4 (variable %rootResource)"
        ));
    }

    #[test]
    fn unknown_elements_and_untyped_operators_are_left_to_the_interpreter() {
        let space = tiny();
        let types = Types::new(&space);
        let thing = Item::Struct("Thing".into());
        for text in [
            "colour.exists()",
            "status > 'a'",
            "note.select(x)",
            "part.amount > 'a'",
        ] {
            assert!(
                matches!(
                    types.compile(text, thing.clone(), Some("Thing")),
                    Check::Interpreted(_)
                ),
                "{text}"
            );
        }
        assert!(matches!(
            types.compile("Thing.part.exists()", thing.clone(), Some("Thing")),
            Check::Compiled(_)
        ));
    }

    #[test]
    fn orderings_and_resource_reads_need_the_engine_feature_but_not_the_engine() {
        let space = tiny();
        let types = Types::new(&space);
        let thing = Item::Struct("Thing".into());
        // Decimals, dates and quantities are ordered by the engine's own comparison.
        for text in ["part.amount > 0", "part.all(amount <= 10)"] {
            assert!(
                matches!(
                    types.compile(text, thing.clone(), Some("Thing")),
                    Check::CompiledFhirpath(_)
                ),
                "{text}"
            );
        }
        // On the resource's root, `%resource` is the struct itself.
        let Check::Compiled(tokens) =
            types.compile("%resource.part.exists()", thing.clone(), Some("Thing"))
        else {
            panic!("%resource on the root is compiled")
        };
        assert!(tokens.to_string().contains("this . part"), "{tokens}");
        // On a nested struct it is read back from the validator, typed.
        let part = Item::Struct("ThingPart".into());
        let Check::CompiledFhirpath(tokens) =
            types.compile("%resource.status = 'done'", part, None)
        else {
            panic!("%resource below the root is compiled")
        };
        assert!(tokens
            .to_string()
            .contains("resource_as :: < crate :: resources :: Thing >"));
    }

    #[test]
    fn children_then_a_member_reads_the_fields_that_can_have_it() {
        let space = tiny();
        let types = Types::new(&space);
        let thing = Item::Struct("Thing".into());
        let Check::Compiled(tokens) =
            types.compile("children().amount.exists()", thing.clone(), Some("Thing"))
        else {
            panic!("only `part` has an amount")
        };
        assert!(tokens.to_string().contains("this . part"), "{tokens}");
        // Every primitive child has an id: left to the engine.
        assert!(matches!(
            types.compile("children().id.exists()", thing, Some("Thing")),
            Check::Mixed(_) | Check::Interpreted(_)
        ));
    }
}
