//! Reads a resource and prints its id: the smallest real user of the model.

fn main() -> std::process::ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: user-build FILE");
        return std::process::ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    #[cfg(not(feature = "generic"))]
    let read = fhir_model::json::from_slice(&bytes);
    #[cfg(feature = "generic")]
    let read = serde_json::from_slice::<fhir_model::Resource>(&bytes);
    match read {
        Ok(resource) => {
            let id = resource.id().map(|id| id.as_str().to_owned());
            println!("{} {}", resource.resource_type(), id.unwrap_or_default());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
