//! Reading reports back (for baselines, diffs, the matrix and `explain`), with errors that
//! name the file.

use super::{FORMAT, Report};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the report {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path} is not JSON ({source}); give a report (.json) that `audcheck run` wrote")]
    NotJson { path: PathBuf, source: serde_json::Error },
    #[error("{path} is an audcheck report ({FORMAT}) that does not read: {source}; it is damaged or edited: write it again with `audcheck run`")]
    Json { path: PathBuf, source: serde_json::Error },
    #[error("{path} has format \"{found}\"; this audcheck reads {FORMAT}")]
    Format { path: PathBuf, found: String },
    /// Another kind of file: a suite, a manifest, a run log, any other JSON.
    #[error("{path} is {what}, not a report; give a report that `audcheck run` wrote")]
    NotReport { path: PathBuf, what: String },
}

pub fn read(path: &Path) -> Result<Report, ReadError> {
    parse(path, &read_text(path)?)
}

fn read_text(path: &Path) -> Result<String, ReadError> {
    std::fs::read_to_string(path).map_err(|source| ReadError::Io { path: path.into(), source })
}

fn parse(path: &Path, text: &str) -> Result<Report, ReadError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|source| ReadError::NotJson { path: path.into(), source })?;
    match format_of(&value) {
        Some(FORMAT) => serde_json::from_value(value).map_err(|source| ReadError::Json { path: path.into(), source }),
        Some(other) if other.starts_with("audcheck-report/") => Err(ReadError::Format { path: path.into(), found: other.to_string() }),
        _ => Err(ReadError::NotReport { path: path.into(), what: crate::formats::what_is(&value) }),
    }
}

fn format_of(v: &serde_json::Value) -> Option<&str> {
    v.get("format").and_then(serde_json::Value::as_str)
}

/// Every report in a folder (its `*.json` files that are reports), sorted by target name.
/// Other JSON files in the folder are left alone.
pub fn read_dir(dir: &Path) -> Result<Vec<Report>, ReadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ReadError::Io { path: dir.into(), source })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = read_text(&p)?;
        // Recognised by its format field, not by how the file happens to be laid out.
        let is_report = serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| format_of(&v) == Some(FORMAT));
        if is_report {
            out.push(parse(&p, &text)?);
        }
    }
    out.sort_by(|a, b| a.target.name.cmp(&b.target.name));
    Ok(out)
}
