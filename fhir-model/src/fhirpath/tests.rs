//! Unit tests of the engine on small resources; the official suite runs in
//! `tests/tests/fhirpath_suite.rs`.

use super::*;
use crate::Resource;

fn patient() -> Resource {
    serde_json::from_str(
        r##"{"resourceType":"Patient","id":"p1","active":true,
            "name":[{"use":"official","family":"Chalmers","given":["Peter","James"]},{"given":["Jim"]}],
            "birthDate":"1974-12-25","gender":"male",
            "contained":[{"resourceType":"Organization","id":"o1","name":"Acme"}],
            "managingOrganization":{"reference":"#o1"}}"##,
    )
    .unwrap()
}

fn eval(expr: &str) -> Vec<String> {
    let p = patient();
    Expression::parse(expr)
        .unwrap()
        .evaluate(&p)
        .unwrap()
        .iter()
        .map(|i| i.to_string())
        .collect()
}

#[test]
fn navigates_and_filters() {
    assert_eq!(eval("Patient.name.given"), ["Peter", "James", "Jim"]);
    assert_eq!(eval("name.where(use = 'official').family"), ["Chalmers"]);
    assert_eq!(eval("name.given.count()"), ["3"]);
    assert_eq!(eval("managingOrganization.resolve().name"), ["Acme"]);
    assert_eq!(eval("gender.is(code) and gender.is(string)"), ["true"]);
    assert_eq!(eval("1.0 + 2"), ["3.0"]);
    assert_eq!(eval("birthDate + 1 year"), ["1975-12-25"]);
    assert_eq!(eval("4.0 'g' = 4000 'mg'"), ["true"]);
    assert_eq!(
        eval("@2012-04-15 = @2012-04-15T10:00:00"),
        Vec::<String>::new()
    );
}

#[test]
fn errors_are_values_with_positions() {
    let e = Expression::parse("name.given.first(").unwrap_err();
    assert_eq!(e.position, 17);
    let p = patient();
    let e = Expression::parse("name.single()")
        .unwrap()
        .evaluate(&p)
        .unwrap_err();
    assert!(e.message.contains("2 items"), "{e}");
    let e = Expression::parse("name.given1")
        .unwrap()
        .evaluate(&p)
        .unwrap_err();
    assert!(e.message.contains("given1"), "{e}");
}

#[test]
fn hostile_expressions_end_with_errors() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(Expression::parse(&deep).is_err());
    let long_path = format!("name{}", ".given".repeat(5_000));
    assert!(Expression::parse(&long_path).is_err());
    let minus = format!("{}1", "-".repeat(10_000));
    assert!(Expression::parse(&minus).is_err());
    // Exponential growth through repeated self-combination stops at the size limit.
    let p = patient();
    let mut grow = String::from("name");
    for _ in 0..40 {
        grow = format!("({grow}).combine({grow})");
        if grow.len() > 50_000 {
            break;
        }
    }
    let blowup = "(1|2|3|4|5|6|7|8|9|10).select((1|2|3|4|5|6|7|8|9|10).select((1|2|3|4|5|6|7|8|9|10).select((1|2|3|4|5|6|7|8|9|10).select((1|2|3|4|5|6|7|8|9|10).select((1|2|3|4|5|6|7|8|9|10).select(1|2|3|4|5|6|7|8|9|10))))))";
    let r = Expression::parse(blowup).unwrap().evaluate(&p);
    assert!(r.is_err());
    // The deepest expression accepted evaluates on a test thread's stack.
    let nested = format!("{}name.given.count(){}", "(1 + ".repeat(45), ")".repeat(45));
    assert_eq!(
        Expression::parse(&nested)
            .unwrap()
            .evaluate(&p)
            .unwrap()
            .len(),
        1
    );
    let nested = format!("{}true{}", "(".repeat(99), ")".repeat(99));
    assert!(Expression::parse(&nested).unwrap().evaluate(&p).is_ok());
    let _ = Expression::parse(&grow).map(|e| e.evaluate(&p));
}

#[test]
fn expressions_are_shareable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Expression>();
}
