// `#[fhir(resource = ...)]` must name an R4 resource type; the nearest one is suggested.
use fhir_model::mapping::FhirResource;

#[derive(FhirResource)]
#[fhir(resource = "Encountr")]
struct Visit {
    #[fhir(path = "id")]
    id: Option<String>,
}

fn main() {}
