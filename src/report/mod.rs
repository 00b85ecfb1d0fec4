//! Reports: the JSON report (contract `audcheck-report/1`) and its Markdown rendering.
//! Deterministic: results sorted by id; everything that changes per run lives in `run`.

mod baseline;
mod bugs;
mod build;
mod diff;
mod fuzz;
mod html;
mod junit;
mod markdown;
mod matrix;
mod read;
mod releases;
mod spec;
mod stable;
mod write;

pub use baseline::baseline_for;
pub use bugs::{Change, Reproduction, bugs_markdown, reproductions};
pub use build::build;
pub use fuzz::{CounterexampleRow, FuzzSection, fuzz_markdown, fuzz_section};
pub use diff::{CaseChange, ChangeKind, Diff, diff, diff_markdown, verdict_shown, verdict_text};
pub use html::html;
pub use junit::junit;
pub use markdown::{markdown, step_summary};
pub use matrix::matrix_markdown;
pub use read::{ReadError, read, read_dir};
pub use spec::spec_link;
pub use stable::{Stabilizer, stabilize};
pub use write::{Format, WriteError, Writer, merge, write_atomic, write_index};

use crate::model::{Alg, AudienceMode, Expectation, Family, FailureKind, Importance, KeyChoice, Outcome, Profile, Reason};
use crate::remediation::Advice;
use crate::validator::Verdict;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub const FORMAT: &str = "audcheck-report/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub target: TargetSection,
    pub profiles: Vec<Profile>,
    pub summary: BTreeMap<Profile, BTreeMap<Outcome, usize>>,
    pub results: Vec<ResultRow>,
    /// Counterexamples of the property mode, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuzz: Option<FuzzSection>,
    /// What to change in the library, for the failing families its adapter has advice on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub remediation: BTreeMap<Family, Advice>,
    pub run: RunMeta,
}

/// Who the target is. The report's own type: a change elsewhere cannot change the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSection {
    pub name: String,
    pub library: String,
    pub version: String,
    pub language: String,
    pub transport: String,
    pub options: Value,
    pub capabilities: CapabilitiesSection,
    /// The target models a documented misuse (say, audiences as unanchored RegExp).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub misuse: bool,
    pub trusted: bool,
    /// The controls that failed, when `trusted` is false.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub untrusted_because: Vec<String>,
    /// The published bug this release reproduces, as its manifest names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bug: Option<crate::model::PublishedBug>,
}

/// What the target could be asked to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapabilitiesSection {
    pub algorithms: Vec<Alg>,
    pub audience: AudienceMode,
    /// Whether it ran with no expected audience configured (a service may not).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub no_audience: bool,
    /// A running service's fixed expected audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_audience: Option<Vec<String>>,
    /// The issuer the tokens carried, when the target fixed one (say, `run --issuer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    pub id: String,
    pub family: Family,
    pub title: String,
    pub importance: Importance,
    pub spec: Vec<String>,
    /// Absent when the target gave no verdict (skipped, error, hang); `detail` says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// With no verdict for a failure (error, hang): which part failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureKind>,
    /// How a rejection the profiles judge was laid to its cause: by the twin (the same token
    /// with an acceptable `aud`, in `evidence.twin`) or, where no twin could be made, by the
    /// reason class the library gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    pub outcomes: BTreeMap<Profile, Outcome>,
    pub expect: BTreeMap<Profile, Expectation>,
    /// The reason class a rejection should give.
    pub expected_reason: Reason,
    pub evidence: Evidence,
}

impl ResultRow {
    /// A control (wrong key, expired, wrong issuer, the valid token): whether the target
    /// can be trusted at all, not a case of its audience check.
    pub fn is_control(&self) -> bool {
        self.id.starts_with("control/")
    }
}

/// A report's outcomes counted in cases, the controls apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Cases other than controls.
    pub cases: usize,
    /// Each case once, under its worst outcome over the profiles.
    pub cases_by: BTreeMap<Outcome, usize>,
    /// Case x profile results.
    pub results_by: BTreeMap<Outcome, usize>,
    pub controls: usize,
    pub controls_passed: usize,
}

impl Counts {
    /// "bypass 29 cases, false-reject 3 cases (case x profile results: bypass 63,
    /// false-reject 5)"; "no failure" when there is none.
    pub fn failures_text(&self) -> String {
        let failing: Vec<Outcome> = Outcome::ALL.iter().copied().filter(|o| o.is_failure() && self.cases_by.get(o).is_some_and(|n| *n > 0)).collect();
        if failing.is_empty() {
            return "no failure".into();
        }
        let cases: Vec<String> = failing.iter().map(|o| format!("{} {} case{}", o.as_str(), self.cases_by[o], if self.cases_by[o] == 1 { "" } else { "s" })).collect();
        let results: Vec<String> = failing.iter().map(|o| format!("{} {}", o.as_str(), self.results_by.get(o).copied().unwrap_or(0))).collect();
        format!("{} (case x profile results: {})", cases.join(", "), results.join(", "))
    }

