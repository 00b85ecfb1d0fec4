//! The property mode against planted validators: each has one known audience bug, which
//! the default number of cases must find and shrink to a minimal counterexample.

mod common;

use audcheck::model::{Alg, AudienceMode, Outcome, Profile, Reason};
use audcheck::run::{Counterexample, FuzzConfig, fuzz};
use audcheck::validator::{Failure, Identity, Library, Request, Verdict};
use audcheck::token::{Clock, Keys};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

type Rule = fn(Option<&Value>, Option<&[String]>) -> bool;

/// A test-only validator: decodes `aud` and accepts by `rule`.
struct Planted {
    identity: Identity,
    rule: Rule,
}

impl Planted {
    fn new(name: &str, rule: Rule) -> Planted {
        Planted { identity: common::planted_identity(name, vec![Alg::HS256], AudienceMode::AnyOf), rule }
    }
}

impl Library for Planted {
    fn identity(&self) -> &Identity {
        &self.identity
    }
    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        let payload = URL_SAFE_NO_PAD.decode(r.token.split('.').nth(1).unwrap()).unwrap();
        let claims: Value = serde_json::from_slice(&payload).unwrap();
        Ok(if (self.rule)(claims.get("aud"), r.audience) { Verdict::accepted() } else { Verdict::rejected(Reason::Audience, "planted") })
    }
}

fn matches(s: &str, cfg: Option<&[String]>) -> bool {
    !s.is_empty() && cfg.is_some_and(|c| c.iter().any(|x| x == s))
}

/// Correct under RFC 8725: aud required, exact any-of match, malformed rejected.
fn reference(aud: Option<&Value>, cfg: Option<&[String]>) -> bool {
    by_member(aud, cfg, matches)
}

fn by_member(aud: Option<&Value>, cfg: Option<&[String]>, eq: fn(&str, Option<&[String]>) -> bool) -> bool {
    match aud {
        Some(Value::String(s)) => eq(s, cfg),
        Some(Value::Array(a)) if !a.is_empty() && a.iter().all(Value::is_string) => a.iter().any(|m| eq(m.as_str().unwrap(), cfg)),
        _ => false,
    }
}

fn run(rule: Rule, cases: u32) -> Vec<Counterexample> {
    let target = Planted::new("planted", rule);
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let config = FuzzConfig::new(cases, seed, vec![Profile::Rfc8725]);
    fuzz(&target, Keys::test(), Clock::system(), &config).unwrap().counterexamples
}

/// Finds a counterexample of the given outcome whose shape satisfies `minimal`.
fn finds(rule: Rule, outcome: Outcome, minimal: impl Fn(&Counterexample) -> bool) {
    let found = run(rule, FuzzConfig::DEFAULT_CASES);
    assert!(!found.is_empty(), "no counterexample");
    let shapes: Vec<String> = found.iter().map(|c| format!("{:?} aud={:?} cfg={:?}", c.outcome, c.probe.aud, c.probe.audience)).collect();
    assert!(found.iter().any(|c| c.outcome == outcome && minimal(c)), "no minimal {outcome}: {shapes:#?}");
}

fn single(c: &Counterexample) -> (&str, &str) {
    let cfg = c.probe.audience.as_ref().expect("an audience");
    assert_eq!(cfg.len(), 1, "shrunk to one expected audience");
    (c.probe.aud.as_ref().and_then(Value::as_str).unwrap_or("\u{0}"), cfg[0].as_str())
}

