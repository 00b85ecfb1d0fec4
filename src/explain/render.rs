//! `explain`'s text: the decoded token, its findings, what each profile requires, and how
//! the targets in a folder of reports behave on such tokens.

use super::{Explanation, Finding};
use crate::model::{Expectation, Family, Profile};
use crate::report::{Report, ResultRow, show_json, verdict_text};
use serde_json::{Value, json};
use std::fmt::Write;

/// The whole explanation; `reports` (from `reports_dir`) say how targets behave.
pub fn render(e: &Explanation, reports: &[Report], reports_dir: &str) -> String {
    let mut s = String::from("Decoded locally: the signature is not checked and the token is sent nowhere.\n\n");
    let _ = writeln!(s, "header: {}", show_json(&Value::Object(e.header.clone())));
    let _ = writeln!(s, "claims: {}\n", show_json(&Value::Object(e.claims.clone())));
    let _ = writeln!(s, "aud:      {}", e.aud().map(show_json).unwrap_or_else(|| "(absent)".into()));
    let _ = writeln!(s, "expected: {}\n", if e.audience.is_empty() { "(none: give --audience)".into() } else { show_json(&json!(e.audience)) });
    s.push_str("Findings:\n");
    for f in &e.findings {
        let _ = writeln!(s, "- {}", finding(f));
    }
    s.push_str("\nWhat each profile requires of this token (docs/profiles.md):\n");
    // Profiles that say the same for the same reason share a line.
    let mut lines: Vec<(Vec<&str>, Expectation, &str)> = Vec::new();
    for (p, x, why) in &e.profiles {
        match lines.iter_mut().find(|(_, y, w)| y == x && w == why) {
            Some(line) => line.0.push(p.as_str()),
            None => lines.push((vec![p.as_str()], *x, why)),
        }
    }
    for (ps, x, why) in lines {
        let _ = writeln!(s, "- {}: {x}: {why}", ps.join(", "));
    }
    s.push('\n');
    s.push_str(&targets(e, reports, reports_dir));
    s
}

fn q(v: &str) -> String {
    show_json(&Value::String(v.to_string()))
}

fn finding(f: &Finding) -> String {
    match f {
        Finding::Match(v) => format!("match: {} is an expected audience", q(v)),
        Finding::Missing => "missing: the token has no aud claim".into(),
        Finding::NotString(t) => format!("not a string: aud is {t}, not a string or an array of strings"),
        Finding::EmptyString => "empty: an empty string identifies no recipient".into(),
        Finding::EmptyArray => "empty: aud is an empty array".into(),
        Finding::NonStringMember(i, t) => format!("not a string: member {i} of aud is {t}"),
        Finding::ArrayWithoutExpected => "array without the expected audience: no member is an expected audience".into(),
        Finding::NearMiss { got, want, misses } => {
            let what: Vec<&str> = misses.iter().map(|m| m.describe()).collect();
            format!("NEAR MISS: {} differs from the expected {} only by {}", q(got), q(want), what.join(", and by "))
        }
        Finding::Unrelated(v) => format!("another audience: {} resembles no expected audience", q(v)),
        Finding::NothingExpected => "no expected audience given: a validator that expects none must reject any token with aud".into(),
    }
}

/// How the targets in the reports behave: on the very case if a report holds this token's
/// audience and expected audiences, else on the cases of the same families.
fn targets(e: &Explanation, reports: &[Report], dir: &str) -> String {
    let mut s = String::new();
    if reports.is_empty() {
        let _ = writeln!(s, "No reports in {dir}/ to say how the shipped targets behave (run `audcheck run`, or give --reports).");
        return s;
    }
    let configured = (!e.audience.is_empty()).then(|| e.audience.clone());
    let same = |r: &ResultRow| r.evidence.claims.as_ref().is_some_and(|c| c.get("aud") == e.aud()) && r.evidence.audience == configured && !r.id.starts_with("control/");
    if let Some(case) = reports[0].results.iter().find(|r| same(r)).map(|r| r.id.clone()) {
        let _ = writeln!(s, "The shipped targets on case `{case}`, the same aud and expected audiences ({dir}/):");
        for r in reports {
            if let Some(row) = r.results.iter().find(|x| x.id == case) {
                let o = row.outcomes.get(&Profile::Rfc7519).map(|o| o.as_str()).unwrap_or("-");
                let _ = writeln!(s, "  {:<44} {:<22} (rfc7519: {o})", r.target.name, verdict_text(row));
            }
        }
        return s;
    }
    let families = e.families();
    let names: Vec<&str> = families.iter().map(Family::as_str).collect();
    let _ = writeln!(s, "The shipped targets on the suites' cases like this token, families {} ({dir}/):", names.join(", "));
    for r in reports {
        let cells: Vec<String> = families.iter().map(|f| family_cell(r, f)).collect();
        let _ = writeln!(s, "  {:<44} {}", r.target.name, cells.join("; "));
    }
    s
}

/// "f: accepts 3 of 9 that must be rejected" (or of those that must be accepted).
fn family_cell(r: &Report, family: &Family) -> String {
    let rows: Vec<&ResultRow> = r.results.iter().filter(|x| &x.family == family).collect();
    let of = |want: Expectation| rows.iter().filter(|x| x.expect.get(&Profile::Rfc7519) == Some(&want)).collect::<Vec<_>>();
    let (reject, accept) = (of(Expectation::Reject), of(Expectation::Accept));
    let accepted = |v: &[&&ResultRow]| v.iter().filter(|x| x.verdict.as_ref().is_some_and(|v| v.accepted)).count();
    if !reject.is_empty() {
        let n = accepted(&reject);
        let verb = if n == 0 { "accepts" } else { "ACCEPTS" };
        format!("{family}: {verb} {n} of {} that must be rejected", reject.len())
    } else if !accept.is_empty() {
        format!("{family}: accepts {} of {} that must be accepted", accepted(&accept), accept.len())
    } else {
        format!("{family}: no such cases")
    }
}
