// `Encounter.status` and `Encounter.class` are 1..1: a struct that cannot fill them cannot
// become an Encounter. Nor can `diagnosis` items be made without their required `condition`.
use fhir_model::mapping::FhirResource;

#[derive(FhirResource)]
#[fhir(resource = "Encounter")]
struct Visit {
    #[fhir(path = "id")]
    id: Option<String>,
    #[fhir(path = "diagnosis.rank")]
    ranks: Vec<u32>,
}

fn main() {}
