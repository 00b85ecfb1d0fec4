//! Pieces the commands share: target selection, profiles, report writing.

use super::Failure;
use anyhow::{Context, anyhow};
use audcheck::model::Profile;
use audcheck::report::{self, Report, RunMeta};
use audcheck::token::Clock;
use std::time::{Duration, SystemTime};
use audcheck::target::{self, Target};
use clap::ValueEnum;
use std::path::Path;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Md,
}

pub fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse().map_err(|e: audcheck::model::UnknownWord| e.to_string())
}

pub fn select_targets(names: &[String]) -> Result<Vec<Box<dyn Target>>, Failure> {
    let all = target::shipped();
    if names.is_empty() {
        return Ok(all);
    }
    let known: Vec<String> = all.iter().map(|t| t.identity().name.clone()).collect();
    for n in names {
        if !known.contains(n) {
            return Err(Failure::input(anyhow!("unknown target \"{n}\"; the targets are: {} (see `audcheck targets`)", known.join(", "))));
        }
    }
    Ok(all.into_iter().filter(|t| names.contains(&t.identity().name)).collect())
}

pub fn write_reports(r: &Report, out: &Path, formats: &[Format]) -> anyhow::Result<()> {
    for f in formats {
        let (ext, text) = match f {
            Format::Json => ("json", r.to_json()),
            Format::Md => ("md", report::markdown(r, true)),
        };
        write_atomic(&out.join(format!("{}.{ext}", r.target.name)), &text)?;
    }
    Ok(())
}

/// Writes through a temporary file so a crash leaves the old report whole.
pub fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// The run section of a report.
pub fn run_meta(started: SystemTime, took: Duration, clock: Clock, suites: Vec<String>) -> RunMeta {
    RunMeta {
        started: humantime::format_rfc3339_seconds(started).to_string(),
        duration_ms: took.as_millis() as u64,
        clock_now: clock.now,
        host: host(),
        audcheck_version: env!("CARGO_PKG_VERSION").into(),
        suites,
    }
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "unknown".into())
}
