// A field's Rust type must fit the element's FHIR type: `birthDate` is a `date`, not a bool.
use fhir_model::mapping::FhirResource;

#[derive(FhirResource)]
#[fhir(resource = "Patient")]
struct Person {
    #[fhir(path = "birthDate")]
    born: Option<bool>,
}

fn main() {}
