//! Redox's Encounter-New message from your own structs: `#[derive(FhirResource)]` maps each
//! struct onto a resource, `#[derive(FhirExtension)]` the US Core race and ethnicity
//! extensions, and `#[derive(FhirBundle)]` the message around them.
//!
//! `cargo run -p fhir-model --features derive --example derive_redox` prints the Bundle; it
//! equals `../shared/mission/redox-encounter-new.json` as JSON, and reading that file back
//! gives the same structs (both checked by `tests/tests/derive.rs`).

use fhir_model::codes::{
    AddressUse, AdministrativeGender, ContactPointSystem, ContactPointUse, EncounterStatus, NameUse,
};
use fhir_model::datatypes::{
    Address, CodeableConcept, Coding, ContactPoint, Duration, HumanName, Reference,
};
use fhir_model::mapping::{FhirBundle, FhirExtension, FhirResource, Key};
use fhir_model::primitives::{Date, DateTime, Instant};
use fhir_model::resources::PatientContact;
use std::error::Error;

/// The message: its header first, then the visit and the patient.
#[derive(FhirBundle, Debug, PartialEq)]
#[fhir(bundle = "message")]
pub struct EncounterNew {
    #[fhir(id)]
    pub id: Option<String>,
    #[fhir(timestamp)]
    pub timestamp: Option<Instant>,
    pub header: Header,
    pub visit: Visit,
    pub patient: PatientRecord,
}

#[derive(FhirResource, Debug, PartialEq)]
#[fhir(resource = "MessageHeader")]
pub struct Header {
    #[fhir(path = "id")]
    pub id: Option<String>,
    #[fhir(path = "eventCoding")]
    pub event: Option<Coding>,
    #[fhir(path = "source.name")]
    pub source_name: Option<String>,
    #[fhir(path = "source.endpoint")]
    pub source_endpoint: String,
}

#[derive(FhirResource, Debug, PartialEq)]
#[fhir(resource = "Encounter")]
pub struct Visit {
    /// Redox addresses entries by search URL.
    #[fhir(full_url)]
    pub full_url: Option<String>,
    #[fhir(path = "id")]
    pub id: Option<String>,
    #[fhir(
        path = "identifier",
        system = "urn:oid:1.2.840.114350.1.13.12345.1.7.2.698084.11"
    )]
    pub visit_number: Option<String>,
    #[fhir(path = "status")]
    pub status: EncounterStatus,
    #[fhir(path = "class")]
    pub class: Coding,
    #[fhir(path = "type")]
    pub kinds: Vec<CodeableConcept>,
    /// One `diagnosis` per item, each with its `condition`.
    #[fhir(path = "diagnosis.condition")]
    pub diagnoses: Vec<Reference>,
    #[fhir(path = "participant.individual")]
    pub practitioners: Vec<Reference>,
    #[fhir(path = "location.location")]
    pub locations: Vec<Reference>,
    /// A typed key: `Patient/{id}`, checked against `Encounter.subject`'s targets.
    #[fhir(path = "subject")]
    pub patient: Option<Key<PatientRecord>>,
    #[fhir(path = "period.start")]
    pub start: Option<DateTime>,
    #[fhir(path = "period.end")]
    pub end: Option<DateTime>,
    #[fhir(path = "length")]
    pub length: Option<Duration>,
    #[fhir(path = "reasonCode")]
    pub reasons: Vec<CodeableConcept>,
}

/// A US Core Patient: the profile's required identifier, name and gender must be mapped, and
/// `to_resource` checks the result against the profile.
#[derive(FhirResource, Debug, PartialEq)]
#[fhir(resource = "Patient", profile = "us-core-patient")]
pub struct PatientRecord {
    #[fhir(full_url)]
    pub full_url: Option<String>,
    #[fhir(path = "id")]
    pub id: Option<String>,
    #[fhir(
        path = "meta",
        extension = "https://fhir.redoxengine.com/StructureDefinition/example-sort-order"
    )]
    pub sort_order: Option<i32>,
    #[fhir(extension)]
    pub race: Option<Race>,
    #[fhir(extension)]
    pub ethnicity: Option<Ethnicity>,
    #[fhir(path = "identifier", system = "urn:redox:health-one:MR")]
    pub mrn: Option<String>,
    #[fhir(path = "identifier", system = "http://hl7.org/fhir/sid/us-ssn")]
    pub ssn: Option<String>,
    #[fhir(path = "name")]
    pub names: Vec<HumanName>,
    #[fhir(path = "gender")]
    pub gender: Option<AdministrativeGender>,
    #[fhir(path = "birthDate")]
    pub birth_date: Option<Date>,
    #[fhir(path = "telecom")]
    pub telecom: Vec<ContactPoint>,
    #[fhir(path = "address")]
    pub addresses: Vec<Address>,
    #[fhir(path = "maritalStatus")]
    pub marital_status: Option<CodeableConcept>,
    #[fhir(path = "communication.language")]
    pub languages: Vec<CodeableConcept>,
    #[fhir(path = "contact")]
    pub contacts: Vec<PatientContact>,
    #[fhir(path = "generalPractitioner")]
    pub general_practitioners: Vec<Reference>,
    #[fhir(path = "managingOrganization")]
    pub managing_organization: Option<Reference>,
}

