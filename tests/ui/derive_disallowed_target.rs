// `Encounter.subject` may refer to a Patient or a Group; a key to a user type mapped onto
// Practitioner must not compile.
use fhir_model::codes::EncounterStatus;
use fhir_model::datatypes::Coding;
use fhir_model::mapping::{FhirResource, Key};

#[derive(FhirResource)]
#[fhir(resource = "Practitioner")]
struct Doctor {
    #[fhir(path = "id")]
    id: Option<String>,
}

#[derive(FhirResource)]
#[fhir(resource = "Encounter")]
struct Visit {
    #[fhir(path = "status")]
    status: EncounterStatus,
    #[fhir(path = "class")]
    class: Coding,
    #[fhir(path = "subject")]
    patient: Option<Key<Doctor>>,
}

fn main() {}
