//! The core type space with profile packages added: what both the workspace generator and a
//! user's build script emit from.

use crate::error::{Error, Result};
use crate::ir::{self, TypeSpace};
use crate::load;
use std::path::{Path, PathBuf};

/// Loads the core package folder `core` and every profile package (folder or `.tgz`) in order.
pub fn type_space(core: &Path, packages: &[PathBuf]) -> Result<TypeSpace> {
    let package = load::load_package(core)?;
    let mut space = ir::build_type_space(&package)?;
    for path in packages {
        let extra = load::load_package(path)?;
        let built = ir::profile::build_profile_package(&package, &extra)?;
        if space.profiles.iter().any(|p| p.module == built.module) {
            let message = format!("module {} is generated twice", built.module);
            return Err(Error::definition(path, &extra.name, message));
        }
        space.profiles.push(built);
    }
    Ok(space)
}
