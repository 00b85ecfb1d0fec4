//! Differences between two reports of the same target: what a release or a change of
//! configuration did to its verdicts. New bypasses come first, since they are what a
//! regression test is for.

use super::{Report, ResultRow};
use crate::model::{Outcome, Profile};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// How one case changed, most serious first (the order of the variants is the order shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A profile now judges the case a bypass that it did not before.
    NewBypass,
    /// Another failure appeared (false reject, wrong reason, error, hang).
    NewFailure,
    /// A failure went away.
    Fixed,
    /// The verdict changed without changing any outcome (say, another reason class).
    Changed,
    /// The case is only in the newer report.
    Added,
    /// The case is only in the older report.
    Removed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseChange {
    pub kind: ChangeKind,
    pub id: String,
    pub before: String,
    pub after: String,
    /// Profiles whose outcome changed: (before, after).
    pub outcomes: BTreeMap<Profile, (Outcome, Outcome)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub target: String,
    pub before: String,
    pub after: String,
    pub changes: Vec<CaseChange>,
}

impl Diff {
    /// Changes of verdict or outcome on cases both reports hold: what fails a baseline.
    pub fn verdict_changes(&self) -> usize {
        self.changes.iter().filter(|c| !matches!(c.kind, ChangeKind::Added | ChangeKind::Removed)).count()
    }

    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// What changed from `a` (older) to `b` (newer).
pub fn diff(a: &Report, b: &Report) -> Diff {
    let old: BTreeMap<&str, &ResultRow> = a.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let new: BTreeMap<&str, &ResultRow> = b.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut changes = Vec::new();
    for (id, x) in &old {
        match new.get(id) {
            Some(y) => changes.extend(compare(x, y)),
            None => changes.push(lone(ChangeKind::Removed, x)),
        }
    }
    changes.extend(new.iter().filter(|(id, _)| !old.contains_key(*id)).map(|(_, y)| lone(ChangeKind::Added, y)));
    changes.sort_by(|p, q| (p.kind, &p.id).cmp(&(q.kind, &q.id)));
    let named = a.target.name != b.target.name;
    Diff { target: b.target.name.clone(), before: release(a, named), after: release(b, named), changes }
}

fn release(r: &Report, named: bool) -> String {
    let t = &r.target;
    if named { format!("{} ({} {})", t.name, t.library, t.version) } else { format!("{} {}", t.library, t.version) }
}

fn compare(x: &ResultRow, y: &ResultRow) -> Option<CaseChange> {
    let outcomes: BTreeMap<Profile, (Outcome, Outcome)> = x
        .outcomes
        .iter()
        .filter_map(|(p, o)| y.outcomes.get(p).filter(|n| *n != o).map(|n| (*p, (*o, *n))))
        .collect();
    // The twin's verdict is evidence for the judgement, not the case's verdict: it shows in
    // the texts, and counts only through the outcomes it changed.
    if outcomes.is_empty() && verdict_text(x) == verdict_text(y) {
        return None;
    }
    let (before, after) = (verdict_shown(x), verdict_shown(y));
    let kind = if outcomes.values().any(|(o, n)| *n == Outcome::Bypass && *o != Outcome::Bypass) {
        ChangeKind::NewBypass
    } else if outcomes.values().any(|(o, n)| n.is_failure() && !o.is_failure()) {
        ChangeKind::NewFailure
    } else if outcomes.values().any(|(o, n)| o.is_failure() && !n.is_failure()) {
        ChangeKind::Fixed
    } else {
        ChangeKind::Changed
    };
    Some(CaseChange { kind, id: x.id.clone(), before, after, outcomes })
}

fn lone(kind: ChangeKind, r: &ResultRow) -> CaseChange {
    let (before, after) = match kind {
        ChangeKind::Added => ("-".to_string(), verdict_shown(r)),
        _ => (verdict_shown(r), "-".to_string()),
    };
    CaseChange { kind, id: r.id.clone(), before, after, outcomes: BTreeMap::new() }
}

/// The verdict in a few words: "accepted", "rejected (audience)", or the outcome when the
/// target gave none. Library messages are left out: they quote clocks and tokens.
pub fn verdict_text(r: &ResultRow) -> String {
    match &r.verdict {
        Some(v) if v.accepted => "accepted".into(),
        Some(v) => format!("rejected ({})", v.reason.map(|r| r.to_string()).unwrap_or_else(|| "no reason".into())),
        None => r.outcomes.values().next().map(|o| o.to_string()).unwrap_or_else(|| "no verdict".into()),
    }
}

/// The verdict in a few words with what the twin of a rejected case gave: "rejected
/// (audience); twin accepted".
pub fn verdict_shown(r: &ResultRow) -> String {
    format!("{}{}", verdict_text(r), twin_text(r))
}

fn twin_text(r: &ResultRow) -> &'static str {
    if r.verdict.as_ref().is_none_or(|v| v.accepted) {
        return "";
    }
    match r.evidence.twin.as_ref().map(|t| t.verdict.as_ref().map(|v| v.accepted)) {
        Some(Some(true)) => "; twin accepted",
        Some(Some(false)) => "; twin rejected",
        Some(None) => "; twin: no verdict",
        None => "",
    }
}

/// The diff as Markdown, for a terminal, a pull request or a step summary.
pub fn diff_markdown(d: &Diff) -> String {
    let mut s = format!("## {}: {} -> {}\n\n", d.target, d.before, d.after);
    if d.changes.is_empty() {
        s.push_str("No verdict changed.\n");
        return s;
    }
    let kinds = [
        (ChangeKind::NewBypass, "new bypasses"),
        (ChangeKind::NewFailure, "new failures"),
        (ChangeKind::Fixed, "fixed"),
        (ChangeKind::Changed, "other verdict changes"),
        (ChangeKind::Added, "cases added"),
        (ChangeKind::Removed, "cases removed"),
    ];
    let counts: Vec<String> = kinds.iter().filter(|(k, _)| d.count(*k) > 0).map(|(k, w)| format!("{} {w}", d.count(*k))).collect();
    let _ = writeln!(s, "{}.\n", counts.join(", "));
    s.push_str("| change | case | before | after | outcomes |\n|---|---|---|---|---|\n");
    for c in &d.changes {
        let outcomes: Vec<String> = c.outcomes.iter().map(|(p, (o, n))| format!("{p}: {o} -> {n}")).collect();
        let _ = writeln!(s, "| {} | `{}` | {} | {} | {} |", kind_word(c.kind), c.id, c.before, c.after, outcomes.join("<br>"));
    }
    s
}

fn kind_word(k: ChangeKind) -> &'static str {
    match k {
        ChangeKind::NewBypass => "**NEW BYPASS**",
        ChangeKind::NewFailure => "new failure",
        ChangeKind::Fixed => "fixed",
        ChangeKind::Changed => "changed",
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
    }
}
