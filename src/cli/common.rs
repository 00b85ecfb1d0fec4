//! Pieces the commands share: target selection, profiles, report writing.

use super::Failure;
use anyhow::{Context, anyhow};
use audcheck::model::Profile;
use audcheck::report::{self, Report, RunMeta};
use audcheck::token::Clock;
use std::time::{Duration, SystemTime};
use audcheck::target::{self, Spec};
use clap::ValueEnum;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `<target>.json`: the full report (contract audcheck-report/1).
    Json,
    /// `<target>.md`: the report for people.
    Md,
    /// `<target>.junit.xml`: JUnit XML for CI test views.
    Junit,
    /// `<target>.summary.md`: a short summary, also appended to $GITHUB_STEP_SUMMARY when set.
    Github,
}

pub fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse().map_err(|e: audcheck::model::UnknownWord| e.to_string())
}

/// The adapter folders: the shipped ones under adapters/, then those given with --adapter.
pub fn adapter_dirs(given: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = target::adapter_dirs(&super::paths::adapters_root());
    dirs.extend(given.iter().cloned());
    dirs
}

/// Every target that can be run, by name.
pub fn all_specs(adapters: &[PathBuf]) -> Result<Vec<Spec>, Failure> {
    for d in adapters {
        if !d.join("adapter.json").is_file() {
            return Err(Failure::input(anyhow!("--adapter {}: no adapter.json in that folder; see docs/protocol.md", d.display())));
        }
    }
    target::specs(&adapter_dirs(adapters)).map_err(Failure::input)
}

/// The named targets (all when none is named), not started yet: each is started when its
/// turn comes and stopped after, so only one adapter runs at a time.
pub fn select_specs(names: &[String], adapters: &[PathBuf]) -> Result<Vec<Spec>, Failure> {
    let specs = all_specs(adapters)?;
    for n in names {
        if !specs.iter().any(|s| s.name() == n) {
            let known: Vec<&str> = specs.iter().map(Spec::name).collect();
            return Err(Failure::input(anyhow!("unknown target \"{n}\"; the targets are: {} (see `audcheck targets`)", known.join(", "))));
        }
    }
    Ok(specs.into_iter().filter(|s| names.is_empty() || names.iter().any(|n| n == s.name())).collect())
}

pub fn write_reports(r: &Report, out: &Path, formats: &[Format]) -> anyhow::Result<()> {
    for f in formats {
        let (ext, text) = match f {
            Format::Json => ("json", r.to_json()),
            Format::Md => ("md", report::markdown(r, true)),
            Format::Junit => ("junit.xml", report::junit(r)),
            Format::Github => ("summary.md", report::step_summary(r)),
        };
        write_atomic(&out.join(format!("{}.{ext}", r.target.name)), &text)?;
        if *f == Format::Github {
            append_step_summary(&text)?;
        }
    }
    Ok(())
}

/// GitHub Actions shows the file named by $GITHUB_STEP_SUMMARY on the run's page.
fn append_step_summary(text: &str) -> anyhow::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else { return Ok(()) };
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).with_context(|| format!("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display()))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).with_context(|| format!("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display()))
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
