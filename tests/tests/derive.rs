//! `#[derive(FhirResource, FhirExtension, FhirBundle)]`: the Redox seed from user structs and
//! back, round trips of user structs through JSON for five resource types, and the runtime
//! errors of mapping (each naming the element path).

#[path = "../../fhir-model/examples/derive_redox.rs"]
#[allow(dead_code)]
mod redox;

use fhir_model::codes::{EncounterStatus, ObservationStatus};
use fhir_model::datatypes::{CodeableConcept, Coding, Quantity, Reference};
use fhir_model::json::compare::compare_bytes;
use fhir_model::mapping::{FhirBundle, FhirExtension, FhirResource, Key, MappingError};
use fhir_model::primitives::{Date, DateTime, Instant};
use fhir_model::resources::{Bundle, Condition, Encounter, MessageHeader, Observation, Patient};
use fhir_model::{ConcreteResource, Resource};
use redox::{EncounterNew, Header, PatientRecord, Visit};

fn seed() -> Option<Vec<u8>> {
    let path = fhir_tests::shared_file("mission/redox-encounter-new.json")?;
    Some(std::fs::read(path).unwrap())
}

fn read_bundle(bytes: &[u8]) -> Bundle {
    match serde_json::from_slice::<Resource>(bytes).unwrap() {
        Resource::Bundle(b) => *b,
        other => panic!("expected a Bundle, got {}", other.resource_type()),
    }
}

#[test]
fn user_structs_produce_exactly_the_seed() {
    let Some(expected) = seed() else { return };
    let bundle = redox::encounter_new().unwrap().to_bundle().unwrap();
    let built = serde_json::to_vec_pretty(&bundle).unwrap();
    if let Err(e) = compare_bytes(&expected, &built) {
        panic!("the derived Bundle differs from the seed: {e}");
    }
}

#[test]
fn reading_the_seed_back_gives_the_same_user_structs() {
    let Some(bytes) = seed() else { return };
    let read = EncounterNew::from_bundle(&read_bundle(&bytes)).unwrap();
    let expected = redox::encounter_new().unwrap();
    assert_eq!(read, expected);
    // The typed key came back through the Bundle's type-id resolution.
    assert_eq!(
        read.visit.patient.as_ref().map(Key::id),
        Some("RedoxPatientExampleTimothy")
    );
    assert_eq!(
        read.patient
            .ethnicity
            .unwrap()
            .omb_category
            .unwrap()
            .code
            .unwrap()
            .value()
            .unwrap()
            .as_str(),
        "2135-2"
    );
    assert_eq!(read.patient.race.unwrap().text, "White");
}

/// JSON text of a user struct's resource, then back through `Resource` into the user type.
fn through_json<T>(value: &T) -> T
where
    T: FhirResource,
    T::Resource: serde::Serialize,
{
    let resource: Resource = value.to_resource().unwrap().into();
    let json = serde_json::to_string(&resource).unwrap();
    let decoded: Resource = serde_json::from_str(&json).unwrap();
    let typed = T::Resource::from_resource(&decoded).expect("same resource type");
    T::from_resource(typed).unwrap()
}

#[test]
fn seed_structs_round_trip_alone() {
    let message = redox::encounter_new().unwrap();
    assert_eq!(through_json(&message.header), message.header);
    // Alone, the fullUrl is not part of the resource.
    let visit = Visit {
        full_url: None,
        ..message.visit
    };
    assert_eq!(through_json(&visit), visit);
    let patient = PatientRecord {
        full_url: None,
        ..message.patient
    };
    assert_eq!(through_json(&patient), patient);
}

#[derive(FhirResource, Debug, PartialEq, Clone)]
#[fhir(resource = "Observation")]
struct HeartRate {
    #[fhir(path = "id")]
    id: Option<String>,
    #[fhir(path = "status")]
    status: ObservationStatus,
    #[fhir(path = "code.coding", system = "http://loinc.org")]
    loinc: Option<String>,
    #[fhir(path = "code.text")]
    label: Option<String>,
    #[fhir(path = "subject")]
    patient: Option<Key<PatientRecord>>,
    #[fhir(path = "effectiveDateTime")]
    taken: Option<DateTime>,
    #[fhir(path = "valueQuantity.value")]
    beats: Option<fhir_model::primitives::Decimal>,
    #[fhir(path = "valueQuantity.unit")]
    unit: Option<String>,
    #[fhir(path = "note[0].text")]
    note: Option<String>,
    #[fhir(path = "component.code")]
    components: Vec<CodeableConcept>,
}

