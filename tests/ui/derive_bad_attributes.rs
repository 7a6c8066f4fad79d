// Attribute mistakes: an unknown key, a path that repeats twice, `system` on a non-coded
// element, an extension without a url, a message whose first field is not one header.
use fhir_model::mapping::{FhirBundle, FhirExtension, FhirResource};

#[derive(FhirResource)]
#[fhir(resource = "Patient")]
struct Person {
    #[fhir(pth = "id")]
    id: Option<String>,
    #[fhir(path = "name.given")]
    given: Vec<String>,
    #[fhir(path = "birthDate", system = "urn:x")]
    born: Option<String>,
    #[fhir(path = "deceased")]
    deceased: Option<bool>,
    unmapped: Option<String>,
}

#[derive(FhirExtension)]
struct NoUrl {
    #[fhir(value)]
    value: String,
}

#[derive(FhirBundle)]
#[fhir(bundle = "mesage")]
struct Message {
    people: Vec<Person>,
}

fn main() {}
