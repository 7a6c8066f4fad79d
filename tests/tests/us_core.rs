//! US Core 5.0.1: typed views and extensions generated from definitions/us-core, and profile
//! validation.

use fhir_model::datatypes::{Coding, Extension, ExtensionValue};
use fhir_model::profile::{Check, ElementMeta, ProfileMeta, Rule};
use fhir_model::resources::{Observation, Patient};
use fhir_model::us_core::{UsCoreBirthSex, UsCoreBloodPressure, UsCorePatient, UsCoreRace};
use fhir_model::validate::{validate_resource, IssueCode};
use fhir_model::Resource;
use serde_json::{json, Value};

fn seed_patient_json() -> Option<Value> {
    let path = fhir_tests::shared_file("mission/redox-encounter-new.json")?;
    let bundle: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let entries = bundle["entry"].as_array().unwrap();
    let patient = entries
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == "Patient")
        .expect("the seed has a Patient");
    Some(patient.clone())
}

fn patient(json: &Value) -> Patient {
    match serde_json::from_value::<Resource>(json.clone()).unwrap() {
        Resource::Patient(p) => *p,
        other => panic!("expected a Patient, got {}", other.resource_type()),
    }
}

fn paths(issues: &[fhir_model::validate::Issue]) -> Vec<(&str, IssueCode)> {
    issues.iter().map(|i| (i.path.as_str(), i.code)).collect()
}

#[test]
fn seed_patient_reads_into_the_us_core_view() {
    let Some(json) = seed_patient_json() else {
        return;
    };
    let view = UsCorePatient::new(patient(&json));
    let race = view.race().expect("race");
    assert_eq!(race.text().map(|t| t.as_str()), Some("White"));
    assert!(race.omb_category().is_empty());
    let ethnicity = view.ethnicity().expect("ethnicity");
    let omb: Vec<_> = ethnicity
        .omb_category()
        .iter()
        .filter_map(|c| c.code.as_ref()?.value().map(|c| c.as_str().to_owned()))
        .collect();
    assert_eq!(omb, ["2135-2"]);
    assert_eq!(ethnicity.text().map(|t| t.as_str()), Some("Hispanic"));
    assert!(view.birth_sex().is_none());
    // Deref: the Patient's own fields.
    assert_eq!(view.identifier.len(), 2);
}

#[test]
fn seed_patient_validates_against_us_core_patient() {
    let Some(json) = seed_patient_json() else {
        return;
    };
    let view = UsCorePatient::new(patient(&json));
    assert_eq!(view.validate(), []);
    let base = errors(validate_resource(&Resource::from(view.into_inner())));
    assert_eq!(base, []);
}

/// Errors only: the seed has no narrative, which dom-6 warns about.
fn errors(issues: Vec<fhir_model::validate::Issue>) -> Vec<fhir_model::validate::Issue> {
    issues
        .into_iter()
        .filter(|i| i.severity == fhir_model::validate::Severity::Error)
        .collect()
}

#[test]
fn missing_name_is_reported_with_its_path() {
    let Some(mut json) = seed_patient_json() else {
        return;
    };
    json.as_object_mut().unwrap().remove("name");
    let issues = UsCorePatient::new(patient(&json)).validate();
    // The name's cardinality, and us-core-6: a name part or a data-absent-reason.
    assert_eq!(
        paths(&issues),
        [
            ("Patient.name", IssueCode::Required),
            ("Patient", IssueCode::Invariant)
        ]
    );
    assert!(
        issues[1].message.starts_with("us-core-6: "),
        "{}",
        issues[1].message
    );
    assert!(
        issues[0].message.contains("us-core-patient"),
        "{}",
        issues[0]
    );
    // Base Patient allows no name: only the profile complains.
    assert_eq!(
        errors(validate_resource(&Resource::Patient(Box::new(patient(
            &json
        ))))),
        []
    );
}

