// Keys a derive does not use are errors in all three derives, a key given twice is an error,
// and a failed derive still implements its trait, so code using it adds no errors of its own.
use fhir_model::mapping::{FhirBundle, FhirExtension, FhirResource};

#[derive(FhirResource)]
#[fhir(resource = "Patient", url = "http://example.org/x")]
struct Person {
    #[fhir(path = "id", path = "id")]
    id: Option<String>,
    #[fhir(skip, path = "gender")]
    note: Option<String>,
}

#[derive(FhirExtension)]
#[fhir(url = "http://example.org/nickname", resource = "Patient")]
struct Nickname {
    #[fhir(value, system = "urn:x")]
    value: String,
}

#[derive(FhirBundle)]
#[fhir(bundle = "collection", profile = "us-core-patient")]
struct People {
    #[fhir(full_url)]
    people: Vec<Person>,
    #[fhir(id, timestamp)]
    id: Option<String>,
}

fn main() {
    // No "function not found" here: the failed derives still implement their traits.
    let _ = Person::from_resource(&Default::default());
    let _ = <Nickname as FhirExtension>::URL;
    let _ = People::from_bundle(&Default::default());
}
