//! The adapter manifest (`adapter.json`, contract `audcheck-adapter/1`).

use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub const MANIFEST_FORMAT: &str = "audcheck-adapter/1";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    pub transport: String,
    /// Run in the adapter's folder; a first word with a `/` is a path inside that folder.
    pub command: Vec<String>,
    #[serde(default)]
    pub install: Vec<Vec<String>>,
    pub targets: Vec<ManifestTarget>,
    /// Per-case timeout; default 5000 ms.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestTarget {
    pub name: String,
    #[serde(default)]
    pub options: Map<String, Value>,
}

/// A manifest that cannot be used; names the file and the field, and says how to fix it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{}: {problem}", file.display(), field.as_ref().map(|f| format!(": field `{f}`")).unwrap_or_default())]
pub struct ManifestError {
    pub file: PathBuf,
    pub field: Option<String>,
    pub problem: String,
}

/// Reads `dir/adapter.json`.
pub fn load_manifest(dir: &Path) -> Result<Manifest, ManifestError> {
    let file = dir.join("adapter.json");
    let err = |field: Option<&str>, problem: String| ManifestError { file: file.clone(), field: field.map(str::to_string), problem };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| err(None, format!("cannot read it ({e}); an adapter folder needs an adapter.json")))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let m: Manifest = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        err((path != ".").then_some(path.as_str()), e.inner().to_string())
    })?;
    if m.format != MANIFEST_FORMAT {
        return Err(err(Some("format"), format!("\"{}\" is not \"{MANIFEST_FORMAT}\"", m.format)));
    }
    if m.transport != "process" {
        return Err(err(Some("transport"), format!("\"{}\" is not supported yet; use \"process\"", m.transport)));
    }
    if m.command.is_empty() || m.command[0].is_empty() {
        return Err(err(Some("command"), "empty; give the program and its arguments, say [\"node\", \"adapter.js\"]".into()));
    }
    if let Some(i) = m.install.iter().position(|step| step.is_empty()) {
        return Err(err(Some(&format!("install[{i}]")), "an empty step; give a program and its arguments".into()));
    }
    if m.targets.is_empty() {
        return Err(err(Some("targets"), "no targets; add at least {\"name\": \"<language>-<library>\", \"options\": {}}".into()));
    }
    for (i, t) in m.targets.iter().enumerate() {
        if t.name.is_empty() || t.name.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(err(Some(&format!("targets[{i}].name")), format!("\"{}\" is not a target name; use <language>-<library>[+<variant>]", t.name)));
        }
    }
    Ok(m)
}
