//! Every planted validator (tests/planted: one real audience mistake each, see
//! docs/mistakes.md) is caught by the standard suites: some case and profile gives it a
//! failure the correct reference does not have.

mod common;
mod planted;

use audcheck::model::Profile;
use audcheck::report::Report;
use planted::{Planted, all};

fn failures(r: &Report) -> Vec<(String, Profile)> {
    r.results.iter().flat_map(|x| x.outcomes.iter().filter(|(_, o)| o.is_failure()).map(|(p, _)| (x.id.clone(), *p))).collect()
}

#[test]
fn the_standard_suites_catch_every_planted_validator() {
    let reference = common::report(&Planted::reference(), common::standard());
    assert!(reference.target.trusted, "{:?}", reference.target.untrusted_because);
    let known = failures(&reference);
    let mut missed = Vec::new();
    let mistakes = all();
    assert!(mistakes.len() >= 40, "{} planted validators", mistakes.len());
    for m in &mistakes {
        let r = common::report(&Planted::of(m), common::standard());
        assert!(r.target.trusted, "{} {}: {:?}", m.id, m.name, r.target.untrusted_because);
        let caught: Vec<(String, Profile)> = failures(&r).into_iter().filter(|f| !known.contains(f)).collect();
        if caught.is_empty() {
            missed.push(format!("{} {}", m.id, m.name));
        }
    }
    assert!(missed.is_empty(), "no standard case catches: {missed:#?}");
}

/// The property mode alone, with its default budget, finds a bypass in every planted
/// validator whose mistake accepts too much, on a pair the reference rejects; seeds 1 to 3.
#[test]
fn the_property_mode_finds_a_bypass_in_every_planted_validator_that_accepts_too_much() {
    use audcheck::model::Outcome;
    use audcheck::run::{FuzzConfig, fuzz};
    let mut missed = Vec::new();
    for m in all().iter().filter(|m| m.too_much) {
        for seed in 1..=3 {
            let config = FuzzConfig::new(FuzzConfig::DEFAULT_CASES, seed, vec![Profile::Rfc7519, Profile::Rfc8725, Profile::OidcIdToken]);
            let run = fuzz(&Planted::of(m), audcheck::token::Keys::test(), common::clock(), &config).unwrap();
            let real = run.counterexamples.iter().any(|c| {
                let claims = audcheck::run::probe_claims(&c.probe);
                let seen = planted::Seen { aud: c.probe.aud.as_ref(), payload: "", claims: &claims, cfg: c.probe.audience.as_deref(), issuer: Some(audcheck::run::ISSUER) };
                c.outcome == Outcome::Bypass && !planted::reference(&seen)
            });
            if !real {
                missed.push(format!("{} {} (seed {seed})", m.id, m.name));
            }
        }
    }
    assert!(missed.is_empty(), "the property mode finds no bypass the reference rejects in: {missed:#?}");
}

/// The reference has no counterexample under RFC 7519.
#[test]
fn the_property_mode_finds_nothing_in_the_reference() {
    use audcheck::run::{FuzzConfig, fuzz};
    for seed in 1..=3 {
        let config = FuzzConfig::new(FuzzConfig::DEFAULT_CASES, seed, vec![Profile::Rfc7519]);
        let run = fuzz(&Planted::reference(), audcheck::token::Keys::test(), common::clock(), &config).unwrap();
        assert!(run.counterexamples.is_empty(), "seed {seed}: {:#?}", run.counterexamples);
    }
}

