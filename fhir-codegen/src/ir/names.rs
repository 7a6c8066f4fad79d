//! Naming rules, in one place: FHIR names to Rust identifiers.

use heck::{ToSnakeCase, ToUpperCamelCase};

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
}
