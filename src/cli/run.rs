//! `audcheck run`: suites against targets, reports written to a folder.

use super::{Exit, Failure, paths};
use anyhow::{Context, anyhow};
use audcheck::model::{Outcome, Profile};
use audcheck::report::{self, Report, RunMeta};
use audcheck::run::{self, Prepared};
use audcheck::target::{self, Target};
use audcheck::token::{Clock, Keys};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

#[derive(Args)]
pub struct RunArgs {
    /// Target to run (repeatable; default: every shipped target). See `audcheck targets`.
    #[arg(long = "target", value_name = "NAME")]
    targets: Vec<String>,
    /// Suite file or folder (repeatable; default: the standard suites).
    #[arg(long = "suite", value_name = "PATH")]
    suites: Vec<PathBuf>,
    /// Profile to judge against (repeatable; default: all).
    #[arg(long = "profile", value_name = "NAME", value_parser = parse_profile)]
    profiles: Vec<Profile>,
    /// Report formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "json,md")]
    format: Vec<Format>,
    /// Folder the reports are written to.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Md,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse().map_err(|e: audcheck::model::UnknownWord| e.to_string())
}

pub fn run(args: RunArgs) -> Result<Exit, Failure> {
    let started = SystemTime::now();
    let timer = Instant::now();
    let suite_paths = paths::suites_or_standard(&args.suites);
    let suites = audcheck::suite::load_paths(&suite_paths).map_err(Failure::input)?;
    let cases: Vec<_> = suites.iter().flat_map(|s| s.cases.iter().cloned()).collect();
    if cases.is_empty() {
        return Err(Failure::input(anyhow!("the suites hold no case; add cases or give other --suite paths")));
    }
    let targets = select_targets(&args.targets)?;
    let profiles = if args.profiles.is_empty() { Profile::ALL.to_vec() } else { dedup(args.profiles) };
    let controls = run::controls().map_err(|e| Failure::harness(anyhow!("{e}")))?;
    let keys = Keys::test();
    let clock = Clock::system();
    let prepared = run::prepare(controls, cases, keys, clock);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the report folder {}; choose another with --out", args.out.display()))
        .map_err(Failure::harness)?;

    let mut exit = Exit::Conformant;
    let mut executed = 0usize;
    for target in &targets {
        let t0 = Instant::now();
        let bar = progress(target.identity().name.as_str(), prepared.len());
        let tick = || bar.inc(1);
        let target_run = run::run_target(target.as_ref(), &prepared, &profiles, keys, clock, &tick);
        bar.finish_and_clear();
        let meta = RunMeta {
            started: humantime::format_rfc3339_seconds(started).to_string(),
            duration_ms: t0.elapsed().as_millis() as u64,
            clock_now: clock.now,
            host: host(),
            audcheck_version: env!("CARGO_PKG_VERSION").into(),
            suites: suites.iter().map(|s| s.path.clone()).collect(),
        };
        let report = report::build(&target_run, &prepared, &profiles, meta);
        executed += ran(&report, &prepared);
        write_reports(&report, &args.out, &args.format).map_err(Failure::harness)?;
        println!("{}", summary_line(&report));
        if report.failures() > 0 || !report.target.trusted {
            exit = Exit::Failures;
        }
    }
    println!("reports in {}/ ({} ms)", args.out.display(), timer.elapsed().as_millis());
    if executed == 0 {
        eprintln!("audcheck: no case ran on any target (all skipped); nothing was tested");
        return Ok(Exit::Failures);
    }
    Ok(exit)
}

fn select_targets(names: &[String]) -> Result<Vec<Box<dyn Target>>, Failure> {
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

fn dedup(mut v: Vec<Profile>) -> Vec<Profile> {
    v.sort();
    v.dedup();
    v
}

/// Cases other than controls that reached the target.
fn ran(report: &Report, prepared: &[Prepared]) -> usize {
    let controls = prepared.iter().filter(|p| p.control).count();
    let skipped = report.results.iter().filter(|r| r.outcomes.values().all(|o| *o == Outcome::Skipped)).count();
    report.results.len().saturating_sub(controls + skipped)
}

fn progress(name: &str, len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(ProgressStyle::with_template("{prefix:>32} [{bar:30}] {pos}/{len}").expect("template").progress_chars("=> "));
    bar.set_prefix(name.to_string());
    bar
}

fn summary_line(r: &Report) -> String {
    let mut totals = std::collections::BTreeMap::<Outcome, usize>::new();
    for counts in r.summary.values() {
        for (o, n) in counts {
            *totals.entry(*o).or_default() += n;
        }
    }
    let parts: Vec<String> = totals.iter().filter(|(_, n)| **n > 0).map(|(o, n)| format!("{n} {o}")).collect();
    let trust = if r.target.trusted { "" } else { "  UNTRUSTED (a control failed)" };
    format!("{:<36} {} cases x {} profiles: {}{trust}", r.target.name, r.results.len(), r.profiles.len(), parts.join(", "))
}

fn write_reports(r: &Report, out: &Path, formats: &[Format]) -> anyhow::Result<()> {
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
fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "unknown".into())
}
