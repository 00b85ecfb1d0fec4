//! Published bugs reproduced: a release target whose manifest names a published audience
//! bug (`bug`), beside the target of the release that fixed it. A case shows the bug when it
//! fails on the vulnerable release and passes on the fixed one.

use super::Report;
use super::markdown::{cell, code_cell, link_target};
use crate::model::{Outcome, Profile, PublishedBug};
use std::fmt::Write;

/// One case whose outcome the fix changed, under one profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Change<'a> {
    pub id: &'a str,
    pub vulnerable: Outcome,
    pub fixed: Outcome,
}

/// A vulnerable release and what its fix changed, profile by profile.
pub struct Reproduction<'a> {
    pub bug: &'a PublishedBug,
    pub vulnerable: &'a Report,
    /// `None`: the fixed release was not in this run.
    pub fixed: Option<&'a Report>,
    /// Per profile (in `Profile::ALL` order): cases failing on the vulnerable release that pass on the fixed one.
    pub shown: Vec<(Profile, Vec<Change<'a>>)>,
    /// Per profile: cases passing on the vulnerable release that fail on the fixed one.
    pub regressed: Vec<(Profile, Vec<Change<'a>>)>,
}

impl Reproduction<'_> {
    pub fn shown_under(&self, p: Profile) -> &[Change<'_>] {
        self.shown.iter().find(|(q, _)| *q == p).map_or(&[], |(_, c)| c)
    }
}

/// Every report that names a published bug, with its fixed release's report when present.
pub fn reproductions(reports: &[Report]) -> Vec<Reproduction<'_>> {
    reports
        .iter()
        .filter_map(|v| v.target.bug.as_ref().map(|bug| (v, bug)))
        .map(|(vulnerable, bug)| {
            let fixed = reports.iter().find(|r| r.target.name == bug.fixed);
            let per_profile = |keep: fn(Outcome, Outcome) -> bool| -> Vec<(Profile, Vec<Change<'_>>)> {
                let Some(f) = fixed else { return vec![] };
                Profile::ALL.iter().map(|p| (*p, changes(vulnerable, f, *p, keep))).filter(|(_, c)| !c.is_empty()).collect()
            };
            Reproduction {
                bug,
                vulnerable,
                fixed,
                shown: per_profile(|v, f| v.is_failure() && f == Outcome::Pass),
                regressed: per_profile(|v, f| v == Outcome::Pass && f.is_failure()),
            }
        })
        .collect()
}

fn changes<'a>(v: &'a Report, f: &'a Report, p: Profile, keep: fn(Outcome, Outcome) -> bool) -> Vec<Change<'a>> {
    let mut out: Vec<Change<'a>> = v
        .results
        .iter()
        .filter_map(|x| {
            let vo = *x.outcomes.get(&p)?;
            let fo = *f.results.iter().find(|y| y.id == x.id)?.outcomes.get(&p)?;
            keep(vo, fo).then_some(Change { id: &x.id, vulnerable: vo, fixed: fo })
        })
        .collect();
    // Bypasses first: the bug's worst face.
    out.sort_by_key(|c| (c.vulnerable, c.id));
    out
}

/// Rows shown per bug in the Markdown; the reports list them all.
const ROWS: usize = 10;

/// The "Published bugs reproduced" section of reports/README.md.
pub fn bugs_markdown(reports: &[Report]) -> String {
    let all = reproductions(reports);
    if all.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "## Published bugs reproduced\n\nReleases with a published audience bug, each beside the release that fixed it (the target's `bug` in its adapter.json). \
         A case counts when it fails on the vulnerable release and passes on the fixed one; rfc7519 first, then the other profiles.\n\n\
         | bug | vulnerable | fixed | rfc7519 cases | under other profiles |\n|---|---|---|---|---|\n",
    );
    for r in &all {
        let fixed = r.fixed.map_or_else(|| format!("`{}` (not in this run)", code_cell(&r.bug.fixed)), link);
        let others: Vec<String> = r.shown.iter().filter(|(p, _)| *p != Profile::Rfc7519).map(|(p, c)| format!("{p} {}", c.len())).collect();
        let _ = writeln!(
            s,
            "| [{}]({}) | {} | {} | {} | {} |",
            text(&r.bug.title),
            link_target(&r.bug.url),
            link(r.vulnerable),
            fixed,
            r.shown_under(Profile::Rfc7519).len(),
            if others.is_empty() { "–".into() } else { others.join(", ") }
        );
    }
    for r in &all {
        detail(&mut s, r);
    }
    s
}

fn detail(s: &mut String, r: &Reproduction<'_>) {
    let _ = writeln!(s, "\n### {}: {}\n", r.vulnerable.target.name, text(&r.bug.title));
    let Some(fixed) = r.fixed else {
        let _ = writeln!(s, "The fixed release `{}` was not run: run both to compare.", code_cell(&r.bug.fixed));
        return;
    };
    let _ = writeln!(
        s,
        "<{}>: {} {} → {} {}.\n",
        link_target(&r.bug.url),
        cell(&r.vulnerable.target.library),
        cell(&r.vulnerable.target.version),
        cell(&fixed.target.library),
        cell(&fixed.target.version)
    );
    let (profile, changes) = match (r.shown_under(Profile::Rfc7519), r.shown.first()) {
        (c, _) if !c.is_empty() => (Profile::Rfc7519, c),
        (_, Some((p, c))) => {
            let _ = writeln!(s, "Under rfc7519 no case changes; the bug shows under {p}:\n");
            (*p, c.as_slice())
        }
        (_, None) if !fixed.results.iter().any(|x| x.outcomes.values().any(|o| *o == Outcome::Pass)) => {
            s.push_str("The fixed release passed no case here (see its report), so nothing can be compared.\n");
            return;
        }
        (_, None) => {
            s.push_str("**Not reproduced by these suites**: no case fails on the vulnerable release and passes on the fixed one.\n");
            return;
        }
    };
    let _ = writeln!(s, "| case ({profile}) | {} | {} |\n|---|---|---|", cell(&r.vulnerable.target.version), cell(&fixed.target.version));
    for c in changes.iter().take(ROWS) {
        let _ = writeln!(s, "| `{}` | {} | {} |", c.id, c.vulnerable, c.fixed);
    }
    if changes.len() > ROWS {
        let _ = writeln!(s, "| and {} more | | |", changes.len() - ROWS);
    }
    let regressed: usize = r.regressed.iter().find(|(p, _)| *p == profile).map_or(0, |(_, c)| c.len());
    if regressed > 0 {
        let cases = if regressed == 1 { "case" } else { "cases" };
        let _ = writeln!(s, "\nThe fix also changed {regressed} {cases} the other way under {profile} (passing on {}, failing on {}): see the release reports.", cell(&r.vulnerable.target.version), cell(&fixed.target.version));
    }
}

