//! Decodes arbitrary bytes as a FHIR resource. Decoding must return an error rather than
//! panic; what decodes must encode, the output must decode to an equal value, and validation
//! must not panic. The lenient reader must not panic either, and must agree with strict
//! decoding on input that strict decoding accepts.

#![no_main]

use fhir_model::json::Reader;
use fhir_model::Resource;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lenient = Reader::lenient().read::<Resource>(data);
    if let Ok(read) = &lenient {
        if let Err(e) = serde_json::to_vec(&read.value) {
            panic!("read leniently, but encoding failed: {e}");
        }
        let _issues = fhir_model::validate::validate_resource(&read.value);
    }
    let Ok(resource) = serde_json::from_slice::<Resource>(data) else {
        return;
    };
    match &lenient {
        Ok(read) => {
            assert!(
                read.issues.is_empty(),
                "strict decoding accepts, lenient reading reports {:?}",
                read.issues
            );
            assert!(read.value == resource, "lenient and strict values differ");
        }
        Err(e) => panic!("strict decoding accepts, lenient reading rejects: {e}"),
    }
    let output = match serde_json::to_vec(&resource) {
        Ok(output) => output,
        Err(e) => panic!("decoded, but encoding failed: {e}"),
    };
    let again: Resource = match serde_json::from_slice(&output) {
        Ok(again) => again,
        Err(e) => panic!(
            "decoded, but the output is rejected: {e}\noutput: {}",
            String::from_utf8_lossy(&output)
        ),
    };
    assert!(
        again == resource,
        "the output decodes to another value\noutput: {}",
        String::from_utf8_lossy(&output)
    );
    let _issues = fhir_model::validate::validate_resource(&resource);
});
