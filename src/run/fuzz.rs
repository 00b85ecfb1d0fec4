//! The property mode: generated (validator input, token `aud`) pairs against a target,
//! judged by the oracle; each failure is shrunk to a minimal counterexample.

use super::judge::{Attempt, TwinVerdict, judge};
use super::verify_all;
use crate::generate::{Probe, Recipe, oracle, probe};
use crate::model::{Alg, Expectation, FailureKind, Importance, KeyChoice, Outcome, Profile, Reason};
use crate::suite::Found;
use crate::token::{self, Clock, Keys, TokenError};
use crate::validator::{Failure, Request, Validator, Verdict};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Pairs verified in one batch.
const BATCH: u32 = 64;

/// The issuer of every generated token, and the validator's expected issuer.
pub const ISSUER: &str = "https://auth.example.com";

#[derive(Debug, Clone)]
pub struct FuzzConfig {
    /// Generated pairs to try (shrinking steps not counted).
    pub cases: u32,
    pub seed: u64,
    pub profiles: Vec<Profile>,
    /// Stop after this many distinct counterexamples.
    pub max_found: usize,
    /// Shrinking steps allowed per counterexample.
    pub max_shrink: u32,
}

impl FuzzConfig {
    /// Pairs tried when none is given: enough to find every planted validator bug.
    pub const DEFAULT_CASES: u32 = 1000;

    pub fn new(cases: u32, seed: u64, profiles: Vec<Profile>) -> FuzzConfig {
        FuzzConfig { cases, seed, profiles, max_found: 12, max_shrink: 4096 }
    }
}

/// A shrunk pair on which the target's verdict breaks a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterexample {
    pub probe: Probe,
    pub profile: Profile,
    pub outcome: Outcome,
    pub expected: Expectation,
    pub verdict: Verdict,
    /// Which generated pair (0-based) first failed, and the shrinking steps taken.
    pub found_at: u32,
    pub shrink_steps: u32,
}

#[derive(Debug, Clone)]
pub struct FuzzRun {
    pub seed: u64,
    pub cases_run: u32,
    pub profiles: Vec<Profile>,
    pub counterexamples: Vec<Counterexample>,
    /// Pairs judged: with a verdict the oracle could judge.
    pub judged: u32,
    /// Pairs without a verdict, by what failed.
    pub unjudged: BTreeMap<FailureKind, u32>,
    /// The first pairs without a verdict (crash, protocol error, hang), with why.
    pub errors: Vec<String>,
}

/// A generated token's claims, serialized without building a map first; `first_aud` is
/// written as an earlier `aud` key when the pair has one.
#[derive(serde::Serialize)]
struct ProbeClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    #[serde(rename = "aud", skip_serializing_if = "Option::is_none")]
    first_aud: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aud: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    azp: Option<&'a str>,
    iat: u64,
    nbf: u64,
    exp: u64,
}

/// What one pair gave: a broken profile, a target failure, or nothing wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    Ok,
    Broken { profile: Profile, outcome: Outcome, expected: Expectation, verdict: Verdict },
    Failed(Failure),
}

/// Signs a generated pair into a token and checks the target's verdict against the oracle.
pub struct Prober<'a> {
    validator: &'a dyn Validator,
    keys: &'a Keys,
    clock: Clock,
    alg: Alg,
    profiles: &'a [Profile],
}

