//! Stage 1: read a FHIR package folder into typed definitions.
//!
//! Only the fields the generator uses are modelled; everything else in the JSON is ignored, so a
//! newer package with more metadata still loads.

mod package;
mod profile;
mod structure_definition;
mod terminology;

pub use package::{load_extra_package, ExtraPackage};
pub use profile::{ProfileDefinition, ProfileElement};
pub use structure_definition::{Constraint, ElementDefinition, StructureDefinition};
pub use terminology::{CodeSystem, Concept, ValueSet};

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything read from one package, keyed by canonical URL for stable iteration order.
#[derive(Debug, Default)]
pub struct Package {
    /// `name#version` from `package.json`, written into every generated file header.
    pub id: String,
    pub structures: BTreeMap<String, Loaded<StructureDefinition>>,
    pub value_sets: BTreeMap<String, Loaded<ValueSet>>,
    pub code_systems: BTreeMap<String, Loaded<CodeSystem>>,
}

/// A definition with the file it came from, so later stages can name the file in errors.
#[derive(Debug)]
pub struct Loaded<T> {
    pub file: PathBuf,
    pub value: T,
}

#[derive(serde::Deserialize)]
struct Manifest {
    name: String,
    version: String,
}

#[derive(serde::Deserialize)]
#[serde(tag = "resourceType")]
enum AnyDefinition {
    StructureDefinition(StructureDefinition),
    ValueSet(ValueSet),
    CodeSystem(CodeSystem),
    #[serde(other)]
    Other,
}

/// Reads `package.json` and every `*.json` definition in `dir` (not recursive), sorted by name.
pub fn load_package(dir: &Path) -> Result<Package> {
    let manifest_path = dir.join("package.json");
    let manifest: Manifest = parse_file(&manifest_path)?;
    let mut package = Package {
        id: format!("{}#{}", manifest.name, manifest.version),
        ..Package::default()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && *p != manifest_path)
        .collect();
    files.sort();
    for file in files {
        match parse_file::<AnyDefinition>(&file)? {
            AnyDefinition::StructureDefinition(sd) => {
                insert(&mut package.structures, sd.url.clone(), file, sd)?
            }
            AnyDefinition::ValueSet(vs) => {
                insert(&mut package.value_sets, vs.url.clone(), file, vs)?
            }
            AnyDefinition::CodeSystem(cs) => {
                insert(&mut package.code_systems, cs.url.clone(), file, cs)?
            }
            AnyDefinition::Other => {}
        }
    }
    Ok(package)
}

fn insert<T>(
    map: &mut BTreeMap<String, Loaded<T>>,
    url: String,
    file: PathBuf,
    value: T,
) -> Result<()> {
    if let Some(previous) = map.get(&url) {
        return Err(Error::definition(
            &file,
            &url,
            format!(
                "duplicate canonical URL, also defined in {}",
                previous.file.display()
            ),
        ));
    }
    map.insert(url, Loaded { file, value });
    Ok(())
}

fn parse_file<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_slice(&bytes).map_err(|e| Error::json(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny")
    }

    #[test]
    fn loads_the_tiny_fixture_package() {
        let package = load_package(&fixture()).unwrap();
        assert_eq!(package.id, "example.tiny#0.0.1");
        let thing = &package.structures["http://example.org/StructureDefinition/Thing"].value;
        assert_eq!(thing.kind, "resource");
        let status = thing.element("Thing.status").unwrap();
        assert_eq!(status.min, 1);
        assert_eq!(status.binding.as_ref().unwrap().strength, "required");
        assert!(package
            .value_sets
            .contains_key("http://example.org/ValueSet/thing-status"));
        assert!(package
            .code_systems
            .contains_key("http://example.org/CodeSystem/thing-status"));
    }

    #[test]
    fn malformed_json_names_the_file() {
        let dir = std::env::temp_dir().join(format!("fhir-codegen-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("package.json"), r#"{"name":"x","version":"1"}"#).unwrap();
        std::fs::write(
            dir.join("StructureDefinition-Bad.json"),
            r#"{"resourceType":"StructureDefinition","url":5}"#,
        )
        .unwrap();
        let err = load_package(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("StructureDefinition-Bad.json"), "{err}");
        assert!(err.contains("invalid type"), "{err}");
    }
}
