//! Errors of the generator: each names the file, and the element path where one applies.

use std::fmt;
use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    /// A definition that loads as JSON but makes no sense to the generator.
    Definition {
        file: PathBuf,
        element: String,
        message: String,
    },
    /// `--check` found generated files that differ from what the definitions produce.
    Stale(Vec<PathBuf>),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }

    pub fn json(path: &Path, source: serde_json::Error) -> Self {
        Error::Json {
            path: path.to_owned(),
            source,
        }
    }

    pub fn definition(file: &Path, element: &str, message: impl Into<String>) -> Self {
        Error::Definition {
            file: file.to_owned(),
            element: element.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Json { path, source } => write!(f, "{}: invalid JSON: {source}", path.display()),
            Error::Definition {
                file,
                element,
                message,
            } => {
                write!(f, "{}: {element}: {message}", file.display())
            }
            Error::Stale(files) => {
                write!(
                    f,
                    "generated code is stale; run `cargo run -p fhir-codegen` to update:"
                )?;
                for file in files {
                    write!(f, "\n  {}", file.display())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}