/// US Core race (<http://hl7.org/fhir/us/core/StructureDefinition/us-core-race>).
#[derive(FhirExtension, Debug, PartialEq)]
#[fhir(url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race")]
pub struct Race {
    #[fhir(extension = "ombCategory")]
    pub omb_category: Vec<Coding>,
    #[fhir(extension = "detailed")]
    pub detailed: Vec<Coding>,
    #[fhir(extension = "text")]
    pub text: String,
}

/// US Core ethnicity (<http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity>).
#[derive(FhirExtension, Debug, PartialEq)]
#[fhir(url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity")]
pub struct Ethnicity {
    #[fhir(extension = "ombCategory")]
    pub omb_category: Option<Coding>,
    #[fhir(extension = "detailed")]
    pub detailed: Vec<Coding>,
    #[fhir(extension = "text")]
    pub text: String,
}

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let message = encounter_new()?;
    println!(
        "{}",
        fhir_model::json::to_string_pretty(&message.to_bundle()?.into())?
    );
    Ok(())
}

const REDOX: &str = "https://api.redoxengine.com/fhir/R4/redox-fhir-sandbox/Development";

/// The seed message as user structs.
pub fn encounter_new() -> Result<EncounterNew> {
    Ok(EncounterNew {
        id: Some("RedoxEncounterMessageBundleExample".into()),
        timestamp: Some("2021-12-17T20:33:22.422Z".parse()?),
        header: Header {
            id: Some("RedoxMessageHeaderExample".into()),
            event: Some(coding("urn:redox:event-type", "Encounter-New", None)?),
            source_name: Some("Good Health Clinics".into()),
            source_endpoint: "05107c08-fe2f-4740-8c1d-c7107d18ebe5".into(),
        },
        visit: visit()?,
        patient: patient()?,
    })
}

fn visit() -> Result<Visit> {
    Ok(Visit {
        full_url: Some(format!(
            "{REDOX}/Encounter?identifier=zzz123Encounter|urn:redox:encounterId"
        )),
        id: Some("RedoxEncounterExample".into()),
        visit_number: Some("9601346482".into()),
        status: EncounterStatus::Finished,
        class: coding(
            "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "IMP",
            Some("inpatient encounter"),
        )?,
        kinds: vec![concept(
            vec![coding(
                "http://www.ama-assn.org/go/cpt",
                "99222",
                Some("InPatient Admission"),
            )?],
            None,
        )?],
        diagnoses: vec![Reference::to_literal(
            "Condition/RedoxConditionExampleEncounterDx",
        )?],
        practitioners: vec![Reference::to_literal(
            "Practitioner/RedoxPractitionerExampleEncounter",
        )?],
        locations: vec![Reference::to_literal(
            "Location/RedoxLocationExampleEncounter",
        )?],
        patient: Some(Key::new("RedoxPatientExampleTimothy")?),
        start: Some("2022-02-06T04:00:00.000Z".parse()?),
        end: Some("2022-02-06T04:15:00.000Z".parse()?),
        length: Some(Duration {
            value: Some("16".parse()?),
            system: Some("http://unitsofmeasure.org".parse()?),
            code: Some("m".parse()?),
            ..Default::default()
        }),
        reasons: vec![concept(
            vec![coding("http://snomed.info/sct", "23360407", None)?],
            Some("Pneumonia"),
        )?],
    })
}

