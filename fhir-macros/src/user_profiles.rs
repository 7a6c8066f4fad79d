//! Profiles of a user's own package: the table fhir-codegen's `Config` writes into the build
//! script's `OUT_DIR` (`<module>.fhir-profiles.tsv`), read while the derive expands in that
//! crate (cargo gives the compiler, and so this macro, the crate's `OUT_DIR`).

use std::path::Path;

/// The file name ending fhir-codegen gives these tables.
const SUFFIX: &str = ".fhir-profiles.tsv";

/// One line of a table: `id`, `url`, `base`, the Rust path of the profile's `ProfileMeta`,
/// required top-level elements (comma-separated).
pub struct UserProfile {
    pub id: String,
    pub url: String,
    pub base: String,
    pub table: String,
    pub required: Vec<String>,
}

/// Every profile in the tables of the crate's `OUT_DIR` (none without one); an error names the
/// file and line that could not be read.
pub fn load() -> Result<Vec<UserProfile>, String> {
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        return Ok(Vec::new());
    };
    let Ok(entries) = std::fs::read_dir(&out_dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(SUFFIX)))
        .collect();
    files.sort();
    let mut profiles = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        profiles.extend(parse(&file, &text)?);
    }
    Ok(profiles)
}

fn parse(file: &Path, text: &str) -> Result<Vec<UserProfile>, String> {
    let mut profiles = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, url, base, table, required] = fields[..] else {
            return Err(format!(
                "{}:{}: expected 5 tab-separated fields; regenerate it with fhir-codegen",
                file.display(),
                n + 1
            ));
        };
        profiles.push(UserProfile {
            id: id.to_owned(),
            url: url.to_owned(),
            base: base.to_owned(),
            table: table.to_owned(),
            required: required
                .split(',')
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect(),
        });
    }
    Ok(profiles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_names_the_file_of_a_bad_one() {
        let file = Path::new("out/acme.fhir-profiles.tsv");
        let text = "# header\nacme-lab\thttp://x/acme-lab\tObservation\tcrate::acme::ACME_LAB\tstatus,code\n";
        let profiles = parse(file, text).unwrap();
        assert_eq!(profiles.len(), 1);
        assert_eq!(profiles[0].table, "crate::acme::ACME_LAB");
        assert_eq!(profiles[0].required, ["status", "code"]);
        let err = parse(file, "acme-lab\tonly two\n").err().unwrap();
        assert!(
            err.starts_with("out/acme.fhir-profiles.tsv:1: expected 5"),
            "{err}"
        );
    }
}
