//! Every target audcheck knows: the in-process ones and those of adapter folders.

use super::install::ensure_installed;
use super::manifest::{Manifest, ManifestError, load_manifest};
use std::sync::Arc;
use super::process::{Launch, ProcessTarget, launches};
use super::http::{HttpTarget, Service};
use super::{Failure, RustJosekit, RustJsonwebtoken, RustJsonwebtoken9, RustJsonwebtoken10, RustJsonwebtoken11, RustJwtCompact, RustJwtSimple, RustOpenidconnect, Validator};
use std::path::{Path, PathBuf};
use crate::remediation::Remediation;

/// Makes an in-process validator.
pub type Make = Arc<dyn Fn() -> Box<dyn Validator> + Send + Sync>;

/// A target that can be started.
pub enum Spec {
    InProcess { name: String, make: Make, advice: Option<Arc<Remediation>> },
    Process { launch: Launch, manifest: Arc<Manifest> },
    Http { service: Service, manifest: Option<Arc<Manifest>>, dir: PathBuf },
}

impl Spec {
    pub fn name(&self) -> &str {
        match self {
            Spec::InProcess { name, .. } => name,
            Spec::Process { launch, .. } => &launch.name,
            Spec::Http { service, .. } => &service.name,
        }
    }

    pub fn start(&self) -> Box<dyn Validator> {
        match self {
            Spec::InProcess { make, .. } => make(),
            // Installs the adapter on first use; a failed install makes every case an error.
            Spec::Process { launch, manifest } => match ensure_installed(&launch.dir, manifest, false) {
                Ok(_) => Box::new(ProcessTarget::start(launch.clone())),
                Err(e) => Box::new(ProcessTarget::failed(launch.clone(), Failure::InstallFailed(format!("not installed: {e}")))),
            },
            Spec::Http { service, manifest, dir } => {
                if let Some(m) = manifest
                    && let Err(e) = ensure_installed(dir, m, false)
                {
                    return Box::new(HttpTarget::failed(service.clone(), Failure::InstallFailed(format!("not installed: {e}"))));
                }
                Box::new(HttpTarget::start(service.clone()))
            }
        }
    }
}

impl Spec {
    /// An in-process target: a validator made in this process, by `make`.
    pub fn in_process(name: &str, make: impl Fn() -> Box<dyn Validator> + Send + Sync + 'static) -> Spec {
        Spec::InProcess { name: name.to_string(), make: Arc::new(make), advice: None }
    }

    /// The same target with advice on what to change.
    pub fn with_advice(self, r: Arc<Remediation>) -> Spec {
        match self {
            Spec::InProcess { name, make, .. } => Spec::InProcess { name, make, advice: Some(r) },
            other => other,
        }
    }

    /// The published bug the target reproduces, when its manifest names one.
    pub fn published_bug(&self) -> Option<&crate::model::PublishedBug> {
        let manifest = match self {
            Spec::InProcess { .. } => None,
            Spec::Process { manifest, .. } => Some(manifest.as_ref()),
            Spec::Http { manifest, .. } => manifest.as_deref(),
        }?;
        manifest.targets.iter().find(|t| t.name == self.name()).and_then(|t| t.bug.as_ref())
    }

    /// What to change in the target's library, per failing family, when its adapter says.
    pub fn remediation(&self) -> Option<&Remediation> {
        match self {
            Spec::InProcess { advice, .. } => advice.as_deref(),
            Spec::Process { manifest, .. } => manifest.remediation.as_deref(),
            Spec::Http { manifest, .. } => manifest.as_ref().and_then(|m| m.remediation.as_deref()),
        }
    }
}

impl Spec {
    /// A target's expected share of a run's time (in tenths of a second), for splitting a
    /// run over CI jobs and for starting the slow ones first. Measured on the shipped
    /// targets (their run log, docs/ci.md): a service starts once per expected audience
    /// unless it takes configurations while running, a JVM starts slowly, an in-process
    /// library costs next to nothing.
    pub fn weight(&self) -> u32 {
        match self {
            Spec::InProcess { .. } => 2,
            Spec::Process { launch, .. } => match runtime(&launch.command) {
                "java" => 20,
                "node" => 5,
                "python" => 4,
                _ => 3,
            },
            Spec::Http { service, .. } => {
                let reconfigured = !service.http.configure_path.is_empty();
                match (service.command.as_ref().map_or("", |(_, c)| runtime(c)), reconfigured) {
                    ("java", true) => 350,
                    ("java", false) => 1500,
                    ("node" | "python", false) => 270,
                    (_, true) => 20,
                    (_, false) => 50,
                }
            }
        }
    }
}

