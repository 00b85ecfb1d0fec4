//! Test vectors for use without audcheck: each case as a signed token file beside a JSON
//! file with the validator input and the expectation per profile, plus the public keys.
//! `files` gives (relative path, contents); `write` puts them under one folder and nowhere else.

use crate::model::{Alg, Profile};
use crate::run::Prepared;
use crate::token::{Clock, Keys};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

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

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}; choose another --out")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("\"{0}\" would be written outside the export folder; case ids are relative paths of plain names")]
    Outside(String),
}

/// Writes `files` under `dir` (created if missing). Every path must be relative and made of
/// plain names, so nothing lands outside `dir`.
pub fn write(dir: &Path, files: &[(String, String)]) -> Result<(), ExportError> {
    for (rel, _) in files {
        let plain = Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.is_empty() {
            return Err(ExportError::Outside(rel.clone()));
        }
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| ExportError::Io { path: parent.to_path_buf(), source })?;
        }
        std::fs::write(&path, text).map_err(|source| ExportError::Io { path: path.clone(), source })?;
    }
    Ok(())
}