#[test]
fn reference_validator_has_no_counterexample() {
    let found = run(reference, 10_000);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn substring_match() {
    finds(|a, c| by_member(a, c, |s, cfg| cfg.is_some_and(|c| c.iter().any(|x| !x.is_empty() && s.contains(x.as_str())))), Outcome::Bypass, |c| {
        let (aud, cfg) = single(c);
        aud != cfg && aud.contains(cfg)
    });
}

#[test]
fn case_insensitive_match() {
    finds(|a, c| by_member(a, c, |s, cfg| cfg.is_some_and(|c| c.iter().any(|x| !x.is_empty() && x.to_lowercase() == s.to_lowercase()))), Outcome::Bypass, |c| {
        let (aud, cfg) = single(c);
        aud != cfg && aud.to_lowercase() == cfg.to_lowercase()
    });
}

#[test]
fn trailing_slash_normalization() {
    finds(|a, c| by_member(a, c, |s, cfg| cfg.is_some_and(|c| c.iter().any(|x| !x.is_empty() && x.trim_end_matches('/') == s.trim_end_matches('/')))), Outcome::Bypass, |c| {
        let (aud, cfg) = single(c);
        aud != cfg && aud.trim_end_matches('/') == cfg.trim_end_matches('/')
    });
}

fn strip_scheme(s: &str) -> &str {
    s.split_once("://").map(|(_, r)| r).unwrap_or(s)
}

#[test]
fn scheme_stripping() {
    finds(|a, c| by_member(a, c, |s, cfg| cfg.is_some_and(|c| c.iter().any(|x| !x.is_empty() && strip_scheme(x) == strip_scheme(s)))), Outcome::Bypass, |c| {
        let (aud, cfg) = single(c);
        aud != cfg && strip_scheme(aud) == strip_scheme(cfg)
    });
}

#[test]
fn accepting_a_missing_aud() {
    finds(|a, c| a.is_none() || reference(a, c), Outcome::Bypass, |c| c.probe.aud.is_none());
}

#[test]
fn only_the_first_array_member_checked() {
    finds(
        |a, c| match a {
            Some(Value::Array(m)) if !m.is_empty() && m.iter().all(Value::is_string) => matches(m[0].as_str().unwrap(), c),
            _ => reference(a, c),
        },
        Outcome::FalseReject,
        |c| {
            let (_, cfg) = (c.probe.aud.as_ref(), c.probe.audience.as_ref().unwrap());
            let m = c.probe.aud.as_ref().and_then(Value::as_array).expect("an array");
            m.len() == 2 && cfg.len() == 1 && !matches(m[0].as_str().unwrap(), Some(cfg)) && matches(m[1].as_str().unwrap(), Some(cfg))
        },
    );
}

/// Numbers become strings and nested arrays are flattened before comparing.
fn lenient(aud: Option<&Value>, cfg: Option<&[String]>) -> bool {
    fn flat(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Array(a) => a.iter().for_each(|m| flat(m, out)),
            Value::String(s) => out.push(s.clone()),
            Value::Number(n) => out.push(n.to_string()),
            _ => {}
        }
    }
    let mut members = vec![];
    if let Some(v) = aud {
        flat(v, &mut members);
    }
    members.iter().any(|m| matches(m, cfg))
}

#[test]
fn numbers_stringified_and_arrays_flattened() {
    finds(lenient, Outcome::Bypass, |c| {
        let aud = c.probe.aud.as_ref().unwrap();
        c.probe.audience.as_ref().unwrap().len() == 1
            && (aud.is_number() || aud.as_array().is_some_and(|a| a.len() == 1 && a[0].is_array()))
    });
}

#[test]
fn all_of_instead_of_any_of() {
    finds(
        |a, c| {
            let members: Vec<&str> = match a {
                Some(Value::String(s)) => vec![s],
                Some(Value::Array(m)) if !m.is_empty() && m.iter().all(Value::is_string) => m.iter().map(|v| v.as_str().unwrap()).collect(),
                _ => return false,
            };
            c.is_some_and(|c| !c.is_empty() && c.iter().all(|x| !x.is_empty() && members.contains(&x.as_str())))
        },
        Outcome::FalseReject,
        |c| {
            let cfg = c.probe.audience.as_ref().unwrap();
            cfg.len() == 2 && c.probe.aud.as_ref().and_then(Value::as_str).is_some_and(|s| cfg.iter().any(|x| x == s))
        },
    );
}
