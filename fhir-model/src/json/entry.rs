//! Reading and writing a `Resource` through functions that are not generic.
//!
//! `serde_json::from_slice::<Resource>` is generic: every crate that calls it compiles and
//! optimises the decoders of all 146 resources again (minutes per release binary). These
//! functions are compiled once, here; a program that calls them links the decoder instead.
//! Same behaviour and errors as the serde_json calls they wrap (strict reading; use
//! [`super::Reader`] for lenient reading and limits).

use crate::Resource;
use std::io::{Read, Write};

/// Reads a resource from JSON bytes.
pub fn from_slice(bytes: &[u8]) -> Result<Resource, serde_json::Error> {
    serde_json::from_slice(bytes)
}

/// Reads a resource from JSON text.
pub fn from_str(text: &str) -> Result<Resource, serde_json::Error> {
    serde_json::from_str(text)
}

/// Reads a resource from a reader (buffer it: serde_json reads byte by byte).
pub fn from_reader(reader: &mut dyn Read) -> Result<Resource, serde_json::Error> {
    serde_json::from_reader(reader)
}

/// Writes a resource as compact JSON (`resourceType` first, elements in definition order).
pub fn to_vec(resource: &Resource) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(resource)
}

/// Writes a resource as compact JSON text.
pub fn to_string(resource: &Resource) -> Result<String, serde_json::Error> {
    serde_json::to_string(resource)
}

/// Writes a resource as compact JSON to a writer.
pub fn to_writer(writer: &mut dyn Write, resource: &Resource) -> Result<(), serde_json::Error> {
    serde_json::to_writer(writer, resource)
}

/// Writes a resource as indented JSON text.
pub fn to_string_pretty(resource: &Resource) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(resource)
}

#[cfg(all(test, feature = "patient"))]
mod tests {
    use super::*;

    #[test]
    fn entry_points_read_and_write_like_serde_json() {
        let text = r#"{"resourceType":"Patient","id":"p","birthDate":"1974-12-25"}"#;
        let resource = from_str(text).unwrap();
        assert_eq!(resource, from_slice(text.as_bytes()).unwrap());
        assert_eq!(resource, from_reader(&mut text.as_bytes()).unwrap());
        assert_eq!(to_string(&resource).unwrap(), text);
        assert_eq!(to_vec(&resource).unwrap(), text.as_bytes());
        let mut out = Vec::new();
        to_writer(&mut out, &resource).unwrap();
        assert_eq!(out, text.as_bytes());
        assert!(to_string_pretty(&resource)
            .unwrap()
            .contains("\n  \"id\": \"p\""));
        let err = from_str(r#"{"resourceType":"Patient","birthDate":"1974-13"}"#).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("Patient.birthDate: invalid date"));
    }
}
