//! The JSON files audcheck reads and writes, told apart by their `format` field, so that a
//! command given the wrong kind of file can say what it was given.

use serde_json::Value;

/// What a `format` value names ("an audcheck suite"), by its name without the version.
pub fn describe(format: &str) -> Option<&'static str> {
    let name = format.split('/').next().unwrap_or(format);
    Some(match name {
        "audcheck-report" => "an audcheck report",
        "audcheck-suite" => "an audcheck suite",
        "audcheck-adapter" => "an adapter manifest",
        "audcheck-run-log" => "a run log",
        "audcheck-remediation" => "a remediation file",
        "audcheck-requirements" => "the requirements list",
        "audcheck-vectors" => "an index of test vectors (`audcheck export`)",
        _ => return None,
    })
}

/// What a parsed JSON file is, in words, for "X is ..., not a report".
pub fn what_is(v: &Value) -> String {
    match v.get("format") {
        Some(Value::String(f)) => match describe(f) {
            Some(what) => format!("{what} ({f})"),
            None => format!("a JSON file of format \"{f}\", not an audcheck file"),
        },
        Some(_) => "a JSON file whose \"format\" is not a string".into(),
        None if v.is_object() => "a JSON object with no \"format\" field".into(),
        None => "JSON but not an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::what_is;
    use serde_json::json;

    #[test]
    fn names_each_kind_of_file() {
        assert_eq!(what_is(&json!({"format": "audcheck-suite/1"})), "an audcheck suite (audcheck-suite/1)");
        assert_eq!(what_is(&json!({"format": "audcheck-adapter/1"})), "an adapter manifest (audcheck-adapter/1)");
        assert!(what_is(&json!({"format": "other/1"})).contains("not an audcheck file"));
        assert!(what_is(&json!({"a": 1})).contains("no \"format\" field"));
        assert!(what_is(&json!([1])).contains("not an object"));
    }
}
