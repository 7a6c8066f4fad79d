//! Naming rules for profile packages, next to the core ones in `ir::names`.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Module and feature of a package: its name without `hl7.fhir.`, snake_case
/// (`hl7.fhir.us.core` -> `us_core`, `acme.fhir.lab` -> `acme_fhir_lab`).
pub fn package_module(package_name: &str) -> String {
    let short = package_name
        .strip_prefix("hl7.fhir.")
        .unwrap_or(package_name);
    short.replace(['.', '-'], "_").to_snake_case()
}

/// Rust type of a profile or extension from the StructureDefinition `name`, without a trailing
/// `Profile` or `Extension` (`USCoreBirthSexExtension` -> `UsCoreBirthSex`).
pub fn type_name(sd_name: &str) -> String {
    let trimmed = ["Profile", "Extension"]
        .iter()
        .find_map(|s| sd_name.strip_suffix(s).filter(|t| !t.is_empty()))
        .unwrap_or(sd_name);
    let name = trimmed.to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("P{name}")
    } else {
        name
    }
}

/// File name of a definition from its id (`us-core-genderIdentity` -> `us_core_gender_identity`).
pub fn module(id: &str) -> String {
    crate::ir::names::field_name(&id.replace(['-', '.'], "_"))
}

/// Static table name (`US_CORE_PATIENT`).
pub fn table(id: &str) -> String {
    id.replace(['-', '.'], "_").to_shouty_snake_case()
}

/// Accessor for an extension slice: the slice name in snake_case, taking its word breaks from
/// the extension's type name when the letters agree (`birthsex` + `UsCoreBirthSex` -> `birth_sex`).
pub fn slice_accessor(slice: &str, extension_type: Option<&str>) -> String {
    let plain = crate::ir::names::field_name(slice);
    let Some(ty) = extension_type else {
        return plain;
    };
    let words: Vec<String> = ty.to_snake_case().split('_').map(str::to_owned).collect();
    let letters = slice.to_lowercase().replace(['_', '-'], "");
    for start in 0..words.len() {
        if words[start..].concat() == letters {
            return crate::ir::names::field_name(&words[start..].join("_"));
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_us_core() {
        assert_eq!(package_module("hl7.fhir.us.core"), "us_core");
        assert_eq!(type_name("USCoreBirthSexExtension"), "UsCoreBirthSex");
        assert_eq!(type_name("USCorePatientProfile"), "UsCorePatient");
        assert_eq!(module("us-core-genderIdentity"), "us_core_gender_identity");
        assert_eq!(table("us-core-genderIdentity"), "US_CORE_GENDER_IDENTITY");
        assert_eq!(
            slice_accessor("birthsex", Some("UsCoreBirthSex")),
            "birth_sex"
        );
        assert_eq!(slice_accessor("race", Some("UsCoreRace")), "race");
        assert_eq!(
            slice_accessor("genderIdentity", Some("UsCoreGenderIdentity")),
            "gender_identity"
        );
        assert_eq!(slice_accessor("type", None), "type_");
    }
}
