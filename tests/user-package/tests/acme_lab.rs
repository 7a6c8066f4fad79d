//! The `acme.fhir.lab` package as its user sees it: the generated profile view, the complex
//! extension, the code enums of the package's ValueSets, profile validation (including the
//! package's own required binding) and the derive with `profile = "acme-lab-result"`.

use fhir_model::codes::ObservationStatus;
use fhir_model::datatypes::{CodeableConcept, Coding, Quantity};
use fhir_model::mapping::FhirResource;
use fhir_model::primitives::DateTime;
use fhir_model::resources::Observation;
use fhir_model::validate::{Issue, IssueCode};
use fhir_model::{CodeEnum, Resource};
use fhir_user_package::acme_fhir_lab::codes::{AcmeCollectionMethod, AcmeResultStatus};
use fhir_user_package::acme_fhir_lab::{self as acme, AcmeLabResult, AcmeSpecimenCollection};
use serde_json::{json, Value};

/// A glucose result that conforms to the profile.
fn glucose_json() -> Value {
    json!({
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "laboratory"
        }]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}], "text": "Glucose"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-12-01T08:30:00Z",
        "valueQuantity": {"value": 95, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"}
    })
}

fn observation(json: Value) -> Observation {
    match serde_json::from_value::<Resource>(json).unwrap() {
        Resource::Observation(o) => *o,
        other => panic!("expected an Observation, got {}", other.resource_type()),
    }
}

fn issues(json: Value) -> Vec<(String, IssueCode)> {
    paths(&AcmeLabResult::new(observation(json)).validate())
}

fn paths(issues: &[Issue]) -> Vec<(String, IssueCode)> {
    issues.iter().map(|i| (i.path.clone(), i.code)).collect()
}

fn collection(method: &str) -> AcmeSpecimenCollection {
    let mut ext = AcmeSpecimenCollection::new();
    ext.set_collected(Some("2026-12-01T08:00:00Z".parse().unwrap()));
    ext.set_method(Some(Coding {
        system: Some(
            "http://acme.example/fhir/CodeSystem/acme-collection-method"
                .parse()
                .unwrap(),
        ),
        code: Some(method.parse().unwrap()),
        ..Default::default()
    }));
    ext.set_fasting(Some(true));
    ext
}

#[test]
fn a_conforming_result_has_no_profile_issues() {
    let view = AcmeLabResult::new(observation(glucose_json()));
    assert_eq!(paths(&view.validate()), []);
    // Deref: the Observation's own fields.
    assert_eq!(view.category.len(), 1);
    assert_eq!(AcmeLabResult::URL, acme::ACME_LAB_RESULT.url);
}

#[test]
fn the_package_value_set_binding_rejects_a_status_outside_it() {
    // `preliminary` is a valid Observation status, but not in acme-result-status.
    let mut json = glucose_json();
    json["status"] = json!("preliminary");
    let view = AcmeLabResult::new(observation(json));
    let found = view.validate();
    assert_eq!(
        paths(&found),
        [("Observation.status".to_owned(), IssueCode::CodeInvalid)]
    );
    assert!(
        found[0]
            .message
            .contains("http://acme.example/fhir/ValueSet/acme-result-status"),
        "{}",
        found[0].message
    );
}

#[test]
fn fixed_unit_pattern_code_and_category_slice_are_checked() {
    let mut json = glucose_json();
    json["valueQuantity"]["code"] = json!("mmol/L");
    json["code"]["coding"][0]["code"] = json!("2345-7");
    json["category"][0]["coding"][0]["code"] = json!("vital-signs");
    assert_eq!(
        issues(json),
        [
            ("Observation.category".to_owned(), IssueCode::Required),
            ("Observation.code".to_owned(), IssueCode::Value),
            (
                "Observation.valueQuantity.code".to_owned(),
                IssueCode::Value
            ),
        ]
    );
}

