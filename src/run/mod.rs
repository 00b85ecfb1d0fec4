//! Runs cases against targets: controls first, then every case, each judged per profile.

mod fuzz;
mod judge;

pub use fuzz::{Check, Counterexample, FuzzConfig, FuzzRun, ISSUER, Prober, claims as probe_claims, fuzz};
pub use judge::{Attempt, judge};

use crate::model::{Outcome, Profile};
use crate::suite::{Case, SuiteErrors};
use crate::target::{AudienceMode, Failure, Identity, Request, Target, Verdict};
use crate::token::{self, Clock, Keys, Token};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// The built-in controls, in the suite format.
pub fn controls() -> Result<Vec<Case>, SuiteErrors> {
    crate::suite::load_str(Path::new("<built-in controls>"), include_str!("controls.json")).map(|s| s.cases)
}

/// A case with its token, made once and reused for every target.
pub struct Prepared {
    pub case: Case,
    pub token: Result<Token, String>,
    pub control: bool,
}

/// Makes the tokens for the controls and the cases.
pub fn prepare(controls: Vec<Case>, cases: Vec<Case>, keys: &Keys, clock: Clock) -> Vec<Prepared> {
    let tagged = controls.into_iter().map(|c| (c, true)).chain(cases.into_iter().map(|c| (c, false)));
    tagged
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(case, control)| {
            let payload = token::payload_text(&case.payload, clock);
            let token = token::build(keys, &payload, &case.header, case.alg, case.key).map_err(|e| e.to_string());
            Prepared { case, token, control }
        })
        .collect()
}

/// One case's result on one target.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub attempt: Attempt,
    pub outcomes: BTreeMap<Profile, Outcome>,
}

/// Everything one target did in a run; `results` is parallel to the prepared cases.
pub struct TargetRun {
    pub identity: Identity,
    pub trusted: bool,
    /// The controls that failed, with what they gave.
    pub untrusted_because: Vec<String>,
    pub results: Vec<CaseResult>,
    pub duration: Duration,
}

/// Runs every prepared case on `target`, controls first. `tick` is called once per case.
pub fn run_target(
    target: &dyn Target,
    prepared: &[Prepared],
    profiles: &[Profile],
    keys: &Keys,
    clock: Clock,
    tick: &(dyn Fn() + Sync),
) -> TargetRun {
    let started = Instant::now();
    let split = prepared.iter().take_while(|p| p.control).count();
    let mut attempts = attempts(target, &prepared[..split], keys, clock, tick);
    attempts.extend(attempts_of(target, &prepared[split..], keys, clock, tick));
    let results: Vec<CaseResult> = prepared
        .iter()
        .zip(attempts)
        .map(|(p, attempt)| {
            let outcomes = profiles.iter().map(|&pr| (pr, judge(p.case.expectation(pr), p.case.reason, &attempt))).collect();
            CaseResult { attempt, outcomes }
        })
        .collect();
    let untrusted_because: Vec<String> = prepared[..split]
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.outcomes.values().any(|o| !matches!(o, Outcome::Pass | Outcome::WrongReason | Outcome::Info)))
        .map(|(p, r)| format!("{}: {}", p.case.id, describe(&r.attempt)))
        .collect();
    TargetRun {
        identity: target.identity().clone(),
        trusted: untrusted_because.is_empty(),
        untrusted_because,
        results,
        duration: started.elapsed(),
    }
}

fn attempts_of(target: &dyn Target, prepared: &[Prepared], keys: &Keys, clock: Clock, tick: &(dyn Fn() + Sync)) -> Vec<Attempt> {
    if target.parallel() {
        prepared
            .par_iter()
            .map(|p| {
                let a = attempts(target, std::slice::from_ref(p), keys, clock, &|| {}).remove(0);
                tick();
                a
            })
            .collect()
    } else {
        attempts(target, prepared, keys, clock, tick)
    }
}

/// Tries cases in one batch, leaving out those the target cannot express. A panic inside
/// the target is an error for the batch, not an abort of the run.
fn attempts(target: &dyn Target, prepared: &[Prepared], keys: &Keys, clock: Clock, tick: &(dyn Fn() + Sync)) -> Vec<Attempt> {
    let planned: Vec<Result<Request<'_>, Attempt>> = prepared.iter().map(|p| plan(target, p, keys, clock)).collect();
    let requests: Vec<Request<'_>> = planned.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    let verdicts: Vec<Result<Verdict, Failure>> = if target.pipelines() {
        guarded(|| target.verify_batch(&requests)).unwrap_or_else(|why| vec![Err(Failure::Error(why)); requests.len()])
    } else {
        requests.iter().map(|r| guarded(|| target.verify(r)).unwrap_or_else(|why| Err(Failure::Error(why)))).collect()
    };
    let mut verdicts = verdicts.into_iter();
    planned
        .into_iter()
        .map(|r| {
            tick();
            match r {
                Err(a) => a,
                Ok(_) => match verdicts.next() {
                    Some(Ok(v)) => Attempt::Verdict(v),
                    Some(Err(f)) => Attempt::Failed(f),
                    None => Attempt::Failed(Failure::Error("the target gave fewer verdicts than requests".into())),
                },
            }
        })
        .collect()
}

/// Runs target code, turning a panic into the reason it gives.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| {
        let msg = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
        format!("the target panicked: {}", msg.unwrap_or_else(|| "(no message)".into()))
    })
}

/// The request for one case, or why the target cannot take it.
fn plan<'a>(target: &dyn Target, p: &'a Prepared, keys: &'a Keys, clock: Clock) -> Result<Request<'a>, Attempt> {
    let caps = &target.identity().capabilities;
    let case = &p.case;
    if !caps.algorithms.contains(&case.alg) {
        return Err(Attempt::Skipped(format!("the target does not support {}", case.alg)));
    }
    if !caps.no_audience && case.audience.as_ref().is_none_or(|a| a.is_empty()) {
        return Err(Attempt::Skipped("the service must be started with an expected audience; the case configures none".into()));
    }
    if let Some(fixed) = &caps.fixed_audience
        && case.audience.as_ref() != Some(fixed)
    {
        return Err(Attempt::Skipped(format!("the running service expects {fixed:?}; the case configures another audience")));
    }
    if caps.audience == AudienceMode::Single && case.audience.as_ref().is_some_and(|a| a.len() > 1) {
        return Err(Attempt::Skipped("the target takes a single expected audience; the case configures several".into()));
    }
    let token = p.token.as_ref().map_err(|e| Attempt::Failed(Failure::Error(format!("audcheck could not make the token: {e}"))))?;
    Ok(Request {
        id: &case.id,
        token: &token.compact,
        alg: case.alg,
        key: keys.trusted(case.alg),
        audience: case.audience.as_deref(),
        issuer: case.issuer.as_deref(),
        now: clock.now,
    })
}

/// One line on what an attempt gave.
pub fn describe(attempt: &Attempt) -> String {
    match attempt {
        Attempt::Verdict(v) if v.accepted => "accepted".into(),
        Attempt::Verdict(v) => format!(
            "rejected ({}): {}",
            v.reason.map(|r| r.as_str()).unwrap_or("no reason"),
            v.error.as_deref().unwrap_or("")
        ),
        Attempt::Skipped(why) => format!("skipped: {why}"),
        Attempt::Failed(f) => format!("{f}"),
    }
}
