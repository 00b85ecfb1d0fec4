//! Turns one target's run into its report.

use super::{Attribution, CapabilitiesSection, Evidence, FORMAT, Report, ResultRow, RunMeta, TargetSection, TwinEvidence};
use crate::model::{Expectation, Outcome, Profile};
use crate::run::{Attempt, CaseResult, Prepared, TargetRun};
use crate::suite::Payload;
use serde_json::Value;
use std::collections::BTreeMap;

pub fn build(run: &TargetRun, prepared: &[Prepared], profiles: &[Profile], meta: RunMeta) -> Report {
    let id = &run.identity;
    let mut results: Vec<ResultRow> = prepared.iter().zip(&run.results).map(|(p, r)| row(p, r, profiles)).collect();
    results.sort_by(|a, b| a.id.cmp(&b.id));
    let mut summary: BTreeMap<Profile, BTreeMap<Outcome, usize>> = profiles
        .iter()
        .map(|&p| (p, Outcome::ALL.iter().map(|&o| (o, 0)).collect()))
        .collect();
    for r in &results {
        for (p, o) in &r.outcomes {
            *summary.entry(*p).or_default().entry(*o).or_default() += 1;
        }
    }
    Report {
        format: FORMAT.into(),
        target: TargetSection {
            name: id.name.clone(),
            library: id.library.clone(),
            version: id.version.clone(),
            language: id.language.clone(),
            transport: id.transport.clone(),
            options: id.options.clone(),
            capabilities: CapabilitiesSection {
                algorithms: id.capabilities.algorithms.clone(),
                audience: id.capabilities.audience,
                no_audience: id.capabilities.no_audience,
                fixed_audience: id.capabilities.fixed_audience.clone(),
                issuer: id.capabilities.issuer.clone(),
            },
            misuse: id.misuse,
            trusted: run.trusted,
            untrusted_because: run.untrusted_because.clone(),
            bug: None,
        },
        profiles: profiles.to_vec(),
        summary,
        results,
        fuzz: None,
        remediation: BTreeMap::new(),
        run: meta,
    }
}

fn row(p: &Prepared, result: &CaseResult, profiles: &[Profile]) -> ResultRow {
    let (attempt, outcomes) = (&result.attempt, &result.outcomes);
    let case = &p.case;
    let twin = result.twin.as_ref().map(|t| {
        let mut elided = false;
        let aud = p.twin.as_ref().and_then(|t| t.token.payload()).and_then(|c| c.get("aud").map(|a| elide(a, &mut elided)));
        match t {
            Attempt::Verdict(v) => TwinEvidence { aud, verdict: Some(v.clone()), detail: None },
            Attempt::Skipped(why) => TwinEvidence { aud, verdict: None, detail: Some(why.clone()) },
            Attempt::Failed(f) => TwinEvidence { aud, verdict: None, detail: Some(f.to_string()) },
        }
    });
    let judged_rejection = matches!(attempt, Attempt::Verdict(v) if !v.accepted) && (p.control || profiles.iter().any(|pr| case.expectation(*pr) == Expectation::Reject));
    // The twin decided when it was accepted, or rejected where a judged profile requires it accepted.
    let must = p.twin.as_ref().is_some_and(|t| profiles.iter().any(|pr| t.must_accept.contains(pr)));
    let decided = twin.as_ref().and_then(|t| t.verdict.as_ref()).is_some_and(|v| v.accepted || must);
    let attribution = judged_rejection.then_some(if decided { Attribution::Twin } else { Attribution::ReasonClass });
    let (verdict, detail, failure) = match attempt {
        Attempt::Verdict(v) => (Some(v.clone()), None, None),
        Attempt::Skipped(why) => (None, Some(why.clone()), None),
        Attempt::Failed(f) => (None, Some(f.to_string()), Some(f.kind())),
    };
    let aud_chars = match &case.payload {
        Payload::Claims { claims, .. } => claims.get("aud").filter(|a| {
            let mut cut = false;
            elide(a, &mut cut);
            cut
        }),
        Payload::Raw(_) => None,
    }
    .map(|a| super::show_json(a).chars().count());
    let (claims, payload_raw, clock_claims, elided) = match &case.payload {
        Payload::Claims { claims, remove } => {
            let mut elided = false;
            let shown: serde_json::Map<String, Value> = claims.iter().map(|(k, v)| (k.clone(), elide(v, &mut elided))).collect();
            let added = ["iat", "nbf", "exp"]
                .iter()
                .filter(|n| !claims.contains_key(**n) && !remove.iter().any(|r| r == *n))
                .map(|n| n.to_string())
                .collect();
            (Some(shown), None, added, elided)
        }
        Payload::Raw(text) => {
            let mut elided = false;
            let text = match elide(&Value::String(text.clone()), &mut elided) {
                Value::String(t) => t,
                _ => unreachable!("a string elides to a string"),
            };
            (None, Some(text), Vec::new(), elided)
        }
    };
    ResultRow {
        id: case.id.clone(),
        family: case.family.clone(),
        title: case.title.clone(),
        importance: case.importance,
        spec: case.spec.clone(),
        verdict,
        detail,
        failure,
        attribution,
        outcomes: outcomes.clone(),
        expect: profiles.iter().map(|&pr| (pr, case.expectation(pr))).collect(),
        expected_reason: case.reason,
        evidence: Evidence {
            claims,
            payload_raw,
            clock_claims,
            elided,
            aud_chars,
            header: p.token.header.clone(),
            twin,
            audience: case.audience.clone(),
            issuer: case.issuer.clone(),
            alg: case.alg,
            key: case.key,
        },
    }
}

/// Longest string and array kept whole in evidence; longer ones are cut, and the case in
/// its suite holds the whole value.
const MAX_STRING: usize = 512;
const MAX_MEMBERS: usize = 64;

fn elide(v: &Value, elided: &mut bool) -> Value {
    match v {
        Value::String(s) if s.chars().count() > MAX_STRING => {
            *elided = true;
            let n = s.chars().count();
            Value::String(format!("{}…(+{} chars)", s.chars().take(MAX_STRING / 4).collect::<String>(), n - MAX_STRING / 4))
        }
        Value::Array(a) if a.len() > MAX_MEMBERS => {
            *elided = true;
            let keep = MAX_MEMBERS / 2;
            let mut out: Vec<Value> = a[..keep].iter().map(|m| elide(m, elided)).collect();
            out.push(Value::String(format!("…(+{} members)…", a.len() - keep - 1)));
            out.push(elide(&a[a.len() - 1], elided));
            Value::Array(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|m| elide(m, elided)).collect()),
        Value::Object(o) => Value::Object(o.iter().map(|(k, m)| (k.clone(), elide(m, elided))).collect()),
        other => other.clone(),
    }
}