fn patient() -> Result<PatientRecord> {
    Ok(PatientRecord {
        full_url: Some(format!(
            "{REDOX}/Patient?identifier=0000000001|urn:redox:MRN"
        )),
        id: Some("RedoxPatientExampleTimothy".into()),
        sort_order: Some(1),
        race: Some(Race {
            omb_category: vec![],
            detailed: vec![],
            text: "White".into(),
        }),
        ethnicity: Some(Ethnicity {
            omb_category: Some(coding(
                "urn:oid:2.16.840.1.113883.6.238",
                "2135-2",
                Some("Hispanic or Latino"),
            )?),
            detailed: vec![],
            text: "Hispanic".into(),
        }),
        mrn: Some("0000000001".into()),
        ssn: Some("101-01-0001".into()),
        names: vec![
            HumanName {
                use_: Some(NameUse::Official.into()),
                family: Some("Bixby".parse()?),
                given: vec!["Timothy".parse()?, "Paul".parse()?],
                ..Default::default()
            },
            HumanName {
                use_: Some(NameUse::Usual.into()),
                text: Some("Billy".parse()?),
                ..Default::default()
            },
        ],
        gender: Some(AdministrativeGender::Male),
        birth_date: Some("2008-01-06".parse()?),
        telecom: vec![
            telecom(
                ContactPointSystem::Phone,
                "+18088675301",
                Some(ContactPointUse::Home),
            )?,
            telecom(
                ContactPointSystem::Phone,
                "+18008675309",
                Some(ContactPointUse::Work),
            )?,
            telecom(
                ContactPointSystem::Email,
                "timothy.bixby@redoxengine.com",
                None,
            )?,
        ],
        addresses: vec![Address {
            use_: Some(AddressUse::Home.into()),
            line: vec!["4762 Hickory Street".parse()?],
            city: Some("Monroe".parse()?),
            district: Some("Greene".parse()?),
            state: Some("WI".parse()?),
            postal_code: Some("53566".parse()?),
            country: Some("US".parse()?),
            ..Default::default()
        }],
        marital_status: Some(concept(
            vec![coding(
                "http://hl7.org/fhir/v3/MaritalStatus",
                "M",
                Some("Married"),
            )?],
            Some("Married"),
        )?),
        languages: vec![concept(
            vec![coding("urn:ietf:bcp:47", "en", None)?],
            Some("English"),
        )?],
        contacts: vec![PatientContact {
            name: Some(Box::new(HumanName {
                family: Some("Bixby".parse()?),
                given: vec!["Barbara".parse()?],
                ..Default::default()
            })),
            telecom: vec![
                telecom(
                    ContactPointSystem::Phone,
                    "+18088675303",
                    Some(ContactPointUse::Home),
                )?,
                telecom(
                    ContactPointSystem::Email,
                    "barbara.bixby@redoxengine.com",
                    None,
                )?,
            ],
            address: Some(Box::new(Address {
                line: vec!["4762 Hickory St.".parse()?],
                city: Some("Monroe".parse()?),
                district: Some("Green".parse()?),
                state: Some("WI".parse()?),
                postal_code: Some("53566".parse()?),
                country: Some("USA".parse()?),
                ..Default::default()
            })),
            relationship: vec![
                concept(
                    vec![coding(
                        "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                        "MTH",
                        Some("mother"),
                    )?],
                    Some("Mother"),
                )?,
                concept(
                    vec![coding(
                        "http://terminology.hl7.org/CodeSystem/v2-0131",
                        "C",
                        Some("Emergency Contact"),
                    )?],
                    Some("Emergency Contact"),
                )?,
            ],
            ..Default::default()
        }],
        general_practitioners: vec![Reference::to_literal(
            "Practitioner/RedoxPractitionerExamplePat",
        )?],
        managing_organization: Some(Reference::to_literal(
            "Organization/RedoxOrganizationManagingExample",
        )?),
    })
}

fn coding(system: &str, code: &str, display: Option<&str>) -> Result<Coding> {
    Ok(Coding {
        system: Some(system.parse()?),
        code: Some(code.parse()?),
        display: display.map(str::parse).transpose()?,
        ..Default::default()
    })
}

fn concept(coding: Vec<Coding>, text: Option<&str>) -> Result<CodeableConcept> {
    Ok(CodeableConcept {
        coding,
        text: text.map(str::parse).transpose()?,
        ..Default::default()
    })
}

fn telecom(
    system: ContactPointSystem,
    value: &str,
    use_: Option<ContactPointUse>,
) -> Result<ContactPoint> {
    Ok(ContactPoint {
        system: Some(system.into()),
        value: Some(value.parse()?),
        use_: use_.map(Into::into),
        ..Default::default()
    })
}
