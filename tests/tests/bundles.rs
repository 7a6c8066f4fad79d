//! Resolving references in Bundles (bundle.html#references), assembly, and the bdl invariants.

use fhir_model::bundle::{BundleBuilder, Rule};
use fhir_model::codes::EncounterStatus;
use fhir_model::datatypes::{CodeableConcept, Coding, Identifier};
use fhir_model::resources::{
    Bundle, Composition, Condition, Encounter, MessageHeader, MessageHeaderEvent,
    MessageHeaderSource, Patient,
};
use fhir_model::{Resource, TypedReference};

fn bundle(json: &str) -> Bundle {
    match serde_json::from_str::<Resource>(json).unwrap_or_else(|e| panic!("{e}")) {
        Resource::Bundle(b) => *b,
        other => panic!("not a Bundle: {}", other.resource_type()),
    }
}

/// `(path, entry, rule, target)` of each resolution.
fn resolved(b: &Bundle) -> Vec<(String, Option<usize>, Rule, Option<&'static str>)> {
    b.resolve_references()
        .into_iter()
        .map(|r| (r.path, r.entry, r.rule, r.target))
        .collect()
}

#[test]
fn absolute_reference_matches_full_url() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"http://a.org/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1"}},
        {"fullUrl":"http://b.org/fhir/Observation/o","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"http://a.org/fhir/Patient/1"}}}]}"#,
    );
    assert_eq!(
        resolved(&b),
        [(
            "Bundle.entry[1].resource.subject".into(),
            Some(0),
            Rule::FullUrl,
            Some("Patient")
        )]
    );
}

#[test]
fn relative_reference_resolves_against_the_entry_base() {
    // Two Patient/1 on different servers: the one on the referencing entry's base wins.
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"http://a.org/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1"}},
        {"fullUrl":"http://b.org/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1"}},
        {"fullUrl":"http://b.org/fhir/Observation/o","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/1"}}}]}"#,
    );
    assert_eq!(
        resolved(&b),
        [(
            "Bundle.entry[2].resource.subject".into(),
            Some(1),
            Rule::Relative,
            Some("Patient")
        )]
    );
}

#[test]
fn version_specific_references_resolve_without_the_version() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"http://a.org/fhir/Patient/1","resource":{"resourceType":"Patient","id":"1","meta":{"versionId":"3"}}},
        {"fullUrl":"http://a.org/fhir/Observation/o","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},
          "subject":{"reference":"Patient/1/_history/3"},"focus":[{"reference":"http://a.org/fhir/Patient/1/_history/3"}]}}]}"#,
    );
    let rules: Vec<_> = resolved(&b).into_iter().map(|r| (r.1, r.2)).collect();
    assert_eq!(rules, [(Some(0), Rule::Relative), (Some(0), Rule::FullUrl)]);
}

/// `(reference, entry, rule)` of each resolution, and its problem when it has one.
fn outcomes(b: &Bundle) -> Vec<(String, Option<usize>, Rule, bool)> {
    b.resolve_references()
        .into_iter()
        .map(|r| {
            (
                r.reference.unwrap_or_default(),
                r.entry,
                r.rule,
                r.problem.is_some(),
            )
        })
        .collect()
}

