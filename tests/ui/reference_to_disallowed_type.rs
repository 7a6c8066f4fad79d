// `Encounter.subject` allows Patient | Group (targetProfile); a Practitioner must not compile.
use fhir_model::resources::{Encounter, Practitioner};
use fhir_model::TypedReference;

fn main() {
    let mut encounter = Encounter::default();
    let practitioner = TypedReference::<Practitioner>::id("p1").unwrap();
    encounter.set_subject(practitioner);
}
