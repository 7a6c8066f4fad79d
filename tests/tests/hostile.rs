//! Hostile input: a table of hand-written invalid documents, each with the element path and
//! message (or, for JSON syntax errors, the serde_json message) it must be rejected with; then
//! inputs built at run time (deep nesting, huge strings); then tricky but valid documents that
//! must be accepted and written back unchanged.

use fhir_model::json::compare::compare_bytes;
use fhir_model::resources::{Encounter, Observation, Patient};
use fhir_model::Resource;
use serde_json::error::Category;

/// What decodes the input.
#[derive(Clone, Copy)]
enum Target {
    /// `serde_json::from_slice::<Resource>`.
    Any,
    /// `serde_json::from_slice::<Patient>`.
    Patient,
    /// `serde_json::from_slice::<Encounter>`.
    Encounter,
    /// `serde_json::from_slice::<Observation>`.
    Observation,
}

/// How the input must be rejected.
enum Expect {
    /// A data error whose message starts with `"{path}: "` and contains the text.
    At(&'static str, &'static str),
    /// A syntax or end-of-input error raised by serde_json itself (no element path) whose
    /// message contains the text.
    Syntax(&'static str),
}

struct Bad {
    name: &'static str,
    input: &'static [u8],
    target: Target,
    expect: Expect,
}

const fn at(
    name: &'static str,
    input: &'static [u8],
    path: &'static str,
    what: &'static str,
) -> Bad {
    Bad {
        name,
        input,
        target: Target::Any,
        expect: Expect::At(path, what),
    }
}

const fn syntax(name: &'static str, input: &'static [u8], what: &'static str) -> Bad {
    Bad {
        name,
        input,
        target: Target::Any,
        expect: Expect::Syntax(what),
    }
}

const fn typed(
    target: Target,
    name: &'static str,
    input: &'static [u8],
    path: &'static str,
    what: &'static str,
) -> Bad {
    Bad {
        name,
        input,
        target,
        expect: Expect::At(path, what),
    }
}

fn decode(target: Target, input: &[u8]) -> Result<String, serde_json::Error> {
    Ok(match target {
        Target::Any => format!("{:?}", serde_json::from_slice::<Resource>(input)?),
        Target::Patient => format!("{:?}", serde_json::from_slice::<Patient>(input)?),
        Target::Encounter => format!("{:?}", serde_json::from_slice::<Encounter>(input)?),
        Target::Observation => format!("{:?}", serde_json::from_slice::<Observation>(input)?),
    })
}

/// Checks one rejection; `None` when it is as expected, else what went wrong.
fn check(row: &Bad) -> Option<String> {
    let error = match decode(row.target, row.input) {
        Ok(value) => return Some(format!("accepted: {value:.200}")),
        Err(e) => e,
    };
    let message = error.to_string();
    let located =
        error.line() > 0 && message.contains(&format!(" at line {} column ", error.line()));
    if !located {
        return Some(format!("no line/column in: {message}"));
    }
    match row.expect {
        Expect::At(path, what) => {
            if error.classify() != Category::Data {
                return Some(format!(
                    "{:?} error, expected data: {message}",
                    error.classify()
                ));
            }
            if !message.starts_with(&format!("{path}: ")) {
                return Some(format!("expected the path `{path}`: {message}"));
            }
            if !message.contains(what) {
                return Some(format!("expected `{what}` in: {message}"));
            }
        }
        Expect::Syntax(what) => {
            // Inside an element, a syntax error names it (and so counts as a data error);
            // before the first element or after the document, it stays serde_json's own.
            let named = message.split_once(": ").is_some_and(|(path, rest)| {
                !path.contains(' ') && rest.starts_with("invalid JSON: ")
            });
            if !(named || matches!(error.classify(), Category::Syntax | Category::Eof)) {
                return Some(format!(
                    "{:?} error, expected syntax: {message}",
                    error.classify()
                ));
            }
            if !message.contains(what) {
                return Some(format!("expected `{what}` in: {message}"));
            }
        }
    }
    None
}

#[rustfmt::skip]
fn bad_rows() -> Vec<Bad> {
    vec![
        // -- date
        at("date month 13", br#"{"resourceType":"Patient","birthDate":"1970-13-01"}"#,
            "Patient.birthDate", "invalid date \"1970-13-01\": month out of range"),
        at("date day 30 of February", br#"{"resourceType":"Patient","birthDate":"1970-02-30"}"#,
            "Patient.birthDate", "day out of range for month"),
        at("date 29 February of a common year", br#"{"resourceType":"Patient","birthDate":"1900-02-29"}"#,
            "Patient.birthDate", "day out of range for month"),
        at("date two-digit year", br#"{"resourceType":"Patient","birthDate":"70-01-01"}"#,
            "Patient.birthDate", "invalid date"),
        at("date one-digit month", br#"{"resourceType":"Patient","birthDate":"1970-1-01"}"#,
            "Patient.birthDate", "invalid date"),
        at("date year 0000", br#"{"resourceType":"Patient","birthDate":"0000"}"#,
            "Patient.birthDate", "year 0000"),
        at("date with a time", br#"{"resourceType":"Patient","birthDate":"1970-01-01T10:00:00Z"}"#,
            "Patient.birthDate", "invalid date"),
        at("date with slashes", br#"{"resourceType":"Patient","birthDate":"1970/01/01"}"#,
            "Patient.birthDate", "invalid date"),
        // -- dateTime
        at("dateTime without seconds", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02-07T13:28Z"}"#,
            "Observation.effectiveDateTime", "seconds are required"),
        at("dateTime without timezone", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02-07T13:28:17"}"#,
            "Observation.effectiveDateTime", "timezone is required"),
        at("dateTime with a space for T", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02-07 13:28:17Z"}"#,
            "Observation.effectiveDateTime", "invalid dateTime"),
        at("dateTime hour 24", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02-07T24:00:00Z"}"#,
            "Observation.effectiveDateTime", "hour out of range"),
        at("dateTime timezone +15:00", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02-07T13:28:17+15:00"}"#,
            "Observation.effectiveDateTime", "timezone out of range"),
        at("dateTime fraction without digits", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2015-02-07T13:28:17.Z"}"#,
            "Observation.effectiveDateTime", "fraction needs a digit"),
        // -- instant
        at("instant date only", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"issued":"2015-02-07"}"#,
            "Observation.issued", "invalid instant \"2015-02-07\": expected 'T' after date"),
        at("instant without timezone", br#"{"resourceType":"Patient","meta":{"lastUpdated":"2015-02-07T13:28:17"}}"#,
            "Patient.meta.lastUpdated", "invalid instant"),
        at("instant second 61", br#"{"resourceType":"Patient","meta":{"lastUpdated":"2015-02-07T13:28:61Z"}}"#,
            "Patient.meta.lastUpdated", "second out of range"),
        // -- time
        at("time hour 25", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueTime":"25:00:00"}"#,
            "Observation.valueTime", "hour out of range"),
        at("time without seconds", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueTime":"10:00"}"#,
            "Observation.valueTime", "seconds are required"),
        at("time with a timezone", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueTime":"10:00:00Z"}"#,
            "Observation.valueTime", "a time has no timezone"),
        // -- decimal
        at("decimal as a string", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"1.0"}}"#,
            "Observation.valueQuantity.value", "invalid decimal"),
        at("decimal as a boolean", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":true}}"#,
            "Observation.valueQuantity.value", "invalid decimal"),
        syntax("decimal NaN", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":NaN}}"#,
            "expected value"),
        syntax("decimal Infinity", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":Infinity}}"#,
            "expected value"),
        syntax("decimal -Infinity", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":-Infinity}}"#,
            "invalid number"),
        syntax("decimal 1.", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1.}}"#,
            "invalid number"),
        syntax("decimal .5", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":.5}}"#,
            "expected value"),
        syntax("decimal leading zero", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":01.5}}"#,
            "invalid number"),
        syntax("decimal leading +", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":+1}}"#,
            "expected value"),
        // -- integers
        at("positiveInt 0", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveTiming":{"repeat":{"count":0}}}"#,
            "Observation.effectiveTiming.repeat.count", "positiveInt"),
        at("unsignedInt -1", br#"{"resourceType":"Bundle","type":"collection","total":-1}"#,
            "Bundle.total", "unsignedInt"),
        at("integer 2147483648", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":2147483648}"#,
            "Observation.valueInteger", "integer"),
        at("integer -2147483649", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":-2147483649}"#,
            "Observation.valueInteger", "integer"),
        at("integer beyond u64", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueInteger":99999999999999999999999}"#,
            "Observation.valueInteger", "not an integer"),
        at("integer 1.0", br#"{"resourceType":"Patient","multipleBirthInteger":1.0}"#,
            "Patient.multipleBirthInteger", "not an integer"),
        at("integer 1e2", br#"{"resourceType":"Patient","multipleBirthInteger":1e2}"#,
            "Patient.multipleBirthInteger", "not an integer"),
        syntax("integer 1e400", br#"{"resourceType":"Patient","multipleBirthInteger":1e400}"#,
            "number out of range"),
        at("integer as a string", br#"{"resourceType":"Patient","multipleBirthInteger":"2"}"#,
            "Patient.multipleBirthInteger", "expected a JSON integer (integer), found a string"),
        // -- boolean
        at("boolean as a string", br#"{"resourceType":"Patient","active":"true"}"#,
            "Patient.active", "expected true or false (boolean), found a string"),
        at("boolean as a number", br#"{"resourceType":"Patient","active":1}"#,
            "Patient.active", "expected true or false (boolean), found a number"),
        // -- strings
        at("empty string", br#"{"resourceType":"Patient","name":[{"family":""}]}"#,
            "Patient.name[0].family", "invalid string \"\": must not be empty"),
        at("escaped control character", br#"{"resourceType":"Patient","name":[{"family":"a\u0001b"}]}"#,
            "Patient.name[0].family", "control characters are not allowed"),
        syntax("raw control character", b"{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\x01b\"}]}",
            "control character"),
        syntax("bad escape", br#"{"resourceType":"Patient","name":[{"family":"a\qb"}]}"#,
            "invalid escape"),
        syntax("lone surrogate escape", br#"{"resourceType":"Patient","name":[{"family":"\ud800"}]}"#,
            "unexpected end of hex escape"),
        syntax("lone trailing surrogate escape", br#"{"resourceType":"Patient","name":[{"family":"\udc00x"}]}"#,
            "lone leading surrogate"),
        at("markdown empty", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"note":[{"text":""}]}"#,
            "Observation.note[0].text", "must not be empty"),
        // -- id, uri, code, uuid, oid, base64
        at("id 65 characters", br#"{"resourceType":"Patient","id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
            "Patient.id", "longer than 64 characters"),
        at("id with an underscore", br#"{"resourceType":"Patient","id":"a_b"}"#,
            "Patient.id", "only A-Z, a-z, 0-9"),
        at("id empty", br#"{"resourceType":"Patient","id":""}"#,
            "Patient.id", "must not be empty"),
        at("uri with a space", br#"{"resourceType":"Patient","implicitRules":"http://example.org/a b"}"#,
            "Patient.implicitRules", "whitespace is not allowed"),
        at("canonical with a newline", br#"{"resourceType":"Patient","meta":{"profile":["http://example.org/\nx"]}}"#,
            "Patient.meta.profile[0]", "invalid canonical"),
        at("code with a leading space", br#"{"resourceType":"Observation","status":"final","code":{"coding":[{"code":" 1234-5"}]}}"#,
            "Observation.code.coding[0].code", "leading whitespace"),
        at("code with two spaces", br#"{"resourceType":"Observation","status":"final","code":{"coding":[{"code":"a  b"}]}}"#,
            "Observation.code.coding[0].code", "consecutive whitespace"),
        at("code with a trailing space", br#"{"resourceType":"Observation","status":"final","code":{"coding":[{"code":"a "}]}}"#,
            "Observation.code.coding[0].code", "trailing whitespace"),
        at("uuid upper case", br#"{"resourceType":"Patient","extension":[{"url":"http://example.org/u","valueUuid":"urn:uuid:C757873D-EC9A-4326-A141-556F43239520"}]}"#,
            "Patient.extension[0].valueUuid", "lowercase"),
        at("uuid without urn", br#"{"resourceType":"Patient","extension":[{"url":"http://example.org/u","valueUuid":"c757873d-ec9a-4326-a141-556f43239520"}]}"#,
            "Patient.extension[0].valueUuid", "must start with \"urn:uuid:\""),
        at("uuid too short", br#"{"resourceType":"Patient","extension":[{"url":"http://example.org/u","valueUuid":"urn:uuid:c757873d-ec9a-4326-a141"}]}"#,
            "Patient.extension[0].valueUuid", "expected 36 characters"),
        at("oid without urn", br#"{"resourceType":"Patient","extension":[{"url":"http://example.org/o","valueOid":"1.2.3"}]}"#,
            "Patient.extension[0].valueOid", "must start with \"urn:oid:\""),
        at("oid leading zero", br#"{"resourceType":"Patient","extension":[{"url":"http://example.org/o","valueOid":"urn:oid:1.02.3"}]}"#,
            "Patient.extension[0].valueOid", "leading zeros"),
        at("oid first arc 3", br#"{"resourceType":"Patient","extension":[{"url":"http://example.org/o","valueOid":"urn:oid:3.1"}]}"#,
            "Patient.extension[0].valueOid", "first arc"),
        at("base64 data after padding", br#"{"resourceType":"Patient","photo":[{"data":"YQ==YQ=="}]}"#,
            "Patient.photo[0].data", "data after '=' padding"),
        at("base64 three padding characters", br#"{"resourceType":"Patient","photo":[{"data":"Y==="}]}"#,
            "Patient.photo[0].data", "more than two '=' padding"),
        at("base64 length not a multiple of 4", br#"{"resourceType":"Patient","photo":[{"data":"YQ="}]}"#,
            "Patient.photo[0].data", "not a multiple of 4"),
        at("base64 bad character", br#"{"resourceType":"Patient","photo":[{"data":"YQ*="}]}"#,
            "Patient.photo[0].data", "invalid base64 character"),
        at("xhtml not a div", br#"{"resourceType":"Patient","text":{"status":"generated","div":"<p>x</p>"}}"#,
            "Patient.text.div", "<div>"),
        // -- unknown elements
        at("unknown element at the root", br#"{"resourceType":"Patient","nickname":"x"}"#,
            "Patient", "unknown element `nickname`"),
        at("unknown element nested", br#"{"resourceType":"Patient","name":[{"family":"X"},{"family":"Y","suffixes":["Jr"]}]}"#,
            "Patient.name[1]", "unknown element `suffixes`"),
        at("unknown element in a backbone element", br#"{"resourceType":"Patient","contact":[{"name":{"family":"X"},"phone":"1"}]}"#,
            "Patient.contact[0]", "unknown element `phone`"),
        at("unknown element in a datatype", br#"{"resourceType":"Patient","telecom":[{"system":"phone","number":"1"}]}"#,
            "Patient.telecom[0]", "unknown element `number`"),
        at("unknown element in a primitive's element part", br#"{"resourceType":"Patient","_birthDate":{"url":"x"}}"#,
            "Patient.birthDate", "unknown element `url`"),
        at("unknown _ twin of a complex element", br#"{"resourceType":"Patient","_name":[{"id":"x"}]}"#,
            "Patient", "unknown element `_name`"),
        at("element name with wrong case", br#"{"resourceType":"Patient","BirthDate":"1970"}"#,
            "Patient", "unknown element `BirthDate`"),
        // -- resourceType
        at("unknown resourceType", br#"{"resourceType":"Patiant"}"#,
            "Resource", "unknown resourceType `Patiant`"),
        at("resourceType in lower case", br#"{"resourceType":"patient"}"#,
            "Resource", "unknown resourceType `patient`"),
        at("resourceType missing", br#"{"id":"x","active":true}"#,
            "Resource", "missing resourceType"),
        at("resourceType of a datatype", br#"{"resourceType":"HumanName","family":"X"}"#,
            "Resource", "unknown resourceType `HumanName`"),
        at("resourceType twice", br#"{"resourceType":"Patient","resourceType":"Patient"}"#,
            "Patient", "resourceType given more than once"),
        at("resourceType twice when not first", br#"{"id":"a","resourceType":"Patient","resourceType":"Observation"}"#,
            "Resource", "resourceType given more than once"),
        at("resourceType a number", br#"{"resourceType":1}"#,
            "Resource", "invalid type: integer `1`, expected a resource type name"),
        at("null resourceType", br#"{"resourceType":null}"#,
            "Resource", "invalid type: null, expected a resource type name"),
        at("resourceType an object", br#"{"resourceType":{"name":"Patient"}}"#,
            "Resource", "invalid type: map, expected a resource type name"),
        at("resourceType an array when not first", br#"{"id":"a","resourceType":["Patient"]}"#,
            "Resource", "invalid type: sequence, expected a resource type name"),
        at("resourceType missing when a nested one is not first", br#"{"resourceType":"Patient","contained":[{"id":"a","active":true}]}"#,
            "Patient.contained[0]", "missing resourceType"),
        at("resourceType a number in a contained resource", br#"{"resourceType":"Patient","contained":[{"resourceType":7}]}"#,
            "Patient.contained[0]", "invalid type: integer `7`"),
        at("resourceType twice in a contained resource", br#"{"resourceType":"Patient","contained":[{"resourceType":"Patient","resourceType":"Patient"}]}"#,
            "Patient.contained[0]", "resourceType given more than once"),
        typed(Target::Patient, "typed decode with a resourceType that is not a string", br#"{"resourceType":true}"#,
            "Patient", "invalid type: boolean `true`, expected a resource type name"),
        typed(Target::Patient, "typed decode with resourceType twice", br#"{"resourceType":"Patient","active":true,"resourceType":"Patient"}"#,
            "Patient", "resourceType given more than once"),
        typed(Target::Encounter, "typed decode of another resource", br#"{"resourceType":"Patient"}"#,
            "Encounter", "resourceType is `Patient`, expected `Encounter`"),
        typed(Target::Observation, "typed decode without resourceType", br#"{"status":"final","code":{"text":"x"}}"#,
            "Observation", "missing resourceType"),
        typed(Target::Patient, "typed decode with an unknown element", br#"{"resourceType":"Patient","gender":"male","sex":"m"}"#,
            "Patient", "unknown element `sex`"),
        // -- choice elements
        at("two variants of one choice", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","valueInteger":1}"#,
            "Observation.valueInteger", "only one value"),
        at("a primitive variant and another's extension", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","_valueBoolean":{"id":"b"}}"#,
            "Observation.valueBoolean", "only one value"),
        at("choice without a type suffix", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"value":1}"#,
            "Observation", "unknown element `value`"),
        at("choice with a type it does not allow", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueUri":"http://x"}"#,
            "Observation", "unknown element `valueUri`"),
        at("choice suffix in lower case", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valuestring":"a"}"#,
            "Observation", "unknown element `valuestring`"),
        // -- duplicate keys
        at("duplicate key", br#"{"resourceType":"Patient","gender":"male","gender":"male"}"#,
            "Patient.gender", "more than once"),
        at("duplicate _ key", br#"{"resourceType":"Patient","_gender":{"id":"a"},"_gender":{"id":"a"}}"#,
            "Patient.gender", "more than once"),
        at("primitive value, its _ twin, the value again", br#"{"resourceType":"Patient","birthDate":"1970","_birthDate":{"id":"a"},"birthDate":"1970"}"#,
            "Patient.birthDate", "more than once"),
        at("primitive _ twin, value, _ twin again", br#"{"resourceType":"Patient","_birthDate":{"id":"a"},"birthDate":"1970","_birthDate":{"id":"a"}}"#,
            "Patient.birthDate", "more than once"),
        at("duplicate repeating primitive", br#"{"resourceType":"Patient","name":[{"given":["A"],"_given":[{"id":"g"}],"given":["A"]}]}"#,
            "Patient.name[0].given", "more than once"),
        at("duplicate complex array", br#"{"resourceType":"Patient","name":[{"family":"A"}],"name":[{"family":"B"}]}"#,
            "Patient.name", "more than once"),
        at("duplicate complex single", br#"{"resourceType":"Patient","maritalStatus":{"text":"a"},"maritalStatus":{"text":"b"}}"#,
            "Patient.maritalStatus", "more than once"),
        at("duplicate choice variant", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":"a","valueString":"b"}"#,
            "Observation.valueString", "more than once"),
        at("duplicate key inside a datatype", br#"{"resourceType":"Patient","name":[{"family":"A","family":"B"}]}"#,
            "Patient.name[0].family", "more than once"),
        at("duplicate extension url", br#"{"resourceType":"Patient","extension":[{"url":"http://a","url":"http://b","valueString":"x"}]}"#,
            "Patient.extension[0].url", "more than once"),
        // -- null
        at("null single primitive", br#"{"resourceType":"Patient","birthDate":null}"#,
            "Patient.birthDate", "expected a JSON string (date), found null"),
        at("null primitive array item without a twin", br#"{"resourceType":"Patient","name":[{"given":["A",null]}]}"#,
            "Patient.name[0].given[1]", "null in both"),
        at("null in both arrays", br#"{"resourceType":"Patient","name":[{"given":["A",null],"_given":[{"id":"a"},null]}]}"#,
            "Patient.name[0].given[1]", "null in both"),
        // -- empty arrays and objects
        at("empty complex array", br#"{"resourceType":"Patient","name":[]}"#,
            "Patient.name", "empty array"),
        at("empty primitive array", br#"{"resourceType":"Patient","name":[{"given":[]}]}"#,
            "Patient.name[0].given", "empty array"),
        at("empty _ array", br#"{"resourceType":"Patient","name":[{"given":["A"],"_given":[]}]}"#,
            "Patient.name[0].given", "empty array"),
        at("empty complex object", br#"{"resourceType":"Patient","maritalStatus":{}}"#,
            "Patient.maritalStatus", "empty object"),
        at("empty object in an array", br#"{"resourceType":"Patient","name":[{"family":"A"},{}]}"#,
            "Patient.name[1]", "empty object"),
        at("empty _ object", br#"{"resourceType":"Patient","_birthDate":{}}"#,
            "Patient.birthDate", "empty object"),
        at("empty root object", br#"{}"#,
            "Resource", "empty object"),
        at("empty contained object", br#"{"resourceType":"Patient","contained":[{}]}"#,
            "Patient.contained[0]", "empty object"),
        at("empty extension object", br#"{"resourceType":"Patient","extension":[{}]}"#,
            "Patient.extension[0]", "empty object"),
        // -- primitive arrays and their _ twins
        at("_given shorter than given", br#"{"resourceType":"Patient","name":[{"given":["A","B"],"_given":[{"id":"a"}]}]}"#,
            "Patient.name[0].given", "must line up"),
        at("_given longer than given", br#"{"resourceType":"Patient","name":[{"_given":[null,{"id":"b"},{"id":"c"}],"given":["A","B"]}]}"#,
            "Patient.name[0].given", "must line up"),
        // -- wrong JSON types for complex elements
        at("array for a single primitive", br#"{"resourceType":"Patient","birthDate":["1970"]}"#,
            "Patient.birthDate", "expected a JSON string (date), found an array"),
        at("number for a string", br#"{"resourceType":"Patient","birthDate":1970}"#,
            "Patient.birthDate", "expected a JSON string (date), found a number"),
        // -- wrong JSON types for objects, arrays, _ twins and resources
        at("null single complex", br#"{"resourceType":"Patient","maritalStatus":null}"#,
            "Patient.maritalStatus", "invalid type: null"),
        at("null complex array", br#"{"resourceType":"Patient","name":null}"#,
            "Patient.name", "invalid type: null"),
        at("null complex array item", br#"{"resourceType":"Patient","name":[{"family":"A"},null]}"#,
            "Patient.name[1]", "invalid type: null"),
        at("null contained resource", br#"{"resourceType":"Patient","contained":[null]}"#,
            "Patient.contained[0]", "invalid type: null"),
        at("_ twin not an object", br#"{"resourceType":"Patient","_active":true}"#,
            "Patient.active", "invalid type: boolean"),
        at("_given not an array", br#"{"resourceType":"Patient","name":[{"given":["A"],"_given":{"id":"a"}}]}"#,
            "Patient.name[0].given", "invalid type: map"),
        at("_given item not an object", br#"{"resourceType":"Patient","name":[{"given":["A"],"_given":["a"]}]}"#,
            "Patient.name[0].given[0]", "invalid type: string"),
        at("string for an object", br#"{"resourceType":"Patient","maritalStatus":"married"}"#,
            "Patient.maritalStatus", "invalid type: string"),
        at("object for an array", br#"{"resourceType":"Patient","name":{"family":"X"}}"#,
            "Patient.name", "invalid type: map"),
        at("array for an object", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":[{"value":1}]}"#,
            "Observation.valueQuantity", "invalid type: sequence"),
        at("nested array item of the wrong type", br#"{"resourceType":"Patient","name":[["X"]]}"#,
            "Patient.name[0]", "invalid type: sequence"),
        at("string for a contained resource", br#"{"resourceType":"Patient","contained":["Patient/1"]}"#,
            "Patient.contained[0]", "invalid type: string"),
        at("top-level array", br#"[{"resourceType":"Patient"}]"#,
            "Resource", "invalid type: sequence"),
        at("top-level string", br#""Patient""#,
            "Resource", "invalid type: string"),
        at("contained not an array", br#"{"resourceType":"Patient","contained":{"resourceType":"Patient"}}"#,
            "Patient.contained", "invalid type: map"),
        // -- missing required elements
        at("missing required element", br#"{"resourceType":"Encounter","class":{"code":"AMB"}}"#,
            "Encounter.status", "missing required element"),
        at("missing required element in a backbone element", br#"{"resourceType":"Patient","link":[{"type":"seealso"}]}"#,
            "Patient.link[0].other", "missing required element"),
        at("missing required element deeper", br#"{"resourceType":"Patient","communication":[{"preferred":true}]}"#,
            "Patient.communication[0].language", "missing required element"),
        at("missing required element in a Bundle", br#"{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520"}]}"#,
            "Bundle.type", "missing required element"),
        at("missing required element in a Bundle entry resource", br#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","status":"final"}}]}"#,
            "Bundle.entry[0].resource.code", "missing required element"),
        at("missing required element in an extension", br#"{"resourceType":"Patient","extension":[{"valueString":"x"}]}"#,
            "Patient.extension[0].url", "missing required element"),
        at("missing required choice element", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"component":[{"code":{"text":"c"}},{"valueString":"v"}]}"#,
            "Observation.component[1].code", "missing required element"),
        // -- codes outside a required ValueSet
        at("Patient.gender", br#"{"resourceType":"Patient","gender":"M"}"#,
            "Patient.gender", "code `M` is not in the required ValueSet http://hl7.org/fhir/ValueSet/administrative-gender"),
        at("Encounter.status", br#"{"resourceType":"Encounter","status":"done","class":{"code":"AMB"}}"#,
            "Encounter.status", "code `done` is not in the required ValueSet http://hl7.org/fhir/ValueSet/encounter-status"),
        at("Observation.status", br#"{"resourceType":"Observation","status":"Final","code":{"text":"x"}}"#,
            "Observation.status", "code `Final` is not in the required ValueSet http://hl7.org/fhir/ValueSet/observation-status"),
        at("Bundle.type", br#"{"resourceType":"Bundle","type":"documents"}"#,
            "Bundle.type", "code `documents` is not in the required ValueSet http://hl7.org/fhir/ValueSet/bundle-type"),
        at("ContactPoint.system", br#"{"resourceType":"Patient","telecom":[{"system":"mobile","value":"1"}]}"#,
            "Patient.telecom[0].system", "not in the required ValueSet http://hl7.org/fhir/ValueSet/contact-point-system"),
        at("MedicationRequest.intent", br#"{"resourceType":"MedicationRequest","status":"active","intent":"orders","medicationCodeableConcept":{"text":"x"},"subject":{"reference":"Patient/1"}}"#,
            "MedicationRequest.intent", "code `orders` is not in the required ValueSet"),
        at("required code with a trailing space", br#"{"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/1"},"criticality":"high "}"#,
            "AllergyIntolerance.criticality", "not in the required ValueSet"),
        at("required code empty", br#"{"resourceType":"Patient","gender":""}"#,
            "Patient.gender", "not in the required ValueSet"),
        // -- contained resources
        at("contained resource with a bad code", br#"{"resourceType":"Patient","contained":[{"resourceType":"Practitioner","id":"p","gender":"x"}]}"#,
            "Patient.contained[0].gender", "not in the required ValueSet"),
        at("contained resource missing a required element", br#"{"resourceType":"Patient","contained":[{"resourceType":"Practitioner","id":"p"},{"resourceType":"Encounter","id":"e","class":{"code":"AMB"}}]}"#,
            "Patient.contained[1].status", "missing required element"),
        at("contained resource of unknown type", br#"{"resourceType":"Patient","contained":[{"resourceType":"Doctor","id":"d"}]}"#,
            "Patient.contained[0]", "unknown resourceType `Doctor`"),
        at("contained resource without resourceType", br#"{"resourceType":"Patient","contained":[{"id":"d"}]}"#,
            "Patient.contained[0]", "missing resourceType"),
        at("contained resource with resourceType last and a bad date", br#"{"resourceType":"Patient","contained":[{"id":"p","birthDate":"1970-00","resourceType":"Patient"}]}"#,
            "Patient.contained[0].birthDate", "invalid date"),
        // -- UTF-8 and JSON syntax
        syntax("invalid UTF-8 in a string", b"{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\xfcller\"}]}",
            "invalid unicode code point"),
        syntax("invalid UTF-8 in a key", b"{\"resourceType\":\"Patient\",\"n\xc3me\":[{\"family\":\"M\"}]}",
            "invalid unicode code point"),
        syntax("overlong UTF-8 encoding", b"{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"\xc0\xaf\"}]}",
            "invalid unicode code point"),
        syntax("UTF-8 encoded surrogate", b"{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"\xed\xa0\x80\"}]}",
            "invalid unicode code point"),
        syntax("UTF-16 input", b"\xff\xfe{\x00\"\x00}\x00",
            "expected value"),
        syntax("leading byte order mark", b"\xef\xbb\xbf{\"resourceType\":\"Patient\"}",
            "expected value at line 1 column 1"),
        syntax("trailing comma in an object", br#"{"resourceType":"Patient","active":true,}"#,
            "trailing comma"),
        syntax("trailing comma in an array", br#"{"resourceType":"Patient","name":[{"given":["A",]}]}"#,
            "trailing comma"),
        syntax("line comment", b"{\"resourceType\":\"Patient\", // who\n\"active\":true}",
            "key must be a string"),
        syntax("block comment before the document", br#"/* patient */ {"resourceType":"Patient"}"#,
            "expected value"),
        syntax("single quotes", br#"{'resourceType':'Patient'}"#,
            "key must be a string"),
        syntax("single-quoted value", br#"{"resourceType":'Patient'}"#,
            "expected value"),
        syntax("unquoted key", br#"{resourceType:"Patient"}"#,
            "key must be a string"),
        syntax("missing colon", br#"{"resourceType" "Patient"}"#,
            "expected `:`"),
        syntax("missing comma", br#"{"resourceType":"Patient" "active":true}"#,
            "expected `,` or `}`"),
        syntax("trailing characters", br#"{"resourceType":"Patient"} {"resourceType":"Patient"}"#,
            "trailing characters"),
        syntax("True in capitals", br#"{"resourceType":"Patient","active":True}"#,
            "expected value"),
        syntax("empty input", b"",
            "EOF while parsing a value"),
        syntax("whitespace only", b" \n\t ",
            "EOF while parsing a value"),
        syntax("truncated after the brace", b"{",
            "EOF while parsing an object"),
        syntax("truncated in a key", br#"{"resourceTy"#,
            "EOF while parsing a string"),
        syntax("truncated after a key", br#"{"resourceType""#,
            "EOF while parsing an object"),
        syntax("truncated in a value", br#"{"resourceType":"Pati"#,
            "EOF while parsing a string"),
        syntax("truncated after a value", br#"{"resourceType":"Patient""#,
            "EOF while parsing an object"),
        syntax("truncated in an array", br#"{"resourceType":"Patient","name":[{"family":"X"}"#,
            "EOF while parsing a list"),
        syntax("truncated in a nested value", br#"{"resourceType":"Patient","name":[{"family":"X","given":["A"#,
            "EOF while parsing a string"),
        syntax("truncated in a number", br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1."#,
            "invalid number"),
        syntax("truncated in true", br#"{"resourceType":"Patient","active":tr"#,
            "EOF while parsing a value"),
        syntax("truncated with resourceType last", br#"{"id":"x","name":[{"family":"X"}],"resourceType":"Pat"#,
            "EOF while parsing a string"),
    ]
}