/// bundle.html#references: a reference is resolved on its own server. A relative reference
/// inside an entry whose fullUrl is RESTful means that server; an absolute one names its
/// server; the type + id fallback applies only where the server is unknown.
#[test]
fn references_never_cross_servers_in_a_message_bundle() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"message","entry":[
        {"fullUrl":"https://a.example/fhir/MessageHeader/h","resource":{"resourceType":"MessageHeader","id":"h",
          "eventCoding":{"code":"Encounter-New"},"source":{"endpoint":"https://a.example"},
          "focus":[{"reference":"Encounter/e1"}]}},
        {"fullUrl":"https://a.example/fhir/Encounter/e1","resource":{"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"IMP"},
          "subject":{"reference":"Patient/pat-1"},
          "participant":[{"individual":{"reference":"Practitioner/dr-1"}}],
          "serviceProvider":{"reference":"https://b.example/fhir/Organization/o1"},
          "location":[{"location":{"reference":"https://c.example/fhir/Location/l1"}},
                      {"location":{"reference":"Location/l2"}}]}},
        {"fullUrl":"https://b.example/fhir/Patient/pat-1","resource":{"resourceType":"Patient","id":"pat-1"}},
        {"fullUrl":"https://b.example/fhir/Practitioner/dr-1","resource":{"resourceType":"Practitioner","id":"dr-1"}},
        {"fullUrl":"https://b.example/fhir/Organization/o1","resource":{"resourceType":"Organization","id":"o1"}},
        {"fullUrl":"https://b.example/fhir/Location/l1","resource":{"resourceType":"Location","id":"l1"}},
        {"fullUrl":"https://a.example/fhir/Location/l2","resource":{"resourceType":"Location","id":"l2"}}]}"#,
    );
    assert_eq!(
        outcomes(&b),
        [
            ("Encounter/e1".into(), Some(1), Rule::Relative, false),
            // b's pat-1 is another server's patient: dangling, not linked.
            ("Patient/pat-1".into(), None, Rule::Dangling, false),
            ("Practitioner/dr-1".into(), None, Rule::Dangling, false),
            // Absolute on c: b's Location/l1 has the same type and id, but it is not c's.
            (
                "https://c.example/fhir/Location/l1".into(),
                None,
                Rule::Dangling,
                false
            ),
            ("Location/l2".into(), Some(6), Rule::Relative, false),
            // Absolute, and on b: found by its fullUrl.
            (
                "https://b.example/fhir/Organization/o1".into(),
                Some(4),
                Rule::FullUrl,
                false
            ),
        ]
    );
}

#[test]
fn type_and_id_apply_only_where_the_server_is_unknown() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:8f6b1c52-2f4e-4b8a-9c3d-1e2f3a4b5c6d","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},
          "subject":{"reference":"Patient/pat-1"},"performer":[{"reference":"Practitioner/dr-2"}],
          "focus":[{"reference":"https://b.example/fhir/Patient/pat-3"}]}},
        {"resource":{"resourceType":"Observation","status":"final","code":{"text":"y"},"subject":{"reference":"Patient/pat-1"}}},
        {"fullUrl":"https://x.example/fhir/Encounter?identifier=1","resource":{"resourceType":"Encounter","status":"finished","class":{"code":"IMP"},
          "subject":{"reference":"Patient/pat-3"},"serviceProvider":{"reference":"Organization/o9"}}},
        {"fullUrl":"https://b.example/fhir/Patient/pat-1","resource":{"resourceType":"Patient","id":"pat-1"}},
        {"fullUrl":"https://a.example/fhir/Practitioner/dr-2","resource":{"resourceType":"Practitioner","id":"dr-2"}},
        {"fullUrl":"https://b.example/fhir/Practitioner/dr-2","resource":{"resourceType":"Practitioner","id":"dr-2"}},
        {"fullUrl":"https://x.example/fhir/Patient?identifier=3","resource":{"resourceType":"Patient","id":"pat-3"}},
        {"fullUrl":"https://y.example/fhir/Organization/o9","resource":{"resourceType":"Organization","id":"o9"}}]}"#,
    );
    assert_eq!(
        outcomes(&b),
        [
            // A URN fullUrl names no server: the only Patient/pat-1 is it.
            ("Patient/pat-1".into(), Some(3), Rule::TypeId, false),
            // An absolute reference to b; pat-3 is on x (a search fullUrl), not b.
            (
                "https://b.example/fhir/Patient/pat-3".into(),
                None,
                Rule::Dangling,
                false
            ),
            // Two servers have dr-2 and the referencing server is unknown: not a guess.
            ("Practitioner/dr-2".into(), None, Rule::Dangling, true),
            // No fullUrl at all.
            ("Patient/pat-1".into(), Some(3), Rule::TypeId, false),
            // A search fullUrl (Redox) names server x: x's pat-3 matches by type and id ...
            ("Patient/pat-3".into(), Some(6), Rule::TypeId, false),
            // ... but y's o9 is known to live elsewhere.
            ("Organization/o9".into(), None, Rule::Dangling, false),
        ]
    );
}

