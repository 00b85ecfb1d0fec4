//! `audcheck adapters install`: run the adapters' install steps in their folders.

use super::common::adapter_dirs;
use super::{Exit, Failure};
use anyhow::anyhow;
use audcheck::target::load_manifest;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Subcommand)]
pub enum AdaptersCommand {
    /// Install adapters (all when none is named): npm ci, pip install, mvn package, ...
    Install {
        /// Adapter names (folder names under adapters/), or target names.
        names: Vec<String>,
        /// An adapter folder to install beside the shipped ones (repeatable).
        #[arg(long = "adapter", value_name = "DIR")]
        adapters: Vec<PathBuf>,
    },
}

pub fn adapters(cmd: AdaptersCommand) -> Result<Exit, Failure> {
    let AdaptersCommand::Install { names, adapters } = cmd;
    let dirs = adapter_dirs(&adapters);
    let mut chosen = Vec::new();
    for dir in &dirs {
        let m = load_manifest(dir).map_err(Failure::input)?;
        let named = names.iter().any(|n| *n == m.name || m.targets.iter().any(|t| t.name == *n));
        if names.is_empty() || named {
            chosen.push((dir.clone(), m));
        }
    }
    for n in &names {
        if !chosen.iter().any(|(_, m)| m.name == *n || m.targets.iter().any(|t| t.name == *n)) {
            return Err(Failure::input(anyhow!("no adapter or target named \"{n}\"; see `audcheck targets`")));
        }
    }
    let mut failed = Vec::new();
    for (dir, m) in &chosen {
        for step in &m.install {
            if !on_path(&step[0], dir) {
                failed.push(format!("{}: needs `{}`, which is not on PATH; install its toolchain ({})", m.name, step[0], toolchain(&step[0])));
                break;
            }
            println!("{}: {}", m.name, step.join(" "));
            let program = if step[0].contains('/') { dir.join(&step[0]) } else { PathBuf::from(&step[0]) };
            match Command::new(program).args(&step[1..]).current_dir(dir).status() {
                Ok(s) if s.success() => {}
                Ok(s) => {
                    failed.push(format!("{}: `{}` failed ({s})", m.name, step.join(" ")));
                    break;
                }
                Err(e) => {
                    failed.push(format!("{}: cannot run `{}`: {e}", m.name, step.join(" ")));
                    break;
                }
            }
        }
    }
    if failed.is_empty() {
        println!("installed {} adapter(s)", chosen.len());
        Ok(Exit::Conformant)
    } else {
        Err(Failure::input(anyhow!("{} adapter(s) not installed:\n  {}", failed.len(), failed.join("\n  "))))
    }
}

fn on_path(program: &str, dir: &Path) -> bool {
    if program.contains('/') {
        return true; // made by an earlier step, inside the adapter's folder
    }
    let _ = dir;
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn toolchain(program: &str) -> &'static str {
    match program {
        "npm" | "node" | "npx" => "Node.js 18 or newer",
        "python3" | "pip" | "pip3" => "Python 3.9 or newer",
        "mvn" | "java" => "Java 17 and Maven",
        "go" => "Go 1.22 or newer",
        _ => "see the adapter's README",
    }
}
