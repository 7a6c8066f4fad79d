//! The workspace's own generated code: `fhir-model/src/generated/`, `fhir-macros/src/generated/`
//! and the features of `fhir-model/Cargo.toml`, written or checked (`--check`).

use crate::error::{Error, Result};
use crate::{assemble, emit, fhirpath, ir, manifest, output};
use std::path::{Path, PathBuf};

/// What the `fhir-codegen` binary regenerates; [`Model::in_workspace`] gives this workspace's
/// paths.
#[derive(Clone, Debug)]
pub struct Model {
    /// Compare with the files on disk instead of writing.
    pub check: bool,
    /// The core package folder (`definitions/hl7.fhir.r4.core`).
    pub definitions: PathBuf,
    /// Profile packages (folders or `.tgz`), each generated as a feature-gated module.
    pub packages: Vec<PathBuf>,
    /// `fhir-model/src/generated`.
    pub out: PathBuf,
    /// The derive macros' element metadata (`fhir-macros/src/generated`).
    pub macros_out: PathBuf,
    /// fhir-model's Cargo.toml, whose `[features]` table is generated too.
    pub manifest: PathBuf,
}

impl Model {
    /// The paths of the workspace at `root`, with US Core as the one profile package.
    pub fn in_workspace(root: &Path) -> Self {
        Model {
            check: false,
            definitions: root.join("definitions/hl7.fhir.r4.core"),
            packages: vec![root.join("definitions/us-core")],
            out: root.join("fhir-model/src/generated"),
            macros_out: root.join("fhir-macros/src/generated"),
            manifest: root.join("fhir-model/Cargo.toml"),
        }
    }

    /// Writes (or checks) every generated file; returns how many there are.
    pub fn run(&self) -> Result<usize> {
        let space = assemble::type_space(&self.definitions, &self.packages)?;
        eprintln!("fhir-codegen: {}", ir::invariants::summary(&space));
        eprintln!("fhir-codegen: {}", fhirpath::report(&space));
        let files = emit::emit(&space)?;
        let macro_files = emit::macro_files(&space)?;
        let manifest =
            std::fs::read_to_string(&self.manifest).map_err(|e| Error::io(&self.manifest, e))?;
        let section = emit::features::manifest_section(&space);
        let updated = manifest::with_features(&manifest, &section);
        if self.check {
            let mut stale = Vec::new();
            for result in [
                output::check(&self.out, &files),
                output::check(&self.macros_out, &macro_files),
            ] {
                match result {
                    Ok(()) => {}
                    Err(Error::Stale(paths)) => stale.extend(paths),
                    Err(e) => return Err(e),
                }
            }
            if updated != manifest {
                stale.push(self.manifest.clone());
            }
            if !stale.is_empty() {
                return Err(Error::Stale(stale));
            }
        } else {
            output::write(&self.out, &files)?;
            output::write(&self.macros_out, &macro_files)?;
            output::write_file(&self.manifest, &updated)?;
        }
        Ok(files.len() + macro_files.len() + 1)
    }
}
