//! A whole run as one library call: a plan (cases, targets, profiles, a property budget)
//! goes in, reports come out. The session makes the tokens once, runs the controls first on
//! every target, schedules targets (the slow ones first, `jobs` at a time), adds the
//! property section, writes each report as soon as its target is done, and applies the
//! rule that a run in which nothing ran has tested nothing. `audcheck run`, `fuzz` and
//! `export` are thin callers; tests call it directly.

mod error;
mod prepare;
mod shard;

pub use error::SessionError;
pub use prepare::{Signing, controls, preferred_alg, prepare, resign};
pub use shard::{BadShard, Shard};

use crate::model::{Outcome, Profile};
use crate::report::{self, Report, RunMeta, Writer};
use crate::run::{self, FuzzConfig, FuzzRun, Prepared};
use crate::suite::Case;
use crate::token::{Clock, Keys};
use crate::validator::{Capabilities, Failure, Spec, Validator};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// What to run.
pub struct Plan {
    /// The cases (controls are added by the session).
    pub cases: Vec<Case>,
    pub targets: Vec<Spec>,
    pub profiles: Vec<Profile>,
    /// Generated pairs per target in the property mode, if any.
    pub property: Option<FuzzConfig>,
    /// Targets run at once (at least 1).
    pub jobs: usize,
    pub clock: Clock,
    /// The suite files the cases came from, for the reports' run section.
    pub suites: Vec<String>,
    /// Keep library messages exactly as given, clock values and ports included (reports
    /// are then not byte-stable).
    pub raw_messages: bool,
}

/// Where the reports go, and the earlier reports to compare them with.
pub struct Output {
    pub writer: Writer,
    /// An earlier report, or a folder of them, read before a new report replaces it.
    pub baseline: Option<PathBuf>,
}

/// What a session tells as it goes. Every method may be called from several threads.
pub trait Observer: Sync {
    /// A target is about to run `cases` cases.
    fn started(&self, _target: &str, _cases: usize) {}
    /// One case of a target is done.
    fn case_done(&self, _target: &str) {}
    /// A target cannot run; its cases will fail with this.
    fn unavailable(&self, _target: &str, _why: &Failure) {}
    /// A target is done and its report written.
    fn finished(&self, _done: &Done) {}
}

/// An observer that says nothing.
pub struct Quiet;

impl Observer for Quiet {}

/// One target's results.
pub struct Done {
    pub report: Report,
    /// The earlier report of the same target, when a baseline was given and holds one.
    pub baseline: Option<Report>,
    /// The property mode's search, when it ran.
    pub property: Option<FuzzRun>,
}

/// A finished session: each target's results, in the order of the plan.
pub struct Finished {
    pub done: Vec<Done>,
}

impl Finished {
    /// Cases (controls aside) that reached a target, and generated pairs tried, over all targets.
    pub fn executed(&self) -> usize {
        self.done.iter().map(|d| executed(&d.report) + d.property.as_ref().map_or(0, |p| p.cases_run as usize)).sum()
    }

    /// Nothing was tested: every case was skipped on every target.
    pub fn nothing_ran(&self) -> bool {
        self.executed() == 0
    }

    /// Every target trusted, with no failure under the plan's profiles.
    pub fn conformant(&self) -> bool {
        self.done.iter().all(|d| d.report.target.trusted && d.report.failures() == 0)
    }
}

/// Cases other than controls that reached the target.
fn executed(report: &Report) -> usize {
    report
        .results
        .iter()
        .filter(|r| !r.id.starts_with("control/") && !r.outcomes.values().all(|o| *o == Outcome::Skipped))
        .count()
}

