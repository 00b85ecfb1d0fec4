//! `audcheck targets`: list the targets, starting each adapter to ask its library and version.

use super::common::select_specs;
use super::{Exit, Failure};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct TargetsArgs {
    /// An adapter folder to list beside the shipped ones (repeatable).
    #[arg(long = "adapter", value_name = "DIR")]
    adapters: Vec<PathBuf>,
    /// List only this target (repeatable; default: every target).
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
}

pub fn targets(args: TargetsArgs) -> Result<Exit, Failure> {
    println!("{:<40} {:<18} {:<10} {:<10} transport", "name", "library", "version", "language");
    for spec in select_specs(&args.targets, &args.adapters)? {
        let t = spec.start();
        let id = t.identity();
        let misuse = if id.misuse { "  (documented misuse)" } else { "" };
        if let Some(why) = t.unavailable() {
            println!("{:<40} not usable: {}", id.name, why.to_string().lines().next().unwrap_or(""));
        } else {
            println!("{:<40} {:<18} {:<10} {:<10} {}{misuse}", id.name, id.library, id.version, id.language, id.transport);
        }
    }
    Ok(Exit::Conformant)
}
