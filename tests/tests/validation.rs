//! Validation beyond decoding: cardinality, ele-1, ext-1, reference targets, Bundle invariants,
//! and the OperationOutcome form of the issues.

use fhir_model::datatypes::{Extension, ExtensionValue, HumanName};
use fhir_model::resources::{Encounter, Patient};
use fhir_model::validate::{to_operation_outcome, validate_resource, IssueCode};
use fhir_model::{Primitive, Resource};

fn issues(resource: impl Into<Resource>) -> Vec<(String, IssueCode)> {
    validate_resource(&resource.into())
        .into_iter()
        .map(|i| (i.path, i.code))
        .collect()
}

#[test]
fn missing_required_elements_are_reported_at_their_path() {
    assert_eq!(
        issues(Encounter::default()),
        [
            ("Encounter.status".to_owned(), IssueCode::Required),
            ("Encounter.class".to_owned(), IssueCode::Required)
        ]
    );
}

#[test]
fn empty_elements_break_ele_1() {
    let patient = Patient {
        name: vec![HumanName::default()],
        active: Some(Primitive::default()),
        ..Default::default()
    };
    assert_eq!(
        issues(patient),
        [
            ("Patient.active".to_owned(), IssueCode::Invariant),
            ("Patient.name[0]".to_owned(), IssueCode::Invariant)
        ]
    );
}

#[test]
fn extensions_need_a_value_or_children_not_both() {
    let url = || "http://example.org/x".parse().unwrap();
    let mut both = Extension::new(url());
    both.value = Some(ExtensionValue::Boolean(Primitive::new(true)));
    both.extension.push(Extension {
        value: Some(ExtensionValue::Boolean(Primitive::new(false))),
        ..Extension::new(url())
    });
    let neither = Extension::new(url());
    let patient = Patient {
        extension: vec![both, neither],
        ..Default::default()
    };
    let found = issues(patient);
    assert_eq!(
        found,
        [
            ("Patient.extension[0]".to_owned(), IssueCode::Invariant),
            ("Patient.extension[1]".to_owned(), IssueCode::Invariant)
        ]
    );
    let messages: Vec<String> = validate_resource(&Resource::from(Patient {
        extension: vec![Extension::new(url())],
        ..Default::default()
    }))
    .into_iter()
    .map(|i| i.message)
    .collect();
    assert!(messages[0].contains("ext-1"), "{messages:?}");
}

#[test]
fn reference_targets_are_checked() {
    let encounter: Resource = serde_json::from_str(
        r#"{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Device/1"}}"#,
    )
    .unwrap();
    let found = validate_resource(&encounter);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "Encounter.subject");
    assert!(
        found[0].message.contains("expected Patient | Group"),
        "{}",
        found[0].message
    );
}

#[test]
fn bundle_invariants_are_part_of_validation() {
    let bundle: Resource = serde_json::from_str(r#"{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"Patient"}}]}"#).unwrap();
    let found = validate_resource(&bundle);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.ends_with("(bdl-12)"),
        "{}",
        found[0].message
    );
}

#[test]
fn contained_resources_are_validated_and_not_subject_to_ele_1() {
    // Strict reading would refuse this; built in code, it reaches the validator.
    let observation = fhir_model::resources::Observation {
        code: Some(Box::new(fhir_model::datatypes::CodeableConcept {
            text: Some("x".parse().unwrap()),
            ..Default::default()
        })),
        ..Default::default()
    };
    let patient = Resource::from(Patient {
        contained: vec![observation.into()],
        ..Default::default()
    });
    assert_eq!(
        validate_resource(&patient)
            .into_iter()
            .map(|i| i.path)
            .collect::<Vec<_>>(),
        ["Patient.contained[0].status"]
    );
}

#[test]
fn issues_become_an_operation_outcome() {
    let outcome = to_operation_outcome(&validate_resource(&Encounter::default().into()));
    let json = serde_json::to_value(Resource::from(outcome)).unwrap();
    assert_eq!(json["resourceType"], "OperationOutcome");
    assert_eq!(json["issue"][0]["severity"], "error");
    assert_eq!(json["issue"][0]["code"], "required");
    assert_eq!(json["issue"][0]["expression"][0], "Encounter.status");
    let ok = serde_json::to_value(Resource::from(to_operation_outcome(&[]))).unwrap();
    assert_eq!(ok["issue"][0]["severity"], "information");
}
