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
    let failed: Vec<String> = chosen.iter().filter_map(|(dir, m)| ensure_installed(dir, m, true).err().map(|e| e.to_string())).collect();
    if failed.is_empty() {
        println!("installed {} adapter(s)", chosen.len());
        Ok(Exit::Conformant)
    } else {
        Err(Failure::input(anyhow!("{} adapter(s) not installed:\n  {}", failed.len(), failed.join("\n  "))))
    }
}