#[test]
fn hostile_inputs_are_rejected_with_their_path() {
    let rows = bad_rows();
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for row in &rows {
        assert!(names.insert(row.name), "duplicate row name {}", row.name);
        if let Some(problem) = check(row) {
            failures.push(format!("{}: {problem}", row.name));
        }
    }
    assert!(rows.len() >= 60, "only {} rows", rows.len());
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// Decodes, re-encodes and compares with the input (key order ignored, number text exact);
/// then decodes the output and compares the values.
fn round_trip(name: &str, input: &[u8]) -> Result<Resource, String> {
    let resource: Resource = serde_json::from_slice(input).map_err(|e| format!("rejected: {e}"))?;
    let output = serde_json::to_vec(&resource).map_err(|e| format!("encode failed: {e}"))?;
    compare_bytes(input, &output).map_err(|e| {
        format!(
            "{name}: output differs: {e}\noutput: {}",
            String::from_utf8_lossy(&output)
        )
    })?;
    let again: Resource =
        serde_json::from_slice(&output).map_err(|e| format!("output rejected: {e}"))?;
    if again != resource {
        return Err("decoding the output gives another value".to_owned());
    }
    Ok(resource)
}

/// One extension of each `value[x]` type, on a Patient.
const EXTENSION_FAMILIES: &str = r##"{"resourceType":"Patient","extension":[
 {"url":"http://example.org/base64Binary","valueBase64Binary":"SGVsbG8sIFdvcmxkIQ=="},
 {"url":"http://example.org/boolean","valueBoolean":false},
 {"url":"http://example.org/canonical","valueCanonical":"http://example.org/StructureDefinition/x|1.0"},
 {"url":"http://example.org/code","valueCode":"a b"},
 {"url":"http://example.org/date","valueDate":"2001-02"},
 {"url":"http://example.org/dateTime","valueDateTime":"2001-02-03T04:05:06.789+05:30"},
 {"url":"http://example.org/decimal","valueDecimal":-12.50},
 {"url":"http://example.org/id","valueId":"A-z.09"},
 {"url":"http://example.org/instant","valueInstant":"2001-02-03T04:05:06Z"},
 {"url":"http://example.org/integer","valueInteger":-2147483648},
 {"url":"http://example.org/markdown","valueMarkdown":"# Title\n\n* item"},
 {"url":"http://example.org/oid","valueOid":"urn:oid:2.16.840.1.113883"},
 {"url":"http://example.org/positiveInt","valuePositiveInt":2147483647},
 {"url":"http://example.org/string","valueString":"tab\there"},
 {"url":"http://example.org/time","valueTime":"23:59:59.999"},
 {"url":"http://example.org/unsignedInt","valueUnsignedInt":0},
 {"url":"http://example.org/uri","valueUri":"urn:isbn:0451450523"},
 {"url":"http://example.org/url","valueUrl":"https://example.org/a?b=c#d"},
 {"url":"http://example.org/uuid","valueUuid":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520"},
 {"url":"http://example.org/Address","valueAddress":{"line":["1 Main St"],"city":"Town","postalCode":"12345"}},
 {"url":"http://example.org/Age","valueAge":{"value":42,"unit":"yr","system":"http://unitsofmeasure.org","code":"a"}},
 {"url":"http://example.org/Annotation","valueAnnotation":{"authorString":"Dr X","text":"note"}},
 {"url":"http://example.org/Attachment","valueAttachment":{"contentType":"text/plain","data":"SGk=","size":2,"hash":"qUqP5cyxm6YcTAhz05Hph5gvu9M="}},
 {"url":"http://example.org/CodeableConcept","valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"1234-5","display":"X"}],"text":"x"}},
 {"url":"http://example.org/Coding","valueCoding":{"system":"http://snomed.info/sct","version":"20200131","code":"123456","userSelected":true}},
 {"url":"http://example.org/ContactPoint","valueContactPoint":{"system":"email","value":"a@example.org","rank":1}},
 {"url":"http://example.org/Count","valueCount":{"value":3,"system":"http://unitsofmeasure.org","code":"1"}},
 {"url":"http://example.org/Distance","valueDistance":{"value":1.5,"unit":"km"}},
 {"url":"http://example.org/Duration","valueDuration":{"value":30,"comparator":"<","unit":"min"}},
 {"url":"http://example.org/HumanName","valueHumanName":{"use":"official","family":"Doe","given":["Jane"]}},
 {"url":"http://example.org/Identifier","valueIdentifier":{"system":"urn:oid:1.2.36.146.595.217.0.1","value":"12345","period":{"start":"2001-05-06"}}},
 {"url":"http://example.org/Money","valueMoney":{"value":10.00,"currency":"EUR"}},
 {"url":"http://example.org/Period","valuePeriod":{"start":"2020","end":"2021-01-01T00:00:00Z"}},
 {"url":"http://example.org/Quantity","valueQuantity":{"value":0.10,"comparator":">=","unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}},
 {"url":"http://example.org/Range","valueRange":{"low":{"value":1},"high":{"value":2}}},
 {"url":"http://example.org/Ratio","valueRatio":{"numerator":{"value":1},"denominator":{"value":1E+2}}},
 {"url":"http://example.org/Reference","valueReference":{"reference":"Patient/1","type":"Patient","display":"P"}},
 {"url":"http://example.org/SampledData","valueSampledData":{"origin":{"value":0},"period":1.0,"dimensions":1,"data":"1 2 E U L"}},
 {"url":"http://example.org/Signature","valueSignature":{"type":[{"system":"urn:iso-astm:E1762-95:2013","code":"1.2.840.10065.1.12.1.1"}],"when":"2020-01-01T00:00:00Z","who":{"reference":"Practitioner/1"}}},
 {"url":"http://example.org/Timing","valueTiming":{"repeat":{"frequency":2,"period":1,"periodUnit":"d"}}},
 {"url":"http://example.org/ContactDetail","valueContactDetail":{"name":"X","telecom":[{"system":"url","value":"http://x"}]}},
 {"url":"http://example.org/Contributor","valueContributor":{"type":"author","name":"Y"}},
 {"url":"http://example.org/DataRequirement","valueDataRequirement":{"type":"Observation"}},
 {"url":"http://example.org/Expression","valueExpression":{"language":"text/fhirpath","expression":"1 + 1"}},
 {"url":"http://example.org/ParameterDefinition","valueParameterDefinition":{"use":"in","type":"string"}},
 {"url":"http://example.org/RelatedArtifact","valueRelatedArtifact":{"type":"citation","citation":"Z"}},
 {"url":"http://example.org/TriggerDefinition","valueTriggerDefinition":{"type":"named-event","name":"e"}},
 {"url":"http://example.org/UsageContext","valueUsageContext":{"code":{"code":"age"},"valueQuantity":{"value":18}}},
 {"url":"http://example.org/Dosage","valueDosage":{"sequence":1,"text":"once","doseAndRate":[{"doseQuantity":{"value":5,"unit":"mg"}}]}},
 {"url":"http://example.org/Meta","valueMeta":{"versionId":"1","lastUpdated":"2020-01-01T00:00:00.000+00:00"}},
 {"url":"http://example.org/nested","extension":[{"url":"a","valueString":"b"},{"url":"c","_valueString":{"id":"only-an-id"}}]}
]}"##;

#[rustfmt::skip]
fn valid_rows() -> Vec<(&'static str, String)> {
    let obs = |value: &str| {
        format!(r#"{{"resourceType":"Observation","status":"final","code":{{"text":"x"}},{value}}}"#)
    };
    let mut rows = vec![
        ("decimal with 21 significant digits", obs(r#""valueQuantity":{"value":1.000000000000000000001}"#)),
        ("decimal trailing zero", obs(r#""valueQuantity":{"value":0.10}"#)),
        ("decimal negative zero", obs(r#""valueQuantity":{"value":-0.0}"#)),
        ("decimal exponent with sign and capital E", obs(r#""valueQuantity":{"value":1E+2}"#)),
        ("decimal small exponent", obs(r#""valueQuantity":{"value":-1.5e-10}"#)),
        ("decimal beyond f64 range", obs(r#""valueQuantity":{"value":1e400}"#)),
        ("decimal beyond u64", obs(r#""valueQuantity":{"value":123456789012345678901234567890}"#)),
        ("integer limits", obs(r#""valueInteger":-2147483648,"component":[{"code":{"text":"y"},"valueInteger":2147483647}]"#)),
        ("dateTime year only", obs(r#""effectiveDateTime":"2015""#)),
        ("dateTime fraction with many digits and -14:00", obs(r#""effectiveDateTime":"2015-02-07T13:28:17.123456789-14:00""#)),
        ("instant leap second", obs(r#""issued":"2016-12-31T23:59:60Z""#)),
        ("time with fraction", obs(r#""valueTime":"00:00:00.5""#)),
        ("choice primitive with only an extension", obs(r#""_valueString":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]}"#)),
        ("choice primitive value after its extension", obs(r#""_valueBoolean":{"id":"b"},"valueBoolean":true"#)),
        ("year-only date", r#"{"resourceType":"Patient","birthDate":"1974"}"#.to_owned()),
        ("year-month date", r#"{"resourceType":"Patient","birthDate":"1974-12"}"#.to_owned()),
        ("leap day", r#"{"resourceType":"Patient","birthDate":"2000-02-29"}"#.to_owned()),
        ("_given with a null on the left", r#"{"resourceType":"Patient","name":[{"given":[null,"B"],"_given":[{"id":"a"},null]}]}"#.to_owned()),
        ("_given with a null on the right", r#"{"resourceType":"Patient","name":[{"given":["A",null,"C"],"_given":[null,{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"masked"}]},null]}]}"#.to_owned()),
        ("_given before given", r#"{"resourceType":"Patient","name":[{"_given":[{"id":"a"},null],"given":["A","B"]}]}"#.to_owned()),
        ("_given without given", r#"{"resourceType":"Patient","name":[{"_given":[{"id":"a"},{"id":"b"}]}]}"#.to_owned()),
        ("primitive with only an extension", r#"{"resourceType":"Patient","_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]},"_active":{"id":"x"}}"#.to_owned()),
        ("required code with only an extension", r#"{"resourceType":"Patient","_gender":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"asked-declined"}]}}"#.to_owned()),
        ("extensions of every value[x] type", EXTENSION_FAMILIES.to_owned()),
        ("modifierExtension", r#"{"resourceType":"Patient","modifierExtension":[{"url":"http://example.org/m","valueBoolean":true}],"contact":[{"modifierExtension":[{"url":"http://example.org/n","valueCode":"x"}],"name":{"family":"F"}}]}"#.to_owned()),
        ("contained reference #id", r##"{"resourceType":"Observation","contained":[{"resourceType":"Patient","id":"p1"},{"id":"d1","resourceType":"Device","deviceName":[{"name":"D","type":"user-friendly-name"}]}],"status":"final","code":{"text":"x"},"subject":{"reference":"#p1"},"device":{"reference":"#d1"}}"##.to_owned()),
        ("unicode escapes and non-ASCII text", r#"{"resourceType":"Patient","name":[{"family":"M\u00fcller \ud83d\ude00 \"q\" \\ \/","given":["Zoë","李","Ω\u2028x"]}]}"#.to_owned()),
        ("escaped newline, tab and CR", r#"{"resourceType":"Patient","name":[{"text":"a\nb\tc\r\nd"}]}"#.to_owned()),
        ("resourceType last", r#"{"id":"x","meta":{"versionId":"1"},"active":true,"resourceType":"Patient"}"#.to_owned()),
        ("resourceType in the middle", r#"{"id":"x","resourceType":"Patient","active":true}"#.to_owned()),
        ("pretty-printed with CRLF and tabs", "{\r\n\t\"resourceType\" : \"Patient\" ,\r\n\t\"name\" : [ { \"given\" : [ \"A\" , null ] , \"_given\" : [ null , { \"id\" : \"g\" } ] } ]\r\n}\r\n".to_owned()),
        ("id of 64 characters", format!(r#"{{"resourceType":"Patient","id":"{}"}}"#, "a".repeat(64))),
        ("narrative xhtml", r#"{"resourceType":"Patient","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Ünïcödé &amp; <b>bold</b></p></div>"}}"#.to_owned()),
        ("nested resources in a Bundle", r##"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520","resource":{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","contained":[{"resourceType":"Organization","id":"o","name":"O"}],"managingOrganization":{"reference":"#o"}}}]}}]}"##.to_owned()),
        ("Parameters with nested parts and a resource", r#"{"resourceType":"Parameters","parameter":[{"name":"a","part":[{"name":"b","part":[{"name":"c","valueDecimal":3.0}]},{"name":"r","resource":{"resourceType":"Patient","active":false}}]}]}"#.to_owned()),
    ];
    // Deeper than the deepest official example (21 levels of JSON objects and arrays).
    rows.push(("Questionnaire items nested 40 levels", nested_items(40)));
    // 101 path segments.
    rows.push(("Questionnaire items nested 50 levels", nested_items(50)));
    rows
}

/// A Questionnaire whose items nest `levels` deep.
fn nested_items(levels: usize) -> String {
    let mut q = String::from(r#"{"resourceType":"Questionnaire","status":"draft""#);
    for level in 0..levels {
        q.push_str(&format!(r#","item":[{{"linkId":"l{level}","type":"group""#));
    }
    q.push_str(&"}]".repeat(levels));
    q.push('}');
    q
}

#[test]
fn tricky_valid_inputs_round_trip() {
    let rows = valid_rows();
    let mut failures = Vec::new();
    for (name, input) in &rows {
        if let Err(problem) = round_trip(name, input.as_bytes()) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(rows.len() >= 15, "only {} rows", rows.len());
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

/// `prefix`, `open` `depth` times, `middle`, `close` `depth` times, `suffix`.
fn nested(
    prefix: &str,
    open: &str,
    middle: &str,
    close: &str,
    depth: usize,
    suffix: &str,
) -> Vec<u8> {
    let mut s = String::with_capacity(
        (open.len() + close.len()) * depth + prefix.len() + middle.len() + suffix.len(),
    );
    s.push_str(prefix);
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..depth {
        s.push_str(close);
    }
    s.push_str(suffix);
    s.into_bytes()
}

const DEEP: usize = 10_000;

/// Deeply nested documents, by name, for [`decode_in_child`].
#[rustfmt::skip]
fn deep_input(name: &str, levels: usize) -> Vec<u8> {
    let ext = (r#"{"url":"http://example.org/x","extension":["#, r#"{"url":"http://example.org/x","valueString":"v"}"#, "]}");
    match name {
        "extensions" => nested(r#"{"resourceType":"Patient","extension":["#, ext.0, ext.1, ext.2, levels, "]}"),
        "extensions-resourceType-last" => nested(r#"{"extension":["#, ext.0, ext.1, ext.2, levels, r#"],"resourceType":"Patient"}"#),
        "primitive-extensions" => nested(r#"{"resourceType":"Patient","_birthDate":{"extension":["#, r#"{"url":"http://example.org/x","_valueString":{"extension":["#, r#"{"url":"http://example.org/x","valueString":"v"}"#, "]}}", levels, "]}}"),
        "arrays-at-root" => nested("", "[", "1", "]", levels, ""),
        "arrays-in-an-element" => nested(r#"{"resourceType":"Patient","name":"#, "[", r#"{"family":"x"}"#, "]", levels, "}"),
        "arrays-resourceType-last" => nested(r#"{"name":"#, "[", r#"{"family":"x"}"#, "]", levels, r#","resourceType":"Patient"}"#),
        "objects-in-an-unknown-element" => nested(r#"{"resourceType":"Patient","unknown":"#, r#"{"a":"#, "1", "}", levels, "}"),
        "items" => nested(r#"{"resourceType":"Questionnaire","status":"draft","item":["#, r#"{"linkId":"a","type":"group","item":["#, r#"{"linkId":"b","type":"display"}"#, "]}", levels, "]}"),
        "contained" => nested("", r#"{"resourceType":"Patient","contained":["#, r#"{"resourceType":"Patient"}"#, "]}", levels, ""),
        "contained-resourceType-last" => nested("", r#"{"contained":["#, r#"{"resourceType":"Patient"}"#, r#"],"resourceType":"Patient"}"#, levels, ""),
        "bundles" => nested("", r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":"#, r#"{"resourceType":"Patient"}"#, "}]}", levels, ""),
        "bundles-resourceType-last" => nested("", r#"{"type":"collection","entry":[{"resource":"#, r#"{"resourceType":"Patient"}"#, r#"}],"resourceType":"Bundle"}"#, levels, ""),
        "parameters" => nested("", r#"{"resourceType":"Parameters","parameter":[{"name":"p","resource":"#, r#"{"resourceType":"Patient"}"#, "}]}", levels, ""),
        "parameters-resourceType-last" => nested("", r#"{"parameter":[{"name":"p","resource":"#, r#"{"resourceType":"Patient"}"#, r#"}],"resourceType":"Parameters"}"#, levels, ""),
        other => panic!("no deep input {other}"),
    }
}

/// Decodes `deep_input(name)` in a child process (this test binary again) on a thread with a
/// 2 MiB stack, so that a stack overflow fails this test instead of aborting every test.
/// Returns the error message; panics if the input was accepted or the child crashed.
fn decode_in_child(name: &str) -> String {
    decode_in_child_with(name, None)
}

/// [`decode_in_child`] through `Reader::strict().max_depth(limit)` when `limit` is given.
fn decode_in_child_with(name: &str, limit: Option<usize>) -> String {
    let mut command = std::process::Command::new(std::env::current_exe().unwrap());
    command
        .args(["deep_child", "--exact", "--nocapture", "--test-threads=1"])
        .env("HOSTILE_DEEP_INPUT", name);
    if let Some(limit) = limit {
        command.env("HOSTILE_DEEP_MAX_DEPTH", limit.to_string());
    }
    let child = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        child.status.success(),
        "{name}: the child decoding the input crashed ({}):\n{stderr}",
        child.status
    );
    let Some(line) = stdout
        .lines()
        .find_map(|l| l.split_once("DEEP ").map(|(_, r)| r))
    else {
        panic!("{name}: no result from the child:\n{stdout}\n{stderr}");
    };
    match line.strip_prefix("Err ") {
        Some(message) => message.to_owned(),
        None => panic!("{name}: accepted {DEEP} levels of nesting: {line}"),
    }
}

/// The child side of [`decode_in_child`]; does nothing in a normal run.
#[test]
fn deep_child() {
    let Ok(name) = std::env::var("HOSTILE_DEEP_INPUT") else {
        return;
    };
    // HOSTILE_DEEP_LEVELS=n nests n levels instead, to find where a crash starts.
    let levels = std::env::var("HOSTILE_DEEP_LEVELS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEEP);
    let input = deep_input(&name, levels);
    let limit = std::env::var("HOSTILE_DEEP_MAX_DEPTH")
        .ok()
        .and_then(|n| n.parse::<usize>().ok());
    // HOSTILE_DEEP_STACK_KIB=n runs on an n KiB stack instead, to measure what a level costs.
    let stack_kib = std::env::var("HOSTILE_DEEP_STACK_KIB")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(2048);
    let result = std::thread::Builder::new()
        .stack_size(stack_kib * 1024)
        .spawn(move || match limit {
            None => serde_json::from_slice::<Resource>(&input)
                .map(|r| r.resource_type())
                .map_err(|e| e.to_string()),
            Some(limit) => fhir_model::json::Reader::strict()
                .max_depth(limit)
                .read::<Resource>(&input)
                .map(|r| r.value.resource_type())
                .map_err(|e| e.to_string()),
        })
        .unwrap()
        .join()
        .unwrap();
    match result {
        Ok(t) => println!("DEEP Ok {t}"),
        Err(e) => println!("DEEP Err {e}"),
    }
}

/// Whether a message is one of the two nesting-limit errors: serde_json's own, or the reader's
/// (`nested deeper than 128 elements`).
fn is_depth_error(message: &str) -> bool {
    message.contains("recursion limit exceeded")
        || message.contains("nested deeper than 128 elements (the reader's limit)")
}

#[test]
fn deep_nesting_of_elements_is_an_error_not_a_crash() {
    let mut failures = Vec::new();
    // Arrays in arrays are refused at the second `[` as the wrong JSON type, and an unknown
    // element when its name is read, before its value.
    let depth = "";
    for (name, expected) in [
        ("extensions", depth),
        ("extensions-resourceType-last", depth),
        ("primitive-extensions", depth),
        ("arrays-at-root", "Resource: invalid type: sequence"),
        (
            "arrays-in-an-element",
            "Patient.name[0]: invalid type: sequence",
        ),
        (
            "arrays-resourceType-last",
            "Patient.name[0]: invalid type: sequence",
        ),
        (
            "objects-in-an-unknown-element",
            "Patient: unknown element `unknown`",
        ),
        ("items", depth),
    ] {
        let message = decode_in_child(name);
        println!("{name}: {message:.300}");
        let as_expected = match expected {
            "" => is_depth_error(&message),
            text => message.starts_with(text),
        };
        if !as_expected {
            failures.push(format!("{name}: {message:.300}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Nested resources (contained, Bundle entries, Parameters) end at the nesting limit with an
/// error. Each level once cost ~350 KiB of stack in debug builds (the resourceType dispatch
/// held every resource struct in one frame); the dispatch now calls out of line.
#[test]
fn deep_nesting_of_resources_is_an_error_not_a_crash() {
    let mut failures = Vec::new();
    for name in DEEP_RESOURCES {
        match std::panic::catch_unwind(|| decode_in_child(name)) {
            Ok(message) if is_depth_error(&message) => println!("{name}: {message:.300}"),
            Ok(message) => failures.push(format!("{name}: {message:.300}")),
            Err(_) => failures.push(format!("{name}: crashed or accepted")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const DEEP_RESOURCES: [&str; 6] = [
    "contained",
    "contained-resourceType-last",
    "bundles",
    "bundles-resourceType-last",
    "parameters",
    "parameters-resourceType-last",
];

/// `Reader::max_depth` documents that deeper input is an error, never a stack overflow, also
/// with the limit lifted. Where `resourceType` is not the first member, the resource is
/// buffered and decoded by a new serde_json deserializer whose recursion limit starts again,
/// so there the reader's limit (which a lifted setting cannot raise above 128) must hold.
#[test]
fn lifted_nesting_limit_is_still_an_error_not_a_crash() {
    let mut failures = Vec::new();
    for name in ["extensions", "primitive-extensions", "items"]
        .into_iter()
        .chain(DEEP_RESOURCES)
    {
        match std::panic::catch_unwind(|| decode_in_child_with(name, Some(usize::MAX))) {
            Ok(message) if is_depth_error(&message) => println!("{name}: {message:.300}"),
            Ok(message) => failures.push(format!("{name}: {message:.300}")),
            Err(_) => failures.push(format!("{name}: crashed or accepted")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The deepest input each structure can have within the limits (127 levels of JSON objects
/// and arrays, 128 path segments) decodes on a thread with a 2 MiB stack, the size of a
/// spawned thread's and of a default test thread's; one level more is a depth error. In a
/// debug build the deepest of these needs about 1.25 MiB (measured with
/// `HOSTILE_DEEP_STACK_KIB`, see [`deep_child`]).
#[test]
fn deepest_allowed_input_decodes_on_a_2_mib_stack() {
    // (name, levels at the limit)
    let cases = [
        ("extensions", 62),
        ("extensions-resourceType-last", 62),
        ("items", 62),
        ("contained", 63),
        ("contained-resourceType-last", 63),
        ("bundles", 42),
        ("bundles-resourceType-last", 42),
        ("parameters", 42),
        ("parameters-resourceType-last", 42),
    ];
    let failures = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let mut failures = Vec::new();
            for (name, levels) in cases {
                let input = deep_input(name, levels);
                let read = fhir_model::json::Reader::strict().read::<Resource>(&input);
                if let Err(e) = read {
                    failures.push(format!("{name} {levels}: rejected: {:.300}", e.to_string()));
                }
                let deeper = deep_input(name, levels + 1);
                match serde_json::from_slice::<Resource>(&deeper) {
                    Ok(_) => failures.push(format!("{name} {}: accepted", levels + 1)),
                    Err(e) if is_depth_error(&e.to_string()) => {}
                    Err(e) => failures.push(format!("{name} {}: {e:.300}", levels + 1)),
                }
            }
            failures
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 50 nested items make 101 path segments: within the default limit.
#[test]
fn questionnaire_items_nested_50_levels_are_accepted() {
    const { assert!(fhir_model::json::DEFAULT_MAX_DEPTH >= 101) };
    let input = nested_items(50);
    let resource = match round_trip("50 levels", input.as_bytes()) {
        Ok(resource) => resource,
        Err(e) => panic!("{}", &e[e.len().saturating_sub(300)..]),
    };
    let Resource::Questionnaire(questionnaire) = resource else {
        panic!("not a Questionnaire")
    };
    let mut item = &questionnaire.item[0];
    let mut depth = 1;
    while let Some(inner) = item.item.first() {
        item = inner;
        depth += 1;
    }
    assert_eq!(depth, 50);
    // A lower limit rejects it, naming where.
    let err = fhir_model::json::Reader::strict()
        .max_depth(100)
        .read::<Resource>(input.as_bytes())
        .unwrap_err();
    assert!(
        err.to_string().contains("nested deeper than 100 elements"),
        "{err}"
    );
}

/// 20 MiB values: decoded or rejected quickly, with short error messages. Strings over 1 MB
/// break datatypes.html#string unless the reader is told to allow them; base64Binary is not a
/// string and has no limit.
#[test]
fn twenty_megabyte_values_are_handled() {
    let big = "a".repeat(20 << 20);
    let family = format!(r#"{{"resourceType":"Patient","name":[{{"family":"{big}"}}]}}"#);
    let refused = serde_json::from_str::<Resource>(&family)
        .unwrap_err()
        .to_string();
    assert!(
        refused.starts_with("Patient.name[0].family: invalid string")
            && refused.contains("longer than the string limit"),
        "{refused:.300}"
    );
    let read = fhir_model::json::Reader::strict()
        .max_string_chars(usize::MAX)
        .read::<Resource>(family.as_bytes())
        .unwrap();
    let Resource::Patient(patient) = read.value else {
        panic!("not a Patient")
    };
    let decoded = patient.name[0].family.as_ref().and_then(|f| f.value());
    assert_eq!(decoded.map(|f| f.as_str().len()), Some(20 << 20));
    assert_eq!(
        serde_json::to_vec(&Resource::from(*patient)).unwrap().len(),
        family.len()
    );

    let data = format!(r#"{{"resourceType":"Patient","photo":[{{"data":"{big}"}}]}}"#);
    serde_json::from_str::<Resource>(&data).unwrap();

    let bad = [
        (
            format!(r#"{{"resourceType":"Patient","id":"{big}"}}"#),
            "Patient.id: invalid id",
        ),
        (
            format!(r#"{{"resourceType":"Patient","name":[{{"family":"{big}\u0000"}}]}}"#),
            "Patient.name[0].family: invalid string",
        ),
        (
            format!(r#"{{"resourceType":"Patient","photo":[{{"data":"{big}="}}]}}"#),
            "Patient.photo[0].data: invalid base64Binary",
        ),
        (
            format!(r#"{{"resourceType":"Patient","birthDate":"{big}"}}"#),
            "Patient.birthDate: invalid date",
        ),
        (
            format!(r#"{{"resourceType":"Patient","name":[{{"family":"{big}"#),
            "EOF while parsing a string",
        ),
    ];
    for (input, expected) in &bad {
        let message = serde_json::from_str::<Resource>(input)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(expected),
            "expected `{expected}` in {:.300}",
            message
        );
        assert!(
            message.len() < 400,
            "a {} byte message: {:.300}",
            message.len(),
            message
        );
    }
}

/// Names of unknown elements and resource types are cut in messages, so a 20 MiB key does
/// not make a 20 MiB message (primitive values are cut to 40 characters).
#[test]
fn huge_unknown_names_make_short_messages() {
    let big = "a".repeat(20 << 20);
    for input in [
        format!(r#"{{"resourceType":"Patient","{big}":1}}"#),
        format!(r#"{{"resourceType":"{big}"}}"#),
    ] {
        let message = serde_json::from_str::<Resource>(&input)
            .unwrap_err()
            .to_string();
        assert!(
            message.len() < 400,
            "a {} byte message: {:.300}",
            message.len(),
            message
        );
    }
}

/// JSON syntax errors name the element they happened in (`NaN` in
/// `Observation.valueQuantity.value`), not only the line and column.
#[test]
fn syntax_errors_name_the_element() {
    let obs = |value: &str| {
        format!(
            r#"{{"resourceType":"Observation","status":"final","code":{{"text":"x"}},"valueQuantity":{{"value":{value}}}}}"#
        )
    };
    let rows = [
        (obs("NaN"), "Observation.valueQuantity.value: invalid JSON: expected value"),
        (obs("01"), "Observation.valueQuantity.value: invalid JSON: invalid number"),
        (obs("-Infinity"), "Observation.valueQuantity.value: invalid JSON: invalid number"),
        (obs("1."), "Observation.valueQuantity.value: invalid JSON: invalid number"),
        (
            r#"{"resourceType":"Patient","name":[{"given":["A",]}]}"#.to_owned(),
            "Patient.name[0].given: invalid JSON: trailing comma",
        ),
        (
            r#"{"resourceType":"Patient","active":true,}"#.to_owned(),
            "Patient: invalid JSON: trailing comma",
        ),
        (
            r#"{"resourceType":"Patient","name":[{"family":"a\qb"}]}"#.to_owned(),
            "Patient.name[0].family: invalid JSON: invalid escape",
        ),
        (
            r#"{"resourceType":"Patient","contact":[{"name":{"family" "X"}}]}"#.to_owned(),
            "Patient.contact[0].name: invalid JSON: expected `:`",
        ),
        (
            r#"{"resourceType":"Patient","name":[{"family":"X","given":["A"#.to_owned(),
            "Patient.name[0].given[0]: invalid JSON: EOF while parsing a string",
        ),
        (
            r#"{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","active":tru}}]}"#.to_owned(),
            "Bundle.entry[0].resource.active: invalid JSON: expected ident",
        ),
    ];
    for (input, expected) in rows {
        let error = serde_json::from_str::<Resource>(&input).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with(expected), "{message}");
        assert!(error.line() > 0, "the position is kept: {message}");
        assert!(message.ends_with(&format!(
            " at line {} column {}",
            error.line(),
            error.column()
        )));
        // The reader reports it as a structure problem at that path.
        let issue = fhir_model::json::Reader::lenient()
            .read::<Resource>(input.as_bytes())
            .unwrap_err();
        assert_eq!(issue.path, expected.split(": ").next().unwrap(), "{issue}");
        assert_eq!(
            issue.code,
            fhir_model::validate::IssueCode::Structure,
            "{issue}"
        );
    }
}