impl<'a> Prober<'a> {
    pub fn new(validator: &'a dyn Validator, keys: &'a Keys, clock: Clock, profiles: &'a [Profile]) -> Prober<'a> {
        let algs = &validator.identity().capabilities.algorithms;
        let alg = if algs.contains(&Alg::HS256) { Alg::HS256 } else { algs.first().copied().unwrap_or(Alg::RS256) };
        Prober { validator, keys, clock, alg, profiles }
    }

    /// The token for a pair: issuer, subject, the `aud` (if any) and fresh time claims.
    pub fn token(&self, p: &Probe) -> Result<String, TokenError> {
        let payload = ProbeClaims {
            iss: ISSUER,
            sub: "user-1",
            first_aud: p.first_aud.as_ref(),
            aud: p.aud.as_ref(),
            azp: p.azp.as_deref(),
            iat: self.clock.iat(),
            nbf: self.clock.nbf(),
            exp: self.clock.exp(),
        };
        let payload = serde_json::to_string(&payload).expect("claims serialize");
        token::build(self.keys, &payload, &Map::new(), self.alg, KeyChoice::Default).map(|t| t.compact)
    }

    /// The validator's verdicts on pairs, one per pair; a pipelining transport gets them in
    /// one batch. A token audcheck cannot sign is audcheck's failure, not the validator's.
    pub fn verify_all(&self, probes: &[Probe]) -> Result<Vec<Result<Verdict, Failure>>, TokenError> {
        let tokens: Vec<String> = probes.iter().map(|p| self.token(p)).collect::<Result<_, _>>()?;
        let ids: Vec<String> = (0..probes.len()).map(|i| format!("fuzz/{i}")).collect();
        let requests: Vec<Request<'_>> = probes
            .iter()
            .zip(&tokens)
            .zip(&ids)
            .map(|((p, token), id)| Request {
                id,
                token,
                alg: self.alg,
                key: self.keys.trusted(self.alg),
                audience: p.audience.as_deref(),
                issuer: Some(ISSUER),
                now: self.clock.now(),
            })
            .collect();
        Ok(verify_all(self.validator, &requests, &|| {}))
    }

    /// Signs with `alg` instead of the target's first choice (HS256 where it has it).
    pub fn with_alg(mut self, alg: Alg) -> Prober<'a> {
        self.alg = alg;
        self
    }

    /// The validator's verdict on a pair (and on its twin when it was rejected), judged by
    /// the oracle under every profile.
    pub fn check(&self, p: &Probe) -> Result<Check, TokenError> {
        let verdict = self.verify_all(std::slice::from_ref(p))?.into_iter().next().expect("one result per pair");
        let twin = match (&verdict, self.twin_of(p)) {
            (Ok(v), Some(t)) if !v.accepted => self.verify_all(std::slice::from_ref(&t))?.into_iter().next(),
            _ => None,
        };
        Ok(self.judge(p, verdict, twin.as_ref()))
    }

    /// The twin of a pair whose rejection is judged: the same validator input with an
    /// acceptable `aud` (the first expected audience; none when none is configured), as
    /// for the suites' cases. None when no profile requires the pair rejected, or nothing
    /// differs.
    fn twin_of(&self, p: &Probe) -> Option<Probe> {
        let judged = self.profiles.iter().any(|pr| oracle::expect(*pr, p.aud.as_ref(), p.audience.as_deref()) == Expectation::Reject);
        let twin = match p.audience.as_deref() {
            None => Probe::new(None, Recipe::Missing),
            Some([first, ..]) if !first.is_empty() => Probe::new(p.audience.clone(), Recipe::Exact(0)),
            _ => return None,
        };
        (judged && twin.aud != p.aud).then_some(twin)
    }

    /// Judges a verdict on a pair by the oracle under every profile: a bypass or false
    /// reject, or a rejection its accepted twin shows was not the audience's (wrong reason).
    fn judge(&self, p: &Probe, verdict: Result<Verdict, Failure>, twin: Option<&Result<Verdict, Failure>>) -> Check {
        let verdict = match verdict {
            Ok(v) => v,
            Err(f) => return Check::Failed(f),
        };
        let attempt = Attempt::Verdict(verdict.clone());
        let twin_attempt = twin.and_then(|t| t.as_ref().ok()).map(|v| Attempt::Verdict(v.clone()));
        let twin_aud = self.twin_of(p).and_then(|t| t.aud);
        for &profile in self.profiles {
            let expected = oracle::expect(profile, p.aud.as_ref(), p.audience.as_deref());
            let must_accept = oracle::expect(profile, twin_aud.as_ref(), p.audience.as_deref()) == Expectation::Accept;
            let tv = twin_attempt.as_ref().map(|a| TwinVerdict { attempt: a, must_accept });
            // No reason class counts here: only the twin can show a wrong reason.
            let outcome = match judge(expected, Reason::Audience, &attempt, tv) {
                Outcome::WrongReason if tv.is_none() || !must_accept => Outcome::Pass,
                o => o,
            };
            if matches!(outcome, Outcome::Bypass | Outcome::FalseReject | Outcome::WrongReason) {
                return Check::Broken { profile, outcome, expected, verdict };
            }
        }
        Check::Ok
    }
}

