// The package's profiles are known to the derive like US Core's: a misspelled name gets a
// suggestion, and what the profile requires must be mapped.
use fhir_model::codes::ObservationStatus;
use fhir_model::datatypes::CodeableConcept;
use fhir_model::mapping::FhirResource;

#[derive(FhirResource)]
#[fhir(resource = "Observation", profile = "acme-lab-resutl")]
struct Misspelled {
    #[fhir(path = "status")]
    status: ObservationStatus,
    #[fhir(path = "code")]
    code: CodeableConcept,
}

#[derive(FhirResource)]
#[fhir(resource = "Observation", profile = "acme-lab-result")]
struct MissingSubject {
    #[fhir(path = "status")]
    status: ObservationStatus,
    #[fhir(path = "category")]
    category: Vec<CodeableConcept>,
    #[fhir(path = "code")]
    code: CodeableConcept,
    #[fhir(path = "effectiveDateTime")]
    taken: Option<fhir_model::primitives::DateTime>,
}

#[derive(FhirResource)]
#[fhir(resource = "Patient", profile = "acme-lab-result")]
struct WrongBase {
    #[fhir(path = "id")]
    id: Option<String>,
}

fn main() {}
