//! `explain`'s text: the decoded token, its findings, what each profile requires, and how
//! the targets in a folder of reports behave on such tokens. Each value of the token is
//! shown once, long ones cut (see `show`).

use super::show::{self, MEMBERS, brief, quote};
use super::{Claims, Explanation, Finding, Header};
use crate::model::{Expectation, Family, Profile};
use crate::report::{Report, ResultRow, verdict_text};
use serde_json::{Value, json};
use std::fmt::Write;

/// Near misses listed before the other values of an array.
const NEAR: usize = 10;

/// The token decoded, nothing judged: header, claims, and `aud` with its shape.
pub fn render_decoded(header: &Header, claims: &Claims) -> String {
    let mut s = decoded(header, claims);
    for v in show::values(claims.get("aud")) {
        let _ = writeln!(s, "  {v}");
    }
    s.push_str("\nNothing judged: give --audience AUD (repeatable) to compare aud with the audiences your validator expects.\n");
    s
}

fn decoded(header: &Header, claims: &Claims) -> String {
    let mut s = String::from("Decoded locally: the signature is not checked and the token is sent nowhere.\n\n");
    let _ = writeln!(s, "header: {}", brief(&Value::Object(header.clone())));
    let _ = writeln!(s, "claims: {}\n", show::claims_line(claims));
    let _ = writeln!(s, "aud: {}", show::shape(claims.get("aud")));
    s
}

/// The whole explanation; `reports` (from `reports_dir`) say how targets behave.
pub fn render(e: &Explanation, reports: &[Report], reports_dir: &str) -> String {
    let mut s = decoded(&e.header, &e.claims);
    let _ = writeln!(s, "expected: {}\n", if e.audience.is_empty() { "none (a validator that expects no audience)".into() } else { brief(&json!(e.audience)) });
    s.push_str("Findings:\n");
    for line in findings(&e.findings) {
        let _ = writeln!(s, "- {line}");
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

/// The findings about `aud` as a whole, then its values: near misses first, then the rest
/// up to a few, then how many more of each kind.
fn findings(all: &[Finding]) -> Vec<String> {
    let (values, whole): (Vec<&Finding>, Vec<&Finding>) = all.iter().partition(|f| f.is_value());
    let mut out: Vec<String> = whole.into_iter().map(finding).collect();
    let (near, mut rest): (Vec<&Finding>, Vec<&Finding>) = values.into_iter().partition(|f| matches!(f, Finding::NearMiss { .. }));
    rest.sort_by_key(|f| !matches!(f, Finding::Match { .. })); // stable: matches first, then in order
    let shown: Vec<&Finding> = near.iter().take(NEAR).chain(rest.iter().take(MEMBERS)).copied().collect();
    out.extend(shown.iter().map(|f| finding(f)));
    let hidden: Vec<&Finding> = near.iter().skip(NEAR).chain(rest.iter().skip(MEMBERS)).copied().collect();
    if !hidden.is_empty() {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for k in hidden.iter().map(|f| kind(f)) {
            match kinds.iter_mut().find(|(x, _)| *x == k) {
                Some(x) => x.1 += 1,
                None => kinds.push((k, 1)),
            }
        }
        let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
        out.push(format!("and {} more members not listed: {}", hidden.len(), parts.join(", ")));
    }
    out
}

fn kind(f: &Finding) -> &'static str {
    match f {
        Finding::NearMiss { .. } => "near misses",
        Finding::Match { .. } => "matches",
        Finding::Unrelated { .. } => "other audiences",
        Finding::EmptyString(_) => "empty strings",
        _ => "non-strings",
    }
}

/// A value, with its position in an array.
fn value(at: &Option<usize>, v: &str) -> String {
    match at {
        Some(i) => format!("member {i} {}", quote(v)),
        None => quote(v),
    }
}

fn finding(f: &Finding) -> String {
    match f {
        Finding::Match { at, value: v } => format!("match: {} is an expected audience", value(at, v)),
        Finding::Missing => "missing: the token has no aud claim".into(),
        Finding::NotString(t) => format!("not a string: aud is {t}, not a string or an array of strings"),
        Finding::EmptyString(None) => "empty: an empty string identifies no recipient".into(),
        Finding::EmptyString(Some(i)) => format!("empty: member {i} is an empty string, which identifies no recipient"),
        Finding::EmptyArray => "empty: aud is an empty array".into(),
        Finding::NonStringMember(i, t) => format!("not a string: member {i} of aud is {t}"),
        Finding::ArrayWithoutExpected => "array without the expected audience: no member is an expected audience".into(),
        Finding::NearMiss { at, got, want, misses } => {
            let what: Vec<&str> = misses.iter().map(|m| m.describe()).collect();
            format!("NEAR MISS: {} differs from the expected {} only by {}", value(at, got), quote(want), what.join(", and by "))
        }
        Finding::Unrelated { at, value: v } => format!("another audience: {} resembles no expected audience", value(at, v)),
        Finding::NothingExpected => "no expected audience given: a validator that expects none must reject any token with aud".into(),
    }
}

/// Why a target's record is to be read apart: untrusted (a control failed) or a misuse.
fn mark(r: &Report) -> &'static str {
    match (r.target.trusted, r.target.misuse) {
        (false, _) => "  [UNTRUSTED: a control failed, its results prove nothing]",
        (true, true) => "  [misuse: models a documented misuse, not the library as documented]",
        (true, false) => "",
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
                let _ = writeln!(s, "  {:<44} {:<22} (rfc7519: {o}){}", r.target.name, verdict_text(row), mark(r));
            }
        }
        return s;
    }
    let families = e.families();
    let names: Vec<&str> = families.iter().map(Family::as_str).collect();
    let _ = writeln!(s, "The shipped targets on the suites' cases like this token, families {} ({dir}/):", names.join(", "));
    for r in reports {
        let cells: Vec<String> = families.iter().map(|f| family_cell(r, f)).collect();
        let _ = writeln!(s, "  {:<44} {}{}", r.target.name, cells.join("; "), mark(r));
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