    /// "controls 4 of 4 passed".
    pub fn controls_text(&self) -> String {
        format!("controls {} of {} passed", self.controls_passed, self.controls)
    }
}

/// What the token and the validator input were; time claims the clock added are named
/// in `clock_claims`, their values are in `run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_raw: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clock_claims: Vec<String>,
    /// Whether long strings or arrays were cut; the case in its suite has them whole.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub elided: bool,
    /// When `aud` was cut: the length in characters of the whole `aud` as shown (JSON text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud_chars: Option<usize>,
    pub header: Map<String, Value>,
    /// The twin sent because the case was rejected, and what the target did with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin: Option<TwinEvidence>,
    pub audience: Option<Vec<String>>,
    pub issuer: Option<String>,
    pub alg: Alg,
    pub key: KeyChoice,
}

/// How a judged rejection was attributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribution {
    /// The twin's verdict decided: accepted, the rejection was the audience's; rejected,
    /// it was for something else (wrong-reason).
    Twin,
    /// No twin verdict: the reason class decided.
    ReasonClass,
}

/// A case's twin as sent, and the target's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwinEvidence {
    /// The twin's `aud` (left out: the twin has no `aud`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Why there is no verdict (the twin failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What the run was. Byte-stable: `started` is empty and `duration_ms` 0 in the reports a
/// run writes (the times, the clock and the host are in the run log beside them, which is
/// not committed); reports written before that hold them here, and still read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    pub started: String,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_now: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    pub audcheck_version: String,
    pub suites: Vec<String>,
}

impl Report {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a report serializes");
        s.push('\n');
        s
    }

    /// Outcomes counted in cases (each case once, under its worst outcome over the
    /// report's profiles) and in case x profile results, with the controls apart.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for row in &self.results {
            if row.is_control() {
                c.controls += 1;
                c.controls_passed += usize::from(row.outcomes.values().all(|o| !o.is_failure()));
                continue;
            }
            c.cases += 1;
            *c.cases_by.entry(matrix::worst(row, &self.profiles)).or_default() += 1;
            for o in row.outcomes.values() {
                *c.results_by.entry(*o).or_default() += 1;
            }
        }
        c
    }

    /// Families with a failing case (controls aside), with the failure outcomes found in
    /// each and the profiles they occur under.
    pub fn failing_families(&self) -> BTreeMap<Family, BTreeMap<Outcome, Vec<Profile>>> {
        let mut out: BTreeMap<Family, BTreeMap<Outcome, Vec<Profile>>> = BTreeMap::new();
        for row in self.results.iter().filter(|r| !r.is_control()) {
            for (p, o) in row.outcomes.iter().filter(|(_, o)| o.is_failure()) {
                let ps = out.entry(row.family.clone()).or_default().entry(*o).or_default();
                if !ps.contains(p) {
                    ps.push(*p);
                    ps.sort();
                }
            }
        }
        out
    }

    /// Anomalies under the report's profiles.
    pub fn failures(&self) -> usize {
        let cases: usize = self.summary.values().flat_map(|m| m.iter()).filter(|(o, _)| o.is_failure()).map(|(_, n)| n).sum();
        cases + self.fuzz.as_ref().map_or(0, |f| f.counterexamples.len())
    }
}

/// The `aud` a result's token carried, as shown to people: JSON with invisible
/// characters escaped, "(absent)", or "(raw payload)".
pub fn shown_aud(e: &Evidence) -> String {
    match (&e.claims, &e.payload_raw) {
        (Some(c), _) => c.get("aud").map(show_json).unwrap_or_else(|| "(absent)".into()),
        (None, Some(_)) => "(raw payload)".into(),
        _ => "(absent)".into(),
    }
}

/// JSON text with every character that is hard to see (controls, format and
/// non-ASCII whitespace, combining marks) written as an escape.
pub fn show_json(v: &Value) -> String {
    v.to_string()
        .chars()
        .flat_map(|c| {
            let visible = c == ' ' || matches!(c, '"' | '\\' | '\'') || (!c.is_whitespace() && c.escape_debug().count() == 1);
            if visible { vec![c] } else { c.escape_unicode().collect() }
        })
        .collect()
}

/// A report of a target that ran nothing, for the report modules' unit tests.
#[cfg(test)]
pub(crate) fn empty_report(name: &str) -> Report {
    Report {
        format: FORMAT.into(),
        target: TargetSection {
            name: name.into(),
            library: "l".into(),
            version: "1".into(),
            language: "rust".into(),
            transport: "in-process".into(),
            options: serde_json::json!({}),
            capabilities: CapabilitiesSection { algorithms: vec![Alg::RS256], audience: AudienceMode::AnyOf, no_audience: true, fixed_audience: None, issuer: None },
            misuse: false,
            trusted: true,
            untrusted_because: vec![],
            bug: None,
        },
        profiles: vec![],
        summary: Default::default(),
        results: vec![],
        remediation: Default::default(),
        fuzz: None,
        run: RunMeta::default(),
    }
}
