//! The JSON files of a package: a folder's `*.json`, or those directly in a `.tgz`'s `package/`
//! folder (the npm layout), in name order so that errors and output do not depend on the file
//! system. npm's own metadata (`.index.json`) is left out.

use crate::error::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Each file's path (for a `.tgz`, `archive.tgz/package/x.json`) and bytes.
pub fn json_files(path: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = if path.is_dir() {
        read_folder(path)?
    } else {
        read_tgz(path)?
    };
    files.retain(|(f, _)| {
        !f.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    files.sort();
    Ok(files)
}

fn read_folder(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files
        .into_iter()
        .map(|f| {
            std::fs::read(&f)
                .map(|b| (f.clone(), b))
                .map_err(|e| Error::io(&f, e))
        })
        .collect()
}

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
    Ok(files)
}
