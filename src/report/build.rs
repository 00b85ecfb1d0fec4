//! Turns one target's run into its report.

use super::{Evidence, FORMAT, Report, ResultRow, RunMeta, TargetSection};
use crate::model::{Outcome, Profile};
use crate::run::{Attempt, Prepared, TargetRun};
use crate::suite::Payload;
use std::collections::BTreeMap;

pub fn build(run: &TargetRun, prepared: &[Prepared], profiles: &[Profile], meta: RunMeta) -> Report {
    let id = &run.identity;
    let mut results: Vec<ResultRow> = prepared.iter().zip(&run.results).map(|(p, r)| row(p, &r.attempt, &r.outcomes, profiles)).collect();
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
            capabilities: id.capabilities.clone(),
            trusted: run.trusted,
            untrusted_because: run.untrusted_because.clone(),
        },
        profiles: profiles.to_vec(),
        summary,
        results,
        run: meta,
    }
}

fn row(p: &Prepared, attempt: &Attempt, outcomes: &BTreeMap<Profile, Outcome>, profiles: &[Profile]) -> ResultRow {
    let case = &p.case;
    let (verdict, detail) = match attempt {
        Attempt::Verdict(v) => (Some(v.clone()), None),
        Attempt::Skipped(why) => (None, Some(why.clone())),
        Attempt::Failed(f) => (None, Some(f.to_string())),
    };
    let (claims, payload_raw, clock_claims) = match &case.payload {
        Payload::Claims { claims, remove } => {
            let added = ["iat", "nbf", "exp"]
                .iter()
                .filter(|n| !claims.contains_key(**n) && !remove.iter().any(|r| r == *n))
                .map(|n| n.to_string())
                .collect();
            (Some(claims.clone()), None, added)
        }
        Payload::Raw(text) => (None, Some(text.clone()), Vec::new()),
    };
    ResultRow {
        id: case.id.clone(),
        family: case.family.clone(),
        title: case.title.clone(),
        importance: case.importance,
        spec: case.spec.clone(),
        verdict,
        detail,
        outcomes: outcomes.clone(),
        expect: profiles.iter().map(|&pr| (pr, case.expectation(pr))).collect(),
        expected_reason: case.reason,
        evidence: Evidence {
            claims,
            payload_raw,
            clock_claims,
            header: p.token.as_ref().map(|t| t.header.clone()).unwrap_or_default(),
            audience: case.audience.clone(),
            issuer: case.issuer.clone(),
            alg: case.alg,
            key: case.key,
        },
    }
}
