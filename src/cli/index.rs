//! `audcheck index [DIR]...`: the matrix over every report in a folder (README.md and
//! index.html), also written at the end of `audcheck run`; with `--out`, the shard folders
//! of one run (`run --shard K/N`) merged into one.

use super::{Exit, Failure};
use anyhow::anyhow;
use audcheck::report::{WriteError, merge, write_index};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct IndexArgs {
    /// Folders of reports (`audcheck run --out`); several are merged into --out.
    #[arg(default_value = "reports")]
    dirs: Vec<PathBuf>,
    /// Where the merged reports, matrix and page go (default: the one folder given).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn index(args: IndexArgs) -> Result<Exit, Failure> {
    let out = match (&args.out, args.dirs.as_slice()) {
        (Some(out), _) => out.clone(),
        (None, [one]) => one.clone(),
        (None, _) => return Err(Failure::input(anyhow!("{} folders given: say where the merged reports go with --out DIR", args.dirs.len()))),
    };
    if let Some(missing) = args.dirs.iter().find(|d| !d.is_dir()) {
        return Err(Failure::input(anyhow!("{} is not a folder of reports; give the --out folder of `audcheck run`", missing.display())));
    }
    let written = if args.out.is_some() { merge(&args.dirs, &out) } else { write_index(&out) };
    let n = match written {
        Ok(n) => n,
        Err(e @ (WriteError::Read(_) | WriteError::Duplicate { .. })) => return Err(Failure::input(e)),
        Err(e) => return Err(Failure::harness(e)),
    };
    if n == 0 {
        return Err(Failure::input(anyhow!("{} holds no audcheck report (*.json); run `audcheck run --out {}` first", out.display(), out.display())));
    }
    println!("{n} reports: {} and {}", out.join("README.md").display(), out.join("index.html").display());
    Ok(Exit::Conformant)
}
