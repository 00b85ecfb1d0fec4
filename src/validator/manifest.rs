//! The adapter manifest (`adapter.json`, contract `audcheck-adapter/1`).

use super::manifest_fields::schema_problem;
use crate::formats::{describe, what_is};
use crate::remediation::Remediation;
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
    /// An http manifest with a `url` has none: the service already runs.
    #[serde(default)]
    pub command: Vec<String>,
    /// For `"transport": "http"` without a command: the protected URL of a service the user
    /// already runs (a CI service container, a staging host).
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub install: Vec<Vec<String>>,
    pub targets: Vec<ManifestTarget>,
    /// Per-case timeout; default 5000 ms.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// For `"transport": "http"`: how to reach the running service.
    #[serde(default)]
    pub http: Option<HttpSection>,
    /// What to change per failing family: the folder's `remediation.json`, when it has one.
    #[serde(skip)]
    pub remediation: Option<std::sync::Arc<Remediation>>,
}

/// How audcheck talks to a service under test (`"transport": "http"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSection {
    /// The library or framework that validates, and its language (for the report).
    pub library: String,
    pub language: String,
    /// Polled until it answers; a JSON body with `version` names the library's version.
    #[serde(default)]
    pub ready_path: String,
    #[serde(default = "default_ready_timeout")]
    pub ready_timeout_ms: u64,
    /// Ready as soon as the path answers at all (for a service that protects every path).
    #[serde(default)]
    pub ready_any_status: bool,
    #[serde(default = "default_method")]
    pub method: String,
    /// The protected resource of a service audcheck starts (a running service's is its `url`).
    #[serde(default)]
    pub path: String,
    pub algorithms: Vec<crate::model::Alg>,
    /// How the service takes several expected audiences.
    #[serde(default = "default_audience")]
    pub audience: crate::model::AudienceMode,
    /// Whether the service can run with no expected audience configured.
    #[serde(default)]
    pub no_audience: bool,
    /// Where the token goes: `bearer` (`Authorization: Bearer`), `header:NAME`,
    /// `cookie:NAME` or `query:NAME`.
    #[serde(default)]
    pub token: TokenPlacement,
    /// The issuer every token carries and the service expects (default: the suites' issuer).
    #[serde(default)]
    pub issuer: Option<String>,
    /// For a service at a `url`: the expected audiences it is configured with.
    #[serde(default)]
    pub audiences: Vec<String>,
    /// For a service at a `url`: the library and version it validates with, for the report.
    #[serde(default)]
    pub version: Option<String>,
    /// Where a started service takes a new expected audience and issuer without restarting
    /// (docs/http.md, "Reconfigured services"); empty: one instance per configuration.
    #[serde(default)]
    pub configure_path: String,
}

/// Where a request carries the token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TokenPlacement {
    /// `Authorization: Bearer <token>`.
    #[default]
    Bearer,
    /// `<name>: <token>`.
    Header(String),
    /// `Cookie: <name>=<token>`.
    Cookie(String),
    /// `?<name>=<token>`.
    Query(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a token placement; use bearer, header:NAME, cookie:NAME or query:NAME")]
pub struct BadPlacement(pub String);

impl std::str::FromStr for TokenPlacement {
    type Err = BadPlacement;
    fn from_str(s: &str) -> Result<TokenPlacement, BadPlacement> {
        let named = |name: &str| {
            let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            if ok { Ok(name.to_string()) } else { Err(BadPlacement(s.to_string())) }
        };
        match s.split_once(':') {
            None if s == "bearer" => Ok(TokenPlacement::Bearer),
            Some(("header", n)) => named(n).map(TokenPlacement::Header),
            Some(("cookie", n)) => named(n).map(TokenPlacement::Cookie),
            Some(("query", n)) => named(n).map(TokenPlacement::Query),
            _ => Err(BadPlacement(s.to_string())),
        }
    }
}

impl<'de> Deserialize<'de> for TokenPlacement {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TokenPlacement, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
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
    /// The published audience bug this release reproduces (issue 19's release pairs).
    #[serde(default)]
    pub bug: Option<crate::model::PublishedBug>,
}

/// A manifest that cannot be used; names the file and the field, and says how to fix it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{}: {problem}", file.display(), field.as_ref().map(|f| format!(": field `{f}`")).unwrap_or_default())]
pub struct ManifestError {
    pub file: PathBuf,
    pub field: Option<String>,
    pub problem: String,
}

/// Names become file names and links: plain characters only.
fn is_target_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && name.chars().all(|c| c.is_ascii_alphanumeric() || "-+._@".contains(c))
}

