//! Lenient reading: what strict reading rejects is repaired or kept, and always reported with
//! its element path and JSON position. Nothing the sender wrote is dropped silently.

use fhir_model::datatypes::ExtensionValue;
use fhir_model::json::{Reader, KEPT_TEXT_URL};
use fhir_model::validate::{validate_resource, IssueCode, Severity};
use fhir_model::Resource;

/// An issue as `(path, code, line, column)`.
type Found = (String, IssueCode, Option<usize>, Option<usize>);

fn lenient(json: &str) -> (Resource, Vec<Found>) {
    let read = Reader::lenient()
        .read::<Resource>(json.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let issues = read
        .issues
        .into_iter()
        .map(|i| (i.path, i.code, i.line, i.column))
        .collect();
    (read.value, issues)
}

#[test]
fn unknown_elements_are_skipped_and_reported_with_position() {
    let json = "{\"resourceType\":\"Patient\",\n \"nickname\":\"Bob\",\n \"name\":[{\"family\":\"X\",\"middle\":{\"a\":1}}]}";
    let (resource, issues) = lenient(json);
    assert_eq!(
        issues,
        [
            (
                "Patient.nickname".to_owned(),
                IssueCode::Structure,
                Some(2),
                Some(13)
            ),
            (
                "Patient.name[0].middle".to_owned(),
                IssueCode::Structure,
                Some(3),
                Some(33)
            ),
        ]
    );
    let Resource::Patient(p) = resource else {
        panic!()
    };
    assert_eq!(
        p.name[0].family.as_ref().unwrap().value().unwrap().as_str(),
        "X"
    );
    assert!(
        serde_json::from_str::<Resource>(json).is_err(),
        "strict reading rejects the same input"
    );
}

#[test]
fn code_outside_required_binding_is_kept_as_text_and_reported() {
    let (resource, issues) = lenient(r#"{"resourceType":"Patient","gender":"mal"}"#);
    assert_eq!(
        issues,
        [(
            "Patient.gender".to_owned(),
            IssueCode::CodeInvalid,
            Some(1),
            Some(36)
        )]
    );
    let Resource::Patient(p) = &resource else {
        panic!()
    };
    let gender = p.gender.as_ref().unwrap();
    assert!(gender.value().is_none());
    let kept = &gender.extension()[0];
    assert_eq!(kept.url.as_ref().unwrap().as_str(), KEPT_TEXT_URL);
    assert!(
        matches!(&kept.value, Some(ExtensionValue::String(s)) if s.value().unwrap().as_str() == "mal")
    );
    // Written back, the text travels in the extension; validation still flags it.
    let out = serde_json::to_string(&resource).unwrap();
    assert!(out.contains(r#""_gender":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/originalText","valueString":"mal"}]}"#), "{out}");
    let found: Vec<_> = validate_resource(&resource)
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "Patient.gender");
}

#[test]
fn invalid_primitives_in_arrays_and_choices_are_kept() {
    let (resource, issues) = lenient(
        r#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueDateTime":"yesterday","note":[{"text":"a"}],"identifier":[{"value":"1"}],"category":[{"coding":[{"code":" padded"}]}]}"#,
    );
    let paths: Vec<&str> = issues.iter().map(|i| i.0.as_str()).collect();
    // In the order they appear in the JSON.
    assert_eq!(
        paths,
        [
            "Observation.valueDateTime",
            "Observation.category[0].coding[0].code"
        ]
    );
    let again = serde_json::to_string(&resource).unwrap();
    assert!(
        again.contains("yesterday") && again.contains(" padded"),
        "{again}"
    );
}

#[test]
fn missing_required_duplicates_and_empty_arrays_are_reported() {
    let (resource, issues) = lenient(
        r#"{"resourceType":"Encounter","class":{"code":"AMB"},"class":{"code":"IMP"},"identifier":[],"valueX":1}"#,
    );
    let found: Vec<(&str, IssueCode)> = issues.iter().map(|i| (i.0.as_str(), i.1)).collect();
    assert_eq!(
        found,
        [
            ("Encounter.class", IssueCode::Duplicate),
            ("Encounter.identifier", IssueCode::Structure),
            ("Encounter.valueX", IssueCode::Structure),
            ("Encounter.status", IssueCode::Required),
        ]
    );
    let Resource::Encounter(e) = resource else {
        panic!()
    };
    assert_eq!(
        e.class
            .as_ref()
            .unwrap()
            .code
            .as_ref()
            .unwrap()
            .value()
            .unwrap()
            .as_str(),
        "AMB",
        "the first value is kept"
    );
}

#[test]
fn wrong_json_types_for_primitives_are_kept_as_text() {
    let (resource, issues) =
        lenient(r#"{"resourceType":"Patient","active":"yes","birthDate":19700101}"#);
    let found: Vec<(&str, IssueCode)> = issues.iter().map(|i| (i.0.as_str(), i.1)).collect();
    assert_eq!(
        found,
        [
            ("Patient.active", IssueCode::Structure),
            ("Patient.birthDate", IssueCode::Structure)
        ]
    );
    let out = serde_json::to_string(&resource).unwrap();
    assert!(
        out.contains("\"valueString\":\"yes\"") && out.contains("\"valueString\":\"19700101\""),
        "{out}"
    );
}

#[test]
fn malformed_json_is_still_an_error() {
    let err = Reader::lenient()
        .read::<Resource>(br#"{"resourceType":"Patient","active":true"#)
        .unwrap_err();
    assert_eq!(err.code, IssueCode::Structure);
    assert!(err.message.contains("EOF"), "{}", err.message);
}

#[test]
fn strict_reader_reports_the_first_error_as_an_issue() {
    let err = Reader::strict()
        .read::<Resource>(b"{\"resourceType\":\"Patient\",\n\"gender\":\"mal\"}")
        .unwrap_err();
    assert_eq!(
        (err.path.as_str(), err.code, err.line),
        ("Patient.gender", IssueCode::CodeInvalid, Some(2))
    );
}

#[test]
fn nesting_limit_is_configurable_and_never_overflows_the_stack() {
    let nested = |levels: usize| {
        let open = r#"{"url":"http://x","extension":["#.repeat(levels);
        let close = "]}".repeat(levels);
        format!(
            r#"{{"resourceType":"Patient","extension":[{open}{{"url":"http://x","valueString":"a"}}{close}]}}"#
        )
    };
    assert!(Reader::strict()
        .read::<Resource>(nested(10).as_bytes())
        .is_ok());
    let err = Reader::strict()
        .max_depth(12)
        .read::<Resource>(nested(10).as_bytes())
        .unwrap_err();
    assert!(
        err.message.contains("nested deeper than 12"),
        "{}",
        err.message
    );
    assert_eq!(err.code, IssueCode::TooCostly);
    // 10,000 levels: refused with an error (serde_json's own limit is 128 JSON levels).
    let err = Reader::lenient()
        .max_depth(100_000)
        .read::<Resource>(nested(10_000).as_bytes())
        .unwrap_err();
    assert!(err.message.contains("recursion limit"), "{}", err.message);
    assert_eq!(err.code, IssueCode::TooCostly);
    let deep_arrays = format!(
        r#"{{"resourceType":"Patient","extension":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(serde_json::from_str::<Resource>(&deep_arrays).is_err());
}

#[test]
fn kept_text_and_the_sender_extensions_live_side_by_side() {
    let (resource, issues) = lenient(
        r#"{"resourceType":"Patient","gender":"mal","_gender":{"id":"g","extension":[{"url":"http://x","valueString":"y"}]},"name":[{"given":["","B"],"_given":[{"id":"a"},null]}]}"#,
    );
    let paths: Vec<&str> = issues.iter().map(|i| i.0.as_str()).collect();
    assert_eq!(paths, ["Patient.gender", "Patient.name[0].given[0]"]);
    let Resource::Patient(p) = &resource else {
        panic!()
    };
    let gender = p.gender.as_ref().unwrap();
    assert_eq!(
        gender
            .element
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .as_str(),
        "g"
    );
    let urls: Vec<&str> = gender
        .extension()
        .iter()
        .map(|e| e.url.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(urls, [KEPT_TEXT_URL, "http://x"]);
    let given = &p.name[0].given[0];
    assert_eq!(
        given
            .element
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .as_str(),
        "a"
    );
}

/// The string limit (datatypes.html#string: 1 MB) is a reader option; a longer value read
/// leniently is kept as text and reported, like any invalid value.
#[test]
fn over_long_strings_are_kept_and_reported_under_the_readers_limit() {
    let json = br#"{"resourceType":"Patient","name":[{"family":"Chalmers","given":["Jim"]}],"gender":"male"}"#;
    let strict = Reader::strict().max_string_chars(5).read::<Resource>(json);
    let err = strict.unwrap_err();
    assert_eq!(err.path, "Patient.name[0].family");
    let read = Reader::lenient()
        .max_string_chars(5)
        .read::<Resource>(json)
        .unwrap();
    let found: Vec<_> = read
        .issues
        .iter()
        .map(|i| (i.path.as_str(), i.code))
        .collect();
    assert_eq!(found, [("Patient.name[0].family", IssueCode::Value)]);
    let Resource::Patient(p) = read.value else {
        panic!()
    };
    let family = p.name[0].family.as_ref().unwrap();
    assert!(family.value().is_none());
    let kept = &family.element.as_ref().unwrap().extension[0];
    assert_eq!(kept.url.as_deref(), Some(KEPT_TEXT_URL));
    // The limit holds for that read only.
    assert!(serde_json::from_slice::<Resource>(json).is_ok());
}
