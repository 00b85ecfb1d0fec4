//! The Markdown report: summary per profile, then the anomalies, then every result by family.

use super::matrix::MARKS;
use super::{Report, ResultRow, show_json, shown_aud, spec_link};
use crate::model::{Family, Outcome};
use std::collections::BTreeMap;
use std::fmt::Write;


/// Renders the report; `with_run` adds the run metadata (left out of snapshots).
pub fn markdown(r: &Report, with_run: bool) -> String {
    let mut out = String::new();
    let t = &r.target;
    let _ = writeln!(out, "# audcheck report: {}\n", t.name);
    let _ = writeln!(
        out,
        "Library **{} {}** ({}, {}), options `{}`, expected audiences configured as `{}`.\n",
        t.library, t.version, t.language, t.transport, t.options, t.capabilities.audience
    );
    if t.misuse {
        out.push_str("**Configured as a documented misuse**, not as the library's documentation tells users to: its failures show what the misuse costs, not a fault of the library.

");
    }
    let counts = r.counts();
    if t.trusted {
        let _ = writeln!(out, "Controls: {} of {} passed; the results below can be trusted.\n", counts.controls_passed, counts.controls);
    } else {
        out.push_str("**UNTRUSTED: a control failed, so the results below prove nothing.**\n\n");
        for why in &t.untrusted_because {
            let _ = writeln!(out, "- {}", cell(why));
        }
        out.push('\n');
    }
    summary(&mut out, r);
    remediation(&mut out, r);
    anomalies(&mut out, r);
    if let Some(f) = &r.fuzz {
        out.push_str(&super::fuzz_markdown(f, &t.name));
    }
    all_results(&mut out, r);
    if with_run {
        let m = &r.run;
        let _ = writeln!(out, "## Run\n");
        if !m.started.is_empty() {
            let _ = writeln!(out, "- started: {}\n- duration: {} ms", m.started, m.duration_ms);
        }
        let _ = writeln!(out, "- audcheck: {}", m.audcheck_version);
        let _ = writeln!(out, "- suites: {}", m.suites.join(", "));
    }
    out
}

/// A short summary for a CI page (a GitHub step summary): the verdict in one line, the
/// counts per profile and the anomalies, folded.
pub fn step_summary(r: &Report) -> String {
    let t = &r.target;
    let failures = r.failures();
    let c = r.counts();
    let failing: usize = c.cases_by.iter().filter(|(o, _)| o.is_failure()).map(|(_, n)| n).sum();
    let found = r.fuzz.as_ref().map_or(0, |f| f.counterexamples.len());
    let verdict = match (t.trusted, failing, found) {
        (false, _, _) => "UNTRUSTED: a control failed".to_string(),
        (true, 0, 0) => "conformant".to_string(),
        (true, n, 0) => format!("{n} of {} cases fail", c.cases),
        (true, n, k) => format!("{n} of {} cases fail, {k} counterexamples", c.cases),
    };
    let mut out = format!("### audcheck: {} ({} {}): {verdict}\n\n", t.name, t.library, t.version);
    summary(&mut out, r);
    if failures > 0 {
        out.push_str("<details><summary>What to change</summary>\n\n");
        remediation(&mut out, r);
        out.push_str("</details>\n\n<details><summary>Anomalies</summary>\n\n");
        anomalies(&mut out, r);
        out.push_str("</details>\n\n");
    }
    out
}

fn summary(out: &mut String, r: &Report) {
    let c = r.counts();
    let _ = writeln!(out, "## Summary\n\n{} cases (controls apart) under {} profiles: {}.\n", c.cases, r.profiles.len(), c.failures_text());
    out.push_str("Cases per profile (each case has one outcome under each profile; the controls are not counted here):\n\n| profile | used for |");
    for o in Outcome::ALL {
        let _ = write!(out, " {o} |");
    }
    out.push_str("\n|---|---|");
    out.push_str(&"---:|".repeat(Outcome::ALL.len()));
    out.push('\n');
    for p in &r.profiles {
        let _ = write!(out, "| {p} | {} |", p.used_for());
        for o in Outcome::ALL {
            let n = r.results.iter().filter(|row| !row.is_control() && row.outcomes.get(p) == Some(o)).count();
            let _ = write!(out, " {n} |");
        }
        out.push('\n');
    }
    out.push_str("\nRead the row of the profile that fits your use; a bypass under another profile may be right for yours.\n\n");
}

/// What to change, per failing family: the adapter's advice (families with the same
/// advice together), or a note that it has none.
fn remediation(out: &mut String, r: &Report) {
    let failing = r.failing_families();
    if failing.is_empty() {
        return;
    }
    out.push_str("## What to change\n\n");
    let mut groups: Vec<(Option<&crate::remediation::Advice>, Vec<(&Family, String)>)> = Vec::new();
    for (family, kinds) in &failing {
        let kinds: Vec<String> = kinds.iter().map(|(o, ps)| format!("{o} under {}", ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", "))).collect();
        let advice = r.remediation.get(family);
        match groups.iter_mut().find(|(a, _)| *a == advice) {
            Some((_, fs)) => fs.push((family, kinds.join("; "))),
            None => groups.push((advice, vec![(family, kinds.join("; "))])),
        }
    }
    for (advice, families) in groups {
        let same = families.iter().all(|(_, k)| *k == families[0].1);
        let names: Vec<String> = families.iter().map(|(f, k)| if same { format!("**{f}**") } else { format!("**{f}** ({k})") }).collect();
        let kinds = if same { format!(" ({})", families[0].1) } else { String::new() };
        let text = match advice {
            Some(a) => format!("{}{}", cell(&a.change), a.see.as_ref().map(|u| format!(" ([source]({}))", link_target(u))).unwrap_or_default()),
            None => "no advice written for this family yet (see docs/reports.md, \"What to change\").".into(),
        };
        let _ = writeln!(out, "- {}{kinds}: {text}", names.join(", "));
    }
    out.push('\n');
}

