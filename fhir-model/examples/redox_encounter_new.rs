//! Builds Redox's Encounter-New message Bundle with the typed API and prints it as JSON.
//!
//! `cargo run -p fhir-model --example redox_encounter_new`
//!
//! The output equals `../shared/mission/redox-encounter-new.json` as JSON (a test checks it).

use fhir_model::bundle::BundleBuilder;
use fhir_model::codes::{
    AddressUse, ContactPointSystem, ContactPointUse, EncounterStatus, NameUse,
};
use fhir_model::datatypes::{
    Address, CodeableConcept, Coding, ContactPoint, Duration, Extension, ExtensionValue, HumanName,
    Identifier, Meta, Period,
};
use fhir_model::resources::{
    Bundle, Condition, Encounter, EncounterDiagnosis, EncounterLocation, EncounterParticipant,
    Location, MessageHeader, MessageHeaderEvent, MessageHeaderSource, Organization, Patient,
    PatientCommunication, PatientContact, Practitioner,
};
use fhir_model::{Primitive, TypedReference};
use std::error::Error;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let bundle = encounter_new_message()?;
    println!("{}", fhir_model::json::to_string_pretty(&bundle.into())?);
    Ok(())
}

/// The Encounter-New message: MessageHeader first, then the Encounter and its Patient, whose
/// `fullUrl`s are the search URLs Redox uses.
pub fn encounter_new_message() -> Result<Bundle> {
    let base = "https://api.redoxengine.com/fhir/R4/redox-fhir-sandbox/Development";
    let bundle = BundleBuilder::message(message_header()?)
        .id("RedoxEncounterMessageBundleExample".parse()?)
        .timestamp("2021-12-17T20:33:22.422Z".parse()?)
        .entry_with_full_url(
            encounter()?,
            format!("{base}/Encounter?identifier=zzz123Encounter|urn:redox:encounterId").parse()?,
        )
        .entry_with_full_url(
            patient()?,
            format!("{base}/Patient?identifier=0000000001|urn:redox:MRN").parse()?,
        )
        .build()?;
    Ok(bundle)
}

fn message_header() -> Result<MessageHeader> {
    let mut source = MessageHeaderSource::new("05107c08-fe2f-4740-8c1d-c7107d18ebe5".parse()?);
    source.name = Some("Good Health Clinics".parse()?);
    let event = MessageHeaderEvent::Coding(Box::new(coding(
        "urn:redox:event-type",
        "Encounter-New",
        None,
    )?));
    let mut header = MessageHeader::new(event, source);
    header.id = Some("RedoxMessageHeaderExample".parse()?);
    Ok(header)
}

fn encounter() -> Result<Encounter> {
    let class = coding(
        "http://terminology.hl7.org/CodeSystem/v3-ActCode",
        "IMP",
        Some("inpatient encounter"),
    )?;
    let mut encounter = Encounter::new(EncounterStatus::Finished, class);
    encounter.id = Some("RedoxEncounterExample".parse()?);
    encounter.identifier.push(identifier(
        "urn:oid:1.2.840.114350.1.13.12345.1.7.2.698084.11",
        "9601346482",
    )?);
    encounter.type_.push(concept(
        vec![coding(
            "http://www.ama-assn.org/go/cpt",
            "99222",
            Some("InPatient Admission"),
        )?],
        None,
    )?);
    // Typed references: `Encounter.diagnosis.condition` allows Condition | Procedure,
    // `Encounter.subject` Patient | Group; any other type does not compile.
    encounter
        .diagnosis
        .push(EncounterDiagnosis::new(TypedReference::<Condition>::id(
            "RedoxConditionExampleEncounterDx",
        )?));
    let mut participant = EncounterParticipant::default();
    participant.set_individual(TypedReference::<Practitioner>::id(
        "RedoxPractitionerExampleEncounter",
    )?);
    encounter.participant.push(participant);
    encounter
        .location
        .push(EncounterLocation::new(TypedReference::<Location>::id(
            "RedoxLocationExampleEncounter",
        )?));
    encounter.set_subject(TypedReference::<Patient>::id("RedoxPatientExampleTimothy")?);
    encounter.period = Some(Box::new(Period {
        start: Some("2022-02-06T04:00:00.000Z".parse()?),
        end: Some("2022-02-06T04:15:00.000Z".parse()?),
        ..Default::default()
    }));
    encounter.length = Some(Box::new(Duration {
        value: Some("16".parse()?),
        system: Some("http://unitsofmeasure.org".parse()?),
        code: Some("m".parse()?),
        ..Default::default()
    }));
    encounter.reason_code.push(concept(
        vec![coding("http://snomed.info/sct", "23360407", None)?],
        Some("Pneumonia"),
    )?);
    Ok(encounter)
}

