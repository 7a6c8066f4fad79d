// A profile adds required elements (US Core Patient: identifier, name, gender); it must exist
// and constrain the struct's resource type.
use fhir_model::datatypes::HumanName;
use fhir_model::mapping::FhirResource;

#[derive(FhirResource)]
#[fhir(resource = "Patient", profile = "us-core-patient")]
struct Person {
    #[fhir(path = "name")]
    names: Vec<HumanName>,
}

#[derive(FhirResource)]
#[fhir(resource = "Patient", profile = "us-core-patiant")]
struct Misspelled {
    #[fhir(path = "id")]
    id: Option<String>,
}

#[derive(FhirResource)]
#[fhir(resource = "Practitioner", profile = "us-core-patient")]
struct WrongBase {
    #[fhir(path = "id")]
    id: Option<String>,
}

fn main() {}
