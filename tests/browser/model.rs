//! What reports/index.html should show for a view, worked out from the JSON reports alone
//! (not from the page's data or script), and the comparison with what Chromium showed.

use audcheck::model::{Importance, Outcome, Profile};
use audcheck::report::{Report, ResultRow};
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

/// Outcomes worst first, as the page and the Markdown matrix rank them.
pub const WORST_FIRST: [Outcome; 8] =
    [Outcome::Bypass, Outcome::FalseReject, Outcome::WrongReason, Outcome::Error, Outcome::Hang, Outcome::Pass, Outcome::Info, Outcome::Skipped];

/// The page's sentence for a failure in a family its target has no advice on.
pub const NO_ADVICE: &str = "No advice written for this family yet.";

/// A view: the page's controls (each as its fragment key).
#[derive(Debug, Clone, Default)]
pub struct View {
    pub profile: Option<Profile>,
    pub family: Option<String>,
    /// An outcome, or "any-failure".
    pub outcome: Option<String>,
    pub language: Option<String>,
    /// This importance and above.
    pub importance: Option<Importance>,
    /// Untrusted and documented-misuse targets shown too.
    pub all: bool,
    pub worst_first: bool,
    /// The summary's column and whether descending.
    pub sort: Option<(String, bool)>,
}

/// What a view shows.
#[derive(Debug)]
pub struct Expected {
    pub shown: String,
    pub targets: Vec<String>,
    /// Case ids in order, each with its cell per shown target ("" when not run).
    pub rows: Vec<(String, Vec<(String, String)>)>,
    /// Summary lines in order: target and its count per outcome.
    pub summary: Vec<(String, BTreeMap<String, u64>)>,
}

/// The reports, indexed by case.
pub struct Reports<'a> {
    pub reports: &'a [Report],
    /// Every case id any report holds, sorted, with one report's row for it.
    cases: BTreeMap<&'a str, &'a ResultRow>,
    rows: Vec<HashMap<&'a str, &'a ResultRow>>,
}

impl<'a> Reports<'a> {
    pub fn new(reports: &'a [Report]) -> Self {
        let cases = reports.iter().flat_map(|r| &r.results).map(|row| (row.id.as_str(), row)).collect();
        let rows = reports.iter().map(|r| r.results.iter().map(|row| (row.id.as_str(), row)).collect()).collect();
        Reports { reports, cases, rows }
    }

