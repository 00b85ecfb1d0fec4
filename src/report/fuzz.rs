//! The property mode's section of a report.

use super::markdown::{cell, code_cell};
use super::show_json;
use crate::model::{Expectation, Family, FailureKind, Outcome, Profile};
use std::collections::BTreeMap;
use crate::run::{FuzzRun, probe_claims};
use crate::validator::Verdict;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuzzSection {
    pub seed: u64,
    pub cases: u32,
    /// Pairs with a verdict the oracle judged (of `cases`).
    #[serde(default)]
    pub judged: u32,
    /// Pairs without a verdict, by what failed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unjudged: BTreeMap<FailureKind, u32>,
    pub profiles: Vec<Profile>,
    pub counterexamples: Vec<CounterexampleRow>,
    /// Pairs on which the target gave no verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// One shrunk counterexample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CounterexampleRow {
    /// The kind of pair, such as `mutated:trailing-slash`.
    pub kind: String,
    pub family: Family,
    pub profile: Profile,
    pub outcome: Outcome,
    /// What the profile requires of this pair.
    pub expected: Expectation,
    pub verdict: Verdict,
    /// The token's claims (time claims left out); no `aud` key means no `aud` claim.
    pub claims: Value,
    /// The validator input.
    pub audience: Option<Vec<String>>,
    pub found_at: u32,
    pub shrink_steps: u32,
}

pub fn fuzz_section(run: &FuzzRun) -> FuzzSection {
    FuzzSection {
        seed: run.seed,
        cases: run.cases_run,
        judged: run.judged,
        unjudged: run.unjudged.clone(),
        profiles: run.profiles.clone(),
        counterexamples: run
            .counterexamples
            .iter()
            .map(|c| CounterexampleRow {
                kind: c.probe.label.clone(),
                family: c.probe.family(),
                profile: c.profile,
                outcome: c.outcome,
                expected: c.expected,
                verdict: c.verdict.clone(),
                claims: probe_claims(&c.probe),
                audience: c.probe.audience.clone(),
                found_at: c.found_at,
                shrink_steps: c.shrink_steps,
            })
            .collect(),
        errors: run.errors.clone(),
    }
}

/// The Markdown section for a report.
pub fn fuzz_markdown(f: &FuzzSection, target: &str) -> String {
    let mut out = String::from("## Property counterexamples\n\n");
    let profiles: Vec<&str> = f.profiles.iter().map(|p| p.as_str()).collect();
    let profile_args: String = profiles.iter().map(|p| format!(" --profile {p}")).collect();
    let _ = writeln!(
        out,
        "{} of {} generated pairs judged under {}, seed {}: {} counterexample{}{}. Replay: `audcheck fuzz --target {target}{profile_args} --cases {} --seed {}`\n",
        f.judged,
        f.cases,
        profiles.join(", "),
        f.seed,
        f.counterexamples.len(),
        if f.counterexamples.len() == 1 { "" } else { "s" },
        unjudged(f),
        f.cases,
        f.seed
    );
    if !f.counterexamples.is_empty() {
        out.push_str("| outcome | kind | aud | expected | profile requires | verdict |\n|---|---|---|---|---|---|\n");
        for c in &f.counterexamples {
            let aud = c.claims.get("aud").map(show_json).unwrap_or_else(|| "(absent)".into());
            let expected = c.audience.as_ref().map(|a| format!("`{}`", code_cell(&show_json(&json!(a))))).unwrap_or_else(|| "(none configured)".into());
            let verdict = if c.verdict.accepted { "accepted".to_string() } else { format!("rejected: {}", c.verdict.error.as_deref().unwrap_or("")) };
            let aud = if c.claims.get("aud").is_some() { format!("`{}`", code_cell(&aud)) } else { aud };
            let _ = writeln!(out, "| {} | {} | {aud} | {expected} | {} {} | {} |", c.outcome, c.kind, c.profile, c.expected, cell(&verdict));
        }
        out.push('\n');
    }
    for e in &f.errors {
        let _ = writeln!(out, "- no verdict: {}", cell(e));
    }
    out
}

/// "; no verdict on 12 pairs (crash 10, hang 2)", or nothing when every pair was judged.
fn unjudged(f: &FuzzSection) -> String {
    if f.unjudged.is_empty() {
        return String::new();
    }
    let n: u32 = f.unjudged.values().sum();
    let by: Vec<String> = f.unjudged.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!("; no verdict on {n} pair{} ({})", if n == 1 { "" } else { "s" }, by.join(", "))
}
