//! Shared helpers for the integration and conformance tests.

use std::path::PathBuf;

/// The official R4 examples: `$FHIR_R4_EXAMPLES`, else `../shared/fhir/r4-examples` beside the
/// workspace. `None` (with a loud line on stderr) when neither exists, so callers can skip.
pub fn r4_examples() -> Option<PathBuf> {
    let dir = match std::env::var_os("FHIR_R4_EXAMPLES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fhir/r4-examples"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: official R4 examples not found at {} (set FHIR_R4_EXAMPLES)",
            dir.display()
        );
        None
    }
}

/// A file under `../shared/` beside the workspace, if present (loud line on stderr if not).
pub fn shared_file(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(relative);
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("SKIPPED: {} not found", path.display());
        None
    }
}

/// Decodes `bytes` as a resource and encodes it again.
pub fn roundtrip(bytes: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
    let resource: fhir_model::Resource = serde_json::from_slice(bytes)?;
    serde_json::to_vec(&resource)
}
