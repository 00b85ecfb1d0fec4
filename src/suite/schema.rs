//! Schema problems of one JSON object, all of them: each field is checked on its own, so a
//! case with three mistakes gets three messages, not the first one serde meets.

use super::error::SuiteErrorKind as Kind;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A problem and the field it is about (None: the object itself).
pub type Problem = (Option<String>, Kind);

/// Checks `value` against `T`: every unknown field, every missing required field (those of
/// `template`, a smallest valid object) and every value of the wrong type. Returns `T`
/// from the object repaired (bad fields dropped, missing ones taken from the template) so
/// that the checks after the schema still run, and the problems.
pub fn check<T: DeserializeOwned>(value: Value, template: &Value, fields: &str) -> (Option<T>, Vec<Problem>) {
    // Most objects are fine: one pass, no copies.
    let first = match serde_path_to_error::deserialize(&value) {
        Ok(t) => return (Some(t), Vec::new()),
        Err(e) => schema_error(e.path().to_string(), e.inner().to_string(), fields),
    };
    let (Value::Object(given), Value::Object(tmpl)) = (value, template) else { return (None, vec![first]) };
    let known: Vec<&str> = fields.split(", ").collect();
    let mut problems = Vec::new();
    let mut repaired: Map<String, Value> = tmpl.clone();
    for name in tmpl.keys().filter(|k| !given.contains_key(*k)) {
        problems.push((Some(name.clone()), Kind::MissingField));
    }
    for (name, v) in given {
        if !known.contains(&name.as_str()) {
            problems.push((Some(name), Kind::UnknownField(format!("the known fields are: {fields}"))));
            continue;
        }
        let mut probe = tmpl.clone();
        probe.insert(name.clone(), v);
        let probe = Value::Object(probe);
        match serde_path_to_error::deserialize::<_, T>(&probe) {
            Ok(_) => {
                let Value::Object(mut p) = probe else { unreachable!("built as an object") };
                repaired.insert(name.clone(), p.remove(&name).expect("inserted above"));
            }
            Err(e) => problems.push(schema_error(e.path().to_string(), e.inner().to_string(), fields)),
        }
    }
    if problems.is_empty() {
        problems.push(first); // a mistake only the whole object shows
    }
    (serde_json::from_value(Value::Object(repaired)).ok(), problems)
}

/// Turns serde's message and path into a field and a kind with a fix.
pub fn schema_error(path: String, message: String, fields: &str) -> Problem {
    let message = strip_position(&message);
    let field = if path.is_empty() || path == "." { None } else { Some(path) };
    if let Some(name) = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
        let field = Some(match field { Some(p) => format!("{p}.{name}"), None => name.to_string() });
        return (field, Kind::MissingField);
    }
    if let Some(name) = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
        let field = Some(match field {
            Some(p) if !p.ends_with(name) => format!("{p}.{name}"),
            Some(p) => p,
            None => name.to_string(),
        });
        return (field, Kind::UnknownField(format!("the known fields are: {fields}")));
    }
    (field, Kind::InvalidValue(message))
}

pub fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