/// The runtime a command starts: java, node, python, or another program.
fn runtime(command: &[String]) -> &'static str {
    let program = command.first().map_or("", |c| c.rsplit('/').next().unwrap_or(c));
    ["java", "node", "python"].into_iter().find(|r| program.starts_with(r)).unwrap_or("")
}

/// The in-process targets, in a stable order, with their advice.
pub fn in_process() -> Vec<Spec> {
    let jsonwebtoken = advice("rust-jsonwebtoken", include_str!("remediation/rust-jsonwebtoken.json"));
    vec![
        Spec::in_process("rust-jsonwebtoken", || Box::new(RustJsonwebtoken::new(false))).with_advice(jsonwebtoken.clone()),
        Spec::in_process("rust-jsonwebtoken+require-aud", || Box::new(RustJsonwebtoken::new(true))).with_advice(jsonwebtoken.clone()),
        Spec::in_process("rust-jsonwebtoken@11.1.0", || Box::new(RustJsonwebtoken11::new())).with_advice(jsonwebtoken.clone()),
        Spec::in_process("rust-jsonwebtoken@10.4.0", || Box::new(RustJsonwebtoken10::new())).with_advice(jsonwebtoken.clone()),
        Spec::in_process("rust-jsonwebtoken@9.3.1", || Box::new(RustJsonwebtoken9::new())).with_advice(jsonwebtoken),
        Spec::in_process("rust-jwt-simple", || Box::new(RustJwtSimple::new())).with_advice(advice("rust-jwt-simple", include_str!("remediation/rust-jwt-simple.json"))),
        Spec::in_process("rust-josekit", || Box::new(RustJosekit::new())).with_advice(advice("rust-josekit", include_str!("remediation/rust-josekit.json"))),
        Spec::in_process("rust-jwt-compact", || Box::new(RustJwtCompact::new())).with_advice(advice("rust-jwt-compact", include_str!("remediation/rust-jwt-compact.json"))),
        Spec::in_process("rust-openidconnect", || Box::new(RustOpenidconnect::new())).with_advice(advice("rust-openidconnect", include_str!("remediation/rust-openidconnect.json"))),
    ]
}

/// Advice compiled in; a test parses every file, so a bad one fails there first.
fn advice(name: &str, text: &str) -> Arc<Remediation> {
    let path = PathBuf::from(format!("src/validator/remediation/{name}.json"));
    Arc::new(Remediation::parse(text, &path).unwrap_or_else(|e| panic!("{e}")))
}

/// The adapter folders under `root` (each subfolder with an adapter.json), sorted.
pub fn adapter_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("adapter.json").is_file()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs
}

/// The in-process targets, then every target of the given adapter folders.
pub fn specs(adapter_dirs: &[PathBuf]) -> Result<Vec<Spec>, ManifestError> {
    let mut out = in_process();
    for dir in adapter_dirs {
        let manifest = Arc::new(load_manifest(dir)?);
        if let Some(http) = &manifest.http {
            let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
            for t in &manifest.targets {
                // A manifest with a url describes a service the user already runs.
                let command = if manifest.url.is_some() { None } else { Some((abs.clone(), manifest.command.clone())) };
                let service = Service {
                    name: t.name.clone(),
                    command,
                    url: manifest.url.clone(),
                    options: t.options.clone(),
                    http: http.clone(),
                    timeout: std::time::Duration::from_millis(manifest.timeout_ms.unwrap_or(5000)),
                    keys_port: 0,
                    fixed_audience: http.audiences.clone(),
                    misuse: t.misuse,
                };
                out.push(Spec::Http { service, manifest: Some(manifest.clone()), dir: abs.clone() });
            }
            continue;
        }
        for launch in launches(dir, &manifest) {
            if out.iter().any(|s| s.name() == launch.name) {
                return Err(ManifestError {
                    file: dir.join("adapter.json"),
                    field: Some("targets".into()),
                    problem: format!("the target name \"{}\" is already taken; rename it", launch.name),
                });
            }
            out.push(Spec::Process { launch, manifest: manifest.clone() });
        }
    }
    Ok(out)
}
