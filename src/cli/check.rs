//! `audcheck check-suites`: validate suite files without running anything.

use super::{Exit, Failure, paths};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct CheckArgs {
    /// Suite files or folders of them (default: the standard suites).
    paths: Vec<PathBuf>,
}

pub fn check(args: CheckArgs) -> Result<Exit, Failure> {
    let suites = audcheck::suite::load_paths(&paths::suites_or_standard(&args.paths)).map_err(Failure::input)?;
    let cases: usize = suites.iter().map(|s| s.cases.len()).sum();
    for s in &suites {
        println!("{}: {} cases ({})", s.path, s.cases.len(), s.name);
    }
    println!("ok: {} suites, {cases} cases", suites.len());
    Ok(Exit::Conformant)
}
