//! The version matrix: one adapter run against several releases of its library. Releases
//! are targets named `<target>@<version>` beside `<target>` (the pinned, current one); the
//! matrix shows the cases whose verdict differs from release to release.

use super::{Report, ResultRow, verdict_text};
use super::matrix::{failure_counts, worst};
use crate::model::Outcome;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The target a release belongs to: `node-jsonwebtoken@8.5.1` -> `node-jsonwebtoken`.
pub fn base_name(target: &str) -> &str {
    target.split_once('@').map_or(target, |(b, _)| b)
}

/// Groups of two or more reports of one target at different releases, oldest first.
pub fn release_groups(reports: &[Report]) -> Vec<Vec<&Report>> {
    let mut groups: BTreeMap<&str, Vec<&Report>> = BTreeMap::new();
    for r in reports {
        groups.entry(base_name(&r.target.name)).or_default().push(r);
    }
    let mut out: Vec<Vec<&Report>> = groups.into_values().filter(|g| g.len() > 1 && g.iter().any(|r| r.target.name.contains('@'))).collect();
    for g in &mut out {
        g.sort_by_key(|r| version_key(&r.target.version));
    }
    out
}

/// Numeric parts compare as numbers: 9.0.3 < 10.1.0.
fn version_key(v: &str) -> Vec<(u64, String)> {
    v.split(['.', '-', '+']).map(|p| (p.parse().unwrap_or(u64::MAX), p.to_string())).collect()
}

/// One row per case whose verdict or worst outcome differs across the releases.
pub struct ReleaseRow<'a> {
    pub id: &'a str,
    pub cells: Vec<Option<(&'a ResultRow, Outcome)>>,
}

pub fn changed_rows<'a>(group: &[&'a Report]) -> Vec<ReleaseRow<'a>> {
    let mut ids: Vec<&str> = group.iter().flat_map(|r| r.results.iter().map(|x| x.id.as_str())).collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter_map(|id| {
            let cells: Vec<Option<(&ResultRow, Outcome)>> =
                group.iter().map(|r| r.results.iter().find(|x| x.id == id).map(|x| (x, worst(x, &r.profiles)))).collect();
            let first = cells[0].map(|(x, o)| (verdict_text(x), o));
            let same = cells.iter().all(|c| c.map(|(x, o)| (verdict_text(x), o)) == first);
            (!same).then_some(ReleaseRow { id, cells })
        })
        .collect()
}

/// Counts of failures over all profiles, as in the matrix: "B 3 · FR 1" or "ok".
fn totals(r: &Report) -> String {
    failure_counts(&r.results.iter().collect::<Vec<_>>(), &r.profiles)
}

pub fn releases_markdown(reports: &[Report]) -> String {
    let groups = release_groups(reports);
    if groups.is_empty() {
        return String::new();
    }
    let mut s = String::from("## Across releases\n\nThe same adapter against several releases of its library; only the cases whose verdict changed are listed (worst outcome over all profiles in brackets).\n\n");
    for g in groups {
        let versions: Vec<String> = g.iter().map(|r| format!("{} {}", r.target.library, r.target.version)).collect();
        let _ = writeln!(s, "### {}: {}\n", base_name(&g[0].target.name), versions.join(" → "));
        s.push_str("| case |");
        for r in &g {
            let _ = write!(s, " [{}]({}.md) |", r.target.version, r.target.name);
        }
        s.push_str("\n|---|");
        s.push_str(&"---|".repeat(g.len()));
        s.push_str("\n| *failures* |");
        for r in &g {
            let _ = write!(s, " *{}* |", totals(r));
        }
        s.push('\n');
        let rows = changed_rows(&g);
        for row in &rows {
            let _ = write!(s, "| `{}` |", row.id);
            for c in &row.cells {
                let text = c.map(|(x, o)| if o.is_failure() { format!("{} (**{o}**)", verdict_text(x)) } else { format!("{} ({o})", verdict_text(x)) });
                let _ = write!(s, " {} |", text.unwrap_or_else(|| "(no such case)".into()));
            }
            s.push('\n');
        }
        let _ = writeln!(s, "\n{} of {} cases changed.\n", rows.len(), g[0].results.len());
    }
    s
}
