//! Runs cases on one validator: each case's token, judged per profile. The session (see
//! `crate::session`) makes the tokens, runs the controls first and schedules validators.

mod fuzz;
mod judge;

pub use fuzz::{Check, Counterexample, FuzzConfig, FuzzRun, ISSUER, Prober, claims as probe_claims, found_cases, fuzz};
pub use judge::{Attempt, TwinVerdict, judge};

use crate::model::{AudienceMode, Expectation, Outcome, Profile};
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
    /// Its twin, for a case whose rejection is judged and that has one: the same token with
    /// an acceptable `aud` (a control's twin is the valid token).
    pub twin: Option<Twin>,
    pub control: bool,
}

/// A case's twin and the profiles that require it accepted.
#[derive(Debug, Clone)]
pub struct Twin {
    pub token: Token,
    pub must_accept: Vec<Profile>,
}

/// One case's result on one validator.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub attempt: Attempt,
    /// What the twin gave, when the case was rejected and has a twin.
    pub twin: Option<Attempt>,
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
    // Controls first, in a batch of their own; then the twins of the rejected cases, or,
    // for a transport that restarts per batch, every twin beside its case.
    let beside = validator.twins_beside_cases();
    let (mut tried, mut twins) = attempts(validator, &prepared[..split], keys, clock, tick, beside.then_some(profiles));
    let (rest, rest_twins) = attempts(validator, &prepared[split..], keys, clock, tick, beside.then_some(profiles));
    tried.extend(rest);
    twins.extend(rest_twins);
    if !beside {
        twins = twins_of_rejected(validator, prepared, &tried, profiles, keys, clock);
    }
    // A twin is evidence only for a rejected case.
    for (twin, t) in twins.iter_mut().zip(&tried) {
        if !matches!(t, Attempt::Verdict(v) if !v.accepted) {
            *twin = None;
        }
    }
    let results: Vec<CaseResult> = prepared
        .iter()
        .zip(tried)
        .zip(twins)
        .map(|((p, attempt), twin)| {
            let outcomes = profiles
                .iter()
                .map(|&pr| {
                    let tv = twin.as_ref().zip(p.twin.as_ref()).map(|(a, t)| TwinVerdict { attempt: a, must_accept: t.must_accept.contains(&pr) });
                    (pr, judge(p.case.expectation(pr), p.case.reason, &attempt, tv))
                })
                .collect();
            CaseResult { attempt, twin, outcomes }
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

/// Whether a case's rejection is judged and its twin can show what caused it.
fn wants_twin(p: &Prepared, profiles: &[Profile]) -> bool {
    p.twin.is_some() && (p.control || profiles.iter().any(|pr| p.case.expectation(*pr) == Expectation::Reject))
}

/// The request for a case's twin: the case's validator input, the twin's token.
fn twin_request<'a>(p: &'a Prepared, id: &'a str, keys: &'a Keys, clock: Clock) -> Request<'a> {
    let twin = &p.twin.as_ref().expect("a twin").token;
    Request { id, token: &twin.compact, alg: twin.alg, key: keys.trusted(twin.alg), audience: p.case.audience.as_deref(), issuer: p.case.issuer.as_deref(), now: clock.now() }
}

fn twin_id(p: &Prepared) -> String {
    format!("{}~twin", p.case.id)
}

fn attempt(result: Result<Verdict, Failure>) -> Attempt {
    match result {
        Ok(v) => Attempt::Verdict(v),
        Err(f) => Attempt::Failed(f),
    }
}

/// The twins of the rejected cases whose rejection is judged, in one batch: a twin the
/// validator accepts lays the case's rejection to what the case changed (its `aud`).
fn twins_of_rejected(validator: &dyn Validator, prepared: &[Prepared], tried: &[Attempt], profiles: &[Profile], keys: &Keys, clock: Clock) -> Vec<Option<Attempt>> {
    let wanted: Vec<usize> =
        (0..prepared.len()).filter(|&i| matches!(&tried[i], Attempt::Verdict(v) if !v.accepted) && wants_twin(&prepared[i], profiles)).collect();
    let ids: Vec<String> = wanted.iter().map(|&i| twin_id(&prepared[i])).collect();
    let requests: Vec<Request<'_>> = wanted.iter().zip(&ids).map(|(&i, id)| twin_request(&prepared[i], id, keys, clock)).collect();
    let mut out: Vec<Option<Attempt>> = vec![None; prepared.len()];
    for (i, verdict) in wanted.into_iter().zip(verify_all(validator, &requests, &|| {})) {
        out[i] = Some(attempt(verdict));
    }
    out
}

/// Tries cases, leaving out those the validator cannot express; with `twins_for`, each
/// case's twin goes in the same batch, right after it.
fn attempts(
    validator: &dyn Validator,
    prepared: &[Prepared],
    keys: &Keys,
    clock: Clock,
    tick: &(dyn Fn() + Sync),
    twins_for: Option<&[Profile]>,
) -> (Vec<Attempt>, Vec<Option<Attempt>>) {
    let planned: Vec<Result<Request<'_>, Attempt>> = prepared.iter().map(|p| plan(validator, p, keys, clock)).collect();
    let with_twin: Vec<bool> = prepared.iter().zip(&planned).map(|(p, r)| r.is_ok() && twins_for.is_some_and(|pr| wants_twin(p, pr))).collect();
    let ids: Vec<String> = prepared.iter().map(twin_id).collect();
    let mut requests: Vec<Request<'_>> = Vec::new();
    for (i, r) in planned.iter().enumerate() {
        if let Ok(r) = r {
            requests.push(*r);
            if with_twin[i] {
                requests.push(twin_request(&prepared[i], &ids[i], keys, clock));
            }
        }
    }
    // Twins are not cases: with twins in the batch, the cases tick once it is done.
    let twins_in_batch = with_twin.contains(&true);
    let mut verdicts = verify_all(validator, &requests, if twins_in_batch { &|| {} } else { tick }).into_iter();
    let mut tried = Vec::with_capacity(prepared.len());
    let mut twins = Vec::with_capacity(prepared.len());
    for (i, r) in planned.into_iter().enumerate() {
        match r {
            Err(a) => {
                tick();
                tried.push(a);
                twins.push(None);
            }
            Ok(_) => {
                if twins_in_batch {
                    tick();
                }
                tried.push(attempt(verdicts.next().expect("verify_all gives one result per request")));
                twins.push(with_twin[i].then(|| attempt(verdicts.next().expect("one result per twin"))));
            }
        }
    }
    (tried, twins)
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