#[test]
fn identifier_gender_and_nested_cardinality_are_checked() {
    let json = json!({"resourceType": "Patient", "name": [{"family": "X"}],
        "telecom": [{"value": "555"}]});
    let issues = UsCorePatient::new(patient(&json)).validate();
    assert_eq!(
        paths(&issues),
        [
            ("Patient.identifier", IssueCode::Required),
            ("Patient.telecom[0].system", IssueCode::Required),
            ("Patient.gender", IssueCode::Required),
        ]
    );
}

fn race_json() -> Value {
    json!({
        "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
        "id": "r1",
        "extension": [
            {"url": "text", "valueString": "Mixed"},
            {"url": "http://example.org/unknown", "valueBoolean": true},
            {"url": "ombCategory", "id": "c1",
             "valueCoding": {"system": "urn:oid:2.16.840.1.113883.6.238", "code": "2106-3"}},
            {"url": "ombCategory",
             "valueCoding": {"system": "urn:oid:2.16.840.1.113883.6.238", "code": "2054-5"}}
        ]
    })
}

#[test]
fn typed_extension_round_trip_is_lossless() {
    let extension: Extension = serde_json::from_value(race_json()).unwrap();
    let race = UsCoreRace::from_extension(extension.clone()).unwrap();
    assert_eq!(race.omb_category().len(), 2);
    assert_eq!(race.text().map(|t| t.as_str()), Some("Mixed"));
    assert_eq!(
        serde_json::to_value(race.as_extension()).unwrap(),
        race_json()
    );

    // Writing the typed values back changes nothing.
    let mut same = race.clone();
    same.set_text(race.text().cloned());
    same.set_omb_category(race.omb_category().into_iter().cloned().collect());
    assert_eq!(
        serde_json::to_value(Extension::from(same)).unwrap(),
        race_json()
    );

    // Changing one value keeps the unknown sub-extension, the ids and the order.
    let mut changed = race;
    changed.set_omb_category(vec![Coding {
        code: Some("2028-9".parse().unwrap()),
        ..Default::default()
    }]);
    let out = serde_json::to_value(changed.as_extension()).unwrap();
    assert_eq!(
        out["extension"],
        json!([
            {"url": "text", "valueString": "Mixed"},
            {"url": "http://example.org/unknown", "valueBoolean": true},
            {"url": "ombCategory", "id": "c1", "valueCoding": {"code": "2028-9"}}
        ])
    );
    assert_eq!(out["id"], "r1");

    // Another URL is given back unchanged.
    let other = Extension {
        url: Some("http://example.org/x".parse().unwrap()),
        ..Default::default()
    };
    assert_eq!(UsCoreRace::from_extension(other.clone()), Err(other));
}

#[test]
fn setting_an_extension_on_the_view_leaves_other_extensions_alone() {
    let json = json!({"resourceType": "Patient", "extension": [
        {"url": "http://example.org/first", "valueString": "a"},
        {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
         "extension": [{"url": "text", "valueString": "White"}]},
        {"url": "http://example.org/last", "valueString": "z"}]});
    let mut view = UsCorePatient::new(patient(&json));
    let mut birth_sex = UsCoreBirthSex::new();
    birth_sex.set_value(Some("F".parse().unwrap()));
    view.set_birth_sex(Some(birth_sex));
    let mut race = view.race().unwrap();
    race.set_text(Some("Asian".parse().unwrap()));
    view.set_race(Some(race));
    let out = serde_json::to_value(view.into_inner()).unwrap();
    let urls: Vec<&str> = out["extension"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "http://example.org/first",
            "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
            "http://example.org/last",
            "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex",
        ]
    );
    assert_eq!(out["extension"][1]["extension"][0]["valueString"], "Asian");
    assert_eq!(out["extension"][3]["valueCode"], "F");
}

