//! Hand-written inputs for the FHIR JSON rules (json.html) and the datatype rules
//! (datatypes.html): what is accepted, what round-trips unchanged, and the element path named
//! by each rejection.

use fhir_model::datatypes::Extension;
use fhir_model::json::compare::compare_bytes;
use fhir_model::resources::{Encounter, Observation, ObservationValue, Patient};
use fhir_model::Resource;

/// The error text for input that must be rejected.
fn reject(json: &str) -> String {
    match serde_json::from_str::<Resource>(json) {
        Ok(r) => panic!("accepted invalid input {json}: {r:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_rejected_at(json: &str, path: &str, what: &str) {
    let message = reject(json);
    assert!(
        message.starts_with(&format!("{path}: ")),
        "expected the error at {path}, got: {message}"
    );
    assert!(message.contains(what), "expected `{what}` in: {message}");
}

/// Decodes and re-encodes; the output must equal the input as JSON with exact number text.
fn assert_round_trip(json: &str) -> Resource {
    let resource: Resource =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("rejected {json}: {e}"));
    let output = serde_json::to_vec(&resource).unwrap();
    if let Err(e) = compare_bytes(json.as_bytes(), &output) {
        panic!(
            "{e}\ninput:  {json}\noutput: {}",
            String::from_utf8_lossy(&output)
        );
    }
    resource
}

#[test]
fn bad_date_names_the_element() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","birthDate":"1970-13-01"}"#,
        "Patient.birthDate",
        "invalid date",
    );
}

#[test]
fn bad_date_time_deep_in_a_resource() {
    assert_rejected_at(
        r#"{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"period":{"start":"2020-01-01T10:00"}}"#,
        "Encounter.period.start",
        "invalid dateTime",
    );
}

#[test]
fn two_variants_of_one_choice_are_rejected() {
    assert_rejected_at(
        r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","valueQuantity":{"value":1}}"#,
        "Observation.valueQuantity",
        "only one value",
    );
}

#[test]
fn unknown_element_is_rejected() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","name":[{"family":"X","nickname":"Y"}]}"#,
        "Patient.name[0]",
        "unknown element `nickname`",
    );
}

#[test]
fn code_outside_a_required_binding_is_rejected() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","gender":"mal"}"#,
        "Patient.gender",
        "code `mal` is not in the required ValueSet http://hl7.org/fhir/ValueSet/administrative-gender",
    );
}

#[test]
fn missing_required_element_is_rejected() {
    assert_rejected_at(
        r#"{"resourceType":"Encounter","class":{"code":"AMB"}}"#,
        "Encounter.status",
        "missing required element",
    );
    assert_rejected_at(
        r#"{"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},"statusHistory":[{"status":"planned"}]}"#,
        "Encounter.statusHistory[0].period",
        "missing required element",
    );
}

#[test]
fn decimal_keeps_its_exact_text() {
    let json = r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":0.10,"unit":"mg"},"component":[{"code":{"text":"y"},"valueQuantity":{"value":1.000000000000000000001}},{"code":{"text":"z"},"valueQuantity":{"value":1e3}}]}"#;
    let resource = assert_round_trip(json);
    let Resource::Observation(obs) = resource else {
        panic!("not an Observation")
    };
    let Some(ObservationValue::Quantity(q)) = &obs.value else {
        panic!("no quantity")
    };
    assert_eq!(q.value.as_ref().unwrap().value().unwrap().as_str(), "0.10");
}

#[test]
fn primitive_extension_on_an_array_value() {
    let json = r#"{"resourceType":"Patient","name":[{"given":["Alice",null,"Carol"],"_given":[null,{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"masked"}]},{"id":"g3"}]}]}"#;
    let resource = assert_round_trip(json);
    let Resource::Patient(patient) = resource else {
        panic!("not a Patient")
    };
    let given = &patient.name[0].given;
    assert_eq!(given.len(), 3);
    assert_eq!(given[0].value().unwrap().as_str(), "Alice");
    assert!(given[1].value().is_none());
    let ext: &Extension = &given[1].extension()[0];
    assert_eq!(
        ext.url.as_ref().unwrap().as_str(),
        "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
    );
    assert_eq!(
        given[2]
            .element
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .as_str(),
        "g3"
    );
}

#[test]
fn primitive_arrays_must_line_up_with_their_twin() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","name":[{"given":["A","B"],"_given":[null]}]}"#,
        "Patient.name[0].given",
        "must line up",
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","name":[{"given":["A",null]}]}"#,
        "Patient.name[0].given[1]",
        "null in both",
    );
}

#[test]
fn single_primitive_with_only_an_extension() {
    let json = r#"{"resourceType":"Patient","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]}}"#;
    let resource = assert_round_trip(json);
    let Resource::Patient(patient) = resource else {
        panic!("not a Patient")
    };
    let birth = patient.birth_date.as_ref().unwrap();
    assert!(birth.value().is_none());
    assert_eq!(birth.extension().len(), 1);
}