/// Runs the property against a validator. Fails only when audcheck cannot sign a token.
pub fn fuzz(validator: &dyn Validator, keys: &Keys, clock: Clock, config: &FuzzConfig) -> Result<FuzzRun, TokenError> {
    let prober = Prober::new(validator, keys, clock, &config.profiles);
    let mut seed = [0u8; 32];
    for chunk in seed.chunks_mut(8) {
        chunk.copy_from_slice(&config.seed.to_le_bytes());
    }
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(Config { failure_persistence: None, ..Config::default() }, rng);
    let strategy = probe();
    let mut run = FuzzRun {
        seed: config.seed,
        cases_run: 0,
        profiles: config.profiles.clone(),
        counterexamples: vec![],
        judged: 0,
        unjudged: BTreeMap::new(),
        errors: vec![],
    };
    // Kinds already reported, so one bug does not fill the report with its variants.
    let mut seen: BTreeSet<Kind> = BTreeSet::new();
    // Pairs are drawn and verified a batch at a time, so a process target is pipelined;
    // a failure is then shrunk pair by pair.
    let mut i = 0;
    'search: while i < config.cases {
        let n = BATCH.min(config.cases - i) as usize;
        let mut trees = Vec::with_capacity(n);
        for _ in 0..n {
            let Ok(tree) = strategy.new_tree(&mut runner) else { break 'search };
            trees.push(tree);
        }
        let probes: Vec<Probe> = trees.iter().map(|t| t.current()).collect();
        let verdicts = prober.verify_all(&probes)?;
        // The twins of the rejected pairs, in one batch.
        let wanted: Vec<(usize, Probe)> = probes
            .iter()
            .zip(&verdicts)
            .enumerate()
            .filter(|(_, (_, v))| matches!(v, Ok(v) if !v.accepted))
            .filter_map(|(k, (p, _))| prober.twin_of(p).map(|t| (k, t)))
            .collect();
        let twin_probes: Vec<Probe> = wanted.iter().map(|(_, t)| t.clone()).collect();
        let mut twins: Vec<Option<Result<Verdict, Failure>>> = vec![None; probes.len()];
        for ((k, _), v) in wanted.iter().zip(prober.verify_all(&twin_probes)?) {
            twins[*k] = Some(v);
        }
        for (((mut tree, p), verdict), twin) in trees.into_iter().zip(probes).zip(verdicts).zip(twins) {
            run.cases_run += 1;
            i += 1;
            match prober.judge(&p, verdict, twin.as_ref()) {
                Check::Ok => run.judged += 1,
                Check::Failed(e) => {
                    *run.unjudged.entry(e.kind()).or_default() += 1;
                    if run.errors.len() < 20 {
                        run.errors.push(format!("{}: {e}", p.label));
                    }
                }
                Check::Broken { outcome, .. } if seen.contains(&kind(outcome, &p)) => run.judged += 1,
                Check::Broken { profile, outcome, expected, verdict } => {
                    run.judged += 1;
                    let first = Counterexample { probe: p.clone(), profile, outcome, expected, verdict, found_at: i - 1, shrink_steps: 0 };
                    let c = polish(&prober, shrink(&prober, &mut tree, first, config.max_shrink)?, config.max_shrink)?;
                    seen.insert(kind(outcome, &p));
                    if !run.counterexamples.iter().any(|k| k.probe == c.probe) {
                        run.counterexamples.push(c);
                    }
                    if run.counterexamples.len() >= config.max_found {
                        break 'search;
                    }
                }
            }
        }
    }
    // The worst first: bypasses before false rejects, in the order found.
    run.counterexamples.sort_by_key(|c| c.outcome != Outcome::Bypass);
    Ok(run)
}

/// What makes two counterexamples the same finding: the outcome, the kind of pair, and
/// whether an audience was configured. Shrinking keeps it, so a finding is never traded
/// for a simpler one of another kind.
type Kind = (Outcome, String, bool);

fn kind(outcome: Outcome, p: &Probe) -> Kind {
    // A wrong reason is the twin's rejection, whatever the pair's own aud: one finding.
    let label = if outcome == Outcome::WrongReason { String::new() } else { p.label.clone() };
    (outcome, label, p.audience.is_some())
}