/// bundle.html#references: a version-specific reference matches `meta.versionId` once the
/// version is taken off the URL; entries may share a fullUrl with different versions (bdl-7),
/// and a plain reference then means the most recent one by `meta.lastUpdated`.
#[test]
fn versioned_references_pick_their_version_and_plain_ones_the_latest() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"history","entry":[
        {"fullUrl":"https://a.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1",
          "meta":{"versionId":"2","lastUpdated":"2024-02-01T09:00:00+02:00"}}},
        {"fullUrl":"https://a.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1",
          "meta":{"versionId":"3","lastUpdated":"2024-02-01T08:30:00Z"}}},
        {"fullUrl":"https://a.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1",
          "meta":{"versionId":"1","lastUpdated":"2024-01-01T00:00:00Z"}}},
        {"fullUrl":"https://a.example/fhir/Observation/o","resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},
          "subject":{"reference":"Patient/p1/_history/1"},
          "focus":[{"reference":"https://a.example/fhir/Patient/p1/_history/2"},
                   {"reference":"Patient/p1"},
                   {"reference":"https://a.example/fhir/Patient/p1"},
                   {"reference":"Patient/p1/_history/9"}]}},
        {"fullUrl":"urn:uuid:0f6b1c52-2f4e-4b8a-9c3d-1e2f3a4b5c6d","resource":{"resourceType":"Observation","status":"final","code":{"text":"y"},
          "subject":{"reference":"Patient/p1/_history/2"},
          "focus":[{"reference":"Patient/p1"}, {"reference":"Patient/p1/_history/7"}]}}]}"#,
    );
    assert_eq!(
        outcomes(&b),
        [
            (
                "Patient/p1/_history/1".into(),
                Some(2),
                Rule::Relative,
                false
            ),
            (
                "https://a.example/fhir/Patient/p1/_history/2".into(),
                Some(0),
                Rule::FullUrl,
                false
            ),
            // 08:30Z is later than 09:00+02:00 (07:00Z): version 3 is the latest.
            ("Patient/p1".into(), Some(1), Rule::Relative, false),
            (
                "https://a.example/fhir/Patient/p1".into(),
                Some(1),
                Rule::FullUrl,
                false
            ),
            ("Patient/p1/_history/9".into(), None, Rule::Dangling, true),
            // Through the type + id fallback, the same choice.
            ("Patient/p1/_history/2".into(), Some(0), Rule::TypeId, false),
            ("Patient/p1".into(), Some(1), Rule::TypeId, false),
            ("Patient/p1/_history/7".into(), None, Rule::Dangling, true),
        ]
    );
    let problem = b.resolve_references()[4].problem.clone().unwrap();
    assert_eq!(problem, "no entry has version 9 (meta.versionId)");
}

#[test]
fn urn_references_match_full_urls() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a","resource":{"resourceType":"Patient"}},
        {"fullUrl":"urn:oid:1.2.3","resource":{"resourceType":"Organization"}},
        {"resource":{"resourceType":"Patient","managingOrganization":{"reference":"urn:oid:1.2.3"},"link":[{"other":{"reference":"urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a"},"type":"seealso"}]}}]}"#,
    );
    assert_eq!(
        resolved(&b),
        [
            (
                "Bundle.entry[2].resource.managingOrganization".into(),
                Some(1),
                Rule::Urn,
                Some("Organization")
            ),
            (
                "Bundle.entry[2].resource.link[0].other".into(),
                Some(0),
                Rule::Urn,
                Some("Patient")
            ),
        ]
    );
}

