//! `audcheck index [DIR]`: the matrix over every report in a folder (README.md and
//! index.html), also written at the end of `audcheck run`.

use super::{Exit, Failure};
use audcheck::report::{WriteError, write_index};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct IndexArgs {
    /// The folder of reports (`audcheck run --out`).
    #[arg(default_value = "reports")]
    dir: PathBuf,
}

pub fn index(args: IndexArgs) -> Result<Exit, Failure> {
    let n = match write_index(&args.dir) {
        Ok(n) => n,
        Err(e @ WriteError::Read(_)) => return Err(Failure::input(e)),
        Err(e) => return Err(Failure::harness(e)),
    };
    if n == 0 {
        return Err(Failure::input(anyhow::anyhow!("{} holds no audcheck report (*.json); run `audcheck run --out {}` first", args.dir.display(), args.dir.display())));
    }
    println!("{n} reports: {} and {}", args.dir.join("README.md").display(), args.dir.join("index.html").display());
    Ok(Exit::Conformant)
}