#[derive(FhirResource, Debug, PartialEq, Clone)]
#[fhir(resource = "Condition")]
struct Problem {
    #[fhir(path = "id")]
    id: Option<String>,
    #[fhir(
        path = "clinicalStatus",
        system = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    )]
    clinical_status: Option<String>,
    #[fhir(path = "code")]
    code: Option<CodeableConcept>,
    #[fhir(path = "subject")]
    patient: Key<PatientRecord>,
    #[fhir(path = "onsetDateTime")]
    onset: Option<DateTime>,
    #[fhir(path = "recordedDate")]
    recorded: Option<DateTime>,
    #[fhir(extension = "http://example.org/fhir/StructureDefinition/severity-score")]
    scores: Vec<i32>,
    #[fhir(skip)]
    cache: Option<String>,
}

fn heart_rate() -> HeartRate {
    HeartRate {
        id: Some("hr-1".into()),
        status: ObservationStatus::Final,
        loinc: Some("8867-4".into()),
        label: Some("Heart rate".into()),
        patient: Some(Key::new("p1").unwrap()),
        taken: Some("2024-05-01T10:00:00+02:00".parse().unwrap()),
        beats: Some("72.0".parse().unwrap()),
        unit: Some("beats/minute".into()),
        note: Some("at rest".into()),
        components: vec![CodeableConcept {
            text: Some("first".parse().unwrap()),
            ..Default::default()
        }],
    }
}

#[test]
fn observation_round_trips_with_choice_system_and_index_paths() {
    let hr = heart_rate();
    let resource = hr.to_resource().unwrap();
    let json = serde_json::to_value(Resource::from(resource.clone())).unwrap();
    assert_eq!(json["code"]["coding"][0]["system"], "http://loinc.org");
    assert_eq!(json["code"]["coding"][0]["code"], "8867-4");
    assert_eq!(
        json["valueQuantity"]["value"].to_string(),
        "72.0",
        "decimal text is kept"
    );
    assert_eq!(json["subject"]["reference"], "Patient/p1");
    assert_eq!(json["note"][0]["text"], "at rest");
    assert_eq!(through_json(&hr), hr);
    assert_eq!(HeartRate::try_from(&resource).unwrap(), hr);
    assert_eq!(Observation::try_from(&hr).unwrap(), resource);
}

#[test]
fn condition_round_trips_with_extensions_and_skipped_fields() {
    let problem = Problem {
        id: Some("c1".into()),
        clinical_status: Some("active".into()),
        code: Some(CodeableConcept {
            text: Some("Pneumonia".parse().unwrap()),
            ..Default::default()
        }),
        patient: Key::new("p1").unwrap(),
        onset: Some("2024".parse().unwrap()),
        recorded: None,
        scores: vec![3, 5],
        cache: Some("not mapped".into()),
    };
    let json = serde_json::to_value(Resource::from(problem.to_resource().unwrap())).unwrap();
    assert_eq!(json["extension"].as_array().unwrap().len(), 2);
    assert_eq!(json["extension"][1]["valueInteger"], 5);
    assert_eq!(json["clinicalStatus"]["coding"][0]["code"], "active");
    let back = through_json(&problem);
    assert_eq!(back.cache, None, "skipped fields read as Default");
    assert_eq!(
        Problem {
            cache: None,
            ..problem
        },
        back
    );
}

#[test]
fn encounter_and_message_header_round_trip() {
    let message = redox::encounter_new().unwrap();
    let mut visit = message.visit;
    visit.full_url = None;
    visit.status = EncounterStatus::InProgress;
    visit.kinds.clear();
    visit.start = None;
    assert_eq!(through_json(&visit), visit);
    let header = Header {
        id: None,
        event: None,
        source_name: None,
        source_endpoint: "https://example.org/endpoint".into(),
    };
    // `MessageHeader.event[x]` is required: a header without it is refused, at that path.
    let err = header.to_resource().unwrap_err();
    assert_eq!(err.path, "MessageHeader.event", "{err}");
}

#[test]
fn reading_reports_the_missing_required_element_by_path() {
    let mut encounter = redox::encounter_new().unwrap().visit.to_resource().unwrap();
    encounter.status = None;
    let err = Visit::from_resource(&encounter).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Encounter.status: required element is missing"
    );
}

#[test]
fn a_key_to_the_wrong_type_is_an_error() {
    let mut observation = heart_rate().to_resource().unwrap();
    observation.subject = Some(Box::new(Reference::to_literal("Group/g1").unwrap()));
    let err = HeartRate::from_resource(&observation).unwrap_err();
    assert_eq!(err.path, "Observation.subject");
    assert!(
        err.message
            .contains("refers to a Group, expected a Patient"),
        "{err}"
    );
}

