//! Stage 1: read a FHIR package (a folder or an npm `.tgz`) into typed definitions. The core
//! package and profile packages load the same way into the same model.
//!
//! Only the fields the generator uses are modelled; everything else in the JSON is ignored, so a
//! newer package with more metadata still loads.

mod files;
mod structure_definition;
mod terminology;

pub use structure_definition::{
    BindingStrength, Constraint, ElementDefinition, StructureDefinition,
};
pub use terminology::{CodeSystem, Concept, ValueSet};

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything read from one package, keyed by canonical URL for stable iteration order.
#[derive(Debug, Default)]
pub struct Package {
    /// `name` from `package.json` (`hl7.fhir.us.core`).
    pub name: String,
    pub version: String,
    pub structures: BTreeMap<String, Loaded<StructureDefinition>>,
    pub value_sets: BTreeMap<String, Loaded<ValueSet>>,
    pub code_systems: BTreeMap<String, Loaded<CodeSystem>>,
}

impl Package {
    /// `name#version`, written into generated file headers.
    pub fn id(&self) -> String {
        format!("{}#{}", self.name, self.version)
    }
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

/// One resource of a file; a Bundle brings its entries' resources.
#[derive(serde::Deserialize)]
#[serde(tag = "resourceType")]
enum AnyDefinition {
    StructureDefinition(StructureDefinition),
    ValueSet(ValueSet),
    CodeSystem(CodeSystem),
    Bundle(Bundle),
    #[serde(other)]
    Other,
}

#[derive(serde::Deserialize)]
struct Bundle {
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    resource: Option<AnyDefinition>,
}

/// Reads `package.json` and every definition of a package folder or `.tgz`. A JSON file may
/// hold one resource, a Bundle of them, or a list.
pub fn load_package(path: &Path) -> Result<Package> {
    let mut package = Package::default();
    let mut manifest = None;
    for (file, bytes) in files::json_files(path)? {
        if file.file_name().is_some_and(|n| n == "package.json") {
            let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| Error::json(&file, e))?;
            manifest = Some(m);
            continue;
        }
        let list = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
        let definitions = if list {
            serde_json::from_slice::<Vec<AnyDefinition>>(&bytes)
        } else {
            serde_json::from_slice::<AnyDefinition>(&bytes).map(|d| vec![d])
        };
        for definition in definitions.map_err(|e| Error::json(&file, e))? {
            add(&mut package, &file, definition)?;
        }
    }
    let Some(manifest) = manifest else {
        return Err(Error::definition(
            path,
            "package.json",
            "no package.json (with name and version)",
        ));
    };
    package.name = manifest.name;
    package.version = manifest.version;
    Ok(package)
}

fn add(package: &mut Package, file: &Path, definition: AnyDefinition) -> Result<()> {
    let file = file.to_owned();
    match definition {
        AnyDefinition::StructureDefinition(sd) => {
            insert(&mut package.structures, sd.url.clone(), file, sd)
        }
        AnyDefinition::ValueSet(vs) => insert(&mut package.value_sets, vs.url.clone(), file, vs),
        AnyDefinition::CodeSystem(cs) => {
            insert(&mut package.code_systems, cs.url.clone(), file, cs)
        }
        AnyDefinition::Bundle(bundle) => {
            for resource in bundle.entry.into_iter().filter_map(|e| e.resource) {
                add(package, &file, resource)?;
            }
            Ok(())
        }
        AnyDefinition::Other => Ok(()),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny")
    }

    #[test]
    fn loads_the_tiny_fixture_package() {
        let package = load_package(&fixture()).unwrap();
        assert_eq!(package.id(), "example.tiny#0.0.1");
        let thing = &package.structures["http://example.org/StructureDefinition/Thing"].value;
        assert_eq!(thing.kind, "resource");
        let status = thing.element("Thing.status").unwrap();
        assert_eq!(status.min, 1);
        assert_eq!(
            status.binding.as_ref().unwrap().strength,
            BindingStrength::Required
        );
        assert!(package
            .value_sets
            .contains_key("http://example.org/ValueSet/thing-status"));
        assert!(package
            .code_systems
            .contains_key("http://example.org/CodeSystem/thing-status"));
    }

    #[test]
    fn a_file_may_hold_a_bundle_or_a_list_and_npm_metadata_is_skipped() {
        let dir = std::env::temp_dir().join(format!("fhir-codegen-forms-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let vs = |n: u32| format!(r#"{{"resourceType":"ValueSet","url":"http://x/vs{n}"}}"#);
        let files = [
            ("package.json", r#"{"name":"x.y","version":"1"}"#.to_owned()),
            (
                ".index.json",
                r#"{"index-version":1,"files":[]}"#.to_owned(),
            ),
            ("a.json", format!("[{}, {}]", vs(1), vs(2))),
            (
                "b.json",
                format!(
                    r#"{{"resourceType":"Bundle","entry":[{{"resource":{}}}]}}"#,
                    vs(3)
                ),
            ),
            ("c.json", r#"{"resourceType":"Patient"}"#.to_owned()),
        ];
        for (name, text) in files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        let package = load_package(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(package.id(), "x.y#1");
        let urls: Vec<&str> = package.value_sets.keys().map(String::as_str).collect();
        assert_eq!(urls, ["http://x/vs1", "http://x/vs2", "http://x/vs3"]);
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
