//! Literal references (references.html#literal), reference walking and target checks.

use fhir_model::datatypes::Reference;
use fhir_model::reference::Literal;
use fhir_model::resources::{Encounter, EncounterParticipant, Patient};
use fhir_model::visit::{for_each_reference, for_each_reference_mut};
use fhir_model::{Resource, TypedReference};

#[test]
fn relative_references_with_and_without_version() {
    assert_eq!(
        Literal::parse("Patient/123"),
        Ok(Literal::Relative {
            resource_type: "Patient",
            id: "123",
            version: None
        })
    );
    assert_eq!(
        Literal::parse("Observation/a.b-1/_history/2"),
        Ok(Literal::Relative {
            resource_type: "Observation",
            id: "a.b-1",
            version: Some("2")
        })
    );
}

#[test]
fn absolute_restful_references_keep_their_base() {
    assert_eq!(
        Literal::parse("https://example.org/fhir/Patient/123/_history/4"),
        Ok(Literal::Absolute {
            base: "https://example.org/fhir",
            resource_type: "Patient",
            id: "123",
            version: Some("4")
        })
    );
    assert_eq!(
        Literal::parse("http://x.org/Encounter/e1"),
        Ok(Literal::Absolute {
            base: "http://x.org",
            resource_type: "Encounter",
            id: "e1",
            version: None
        })
    );
    // Absolute URLs that are not RESTful FHIR URLs are kept as opaque URLs.
    assert_eq!(
        Literal::parse("https://example.org/a/b/c"),
        Ok(Literal::Url("https://example.org/a/b/c"))
    );
}

#[test]
fn urns_contained_and_conditional() {
    let uuid = "urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a";
    assert_eq!(Literal::parse(uuid), Ok(Literal::Uuid(uuid)));
    assert_eq!(
        Literal::parse("urn:oid:1.2.3.4"),
        Ok(Literal::Oid("urn:oid:1.2.3.4"))
    );
    assert_eq!(Literal::parse("#med1"), Ok(Literal::Contained("med1")));
    assert_eq!(Literal::parse("#"), Ok(Literal::Contained("")));
    assert_eq!(
        Literal::parse("Patient?identifier=http://x|1"),
        Ok(Literal::Conditional {
            resource_type: "Patient",
            query: "identifier=http://x|1"
        })
    );
}

#[test]
fn malformed_references_are_errors() {
    for (text, problem) in [
        ("Patient/", "missing id"),
        ("Patient/a b", "whitespace"),
        ("Patiant/1", "unknown resource type"),
        ("Patient", "expected Type/id"),
        (
            "Patient/1/2",
            "expected Type/id or Type/id/_history/version",
        ),
        ("Patient/abc$", "invalid id"),
        ("urn:uuid:NOT-A-UUID", "invalid urn:uuid"),
        ("urn:oid:9.9", "invalid urn:oid"),
        ("#a b", "whitespace"),
        ("", "empty"),
        ("Patient?", "empty search"),
    ] {
        let err = Literal::parse(text).unwrap_err();
        assert!(err.problem.contains(problem), "{text}: {err}");
    }
}