/// A URL safe as a Markdown link target, in a list or a table cell.
pub(super) fn link_target(u: &str) -> String {
    u.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '(' => "%28".to_string(),
            ')' => "%29".to_string(),
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            '|' => "%7C".to_string(),
            '\\' => "%5C".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn anomalies(out: &mut String, r: &Report) {
    out.push_str("## Anomalies\n\n");
    let mut any = false;
    // The anomalies are the failure outcomes, worst first: the matrix's marks.
    for (kind, _) in MARKS {
        let mut rows: Vec<(&ResultRow, Vec<String>)> = r
            .results
            .iter()
            .map(|row| (row, row.outcomes.iter().filter(|(_, o)| **o == kind).map(|(p, _)| p.to_string()).collect::<Vec<_>>()))
            .filter(|(_, ps)| !ps.is_empty())
            .collect();
        rows.sort_by(|(a, _), (b, _)| (a.importance, &a.id).cmp(&(b.importance, &b.id)));
        if rows.is_empty() {
            continue;
        }
        any = true;
        let results: usize = rows.iter().map(|(_, ps)| ps.len()).sum();
        let _ = writeln!(out, "### {kind}: {} case{} ({results} case x profile results)\n", rows.len(), if rows.len() == 1 { "" } else { "s" });
        out.push_str("| case | importance | profiles | aud | expected | verdict |\n|---|---|---|---|---|---|\n");
        for (row, ps) in rows {
            let _ = writeln!(out, "| `{}` | {} | {} | {} | {} | {} |", row.id, row.importance, ps.join(", "), aud_cell(&row.evidence), expected(row), verdict(row));
        }
        out.push('\n');
    }
    if !any {
        out.push_str("None.\n\n");
    }
}

fn all_results(out: &mut String, r: &Report) {
    out.push_str("## All results\n\n");
    let mut families: BTreeMap<&Family, Vec<&ResultRow>> = BTreeMap::new();
    for row in &r.results {
        families.entry(&row.family).or_default().push(row);
    }
    for (family, rows) in families {
        let _ = writeln!(out, "### {family}\n");
        out.push_str("| case | title | aud | expected | verdict |");
        for p in &r.profiles {
            let _ = write!(out, " {p} |");
        }
        out.push_str(" spec |\n|---|---|---|---|---|");
        out.push_str(&"---|".repeat(r.profiles.len() + 1));
        out.push('\n');
        for row in rows {
            let _ = write!(out, "| `{}` | {} | {} | {} | {} |", row.id, cell(&row.title), aud_cell(&row.evidence), expected(row), verdict(row));
            for p in &r.profiles {
                let o = row.outcomes.get(p).map(|o| o.as_str()).unwrap_or("");
                let _ = write!(out, " {} |", if Outcome::ALL.iter().any(|x| x.as_str() == o && x.is_failure()) { format!("**{o}**") } else { o.into() });
            }
            let _ = writeln!(out, " {} |", specs(&row.spec));
        }
        out.push('\n');
    }
}

fn expected(row: &ResultRow) -> String {
    match &row.evidence.audience {
        Some(list) => code(&show_json(&serde_json::json!(list))),
        None => "(none configured)".into(),
    }
}

fn verdict(row: &ResultRow) -> String {
    match (&row.verdict, &row.detail) {
        (Some(v), _) if v.accepted => "accepted".into(),
        (Some(v), _) => format!(
            "rejected: {} ({}){}",
            v.reason.map(|r| r.as_str()).unwrap_or("no reason"),
            cell(v.error.as_deref().unwrap_or("")),
            twin(row)
        ),
        (None, Some(d)) => cell(d),
        (None, None) => String::new(),
    }
}

/// The twin's verdict, where one was sent: what decided whether the rejection was the
/// audience's.
fn twin(row: &ResultRow) -> String {
    let Some(t) = &row.evidence.twin else { return String::new() };
    match &t.verdict {
        Some(v) if v.accepted => "; its twin was accepted".into(),
        Some(v) => format!("; its twin was rejected too: {}", cell(v.error.as_deref().unwrap_or(""))),
        None => format!("; its twin got no verdict: {}", cell(t.detail.as_deref().unwrap_or(""))),
    }
}

fn specs(refs: &[String]) -> String {
    refs.iter()
        .map(|s| match spec_link(s) {
            Some(url) => format!("[{s}]({url})"),
            None => s.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text safe inside a table cell: no cell or line break, no markup a renderer would run,
/// control characters shown as escapes.
pub(super) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// Text safe inside a code span in a table cell (where entities are not decoded).
pub(super) fn code_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ").replace('`', "'")
}

/// Longest value shown in a table cell; the JSON report keeps the whole value.
const CELL_CHARS: usize = 120;

/// The token's `aud` in a cell; a cut value says the length of the whole one.
fn aud_cell(e: &super::Evidence) -> String {
    code_of(&shown_aud(e), e.aud_chars)
}

fn code(s: &str) -> String {
    code_of(s, None)
}

/// `s` as code, cut at CELL_CHARS; `whole` is the length of the value `s` was cut from.
fn code_of(s: &str, whole: Option<usize>) -> String {
    let n = whole.unwrap_or_else(|| s.chars().count());
    let s = if n > CELL_CHARS {
        format!("{}… ({n} chars)", s.chars().take(CELL_CHARS).collect::<String>())
    } else {
        s.to_string()
    };
    if s.starts_with('(') { cell(&s) } else { format!("`{}`", code_cell(&s)) }
}
