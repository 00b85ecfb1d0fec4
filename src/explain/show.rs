//! Showing token values in a bounded space: a 1 MB string or a 40,000-member array is cut,
//! with its length, so the explanation stays readable and every value is shown once.

use super::json_type;
use crate::report::show_json;
use serde_json::{Map, Value};

/// Characters shown of a long string.
pub const CHARS: usize = 100;
/// Members shown of a long array.
pub const MEMBERS: usize = 5;

/// A string in quotes, with invisible characters escaped; a long one cut to its start:
/// `"https://a…"… (1048576 chars)`.
pub fn quote(v: &str) -> String {
    let n = v.chars().count();
    if n <= CHARS {
        return show_json(&Value::String(v.into()));
    }
    let start: String = v.chars().take(CHARS).collect();
    format!("{}… ({n} chars)", show_json(&Value::String(start)))
}

/// Any JSON value on one line, its long strings and arrays cut (inside the JSON).
pub fn brief(v: &Value) -> String {
    show_json(&cut(v))
}

fn cut(v: &Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > CHARS => {
            Value::String(format!("{}… ({} chars)", s.chars().take(CHARS).collect::<String>(), s.chars().count()))
        }
        Value::Array(a) if a.len() > MEMBERS => {
            let mut shown: Vec<Value> = a.iter().take(MEMBERS).map(cut).collect();
            shown.push(Value::String(format!("… and {} more ({} members)", a.len() - MEMBERS, a.len())));
            Value::Array(shown)
        }
        Value::Array(a) => Value::Array(a.iter().map(cut).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), cut(v))).collect()),
        other => other.clone(),
    }
}

/// The claims without `aud` (shown on its own line).
pub fn claims_line(claims: &Map<String, Value>) -> String {
    let mut rest = claims.clone();
    let had = rest.shift_remove("aud").is_some();
    format!("{}{}", brief(&Value::Object(rest)), if had { " (aud below)" } else { "" })
}

/// What `aud` is: "a string", "an array of 3 members (2 strings, 1 number)", "a number: 7".
pub fn shape(aud: Option<&Value>) -> String {
    match aud {
        None => "absent".into(),
        Some(Value::String(s)) => format!("a string of {} chars", s.chars().count()),
        Some(Value::Array(a)) if a.is_empty() => "an empty array".into(),
        Some(Value::Array(a)) => {
            let mut kinds: Vec<(&str, usize)> = Vec::new();
            for t in a.iter().map(|m| noun(json_type(m))) {
                match kinds.iter_mut().find(|(k, _)| *k == t) {
                    Some(k) => k.1 += 1,
                    None => kinds.push((t, 1)),
                }
            }
            let parts: Vec<String> = match kinds.as_slice() {
                [(k, n)] if *n > 1 => vec![format!("all {k}s")],
                _ => kinds.iter().map(|(k, n)| format!("{n} {k}{}", if *n == 1 { "" } else { "s" })).collect(),
            };
            format!("an array of {} member{} ({})", a.len(), if a.len() == 1 { "" } else { "s" }, parts.join(", "))
        }
        Some(Value::Null) => "null".into(),
        Some(other) => format!("{}: {}", json_type(other), brief(other)),
    }
}

/// "a number" -> "number", for counts.
fn noun(t: &'static str) -> &'static str {
    t.trim_start_matches("an ").trim_start_matches("a ")
}

/// The values of `aud` when nothing is judged: a string, or the first members of an array.
pub fn values(aud: Option<&Value>) -> Vec<String> {
    match aud {
        Some(Value::String(s)) => vec![quote(s)],
        Some(Value::Array(a)) => {
            let mut out: Vec<String> = a.iter().take(MEMBERS).enumerate().map(|(i, m)| format!("member {i}: {}", member(m))).collect();
            if a.len() > MEMBERS {
                out.push(format!("and {} more", a.len() - MEMBERS));
            }
            out
        }
        _ => Vec::new(),
    }
}

fn member(v: &Value) -> String {
    match v {
        Value::String(s) => quote(s),
        other => brief(other),
    }
}

#[cfg(test)]
mod tests {
    use super::{quote, shape};
    use serde_json::json;

    #[test]
    fn long_values_are_cut_with_their_length() {
        let q = quote(&"a".repeat(1 << 20));
        assert!(q.ends_with("\"… (1048576 chars)") && q.len() < 200, "{q}");
        assert_eq!(quote("x"), "\"x\"");
        assert_eq!(shape(Some(&json!(["a", 1, "b"]))), "an array of 3 members (2 strings, 1 number)");
        assert_eq!(shape(Some(&json!(["a", "b"]))), "an array of 2 members (all strings)");
        assert_eq!(shape(Some(&json!(7))), "a number: 7");
    }
}
