//! The derives' output compiles without the prelude, next to user items that shadow common
//! names, and under `#![deny(warnings)]`: it names everything by absolute path.
#![deny(warnings)]

#[allow(dead_code)]
mod shadowing {
    #![no_implicit_prelude]

    use ::fhir_model::mapping::{FhirBundle, FhirExtension, FhirResource, Key};

    // User items with the names generated code might reach for.
    struct Result;
    struct Box;
    struct Vec;
    struct String;
    enum Error {}
    mod fhir_model {}
    mod std {}

    #[derive(FhirExtension)]
    #[fhir(url = "http://example.org/fhir/StructureDefinition/flag")]
    pub struct Flag {
        #[fhir(value)]
        pub value: ::std::option::Option<bool>,
    }

    #[derive(FhirResource)]
    #[fhir(resource = "Patient")]
    pub struct Person {
        #[fhir(path = "id")]
        pub id: ::std::option::Option<::std::string::String>,
        #[fhir(path = "name[0].given")]
        pub given: ::std::vec::Vec<::std::string::String>,
        #[fhir(path = "identifier", system = "urn:example:mrn")]
        pub mrn: ::std::option::Option<::std::string::String>,
        #[fhir(path = "deceasedBoolean")]
        pub deceased: ::std::option::Option<bool>,
        #[fhir(extension)]
        pub flags: ::std::vec::Vec<Flag>,
        #[fhir(full_url)]
        pub full_url: ::std::option::Option<::std::string::String>,
    }

    #[derive(FhirResource)]
    #[fhir(resource = "Observation")]
    pub struct Reading {
        #[fhir(path = "status")]
        pub status: ::fhir_model::codes::ObservationStatus,
        #[fhir(path = "code")]
        pub code: ::fhir_model::datatypes::CodeableConcept,
        #[fhir(path = "subject")]
        pub person: ::std::option::Option<Key<Person>>,
        #[fhir(path = "component.code")]
        pub parts: ::std::vec::Vec<::fhir_model::datatypes::CodeableConcept>,
    }

    #[derive(FhirBundle)]
    #[fhir(bundle = "collection")]
    pub struct Chart {
        #[fhir(id)]
        pub id: ::std::option::Option<::std::string::String>,
        pub person: Person,
        pub readings: ::std::vec::Vec<Reading>,
        #[fhir(rest)]
        pub rest: ::std::vec::Vec<::fhir_model::Resource>,
    }
}

#[test]
fn derived_code_works_without_the_prelude() {
    use fhir_model::mapping::{FhirBundle, FhirResource, Key};
    let person = shadowing::Person {
        id: Some("p1".into()),
        given: vec!["Ann".into()],
        mrn: Some("42".into()),
        deceased: Some(false),
        flags: vec![shadowing::Flag { value: Some(true) }],
        full_url: Some("urn:uuid:9d3b8a3e-6a7b-4bb5-9c2e-2d3d6c6f1a11".into()),
    };
    let reading = shadowing::Reading {
        status: fhir_model::codes::ObservationStatus::Final,
        code: fhir_model::datatypes::CodeableConcept {
            text: Some("pulse".parse().unwrap()),
            ..Default::default()
        },
        person: Key::of(&person),
        parts: vec![],
    };
    let chart = shadowing::Chart {
        id: Some("chart".into()),
        person,
        readings: vec![reading],
        rest: vec![],
    };
    let bundle = chart.to_bundle().unwrap();
    let back = shadowing::Chart::from_bundle(&bundle).unwrap();
    assert_eq!(
        back.person.to_resource().unwrap(),
        chart.person.to_resource().unwrap()
    );
    assert_eq!(back.person.full_url, chart.person.full_url);
    assert_eq!(back.readings[0].person.as_ref().map(Key::id), Some("p1"));
    assert_eq!(back.id.as_deref(), Some("chart"));
}