#[test]
fn contained_references_resolve_inside_the_entry() {
    let b = bundle(
        r##"{"resourceType":"Bundle","type":"collection","entry":[
        {"resource":{"resourceType":"MedicationRequest","status":"active","intent":"order","subject":{"reference":"#pat"},
          "contained":[{"resourceType":"Patient","id":"pat","link":[{"other":{"reference":"#"},"type":"seealso"}]}],
          "medicationCodeableConcept":{"text":"x"},"requester":{"reference":"#nobody"}}}]}"##,
    );
    assert_eq!(
        resolved(&b),
        [
            (
                "Bundle.entry[0].resource.contained[0].link[0].other".into(),
                Some(0),
                Rule::Contained,
                Some("MedicationRequest")
            ),
            (
                "Bundle.entry[0].resource.subject".into(),
                Some(0),
                Rule::Contained,
                Some("Patient")
            ),
            (
                "Bundle.entry[0].resource.requester".into(),
                None,
                Rule::Dangling,
                None
            ),
        ]
    );
}

#[test]
fn conditional_references_match_search_full_urls_and_if_none_exist() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"transaction","entry":[
        {"fullUrl":"urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a","resource":{"resourceType":"Patient"},"request":{"method":"POST","url":"Patient","ifNoneExist":"identifier=http://x|1"}},
        {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient?identifier=http://x|1"}},"request":{"method":"POST","url":"Observation"}}]}"#,
    );
    assert_eq!(
        resolved(&b),
        [(
            "Bundle.entry[1].resource.subject".into(),
            Some(0),
            Rule::Conditional,
            Some("Patient")
        )]
    );
}

#[test]
fn wrong_type_and_disallowed_targets_are_problems() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a","resource":{"resourceType":"Practitioner"}},
        {"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Organization"}},
        {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},
          "subject":{"reference":"urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a"},"partOf":{"reference":"http://a.org/Patient/1"}}}]}"#,
    );
    let problems: Vec<_> = b
        .resolve_references()
        .into_iter()
        .map(|r| (r.path, r.problem.unwrap_or_default()))
        .collect();
    assert_eq!(
        problems,
        [
            (
                "Bundle.entry[2].resource.subject".to_owned(),
                "a Practitioner is not allowed here; expected Patient | Group".to_owned()
            ),
            (
                "Bundle.entry[2].resource.partOf".to_owned(),
                "names a Patient but resolves to a Organization".to_owned()
            ),
        ]
    );
    assert_eq!(b.resolve_references_strict().unwrap_err().len(), 2);
}

#[test]
fn strict_mode_turns_dangling_references_into_errors() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","managingOrganization":{"reference":"Organization/x"}}}]}"#,
    );
    let errors = b.resolve_references_strict().unwrap_err();
    assert_eq!(
        (errors[0].path.as_str(), errors[0].rule),
        (
            "Bundle.entry[0].resource.managingOrganization",
            Rule::Dangling
        )
    );
}

fn concept(text: &str) -> CodeableConcept {
    CodeableConcept {
        text: Some(text.parse().unwrap()),
        ..Default::default()
    }
}