#[test]
fn a_choice_holding_another_type_is_an_error_not_a_silent_none() {
    let mut observation = heart_rate().to_resource().unwrap();
    observation.value = Some(fhir_model::resources::ObservationValue::String(
        "high".parse().unwrap(),
    ));
    let err = HeartRate::from_resource(&observation).unwrap_err();
    assert_eq!(err.path, "Observation.valueQuantity.value");
    assert_eq!(err.message, "holds another type than valueQuantity");
}

#[test]
fn invalid_text_is_refused_with_the_element_path() {
    let mut hr = heart_rate();
    hr.label = Some(String::new());
    let err = hr.to_resource().unwrap_err();
    assert_eq!(err.path, "Observation.code.text");
    let mut problem_json = serde_json::json!({
        "resourceType": "Condition", "subject": {"reference": "Patient/p1"},
        "extension": [{"url": "http://example.org/fhir/StructureDefinition/severity-score", "valueString": "high"}]
    });
    let resource: Resource = serde_json::from_value(problem_json.take()).unwrap();
    let condition = Condition::from_resource(&resource).unwrap();
    let err = Problem::from_resource(condition).unwrap_err();
    assert_eq!(err.path, "Condition.extension[0].value[x]");
    assert_eq!(err.message, "expected valueInteger, found valueString");
}

#[test]
fn an_extension_repeated_where_the_field_holds_one_is_an_error() {
    let mut patient: Patient = redox::encounter_new()
        .unwrap()
        .patient
        .to_resource()
        .unwrap();
    let race = patient.extension[0].clone();
    patient.extension.push(race);
    let err = PatientRecord::from_resource(&patient).unwrap_err();
    assert_eq!(err.path, "Patient.extension[2]");
    assert!(err.message.contains("a second extension"), "{err}");
}

#[test]
fn a_complex_extension_missing_its_required_part_names_it() {
    let mut patient: Patient = redox::encounter_new()
        .unwrap()
        .patient
        .to_resource()
        .unwrap();
    patient.extension[0].extension.clear();
    patient.extension[0].value = Some(fhir_model::datatypes::ExtensionValue::Boolean(true.into()));
    let err = PatientRecord::from_resource(&patient).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Patient.extension[0].extension('text'): required element is missing"
    );
}

#[derive(FhirExtension, Debug, PartialEq)]
#[fhir(url = "http://example.org/fhir/StructureDefinition/nickname")]
struct Nickname {
    #[fhir(value)]
    value: String,
}

#[derive(FhirResource, Debug, PartialEq)]
#[fhir(resource = "Patient")]
struct Minimal {
    #[fhir(path = "id")]
    id: Option<String>,
    #[fhir(path = "name[0].family")]
    family: Option<String>,
    #[fhir(path = "name[0].given")]
    given: Vec<String>,
    #[fhir(path = "telecom", system = "email")]
    email: Option<String>,
    #[fhir(extension)]
    nicknames: Vec<Nickname>,
    #[fhir(
        path = "birthDate",
        extension = "http://example.org/fhir/StructureDefinition/approx"
    )]
    approximate: Option<bool>,
}

#[test]
fn indexed_paths_telecom_by_system_and_simple_user_extensions() {
    let person = Minimal {
        id: Some("m1".into()),
        family: Some("Chalmers".into()),
        given: vec!["Peter".into(), "James".into()],
        email: Some("p@example.org".into()),
        nicknames: vec![Nickname {
            value: "Pete".into(),
        }],
        approximate: Some(true),
    };
    let json = serde_json::to_value(Resource::from(person.to_resource().unwrap())).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "resourceType": "Patient", "id": "m1",
            "extension": [{"url": "http://example.org/fhir/StructureDefinition/nickname", "valueString": "Pete"}],
            "name": [{"family": "Chalmers", "given": ["Peter", "James"]}],
            "_birthDate": {"extension": [{"url": "http://example.org/fhir/StructureDefinition/approx", "valueBoolean": true}]},
            "telecom": [{"system": "email", "value": "p@example.org"}]
        })
    );
    assert_eq!(through_json(&person), person);
}

#[derive(FhirBundle, Debug, PartialEq)]
#[fhir(bundle = "collection")]
struct Chart {
    patient: PatientRecord,
    problems: Vec<Problem>,
    vitals: Option<HeartRate>,
    #[fhir(rest)]
    others: Vec<Resource>,
}

