//! The seed: Redox's Encounter-New message Bundle, built from Rust and read back.

#[path = "../../fhir-model/examples/redox_encounter_new.rs"]
#[allow(dead_code)]
mod redox;

use fhir_model::bundle::Rule;
use fhir_model::datatypes::ExtensionValue;
use fhir_model::json::compare::compare_bytes;
use fhir_model::resources::{Bundle, Encounter, MessageHeader, Patient};
use fhir_model::Resource;

fn seed() -> Option<Vec<u8>> {
    let path = fhir_tests::shared_file("mission/redox-encounter-new.json")?;
    Some(std::fs::read(path).unwrap())
}

#[test]
fn built_message_equals_the_seed_json() {
    let Some(expected) = seed() else { return };
    let bundle = redox::encounter_new_message().unwrap();
    let built = serde_json::to_vec_pretty(&bundle).unwrap();
    if let Err(e) = compare_bytes(&expected, &built) {
        panic!("the built Bundle differs from the seed: {e}");
    }
}

fn read_seed() -> Option<Bundle> {
    let bytes = seed()?;
    match serde_json::from_slice::<Resource>(&bytes).unwrap() {
        Resource::Bundle(bundle) => Some(*bundle),
        other => panic!("expected a Bundle, got {}", other.resource_type()),
    }
}

#[test]
fn read_back_message_header_comes_first() {
    let Some(bundle) = read_seed() else { return };
    assert!(matches!(
        bundle.entry[0].resource,
        Some(Resource::MessageHeader(_))
    ));
    assert!(
        bundle.check_invariants().is_empty(),
        "{:?}",
        bundle.check_invariants()
    );
    let header = bundle.resources::<MessageHeader>().next().unwrap();
    let Some(fhir_model::resources::MessageHeaderEvent::Coding(event)) = &header.event else {
        panic!("no eventCoding")
    };
    assert_eq!(
        event.code.as_ref().unwrap().value().unwrap().as_str(),
        "Encounter-New"
    );
}

#[test]
fn read_back_subject_resolves_by_type_and_id_and_the_rest_dangles() {
    let Some(bundle) = read_seed() else { return };
    let resolutions = bundle.resolve_references();
    let subject = resolutions
        .iter()
        .find(|r| r.path == "Bundle.entry[1].resource.subject")
        .unwrap();
    assert_eq!(
        (subject.entry, subject.rule, subject.target),
        (Some(2), Rule::TypeId, Some("Patient"))
    );
    let dangling: Vec<(&str, &str)> = resolutions
        .iter()
        .filter(|r| r.rule == Rule::Dangling)
        .map(|r| (r.path.as_str(), r.reference.as_deref().unwrap()))
        .collect();
    assert_eq!(
        dangling,
        [
            (
                "Bundle.entry[1].resource.participant[0].individual",
                "Practitioner/RedoxPractitionerExampleEncounter"
            ),
            (
                "Bundle.entry[1].resource.diagnosis[0].condition",
                "Condition/RedoxConditionExampleEncounterDx"
            ),
            (
                "Bundle.entry[1].resource.location[0].location",
                "Location/RedoxLocationExampleEncounter"
            ),
            (
                "Bundle.entry[2].resource.generalPractitioner[0]",
                "Practitioner/RedoxPractitionerExamplePat"
            ),
            (
                "Bundle.entry[2].resource.managingOrganization",
                "Organization/RedoxOrganizationManagingExample"
            ),
        ]
    );
    assert_eq!(resolutions.len(), 6);
    let strict = bundle.resolve_references_strict().unwrap_err();
    assert_eq!(
        strict.len(),
        5,
        "strict mode reports each dangling reference"
    );

    let encounter = bundle.resources::<Encounter>().next().unwrap();
    let patient: &Patient = bundle.resolve(encounter.subject.as_ref().unwrap()).unwrap();
    assert_eq!(
        patient.id.as_ref().unwrap().value().unwrap().as_str(),
        "RedoxPatientExampleTimothy"
    );
}

#[test]
fn read_back_us_core_race_and_ethnicity_are_reachable() {
    let Some(bundle) = read_seed() else { return };
    let patient = bundle.resources::<Patient>().next().unwrap();
    let by_url = |url: &str| {
        patient
            .extension
            .iter()
            .find(|e| e.url.as_ref().is_some_and(|u| u.as_str() == url))
            .unwrap()
    };
    let race = by_url("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race");
    let Some(ExtensionValue::String(text)) = &race.extension[0].value else {
        panic!("race text")
    };
    assert_eq!(text.value().unwrap().as_str(), "White");
    let ethnicity = by_url("http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity");
    let Some(ExtensionValue::Coding(omb)) = &ethnicity.extension[0].value else {
        panic!("ombCategory")
    };
    assert_eq!(
        omb.code.as_ref().unwrap().value().unwrap().as_str(),
        "2135-2"
    );
}
