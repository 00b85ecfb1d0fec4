//! The matrix over many reports (reports/README.md): targets by profile and by family,
//! then the worst anomalies across targets, then the published bugs the release targets
//! reproduce and how verdicts changed across releases.

use super::markdown::cell;
use super::{Report, ResultRow, releases};
use crate::model::{Family, Importance, Outcome, Profile};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Failure outcomes with their short marks, worst first.
pub const MARKS: [(Outcome, &str); 5] =
    [(Outcome::Bypass, "B"), (Outcome::FalseReject, "FR"), (Outcome::WrongReason, "WR"), (Outcome::Error, "E"), (Outcome::Hang, "H")];

/// The worst outcome of a case over the given profiles: a failure if any, else pass or
/// info, else skipped.
pub fn worst(row: &ResultRow, profiles: &[Profile]) -> Outcome {
    let os: Vec<Outcome> = profiles.iter().filter_map(|p| row.outcomes.get(p).copied()).collect();
    MARKS
        .iter()
        .map(|(o, _)| *o)
        .chain([Outcome::Pass, Outcome::Info])
        .find(|o| os.contains(o))
        .unwrap_or(Outcome::Skipped)
}

/// Counts of failures as "B 3 · FR 1"; "ok" when there are none, "–" when nothing ran.
pub(super) fn failure_counts(rows: &[&ResultRow], profiles: &[Profile]) -> String {
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for r in rows {
        *counts.entry(worst(r, profiles)).or_default() += 1;
    }
    let marks: Vec<String> = MARKS.iter().filter_map(|(o, m)| counts.get(o).map(|n| format!("{m} {n}"))).collect();
    match (marks.is_empty(), counts.keys().all(|o| *o == Outcome::Skipped)) {
        (true, true) => "–".into(),
        (true, false) => "ok".into(),
        (false, _) => marks.join(" · "),
    }
}

fn families(reports: &[Report]) -> Vec<Family> {
    let mut f: Vec<Family> = reports.iter().flat_map(|r| r.results.iter().map(|x| x.family.clone())).collect();
    f.sort();
    f.dedup();
    f
}

fn target_cell(r: &Report) -> String {
    let t = &r.target;
    let trust = if t.trusted { "" } else { " **(untrusted)**" };
    let misuse = if t.misuse { " *(documented misuse)*" } else { "" };
    format!("[{}]({}.md){trust}{misuse}", t.name, t.name)
}

/// reports/README.md.
pub fn matrix_markdown(reports: &[Report]) -> String {
    let mut s = String::from("# audcheck: all targets\n\n");
    s.push_str(
        "Each target is one validator library configured one way, run on the standard suites. \
         Cells count the cases with a failure: **B** bypass (a token that must be rejected was accepted), \
         **FR** false reject, **WR** wrong reason, **E** error, **H** hang; `ok`: none; `–`: nothing ran. \
         Counts are in cases (a case counts once in a cell, under its worst outcome); the controls are apart: a target that fails one is marked untrusted. \
         Per-target reports: the links. Browse and filter: [index.html](index.html). \
         Regenerate: `cargo run --release -- run`.\n\n",
    );
    profile_uses(&mut s);
    by_profile(&mut s, reports);
    by_family(&mut s, reports);
    worst_anomalies(&mut s, reports);
    s.push_str(&super::bugs_markdown(reports));
    s.push_str(&releases::releases_markdown(reports));
    s
}