/// Runs the plan. Fails before any target runs when the plan cannot run (no case, a token
/// audcheck cannot sign, an output folder that takes no files, a missing baseline), and
/// after the run when a report cannot be written.
pub fn run(plan: Plan, output: Option<&Output>, observer: &dyn Observer) -> Result<Finished, SessionError> {
    if plan.cases.is_empty() && plan.property.is_none() {
        return Err(SessionError::NoCases);
    }
    if let Some(out) = output {
        out.writer.ready()?;
        if let Some(b) = out.baseline.as_ref().filter(|b| !b.exists()) {
            return Err(SessionError::NoBaseline(b.clone()));
        }
    }
    let keys = Keys::test();
    // Signed now, so a token audcheck cannot make stops the run before any target runs.
    let prepared = Arc::new(prepare(plan.cases.clone(), keys, plan.clock)?);
    let started = SystemTime::now();
    let tokens = Mutex::new(BTreeMap::from([(Signing::default(), prepared)]));
    let context = Context { plan: &plan, tokens, keys, started, output, observer, timings: Mutex::default() };
    let done = schedule(&plan.targets, plan.jobs.max(1), |spec| context.target(spec))?;
    if let Some(out) = output {
        let log = serde_json::to_string_pretty(&context.log()).expect("a run log serializes") + "\n";
        report::write_atomic(&out.writer.dir.join(RUN_LOG), &log)?;
        if out.writer.formats.contains(&report::Format::Json) {
            report::write_index(&out.writer.dir)?;
        }
    }
    Ok(Finished { done })
}

/// What every target's run shares.
struct Context<'a> {
    plan: &'a Plan,
    /// The cases' tokens by how validators need them signed, made once each.
    tokens: Mutex<BTreeMap<Signing, Arc<Vec<Prepared>>>>,
    keys: &'static Keys,
    started: SystemTime,
    output: Option<&'a Output>,
    observer: &'a dyn Observer,
    /// How long each target took, for the run log.
    timings: Mutex<BTreeMap<String, Duration>>,
}

/// The file beside the reports that holds what changes from run to run.
pub const RUN_LOG: &str = "run-log.json";
const RUN_LOG_FORMAT: &str = "audcheck-run-log/1";

/// What changes from run to run, kept out of the reports so they are byte-stable.
#[derive(Debug, serde::Serialize)]
struct RunLog {
    format: String,
    started: String,
    duration_ms: u64,
    /// The Unix time the tokens were made at (`iat`, `nbf`: 60 s before; `exp`: 3600 s after).
    clock_now: u64,
    host: String,
    /// Milliseconds per target.
    targets: BTreeMap<String, u64>,
}