#[test]
fn transaction_with_urn_full_urls_round_trips_and_resolves() {
    let patient = Patient {
        id: Some("p".parse().unwrap()),
        ..Default::default()
    };
    let mut encounter = Encounter::new(
        EncounterStatus::Finished,
        Coding {
            code: Some("AMB".parse().unwrap()),
            ..Default::default()
        },
    );
    encounter.id = Some("e".parse().unwrap());
    encounter.set_subject(TypedReference::to(&patient).unwrap());
    let mut condition = Condition {
        code: Some(Box::new(concept("Pneumonia"))),
        ..Default::default()
    };
    condition.set_subject(TypedReference::to(&patient).unwrap());
    condition.set_encounter(TypedReference::to(&encounter).unwrap());
    let built = BundleBuilder::transaction()
        .create_if_none_exist(patient, "identifier=http://x|1")
        .create(encounter)
        .create(condition)
        .build()
        .unwrap();
    let json = serde_json::to_vec(&built).unwrap();
    let decoded = bundle(std::str::from_utf8(&json).unwrap());
    assert_eq!(decoded, built);
    let resolutions = decoded.resolve_references_strict().unwrap();
    assert_eq!(resolutions.len(), 3);
    for r in &resolutions {
        assert_eq!(r.rule, Rule::Urn, "{r:?}");
        assert!(r.reference.as_deref().unwrap().starts_with("urn:uuid:"));
    }
    let targets: Vec<_> = resolutions
        .iter()
        .map(|r| (r.path.as_str(), r.entry.unwrap()))
        .collect();
    assert_eq!(
        targets,
        [
            ("Bundle.entry[1].resource.subject", 0),
            ("Bundle.entry[2].resource.subject", 0),
            ("Bundle.entry[2].resource.encounter", 1)
        ]
    );
    let requests: Vec<_> = decoded
        .entry
        .iter()
        .map(|e| {
            e.request
                .as_ref()
                .unwrap()
                .url
                .as_ref()
                .unwrap()
                .value()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(requests, ["Patient", "Encounter", "Condition"]);
    assert!(decoded.entry[0]
        .request
        .as_ref()
        .unwrap()
        .if_none_exist
        .is_some());
}

fn header() -> MessageHeader {
    MessageHeader::new(
        MessageHeaderEvent::Coding(Box::new(Coding {
            code: Some("x".parse().unwrap()),
            ..Default::default()
        })),
        MessageHeaderSource::new("http://src".parse().unwrap()),
    )
}

#[test]
fn message_builder_puts_the_header_first_and_points_focus_at_entries() {
    let patient = Patient {
        id: Some("p".parse().unwrap()),
        ..Default::default()
    };
    let b = BundleBuilder::message(header())
        .timestamp("2024-01-01T00:00:00Z".parse().unwrap())
        .focus(patient)
        .focus(Patient::default())
        .build()
        .unwrap();
    let Some(Resource::MessageHeader(h)) = &b.entry[0].resource else {
        panic!("header first")
    };
    assert_eq!(h.focus.len(), 2);
    let resolutions = b.resolve_references_strict().unwrap();
    assert_eq!(
        resolutions
            .iter()
            .map(|r| (r.entry, r.rule))
            .collect::<Vec<_>>(),
        [(Some(1), Rule::TypeId), (Some(2), Rule::Urn)]
    );
}

#[test]
fn document_builder_satisfies_the_document_invariants() {
    let composition: Composition = serde_json::from_str(
        r#"{"resourceType":"Composition","status":"final","type":{"text":"note"},"date":"2024-01-01","author":[{"display":"Dr"}],"title":"Note"}"#,
    )
    .unwrap();
    let identifier = Identifier {
        system: Some("urn:ietf:rfc:3986".parse().unwrap()),
        value: Some(
            "urn:uuid:9b5a8d2e-1b3c-4d5e-8f6a-7b8c9d0e1f2a"
                .parse()
                .unwrap(),
        ),
        ..Default::default()
    };
    let b = BundleBuilder::document(
        composition,
        identifier,
        "2024-01-01T00:00:00Z".parse().unwrap(),
    )
    .entry(Patient::default())
    .build()
    .unwrap();
    assert!(matches!(
        b.entry[0].resource,
        Some(Resource::Composition(_))
    ));
}

#[test]
fn builder_refuses_what_breaks_invariants() {
    let err = BundleBuilder::collection()
        .entry(Patient::default())
        .update(Patient::default())
        .build()
        .unwrap_err();
    assert_eq!(
        err.problems,
        [
            "update: the Patient has no id",
            "requests belong in a transaction or batch Bundle"
        ][..1]
    );
}

/// One Bundle per invariant, each breaking exactly that one.
#[test]
fn each_bdl_invariant_is_enforced() {
    let cases = [
        (
            "bdl-1",
            r#"{"resourceType":"Bundle","type":"collection","total":1}"#,
        ),
        (
            "bdl-2",
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"},"search":{"mode":"match"}}]}"#,
        ),
        (
            "bdl-3",
            r#"{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient"}}]}"#,
        ),
        (
            "bdl-3",
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"},"request":{"method":"GET","url":"Patient"}}]}"#,
        ),
        (
            "bdl-4",
            r#"{"resourceType":"Bundle","type":"transaction-response","entry":[{"resource":{"resourceType":"Patient"}}]}"#,
        ),
        (
            "bdl-4",
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient"},"response":{"status":"200"}}]}"#,
        ),
        (
            "bdl-5",
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"http://a.org/Patient/1"}]}"#,
        ),
        (
            "bdl-7",
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Patient"}},{"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Patient"}}]}"#,
        ),
        (
            "bdl-8",
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"http://a.org/Patient/1/_history/1","resource":{"resourceType":"Patient"}}]}"#,
        ),
        (
            "bdl-9",
            r#"{"resourceType":"Bundle","type":"document","timestamp":"2024-01-01T00:00:00Z","identifier":{"value":"x"},"entry":[{"resource":{"resourceType":"Composition","status":"final","type":{"text":"t"},"date":"2024","author":[{"display":"a"}],"title":"t"}}]}"#,
        ),
        (
            "bdl-10",
            r#"{"resourceType":"Bundle","type":"document","identifier":{"system":"http://x","value":"x"},"entry":[{"resource":{"resourceType":"Composition","status":"final","type":{"text":"t"},"date":"2024","author":[{"display":"a"}],"title":"t"}}]}"#,
        ),
        (
            "bdl-11",
            r#"{"resourceType":"Bundle","type":"document","timestamp":"2024-01-01T00:00:00Z","identifier":{"system":"http://x","value":"x"},"entry":[{"resource":{"resourceType":"Patient"}}]}"#,
        ),
        (
            "bdl-12",
            r#"{"resourceType":"Bundle","type":"message","entry":[{"resource":{"resourceType":"Patient"}}]}"#,
        ),
    ];
    for (key, json) in cases {
        let violations = bundle(json).check_invariants();
        let keys: Vec<&str> = violations.iter().map(|v| v.key).collect();
        assert_eq!(keys, [key], "{json}: {violations:?}");
    }
    // Same fullUrl with different versionIds is allowed (bdl-7), and history Bundles may repeat.
    let versions = r#"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Patient","meta":{"versionId":"1"}}},{"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Patient","meta":{"versionId":"2"}}}]}"#;
    assert!(bundle(versions).check_invariants().is_empty());
    let history = r#"{"resourceType":"Bundle","type":"history","total":2,"entry":[{"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Patient"},"request":{"method":"PUT","url":"Patient/1"},"response":{"status":"200"}},{"fullUrl":"http://a.org/Patient/1","resource":{"resourceType":"Patient"},"request":{"method":"PUT","url":"Patient/1"},"response":{"status":"200"}}]}"#;
    assert!(bundle(history).check_invariants().is_empty());
}