fn patient() -> Result<Patient> {
    let mut patient = Patient {
        id: Some("RedoxPatientExampleTimothy".parse()?),
        ..Default::default()
    };
    let mut sort_order = Extension::new(
        "https://fhir.redoxengine.com/StructureDefinition/example-sort-order".parse()?,
    );
    sort_order.value = Some(ExtensionValue::Integer(Primitive::new(1)));
    patient.meta = Some(Box::new(Meta {
        extension: vec![sort_order],
        ..Default::default()
    }));
    // US Core race and ethnicity, as plain extensions.
    let mut race =
        Extension::new("http://hl7.org/fhir/us/core/StructureDefinition/us-core-race".parse()?);
    race.extension.push(text_extension("text", "White")?);
    let mut ethnicity = Extension::new(
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity".parse()?,
    );
    let mut omb = Extension::new("ombCategory".parse()?);
    omb.value = Some(ExtensionValue::Coding(Box::new(coding(
        "urn:oid:2.16.840.1.113883.6.238",
        "2135-2",
        Some("Hispanic or Latino"),
    )?)));
    ethnicity.extension.push(omb);
    ethnicity
        .extension
        .push(text_extension("text", "Hispanic")?);
    patient.extension = vec![race, ethnicity];
    patient.identifier = vec![
        identifier("urn:redox:health-one:MR", "0000000001")?,
        identifier("http://hl7.org/fhir/sid/us-ssn", "101-01-0001")?,
    ];
    patient.name = vec![
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
    ];
    patient.gender = Some(fhir_model::codes::AdministrativeGender::Male.into());
    patient.birth_date = Some("2008-01-06".parse()?);
    patient.telecom = vec![
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
    ];
    patient.address.push(Address {
        use_: Some(AddressUse::Home.into()),
        line: vec!["4762 Hickory Street".parse()?],
        city: Some("Monroe".parse()?),
        district: Some("Greene".parse()?),
        state: Some("WI".parse()?),
        postal_code: Some("53566".parse()?),
        country: Some("US".parse()?),
        ..Default::default()
    });
    patient.marital_status = Some(Box::new(concept(
        vec![coding(
            "http://hl7.org/fhir/v3/MaritalStatus",
            "M",
            Some("Married"),
        )?],
        Some("Married"),
    )?));
    patient
        .communication
        .push(PatientCommunication::new(concept(
            vec![coding("urn:ietf:bcp:47", "en", None)?],
            Some("English"),
        )?));
    patient.contact.push(PatientContact {
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
    });
    patient.push_general_practitioner(TypedReference::<Practitioner>::id(
        "RedoxPractitionerExamplePat",
    )?);
    patient.set_managing_organization(TypedReference::<Organization>::id(
        "RedoxOrganizationManagingExample",
    )?);
    Ok(patient)
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

fn identifier(system: &str, value: &str) -> Result<Identifier> {
    Ok(Identifier {
        system: Some(system.parse()?),
        value: Some(value.parse()?),
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

fn text_extension(url: &str, text: &str) -> Result<Extension> {
    let mut extension = Extension::new(url.parse()?);
    extension.value = Some(ExtensionValue::String(text.parse()?));
    Ok(extension)
}
