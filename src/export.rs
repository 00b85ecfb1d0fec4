//! Test vectors for use without audcheck: each case as a signed token file beside a JSON
//! file with the validator input and the expectation per profile, plus the public keys.
//! `files` gives (relative path, contents); `crate::files::write_under` writes them.

use crate::model::{Alg, Profile};
use crate::run::Prepared;
use crate::token::{Clock, Keys};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const README: &str = include_str!("export-readme.md");

/// Every file of an export of `prepared`, signed at `clock`.
pub fn files(prepared: &[Prepared], keys: &Keys, clock: Clock) -> Vec<(String, String)> {
    let mut out = vec![("README.md".to_string(), README.to_string())];
    let mut index = Vec::new();
    let mut algs = BTreeSet::new();
    for p in prepared {
        let c = &p.case;
        let token = &p.token;
        algs.insert(c.alg);
        let key = keys.trusted(c.alg);
        let base = format!("cases/{}", c.id);
        let entry = json!({
            "id": c.id,
            "family": c.family,
            "title": c.title,
            "importance": c.importance,
            "spec": c.spec,
            "token_file": format!("{base}.jwt"),
            "token": token.compact,
            "validator": {
                "audience": c.audience,
                "issuer": c.issuer,
                "alg": c.alg,
                "key": key_files(&key.kid, c.alg),
                "now": clock.now(),
            },
            "expect": Profile::ALL.iter().map(|&pr| (pr.as_str().to_string(), json!(c.expectation(pr)))).collect::<serde_json::Map<_, _>>(),
            "reason": c.reason,
            "signed_with": c.key,
            "control": p.control,
        });
        out.push((format!("{base}.jwt"), format!("{}\n", token.compact)));
        out.push((format!("{base}.json"), pretty(&entry)));
        index.push(entry);
    }
    for alg in algs {
        let key = keys.trusted(alg);
        let files = key_files(&key.kid, alg);
        out.push((files["jwk"].as_str().unwrap_or_default().to_string(), pretty(&key.jwk)));
        if let (Some(pem), Some(path)) = (&key.pem, files["pem"].as_str()) {
            out.push((path.to_string(), pem.clone()));
        }
    }
    out.push(("cases.json".into(), pretty(&json!({"format": "audcheck-vectors/1", "now": clock.now(), "cases": index}))));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// Where a trusted key is written: its JWK, and its SPKI PEM except for HMAC (whose JWK
/// holds the test secret).
fn key_files(kid: &str, alg: Alg) -> Value {
    let pem = if alg == Alg::HS256 { Value::Null } else { json!(format!("keys/{kid}.pub.pem")) };
    json!({"kid": kid, "jwk": format!("keys/{kid}.jwk.json"), "pem": pem})
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON serializes");
    s.push('\n');
    s
}
