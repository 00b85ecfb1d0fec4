//! `audcheck new adapter <language>-<library> [--http]`: writes a working adapter skeleton.

use super::{Exit, Failure};
use audcheck::scaffold::{BEGIN, skeleton};
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum NewCommand {
    /// Write the skeleton of an adapter folder: manifest, protocol loop, install step, and
    /// one marked place for your library's verify call. Languages: node, python, java, go,
    /// rust (a Rust library in a process); with --http, a service in node, python or go.
    Adapter {
        /// The target name, <language>-<library> (say node-my-jwt).
        name: String,
        /// A service protected by the library (tested over HTTP) instead of a program.
        #[arg(long)]
        http: bool,
        /// The folder to write (default: ./NAME); it must be new or empty.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

pub fn new(cmd: NewCommand) -> Result<Exit, Failure> {
    let NewCommand::Adapter { name, http, out } = cmd;
    let s = skeleton(&name, http).map_err(Failure::input)?;
    let dir = out.unwrap_or_else(|| PathBuf::from(&name));
    audcheck::files::write_new(&dir, &s.files).map_err(Failure::input)?;
    let marked = s.files.iter().find(|(_, t)| t.contains(BEGIN)).map(|(p, _)| p.as_str()).unwrap_or("");
    println!("wrote {} ({} files). Next:", dir.display(), s.files.len());
    println!("  1. pin your library in its lockfile and call it in {}, between the AUDCHECK-BEGIN/END marks;", dir.join(marked).display());
    println!("  2. audcheck run --adapter {} --target {name}", dir.display());
    println!("Until then every case is rejected and the controls fail (UNTRUSTED). See docs/protocol.md.");
    Ok(Exit::Conformant)
}
