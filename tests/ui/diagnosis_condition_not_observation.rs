// `Encounter.diagnosis.condition` allows Condition | Procedure, so the required-element
// constructor rejects an Observation at compile time.
use fhir_model::resources::{EncounterDiagnosis, Observation};
use fhir_model::TypedReference;

fn main() {
    let _ = EncounterDiagnosis::new(TypedReference::<Observation>::id("o1").unwrap());
}