/// Reads `dir/adapter.json`.
pub fn load_manifest(dir: &Path) -> Result<Manifest, ManifestError> {
    let file = dir.join("adapter.json");
    let err = |field: Option<&str>, problem: String| ManifestError { file: file.clone(), field: field.map(str::to_string), problem };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| err(None, format!("cannot read it ({e}); an adapter folder needs an adapter.json")))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| err(None, format!("not valid JSON: {e}; see docs/protocol.md for the manifest")))?;
    // Another audcheck file in the adapter's place is named as such, not as a schema error.
    match value.get("format").and_then(Value::as_str) {
        Some(MANIFEST_FORMAT) => {}
        Some(f) if f.starts_with("audcheck-") && !f.starts_with("audcheck-adapter/") && describe(f).is_some() => {
            let what = what_is(&value);
            return Err(err(None, format!("this is {what}, not an adapter manifest; an adapter.json has \"format\": \"{MANIFEST_FORMAT}\" (docs/protocol.md)")));
        }
        Some(f) => return Err(err(Some("format"), format!("\"{f}\" is not \"{MANIFEST_FORMAT}\"; this audcheck reads {MANIFEST_FORMAT}"))),
        None => return Err(err(Some("format"), format!("missing; add \"format\": \"{MANIFEST_FORMAT}\" (docs/protocol.md)"))),
    }
    let mut m: Manifest = serde_path_to_error::deserialize(value).map_err(|e| {
        let (field, problem) = schema_problem(&e.path().to_string(), &e.inner().to_string());
        ManifestError { file: file.clone(), field, problem }
    })?;
    match (m.transport.as_str(), &m.http) {
        ("process", None) => {}
        ("http", Some(_)) => {}
        ("http", None) => return Err(err(Some("http"), "an http adapter needs an \"http\" section (ready_path, path, algorithms, ...); see docs/http.md".into())),
        ("process", Some(_)) => return Err(err(Some("http"), "only an http adapter has an \"http\" section".into())),
        (other, _) => return Err(err(Some("transport"), format!("\"{other}\" is not a transport; use \"process\" or \"http\""))),
    }
    match (&m.url, m.command.first()) {
        (Some(_), None) if m.http.is_some() => {}
        (Some(_), Some(_)) => return Err(err(Some("url"), "a manifest gives either a `command` to start a service or the `url` of one already running, not both".into())),
        (Some(_), None) => return Err(err(Some("url"), "only an http adapter has a url".into())),
        (None, Some(first)) if !first.is_empty() => {}
        (None, _) => return Err(err(Some("command"), "empty; give the program and its arguments, say [\"node\", \"adapter.js\"] (or, for a service already running, its `url`)".into())),
    }
    if let Some(h) = &m.http
        && m.url.is_none()
        && (h.ready_path.is_empty() || h.path.is_empty())
    {
        let field = if h.ready_path.is_empty() { "http.ready_path" } else { "http.path" };
        return Err(err(Some(field), "empty; a service audcheck starts needs the path it polls until ready (\"/ready\") and the protected path (\"/protected\")".into()));
    }
    if let Some(h) = &m.http
        && !h.configure_path.is_empty()
        && (m.url.is_some() || !h.configure_path.starts_with('/'))
    {
        let why = if m.url.is_some() { "only a service audcheck starts is reconfigured; remove it" } else { "not a path; give one such as \"/audcheck/configure\"" };
        return Err(err(Some("http.configure_path"), why.into()));
    }
    if let Some(i) = m.install.iter().position(|step| step.is_empty()) {
        return Err(err(Some(&format!("install[{i}]")), "an empty step; give a program and its arguments".into()));
    }
    if m.targets.is_empty() {
        return Err(err(Some("targets"), "no targets; add at least {\"name\": \"<language>-<library>\", \"options\": {}}".into()));
    }
    for (i, t) in m.targets.iter().enumerate() {
        if !is_target_name(&t.name) {
            return Err(err(Some(&format!("targets[{i}].name")), format!("\"{}\" is not a target name; use <language>-<library>[+<variant>]", t.name)));
        }
        if let Some(bug) = &t.bug {
            let field = |f: &str| format!("targets[{i}].bug.{f}");
            if bug.title.trim().is_empty() {
                return Err(err(Some(&field("title")), "empty; say what went wrong in a line".into()));
            }
            if !(bug.url.starts_with("https://") || bug.url.starts_with("http://")) {
                return Err(err(Some(&field("url")), format!("\"{}\" is not a web address; give the advisory, issue or fix (https://...)", bug.url)));
            }
            if bug.fixed == t.name || !is_target_name(&bug.fixed) {
                return Err(err(Some(&field("fixed")), format!("\"{}\" cannot be the fixed release; name the target of the release with the fix", bug.fixed)));
            }
        }
    }
    let remediation = Remediation::load(dir).map_err(|e| ManifestError { file: e.file, field: e.field, problem: e.problem })?;
    if let Some(r) = &remediation
        && let Some(stray) = r.target_names().find(|n| !m.targets.iter().any(|t| t.name == *n))
    {
        let targets: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
        return Err(ManifestError {
            file: dir.join(crate::remediation::FILE),
            field: Some(format!("targets.{stray}")),
            problem: format!("no such target in adapter.json; expected one of: {}", targets.join(", ")),
        });
    }
    m.remediation = remediation.map(std::sync::Arc::new);
    Ok(m)
}