/// Text safe in a table cell and as a link's text: no markup a renderer would act on.
fn text(t: &str) -> String {
    cell(t).chars().fold(String::new(), |mut out, c| {
        if matches!(c, '[' | ']' | '`' | '*' | '_') {
            out.push('\\');
        }
        out.push(c);
        out
    })
}

fn link(r: &Report) -> String {
    format!("[{}]({}.md) ({} {})", r.target.name, r.target.name, cell(&r.target.library), cell(&r.target.version))
}

#[cfg(test)]
mod tests {
    use super::{bugs_markdown, reproductions};
    use crate::model::{Outcome, Profile, PublishedBug};
    use crate::report::{Report, ResultRow, empty_report};

    fn row(id: &str, rfc7519: &str, rfc8725: &str) -> ResultRow {
        serde_json::from_value(serde_json::json!({
            "id": id, "family": "core", "title": id, "importance": "high", "spec": [],
            "outcomes": { "rfc7519": rfc7519, "rfc8725": rfc8725 },
            "expect": { "rfc7519": "reject", "rfc8725": "reject" },
            "expected_reason": "audience", "evidence": { "claims": {}, "header": {}, "alg": "RS256", "key": "default" }
        }))
        .unwrap()
    }

    fn release(name: &str, version: &str, rows: Vec<ResultRow>) -> Report {
        let mut r = empty_report(name);
        r.target.version = version.into();
        r.results = rows;
        r
    }

    fn pair(vulnerable: Vec<ResultRow>, fixed: Vec<ResultRow>) -> Vec<Report> {
        let mut v = release("lib@1.0", "1.0", vulnerable);
        v.target.bug = Some(PublishedBug { title: "aud | ignored".into(), url: "https://example.org/adv (1)".into(), fixed: "lib@1.1".into() });
        vec![v, release("lib@1.1", "1.1", fixed)]
    }

    #[test]
    fn a_case_counts_when_it_fails_on_the_vulnerable_release_and_passes_on_the_fixed_one() {
        let reports = pair(
            vec![row("a", "bypass", "bypass"), row("b", "pass", "pass"), row("c", "false-reject", "pass"), row("d", "pass", "bypass"), row("e", "error", "error")],
            vec![row("a", "pass", "pass"), row("b", "pass", "pass"), row("c", "pass", "pass"), row("d", "bypass", "pass"), row("e", "hang", "hang")],
        );
        let all = reproductions(&reports);
        assert_eq!(all.len(), 1);
        let ids = |p: Profile| all[0].shown_under(p).iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(Profile::Rfc7519), ["a", "c"], "bypass first, then the other failures; a failure on both sides is no change");
        assert_eq!(ids(Profile::Rfc8725), ["a", "d"]);
        assert_eq!(all[0].shown_under(Profile::Rfc7519)[0].vulnerable, Outcome::Bypass);
        let regressed: Vec<_> = all[0].regressed.iter().map(|(p, c)| (*p, c.len())).collect();
        assert_eq!(regressed, [(Profile::Rfc7519, 1)]);
    }

    #[test]
    fn the_section_says_plainly_when_a_bug_does_not_show_or_its_fix_was_not_run() {
        let quiet = pair(vec![row("a", "pass", "pass")], vec![row("a", "pass", "pass")]);
        let md = bugs_markdown(&quiet);
        assert!(md.contains("**Not reproduced by these suites**"), "{md}");
        assert!(md.contains("[aud \\| ignored](https://example.org/adv%20%281%29)"), "titles and addresses cannot break the table: {md}");
        let mut sneaky = pair(vec![row("a", "bypass", "bypass")], vec![row("a", "pass", "pass")]);
        sneaky[0].target.bug.as_mut().unwrap().title = "x](https://evil.example) [y".into();
        sneaky[1].target.version = "1.1 |\n## injected".into();
        let md = bugs_markdown(&sneaky);
        assert!(md.contains("[x\\](https://evil.example) \\[y](https://example.org/adv%20%281%29)"), "{md}");
        assert!(!md.contains("\n## injected"), "{md}");
        let other_profile = pair(vec![row("a", "pass", "bypass")], vec![row("a", "pass", "pass")]);
        assert!(bugs_markdown(&other_profile).contains("Under rfc7519 no case changes; the bug shows under rfc8725"));
        let alone = vec![quiet.into_iter().next().unwrap()];
        assert!(bugs_markdown(&alone).contains("The fixed release `lib@1.1` was not run"));
        assert_eq!(bugs_markdown(&[release("lib", "2", vec![])]), "", "no section without a bug");
    }
}