#[test]
fn typed_lookups_iterate_and_resolve() {
    let b = bundle(
        r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"resource":{"resourceType":"Patient","id":"a"}},{"resource":{"resourceType":"Organization","id":"o"}},{"resource":{"resourceType":"Patient","id":"b"}}]}"#,
    );
    let ids: Vec<_> = b
        .resources::<Patient>()
        .map(|p| p.id.as_ref().unwrap().value().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    let reference = fhir_model::datatypes::Reference::to_literal("Patient/b").unwrap();
    assert!(b.resolve::<Patient>(&reference).is_some());
    assert!(
        b.resolve::<fhir_model::resources::Organization>(&reference)
            .is_none(),
        "wrong type is not returned"
    );
}

#[path = "../../fhir-model/examples/resolve.rs"]
#[allow(dead_code)]
mod resolve_example;

/// An invalid Observation (no `status`, an unknown element) does not stop the `resolve`
/// example: the problems are reported and every reference is still resolved.
#[test]
fn resolve_example_reads_leniently_and_resolves_every_reference() {
    let json = br#"{"resourceType":"Bundle","type":"collection","entry":[
      {"fullUrl":"urn:uuid:1f6b1c52-2f4e-4b8a-9c3d-1e2f3a4b5c6d","resource":{"resourceType":"Patient","id":"p"}},
      {"resource":{"resourceType":"Observation","code":{"text":"x"},"colour":"red","subject":{"reference":"urn:uuid:1f6b1c52-2f4e-4b8a-9c3d-1e2f3a4b5c6d"}}},
      {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"IMP"},"subject":{"reference":"Patient/p"},"partOf":{"reference":"Encounter/gone"}}}]}"#;
    assert!(
        serde_json::from_slice::<Resource>(json).is_err(),
        "strictly invalid"
    );
    let report = resolve_example::report(json).unwrap();
    let issues: Vec<String> = report.issues.iter().map(|i| i.path.clone()).collect();
    assert_eq!(
        issues,
        [
            "Bundle.entry[1].resource.colour",
            "Bundle.entry[1].resource.status"
        ]
    );
    assert_eq!(
        report.lines,
        [
            r#"{"path": "Bundle.entry[1].resource.subject", "reference": "urn:uuid:1f6b1c52-2f4e-4b8a-9c3d-1e2f3a4b5c6d", "entry": 0, "rule": "urn", "target": "Patient"}"#,
            r#"{"path": "Bundle.entry[2].resource.subject", "reference": "Patient/p", "entry": 0, "rule": "type-id", "target": "Patient"}"#,
            r#"{"path": "Bundle.entry[2].resource.partOf", "reference": "Encounter/gone", "entry": null, "rule": "dangling", "target": null}"#,
        ]
    );
    assert!(resolve_example::report(br#"{"resourceType":"Patient"}"#)
        .unwrap_err()
        .contains("not a Bundle"));
}