fn chart() -> Chart {
    let mut patient = redox::encounter_new().unwrap().patient;
    patient.full_url = Some("https://example.org/fhir/Patient/RedoxPatientExampleTimothy".into());
    let problem = |id: &str| Problem {
        id: Some(id.into()),
        clinical_status: None,
        code: None,
        patient: Key::of(&patient).unwrap(),
        onset: None,
        recorded: None,
        scores: vec![],
        cache: None,
    };
    Chart {
        problems: vec![problem("c1"), problem("c2")],
        patient,
        vitals: None,
        others: vec![],
    }
}

#[test]
fn a_collection_bundle_round_trips_and_keeps_unmapped_entries() {
    let chart = chart();
    let mut bundle = chart.to_bundle().unwrap();
    assert_eq!(bundle.entry.len(), 3);
    let json = serde_json::to_vec(&Resource::from(bundle.clone())).unwrap();
    assert_eq!(Chart::from_bundle(&read_bundle(&json)).unwrap(), chart);

    // An entry no field takes goes to the `rest` field, not away.
    bundle.entry.push(fhir_model::resources::BundleEntry {
        resource: Some(Resource::from(MessageHeader::default())),
        ..Default::default()
    });
    let read = Chart::from_bundle(&bundle).unwrap();
    assert_eq!(read.others.len(), 1);
}

#[derive(FhirBundle, Debug)]
#[fhir(bundle = "collection")]
struct StrictChart {
    patient: PatientRecord,
    problems: Vec<Problem>,
}

#[test]
fn bundle_reading_fails_on_dangling_keys_wrong_types_and_leftovers() {
    let mut bundle = chart().to_bundle().unwrap();
    // A key must resolve inside the Bundle.
    let mut dangling = bundle.clone();
    let condition =
        Condition::from_resource_mut(dangling.entry[1].resource.as_mut().unwrap()).unwrap();
    condition.subject = Some(Box::new(
        Reference::to_literal("Patient/elsewhere").unwrap(),
    ));
    let err = StrictChart::from_bundle(&dangling).unwrap_err();
    assert_eq!(err.path, "Bundle.entry[1].resource.subject");
    assert!(err.message.contains("does not resolve"), "{err}");

    // A required field without an entry of its type.
    let mut no_patient = bundle.clone();
    no_patient.entry.remove(0);
    let err = StrictChart::from_bundle(&no_patient).unwrap_err();
    assert!(
        err.message
            .contains("no Patient entry for the field `patient`"),
        "{err}"
    );

    // An entry no field takes is an error without a `rest` field.
    bundle.entry.push(fhir_model::resources::BundleEntry {
        resource: Some(Resource::from(Encounter::default())),
        ..Default::default()
    });
    let err = StrictChart::from_bundle(&bundle).unwrap_err();
    assert_eq!(err.path, "Bundle.entry[3]");

    // The Bundle type must match.
    let Some(bytes) = seed() else { return };
    let err = StrictChart::from_bundle(&read_bundle(&bytes)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Bundle.type: expected a collection Bundle, found message"
    );
}

#[derive(FhirBundle, Debug)]
#[fhir(bundle = "transaction")]
struct Upload {
    patient: PatientRecord,
    problems: Vec<Problem>,
}

#[test]
fn a_transaction_puts_resources_with_ids() {
    let mut chart = chart();
    chart.patient.full_url = None;
    let upload = Upload {
        patient: chart.patient,
        problems: chart.problems,
    };
    let bundle = upload.to_bundle().unwrap();
    let request = bundle.entry[1].request.as_ref().unwrap();
    assert_eq!(
        request.url.as_ref().unwrap().value().unwrap().as_str(),
        "Condition/c1"
    );
    let condition = Condition::from_resource(bundle.entry[1].resource.as_ref().unwrap()).unwrap();
    assert_eq!(
        condition
            .subject
            .as_ref()
            .unwrap()
            .reference
            .as_ref()
            .unwrap()
            .value()
            .unwrap()
            .as_str(),
        "Patient/RedoxPatientExampleTimothy"
    );
}

#[test]
fn mapping_errors_display_path_then_message() {
    let e = MappingError::missing("Encounter.status");
    assert_eq!(
        e.to_string(),
        "Encounter.status: required element is missing"
    );
    let _: Option<Instant> = None;
    let _: Option<Date> = None;
    let _: Option<Quantity> = None;
    let _: Option<Coding> = None;
}

#[test]
fn a_profiled_struct_is_checked_against_its_profile() {
    let mut patient = redox::encounter_new().unwrap().patient;
    assert!(patient.to_resource().is_ok());
    // US Core Patient requires a name (1..*); the base Patient does not.
    patient.names.clear();
    let err = patient.to_resource().unwrap_err();
    assert_eq!(err.path, "Patient.name", "{err}");
    assert!(err.message.ends_with("(profile us-core-patient)"), "{err}");
}