    pub fn report(&self, target: &str) -> &'a Report {
        self.reports.iter().find(|r| r.target.name == target).unwrap_or_else(|| panic!("no report of {target}"))
    }

    /// A target's outcome for a case: under the profile, or its worst over all profiles.
    pub fn outcome(&self, target: usize, case: &str, profile: Option<Profile>) -> Option<Outcome> {
        let row = self.rows[target].get(case)?;
        match profile {
            Some(p) => row.outcomes.get(&p).copied(),
            None => WORST_FIRST.into_iter().find(|o| row.outcomes.values().any(|x| x == o)),
        }
    }

    pub fn expect(&self, v: &View) -> Expected {
        let by_language: Vec<usize> =
            (0..self.reports.len()).filter(|&i| v.language.as_ref().is_none_or(|l| &self.reports[i].target.language == l)).collect();
        let as_documented = |i: &usize| self.reports[*i].target.trusted && !self.reports[*i].target.misuse;
        let targets: Vec<usize> = by_language.iter().copied().filter(|i| v.all || as_documented(i)).collect();
        let hidden: Vec<&Report> = by_language.iter().filter(|i| !v.all && !as_documented(i)).map(|&i| &self.reports[i]).collect();

        let wanted = |o: Option<Outcome>| match (o, v.outcome.as_deref()) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(o), Some("any-failure")) => o.is_failure(),
            (Some(o), Some(w)) => o.as_str() == w,
        };
        let mut rows: Vec<(&ResultRow, Vec<Option<Outcome>>)> = self
            .cases
            .iter()
            .map(|(id, row)| (*row, targets.iter().map(|&t| self.outcome(t, id, v.profile)).collect::<Vec<_>>()))
            .filter(|(row, os)| {
                v.family.as_ref().is_none_or(|f| row.family.as_str() == f.as_str())
                    && v.importance.is_none_or(|i| row.importance <= i)
                    && os.iter().any(|o| wanted(*o))
            })
            .collect();
        if v.worst_first {
            let rank = |o: &Option<Outcome>| o.map_or(WORST_FIRST.len(), |o| WORST_FIRST.iter().position(|x| *x == o).unwrap());
            rows.sort_by_key(|(row, os)| {
                let failing = os.iter().filter(|o| o.is_some_and(Outcome::is_failure)).count();
                (os.iter().map(rank).min(), row.importance, Reverse(failing), row.id.clone())
            });
        }

        let names: Vec<String> = targets.iter().map(|&t| self.reports[t].target.name.clone()).collect();
        let mut summary: Vec<(usize, BTreeMap<String, u64>)> = targets
            .iter()
            .enumerate()
            .map(|(k, &t)| {
                let mut counts: BTreeMap<String, u64> = WORST_FIRST.iter().map(|o| (o.to_string(), 0)).collect();
                for o in rows.iter().filter_map(|(_, os)| os[k]) {
                    *counts.get_mut(o.as_str()).unwrap() += 1;
                }
                (t, counts)
            })
            .collect();
        if let Some((column, desc)) = &v.sort {
            summary.sort_by(|(a, x), (b, y)| {
                let order = match column.as_str() {
                    "target" => self.reports[*a].target.name.cmp(&self.reports[*b].target.name),
                    "library" => library(&self.reports[*a]).cmp(&library(&self.reports[*b])),
                    outcome => x[outcome].cmp(&y[outcome]),
                };
                if *desc { order.reverse() } else { order }
            });
        }

        let mut shown = format!("{} of {} cases, {} of {} targets", rows.len(), self.cases.len(), targets.len(), self.reports.len());
        if !hidden.is_empty() {
            let untrusted = hidden.iter().filter(|r| !r.target.trusted).count();
            let misuse = hidden.iter().filter(|r| r.target.misuse).count();
            let mut why = Vec::new();
            if untrusted > 0 {
                why.push(format!("{untrusted} untrusted (a control failed)"));
            }
            if misuse > 0 {
                why.push(format!("{misuse} configured as a documented misuse"));
            }
            shown += &format!("; {} hidden: {}", hidden.len(), why.join(", "));
        }
        Expected {
            shown,
            rows: rows
                .iter()
                .map(|(row, os)| (row.id.clone(), names.iter().cloned().zip(os.iter().map(|o| o.map_or(String::new(), |o| o.to_string()))).collect()))
                .collect(),
            summary: summary.into_iter().map(|(t, counts)| (self.reports[t].target.name.clone(), counts)).collect(),
            targets: names,
        }
    }

    /// The advice the details pane shows for a cell: none unless the result is a failure
    /// (under the profile, or its worst); then the target's `change` for the case's family,
    /// or the sentence that there is none.
    pub fn advice(&self, target: &str, case: &str, profile: Option<Profile>) -> Option<(String, Option<String>)> {
        let t = self.reports.iter().position(|r| r.target.name == target).unwrap();
        if !self.outcome(t, case, profile).is_some_and(Outcome::is_failure) {
            return None;
        }
        Some(match self.reports[t].remediation.get(&self.cases[case].family) {
            Some(a) => (a.change.clone(), a.see.clone()),
            None => (NO_ADVICE.to_string(), None),
        })
    }
}

/// The summary's library column.
fn library(r: &Report) -> String {
    format!("{} {} ({})", r.target.library, r.target.version, r.target.language)
}

/// Compares what the page showed with what the reports say, part by part.
pub fn assert_shows(name: &str, shown: &Value, e: &Expected) {
    assert_eq!(shown["shown"], e.shown, "{name}: the shown line");
    assert_eq!(shown["targets"], serde_json::json!(e.targets), "{name}: the matrix's targets");
    let ids: Vec<&str> = shown["rows"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    let want: Vec<&str> = e.rows.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, want, "{name}: the matrix's rows, in order");
    for (row, (id, cells)) in shown["rows"].as_array().unwrap().iter().zip(&e.rows) {
        let got: Vec<(String, String)> = row["cells"].as_object().unwrap().iter().map(|(t, o)| (t.clone(), o.as_str().unwrap().to_string())).collect();
        assert_eq!(&got, cells, "{name}: the cells of {id}");
    }
    let lines: Vec<(String, BTreeMap<String, u64>)> = shown["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["target"].as_str().unwrap().to_string(), l["counts"].as_object().unwrap().iter().map(|(o, n)| (o.clone(), n.as_u64().unwrap())).collect()))
        .collect();
    let order: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(order, e.summary.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(), "{name}: the summary's order");
    assert_eq!(lines, e.summary, "{name}: the summary's counts (cases per target)");
}

/// Whether two orders differ: a sort checked against one that changes nothing proves little.
pub fn reorders<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a != b
}


/// A value as the page's link writes it (URLSearchParams: application/x-www-form-urlencoded).
pub fn form(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".into(),
            b => format!("%{b:02X}"),
        })
        .collect()
}