/// http.html#trules: a server replaces a created entry's URL wherever it appears, so the
/// transaction builder rewrites `uri`, `url` and `canonical` elements that name another entry
/// (here a canonical to a Questionnaire, an Attachment url to a Binary, an extension's
/// valueUri to the Patient), not only References. Other text is left alone.
#[test]
fn transaction_rewrites_uri_url_and_canonical_elements_naming_entries() {
    let resource = |json: &str| serde_json::from_str::<Resource>(json).unwrap();
    let built = BundleBuilder::transaction()
        .create(resource(r#"{"resourceType":"Questionnaire","id":"q1","status":"active"}"#))
        .create(resource(r#"{"resourceType":"Binary","id":"b1","contentType":"text/plain"}"#))
        .create(resource(r#"{"resourceType":"Patient","id":"p"}"#))
        .create(resource(
            r#"{"resourceType":"QuestionnaireResponse","status":"completed","questionnaire":"Questionnaire/q1",
                "subject":{"reference":"Patient/p"},
                "extension":[{"url":"http://example.org/about","valueUri":"Patient/p"},
                             {"url":"http://example.org/elsewhere","valueUri":"Patient/other"},
                             {"url":"http://example.org/note","valueString":"Patient/p"}]}"#,
        ))
        .create(resource(
            r#"{"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"url":"Binary/b1"}}]}"#,
        ))
        .build()
        .unwrap();
    let urn = |i: usize| {
        built.entry[i]
            .full_url
            .as_ref()
            .unwrap()
            .value()
            .unwrap()
            .to_string()
    };
    let json = serde_json::to_value(Resource::from(built.clone())).unwrap();
    let response = &json["entry"][3]["resource"];
    assert_eq!(response["questionnaire"], urn(0).as_str());
    assert_eq!(response["subject"]["reference"], urn(2).as_str());
    assert_eq!(response["extension"][0]["valueUri"], urn(2).as_str());
    assert_eq!(response["extension"][1]["valueUri"], "Patient/other");
    assert_eq!(response["extension"][2]["valueString"], "Patient/p");
    let document = &json["entry"][4]["resource"];
    assert_eq!(document["content"][0]["attachment"]["url"], urn(1).as_str());
    assert!(urn(0).starts_with("urn:uuid:"));
}
