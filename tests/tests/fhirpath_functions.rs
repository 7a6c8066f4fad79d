//! FHIR-specific FHIRPath functions and the evaluation context: `resolve()` in a Bundle and
//! in contained resources, `memberOf()`, `conformsTo()`, `htmlChecks()`, `trace()`,
//! variables, and `%resource` for a sub-element (how invariants are evaluated).

use fhir_model::fhirpath::{Context, Expression, Item, Reflect, Value};
use fhir_model::Resource;
use std::cell::RefCell;

fn resource(json: &str) -> Resource {
    serde_json::from_str(json).unwrap()
}

fn strings(items: &[Item<'_>]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

fn eval(expr: &str, on: &dyn Reflect) -> Vec<String> {
    strings(&Expression::parse(expr).unwrap().evaluate(on).unwrap())
}

#[test]
fn resolve_follows_bundle_and_contained_references() {
    let bundle = resource(
        r##"{"resourceType":"Bundle","type":"collection","entry":[
          {"fullUrl":"http://x.org/fhir/Encounter/e1","resource":{"resourceType":"Encounter","id":"e1","status":"finished",
            "class":{"code":"IMP"},"subject":{"reference":"Patient/p1"}}},
          {"fullUrl":"http://x.org/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Chalmers"}],
            "managingOrganization":{"reference":"#org"},"contained":[{"resourceType":"Organization","id":"org","name":"Acme"}]}}]}"##,
    );
    assert_eq!(
        eval("entry[0].resource.subject.resolve().name.family", &bundle),
        ["Chalmers"]
    );
    assert_eq!(
        eval("entry.resource.subject.resolve().is(Patient)", &bundle),
        ["true"]
    );
    // A contained reference resolves against the resource that holds it (`%resource`).
    let Resource::Bundle(b) = &bundle else {
        unreachable!()
    };
    let patient = b.entry[1].resource.as_ref().unwrap();
    let ctx = Context::new(patient).root_resource(&bundle);
    let expr = Expression::parse("managingOrganization.resolve().name").unwrap();
    assert_eq!(strings(&expr.evaluate_with(&ctx).unwrap()), ["Acme"]);
    assert!(eval(
        "entry.resource.where(id = 'nope').subject.resolve()",
        &bundle
    )
    .is_empty());
}

#[test]
fn member_of_uses_the_value_sets_the_model_enumerates() {
    let patient = resource(
        r#"{"resourceType":"Patient","gender":"male","maritalStatus":{"coding":[{"code":"M"}]}}"#,
    );
    assert_eq!(
        eval(
            "gender.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender')",
            &patient
        ),
        ["true"]
    );
    assert_eq!(
        eval(
            "'banana'.memberOf('http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1')",
            &patient
        ),
        ["false"]
    );
    // A ValueSet the model does not enumerate gives an empty result, not a guess.
    assert!(eval(
        "gender.memberOf('http://example.org/ValueSet/unknown')",
        &patient
    )
    .is_empty());
}

#[test]
fn conforms_to_checks_types_and_generated_profiles() {
    let patient = resource(
        r#"{"resourceType":"Patient","gender":"male","identifier":[{"system":"urn:mrn","value":"1"}]}"#,
    );
    assert_eq!(
        eval(
            "conformsTo('http://hl7.org/fhir/StructureDefinition/Patient')",
            &patient
        ),
        ["true"]
    );
    assert_eq!(
        eval(
            "conformsTo('http://hl7.org/fhir/StructureDefinition/DomainResource')",
            &patient
        ),
        ["true"]
    );
    // US Core Patient requires a name.
    assert_eq!(
        eval(
            "conformsTo('http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient')",
            &patient
        ),
        ["false"]
    );
    let err = Expression::parse("conformsTo('http://trash')")
        .unwrap()
        .evaluate(&patient)
        .unwrap_err();
    assert!(err.message.contains("unknown profile"), "{err}");
}

#[test]
fn html_checks_refuse_active_content() {
    let ok = resource(
        r#"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi <b>there</b></p></div>"}}"#,
    );
    assert_eq!(eval("text.div.htmlChecks()", &ok), ["true"]);
    for bad in [
        r#"<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>"#,
        r#"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"x()\">Hi</p></div>"#,
        r#"<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href=\"javascript:x()\">Hi</a></div>"#,
    ] {
        let json = format!(
            r#"{{"resourceType":"Patient","text":{{"status":"generated","div":"{bad}"}}}}"#
        );
        // The model's own narrative check may refuse some of these already.
        if let Ok(r) = serde_json::from_str::<Resource>(&json) {
            assert_eq!(eval("text.div.htmlChecks()", &r), ["false"], "{bad}");
        }
    }
}

#[test]
fn variables_trace_and_sub_element_context() {
    let patient = resource(
        r#"{"resourceType":"Patient","name":[{"given":["Peter","James"]}],"contact":[{"name":{"family":"du Marché"}}]}"#,
    );
    let seen = RefCell::new(Vec::new());
    let ctx = Context::new(&patient)
        .variable("wanted", "James")
        .variable("limit", 2)
        .trace(|name, items| seen.borrow_mut().push(format!("{name}:{}", items.len())));
    let expr =
        Expression::parse("name.given.trace('given').where($this = %wanted).count() < %limit")
            .unwrap();
    assert_eq!(expr.evaluate_bool_with(&ctx).unwrap(), Some(true));
    assert_eq!(*seen.borrow(), ["given:2"]);
    assert!(Expression::parse("%nope")
        .unwrap()
        .evaluate(&patient)
        .is_err());
    assert_eq!(eval("%ucum", &patient), ["http://unitsofmeasure.org"]);

    // pat-1 on `Patient.contact[0]`: `%context` is the contact, `%resource` the Patient.
    let Resource::Patient(p) = &patient else {
        unreachable!()
    };
    let contact = &p.contact[0];
    let pat_1 = Expression::parse(
        "name.exists() or telecom.exists() or address.exists() or organization.exists()",
    )
    .unwrap();
    let ctx = Context::new(contact).resource(&patient);
    assert_eq!(pat_1.evaluate_bool_with(&ctx).unwrap(), Some(true));
    let uses_resource =
        Expression::parse("%resource.name.given.first() & '/' & %context.name.family").unwrap();
    assert_eq!(
        strings(&uses_resource.evaluate_with(&ctx).unwrap()),
        ["Peter/du Marché"]
    );
    let value = Context::empty().variable("x", Value::Boolean(true));
    assert_eq!(
        Expression::parse("%x.not()")
            .unwrap()
            .evaluate_bool_with(&value)
            .unwrap(),
        Some(false)
    );
}

#[test]
fn errors_name_the_position() {
    let patient =
        resource(r#"{"resourceType":"Patient","name":[{"given":["Peter"]},{"given":["Jim"]}]}"#);
    let e = Expression::parse("name.given = 'a' and").unwrap_err();
    assert_eq!(e.position, 20);
    let e = Expression::parse("name.where(given = 'x' ").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("at character 23: expected `,` or `)`"),
        "{e}"
    );
    let e = Expression::parse("name.given.substring('a')")
        .unwrap()
        .evaluate(&patient)
        .unwrap_err();
    assert_eq!(e.position, 11);
    assert!(e.message.starts_with("substring():"), "{e}");
}
