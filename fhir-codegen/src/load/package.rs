//! Extra packages (`--package`): a folder or an npm-style `.tgz` of profiles, extension
//! definitions and terminology. A JSON file may hold one resource, a Bundle of them, or a list.

use super::profile::ProfileDefinition;
use super::{insert, Loaded};
use super::{CodeSystem, ValueSet};
use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One extra package, keyed by canonical URL like the core [`super::Package`].
#[derive(Debug, Default)]
pub struct ExtraPackage {
    /// `name` from `package.json` (`hl7.fhir.us.core`).
    pub name: String,
    pub version: String,
    pub profiles: BTreeMap<String, Loaded<ProfileDefinition>>,
    pub value_sets: BTreeMap<String, Loaded<ValueSet>>,
    pub code_systems: BTreeMap<String, Loaded<CodeSystem>>,
}

impl ExtraPackage {
    /// `name#version`, written into generated file headers.
    pub fn id(&self) -> String {
        format!("{}#{}", self.name, self.version)
    }
}

/// Reads a package folder (its `*.json` files, not recursive) or a `.tgz` (its `package/`
/// folder), in file-name order so that errors and output do not depend on the file system.
pub fn load_extra_package(path: &Path) -> Result<ExtraPackage> {
    let files = if path.is_dir() {
        read_folder(path)?
    } else {
        read_tgz(path)?
    };
    let mut package = ExtraPackage::default();
    let mut manifest = None;
    for (file, bytes) in files {
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| Error::json(&file, e))?;
        if file.file_name().is_some_and(|n| n == "package.json") {
            manifest = Some((file, value));
            continue;
        }
        for resource in resources(value) {
            add(&mut package, &file, resource)?;
        }
    }
    let Some((file, manifest)) = manifest else {
        return Err(Error::definition(
            path,
            "package.json",
            "no package.json (with name and version)",
        ));
    };
    let text = |key: &str| manifest.get(key).and_then(Value::as_str).map(str::to_owned);
    match (text("name"), text("version")) {
        (Some(name), Some(version)) => {
            package.name = name;
            package.version = version;
        }
        _ => {
            return Err(Error::definition(
                &file,
                "package.json",
                "needs string fields name and version",
            ))
        }
    }
    Ok(package)
}

/// The resources in one file: itself, a Bundle's entries, or a list's items.
fn resources(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(ref o) if o.get("resourceType").and_then(Value::as_str) == Some("Bundle") => {
            let entries = o.get("entry").and_then(Value::as_array).cloned();
            entries
                .unwrap_or_default()
                .into_iter()
                .filter_map(|mut e| e.get_mut("resource").map(Value::take))
                .collect()
        }
        other => vec![other],
    }
}

fn add(package: &mut ExtraPackage, file: &Path, resource: Value) -> Result<()> {
    let kind = resource.get("resourceType").and_then(Value::as_str);
    let file = file.to_owned();
    match kind {
        Some("StructureDefinition") => {
            let sd: ProfileDefinition =
                serde_json::from_value(resource).map_err(|e| Error::json(&file, e))?;
            insert(&mut package.profiles, sd.url.clone(), file, sd)
        }
        Some("ValueSet") => {
            let vs: ValueSet =
                serde_json::from_value(resource).map_err(|e| Error::json(&file, e))?;
            insert(&mut package.value_sets, vs.url.clone(), file, vs)
        }
        Some("CodeSystem") => {
            let cs: CodeSystem =
                serde_json::from_value(resource).map_err(|e| Error::json(&file, e))?;
            insert(&mut package.code_systems, cs.url.clone(), file, cs)
        }
        _ => Ok(()),
    }
}

fn read_folder(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            std::fs::read(&f)
                .map(|b| (f.clone(), b))
                .map_err(|e| Error::io(&f, e))
        })
        .collect()
}

/// The `*.json` files directly in the archive's `package/` folder, named `archive.tgz/package/x.json`.
fn read_tgz(path: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut files = Vec::new();
    let entries = archive.entries().map_err(|e| Error::io(path, e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| Error::io(path, e))?;
        let name = entry.path().map_err(|e| Error::io(path, e))?.into_owned();
        let Ok(inner) = name.strip_prefix("package") else {
            continue;
        };
        let top_level_json =
            inner.components().count() == 1 && inner.extension().is_some_and(|x| x == "json");
        if !top_level_json || !entry.header().entry_type().is_file() {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
        files.push((path.join(&name), bytes));
    }
    files.sort();
    Ok(files)
}