#[test]
fn logical_references_have_no_literal() {
    let reference: Reference =
        serde_json::from_str(r#"{"identifier":{"system":"http://x","value":"1"}}"#).unwrap();
    assert!(reference.literal().is_none());
}

#[test]
fn walking_yields_every_reference_with_zero_based_paths_and_targets() {
    let json = r#"{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
        "subject":{"reference":"Patient/p"},
        "participant":[{"type":[{"text":"x"}]},{"individual":{"reference":"Practitioner/d"}}],
        "diagnosis":[{"condition":{"reference":"Condition/c"}}],
        "serviceProvider":{"reference":"Organization/o","identifier":{"value":"1","assigner":{"reference":"Organization/a"}}},
        "extension":[{"url":"http://x","valueReference":{"reference":"Device/x"}}],
        "_status":{"extension":[{"url":"http://y","valueReference":{"reference":"Group/g"}}]}}"#;
    let resource: Resource = serde_json::from_str(json).unwrap();
    let mut seen = Vec::new();
    for_each_reference(&resource, "Encounter", |site, r| {
        seen.push((
            site.path.to_owned(),
            r.reference.as_ref().unwrap().value().unwrap().to_string(),
            site.targets.join("|"),
        ));
    });
    let seen: Vec<(&str, &str, &str)> = seen
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("Encounter.extension[0].valueReference", "Device/x", ""),
            (
                "Encounter.status.extension[0].valueReference",
                "Group/g",
                ""
            ),
            ("Encounter.subject", "Patient/p", "Patient|Group"),
            (
                "Encounter.participant[1].individual",
                "Practitioner/d",
                "Practitioner|PractitionerRole|RelatedPerson"
            ),
            (
                "Encounter.diagnosis[0].condition",
                "Condition/c",
                "Condition|Procedure"
            ),
            (
                "Encounter.serviceProvider",
                "Organization/o",
                "Organization"
            ),
            (
                "Encounter.serviceProvider.identifier.assigner",
                "Organization/a",
                "Organization"
            ),
        ]
    );
}

#[test]
fn walking_mutably_rewrites_references() {
    let mut resource: Resource = serde_json::from_str(r#"{"resourceType":"Patient","generalPractitioner":[{"reference":"Practitioner/1"},{"reference":"Practitioner/2"}]}"#).unwrap();
    for_each_reference_mut(&mut resource, "Patient", |site, r| {
        let old = r.reference.as_ref().unwrap().value().unwrap().to_string();
        *r = Reference::to_literal(&format!("https://x.org/fhir/{old}")).unwrap();
        assert!(site.path.starts_with("Patient.generalPractitioner["));
    });
    assert_eq!(
        serde_json::to_string(&resource).unwrap(),
        r#"{"resourceType":"Patient","generalPractitioner":[{"reference":"https://x.org/fhir/Practitioner/1"},{"reference":"https://x.org/fhir/Practitioner/2"}]}"#
    );
}

#[test]
fn decoded_reference_to_a_disallowed_type_is_reported_with_its_path() {
    let json = r#"{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"subject":{"reference":"Practitioner/1"},"diagnosis":[{"condition":{"reference":"Observation/2"}}],"participant":[{"individual":{"reference":"Patient/"}}]}"#;
    let resource: Resource = serde_json::from_str(json).unwrap();
    let issues = resource.check_references();
    let found: Vec<(&str, &str)> = issues
        .iter()
        .map(|i| (i.path.as_str(), i.problem.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Encounter.subject",
                "a reference to Practitioner is not allowed here; expected Patient | Group"
            ),
            ("Encounter.participant[0].individual", "missing id"),
            (
                "Encounter.diagnosis[0].condition",
                "a reference to Observation is not allowed here; expected Condition | Procedure"
            ),
        ]
    );
}

#[test]
fn typed_references_build_the_reference_string() {
    let patient = Patient {
        id: Some("p1".parse().unwrap()),
        ..Default::default()
    };
    let to_patient = TypedReference::to(&patient).unwrap();
    assert_eq!(
        to_patient
            .reference
            .as_ref()
            .unwrap()
            .value()
            .unwrap()
            .as_str(),
        "Patient/p1"
    );
    let mut encounter = Encounter::default();
    encounter.set_subject(to_patient.display("Peter").unwrap());
    let mut participant = EncounterParticipant::default();
    participant.set_individual(
        TypedReference::<fhir_model::resources::Practitioner>::url(
            "urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a",
        )
        .unwrap(),
    );
    encounter.participant.push(participant);
    assert!(
        TypedReference::<Patient>::url("Group/1").is_err(),
        "a string naming another type is refused"
    );
    assert!(TypedReference::<Patient>::id("bad id").is_err());
    assert!(
        TypedReference::to(&Patient::default()).is_none(),
        "no id, no reference"
    );
    let json = serde_json::to_string(&encounter).unwrap();
    assert!(
        json.contains(r#""subject":{"reference":"Patient/p1","display":"Peter"}"#),
        "{json}"
    );
}
