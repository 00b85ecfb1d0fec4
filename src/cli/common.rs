//! Pieces the commands share: target selection, profiles, formats, progress.

use super::Failure;
use anyhow::anyhow;
use audcheck::model::Profile;
use audcheck::report::{self, Report};
use audcheck::session::{Done, Observer};
use audcheck::validator::{self, Failure as TargetFailure, Spec};
use clap::ValueEnum;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

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

impl From<Format> for report::Format {
    fn from(f: Format) -> report::Format {
        match f {
            Format::Json => report::Format::Json,
            Format::Md => report::Format::Md,
            Format::Junit => report::Format::Junit,
            Format::Github => report::Format::Github,
        }
    }
}

/// The report writer for an `--out` folder and `--format` list.
pub fn writer(out: PathBuf, formats: &[Format]) -> report::Writer {
    report::Writer {
        dir: out,
        formats: formats.iter().map(|f| (*f).into()).collect(),
        // GitHub Actions shows the file named by $GITHUB_STEP_SUMMARY on the run's page.
        step_summary: std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()).map(PathBuf::from),
    }
}

pub fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse().map_err(|e: audcheck::model::UnknownWord| e.to_string())
}

/// The profiles asked for, without repeats; `default` when none.
pub fn profiles_or(given: &[Profile], default: &[Profile]) -> Vec<Profile> {
    let mut v = if given.is_empty() { default.to_vec() } else { given.to_vec() };
    v.sort();
    v.dedup();
    v
}

/// The adapter folders: the shipped ones under adapters/, then those given with --adapter.
pub fn adapter_dirs(given: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = validator::adapter_dirs(&super::paths::adapters_root());
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
    validator::specs(&adapter_dirs(adapters)).map_err(Failure::input)
}

/// The named targets (all when none is named), not started yet: each is started when its
/// turn comes and stopped after.
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

/// Progress on a terminal (a bar per running target) and a line per finished target.
pub struct Progress {
    bars: MultiProgress,
    running: Mutex<HashMap<String, ProgressBar>>,
    terminal: bool,
}

impl Progress {
    pub fn new() -> Progress {
        Progress { bars: MultiProgress::new(), running: Mutex::default(), terminal: std::io::stderr().is_terminal() }
    }

    fn bar(&self, target: &str) -> Option<ProgressBar> {
        self.running.lock().ok()?.get(target).cloned()
    }
}

impl Observer for Progress {
    fn started(&self, target: &str, cases: usize) {
        if !self.terminal {
            return;
        }
        let bar = self.bars.add(ProgressBar::new(cases as u64));
        bar.set_style(ProgressStyle::with_template("{prefix:>32} [{bar:30}] {pos}/{len}").expect("template").progress_chars("=> "));
        bar.set_prefix(target.to_string());
        if let Ok(mut m) = self.running.lock() {
            m.insert(target.to_string(), bar);
        }
    }

    fn case_done(&self, target: &str) {
        if let Some(b) = self.bar(target) {
            b.inc(1);
        }
    }

    fn unavailable(&self, target: &str, why: &TargetFailure) {
        self.bars.suspend(|| eprintln!("audcheck: warning: {target} cannot run; its cases will be errors: {}", why.to_string().lines().next().unwrap_or("")));
    }

    fn finished(&self, done: &Done) {
        if let Some(b) = self.running.lock().ok().and_then(|mut m| m.remove(&done.report.target.name)) {
            b.finish_and_clear();
        }
        self.bars.suspend(|| println!("{}", summary_line(&done.report)));
    }
}

/// One line per finished target: its failures counted in cases (and in case x profile
/// results), its controls and its trust.
pub fn summary_line(r: &Report) -> String {
    let c = r.counts();
    let trust = if r.target.trusted { "" } else { "  UNTRUSTED (a control failed)" };
    let fuzz = r.fuzz.as_ref().map(|f| format!("; {} of {} generated pairs judged: {} counterexamples", f.judged, f.cases, f.counterexamples.len())).unwrap_or_default();
    format!("{:<36} {} cases x {} profiles, {}: {}{fuzz}{trust}", r.target.name, c.cases, r.profiles.len(), c.controls_text(), c.failures_text())
}
