//! `audcheck export --out DIR`: the cases as signed token files with their validator input
//! and expectations, and the public keys, for use without audcheck.

use super::{Exit, Failure, paths};
use anyhow::anyhow;
use audcheck::session::{self, SessionError};
use audcheck::token::{Clock, Keys};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct ExportArgs {
    /// Folder to write the vectors to (created if missing; files of the same name are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Suite file or folder (repeatable; default: the standard suites).
    #[arg(long = "suite", value_name = "PATH")]
    suites: Vec<PathBuf>,
    /// The Unix time the tokens are made at (default: now); the same time gives the same files.
    #[arg(long, value_name = "UNIX")]
    now: Option<u64>,
}

pub fn export(args: ExportArgs) -> Result<Exit, Failure> {
    let clock = match args.now {
        Some(now) => Clock::at(now).map_err(|e| Failure::input(anyhow!("--now: {e}")))?,
        None => Clock::system(),
    };
    audcheck::files::ready_folder("--out", &args.out)?;
    let suites = audcheck::suite::load_paths(&paths::suites_or_standard(&args.suites)).map_err(Failure::input)?;
    let cases: Vec<_> = suites.into_iter().flat_map(|s| s.cases).collect();
    if cases.is_empty() {
        return Err(SessionError::NoCases.into());
    }
    let prepared = session::prepare(cases, Keys::test(), clock)?;
    let files = audcheck::export::files(&prepared, Keys::test(), clock);
    audcheck::files::write_under(&args.out, &files).map_err(|e| Failure::harness(anyhow!("--out {}: {e}", args.out.display())))?;
    let tokens = files.iter().filter(|(p, _)| p.ends_with(".jwt")).count();
    println!("{tokens} signed cases (made at {}) in {}; see its README.md", clock.now(), args.out.display());
    Ok(Exit::Conformant)
}