#[test]
fn the_complex_extension_round_trips_through_the_view() {
    let mut view = AcmeLabResult::new(observation(glucose_json()));
    assert!(view.specimen_collection().is_none());
    view.set_specimen_collection(Some(collection("venous")));
    assert_eq!(paths(&view.validate()), []);

    let json = serde_json::to_value(view.clone().into_inner()).unwrap();
    assert_eq!(
        json["extension"][0]["url"],
        "http://acme.example/fhir/StructureDefinition/acme-specimen-collection"
    );
    let subs: Vec<&str> = json["extension"][0]["extension"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert_eq!(subs, ["collected", "method", "fasting"]);

    let read = AcmeLabResult::new(observation(json))
        .specimen_collection()
        .expect("the extension is read back");
    assert_eq!(read.fasting(), Some(&true));
    let method = read.method().and_then(|c| c.code.as_ref()?.value());
    assert_eq!(method.map(|c| c.as_str()), Some("venous"));
    let collected: DateTime = "2026-12-01T08:00:00Z".parse().unwrap();
    assert_eq!(read.collected(), Some(&collected));
}

#[test]
fn the_extension_binding_is_checked_from_the_profile_and_on_its_own() {
    let mut view = AcmeLabResult::new(observation(glucose_json()));
    view.set_specimen_collection(Some(collection("arterial-line")));
    assert_eq!(
        paths(&view.validate()),
        [(
            "Observation.extension[0].extension[1].valueCoding".to_owned(),
            IssueCode::CodeInvalid
        )]
    );
    let mut missing = collection("venous");
    missing.set_collected(None);
    assert_eq!(
        paths(&missing.validate()),
        [("Extension.extension".to_owned(), IssueCode::Required)]
    );
}

#[test]
fn code_enums_of_the_package_value_sets() {
    assert_eq!(
        AcmeResultStatus::VALUE_SET,
        "http://acme.example/fhir/ValueSet/acme-result-status"
    );
    assert_eq!(
        "amended".parse::<AcmeResultStatus>(),
        Ok(AcmeResultStatus::Amended)
    );
    let err = "preliminary".parse::<AcmeResultStatus>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "code `preliminary` is not in the required ValueSet http://acme.example/fhir/ValueSet/acme-result-status"
    );
    assert_eq!(AcmeCollectionMethod::Capillary.to_string(), "capillary");
    assert_eq!(
        AcmeCollectionMethod::from_code("venous"),
        Some(AcmeCollectionMethod::Venous)
    );
}

#[test]
fn definitions_lists_the_package_tables() {
    let ids: Vec<&str> = acme::DEFINITIONS.iter().map(|d| d.id).collect();
    assert_eq!(ids, ["acme-specimen-collection", "acme-lab-result"]);
    assert_eq!(
        acme::definition("acme-lab-result").unwrap().base,
        "Observation"
    );
    assert!(acme::definition("us-core-patient").is_none());
}

/// A user struct checked against the package's profile: at compile time for the elements it
/// requires, at run time by `to_resource` against its table.
#[derive(FhirResource, Debug, Clone, PartialEq)]
#[fhir(resource = "Observation", profile = "acme-lab-result")]
struct GlucoseResult {
    #[fhir(path = "status")]
    status: ObservationStatus,
    #[fhir(path = "category")]
    category: Vec<CodeableConcept>,
    #[fhir(path = "code")]
    code: CodeableConcept,
    #[fhir(path = "subject.reference")]
    patient: Option<String>,
    #[fhir(path = "effectiveDateTime")]
    taken: Option<DateTime>,
    #[fhir(path = "valueQuantity")]
    value: Option<Quantity>,
}

#[test]
fn the_derive_checks_the_package_profile_when_writing() {
    let observation = observation(glucose_json());
    let mut result = GlucoseResult::from_resource(&observation).unwrap();
    assert_eq!(result.patient.as_deref(), Some("Patient/p1"));
    let written = result.to_resource().unwrap();
    assert_eq!(written.status, observation.status);

    result.status = ObservationStatus::Preliminary;
    result.taken = None;
    let err = result.to_resource().unwrap_err();
    assert_eq!(err.path, "Observation.status", "{err}");
    assert!(err.message.ends_with("(profile acme-lab-result)"), "{err}");
}

#[test]
fn the_derive_reports_an_element_the_package_profile_requires() {
    let mut result = GlucoseResult::from_resource(&observation(glucose_json())).unwrap();
    result.taken = None;
    let err = result.to_resource().unwrap_err();
    assert_eq!(err.path, "Observation.effective", "{err}");
    assert!(
        err.message
            .contains("minimum cardinality 1 in profile acme-lab-result"),
        "{err}"
    );
}
