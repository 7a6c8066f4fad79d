//! Test data shared by the DataFusion and Ballista tests.
#![allow(dead_code)]

use std::path::PathBuf;

pub const PATIENT_VIEW: &str = r#"{"resourceType":"ViewDefinition","name":"patient_view","resource":"Patient","select":[
  {"column":[{"name":"id","path":"getResourceKey()","type":"id"},
             {"name":"gender","path":"gender","type":"code"},
             {"name":"birth_date","path":"birthDate","type":"date"},
             {"name":"given","path":"name.given","type":"string"}]}]}"#;

pub const OBSERVATION_VIEW: &str = r#"{"resourceType":"ViewDefinition","name":"observation_view","resource":"Observation","select":[
  {"column":[{"name":"id","path":"getResourceKey()","type":"id"},
             {"name":"patient_id","path":"subject.getReferenceKey(Patient)","type":"id"},
             {"name":"code","path":"code.coding.first().code","type":"code"},
             {"name":"value","path":"value.ofType(Quantity).value","type":"decimal"}]}]}"#;

/// 6 files: 30 patients (each with one given name, so `given` has one value) and 3
/// observations per patient; patient 0 has two given names.
pub fn data(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fhir-views-df-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for f in 0..3 {
        let mut patients = String::new();
        let mut observations = String::new();
        for p in f * 10..f * 10 + 10 {
            let gender = if p % 2 == 0 { "female" } else { "male" };
            let given = if p == 0 {
                r#"["Ann","Bea"]"#
            } else {
                r#"["Cy"]"#
            };
            patients.push_str(&format!(
                r#"{{"resourceType":"Patient","id":"p{p}","gender":"{gender}","birthDate":"19{:02}-01-02","name":[{{"given":{given}}}]}}"#,
                p + 10
            ));
            patients.push('\n');
            for o in 0..3 {
                observations.push_str(&format!(
                    r#"{{"resourceType":"Observation","id":"o{p}-{o}","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"29463-7"}}]}},"subject":{{"reference":"Patient/p{p}"}},"valueQuantity":{{"value":{p}.{o}0,"unit":"kg"}}}}"#
                ));
                observations.push('\n');
            }
        }
        std::fs::write(dir.join(format!("Patient.{f}.ndjson")), patients).expect("write");
        std::fs::write(dir.join(format!("Observation.{f}.ndjson")), observations).expect("write");
    }
    dir
}