/// Targets configured as documented, then (apart, under a note) those that model a
/// documented misuse: their failures are the misuse's, not the library's.
fn apart<'a>(s: &mut String, reports: &'a [Report], table: impl Fn(&mut String, &[&'a Report])) {
    let (misuses, documented): (Vec<&Report>, Vec<&Report>) = reports.iter().partition(|r| r.target.misuse);
    table(s, &documented);
    if !misuses.is_empty() {
        s.push_str("Configured as a documented misuse (not as the library's documentation tells users to), kept apart:\n\n");
        table(s, &misuses);
    }
}

/// Which profile fits which use: a result matters under the profile of the reader's use.
fn profile_uses(s: &mut String) {
    s.push_str("## Which profile fits your use\n\nRead the column of the profile that fits how you use tokens: a bypass under another profile may be right for your use (say, an array `aud` with an extra member is fine for an access token and a bypass for an ID token).\n\n| profile | used for |\n|---|---|\n");
    for p in Profile::ALL {
        let _ = writeln!(s, "| `{p}` | {} |", p.used_for());
    }
    s.push('\n');
}

fn by_profile(s: &mut String, reports: &[Report]) {
    s.push_str("## Targets by profile\n\n");
    apart(s, reports, profile_table);
}

fn profile_table(s: &mut String, reports: &[&Report]) {
    s.push_str("| target | library | lang |");
    for p in Profile::ALL {
        let _ = write!(s, " {p} |");
    }
    s.push_str("\n|---|---|---|");
    s.push_str(&"---|".repeat(Profile::ALL.len()));
    s.push('\n');
    for r in reports {
        let rows: Vec<&ResultRow> = r.results.iter().collect();
        let _ = write!(s, "| {} | {} {} | {} |", target_cell(r), r.target.library, r.target.version, r.target.language);
        for p in Profile::ALL {
            let c = if r.profiles.contains(p) { failure_counts(&rows, &[*p]) } else { "(not judged)".into() };
            let _ = write!(s, " {c} |");
        }
        s.push('\n');
    }
    s.push('\n');
}

fn by_family(s: &mut String, reports: &[Report]) {
    let fams = families(reports);
    s.push_str("## Targets by family (all profiles)\n\n");
    apart(s, reports, |s, group| family_table(s, group, &fams));
}

fn family_table(s: &mut String, reports: &[&Report], fams: &[Family]) {
    s.push_str("| target |");
    for f in fams {
        let _ = write!(s, " {f} |");
    }
    s.push_str("\n|---|");
    s.push_str(&"---|".repeat(fams.len()));
    s.push('\n');
    for r in reports {
        let _ = write!(s, "| {} |", target_cell(r));
        for f in fams {
            let rows: Vec<&ResultRow> = r.results.iter().filter(|x| &x.family == f).collect();
            let _ = write!(s, " {} |", failure_counts(&rows, &r.profiles));
        }
        s.push('\n');
    }
    s.push('\n');
}

/// Cases bypassed by trusted targets configured as documented, most important and most
/// widespread first, with the profiles under which accepting them is a bypass.
fn worst_anomalies(s: &mut String, reports: &[Report]) {
    let mut by_case: BTreeMap<&str, (&ResultRow, Vec<&str>, Vec<Profile>)> = BTreeMap::new();
    for r in reports.iter().filter(|r| r.target.trusted && !r.target.misuse) {
        for row in r.results.iter().filter(|x| worst(x, &r.profiles) == Outcome::Bypass) {
            let e = by_case.entry(&row.id).or_insert((row, Vec::new(), Vec::new()));
            e.1.push(&r.target.name);
            for (p, _) in row.outcomes.iter().filter(|(_, o)| **o == Outcome::Bypass) {
                if !e.2.contains(p) {
                    e.2.push(*p);
                }
            }
        }
    }
    let mut rows: Vec<(&ResultRow, Vec<&str>, Vec<Profile>)> = by_case.into_values().collect();
    rows.sort_by(|(a, x, _), (b, y, _)| (a.importance, std::cmp::Reverse(x.len()), &a.id).cmp(&(b.importance, std::cmp::Reverse(y.len()), &b.id)));
    let _ = writeln!(
        s,
        "## Worst anomalies\n\nCases bypassed by trusted targets configured as documented, critical first, then by how many targets accept the token ({} cases). \
         `profiles` says under which profiles accepting the token is a bypass: under the others it is allowed.\n",
        rows.len()
    );
    if rows.is_empty() {
        s.push_str("None.\n\n");
        return;
    }
    s.push_str("| importance | case | title | profiles | targets |\n|---|---|---|---|---|\n");
    for (row, targets, profiles) in rows.iter_mut().filter(|(r, _, _)| r.importance <= Importance::High) {
        profiles.sort();
        let ps: Vec<&str> = profiles.iter().map(|p| p.as_str()).collect();
        let _ = writeln!(s, "| {} | `{}` | {} | {} | {}: {} |", row.importance, row.id, cell(&row.title), ps.join(", "), targets.len(), targets.join(", "));
    }
    let rest = rows.iter().filter(|(r, _, _)| r.importance > Importance::High).count();
    if rest > 0 {
        let _ = writeln!(s, "\n{rest} more of medium or low importance: see the per-target reports or index.html.");
    }
    s.push('\n');
}
