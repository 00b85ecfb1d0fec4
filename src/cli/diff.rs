//! `audcheck diff A.json B.json` and the baseline of `audcheck run --baseline`.

use super::{Exit, Failure};
use audcheck::report::{self, Report};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct DiffArgs {
    /// The older report (or a folder of reports).
    before: PathBuf,
    /// The newer report (or a folder of reports).
    after: PathBuf,
}

pub fn diff(args: DiffArgs) -> Result<Exit, Failure> {
    let pairs = match (args.before.is_dir(), args.after.is_dir()) {
        (true, true) => {
            let old = report::read_dir(&args.before).map_err(Failure::input)?;
            let new = report::read_dir(&args.after).map_err(Failure::input)?;
            let pairs: Vec<(Report, Report)> =
                new.into_iter().filter_map(|n| old.iter().find(|o| o.target.name == n.target.name).map(|o| (o.clone(), n))).collect();
            if pairs.is_empty() {
                return Err(Failure::input(anyhow::anyhow!(
                    "{} and {} share no target; give two folders of reports of the same targets",
                    args.before.display(),
                    args.after.display()
                )));
            }
            pairs
        }
        (false, false) => vec![(read(&args.before)?, read(&args.after)?)],
        _ => return Err(Failure::input(anyhow::anyhow!("give two report files or two folders of reports, not one of each"))),
    };
    let mut exit = Exit::Conformant;
    for (a, b) in &pairs {
        if compare(a, b) {
            exit = Exit::Failures;
        }
    }
    Ok(exit)
}

fn read(p: &Path) -> Result<Report, Failure> {
    report::read(p).map_err(Failure::input)
}

/// Prints what changed from `a` to `b`; true when a verdict changed.
pub fn compare(a: &Report, b: &Report) -> bool {
    let d = report::diff(a, b);
    print!("{}", report::diff_markdown(&d));
    println!();
    d.verdict_changes() > 0
}
