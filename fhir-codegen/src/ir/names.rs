//! Naming rules, in one place: FHIR names to Rust identifiers, for the core model and for
//! profile packages.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Struct name for an element path: `Claim.item.detail` -> `ClaimItemDetail`.
pub fn struct_name(path: &str) -> String {
    path.split('.').map(upper_first).collect()
}

/// `dateTime` -> `DateTime`: the suffix of a choice's JSON name and the Rust variant name.
/// Only the first letter changes, as in the JSON names the spec defines (`valueDateTime`).
pub fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Field name: snake_case, with a trailing `_` for Rust keywords (`type_`, `use_`).
pub fn field_name(json_name: &str) -> String {
    let snake = json_name.to_snake_case();
    if is_keyword(&snake) {
        snake + "_"
    } else {
        snake
    }
}

/// File (module) name of a definition: `MedicationRequest` -> `medication_request`.
pub fn module_name(type_name: &str) -> String {
    field_name(type_name)
}

/// Enum name for a ValueSet `name` (`AdministrativeGender`, `FHIRAllTypes` -> `FhirAllTypes`).
pub fn enum_name(value_set_name: &str) -> String {
    let name = value_set_name.to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

/// Variant name for a code: `entered-in-error` -> `EnteredInError`, `<=` -> `LessOrEqual`,
/// `1.2` -> `V1_2`. Returns `None` when nothing usable is left, so the caller can number it.
pub fn variant_name(code: &str) -> Option<String> {
    let symbolic = match code {
        "<" => Some("LessThan"),
        "<=" => Some("LessOrEqual"),
        ">" => Some("GreaterThan"),
        ">=" => Some("GreaterOrEqual"),
        "=" => Some("Equal"),
        "!=" => Some("NotEqual"),
        "*" => Some("Any"),
        "+" => Some("Plus"),
        "-" => Some("Minus"),
        "/" => Some("Slash"),
        _ => None,
    };
    if let Some(name) = symbolic {
        return Some(name.to_owned());
    }
    let cleaned: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let words: Vec<String> = cleaned.split_whitespace().map(word_camel).collect();
    let mut name = String::new();
    for word in words {
        // Keep digit groups apart (`1.2` -> `V1_2`), which camel case would fuse.
        if name.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit())
        {
            name.push('_');
        }
        name.push_str(&word);
    }
    if name.is_empty() {
        return None;
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    Some(name)
}

fn word_camel(word: &str) -> String {
    if word
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && word.len() > 1
    {
        // Acronyms such as `SSN` read better as `Ssn` in Rust.
        upper_first(&word.to_ascii_lowercase())
    } else {
        word.to_upper_camel_case()
    }
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

// Profile packages.

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
pub fn profile_type(sd_name: &str) -> String {
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
pub fn profile_module(id: &str) -> String {
    field_name(&id.replace(['-', '.'], "_"))
}

/// Static table name (`US_CORE_PATIENT`).
pub fn table_name(id: &str) -> String {
    id.replace(['-', '.'], "_").to_shouty_snake_case()
}

/// Accessor for an extension slice: the slice name in snake_case, taking its word breaks from
/// the extension's type name when the letters agree (`birthsex` + `UsCoreBirthSex` -> `birth_sex`).
pub fn slice_accessor(slice: &str, extension_type: Option<&str>) -> String {
    let plain = field_name(slice);
    let Some(ty) = extension_type else {
        return plain;
    };
    let words: Vec<String> = ty.to_snake_case().split('_').map(str::to_owned).collect();
    let letters = slice.to_lowercase().replace(['_', '-'], "");
    for start in 0..words.len() {
        if words[start..].concat() == letters {
            return field_name(&words[start..].join("_"));
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_names_join_path_segments() {
        assert_eq!(struct_name("Encounter.participant"), "EncounterParticipant");
        assert_eq!(
            struct_name("Claim.item.detail.subDetail"),
            "ClaimItemDetailSubDetail"
        );
    }

    #[test]
    fn field_names_escape_keywords() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("birthDate"), "birth_date");
        assert_eq!(field_name("class"), "class");
    }

    #[test]
    fn variant_names_cover_symbols_digits_and_dashes() {
        assert_eq!(variant_name("entered-in-error").unwrap(), "EnteredInError");
        assert_eq!(variant_name(">=").unwrap(), "GreaterOrEqual");
        assert_eq!(variant_name("1.2").unwrap(), "V1_2");
        assert_eq!(variant_name("SSN").unwrap(), "Ssn");
        assert_eq!(variant_name("text/plain").unwrap(), "TextPlain");
        assert_eq!(variant_name("..."), None);
    }

    #[test]
    fn choice_suffix_only_uppercases_the_first_letter() {
        assert_eq!(upper_first("dateTime"), "DateTime");
        assert_eq!(upper_first("base64Binary"), "Base64Binary");
    }

    #[test]
    fn names_of_us_core() {
        assert_eq!(package_module("hl7.fhir.us.core"), "us_core");
        assert_eq!(profile_type("USCoreBirthSexExtension"), "UsCoreBirthSex");
        assert_eq!(profile_type("USCorePatientProfile"), "UsCorePatient");
        assert_eq!(
            profile_module("us-core-genderIdentity"),
            "us_core_gender_identity"
        );
        assert_eq!(
            table_name("us-core-genderIdentity"),
            "US_CORE_GENDER_IDENTITY"
        );
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
