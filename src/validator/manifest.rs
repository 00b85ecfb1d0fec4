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
    /// For `"transport": "http"`: how to reach the running service.
    #[serde(default)]
    pub http: Option<HttpSection>,
}

/// How audcheck talks to a service under test (`"transport": "http"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {
    /// The library or framework that validates, and its language (for the report).
    pub library: String,
    pub language: String,
    /// Polled until it answers; a JSON body with `version` names the library's version.
    pub ready_path: String,
    #[serde(default = "default_ready_timeout")]
    pub ready_timeout_ms: u64,
    /// Ready as soon as the path answers at all (for a service that protects every path).
    #[serde(default)]
    pub ready_any_status: bool,
    #[serde(default = "default_method")]
    pub method: String,
    /// The protected resource; the token goes in `Authorization: Bearer`.
    pub path: String,
    pub algorithms: Vec<crate::model::Alg>,
    /// How the service takes several expected audiences.
    #[serde(default = "default_audience")]
    pub audience: crate::model::AudienceMode,
    /// Whether the service can run with no expected audience configured.
    #[serde(default)]
    pub no_audience: bool,
}

fn default_ready_timeout() -> u64 {
    60_000
}
fn default_method() -> String {
    "GET".into()
}
fn default_audience() -> crate::model::AudienceMode {
    crate::model::AudienceMode::Single
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestTarget {
    pub name: String,
    #[serde(default)]
    pub options: Map<String, Value>,
    /// The target models a documented misuse (audiences as unanchored RegExp, the check
    /// switched off): reports keep it apart from targets configured as documented.
    #[serde(default)]
    pub misuse: bool,
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
    match (m.transport.as_str(), &m.http) {
        ("process", None) => {}
        ("http", Some(_)) => {}
        ("http", None) => return Err(err(Some("http"), "an http adapter needs an \"http\" section (ready_path, path, algorithms, ...); see docs/http.md".into())),
        ("process", Some(_)) => return Err(err(Some("http"), "only an http adapter has an \"http\" section".into())),
        (other, _) => return Err(err(Some("transport"), format!("\"{other}\" is not a transport; use \"process\" or \"http\""))),
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
        // Names become file names and links: plain characters only.
        if t.name.is_empty() || t.name.starts_with('.') || !t.name.chars().all(|c| c.is_ascii_alphanumeric() || "-+._@".contains(c)) {
            return Err(err(Some(&format!("targets[{i}].name")), format!("\"{}\" is not a target name; use <language>-<library>[+<variant>]", t.name)));
        }
    }
    Ok(m)
}