#[test]
fn extension_slices_are_checked_by_url_cardinality_and_value_type() {
    let race = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    let json = json!({"resourceType": "Patient", "identifier": [{"system": "s", "value": "v"}],
        "name": [{"family": "X"}], "gender": "female", "extension": [
            {"url": race, "extension": [{"url": "text", "valueString": "White"}]},
            {"url": race, "extension": [
                {"url": "text", "valueCode": "White"},
                {"url": "ombCategory", "valueString": "2106-3"}]},
            {"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex",
             "valueString": "F"}]});
    let issues = UsCorePatient::new(patient(&json)).validate();
    assert_eq!(
        paths(&issues),
        [
            ("Patient.extension", IssueCode::Structure),
            (
                "Patient.extension[1].extension[1].valueString",
                IssueCode::Structure
            ),
            (
                "Patient.extension[1].extension[0].valueCode",
                IssueCode::Structure
            ),
            ("Patient.extension[2].valueString", IssueCode::Structure),
        ],
        "{issues:#?}"
    );
    assert!(issues[0].message.contains("at most 1"), "{}", issues[0]);
}

fn blood_pressure() -> Value {
    let component = |code: &str, value: f64| {
        json!({"code": {"coding": [{"system": "http://loinc.org", "code": code}]},
               "valueQuantity": {"value": value, "unit": "mmHg",
                                 "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}})
    };
    json!({"resourceType": "Observation", "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9", "display": "BP"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2024-05-01",
        "component": [component("8480-6", 120.0), component("8462-4", 80.0)]})
}

fn observation(json: &Value) -> Observation {
    match serde_json::from_value::<Resource>(json.clone()).unwrap() {
        Resource::Observation(o) => *o,
        other => panic!("expected an Observation, got {}", other.resource_type()),
    }
}

#[test]
fn fixed_and_pattern_values_are_checked() {
    assert_eq!(
        UsCoreBloodPressure::new(observation(&blood_pressure())).validate(),
        []
    );

    let mut json = blood_pressure();
    json["code"]["coding"][0]["code"] = json!("12345-6");
    json["component"][0]["valueQuantity"]["code"] = json!("mmHg");
    let issues = UsCoreBloodPressure::new(observation(&json)).validate();
    assert_eq!(
        paths(&issues),
        [
            ("Observation.code", IssueCode::Value),
            (
                "Observation.component[0].valueQuantity.code",
                IssueCode::Value
            ),
        ],
        "{issues:#?}"
    );
    assert!(issues[0].message.contains("85354-9"), "{}", issues[0]);
    assert!(issues[1].message.contains("mm[Hg]"), "{}", issues[1]);

    // A component whose code matches no slice leaves the diastolic slice empty.
    json["component"][1]["code"]["coding"][0]["code"] = json!("0000-0");
    let issues = UsCoreBloodPressure::new(observation(&json)).validate();
    assert!(
        issues.iter().any(|i| i.path == "Observation.component"
            && i.code == IssueCode::Required
            && i.message.contains("slice diastolic")),
        "{issues:#?}"
    );
}

/// US Core's own ValueSets are not in the package we have, so its extension bindings carry no
/// codes; the check itself is exercised with a table of the same shape as generated ones.
static MARITAL: ProfileMeta = ProfileMeta {
    id: "test-marital",
    url: "http://example.org/StructureDefinition/test-marital",
    base: "Patient",
    elements: &[ElementMeta {
        id: "Patient.maritalStatus",
        min: 0,
        max: Some(1),
        types: &["CodeableConcept"],
    }],
    slices: &[],
    constraints: &[],
    rules: &[Rule {
        id: "Patient.maritalStatus",
        check: Check::Binding {
            value_set: "http://example.org/ValueSet/married-or-not",
            codes: &["M", "S"],
        },
    }],
};

#[test]
fn required_bindings_are_checked() {
    let with = |code: &str| {
        patient(&json!({"resourceType": "Patient",
            "maritalStatus": {"coding": [{"system": "x", "code": code}]}}))
    };
    assert_eq!(fhir_model::profile::validate(&with("M"), &MARITAL), []);
    let issues = fhir_model::profile::validate(&with("W"), &MARITAL);
    assert_eq!(
        paths(&issues),
        [("Patient.maritalStatus", IssueCode::CodeInvalid)]
    );
    assert!(
        issues[0]
            .message
            .starts_with("W: not in the required ValueSet"),
        "{}",
        issues[0]
    );
}

#[test]
fn profile_tables_are_found_by_id() {
    let table = fhir_model::us_core::definition("us-core-patient").unwrap();
    assert_eq!(table.base, "Patient");
    let name = table.element("Patient.name").unwrap();
    assert_eq!((name.min, name.max), (1, None));
    assert_eq!(fhir_model::us_core::DEFINITIONS.len(), 8);
    let value = fhir_model::us_core::US_CORE_BIRTHSEX
        .element("Extension.value[x]")
        .unwrap();
    assert_eq!(value.types, ["code"]);
    let mut birth_sex = UsCoreBirthSex::new();
    assert!(birth_sex.as_extension().value.is_none());
    birth_sex.set_value(Some("UNK".parse().unwrap()));
    assert!(matches!(
        birth_sex.as_extension().value,
        Some(ExtensionValue::Code(_))
    ));
    assert_eq!(birth_sex.validate(), []);
}

#[path = "../../fhir-model/examples/us_core.rs"]
#[allow(dead_code)]
mod us_core_example;

/// The documented output line of `cargo run --example us_core` for the seed, key order included.
#[test]
fn us_core_example_prints_the_documented_line_for_the_seed() {
    let Some(path) = fhir_tests::shared_file("mission/redox-encounter-new.json") else {
        return;
    };
    let resource: Resource = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(
        us_core_example::lines(resource),
        vec![
            r#"{"path": "Bundle.entry[2].resource", "race": {"text": "White", "omb": []}, "ethnicity": {"text": "Hispanic", "omb": ["2135-2"]}, "valid": true, "issues": []}"#
        ]
    );
}

/// Issue #13: profile validation evaluates the profile's own constraints (US Core's), with
/// the same key-first messages and element paths as the base ones.
#[test]
fn us_core_constraints_are_checked_by_profile_validation() {
    use fhir_model::validate::Severity;
    let invariant_issues =
        |issues: Vec<fhir_model::validate::Issue>| -> Vec<(String, String, Severity)> {
            issues
                .into_iter()
                .filter(|i| i.code == IssueCode::Invariant)
                .map(|i| {
                    let key = i.message.split(':').next().unwrap_or_default().to_owned();
                    (key, i.path, i.severity)
                })
                .collect()
        };
    // us-core-6: a name part, or a data-absent-reason extension, exactly one of them.
    let nameless = patient(&json!({"resourceType": "Patient", "gender": "male"}));
    assert_eq!(
        invariant_issues(UsCorePatient::new(nameless).validate()),
        [(
            "us-core-6".to_owned(),
            "Patient".to_owned(),
            Severity::Error
        )]
    );
    let named = patient(&json!({"resourceType": "Patient", "name": [{"family": "Doe"}]}));
    assert_eq!(invariant_issues(UsCorePatient::new(named).validate()), []);

    let observation = |json: Value| match serde_json::from_value::<Resource>(json).unwrap() {
        Resource::Observation(o) => *o,
        other => panic!("expected an Observation, got {}", other.resource_type()),
    };
    // vs-1: effective[x] as a dateTime has at least a day; vs-2: no component, no member,
    // then a value or a data absent reason; vs-3 on each component likewise.
    let bare = observation(json!({
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "BP"},
        "effectiveDateTime": "2020"
    }));
    let mut found = invariant_issues(UsCoreBloodPressure::new(bare).validate());
    found.sort();
    assert_eq!(
        found,
        [
            (
                "vs-1".to_owned(),
                "Observation.effectiveDateTime".to_owned(),
                Severity::Error
            ),
            ("vs-2".to_owned(), "Observation".to_owned(), Severity::Error),
        ]
    );
    let with_components = observation(json!({
        "resourceType": "Observation",
        "status": "final",
        "code": {"text": "BP"},
        "effectiveDateTime": "2020-03-04",
        "component": [
            {"code": {"text": "systolic"}, "valueQuantity": {"value": 120}},
            {"code": {"text": "diastolic"}}
        ]
    }));
    assert_eq!(
        invariant_issues(UsCoreBloodPressure::new(with_components).validate()),
        [(
            "vs-3".to_owned(),
            "Observation.component[1]".to_owned(),
            Severity::Error
        )]
    );
}