/// Simplifies while the same kind of failure persists (proptest's shrinking walk).
fn shrink<T: ValueTree<Value = Probe>>(prober: &Prober<'_>, tree: &mut T, mut best: Counterexample, max: u32) -> Result<Counterexample, TokenError> {
    if !tree.simplify() {
        return Ok(best);
    }
    let mut steps = 0;
    loop {
        steps += 1;
        if steps > max {
            break;
        }
        let p = tree.current();
        match prober.check(&p)? {
            Check::Broken { profile, outcome, expected, verdict } if kind(outcome, &p) == kind(best.outcome, &best.probe) => {
                best = Counterexample { probe: p, profile, outcome, expected, verdict, found_at: best.found_at, shrink_steps: steps };
                if !tree.simplify() {
                    break;
                }
            }
            _ => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    Ok(best)
}

/// Simpler neighbours of a pair: fewer expected audiences, none configured, fewer array members.
fn neighbours(p: &Probe) -> Vec<Probe> {
    let mut out = Vec::new();
    if let Some(list) = &p.audience {
        out.push(Probe::new(None, p.recipe.clone()));
        if list.len() > 1 {
            out.extend(list.iter().map(|m| Probe::new(Some(vec![m.clone()]), p.recipe.clone())));
            for k in 0..list.len() {
                let mut fewer = list.clone();
                fewer.remove(k);
                out.push(Probe::new(Some(fewer), p.recipe.clone()));
            }
        }
    }
    if let Recipe::Array(elements) = &p.recipe
        && elements.len() > 1
    {
        // A duplicate member first: it adds nothing to a counterexample.
        let dup = (1..elements.len()).find(|&k| elements[..k].contains(&elements[k]));
        for k in dup.into_iter().chain(0..elements.len()) {
            let mut fewer = elements.clone();
            fewer.remove(k);
            out.push(Probe::new(p.audience.clone(), Recipe::Array(fewer)));
        }
    }
    out
}

/// proptest shrinks each part of a pair in turn and can stop short of removing an expected
/// audience or an array member; this walks those simpler neighbours while the failure holds.
fn polish(prober: &Prober<'_>, mut best: Counterexample, max: u32) -> Result<Counterexample, TokenError> {
    let mut steps = 0;
    'outer: loop {
        for n in neighbours(&best.probe) {
            steps += 1;
            if steps > max {
                break 'outer;
            }
            if let Check::Broken { profile, outcome, expected, verdict } = prober.check(&n)?
                && kind(outcome, &n) == kind(best.outcome, &best.probe)
            {
                best = Counterexample { probe: n, profile, outcome, expected, verdict, shrink_steps: best.shrink_steps + steps, ..best };
                continue 'outer;
            }
        }
        break;
    }
    Ok(best)
}

/// The claims a counterexample's token carried (time claims left out).
pub fn claims(p: &Probe) -> Value {
    let mut c = json!({ "iss": ISSUER, "sub": "user-1" });
    if let Some(aud) = &p.aud {
        c["aud"] = aud.clone();
    }
    if let Some(azp) = &p.azp {
        c["azp"] = json!(azp);
    }
    c
}

/// The counterexamples as cases to keep (see `suite::regression_suite`), each with what
/// every profile requires of it by the oracle.
pub fn found_cases(run: &FuzzRun, target: &str) -> Vec<Found> {
    run.counterexamples
        .iter()
        .map(|c| {
            let expect: BTreeMap<Profile, Expectation> =
                Profile::ALL.iter().map(|&p| (p, oracle::expect(p, c.probe.aud.as_ref(), c.probe.audience.as_deref()))).collect();
            Found {
                family: c.probe.family(),
                title: format!("found by audcheck fuzz against {target}: {} ({} under {})", c.probe.label, c.outcome, c.profile),
                importance: if c.outcome == Outcome::Bypass { Importance::Critical } else { Importance::High },
                aud: c.probe.aud.clone(),
                extra: c.probe.azp.iter().map(|a| ("azp".to_string(), json!(a))).collect(),
                raw: c.probe.first_aud.as_ref().map(|first| {
                    let aud = c.probe.aud.as_ref().map(|a| format!(",\"aud\":{a}")).unwrap_or_default();
                    format!("{{\"iss\":{},\"sub\":\"user-1\",\"aud\":{first}{aud},\"iat\":${{iat}},\"nbf\":${{nbf}},\"exp\":${{exp}}}}", json!(ISSUER))
                }),
                audience: c.probe.audience.clone(),
                expect,
            }
        })
        .collect()
}