impl Context<'_> {
    /// Starts one target, runs it, stops it, and writes its report.
    fn target(&self, spec: &Spec) -> Result<Done, SessionError> {
        let validator = spec.start();
        if let Some(why) = validator.unavailable() {
            self.observer.unavailable(spec.name(), why);
        }
        let t0 = Instant::now();
        let (mut report, property) = self.judge(validator.as_ref())?;
        drop(validator);
        if !self.plan.raw_messages {
            report::stabilize(&mut report, self.plan.clock);
        }
        report.target.bug = spec.published_bug().cloned();
        if let Some(advice) = spec.remediation() {
            report.remediation = advice.for_families(spec.name(), report.failing_families().keys());
        }
        self.timings.lock().unwrap_or_else(|p| p.into_inner()).insert(report.target.name.clone(), t0.elapsed());
        let report = Report { run: self.meta(), ..report };
        let mut baseline = None;
        if let Some(out) = self.output {
            // Read before writing: the baseline may be the report this run replaces.
            if let Some(b) = &out.baseline {
                baseline = report::baseline_for(b, &report.target.name).map_err(SessionError::Baseline)?;
            }
            out.writer.write(&report)?;
        }
        let done = Done { report, baseline, property };
        self.observer.finished(&done);
        Ok(done)
    }

    /// The cases signed for a validator (controls included): with an algorithm it takes,
    /// by the issuer it expects.
    fn prepared_for(&self, caps: &Capabilities) -> Result<Arc<Vec<Prepared>>, SessionError> {
        let signing = Signing::for_validator(caps);
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(set) = tokens.get(&signing) {
            return Ok(set.clone());
        }
        let set = Arc::new(resign(&tokens[&Signing::default()], &signing, self.keys, self.plan.clock)?);
        tokens.insert(signing, set.clone());
        Ok(set)
    }

    /// The report of one started validator (run section empty) and its property search.
    fn judge(&self, validator: &dyn Validator) -> Result<(Report, Option<FuzzRun>), SessionError> {
        let name = validator.identity().name.clone();
        let prepared = self.prepared_for(&validator.identity().capabilities)?;
        self.observer.started(&name, prepared.len());
        let tick = || self.observer.case_done(&name);
        let target_run = run::run_target(validator, &prepared, &self.plan.profiles, self.keys, self.plan.clock, &tick);
        let mut report = report::build(&target_run, &prepared, &self.plan.profiles, RunMeta::default());
        let property = match &self.plan.property {
            Some(config) => {
                let found = run::fuzz(validator, self.keys, self.plan.clock, config).map_err(|e| SessionError::Sign { case: "a generated pair".into(), source: e })?;
                report.fuzz = Some(report::fuzz_section(&found));
                Some(found)
            }
            None => None,
        };
        Ok((report, property))
    }

    /// The run section of a report: only what the plan fixes, so a report is byte-stable;
    /// times, the clock and the host go to the run log.
    fn meta(&self) -> RunMeta {
        RunMeta { audcheck_version: env!("CARGO_PKG_VERSION").into(), suites: self.plan.suites.clone(), ..RunMeta::default() }
    }

    /// The run log: when the run started, how long each target took, the clock and the host.
    fn log(&self) -> RunLog {
        let timings = self.timings.lock().unwrap_or_else(|p| p.into_inner());
        RunLog {
            format: RUN_LOG_FORMAT.into(),
            started: humantime::format_rfc3339_seconds(self.started).to_string(),
            duration_ms: self.started.elapsed().map_or(0, |d| d.as_millis() as u64),
            clock_now: self.plan.clock.now(),
            host: std::fs::read_to_string("/proc/sys/kernel/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "unknown".into()),
            targets: timings.iter().map(|(n, d)| (n.clone(), d.as_millis() as u64)).collect(),
        }
    }
}

/// Runs `one` on every spec, `jobs` at a time, the costliest first (a slow service does
/// not start last); results in the order of `specs`. The first error is returned after
/// every target has run, so no finished report is lost.
fn schedule<T: Send>(specs: &[Spec], jobs: usize, one: impl Fn(&Spec) -> Result<T, SessionError> + Sync) -> Result<Vec<T>, SessionError> {
    let mut order: Vec<usize> = (0..specs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(specs[i].weight()));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Result<T, SessionError>>>> = specs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(specs.len()) {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = one(&specs[i]);
                    *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                }
            });
        }
    });
    slots.into_iter().map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()).expect("every target was scheduled")).collect()
}

/// Runs prepared cases on one validator and builds its report, with an empty run section:
/// the session's judgement without scheduling or output, for tests and embedders. Cases
/// that name no algorithm are signed again when the validator takes no RS256.
pub fn report_of(validator: &dyn Validator, prepared: &[Prepared], profiles: &[Profile], clock: Clock) -> Result<Report, SessionError> {
    let signing = Signing::for_validator(&validator.identity().capabilities);
    let resigned = if signing == Signing::default() { None } else { Some(resign(prepared, &signing, Keys::test(), clock)?) };
    let prepared = resigned.as_deref().unwrap_or(prepared);
    let target_run = run::run_target(validator, prepared, profiles, Keys::test(), clock, &|| {});
    let mut report = report::build(&target_run, prepared, profiles, RunMeta::default());
    report::stabilize(&mut report, clock);
    Ok(report)
}
