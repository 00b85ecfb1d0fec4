//! The property mode's section of a report, and counterexamples as a suite file.

use super::show_json;
use crate::generate::oracle;
use crate::model::{Expectation, Outcome, Profile};
use crate::run::{FuzzRun, probe_claims};
use crate::target::Verdict;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuzzSection {
    pub seed: u64,
    pub cases: u32,
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
    pub family: String,
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
        profiles: run.profiles.clone(),
        counterexamples: run
            .counterexamples
            .iter()
            .map(|c| CounterexampleRow {
                kind: c.probe.label.clone(),
                family: c.probe.family().into(),
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
        "{} generated pairs under {}, seed {}: {} counterexample{}. Replay: `audcheck fuzz --target {target}{profile_args} --cases {} --seed {}`\n",
        f.cases,
        profiles.join(", "),
        f.seed,
        f.counterexamples.len(),
        if f.counterexamples.len() == 1 { "" } else { "s" },
        f.cases,
        f.seed
    );
    if !f.counterexamples.is_empty() {
        out.push_str("| outcome | kind | aud | expected | profile requires | verdict |\n|---|---|---|---|---|---|\n");
        for c in &f.counterexamples {
            let aud = c.claims.get("aud").map(show_json).unwrap_or_else(|| "(absent)".into());
            let expected = c.audience.as_ref().map(|a| format!("`{}`", cell(&show_json(&json!(a))))).unwrap_or_else(|| "(none configured)".into());
            let verdict = if c.verdict.accepted { "accepted".to_string() } else { format!("rejected: {}", c.verdict.error.as_deref().unwrap_or("")) };
            let aud = if c.claims.get("aud").is_some() { format!("`{}`", cell(&aud)) } else { aud };
            let _ = writeln!(out, "| {} | {} | {aud} | {expected} | {} {} | {} |", c.outcome, c.kind, c.profile, c.expected, cell(&verdict));
        }
        out.push('\n');
    }
    for e in &f.errors {
        let _ = writeln!(out, "- no verdict: {}", cell(e));
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ").replace('`', "'")
}

/// Counterexamples as a suite file (`audcheck-suite/1`), so each becomes a regression case.
pub fn counterexample_suite(f: &FuzzSection, target: &str) -> Value {
    let slug: String = target.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' }).collect();
    let cases: Vec<Value> = f
        .counterexamples
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let aud = c.claims.get("aud");
            let mut profiles = serde_json::Map::new();
            let expect = oracle::expect(Profile::Rfc7519, aud, c.audience.as_deref());
            for p in Profile::ALL {
                let e = oracle::expect(*p, aud, c.audience.as_deref());
                if e != expect {
                    profiles.insert(p.to_string(), json!(e));
                }
            }
            let mut case = json!({
                "id": format!("fuzz/{slug}-{}-{}", f.seed, i + 1),
                "family": c.family,
                "title": format!("found by audcheck fuzz against {target}: {} ({} under {})", c.kind, c.outcome, c.profile),
                "spec": match (aud, c.family.as_str()) {
                    (None, _) => json!(["RFC8725-3.9-2"]),
                    (_, "type" | "empty") => json!(["RFC7519-4.1.3-5"]),
                    _ => json!(["RFC7519-4.1.3-2", "RFC7519-2-1"]),
                },
                "importance": if c.outcome == Outcome::Bypass { "critical" } else { "high" },
                "audience": c.audience,
                "expect": expect,
            });
            if let Some(aud) = aud {
                case["claims"] = json!({ "aud": aud });
            }
            if !profiles.is_empty() {
                case["profiles"] = Value::Object(profiles);
            }
            if aud.is_none() {
                case["reason"] = json!("missing-aud");
            }
            case
        })
        .collect();
    json!({
        "format": crate::suite::FORMAT,
        "name": format!("fuzz-{slug}"),
        "description": format!("Counterexamples found by `audcheck fuzz --target {target} --seed {}`; expectations from the oracle.", f.seed),
        "defaults": { "claims": { "iss": crate::run::ISSUER, "sub": "user-1" } },
        "cases": cases,
    })
}
