//! Installing adapters: their manifest's install steps, run once in their folder.
//! A stamp file records a finished install; a lock keeps two installs from overlapping.

use super::Manifest;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const STAMP: &str = ".audcheck-installed";
const LOCK: &str = ".audcheck-install.lock";

#[derive(Debug, Clone, thiserror::Error)]
pub enum InstallError {
    #[error("adapter {adapter} needs `{program}`, which is not on PATH; install {toolchain}")]
    MissingTool { adapter: String, program: String, toolchain: &'static str },
    #[error("adapter {adapter}: `{step}` failed ({status}){output}")]
    StepFailed { adapter: String, step: String, status: String, output: String },
    #[error("adapter {adapter}: cannot use the folder {dir}: {message}")]
    Io { adapter: String, dir: PathBuf, message: String },
}

/// Runs the install steps unless a finished install of the same steps is recorded
/// (or always, with `force`). Returns whether it ran them.
pub fn ensure_installed(dir: &Path, manifest: &Manifest, force: bool) -> Result<bool, InstallError> {
    if manifest.install.is_empty() {
        return Ok(false);
    }
    // Absolute, because a step's program path (".venv/bin/pip") is resolved after the
    // child changes into the folder.
    let dir = &std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let io = |e: std::io::Error| InstallError::Io { adapter: manifest.name.clone(), dir: dir.to_path_buf(), message: e.to_string() };
    let lock = File::create(dir.join(LOCK)).map_err(io)?;
    lock.lock().map_err(io)?;
    let want = fingerprint(dir, manifest);
    if !force && std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == want) {
        return Ok(false);
    }
    let _ = std::fs::remove_file(dir.join(STAMP));
    for step in &manifest.install {
        let program = &step[0];
        if !program.contains('/') && !on_path(program) {
            return Err(InstallError::MissingTool { adapter: manifest.name.clone(), program: program.clone(), toolchain: toolchain(program) });
        }
        eprintln!("audcheck: installing {}: {}", manifest.name, step.join(" "));
        let path = if program.contains('/') { dir.join(program) } else { PathBuf::from(program) };
        let out = Command::new(&path).args(&step[1..]).current_dir(dir).stdin(Stdio::null()).output().map_err(|e| InstallError::StepFailed {
            adapter: manifest.name.clone(),
            step: step.join(" "),
            status: format!("cannot run {}: {e}", path.display()),
            output: String::new(),
        })?;
        if !out.status.success() {
            let text = String::from_utf8_lossy(&out.stderr);
            let tail: Vec<&str> = text.lines().rev().take(15).collect::<Vec<_>>().into_iter().rev().collect();
            return Err(InstallError::StepFailed {
                adapter: manifest.name.clone(),
                step: step.join(" "),
                status: out.status.to_string(),
                output: if tail.is_empty() { String::new() } else { format!(":\n{}", tail.join("\n")) },
            });
        }
    }
    // Recorded after the steps, which may add files (a built binary) to the folder.
    std::fs::write(dir.join(STAMP), fingerprint(dir, manifest)).map_err(io)?;
    Ok(true)
}

/// Folders an install fills (dependencies, build output, caches): not what it depends on.
const OUTPUTS: [&str; 6] = ["node_modules", ".venv", "lib", "classes", "target", "__pycache__"];

/// What an install depends on: its steps, and the name, size and time of every file in the
/// adapter's folder and its subfolders (sources under `src/`, say), but for the folders
/// installs fill (adapter folders are self-contained). A change installs again.
fn fingerprint(dir: &Path, manifest: &Manifest) -> String {
    let mut lines = vec![serde_json::to_string(&manifest.install).unwrap_or_default()];
    let mut files = Vec::new();
    sources(dir, &mut files);
    files.sort();
    lines.extend(files);
    lines.join("\n")
}

fn sources(dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() && !OUTPUTS.contains(&name.as_str()) {
            sources(&e.path(), files);
        } else if kind.is_file() && !name.starts_with(".audcheck-") {
            let Ok(m) = e.metadata() else { continue };
            let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
            files.push(format!("{} {} {t}", e.path().display(), m.len()));
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn toolchain(program: &str) -> &'static str {
    match program {
        "npm" | "node" | "npx" => "Node.js 18 or newer (with npm)",
        "python3" | "python" | "pip" | "pip3" => "Python 3.9 or newer (with venv)",
        "mvn" | "java" => "Java 17 and Maven",
        "go" => "Go 1.22 or newer",
        _ => "the tool it names (see the adapter's README)",
    }
}
