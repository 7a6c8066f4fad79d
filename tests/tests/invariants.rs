//! The definitions' FHIRPath constraints, evaluated by validation (issue #13): for 43 keys a
//! resource that breaks it and one that meets it, with the issue's key, severity and the
//! zero-based path of the element the constraint sits on.

use fhir_model::validate::{validate_resource, IssueCode, Severity};

/// `(path, key, severity)` of each invariant issue, other than dom-6 (most test resources
/// have no narrative, which it warns about).
fn invariant_issues(json: &str) -> Vec<(String, String, Severity)> {
    let resource = fhir_model::json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    validate_resource(&resource)
        .into_iter()
        .filter(|i| i.code == IssueCode::Invariant && !i.message.starts_with("dom-6"))
        .map(|i| {
            let key = i.message.split(':').next().unwrap_or_default().to_owned();
            (i.path, key, i.severity)
        })
        .collect()
}

struct Case {
    key: &'static str,
    fails: &'static str,
    at: &'static str,
    passes: &'static str,
}

const E: Severity = Severity::Error;

#[rustfmt::skip]
const CASES: &[Case] = &[
    Case { key: "per-1",
        fails: r#"{"resourceType":"Encounter","status":"finished","class":{"code":"IMP"},"period":{"start":"2024-05-02","end":"2024-05-01"}}"#,
        at: "Encounter.period",
        passes: r#"{"resourceType":"Encounter","status":"finished","class":{"code":"IMP"},"period":{"start":"2024-05-01","end":"2024-05-02"}}"# },
    Case { key: "pat-1",
        fails: r#"{"resourceType":"Patient","contact":[{"name":{"family":"A"}},{"relationship":[{"text":"friend"}]}]}"#,
        at: "Patient.contact[1]",
        passes: r#"{"resourceType":"Patient","contact":[{"name":{"family":"A"}},{"address":{"city":"X"}}]}"# },
    Case { key: "obs-6",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","dataAbsentReason":{"text":"unknown"}}"#,
        at: "Observation",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"dataAbsentReason":{"text":"unknown"}}"# },
    Case { key: "obs-7",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1"}]},"valueString":"a","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"1"}]},"valueString":"b"}]}"#,
        at: "Observation",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"1"}]},"valueString":"a","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"2"}]},"valueString":"b"}]}"# },
    Case { key: "ref-1",
        fails: r##"{"resourceType":"Observation","status":"final","code":{"text":"x"},"performer":[{"reference":"#nobody"}]}"##,
        at: "Observation.performer[0]",
        passes: r##"{"resourceType":"Observation","contained":[{"resourceType":"Practitioner","id":"dr"}],"status":"final","code":{"text":"x"},"performer":[{"reference":"#dr"}]}"## },
    Case { key: "dom-2",
        fails: r##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o","contained":[{"resourceType":"Organization","id":"o2"}]}],"managingOrganization":{"reference":"#o"}}"##,
        at: "Patient",
        passes: r##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}],"managingOrganization":{"reference":"#o"}}"## },
    Case { key: "dom-3",
        fails: r#"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}]}"#,
        at: "Patient",
        passes: r##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o"}],"managingOrganization":{"reference":"#o"}}"## },
    Case { key: "dom-4",
        fails: r##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o","meta":{"versionId":"1"}}],"managingOrganization":{"reference":"#o"}}"##,
        at: "Patient",
        passes: r##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o","meta":{"tag":[{"code":"t"}]}}],"managingOrganization":{"reference":"#o"}}"## },
    Case { key: "dom-5",
        fails: r##"{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o","meta":{"security":[{"code":"R"}]}}],"managingOrganization":{"reference":"#o"}}"##,
        at: "Patient",
        passes: r##"{"resourceType":"Patient","meta":{"security":[{"code":"R"}]},"contained":[{"resourceType":"Organization","id":"o"}],"managingOrganization":{"reference":"#o"}}"## },
    Case { key: "txt-1",
        fails: r#"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">hi<script>alert(1)</script></div>"}}"#,
        at: "Patient.text.div",
        passes: r#"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>hi</p></div>"}}"# },
    Case { key: "txt-2",
        fails: r#"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">  <p> </p> </div>"}}"#,
        at: "Patient.text.div",
        passes: r#"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>x</p></div>"}}"# },
    Case { key: "qty-3",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1,"code":"mg"}}"#,
        at: "Observation.valueQuantity",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1,"code":"mg","system":"http://unitsofmeasure.org"}}"# },
    Case { key: "cpt-2",
        fails: r#"{"resourceType":"Patient","telecom":[{"system":"phone","value":"1"},{"value":"2"}]}"#,
        at: "Patient.telecom[1]",
        passes: r#"{"resourceType":"Patient","telecom":[{"system":"phone","value":"1"},{"system":"email","value":"a@b"}]}"# },
    Case { key: "att-1",
        fails: r#"{"resourceType":"Patient","photo":[{"data":"QUJD"}]}"#,
        at: "Patient.photo[0]",
        passes: r#"{"resourceType":"Patient","photo":[{"data":"QUJD","contentType":"image/png"}]}"# },
    Case { key: "rng-2",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueRange":{"low":{"value":5},"high":{"value":1}}}"#,
        at: "Observation.valueRange",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueRange":{"low":{"value":1},"high":{"value":5}}}"# },
    Case { key: "sdf-4",
        fails: r#"{"resourceType":"StructureDefinition","url":"http://x/sd","name":"X","status":"draft","kind":"logical","abstract":false,"type":"X"}"#,
        at: "StructureDefinition",
        passes: r#"{"resourceType":"StructureDefinition","url":"http://x/sd","name":"X","status":"draft","kind":"logical","abstract":true,"type":"X"}"# },
    Case { key: "tim-1",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"duration":1}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"duration":1,"durationUnit":"h"}}}"# },
    Case { key: "tim-2",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"period":1}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"period":1,"periodUnit":"d"}}}"# },
    Case { key: "tim-6",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"periodMax":2,"periodUnit":"d"}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"period":1,"periodMax":2,"periodUnit":"d"}}}"# },
    Case { key: "tim-7",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"durationMax":2,"durationUnit":"h"}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"duration":1,"durationMax":2,"durationUnit":"h"}}}"# },
    Case { key: "tim-8",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"countMax":3}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"count":1,"countMax":3}}}"# },
    Case { key: "tim-9",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"offset":10,"when":["C"]}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"offset":10,"when":["ACM"]}}}"# },
    Case { key: "tim-10",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"timeOfDay":["08:00:00"],"when":["MORN"]}}}"#,
        at: "Observation.effectiveTiming.repeat",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"timeOfDay":["08:00:00"]}}}"# },
    Case { key: "rat-1",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueRatio":{"numerator":{"value":1}}}"#,
        at: "Observation.valueRatio",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueRatio":{"numerator":{"value":1},"denominator":{"value":2}}}"# },
    Case { key: "obs-3",
        fails: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"referenceRange":[{"appliesTo":[{"text":"x"}]}]}"#,
        at: "Observation.referenceRange[0]",
        passes: r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"referenceRange":[{"text":"normal"}]}"# },
    Case { key: "drt-1",
        fails: r#"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/p"},"dispenseRequest":{"expectedSupplyDuration":{"value":30,"code":"d","system":"http://example.org/units"}}}"#,
        at: "MedicationRequest.dispenseRequest.expectedSupplyDuration",
        passes: r#"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/p"},"dispenseRequest":{"expectedSupplyDuration":{"value":30,"code":"d","system":"http://unitsofmeasure.org"}}}"# },
    Case { key: "age-1",
        fails: r#"{"resourceType":"Condition","subject":{"reference":"Patient/p"},"onsetAge":{"value":5,"unit":"y"}}"#,
        at: "Condition.onsetAge",
        passes: r#"{"resourceType":"Condition","subject":{"reference":"Patient/p"},"onsetAge":{"value":5,"code":"a","system":"http://unitsofmeasure.org"}}"# },
    Case { key: "con-1",
        fails: r#"{"resourceType":"Condition","subject":{"reference":"Patient/p"},"stage":[{"type":{"text":"t"}}]}"#,
        at: "Condition.stage[0]",
        passes: r#"{"resourceType":"Condition","subject":{"reference":"Patient/p"},"stage":[{"summary":{"text":"s"}}]}"# },
    Case { key: "con-2",
        fails: r#"{"resourceType":"Condition","subject":{"reference":"Patient/p"},"evidence":[{"extension":[{"url":"http://x","valueString":"y"}]}]}"#,
        at: "Condition.evidence[0]",
        passes: r#"{"resourceType":"Condition","subject":{"reference":"Patient/p"},"evidence":[{"code":[{"text":"c"}]}]}"# },
    Case { key: "app-1",
        fails: r#"{"resourceType":"Appointment","status":"proposed","participant":[{"status":"accepted"}]}"#,
        at: "Appointment.participant[0]",
        passes: r#"{"resourceType":"Appointment","status":"proposed","participant":[{"status":"accepted","actor":{"reference":"Patient/p"}}]}"# },
    Case { key: "app-2",
        fails: r#"{"resourceType":"Appointment","status":"proposed","start":"2024-01-01T10:00:00Z","participant":[{"status":"accepted","actor":{"reference":"Patient/p"}}]}"#,
        at: "Appointment",
        passes: r#"{"resourceType":"Appointment","status":"proposed","start":"2024-01-01T10:00:00Z","end":"2024-01-01T10:30:00Z","participant":[{"status":"accepted","actor":{"reference":"Patient/p"}}]}"# },
    Case { key: "app-3",
        fails: r#"{"resourceType":"Appointment","status":"booked","participant":[{"status":"accepted","actor":{"reference":"Patient/p"}}]}"#,
        at: "Appointment",
        passes: r#"{"resourceType":"Appointment","status":"proposed","participant":[{"status":"accepted","actor":{"reference":"Patient/p"}}]}"# },
    Case { key: "que-1",
        fails: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"group"}]}"#,
        at: "Questionnaire.item[0]",
        passes: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"group","item":[{"linkId":"2","type":"string"}]}]}"# },
    Case { key: "que-3",
        fails: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"display","text":"t","code":[{"code":"c"}]}]}"#,
        at: "Questionnaire.item[0]",
        passes: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"display","text":"t"}]}"# },
    Case { key: "que-4",
        fails: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"choice","answerOption":[{"valueString":"a"}],"answerValueSet":"http://x/vs"}]}"#,
        at: "Questionnaire.item[0]",
        passes: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"choice","answerOption":[{"valueString":"a"}]}]}"# },
    Case { key: "que-6",
        fails: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"display","text":"t","required":true}]}"#,
        at: "Questionnaire.item[0]",
        passes: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"string","required":true}]}"# },
    Case { key: "que-9",
        fails: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"display","text":"t","readOnly":true}]}"#,
        at: "Questionnaire.item[0]",
        passes: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"string","readOnly":true}]}"# },
    Case { key: "que-11",
        fails: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"choice","answerOption":[{"valueString":"a"}],"initial":[{"valueString":"a"}]}]}"#,
        at: "Questionnaire.item[0]",
        passes: r#"{"resourceType":"Questionnaire","status":"draft","item":[{"linkId":"1","type":"choice","answerOption":[{"valueString":"a","initialSelected":true}]}]}"# },
    Case { key: "imm-1",
        fails: r#"{"resourceType":"Immunization","status":"completed","vaccineCode":{"text":"v"},"patient":{"reference":"Patient/p"},"occurrenceDateTime":"2020-01-01","education":[{"presentationDate":"2020-01-01"}]}"#,
        at: "Immunization.education[0]",
        passes: r#"{"resourceType":"Immunization","status":"completed","vaccineCode":{"text":"v"},"patient":{"reference":"Patient/p"},"occurrenceDateTime":"2020-01-01","education":[{"documentType":"x"}]}"# },
    Case { key: "gol-1",
        fails: r#"{"resourceType":"Goal","lifecycleStatus":"active","description":{"text":"d"},"subject":{"reference":"Patient/p"},"target":[{"detailQuantity":{"value":1}}]}"#,
        at: "Goal.target[0]",
        passes: r#"{"resourceType":"Goal","lifecycleStatus":"active","description":{"text":"d"},"subject":{"reference":"Patient/p"},"target":[{"measure":{"text":"m"},"detailQuantity":{"value":1}}]}"# },
    Case { key: "cpl-3",
        fails: r#"{"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/p"},"activity":[{"reference":{"reference":"ServiceRequest/s"},"detail":{"status":"scheduled"}}]}"#,
        at: "CarePlan.activity[0]",
        passes: r#"{"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/p"},"activity":[{"reference":{"reference":"ServiceRequest/s"}}]}"# },
    Case { key: "cmp-1",
        fails: r#"{"resourceType":"Composition","status":"final","type":{"text":"note"},"date":"2024-01-01","author":[{"display":"Dr"}],"title":"Note","section":[{"title":"t"}]}"#,
        at: "Composition.section[0]",
        passes: r#"{"resourceType":"Composition","status":"final","type":{"text":"note"},"date":"2024-01-01","author":[{"display":"Dr"}],"title":"Note","section":[{"title":"t","entry":[{"reference":"Observation/o"}]}]}"# },
    Case { key: "cmp-2",
        fails: r#"{"resourceType":"Composition","status":"final","type":{"text":"note"},"date":"2024-01-01","author":[{"display":"Dr"}],"title":"Note","section":[{"title":"t","emptyReason":{"text":"r"},"entry":[{"reference":"Observation/o"}]}]}"#,
        at: "Composition.section[0]",
        passes: r#"{"resourceType":"Composition","status":"final","type":{"text":"note"},"date":"2024-01-01","author":[{"display":"Dr"}],"title":"Note","section":[{"title":"t","emptyReason":{"text":"r"}}]}"# },
];

#[test]
fn each_constraint_fails_where_broken_and_holds_where_met() {
    let keys: std::collections::BTreeSet<&str> = CASES.iter().map(|c| c.key).collect();
    assert!(keys.len() >= 40, "{} constraint keys tested", keys.len());
    let mut problems = Vec::new();
    for case in CASES {
        let found = invariant_issues(case.fails);
        let expected = (case.at.to_owned(), case.key.to_owned(), E);
        if !found.contains(&expected) {
            problems.push(format!(
                "{}: expected {expected:?}, found {found:?}",
                case.key
            ));
        }
        let found = invariant_issues(case.passes);
        if found.iter().any(|(_, key, _)| key == case.key) {
            problems.push(format!(
                "{}: the passing resource fails: {found:?}",
                case.key
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Resource constraints apply to Bundle entries and contained resources at their own
/// location; datatype constraints wherever the datatype is used.
#[test]
fn constraints_apply_at_the_location_of_entries_and_contained_resources() {
    let json = r##"{"resourceType":"Bundle","type":"collection","entry":[
      {"resource":{"resourceType":"Patient"}},
      {"resource":{"resourceType":"Encounter","status":"finished","class":{"code":"IMP"},
        "contained":[{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"valueString":"a","dataAbsentReason":{"text":"u"}}],
        "reasonReference":[{"reference":"#o"}],
        "participant":[{"period":{"start":"2024-05-02","end":"2024-05-01"}}]}}]}"##;
    assert_eq!(
        invariant_issues(json),
        [
            (
                "Bundle.entry[1].resource.contained[0]".to_owned(),
                "obs-6".to_owned(),
                E
            ),
            (
                "Bundle.entry[1].resource.participant[0].period".to_owned(),
                "per-1".to_owned(),
                E
            ),
        ]
    );
}

/// The message starts with the key and says the rule; warnings keep their severity.
#[test]
fn messages_start_with_the_key_and_warnings_stay_warnings() {
    let resource = fhir_model::json::from_str(r#"{"resourceType":"Patient","contact":[{}]}"#);
    assert!(
        resource.is_err(),
        "an empty object is refused when read (ele-1)"
    );
    let resource = fhir_model::json::from_str(
        r#"{"resourceType":"Patient","contact":[{"relationship":[{"text":"x"}]}]}"#,
    )
    .unwrap();
    let issues = validate_resource(&resource);
    let pat_1 = issues
        .iter()
        .find(|i| i.message.starts_with("pat-1"))
        .unwrap();
    assert_eq!(
        pat_1.message,
        "pat-1: SHALL at least contain a contact's details or a reference to an organization"
    );
    assert_eq!(pat_1.path, "Patient.contact[0]");
    let dom_6 = issues
        .iter()
        .find(|i| i.message.starts_with("dom-6"))
        .unwrap();
    assert_eq!(dom_6.severity, Severity::Warning);
    let vs = fhir_model::json::from_str(
        r#"{"resourceType":"ValueSet","name":"not an identifier","status":"draft"}"#,
    )
    .unwrap();
    let vsd_0 = validate_resource(&vs)
        .into_iter()
        .find(|i| i.message.starts_with("vsd-0"))
        .expect("vsd-0 warns about the name");
    assert_eq!(
        (vsd_0.severity, vsd_0.path.as_str()),
        (Severity::Warning, "ValueSet")
    );
}
