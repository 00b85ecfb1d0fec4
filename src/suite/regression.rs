//! Cases found outside the suites (by the property mode) written as a suite file, so each
//! becomes a regression case that `audcheck run --suite` replays.

use super::FORMAT;
use crate::model::{Expectation, Family, Importance, Profile, Reason};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// One case to keep: the token's `aud` (absent: no `aud` claim), the validator input, and
/// what each profile requires of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub family: Family,
    pub title: String,
    pub importance: Importance,
    pub aud: Option<Value>,
    /// Other claims the token carried (say, `azp`).
    pub extra: Map<String, Value>,
    /// The exact payload, when JSON values cannot express it (duplicate keys): it replaces
    /// `aud` and `extra` in the case, with the clock's placeholders.
    pub raw: Option<String>,
    pub audience: Option<Vec<String>>,
    pub expect: BTreeMap<Profile, Expectation>,
}

/// The suite file text (`audcheck-suite/1`) holding `found`, with ids
/// `fuzz/<target>-<seed>-<n>` and tokens from `issuer`.
pub fn regression_suite(target: &str, seed: u64, issuer: &str, found: &[Found]) -> String {
    let slug: String = target.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' }).collect();
    let cases: Vec<Value> = found.iter().enumerate().map(|(i, f)| case(f, format!("fuzz/{slug}-{seed}-{}", i + 1))).collect();
    let suite = json!({
        "format": FORMAT,
        "name": format!("fuzz-{slug}"),
        "description": format!("Counterexamples found by `audcheck fuzz --target {target} --seed {seed}`; expectations from the oracle."),
        "defaults": { "claims": { "iss": issuer, "sub": "user-1" } },
        "cases": cases,
    });
    serde_json::to_string_pretty(&suite).expect("a suite serializes") + "\n"
}

fn case(f: &Found, id: String) -> Value {
    // RFC 7519 is the default expectation; profiles that differ override it.
    let default = f.expect.get(&Profile::Rfc7519).copied().unwrap_or(Expectation::Either);
    let profiles: Map<String, Value> = f.expect.iter().filter(|(_, e)| **e != default).map(|(p, e)| (p.to_string(), json!(e))).collect();
    let spec = match &f.aud {
        None => json!(["RFC8725-3.9-2"]),
        Some(_) if f.family == Family::TYPE || f.family == Family::EMPTY => json!(["RFC7519-4.1.3-5"]),
        Some(_) => json!(["RFC7519-4.1.3-2", "RFC7519-2-1"]),
    };
    let mut case = json!({
        "id": id,
        "family": f.family,
        "title": f.title,
        "spec": spec,
        "importance": f.importance,
        "audience": f.audience,
        "expect": default,
    });
    let mut claims = f.extra.clone();
    if let Some(aud) = &f.aud {
        claims.insert("aud".into(), aud.clone());
    }
    match &f.raw {
        Some(raw) => case["payload_raw"] = json!(raw),
        None if !claims.is_empty() => case["claims"] = Value::Object(claims),
        None => {}
    }
    if !profiles.is_empty() {
        case["profiles"] = Value::Object(profiles);
    }
    if f.aud.is_none() {
        case["reason"] = json!(Reason::MissingAud);
    }
    case
}
