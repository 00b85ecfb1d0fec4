//! `audcheck index [DIR]`: the matrix over every report in a folder (README.md and
//! index.html), also written at the end of `audcheck run`.

use super::common::write_atomic;
use super::{Exit, Failure};
use audcheck::report;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct IndexArgs {
    /// The folder of reports (`audcheck run --out`).
    #[arg(default_value = "reports")]
    dir: PathBuf,
}

pub fn index(args: IndexArgs) -> Result<Exit, Failure> {
    let n = write_index(&args.dir)?;
    if n == 0 {
        return Err(Failure::input(anyhow::anyhow!("{} holds no audcheck report (*.json); run `audcheck run --out {}` first", args.dir.display(), args.dir.display())));
    }
    println!("{n} reports: {} and {}", args.dir.join("README.md").display(), args.dir.join("index.html").display());
    Ok(Exit::Conformant)
}

/// Writes README.md and index.html over the reports in `dir`; returns how many there were.
pub fn write_index(dir: &Path) -> Result<usize, Failure> {
    let reports = report::read_dir(dir).map_err(Failure::input)?;
    if reports.is_empty() {
        return Ok(0);
    }
    write_atomic(&dir.join("README.md"), &report::matrix_markdown(&reports)).map_err(Failure::harness)?;
    write_atomic(&dir.join("index.html"), &report::html(&reports)).map_err(Failure::harness)?;
    Ok(reports.len())
}