#[test]
fn duplicate_elements_are_rejected() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","active":true,"active":false}"#,
        "Patient.active",
        "more than once",
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","_active":{"id":"a"},"_active":{"id":"b"}}"#,
        "Patient.active",
        "more than once",
    );
}

#[test]
fn wrong_json_types_name_the_element() {
    let message = reject(r#"{"resourceType":"Patient","active":"yes"}"#);
    assert!(message.contains("Patient.active"), "{message}");
    let message = reject(r#"{"resourceType":"Patient","name":{"family":"X"}}"#);
    assert!(message.contains("Patient.name"), "{message}");
    let message = reject(
        r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":1.5}"#,
    );
    assert!(
        message.starts_with("Observation.valueInteger: "),
        "{message}"
    );
}

#[test]
fn integers_are_range_checked() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","multipleBirthInteger":2147483648}"#,
        "Patient.multipleBirthInteger",
        "range",
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","photo":[{"size":-1}]}"#,
        "Patient.photo[0].size",
        "unsignedInt",
    );
}

#[test]
fn strings_are_validated_with_indexed_paths() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","name":[{"family":"A"},{"given":[""]}]}"#,
        "Patient.name[1].given[0]",
        "invalid string",
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","id":"a b"}"#,
        "Patient.id",
        "invalid id",
    );
}

#[test]
fn empty_arrays_and_objects_are_rejected() {
    assert_rejected_at(
        r#"{"resourceType":"Patient","name":[]}"#,
        "Patient.name",
        "empty array",
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","name":[{}]}"#,
        "Patient.name[0]",
        "empty object",
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","_active":{}}"#,
        "Patient.active",
        "empty object",
    );
}

#[test]
fn contained_resources_round_trip() {
    let json = r##"{"resourceType":"Patient","contained":[{"resourceType":"Practitioner","id":"p1","name":[{"family":"Who"}]}],"generalPractitioner":[{"reference":"#p1"}]}"##;
    let resource = assert_round_trip(json);
    let Resource::Patient(patient) = resource else {
        panic!("not a Patient")
    };
    assert!(
        matches!(&patient.contained[0], Resource::Practitioner(p) if p.name[0].family.is_some())
    );
    assert_rejected_at(
        r#"{"resourceType":"Patient","contained":[{"resourceType":"Practitioner","gender":"nope"}]}"#,
        "Patient.contained[0].gender",
        "not in the required ValueSet",
    );
}

#[test]
fn resource_type_may_come_last() {
    let json = r#"{"id":"x","active":true,"resourceType":"Patient"}"#;
    let resource = assert_round_trip(json);
    assert_eq!(resource.resource_type(), "Patient");
    assert_rejected_at(
        r#"{"id":"x","birthDate":"x","resourceType":"Patient"}"#,
        "Patient.birthDate",
        "invalid date",
    );
    assert_rejected_at(r#"{"id":"x"}"#, "Resource", "missing resourceType");
    assert_rejected_at(
        r#"{"resourceType":"Patiant"}"#,
        "Resource",
        "unknown resourceType `Patiant`",
    );
}

#[test]
fn output_puts_resource_type_first_and_elements_in_definition_order() {
    let json = r#"{"gender":"female","birthDate":"1970","resourceType":"Patient","id":"p","name":[{"given":["A"],"family":"B"}]}"#;
    let resource: Resource = serde_json::from_str(json).unwrap();
    assert_eq!(
        serde_json::to_string(&resource).unwrap(),
        r#"{"resourceType":"Patient","id":"p","name":[{"family":"B","given":["A"]}],"gender":"female","birthDate":"1970"}"#
    );
}

#[test]
fn concrete_types_decode_directly() {
    let patient: Patient =
        serde_json::from_str(r#"{"resourceType":"Patient","active":true}"#).unwrap();
    assert_eq!(patient.active.as_ref().and_then(|a| a.value()), Some(&true));
    let message = serde_json::from_str::<Encounter>(r#"{"resourceType":"Patient"}"#)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("Encounter: resourceType is `Patient`"),
        "{message}"
    );
    let message = serde_json::from_str::<Observation>(r#"{"status":"final","code":{"text":"x"}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("Observation: missing resourceType"),
        "{message}"
    );
}

#[test]
fn dates_keep_their_precision_and_timezone() {
    let json = r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02","issued":"2015-02-07T13:28:17.239+02:00"}"#;
    let resource = assert_round_trip(json);
    let Resource::Observation(obs) = resource else {
        panic!("not an Observation")
    };
    let issued = obs.issued.as_ref().unwrap().value().unwrap();
    assert_eq!(issued.timezone(), "+02:00");
}
