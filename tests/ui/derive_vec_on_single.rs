// `Patient.birthDate` is 0..1: a `Vec` cannot map it. `Patient.name` is 0..*: a single
// field cannot map it without picking an item.
use fhir_model::datatypes::HumanName;
use fhir_model::mapping::FhirResource;
use fhir_model::primitives::Date;

#[derive(FhirResource)]
#[fhir(resource = "Patient")]
struct Person {
    #[fhir(path = "birthDate")]
    born: Vec<Date>,
    #[fhir(path = "name")]
    name: Option<HumanName>,
    // Reading an optional element needs an `Option`.
    #[fhir(path = "gender")]
    gender: String,
}

fn main() {}
