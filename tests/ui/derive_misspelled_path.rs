// Every step of a path must be an element of the type it is in; typos get a suggestion.
use fhir_model::codes::EncounterStatus;
use fhir_model::datatypes::{Coding, Reference};
use fhir_model::mapping::FhirResource;
use fhir_model::primitives::DateTime;

#[derive(FhirResource)]
#[fhir(resource = "Encounter")]
struct Visit {
    #[fhir(path = "status")]
    status: EncounterStatus,
    #[fhir(path = "class")]
    class: Coding,
    #[fhir(path = "subjct")]
    patient: Option<Reference>,
    #[fhir(path = "period.strat")]
    start: Option<DateTime>,
}

fn main() {}
