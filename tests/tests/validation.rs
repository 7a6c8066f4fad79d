//! Validation beyond decoding: cardinality, ele-1, ext-1, reference targets, Bundle invariants,
//! and the OperationOutcome form of the issues.

use fhir_model::datatypes::{Extension, ExtensionValue, HumanName};
use fhir_model::resources::{Encounter, Patient};
use fhir_model::validate::{to_operation_outcome, validate_resource, IssueCode};
use fhir_model::{Primitive, Resource};

/// The errors found (warnings such as dom-6 have their own test).
fn issues(resource: impl Into<Resource>) -> Vec<(String, IssueCode)> {
    errors(&resource.into())
        .into_iter()
        .map(|i| (i.path, i.code))
        .collect()
}

fn errors(resource: &Resource) -> Vec<fhir_model::validate::Issue> {
    validate_resource(resource)
        .into_iter()
        .filter(|i| i.severity == fhir_model::validate::Severity::Error)
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
    let found = errors(&encounter);
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
    // Errors only: the Patient entry has no narrative, which dom-6 warns about.
    let found = errors(&bundle);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.starts_with("bdl-12: "),
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
        errors(&patient)
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

/// dom-6 is a best practice, so a DomainResource without narrative gets a warning, not an
/// error; Bundle is not a DomainResource and gets none.
#[test]
fn missing_narrative_is_a_dom_6_warning() {
    let issues = validate_resource(&Resource::from(Patient::default()));
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].severity, fhir_model::validate::Severity::Warning);
    assert_eq!(issues[0].path, "Patient");
    assert!(issues[0].message.starts_with("dom-6"));
    let bundle = fhir_model::resources::Bundle {
        type_: Some(fhir_model::codes::BundleType::Collection.into()),
        ..Default::default()
    };
    assert!(validate_resource(&Resource::from(bundle)).is_empty());
}

/// fhir-codegen carries every FHIRPath constraint of the definitions onto the struct (or the
/// field) it sits on, as written; ele-1 and ext-1 stay native checks.
#[test]
fn constraints_of_the_definitions_are_generated_where_they_sit() {
    use fhir_model::datatypes::{Narrative, Period};
    use fhir_model::resources::{Patient, PatientContact};
    use fhir_model::validate::{Severity, Validate};
    let keys = |table: &[fhir_model::validate::Invariant]| {
        table.iter().map(|i| (i.key, i.element)).collect::<Vec<_>>()
    };
    let per_1 = <Period as Validate>::INVARIANTS[0];
    assert_eq!(per_1.key, "per-1");
    assert_eq!(per_1.severity, Severity::Error);
    assert_eq!(
        per_1.expression,
        "start.hasValue().not() or end.hasValue().not() or (start <= end)"
    );
    assert_eq!(
        keys(<PatientContact as Validate>::INVARIANTS),
        [("pat-1", None)]
    );
    assert_eq!(
        keys(<Narrative as Validate>::INVARIANTS),
        [("txt-1", Some("div")), ("txt-2", Some("div"))]
    );
    let patient = keys(<Patient as Validate>::INVARIANTS);
    for key in ["dom-2", "dom-3", "dom-4", "dom-5", "dom-6"] {
        assert!(patient.contains(&(key, None)), "{key} in {patient:?}");
    }
    let dom_6 = <Patient as Validate>::INVARIANTS
        .iter()
        .find(|i| i.key == "dom-6")
        .unwrap();
    assert_eq!(dom_6.severity, Severity::Warning);
    assert!(!patient.iter().any(|(k, _)| *k == "ele-1" || *k == "ext-1"));
}
