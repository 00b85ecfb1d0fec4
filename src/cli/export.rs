//! `audcheck export --out DIR`: the cases as signed token files with their validator input
//! and expectations, and the public keys, for use without audcheck.

use super::common::write_atomic;
use super::{Exit, Failure, paths};
use anyhow::{Context, anyhow};
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
    let suites = audcheck::suite::load_paths(&paths::suites_or_standard(&args.suites)).map_err(Failure::input)?;
    let cases: Vec<_> = suites.into_iter().flat_map(|s| s.cases).collect();
    if cases.is_empty() {
        return Err(Failure::input(anyhow!("the suites hold no case; add cases or give other --suite paths")));
    }
    let clock = args.now.map_or_else(Clock::system, |now| Clock { now });
    let controls = audcheck::run::controls().map_err(|e| Failure::harness(anyhow!("{e}")))?;
    let keys = Keys::test();
    let prepared = audcheck::run::prepare(controls, cases, keys, clock);
    let unsigned: Vec<String> = prepared.iter().filter_map(|p| p.token.as_ref().err().map(|e| format!("{}: {e}", p.case.id))).collect();
    let files = audcheck::export::files(&prepared, keys, clock);
    for (rel, text) in &files {
        let path = args.out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}; choose another --out", dir.display()))
                .map_err(Failure::harness)?;
        }
        write_atomic(&path, text).map_err(Failure::harness)?;
    }
    for u in &unsigned {
        eprintln!("audcheck: warning: not exported, cannot sign: {u}");
    }
    let tokens = files.iter().filter(|(p, _)| p.ends_with(".jwt")).count();
    println!("{tokens} signed cases (made at {}) in {}; see its README.md", clock.now, args.out.display());
    Ok(if unsigned.is_empty() { Exit::Conformant } else { Exit::Harness })
}
