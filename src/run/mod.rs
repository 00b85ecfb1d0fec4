//! Runs cases on one validator: each case's token, judged per profile. The session (see
//! `crate::session`) makes the tokens, runs the controls first and schedules validators.

mod fuzz;
mod judge;

pub use fuzz::{Check, Counterexample, FuzzConfig, FuzzRun, ISSUER, Prober, claims as probe_claims, found_cases, fuzz};
pub use judge::{Attempt, judge};

use crate::model::{AudienceMode, Outcome, Profile};
use crate::suite::Case;
use crate::token::{Clock, Keys, Token};
use crate::validator::{Concurrency, Failure, Identity, Request, Validator, Verdict};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A case with its token, made once and reused for every validator.
pub struct Prepared {
    pub case: Case,
    pub token: Token,
    pub control: bool,
}

/// One case's result on one validator.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub attempt: Attempt,
    pub outcomes: BTreeMap<Profile, Outcome>,
}

/// Everything one validator did in a run; `results` is parallel to the prepared cases.
pub struct TargetRun {
    pub identity: Identity,
    pub trusted: bool,
    /// The controls that failed, with what they gave.
    pub untrusted_because: Vec<String>,
    pub results: Vec<CaseResult>,
    pub duration: Duration,
}

/// Runs every prepared case on `validator`, controls first (they lead `prepared`). `tick`
/// is called once per case.
pub fn run_target(
    validator: &dyn Validator,
    prepared: &[Prepared],
    profiles: &[Profile],
    keys: &Keys,
    clock: Clock,
    tick: &(dyn Fn() + Sync),
) -> TargetRun {
    let started = Instant::now();
    let split = prepared.iter().take_while(|p| p.control).count();
    // Controls first, in a batch of their own.
    let mut tried = attempts(validator, &prepared[..split], keys, clock, tick);
    tried.extend(attempts(validator, &prepared[split..], keys, clock, tick));
    let results: Vec<CaseResult> = prepared
        .iter()
        .zip(tried)
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
        identity: validator.identity().clone(),
        trusted: untrusted_because.is_empty(),
        untrusted_because,
        results,
        duration: started.elapsed(),
    }
}

/// Tries cases, leaving out those the validator cannot express.
fn attempts(validator: &dyn Validator, prepared: &[Prepared], keys: &Keys, clock: Clock, tick: &(dyn Fn() + Sync)) -> Vec<Attempt> {
    let planned: Vec<Result<Request<'_>, Attempt>> = prepared.iter().map(|p| plan(validator, p, keys, clock)).collect();
    let requests: Vec<Request<'_>> = planned.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    let mut verdicts = verify_all(validator, &requests, tick).into_iter();
    planned
        .into_iter()
        .map(|r| match r {
            Err(a) => {
                tick();
                a
            }
            Ok(_) => match verdicts.next().expect("verify_all gives one result per request") {
                Ok(v) => Attempt::Verdict(v),
                Err(f) => Attempt::Failed(f),
            },
        })
        .collect()
}

/// The verdicts on `requests`, one per request in order, whatever the transport: a
/// thread-safe library gets them on several threads, a pipelining transport in one batch.
/// `tick` is called once per request.
pub fn verify_all(validator: &dyn Validator, requests: &[Request<'_>], tick: &(dyn Fn() + Sync)) -> Vec<Result<Verdict, Failure>> {
    let results: Vec<Result<Verdict, Failure>> = match validator.concurrency() {
        Concurrency::Parallel => requests
            .par_iter()
            .flat_map_iter(|r| {
                let v = validator.verify_batch(std::slice::from_ref(r));
                tick();
                v
            })
            .collect(),
        Concurrency::Pipelined => {
            let v = validator.verify_batch(requests);
            requests.iter().for_each(|_| tick());
            v
        }
        Concurrency::Serial => requests
            .iter()
            .flat_map(|r| {
                let v = validator.verify_batch(std::slice::from_ref(r));
                tick();
                v
            })
            .collect(),
    };
    // A transport that breaks the contract is a bug in audcheck, not the validator's fault.
    assert_eq!(results.len(), requests.len(), "{}: the transport gave {} results for {} requests", validator.identity().name, results.len(), requests.len());
    results
}

/// The request for one case, or why the validator cannot take it.
fn plan<'a>(validator: &dyn Validator, p: &'a Prepared, keys: &'a Keys, clock: Clock) -> Result<Request<'a>, Attempt> {
    let caps = &validator.identity().capabilities;
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
    Ok(Request {
        id: &case.id,
        token: &p.token.compact,
        alg: case.alg,
        key: keys.trusted(case.alg),
        audience: case.audience.as_deref(),
        issuer: case.issuer.as_deref(),
        now: clock.now(),
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
