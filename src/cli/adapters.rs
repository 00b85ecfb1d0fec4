//! `audcheck adapters install`: run the adapters' install steps in their folders.

use super::common::adapter_dirs;
use super::{Exit, Failure};
use anyhow::anyhow;
use audcheck::validator::{ensure_installed, load_manifest};
use clap::Subcommand;
use std::path::PathBuf;

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
    let mut chosen = Vec::new();
    for dir in adapter_dirs(&adapters) {
        let m = load_manifest(&dir).map_err(Failure::input)?;
        if names.is_empty() || names.iter().any(|n| *n == m.name || m.targets.iter().any(|t| t.name == *n)) {
            chosen.push((dir, m));
        }
    }
    for n in &names {
        if !chosen.iter().any(|(_, m)| m.name == *n || m.targets.iter().any(|t| t.name == *n)) {
            return Err(Failure::input(anyhow!("no adapter or target named \"{n}\"; see `audcheck targets`")));
        }
    }
    let failed = install_all(&chosen);
    if failed.is_empty() {
        println!("installed {} adapter(s)", chosen.len());
        Ok(Exit::Conformant)
    } else {
        Err(Failure::input(anyhow!("{} adapter(s) not installed:\n  {}", failed.len(), failed.join("\n  "))))
    }
}

/// Installs run a few at a time: most wait on the network (npm, pip, the Go proxy). Maven
/// builds take one lane of their own, one after another: concurrent builds may write the
/// same artifact into the shared local repository at once.
const LANES: usize = 3;

fn install_all(chosen: &[(PathBuf, audcheck::validator::Manifest)]) -> Vec<String> {
    let maven = |m: &audcheck::validator::Manifest| m.install.iter().any(|step| step.first().is_some_and(|p| p == "mvn"));
    let (mvn, others): (Vec<_>, Vec<_>) = chosen.iter().partition(|(_, m)| maven(m));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(Vec::new());
    let install = |(dir, m): &&(PathBuf, audcheck::validator::Manifest)| {
        if let Err(e) = ensure_installed(dir, m, true) {
            failed.lock().unwrap_or_else(|p| p.into_inner()).push(e.to_string());
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(|| mvn.iter().for_each(install));
        for _ in 1..LANES {
            scope.spawn(|| {
                while let Some(one) = others.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    install(&one);
                }
            });
        }
    });
    let mut failed = failed.into_inner().unwrap_or_else(|p| p.into_inner());
    failed.sort();
    failed
}
